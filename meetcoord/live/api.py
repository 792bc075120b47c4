"""The live room over REST, under ``/api/v1/meetings/<id>/live`` (staff accounts).

Reads: the room's state (run state, agenda, current item, speakers' queue), its record
(decisions, notes, actions, each a page), and its event log after a seq in bounded
pages, for a system without websockets. Writes: every socket command (``live.events``
``COMMANDS``) at ``POST .../live/commands/<name>``, with the socket's body, nonce
included. Each is taken as the socket takes it: the sender's budget, access to the
meeting, the command's permission somewhere in it (before its data is looked at), the
socket's schema, then the very service the socket calls, which runs through
``live.log`` (lock, nonce replay, append, commit, publish): a decision recorded here
reaches the room's sockets, and a repeated nonce answers the first ack, ``id`` included.
The ``Idempotency-Key`` header is taken as the nonce when the body has none.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_babel import lazy_gettext as _l

from meetcoord.access import permissions, resolve
from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, page_schema, problems
from meetcoord.core.errors import TooManyRequests, ValidationError
from meetcoord.core.pagination import Page
from meetcoord.extensions import db
from meetcoord.live import api_schemas as out
from meetcoord.live import queries, schemas, throttle
from meetcoord.live.events import COMMANDS, RATE_LIMITED, Spec, unknown_command
from meetcoord.meetings.models import Meeting

blp = ApiBlueprint(
    "live_api",
    __name__,
    url_prefix="/meetings",
    description="Ruang rapat langsung lewat REST: keadaan ruang, kesepakatan, catatan, "
    "tindak lanjut, log peristiwa, dan setiap perintah soket dengan nonce yang sama.",
)
READ = (401, 403, 404, 422)
WRITE = (401, 403, 404, 409, 422, 429, 503)
KEY_HEADER = "Idempotency-Key"
KEY_CLASH = _l("Nonce di isi permintaan dan header Idempotency-Key berbeda; kirim satu saja.")

SUMMARIES: dict[str, str] = {
    "open": "Buka rapat",
    "pause": "Skors rapat",
    "resume": "Lanjutkan rapat yang diskors",
    "close": "Tutup rapat",
    "item.activate": "Jadikan mata acara ini yang sedang dibahas",
    "item.next": "Lanjut ke mata acara berikutnya",
    "agenda.add": "Tambah mata acara di akhir agenda",
    "agenda.reorder": "Ubah urutan agenda",
    "decision.record": "Catat kesepakatan",
    "decision.amend": "Ubah rumusan kesepakatan",
    "decision.tally": "Catat suara satu lokasi",
    "decision.withdraw": "Cabut kesepakatan",
    "notes.save": "Simpan catatan notulis satu mata acara",
    "action.create": "Catat tindak lanjut (RTL) dari kesepakatan",
    "action.update": "Ubah tindak lanjut",
    "action.withdraw": "Cabut tindak lanjut",
    "action.review": "Tinjau tindak lanjut rapat sebelumnya",
    "proposal.mark": "Tandai satu baris matriks sinkronisasi",
    "proposal.confirm": "Konfirmasi atau sanggah baris matriks",
    "speaker.request": "Minta waktu bicara (untuk peserta)",
    "speaker.withdraw": "Batalkan permintaan bicara",
    "floor.give": "Beri waktu bicara",
    "floor.end": "Akhiri giliran bicara",
    "question.ask": "Ajukan pertanyaan (hanya peserta)",
    "question.vote": "Dukung pertanyaan (hanya peserta)",
    "question.moderate": "Moderasi pertanyaan",
    "question.pick": "Pilih pertanyaan untuk dijawab",
    "question.answer": "Tandai pertanyaan terjawab",
}
EXAMPLES: dict[str, dict[str, Any]] = {
    "decision.record": {
        "nonce": "sipd-2026-12-05-k1",
        "text": "Data stunting dipadankan per desa sebelum Musrenbang kabupaten.",
        "kind": "vote",
        "item_id": 12,
        "tallies": [{"site_id": 3, "for": 14, "against": 2, "abstain": 1}],
    },
    "action.create": {
        "nonce": "sipd-2026-12-05-a1",
        "decision_id": 41,
        "title": "Menyusun daftar desa lokus stunting 2027",
        "organization_id": 7,
        "locus": "Desa Wee Namba",
        "due_on": "2027-01-31",
    },
    "open": {"nonce": "sipd-2026-12-05-open"},
}


def _meeting(id: int) -> tuple[Meeting, Actor]:
    """The meeting and its staff actor: 404 outside the account's institutions, as the
    socket refuses to connect to it; then the right to follow its room at all."""
    user = resolve.account()
    meeting = permissions.visible(user, db.session.get(Meeting, id))
    permissions.require(user, Permission.LIVE_WATCH, meeting)
    return meeting, resolve.staff(user, meeting)


def _page(found: Page[dict[str, Any]]) -> dict[str, Any]:
    return {
        "items": found.items,
        "page": found.page,
        "per_page": found.per_page,
        "total": found.total,
        "pages": found.pages,
    }


# --- reading ------------------------------------------------------------------------------


@blp.route("/<int:id>/live")
class LiveState(MethodView):
    @requires(Permission.LIVE_WATCH)
    @blp.doc(
        summary="Keadaan ruang rapat langsung",
        description="Status ruang, agenda, mata acara yang sedang dibahas dan antrean "
        "bicara, dengan `seq` terakhir log: ambil `/live/events?after_seq=seq` untuk "
        "mengikuti perubahan berikutnya.",
    )
    @blp.response(200, out.LiveStateSchema)
    @problems(blp, *READ)
    def get(self, id: int) -> dict[str, Any]:
        meeting, _actor = _meeting(id)
        return queries.room_state(meeting)


@blp.route("/<int:id>/live/decisions")
class LiveDecisions(MethodView):
    @requires(Permission.LIVE_WATCH)
    @blp.doc(
        summary="Kesepakatan rapat",
        description="Semua kesepakatan, juga yang dicabut (bertanda `withdrawn`), dengan "
        "suara per lokasi. Urut nomor kecuali `sort` lain; `q` mencari di rumusannya.",
    )
    @blp.arguments(out.LiveDecisionArgs, location="query")
    @blp.response(200, page_schema(out.LiveDecisionSchema))
    @problems(blp, *READ)
    def get(self, args: dict[str, Any], id: int) -> dict[str, Any]:
        meeting, _actor = _meeting(id)
        return _page(queries.decisions(meeting, args))


@blp.route("/<int:id>/live/notes")
class LiveNotes(MethodView):
    @requires(Permission.LIVE_WATCH)
    @blp.doc(
        summary="Catatan notulis per mata acara",
        description="Satu catatan per mata acara yang sudah dicatat, urut agenda; "
        "`version` dipakai sebagai `base_version` perintah notes.save berikutnya.",
    )
    @blp.arguments(out.LiveNoteArgs, location="query")
    @blp.response(200, page_schema(out.LiveNoteSchema))
    @problems(blp, *READ)
    def get(self, args: dict[str, Any], id: int) -> dict[str, Any]:
        meeting, _actor = _meeting(id)
        return _page(queries.notes(meeting, args))


@blp.route("/<int:id>/live/actions")
class LiveActions(MethodView):
    @requires(Permission.LIVE_WATCH)
    @blp.doc(
        summary="Tindak lanjut yang dicatat dalam rapat",
        description="Rencana tindak lanjut dari kesepakatan rapat ini, juga yang dicabut.",
    )
    @blp.arguments(out.LiveActionArgs, location="query")
    @blp.response(200, page_schema(out.LiveActionSchema))
    @problems(blp, *READ)
    def get(self, args: dict[str, Any], id: int) -> dict[str, Any]:
        meeting, _actor = _meeting(id)
        return _page(queries.actions(meeting, args))


@blp.route("/<int:id>/live/events")
class LiveEvents(MethodView):
    @requires(Permission.LIVE_WATCH)
    @blp.doc(
        summary="Log peristiwa rapat sesudah suatu seq",
        description="Peristiwa dalam urutan `seq`, dalam amplop yang sama dengan soket. "
        "Halaman berbatas: ulangi dengan `after_seq=next_seq` selama `more` benar.",
    )
    @blp.arguments(out.LiveEventArgsSchema, location="query")
    @blp.response(200, out.LiveEventPageSchema)
    @problems(blp, *READ)
    def get(self, args: dict[str, Any], id: int) -> dict[str, Any]:
        meeting, _actor = _meeting(id)
        return queries.events(meeting, args["after_seq"], args["limit"])


# --- commands ---------------------------------------------------------------------------


def _body() -> Any:
    """The command as JSON, the ``Idempotency-Key`` header standing in for its nonce."""
    body = request.get_json(silent=True)
    if body is None and not request.get_data():
        body = {}
    key = request.headers.get(KEY_HEADER)
    if key and isinstance(body, dict):
        if body.get("nonce") not in (None, "", key):
            raise ValidationError(KEY_CLASH, errors={"nonce": [KEY_CLASH]})
        body = {**body, "nonce": key}
    return body


def run(name: str, spec: Spec, meeting_id: int) -> dict[str, Any]:
    """One command, in the socket's order of checks; answers the socket's ack."""
    meeting, actor = _meeting(meeting_id)
    if not throttle.allow(actor.user.id, None, actor.role):
        raise TooManyRequests(RATE_LIMITED)
    actor.require_somewhere(spec.permission)
    seq, result = spec.run(actor, meeting.id, schemas.load(name, _body()))
    answer: dict[str, Any] = {"ok": True, "seq": seq}
    if result is not None:
        answer["id"] = result
    return answer


def _description(name: str) -> str:
    return (
        f"Sama dengan perintah soket `{name}` (isi yang sama, `nonce` wajib: di isi atau "
        f"header {KEY_HEADER}). Nonce yang diulang menjawab jawaban pertama, termasuk `id`, "
        "tanpa mencatat apa pun lagi; perintah yang ditolak tidak menyimpan apa pun."
    )


def _command_view(name: str, spec: Spec) -> type[MethodView]:
    content: dict[str, Any] = {"schema": out.command_body(name)}
    if name in EXAMPLES:
        content["example"] = EXAMPLES[name]

    class Command(MethodView):
        @requires(spec.permission)
        @blp.doc(
            summary=SUMMARIES.get(name, name),
            description=_description(name),
            requestBody={"required": True, "content": {"application/json": content}},
        )
        @blp.response(200, out.LiveAckSchema, example={"ok": True, "seq": 42, "id": 7})
        @problems(blp, *WRITE)
        def post(self, id: int) -> dict[str, Any]:
            return run(name, spec, id)

    Command.__name__ = Command.__qualname__ = "Live" + name.title().replace(".", "") + "Command"
    return Command


for _name, _spec in COMMANDS.items():
    blp.route(f"/<int:id>/live/commands/{_name}", endpoint=f"command_{_name.replace('.', '_')}")(
        _command_view(_name, _spec)
    )


@blp.route("/<int:id>/live/commands/<string:kind>")
class LiveUnknownCommand(MethodView):
    @requires(Permission.LIVE_WATCH)
    @blp.doc(
        summary="Perintah yang tidak dikenal",
        description="Nama perintah di luar daftar di atas dijawab 422 dengan kode "
        "`unknown_command` (seperti di soket), tanpa mencatat apa pun.",
    )
    @problems(blp, 401, 403, 404, 422)
    def post(self, id: int, kind: str) -> Any:
        _meeting(id)
        raise unknown_command(kind)


blueprints = [blp]
