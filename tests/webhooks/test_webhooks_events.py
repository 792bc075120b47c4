"""Each feature's change writes its event, with ids and essential fields and no personal
link or credential; and the package sits below the features that call it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from meetcoord.actions import services as actions
from meetcoord.checkin.staff import manual_checkin
from meetcoord.extensions import db
from meetcoord.meetings import invitations
from meetcoord.meetings import services as meetings
from meetcoord.meetings.links import personal_token
from meetcoord.webhooks.models import EVENTS, WebhookDelivery
from tests import factories
from tests.actions.support import action as make_action
from tests.importgraph import graph_from_package
from tests.webhooks.support import register

URL = "http://127.0.0.1:9/hook"  # never posted to in these tests


def events() -> list[tuple[str, dict]]:
    rows = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
    return [(row.event_type, row.payload) for row in rows]


def test_the_meeting_lifecycle_rsvp_and_check_in_are_announced():
    register(URL, list(EVENTS))
    meeting = factories.meeting()
    guest = factories.invitation(meeting)
    assert events() == []  # a draft is nobody's business yet
    meetings.update_meeting(meeting.created_by, meeting, {"title": "Rakor Pangan (draf)"})
    assert events() == []

    factories.schedule(meeting)
    meetings.update_meeting(meeting.created_by, meeting, {"title": "Rakor Pangan Daerah"})
    invitations.respond(guest, {"rsvp": "accepted"})
    manual_checkin(meeting.created_by, meeting, guest.id, guest.site_id, "n-1")
    meetings.cancel_meeting(meeting.created_by, meeting)

    found = events()
    assert [kind for kind, _ in found] == [
        "meeting.scheduled",
        "meeting.changed",
        "invitation.rsvp",
        "attendance.checked_in",
        "meeting.cancelled",
    ]
    scheduled, changed, rsvp, checked_in, cancelled = (payload for _, payload in found)
    assert scheduled["meeting"]["id"] == meeting.id
    assert scheduled["meeting"]["status"] == "scheduled"
    assert changed["changed"] == ["title"]
    assert changed["meeting"]["title"] == "Rakor Pangan Daerah"
    assert rsvp["invitation"] == {
        "id": guest.id,
        "meeting_id": meeting.id,
        "person_id": guest.person_id,
        "site_id": guest.site_id,
        "rsvp": "accepted",
        "rsvp_at": guest.rsvp_at.isoformat(),
    }
    assert checked_in["attendance"]["person_id"] == guest.person_id
    assert checked_in["attendance"]["method"] == "manual"
    assert cancelled["meeting"]["status"] == "cancelled"
    text = str(found)
    assert personal_token(guest) not in text
    assert guest.person.email not in text
    assert all(payload["institution_id"] == meeting.institution_id for _, payload in found)


def test_an_action_status_step_is_announced_but_progress_alone_is_not():
    register(URL, ["action.status_changed"])
    found = make_action()
    admin = factories.user("admin")
    actions.add_update(admin, found, {"note": "Data desa dikumpulkan", "percentage": 40})
    assert events() == []
    actions.change_status(admin, found, {"status": "in_progress"})
    [(kind, payload)] = events()
    assert kind == "action.status_changed"
    assert payload["status_before"] == "open"
    assert payload["action"]["status"] == "in_progress"
    assert payload["action"]["id"] == found.id


ALLOWED_BELOW = ("meetcoord.webhooks", "meetcoord.access", "meetcoord.core", "meetcoord.api")
LOW = ("meetcoord.extensions", "meetcoord.config")


def test_webhooks_import_nothing_above_access():
    """Features import webhooks (to emit), so webhooks may import none of them."""
    graph = graph_from_package(Path(__file__).resolve().parents[2] / "meetcoord")
    upward = graph.imports_from_into(
        lambda source: source.startswith("meetcoord.webhooks"),
        lambda target: (
            not (
                target in LOW
                or any(target == p or target.startswith(p + ".") for p in ALLOWED_BELOW)
            )
        ),
    )
    assert not upward, "\n".join(str(edge) for edge in upward)
