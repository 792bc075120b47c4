"""The live room's pages: the chair's console, a site's projector, a participant's phone.

Each page only loads, checks access and renders; everything live arrives over Socket.IO
(``/live``, DESIGN §5) through ``static/js/live-client.js``. Who may open what:

- console: staff accounts (``/meetings/<id>/live``), or the chair and the minute-taker
  through their personal link (``/i/<token>/console``, served by ``portal.live_views``
  with :func:`render_console`);
- projector ``/projector/<site-code>``: staff, or that site's coordinator recognised by the
  personal link their browser holds (as for the kiosk);
- phone ``/i/<token>/live``: anyone invited, through their personal link (the portal's
  page, with the strings below).

The texts the scripts show come translated from here (``data-strings``), so the scripts
hold no words of their own.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from meetcoord.access import permissions
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.actions.labels import STATUS_LABELS
from meetcoord.actions.models import ActionStatus
from meetcoord.checkin import kiosk_views
from meetcoord.checkin.selfservice import site_by_code
from meetcoord.core.db import utcnow
from meetcoord.core.forms import current_actor
from meetcoord.core.timezones import zone_label
from meetcoord.directory.models import Organization
from meetcoord.extensions import db
from meetcoord.live import matrix_page
from meetcoord.live.log import NAMESPACE
from meetcoord.meetings import links
from meetcoord.meetings.labels import INVITEE_ROLE_LABELS
from meetcoord.meetings.models import (
    AgendaKind,
    Invitation,
    InviteeRole,
    Meeting,
    MeetingStatus,
)
from meetcoord.meetings.services import get_meeting
from meetcoord.questions.labels import question_strings

bp = Blueprint("live", __name__)

CONSOLE_ROLES = (InviteeRole.CHAIR, InviteeRole.MINUTE_TAKER)
ORGANIZATION_LIMIT = 2000


# --- what the scripts say -----------------------------------------------------------------


def common_strings() -> dict[str, str]:
    return {
        "connected": _("Terhubung"),
        "disconnected": _("Terputus — menyambung ulang…"),
        "connecting": _("Menyambung…"),
        "state_waiting": _("Belum dibuka"),
        "state_open": _("Berlangsung"),
        "state_paused": _("Diskors"),
        "state_closed": _("Ditutup"),
        "kind_consensus": _("Mufakat"),
        "kind_vote": _("Pemungutan suara"),
        "kind_noted": _("Dicatat"),
        "kind_deferred": _("Ditunda"),
        "for": _("Setuju"),
        "against": _("Tidak setuju"),
        "abstain": _("Abstain"),
        "total": _("Jumlah"),
        "online": _("Daring (online)"),
        "no_item": _("Belum ada mata acara yang berjalan."),
        "nobody_speaking": _("Belum ada yang berbicara."),
        "no_decisions": _("Belum ada kesepakatan."),
        "item_of": _("Mata acara %(n)s dari %(total)s"),
        "minutes": _("%(n)s menit"),
        "decision_n": _("Kesepakatan %(n)s"),
        "version": _("versi %(n)s"),
        "amended": _("diubah; versi sebelumnya tetap tersimpan"),
        "history": _("Riwayat perubahan"),
        "was": _("Versi %(n)s: %(text)s"),
        "overtime": _("lewat waktu"),
        "failed": _("Gagal: %(message)s"),
        "present": _("hadir"),
        "quorum_met": _("Kuorum tercapai"),
        "quorum_not": _("Kuorum belum tercapai"),
        "quorum_none": _("Tanpa aturan kuorum"),
        "withdrawn_by": _("Dicabut oleh %(name)s"),
    }


def console_strings() -> dict[str, str]:
    return {
        **common_strings(),
        "activate": _("Aktifkan"),
        "current": _("Sedang berjalan"),
        "up": _("Naikkan %(title)s"),
        "down": _("Turunkan %(title)s"),
        "give_floor": _("Beri kesempatan"),
        "withdraw": _("Batalkan"),
        "queue_empty": _("Antrean bicara kosong."),
        "raised_by": _("diajukan oleh %(name)s"),
        "amend": _("Ubah"),
        "add_action": _("Tindak lanjut"),
        "confirm_close": _(
            "Tutup rapat ini? Setelah ditutup, kesepakatan dan tindak lanjut hanya dapat "
            "dikoreksi atau dicabut sampai notulen final."
        ),
        "withdrawn": _("Dicabut"),
        "withdraw_record": _("Cabut"),
        "too_large": _("Terlalu besar untuk dikirim; persingkat teksnya."),
        "withdraw_decision_prompt": _(
            "Alasan mencabut Kesepakatan %(n)s? Alasannya tetap tercatat dalam log dan notulen."
        ),
        "withdraw_action_prompt": _(
            "Alasan mencabut tindak lanjut ini? Alasannya tetap tercatat dalam log dan notulen."
        ),
        "action_edit": _("Ubah tindak lanjut"),
        "save_changes": _("Simpan perubahan"),
        "saved": _("Tersimpan."),
        "recorded": _("Kesepakatan tercatat."),
        "action_saved": _("Tindak lanjut tercatat."),
        "notes_version": _("Catatan versi %(n)s"),
        "notes_changed": _("Catatan ini diubah orang lain; simpan untuk melihat pesannya."),
        "screens": _("%(n)s layar"),
        "coordinators": _("%(n)s koordinator"),
        "connections": _("%(n)s tersambung"),
        "last_heard": _("terakhir terdengar %(time)s"),
        "no_link": _("Tidak tersambung"),
        "action_due": _("batas %(date)s"),
        "pick_decision": _("Pilih kesepakatan"),
        **console_review_strings(),
    }


def status_strings() -> dict[str, str]:
    """An action's statuses as the tracker names them (the review lists, carry-over)."""
    return {f"status_{status.value}": str(STATUS_LABELS[status]) for status in ActionStatus}


def review_strings() -> dict[str, str]:
    """What ``live-review.js`` says, on the console and on a reviewing meeting's phones."""
    return {
        **status_strings(),
        "action_due": _("batas %(date)s"),
        "saved": _("Tersimpan."),
        "review_mark": _("Ubah status “%(title)s” menjadi %(status)s"),
        "review_before": _("sebelum rapat ini: %(status)s"),
        "review_all": _("Semua tindak lanjut yang ditinjau (%(n)s)"),
    }


def console_review_strings() -> dict[str, str]:
    return {
        **review_strings(),
        "review_note": _("Catatan singkat (opsional)"),
        "review_save_note": _("Simpan catatan"),
        "review_drop_prompt": _(
            "Alasan menghentikan tindak lanjut ini? Alasannya tercatat dalam riwayat dan notulen."
        ),
    }


def has_review(meeting: Meeting) -> bool:
    """Whether the meeting reviews earlier actions: it has a "Tinjauan tindak lanjut" item."""
    return any(item.kind is AgendaKind.ACTION_REVIEW for item in meeting.agenda)


def screen_strings() -> dict[str, str]:
    return {
        **common_strings(),
        **status_strings(),
        "speaking": _("Sedang berbicara"),
        "withdrawn": _("Dicabut"),
        **question_strings(),  # the question the chair picked (issue 15)
    }


def phone_strings() -> dict[str, str]:
    return {
        **common_strings(),
        "queue_position": _("Anda nomor %(n)s dalam antrean bicara."),
        "you_speak": _("Anda sedang berbicara."),
        "requested": _("Permintaan bicara terkirim."),
        "raised": _("Permintaan bicara untuk %(name)s terkirim."),
        "done": _("selesai"),
    }


def tally_strings() -> dict[str, str]:
    """Only a site coordinator's phone records votes: the others do without these."""
    return {
        "tally_title": _("Suara di %(site)s"),
        "tally_save": _("Simpan suara"),
        "tally_saved": _("Suara tercatat."),
    }


# --- access -------------------------------------------------------------------------------


def live_meeting(meeting: Meeting) -> Meeting:
    """A cancelled meeting has no live room (the socket refuses it too)."""
    if meeting.status is MeetingStatus.CANCELLED:
        abort(404)
    return meeting


def _sites(meeting: Meeting) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "id": site.id,
            "code": site.code,
            "name": site.venue.name,
            "zone": site.venue.timezone,
            "zone_label": zone_label(site.venue.timezone, now),
        }
        for site in meeting.sites
    ]


# --- the console --------------------------------------------------------------------------


def render_console(meeting: Meeting, invitation: Invitation | None) -> str:
    """The console for staff (``invitation`` None) or a chair or minute-taker's link."""
    role = "staff" if invitation is None else invitation.role.value
    can_run = invitation is None or invitation.role is InviteeRole.CHAIR
    auth: dict[str, Any] = {"meeting": meeting.id}
    if invitation is not None:
        auth["token"] = links.personal_token(invitation)
    organizations = db.session.scalars(
        select(Organization).order_by(Organization.name).limit(ORGANIZATION_LIMIT)
    ).all()
    people = sorted(
        {inv.person for inv in meeting.invitations if inv.withdrawn_at is None},
        key=lambda p: p.name,
    )
    matrix = matrix_page.has_matrix(meeting)
    strings = console_strings()
    if matrix:
        strings.update(matrix_page.matrix_strings())
    return render_template(
        "live/console.html",
        meeting=meeting,
        invitation=invitation,
        role=role,
        role_label=INVITEE_ROLE_LABELS[invitation.role] if invitation else _("Sekretariat"),
        can_run=can_run,
        sites=_sites(meeting),
        organizations=organizations,
        people=people,
        auth=auth,
        namespace=NAMESPACE,
        # Attendance and quorum arrive as ``counts`` on /live, sent to the staff room.
        strings=strings,
        matrix=matrix,
        outcomes=matrix_page.outcome_choices() if matrix else [],
        forums=matrix_page.forum_choices() if matrix else [],
    )


@bp.get("/meetings/<int:meeting_id>/live")
@requires(Permission.MEETING_ARRANGE)
def console(meeting_id: int) -> Any:
    """The secretariat's console: staff who run this meeting (a viewer is refused)."""
    meeting = live_meeting(get_meeting(meeting_id, current_actor()))
    permissions.require(current_actor(), Permission.LIVE_RUN, meeting)
    return render_console(meeting, None)


# --- a site's projector -------------------------------------------------------------------


@bp.get("/projector/<site_code>")
@requires(Permission.CHECKIN_OPERATE)
def projector(site_code: str) -> Any:
    site = site_by_code(site_code)
    if site is None:
        abort(404)
    meeting = live_meeting(site.meeting)
    if not kiosk_views.may_show(site):
        if current_user.is_authenticated:
            abort(403)
        return redirect(url_for("accounts.login", next=request.path))
    zone = site.venue.timezone
    matrix = matrix_page.has_matrix(meeting)
    strings = screen_strings()
    if matrix:
        strings.update(matrix_page.matrix_strings())
    return render_template(
        "live/projector.html",
        meeting=meeting,
        site=site,
        zone=zone,
        zone_label=zone_label(zone, utcnow()),
        sites=_sites(meeting),
        auth={"meeting": meeting.id, "site": site.id},
        namespace=NAMESPACE,
        strings=strings,
        matrix=matrix,
    )
