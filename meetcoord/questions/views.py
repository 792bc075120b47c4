"""The questions page (issue 15): asking and supporting from a phone, moderating.

One template for three readers: a participant through their personal link (ask, support;
``portal.questions`` serves it), the chair through theirs (that, and moderate), and the
secretariat's account (``/meetings/<id>/questions``: moderate). The page follows ``/live``
like the phone view and loads what the room's events leave out from ``list_url``: the
staff API's moderator list, or the personal link's list (its holder's own questions, or
all of them for the chair). The words the script shows come from here.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _

from meetcoord.access import permissions
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.forms import current_actor
from meetcoord.live.log import NAMESPACE
from meetcoord.live.views import common_strings, live_meeting
from meetcoord.meetings.models import Invitation, Meeting
from meetcoord.meetings.services import get_meeting
from meetcoord.questions.labels import question_strings

bp = Blueprint("questions", __name__)


def room_strings() -> dict[str, str]:
    return {
        **common_strings(),
        **question_strings(),
        "too_large": _("Terlalu besar untuk dikirim; persingkat teksnya."),
        "qa_on_item": _("mata acara: %(title)s"),
        "qa_answer": _("Jawaban: %(note)s"),
        "qa_status_pending": _("menunggu moderasi"),
        "qa_status_approved": _("disetujui"),
        "qa_status_picked": _("sedang dijawab"),
        "qa_status_answered": _("terjawab"),
        "qa_vote": _("Dukung"),
        "qa_unvote": _("Batalkan dukungan"),
        "qa_approve": _("Setujui"),
        "qa_pick": _("Pilih untuk dijawab"),
        "qa_answered": _("Tandai terjawab"),
        "qa_hide": _("Sembunyikan"),
        "qa_merge": _("Gabungkan"),
        "qa_merge_into": _("Gabungkan ke pertanyaan"),
        "qa_answer_prompt": _("Catatan jawaban singkat (opsional):"),
        "qa_sent": _("Pertanyaan terkirim; tampil setelah disetujui moderator."),
        "qa_queued": _(
            "Tidak ada koneksi: pertanyaan Anda disimpan di perangkat ini dan dikirim begitu"
            " tersambung."
        ),
        "qa_none": _("Belum ada pertanyaan."),
        "qa_none_pending": _("Tidak ada pertanyaan yang menunggu."),
    }


def render_room(
    meeting: Meeting,
    invitation: Invitation | None,
    *,
    auth: dict[str, Any],
    list_url: str,
    moderate: bool,
    back: str | None,
) -> str:
    return render_template(
        "questions/room.html",
        meeting=meeting,
        invitation=invitation,
        auth=auth,
        namespace=NAMESPACE,
        list_url=list_url,
        can_ask=invitation is not None,
        moderate=moderate,
        back=back,
        strings=room_strings(),
    )


@bp.get("/meetings/<int:meeting_id>/questions")
@requires(Permission.MEETING_ARRANGE)
def moderate(meeting_id: int) -> Any:
    """The secretariat moderates the meeting's questions (as those who run its room)."""
    meeting = live_meeting(get_meeting(meeting_id, current_actor()))
    permissions.require(current_actor(), Permission.LIVE_RUN, meeting)
    return render_room(
        meeting,
        None,
        auth={"meeting": meeting.id},
        list_url=url_for("questions_api.Questions", id=meeting.id),
        moderate=True,
        back=url_for("live.console", meeting_id=meeting.id),
    )
