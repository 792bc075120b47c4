"""``POST /api/v1/meetings/{id}/invitations/{invitation_id}/resend-link`` (issue 11).

The API twin of the meeting page's "Kirim ulang tautan": the invitee's own personal link
is mailed to their own address through the outbox; the answer says where it went, never
what it is (no API answer carries a personal link). The rules are ``meetings.resend``'s.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, problems
from meetcoord.core.errors import NotFound
from meetcoord.core.forms import current_actor
from meetcoord.meetings import resend, services

links_blp = ApiBlueprint(
    "invitation_links_api",
    __name__,
    url_prefix="/meetings",
    description="Tautan pribadi: dikirim ulang ke surel peserta, tidak pernah ditampilkan.",
)


class LinkSentSchema(ApiSchema):
    sent_to = fields.String(metadata={"description": "Alamat surel peserta yang dikirimi."})


@links_blp.route("/<int:id>/invitations/<int:invitation_id>/resend-link")
class ResendLink(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @links_blp.doc(
        summary="Kirim ulang tautan pribadi",
        description="Tautan pribadi peserta dikirim ke alamat surelnya sendiri lewat kotak "
        "keluar dan dicatat di jejak audit; tautannya tidak pernah ada dalam jawaban API. "
        "Tanpa alamat surel → 422; rapat draf → 409; paling banyak 3 kali sejam per undangan "
        "→ 429.",
    )
    @links_blp.response(202, LinkSentSchema)
    @problems(links_blp, 401, 403, 404, 409, 422, 429)
    def post(self, id: int, invitation_id: int) -> dict[str, str]:
        meeting = services.get_meeting(id, current_actor())
        invitation = next((i for i in meeting.invitations if i.id == invitation_id), None)
        if invitation is None:
            raise NotFound(_l("Data tidak ditemukan."))
        address = resend.resend_link(resolve.account(), invitation)
        return {"sent_to": address}
