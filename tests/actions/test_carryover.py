"""Carry-over (issue 13, point 4): the next meeting of a series or forum reviews the open
actions of the earlier ones, live, and its minutes print the review.

The next meeting gets the two standing items once; its review lists every open action of
the earlier meetings of its series or forum and institution (not verified, dropped or
withdrawn ones, not another institution's); a status change made in it through the live
room's ``action.review`` command (a repeated nonce answering the same ack) is in the
tracker's query and in the meeting's minutes at once; an agency may not touch another
agency's action, and an invalid step is refused with a clear message — nothing changed.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pypdf

from meetcoord.actions import carryover
from meetcoord.actions.models import Action, ActionStatus, ActionUpdate
from meetcoord.actions.queries import TrackerQuery, list_actions
from meetcoord.core.db import utcnow
from meetcoord.documents.pdf.compose import compose_minutes
from meetcoord.documents.pdf.render import render_minutes_pdf
from meetcoord.documents.sources import minutes_data
from meetcoord.extensions import db
from meetcoord.live.models import MeetingEvent
from meetcoord.meetings import agenda
from meetcoord.meetings import series as series_service
from meetcoord.meetings import services as meeting_services
from meetcoord.meetings.models import AgendaKind, Meeting
from tests import factories
from tests.actions.support import action
from tests.live_support import (
    LiveRakor,
    assert_unchanged,
    carried_action,
    command,
    connect,
    events,
    fingerprint,
    nonce,
)

STANDING = [AgendaKind.PREVIOUS_MINUTES, AgendaKind.ACTION_REVIEW]


def kinds(meeting: Meeting) -> list[AgendaKind]:
    db.session.expire_all()
    return [item.kind for item in db.session.get(Meeting, meeting.id).agenda]


def earlier(days: int, **fields: Any) -> Meeting:
    return factories.meeting(
        **fields, **factories.meeting_times("Asia/Makassar", starts_in=-timedelta(days=days))
    )


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def minutes_text(meeting: Meeting) -> str:
    db.session.expire_all()
    found = db.session.get(Meeting, meeting.id)
    doc = compose_minutes(minutes_data(found))
    return pdf_text(render_minutes_pdf(doc, verify_url="https://rapat.example.go.id/v/x"))


# --- the standing items -------------------------------------------------------------------


def test_the_later_meetings_of_a_series_open_with_the_standing_items_once(app: Any) -> None:
    staff = factories.user("secretariat")
    first = factories.meeting(by=staff)
    agenda.add_agenda_item(
        staff, first, {"title": "Paparan", "kind": "presentation", "planned_minutes": 20}
    )
    made = series_service.create_series(staff, first, "FREQ=MONTHLY;COUNT=3")

    db.session.expire_all()
    first, second, third = db.session.get(type(made), made.id).meetings
    assert kinds(first) == [AgendaKind.PRESENTATION]  # it follows no meeting
    assert kinds(second) == [*STANDING, AgendaKind.PRESENTATION]
    assert kinds(third) == [*STANDING, AgendaKind.PRESENTATION]
    assert [i.title for i in second.agenda[:2]] == [
        "Persetujuan notulen rapat sebelumnya",
        "Tinjauan tindak lanjut",
    ]

    factories.invitation(second)
    meeting_services.schedule_meeting(staff, second)  # scheduling adds nothing twice
    assert kinds(second) == [*STANDING, AgendaKind.PRESENTATION]


def test_a_forum_s_next_meeting_gets_them_and_a_first_or_unlinked_one_does_not(app: Any) -> None:
    forum = factories.forum()
    assert kinds(earlier(30, forum_id=forum.id)) == []  # the forum's first
    assert kinds(factories.meeting(forum_id=forum.id)) == STANDING
    assert kinds(factories.meeting()) == []  # no series, no forum


# --- the review list ----------------------------------------------------------------------


def test_the_review_lists_every_open_action_of_earlier_meetings_and_nothing_else(
    app: Any,
) -> None:
    forum = factories.forum()
    older, last = earlier(120, forum_id=forum.id), earlier(60, forum_id=forum.id)
    kept = [
        action(older, title="Terbuka"),
        action(last, title="Dikerjakan", status=ActionStatus.IN_PROGRESS),
        action(last, title="Selesai belum diverifikasi", status=ActionStatus.DONE),
    ]
    action(older, title="Terverifikasi", status=ActionStatus.VERIFIED)
    action(older, title="Dihentikan", status=ActionStatus.DROPPED)
    action(older, title="Dicabut", withdrawn_at=utcnow(), withdrawn_reason="ganda")
    # Another institution's meeting in the same forum keeps its actions to itself.
    other = earlier(90, forum_id=forum.id)
    other.institution_id = factories.institution().id
    action(other, title="Milik institusi lain")
    action(factories.meeting(), title="Rapat tanpa forum")
    nxt = factories.meeting(forum_id=forum.id)
    action(nxt, title="Tindak lanjut rapat ini sendiri")
    db.session.commit()

    reviewed = carryover.review_actions(nxt)
    assert [a.title for a in reviewed] == [a.title for a in kept]
    # The first meeting of the forum reviews nothing.
    assert carryover.review_actions(older) == []


def test_a_series_occurrence_reviews_the_earlier_occurrences(app: Any) -> None:
    staff = factories.user("secretariat")
    first = factories.meeting(by=staff)
    made = series_service.create_series(staff, first, "FREQ=WEEKLY;COUNT=2")
    open_one = action(first, title="Data desa binaan")
    db.session.commit()
    db.session.expire_all()
    second = db.session.get(type(made), made.id).meetings[1]
    assert [a.id for a in carryover.review_actions(second)] == [open_one.id]


# --- live, through the event log ----------------------------------------------------------


def opened(app: Any, **fields: Any) -> tuple[LiveRakor, Action, Any]:
    rakor = LiveRakor()
    carried = carried_action(rakor, **fields)
    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    return rakor, carried, chair


def test_a_status_change_in_the_meeting_reaches_the_tracker_and_the_minutes(app: Any) -> None:
    rakor, carried, chair = opened(app)
    phone = connect(app, rakor.participant, last_seq=0)
    events(phone)
    same = nonce()

    ack = command(
        chair,
        "action.review",
        action_id=carried.id,
        status="in_progress",
        note="Data 12 desa sudah masuk",
        nonce=same,
    )
    assert ack["ok"], ack
    again = command(chair, "action.review", action_id=carried.id, status="done", nonce=same)
    assert again == ack  # the replay answers the first ack and changes nothing

    db.session.expire_all()
    updates = db.session.query(ActionUpdate).filter_by(action_id=carried.id).all()
    assert [(u.status_before, u.status_after, u.meeting_id) for u in updates] == [
        ("open", "in_progress", rakor.meeting.id)
    ]
    logged = db.session.query(MeetingEvent).filter_by(meeting_id=rakor.meeting.id).all()
    assert logged[-1].type == "action.reviewed"
    assert logged[-1].seq == ack["seq"]
    [seen] = [e for e in events(phone) if e["type"] == "action.reviewed"]
    assert seen["data"]["action"]["status"] == "in_progress"

    # The tracker reads the same rows: the change is there at once.
    page = list_actions(rakor.staff, TrackerQuery(meeting_id=carried.meeting_id))
    assert [(a.id, a.status) for a in page.items] == [(carried.id, ActionStatus.IN_PROGRESS)]

    # The agency's own person, from the phone, takes it on to done.
    ack = command(phone, "action.review", action_id=carried.id, status="done", note="Rampung")
    assert ack["ok"], ack

    text = minutes_text(rakor.meeting)
    assert "Tinjauan tindak lanjut rapat sebelumnya" in text
    assert "Menyusun data cadangan pangan desa" in text
    assert "Belum dimulai → Selesai" in text
    assert "Data 12 desa sudah masuk; Rampung" in text
    # Finished, it stays in this meeting's review (and minutes), not in the next one's.
    assert [a.id for a in carryover.review_actions(rakor.meeting)] == [carried.id]


def test_an_agency_may_not_change_another_agency_s_action(app: Any) -> None:
    rakor, carried, _chair = opened(app, organization_id=factories.organization().id)
    phone = connect(app, rakor.participant)
    before = fingerprint(rakor.meeting.id)

    ack = command(phone, "action.review", action_id=carried.id, status="done")

    assert ack["ok"] is False
    assert ack["error"]["code"] == "forbidden"
    assert "instansi Anda sendiri" in ack["error"]["message"]
    assert_unchanged(rakor.meeting.id, before)
    db.session.expire_all()
    assert db.session.get(Action, carried.id).status is ActionStatus.OPEN
    assert db.session.query(ActionUpdate).filter_by(action_id=carried.id).count() == 0


def test_an_invalid_step_is_refused_with_a_clear_message_and_nothing_changes(app: Any) -> None:
    rakor, carried, chair = opened(app)
    phone = connect(app, rakor.participant)
    mine = action(rakor.meeting, title="Tindak lanjut baru")
    db.session.commit()
    before = fingerprint(rakor.meeting.id)

    jump = command(chair, "action.review", action_id=carried.id, status="verified")
    assert jump["ok"] is False
    assert jump["error"]["code"] == "validation_error"
    assert "Belum dimulai menjadi Terverifikasi" in jump["error"]["message"]
    # The agency cannot verify its own work, nor drop it.
    own = command(phone, "action.review", action_id=carried.id, status="dropped", reason="x")
    assert own["ok"] is False
    assert "sekretariat" in own["error"]["message"]
    unknown = command(chair, "action.review", action_id=carried.id, status="selesai")
    assert unknown["ok"] is False
    assert unknown["error"]["fields"]["status"]
    # An action of this meeting itself is not under review.
    outside = command(chair, "action.review", action_id=mine.id, status="in_progress")
    assert outside["ok"] is False
    assert outside["error"]["fields"]["action_id"]

    assert_unchanged(rakor.meeting.id, before)
    db.session.expire_all()
    assert db.session.get(Action, carried.id).status is ActionStatus.OPEN
    assert db.session.query(ActionUpdate).count() == 0
