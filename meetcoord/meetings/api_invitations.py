"""A meeting's invitations as JSON under ``/api/v1/meetings/<id>/...`` (issue 17).

Split from ``meetings.api`` to keep both modules short; every URL, method and documented
response is the one it had there. A second blueprint (``meeting_invitations_api``) because
a module cannot add routes to ``meetings.api``'s blueprint without importing it, and that
module imports this one; its operations keep the ``meetings_api`` tag, so the OpenAPI
document groups them as before. ``list_query`` and ``job_headers`` are shared with
``meetings.api``.

Handlers parse, call one service (``invitations``, ``roster``, ``sending``) and return.
An invitation is looked up through its meeting, so an id from another meeting is a 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l

from meetcoord.access import permissions, resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, page_schema, problems
from meetcoord.core.errors import NotFound
from meetcoord.core.forms import current_actor
from meetcoord.core.pagination import ListQuery, Page
from meetcoord.extensions import db
from meetcoord.jobs.models import Job
from meetcoord.jobs.schemas import JobSchema
from meetcoord.meetings import invitations as invitation_services
from meetcoord.meetings import roster, sending, services
from meetcoord.meetings import schemas as s
from meetcoord.meetings.models import Invitation

LOCATION_HEADER = {
    "Location": {"description": "URL data yang baru dibuat.", "schema": {"type": "string"}}
}
WRITE = (400, 401, 403, 404, 409, 422)
TAGS = ["meetings_api"]  # the tag these operations had before the split
INVITATION_FILTERS = ("rsvp", "role", "site_id", "sent")

invitations_blp = ApiBlueprint(
    "meeting_invitations_api",
    __name__,
    url_prefix="/meetings",
    description="Undangan rapat: daftar, undang, kirim, kirim ulang, ubah, tarik.",
)

_actor = resolve.account  # the staff account acting (access.resolve)


def list_query(args: Mapping[str, Any], filters: tuple[str, ...] = ()) -> ListQuery:
    """The parsed list arguments (``ListArgsSchema``) as the services' ``ListQuery``."""
    return ListQuery(
        q=args["q"],
        sort=args["sort"],
        descending=args["order"] == "desc",
        page=args["page"],
        per_page=args["per_page"],
        filters={key: args[key] for key in filters if key in args},
    )


def job_headers(job: Job) -> dict[str, str]:
    """``Location`` of a 202's job, polled at ``GET /api/v1/jobs/<id>``."""
    return {"Location": url_for("jobs_api.JobItem", id=job.id)}


def _invitation(meeting_id: int, invitation_id: int) -> Invitation:
    """An invitation of this meeting; a withdrawn one is gone for the API."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.meeting_id != meeting_id or invitation.withdrawn_at:
        raise NotFound(_l("Data tidak ditemukan."))
    return permissions.visible(_actor(), invitation)


@invitations_blp.route("/<int:id>/invitations", tags=TAGS)
class Invitations(MethodView):
    @requires(Permission.MEETING_VIEW)
    @invitations_blp.doc(
        summary="Undangan rapat",
        description="Tanpa tautan pribadi peserta. Saring rsvp dan role (satu atau lebih), "
        "site_id (atau 'online'), sent; q mencari nama orang.",
    )
    @invitations_blp.arguments(s.InvitationListArgs, location="query")
    @invitations_blp.response(200, page_schema(s.InvitationSchema))
    @problems(invitations_blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[Invitation]:
        meeting = services.get_meeting(id, current_actor())
        return roster.list_invitations(meeting, list_query(args, INVITATION_FILTERS))

    @requires(Permission.MEETING_ARRANGE)
    @invitations_blp.doc(
        summary="Undang",
        description="rows: tiap orang dengan peran dan lokasinya sendiri (semua baris "
        "diperiksa dulu; galat bernama rows.N.kolom). Atau satu dari person_ids, "
        "organization_id atau forum_id; semuanya ke satu lokasi (site_id) atau daring "
        "(null). Yang sudah diundang tidak diubah. Hasil per orang dengan id undangan. "
        "Bila rapat sudah dijadwalkan, undangan langsung dikirim.",
    )
    @invitations_blp.arguments(s.InviteSchema)
    @invitations_blp.response(201, s.InviteResultSchema)
    @problems(invitations_blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> dict[str, Any]:
        meeting = services.get_meeting(id, current_actor())
        if "rows" in data:
            result = roster.invite_rows(_actor(), meeting, data["rows"])
        else:
            result = invitation_services.invite(_actor(), meeting, data)
        return {
            "created": len(result.created),
            "ids": [inv.id for inv in result.created],
            "already_invited": result.already_invited,
            "rows": [
                {"person_id": person_id, "id": inv_id, "status": status}
                for person_id, inv_id, status in result.rows
            ],
        }


@invitations_blp.route("/<int:id>/invitations/send", tags=TAGS)
class InvitationsSend(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @invitations_blp.doc(
        summary="Kirim undangan",
        description="Di latar: setiap undangan yang belum dikirim (atau yang disebut di "
        "invitation_ids dan belum dikirim). Menjawab 202 seketika dengan pekerjaan; "
        "Location menunjuk /api/v1/jobs/<id> untuk memantau kemajuan. Tidak ada yang "
        "menerima undangan dua kali, juga bila permintaan ini diulang.",
    )
    @invitations_blp.arguments(s.SendSchema(), required=False)
    @invitations_blp.response(202, JobSchema, headers=LOCATION_HEADER)
    @problems(invitations_blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> tuple[Job, dict[str, str]]:
        meeting = services.get_meeting(id, current_actor())
        job = sending.start_send(_actor(), meeting, data.get("invitation_ids"))
        return job, job_headers(job)


@invitations_blp.route("/<int:id>/invitations/<int:invitation_id>/send", tags=TAGS)
class InvitationSendAgain(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @invitations_blp.doc(
        summary="Kirim ulang undangan satu orang",
        description="Surel undangan (dengan berkas kalender) ke orang ini lagi, lewat "
        "kotak keluar. Paling banyak 3 kali per jam per undangan (429).",
    )
    @invitations_blp.response(202, s.InvitationSchema)
    @problems(invitations_blp, 400, 401, 403, 404, 409, 422, 429)
    def post(self, id: int, invitation_id: int) -> Invitation:
        return sending.send_again(_actor(), _invitation(id, invitation_id))


@invitations_blp.route("/<int:id>/invitations/<int:invitation_id>", tags=TAGS)
class InvitationItem(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @invitations_blp.doc(
        summary="Ubah undangan", description="Pindah lokasi: hanya orang ini diperbarui."
    )
    @invitations_blp.arguments(s.InvitationPatchSchema(partial=True))
    @invitations_blp.response(200, s.InvitationSchema)
    @problems(invitations_blp, *WRITE)
    def patch(self, data: dict[str, Any], id: int, invitation_id: int) -> Invitation:
        invitation = _invitation(id, invitation_id)
        return invitation_services.update_invitation(_actor(), invitation, data)

    @requires(Permission.MEETING_ARRANGE)
    @invitations_blp.doc(
        summary="Tarik undangan", description="Tautannya berhenti; kalender dibatalkan."
    )
    @invitations_blp.response(204)
    @problems(invitations_blp, 400, 401, 403, 404)
    def delete(self, id: int, invitation_id: int) -> None:
        invitation_services.withdraw_invitation(_actor(), _invitation(id, invitation_id))
