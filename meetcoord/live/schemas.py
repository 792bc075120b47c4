"""One schema per live command: the shape of what a client may send, checked at the door.

``load(name, data)`` runs before any service code (``live.events``), so a service only
ever sees typed, bounded values: ids as whole numbers a database column can hold, texts
as strings without control characters and within their length, enums as their values. It
refuses what the services used to store or trip over (an object stored as its Python
``repr``, ``tallies: 5``, an id of 2^63) with ``validation_error``, every field's
message in the reader's language, and changes nothing. Whether an id names a row of
*this* meeting, and every other question about the data, stays in the services.

A later REST twin of a command loads its body with the same schema. The field types are
in :mod:`meetcoord.live.fields`; an empty value of an optional field means "not given"
(its default, or None where None clears it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from meetcoord.api.schemas import ApiSchema
from meetcoord.core.errors import ValidationError as InvalidCommand
from meetcoord.core.problems import flatten_errors
from meetcoord.live.fields import (
    ID_MAX,
    LOCUS_MAX,
    NONCE_MAX,
    NOTES_MAX,
    REASON_MAX,
    ROWS_MAX,
    SECONDS_MAX,
    TEXT_MAX,
    TITLE_MAX,
    VOTES_MAX,
    Due,
    Kind,
    Lenient,
    Rows,
    SiteRef,
    Whole,
    Words,
    ref,
)
from meetcoord.live.models import DecisionKind
from meetcoord.live.state import SPEAKER_SECONDS
from meetcoord.meetings.models import AGENDA_MINUTES_MAX
from meetcoord.questions.schemas import SCHEMAS as QUESTION_SCHEMAS

REVIEW_NOTE_MAX = 1000  # a short note said in the meeting; the tracker takes longer ones

# --- the commands -------------------------------------------------------------------------


class Command(Lenient):
    """What every command carries: its nonce (DESIGN §5), and nothing it does not name."""

    nonce = Words(
        NONCE_MAX,
        required=True,
        message=_l("Setiap perintah membawa nonce (1–64 karakter)."),
    )


_ITEM = _l("Pilih mata acara.")
_DECISION = _l("Pilih kesepakatan.")
_ACTION = _l("Pilih tindak lanjut.")
_REQUEST = _l("Permintaan bicara tidak ditemukan.")
_VERSION = _l("Versi dasar perubahan tidak ada.")
_VOTES = _l("Jumlah suara harus bilangan 0 atau lebih.")
_REASON = _l("Alasan pencabutan wajib diisi (paling banyak 1000 karakter).")
_ORGANIZATION = _l("Pilih instansi (OPD) penanggung jawab.")


def _version(**kwargs: Any) -> Whole:
    return Whole(0, ID_MAX, _VERSION, **kwargs)


class Bare(Command):
    """open, pause, resume, close, item.next, floor.end: the nonce alone."""


class ItemActivate(Command):
    item_id = ref(_ITEM, required=True)


class AgendaAdd(Command):
    title = Words(
        TITLE_MAX,
        required=True,
        message=_l("Judul mata acara wajib diisi (paling banyak 300 karakter)."),
    )
    planned_minutes = Whole(
        1,
        AGENDA_MINUTES_MAX,
        _l("Durasi harus 1–%(n)d menit.", n=AGENDA_MINUTES_MAX),
        load_default=15,
    )


_ORDER = _l("Urutan harus memuat setiap mata acara tepat satu kali.")


class AgendaReorder(Command):
    item_ids = fields.List(
        ref(_ITEM),
        required=True,
        validate=validate.Length(max=ROWS_MAX, error=_ORDER),
        error_messages=dict.fromkeys(("required", "null", "invalid"), _ORDER),
    )


def _tally_fields() -> dict[str, fields.Field]:
    """The votes counted at one site (``site_id`` empty: online), keyed as on the wire."""
    return {
        "site_id": SiteRef(_l("Lokasi tidak ada dalam rapat ini.")),
        "for": Whole(0, VOTES_MAX, _VOTES, load_default=0),
        "against": Whole(0, VOTES_MAX, _VOTES, load_default=0),
        "abstain": Whole(0, VOTES_MAX, _VOTES, load_default=0),
    }


Tally = Lenient.from_dict(_tally_fields(), name="Tally")


class DecisionRecord(Command):
    text = Words(TEXT_MAX, lines=True, required=True)
    kind = Kind(load_default=DecisionKind.CONSENSUS)
    item_id = ref(_ITEM, load_default=None, allow_none=True)  # None: the current item
    tallies = Rows(Tally, _l("Format suara tidak sah."), load_default=list)


class DecisionAmend(Command):
    decision_id = ref(_DECISION, required=True)
    base_version = _version(required=True)
    text = Words(TEXT_MAX, lines=True, required=True)
    kind = Kind(load_default=None)  # None: the kind it has


DecisionTally = Command.from_dict(
    {**_tally_fields(), "decision_id": ref(_DECISION, required=True)}, name="DecisionTally"
)


class DecisionWithdraw(Command):
    decision_id = ref(_DECISION, required=True)
    reason = Words(REASON_MAX, lines=True, required=True, message=_REASON)


class NotesSave(Command):
    item_id = ref(_ITEM, required=True)
    text = Words(NOTES_MAX, lines=True, blank=True, load_default="")
    base_version = _version(load_default=0)


class ActionFields(Command):
    """What an action says; optional ones cleared by an empty value."""

    title = Words(TEXT_MAX, lines=True)
    organization_id = ref(_ORGANIZATION)
    person_id = ref(_l("Orang tidak dikenal."), allow_none=True)
    locus = Words(LOCUS_MAX, message=_l("Lokus paling banyak 200 karakter."), allow_none=True)
    due_on = Due(allow_none=True)


class ActionCreate(ActionFields):
    decision_id = ref(_DECISION, required=True)
    title = Words(TEXT_MAX, lines=True, required=True)
    organization_id = ref(_ORGANIZATION, required=True)


class ActionUpdate(ActionFields):
    """Only the fields sent change; ``base_version`` guards another console's edit."""

    action_id = ref(_ACTION, required=True)
    base_version = _version(required=True)
    decision_id = ref(_DECISION)

    @validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not set(data) - {"nonce", "action_id", "base_version"}:
            raise ValidationError(str(_l("Tidak ada yang diubah.")))


class ActionWithdraw(Command):
    action_id = ref(_ACTION, required=True)
    reason = Words(REASON_MAX, lines=True, required=True, message=_REASON)


class ActionReview(Command):
    """A status step and/or a short note on an action the meeting reviews (carry-over)."""

    action_id = ref(_ACTION, required=True)
    status = Words(20, message=_l("Status tidak dikenal."))
    note = Words(REVIEW_NOTE_MAX, lines=True)
    reason = Words(REASON_MAX, lines=True)

    @validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not set(data) - {"nonce", "action_id"}:
            raise ValidationError(str(_l("Pilih status baru atau tulis catatan.")))


class SpeakerRequest(Command):
    invitation_id = ref(_l("Peserta tidak diundang ke rapat ini."), load_default=None)


class SpeakerWithdraw(Command):
    request_id = ref(_REQUEST, required=True)


class FloorGive(Command):
    request_id = ref(_REQUEST, required=True)
    seconds = Whole(
        1, SECONDS_MAX, _l("Waktu bicara harus 1–3600 detik."), load_default=SPEAKER_SECONDS
    )


_MARK = _l("Pilih baris matriks.")
_AMOUNT = _l("Pagu harus bilangan bulat rupiah 0 atau lebih.")
_YEAR = _l("Tahun rencana harus 2000–2100.")


class ProposalMark(Command):
    """A mark on one row of the synchronisation matrix; which fields its outcome needs is
    the service's question (``planning.matrix``), answered with a message per field."""

    mark_id = ref(_MARK, required=True)
    version = _version(required=True)
    outcome = Words(20, required=True, message=_l("Pilih hasil penandaan."))
    organization_id = ref(_ORGANIZATION, allow_none=True)
    programme = Words(300, allow_none=True)
    activity = Words(300, allow_none=True)
    plan_document = Words(60, allow_none=True)
    plan_year = Whole(2000, 2100, _YEAR, allow_none=True)
    amount = Whole(0, 10**15, _AMOUNT, allow_none=True)
    carried_to = Words(20, allow_none=True)
    merged_with_id = ref(_l("Pilih usulan lain dalam matriks ini."), allow_none=True)
    reason = Words(REASON_MAX, lines=True, allow_none=True)


class ProposalConfirm(Command):
    """An agency's answer to its row: confirmed, or disputed with a note."""

    mark_id = ref(_MARK, required=True)
    version = _version(allow_none=True)
    answer = Words(20, required=True, message=_l("Jawaban harus dikonfirmasi atau disanggah."))
    note = Words(REVIEW_NOTE_MAX, lines=True, allow_none=True)


SCHEMAS: dict[str, Schema] = {
    name: schema()
    for name, schema in {
        "open": Bare,
        "pause": Bare,
        "resume": Bare,
        "close": Bare,
        "item.activate": ItemActivate,
        "item.next": Bare,
        "agenda.add": AgendaAdd,
        "agenda.reorder": AgendaReorder,
        "decision.record": DecisionRecord,
        "decision.amend": DecisionAmend,
        "decision.tally": DecisionTally,
        "decision.withdraw": DecisionWithdraw,
        "notes.save": NotesSave,
        "action.create": ActionCreate,
        "action.update": ActionUpdate,
        "action.withdraw": ActionWithdraw,
        "action.review": ActionReview,
        "proposal.mark": ProposalMark,
        "proposal.confirm": ProposalConfirm,
        "speaker.request": SpeakerRequest,
        "speaker.withdraw": SpeakerWithdraw,
        "floor.give": FloorGive,
        "floor.end": Bare,
    }.items()
}
SCHEMAS.update(QUESTION_SCHEMAS)  # issue 15: moderated questions (meetcoord.questions)


def load(name: str, data: Any) -> dict[str, Any]:
    """``data`` for command ``name``, typed and bounded; or ``validation_error``."""
    try:
        return SCHEMAS[name].load(data)
    except ValidationError as exc:
        raise _refusal(exc.messages) from None


def _refusal(messages: Any) -> InvalidCommand:
    errors = flatten_errors(messages)
    unknown = str(ApiSchema.error_messages["unknown"])
    said: list[str] = []
    for key, values in errors.items():
        for value in values:
            text = (
                str(_l("Kolom tidak dikenal: %(name)s.", name=key)) if value == unknown else value
            )
            if text not in said:
                said.append(value)
    return InvalidCommand(" ".join(said), errors=errors)


# --- connecting -------------------------------------------------------------------------


class Connect(Lenient):
    """The auth of a ``/live`` connection; credentials are looked at by the handler, and
    ``last_seq`` by :func:`last_seq`."""

    class Meta:
        unknown = EXCLUDE  # a credential bag: keys of other clients do no harm

    meeting = ref(_l("Rapat tidak ditemukan."), required=True)
    site = ref(_l("Lokasi tidak ada dalam rapat ini."), load_default=None)
    token = Words(200, load_default=None)
    bearer = Words(200, load_default=None)


CONNECT = Connect()


def connect_auth(auth: Any) -> dict[str, Any]:
    """The connection's auth, typed; ``validation_error`` for a malformed one."""
    if not isinstance(auth, Mapping):
        auth = {}
    try:
        return CONNECT.load(auth)
    except ValidationError as exc:
        raise _refusal(exc.messages) from None


_SEQ = Whole(0, ID_MAX, "-")


def last_seq(data: Any) -> int | None:
    """The seq a client says it has (on connect or resync), or None: a snapshot then.

    Lenient on purpose: a client whose stored seq is corrupt must still get back in.
    """
    raw = data.get("last_seq") if isinstance(data, Mapping) else None
    try:
        return _SEQ.deserialize(raw) if raw is not None else None
    except ValidationError:
        return None
