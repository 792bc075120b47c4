"""What the secretariat does by hand, as JSON: tick a name, register a walk-in, name a stand-in.

The API twins of the attendance page's manual check-in (``staff_views.manual_checkin``),
the kiosk's walk-in form (``selfservice.register_walk_in``, here without a kiosk code:
staff are the proof of place) and the personal page's stand-in form (here for staff,
who may do it for an invitee; the participant's twin is ``portal.api``). Each calls the
same service as its page, so the rules and the messages are the same.

A check-in is answered like a scan, 200 with a ``CheckinResult`` (checked in, already,
or refused with a reason), and a retry with the same ``nonce`` gets the first answer
back: ticking a name twice records one attendance.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import problems
from meetcoord.checkin import records, staff
from meetcoord.checkin import schemas as s
from meetcoord.core.errors import NotFound
from meetcoord.core.forms import current_actor
from meetcoord.documents.schemas import MultipartBlueprint
from meetcoord.meetings.invitations import nominate_stand_in, read_letter
from meetcoord.meetings.models import Invitation, Meeting
from meetcoord.meetings.schemas import InvitationSchema
from meetcoord.meetings.services import get_meeting

WRITE = (400, 401, 403, 404, 409, 422)

blp = MultipartBlueprint(
    "checkin_staff_api",
    __name__,
    url_prefix="/meetings",
    description="Registrasi oleh sekretariat: centang nama, walk-in, wakil (diwakili oleh).",
)


def _invitation(meeting: Meeting, invitation_id: int) -> Invitation:
    """An invitation of this meeting; another meeting's id is not found here."""
    found = next((inv for inv in meeting.invitations if inv.id == invitation_id), None)
    if found is None:
        raise NotFound(_l("Undangan tidak ditemukan."))
    return found


@blp.route("/<int:id>/invitations/<int:invitation_id>/checkin")
class ManualCheckin(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Catat hadir (manual)",
        description="Sama dengan tombol di halaman daftar hadir: hadir di `site_id` (null: "
        "daring). Jawaban 200 untuk hadir, sudah hadir dan ditolak (dengan `reason`); "
        "nonce yang sama → jawaban pertama.",
    )
    @blp.arguments(s.ManualCheckinSchema())
    @blp.response(200, s.CheckinResultSchema)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int, invitation_id: int) -> dict[str, Any]:
        meeting = get_meeting(id, current_actor())
        invitation = _invitation(meeting, invitation_id)
        result = staff.manual_checkin(
            resolve.account(), meeting, invitation.id, data["site_id"], data["nonce"]
        )
        return result.as_dict()


@blp.route("/<int:id>/attendance/<int:attendance_id>/checkout")
class StaffCheckout(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Catat keluar (manual)",
        description="Sama dengan tombol di halaman daftar hadir; yang sudah keluar tetap "
        "dengan waktu keluar pertamanya.",
    )
    @blp.response(200, s.AttendanceRowSchema)
    @problems(blp, 400, 401, 403, 404)
    def post(self, id: int, attendance_id: int) -> dict[str, Any]:
        meeting = get_meeting(id, current_actor())
        attendance = staff.staff_check_out(resolve.account(), meeting, attendance_id)
        row = records.row_of(meeting, attendance.id)
        return row.as_dict()


@blp.route("/<int:id>/walk-ins")
class WalkIns(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Daftarkan walk-in",
        description="Orang yang tidak diundang, hadir di `site_id`: orang baru di direktori, "
        "ditandai untuk diperiksa. Kolom dan aturan sama dengan formulir walk-in di kios, "
        "dalam jendela registrasi yang sama (di luarnya: 200 ditolak dengan `reason`).",
    )
    @blp.arguments(s.WalkInSchema())
    @blp.response(200, s.CheckinResultSchema)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> dict[str, Any]:
        meeting = get_meeting(id, current_actor())
        person = {key: value for key, value in data.items() if key not in ("site_id", "nonce")}
        result = staff.staff_walk_in(
            resolve.account(), meeting, data["site_id"], person, data["nonce"]
        )
        return result.as_dict()


@blp.route("/<int:id>/invitations/<int:invitation_id>/stand-in")
class StandIn(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Tunjuk wakil",
        description="Untuk undangan ini: nama dan jabatan wakil dengan surat tugas (PDF, PNG "
        "atau JPEG); yang baru menggantikan yang lama. Sama dengan formulir di halaman "
        "pribadi peserta (POST /i/{token}/stand-in).",
    )
    @blp.arguments(s.StandInSchema, location="multipart")
    @blp.response(200, InvitationSchema)
    @problems(blp, *WRITE, 413)
    def post(self, data: dict[str, Any], id: int, invitation_id: int) -> Invitation:
        meeting = get_meeting(id, current_actor())
        invitation = _invitation(meeting, invitation_id)
        letter = read_letter(data.get("letter"))
        return nominate_stand_in(invitation, data, letter, actor=resolve.account())


blueprints = [blp]
