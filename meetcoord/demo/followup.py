"""What happened after last week's demo meeting: the follow-up actions move (issue 13).

Without this, ``make run`` shows a tracker of seven open actions and empty dashboards. The
agencies report through their personal links (``actions.agency.update``, the same door
the agency view posts to: progress, a percentage, a milestone, evidence) and the
secretariat verifies one and drops another with a reason (``actions.services``), so the
history, the overdue marks, the home dashboard and the forum dashboard all have something
real to show. Today's demo meeting is the forum's next one: it gets its standing items
(approve last week's minutes, review the follow-up actions) so the chair can try the
carry-over in the live room. And Forum BangKIT's public page is opened.

Idempotent: an action's story is told only while it has no history at all, the standing
items are added only where missing, and a page already published (or closed by a user
since) is left as it is.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from meetcoord.access.actors import Actor
from meetcoord.accounts.models import User
from meetcoord.actions import agency, services
from meetcoord.actions.models import Action, ActionUpdate
from meetcoord.core import audit
from meetcoord.directory.models import Forum
from meetcoord.extensions import db
from meetcoord.meetings import standing
from meetcoord.meetings.models import Meeting
from meetcoord.public import services as public
from meetcoord.public.models import Publication, SubjectType

__all__ = ["STORIES", "carry_over", "move_actions", "public_page", "publish_forum"]

FORUM = "Forum BangKIT"
# A small PDF, checked by content like any upload: the agency's proof of handing over data.
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n"
    b"% Berita acara serah terima data sasaran balita Desa Karuni\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EVIDENCE_NAME = "berita-acara-serah-terima-data-karuni.pdf"

# Each action's story, by the start of its title: (who, update) in order. "agency" is the
# responsible person through their personal link; "secretariat" is the demo staff account.
STORIES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "Memberikan makanan tambahan": [
        (
            "agency",
            {
                "status": "in_progress",
                "percentage": 40,
                "milestone": "Distribusi PMT tahap 1",
                "note": "PMT tahap 1 dibagikan kepada 23 balita gizi kurang dan 9 ibu hamil KEK "
                "di Desa Karuni melalui posyandu.",
            },
        ),
    ],
    "Membangun kebun gizi": [
        (
            "agency",
            {
                "status": "in_progress",
                "percentage": 15,
                "note": "Lahan 4 kebun gizi disiapkan bersama KWT Waimangura; bibit kelor dan "
                "kacang hijau dipesan.",
            },
        ),
    ],
    # "Mendampingi musyawarah desa ...": no report yet — open and overdue.
    "Menghimpun usulan kegiatan": [
        (
            "agency",
            {
                "status": "in_progress",
                "percentage": 60,
                "note": "Usulan 11 dari 18 OPD sudah masuk; tujuh OPD belum mengirim.",
            },
        ),
    ],
    "Menyerahkan data sasaran balita": [
        (
            "agency",
            {
                "status": "done",
                "note": "Data 112 balita sasaran Desa Karuni diserahkan ke Dinas Kesehatan, "
                "berita acara terlampir.",
                "_evidence": True,
            },
        ),
    ],
    "Mengirim bahan paparan": [
        ("agency", {"status": "done", "note": "Bahan paparan dikirim lewat surel sekretariat."}),
        ("secretariat", {"status": "verified", "note": "Diterima dan diunggah ke folder forum."}),
    ],
    "Menggelar lomba balita sehat": [
        (
            "secretariat",
            {
                "status": "dropped",
                "reason": "Digabung dengan Bulan Penimbangan Balita yang diselenggarakan "
                "Dinas Kesehatan pada Februari 2027.",
            },
        ),
    ],
}


def _story_of(action: Action) -> list[tuple[str, dict[str, Any]]]:
    return next((s for start, s in STORIES.items() if action.title.startswith(start)), [])


def _agency_actor(meeting: Meeting, action: Action) -> Actor | None:
    """The responsible person's personal link, as the agency view resolves it."""
    invitation = next(
        (i for i in meeting.invitations if action.person_id and i.person_id == action.person_id),
        None,
    )
    if invitation is None:
        return None
    return Actor(invitation=invitation, agency_id=invitation.person.organization_id)


def move_actions(staff: User, meeting: Meeting) -> int:
    """Tell each of ``meeting``'s actions' story once; returns how many updates were made."""
    made = 0
    actions = db.session.scalars(
        select(Action).where(Action.meeting_id == meeting.id).order_by(Action.id)
    ).all()
    for action in actions:
        story = _story_of(action)
        told = db.session.scalar(
            select(func.count(ActionUpdate.id)).where(ActionUpdate.action_id == action.id)
        )
        if not story or told:
            continue
        for who, update in story:
            data = {k: v for k, v in update.items() if not k.startswith("_")}
            files = (
                [services.Upload(EVIDENCE_NAME, EVIDENCE_PDF)] if update.get("_evidence") else []
            )
            actor = _agency_actor(meeting, action) if who == "agency" else None
            if actor is not None:
                agency.update(actor, action, data, files)
            else:
                services.add_update(staff, action, data, files)
            made += 1
    return made


def carry_over(staff: User, meeting: Meeting | None) -> int:
    """Give the forum's next meeting its standing items (what scheduling it would have
    done had last week's meeting existed then); returns how many were added."""
    if meeting is None:
        return 0
    added = standing.ensure_standing_items(meeting)
    if added:
        audit.record(
            staff,
            "update",
            meeting,
            f"meeting: {meeting.title}",
            {"standing_items": ", ".join(item.title for item in added)},
        )
        db.session.commit()
    return len(added)


def publish_forum(staff: User, forum: Forum) -> bool:
    """Open the forum's public page unless it was ever opened (a user may have closed it)."""
    if public.publication_of(SubjectType.FORUM, forum.id) is not None:
        return False
    public.enable(staff, SubjectType.FORUM, forum)
    return True


def public_page() -> Publication | None:
    """Forum BangKIT's public page while it is on, for ``meetcoord demo logins``."""
    forum = db.session.scalar(select(Forum).where(Forum.short_name == FORUM))
    found = public.publication_of(SubjectType.FORUM, forum.id) if forum is not None else None
    return found if found is not None and found.is_enabled else None
