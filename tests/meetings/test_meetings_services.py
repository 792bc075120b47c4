"""Meetings across linked sites: times, sites, agenda, invitees, mail, series, conflicts."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.core.outbox import OutboxMessage
from meetcoord.extensions import db
from meetcoord.meetings import agenda, conflicts, invitations, links, series, services
from meetcoord.meetings.models import InviteeRole, Meeting, MeetingStatus
from tests import factories


def calendar_of(row: OutboxMessage) -> Calendar:
    """The text/calendar part of a queued message, parsed."""
    message = email.message_from_bytes(row.message, policy=email.policy.default)
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return Calendar.from_ical(part.get_payload(decode=True))


def outbox(**where) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(OutboxMessage, key) == value)
    return list(db.session.scalars(stmt))


@pytest.fixture
def editor():
    return factories.user("secretariat")


@pytest.fixture
def venues():
    return {
        "WIB": factories.venue(name="Ruang Rapat Bappenas", timezone="Asia/Jakarta", capacity=2),
        "WITA": factories.venue(name="Aula Bappeda SBD", timezone="Asia/Makassar"),
        "WIT": factories.venue(name="Kantor Gubernur Maluku", timezone="Asia/Jayapura"),
    }


@pytest.fixture
def meeting(editor, venues):
    return factories.meeting(
        by=editor,
        title="Rakor Forum BangKIT",
        kind="koordinasi",
        venue=venues["WITA"],
        sites=[venues["WIB"], venues["WIT"]],
        start_at="2024-03-15T09:00",
        end_at="2024-03-15T12:00",
    )


def site_of(meeting: Meeting, label: str):
    return next(s for s in meeting.sites if s.venue.zone_label == label)


def test_wall_clock_is_read_in_the_host_venues_zone(meeting):
    assert meeting.start_at == datetime(2024, 3, 15, 1, 0, tzinfo=UTC)  # 09.00 WITA
    assert meeting.status is MeetingStatus.DRAFT
    assert [s.venue.zone_label for s in meeting.sites] == ["WITA", "WIB", "WIT"]


def test_explicit_offset_wins_over_the_venue_zone(editor, venues):
    m = services.create_meeting(
        editor,
        {
            "title": "Webinar",
            "kind": "knowledge_sharing",
            "host_venue_id": venues["WIB"].id,
            "start_at": "2020-09-24T09:00+07:00",
            "end_at": "2020-09-24T11:00+07:00",
        },
    )
    assert m.start_at == datetime(2020, 9, 24, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_at": "2024-03-15T08:00"}, "end_at"),
        ({"host_venue_id": 99999}, "host_venue_id"),
        ({"online_url": "zoom meeting 123"}, "online_url"),
        ({"kind": "pesta"}, "kind"),
        ({"start_at": "kemarin"}, "start_at"),
    ],
)
def test_bad_meeting_input_changes_nothing(editor, venues, change, field):
    data = {
        "title": "Rakor",
        "kind": "coordination",
        "host_venue_id": venues["WITA"].id,
        "start_at": "2024-03-15T09:00",
        "end_at": "2024-03-15T12:00",
        **change,
    }
    with pytest.raises(ValidationError) as caught:
        services.create_meeting(editor, data)
    assert field in caught.value.errors
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0


def test_viewer_cannot_schedule(venues):
    with pytest.raises(PermissionDenied):
        services.create_meeting(factories.user("viewer"), {"title": "x"})


def test_a_site_is_added_once_and_kept_while_people_are_invited_there(editor, meeting, venues):
    with pytest.raises(Conflict):
        services.add_site(editor, meeting, {"venue_id": venues["WIB"].id})
    wib = site_of(meeting, "WIB")
    invitations.invite(editor, meeting, {"person_ids": [factories.person().id], "site_id": wib.id})
    with pytest.raises(Conflict, match="1 undangan"):
        services.remove_site(editor, wib)
    with pytest.raises(Conflict):
        services.remove_site(editor, site_of(meeting, "WITA"))  # the host's own site


def test_agenda_reorder_and_planned_times(editor, meeting):
    a = agenda.add_agenda_item(
        editor, meeting, {"title": "Pembukaan", "planned_minutes": 15, "kind": "presentation"}
    )
    b = agenda.add_agenda_item(
        editor, meeting, {"title": "Sinkronisasi RKP", "planned_minutes": 90, "kind": "diskusi"}
    )
    c = agenda.add_agenda_item(
        editor, meeting, {"title": "Penandatanganan", "planned_minutes": 20, "kind": "signing"}
    )
    agenda.move_agenda_item(editor, c, -1)
    assert [i.title for i in meeting.agenda] == ["Pembukaan", "Penandatanganan", "Sinkronisasi RKP"]
    agenda.reorder_agenda(editor, meeting, [b.id, a.id, c.id])
    slots = agenda.agenda_schedule(meeting)
    assert [s.item.title for s in slots] == ["Sinkronisasi RKP", "Pembukaan", "Penandatanganan"]
    assert slots[-1].end_at == meeting.start_at + timedelta(minutes=125)
    with pytest.raises(ValidationError):
        agenda.reorder_agenda(editor, meeting, [a.id, b.id])
    with pytest.raises(ValidationError):
        agenda.add_agenda_item(
            editor, meeting, {"title": "x", "planned_minutes": 0, "kind": "discussion"}
        )


def test_invite_forum_and_organization_without_duplicates_and_count_per_site(editor, meeting):
    org = factories.organization()
    forum = factories.forum(members=3)
    shared = forum.members[0].person
    shared.organization = org
    factories.person(organization=org)
    wib = site_of(meeting, "WIB")
    first = invitations.invite(editor, meeting, {"forum_id": forum.id, "site_id": wib.id})
    again = invitations.invite(editor, meeting, {"organization_id": org.id, "role": "observer"})
    assert (len(first.created), first.already_invited) == (3, 0)
    assert (len(again.created), again.already_invited) == (1, 1)
    counts = {
        (c.site.venue.zone_label if c.site else "online"): c
        for c in invitations.site_counts(meeting)
    }
    assert counts["WIB"].invited == 3
    assert counts["WIB"].over_capacity  # two seats at Bappenas
    assert counts["online"].invited == 1
    with pytest.raises(ValidationError):
        invitations.invite(editor, meeting, {"person_ids": ["x"]})
    other = services.create_meeting(
        editor,
        {
            "title": "Lain",
            "kind": "other",
            "host_venue_id": wib.venue_id,
            "start_at": "2024-04-01T09:00",
            "end_at": "2024-04-01T10:00",
        },
    )
    with pytest.raises(ValidationError):
        invitations.invite(
            editor, meeting, {"person_ids": [shared.id], "site_id": other.sites[0].id}
        )


def test_schedule_mails_everyone_update_only_the_moved_one_then_cancel(editor, meeting):
    people = [factories.person() for _ in range(3)]
    people.append(factories.person(email=None))  # reached by chat; no mail
    invitations.invite(
        editor,
        meeting,
        {"person_ids": [p.id for p in people], "site_id": site_of(meeting, "WITA").id},
    )
    assert outbox() == []  # a draft sends nothing
    services.schedule_meeting(editor, meeting)
    assert len(outbox(kind="invitation")) == 3
    # One who is mailed (the relationship has no order: PostgreSQL may list any first).
    moved = next(inv for inv in meeting.invitations if inv.person.email)
    invitations.update_invitation(editor, moved, {"site_id": site_of(meeting, "WIT").id})
    updates = outbox(kind="update")
    assert [m.recipient for m in updates] == [moved.person.email]
    event = calendar_of(updates[0]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert str(event["DTSTART"].params["TZID"]) == "Asia/Jayapura"
    services.update_meeting(editor, meeting, {"start_at": "2024-03-15T10:00"})
    assert len(outbox(kind="update")) == 1 + 3
    services.cancel_meeting(editor, meeting)
    cancels = outbox(kind="cancellation")
    assert len(cancels) == 3
    assert all(str(calendar_of(m)["METHOD"]) == "CANCEL" for m in cancels)
    assert {calendar_of(m).walk("VEVENT")[0]["UID"] for m in cancels} == {meeting.uid}
    with pytest.raises(Conflict):
        services.update_meeting(editor, meeting, {"title": "Lagi"})


def test_personal_link_is_stable_and_forged_or_withdrawn_links_fail(editor, meeting):
    from meetcoord.core.errors import NotFound
    from meetcoord.meetings import links

    invitations.invite(editor, meeting, {"person_ids": [factories.person().id]})
    inv = meeting.invitations[0]
    token = links.personal_token(inv)
    assert links.personal_token(inv) == token  # the same link in every mail
    assert len(token) >= 43  # 256 bits
    assert token not in (inv.token_hash, inv.token_salt)
    assert invitations.invitation_by_token(token) is inv
    with pytest.raises(NotFound):
        invitations.invitation_by_token(token[:-1] + ("A" if token[-1] != "A" else "B"))
    invitations.withdraw_invitation(editor, inv)
    with pytest.raises(NotFound):
        invitations.invitation_by_token(token)


def test_rsvp_and_stand_in_letter_checked_by_content(editor, meeting, app):
    invitations.invite(editor, meeting, {"person_ids": [factories.person().id]})
    inv = meeting.invitations[0]
    invitations.respond(inv, {"rsvp": "hadir", "site_id": site_of(meeting, "WIT").id})
    assert (inv.rsvp.value, inv.site.venue.zone_label) == ("accepted", "WIT")
    with pytest.raises(ValidationError):
        invitations.respond(inv, {"rsvp": "barangkali"})
    with pytest.raises(ValidationError) as caught:
        invitations.nominate_stand_in(
            inv, {"stand_in_name": "Drs. Umbu Rehi"}, b"MZ\x90\x00 not a pdf"
        )
    assert "letter" in caught.value.errors
    with pytest.raises(ValidationError):
        invitations.nominate_stand_in(
            inv,
            {"stand_in_name": "Drs. Umbu Rehi"},
            b"%PDF-1.4" + b"0" * app.config["UPLOAD_MAX_BYTES"],
        )
    assert inv.stand_in_name is None
    invitations.nominate_stand_in(
        inv,
        {"stand_in_name": "Drs. Umbu Rehi", "stand_in_position": "Sekretaris Dinas"},
        b"%PDF-1.4\n%fake but typed as pdf\n",
    )
    assert inv.stand_in_letter_type == "application/pdf"
    assert invitations.letter_path(inv).read_bytes().startswith(b"%PDF-")


def test_clone_and_series(editor, meeting):
    invitations.invite(
        editor,
        meeting,
        {
            "person_ids": [factories.person().id],
            "role": "chair",
            "site_id": site_of(meeting, "WIT").id,
        },
    )
    agenda.add_agenda_item(
        editor, meeting, {"title": "Evaluasi", "planned_minutes": 60, "kind": "discussion"}
    )
    copy = series.clone_meeting(editor, meeting, meeting.start_at + timedelta(days=7))
    assert copy.uid != meeting.uid
    assert [s.venue_id for s in copy.sites] == [s.venue_id for s in meeting.sites]
    assert copy.invitations[0].site.venue.zone_label == "WIT"
    assert copy.invitations[0].role is InviteeRole.CHAIR
    assert copy.invitations[0].token_hash != meeting.invitations[0].token_hash
    made = series.create_series(editor, meeting, "FREQ=MONTHLY;INTERVAL=3;BYDAY=3FR;COUNT=3")
    assert len(made.meetings) == 3
    later = made.meetings[1]
    assert later.start_at.astimezone(meeting.start_at.tzinfo).hour == meeting.start_at.hour
    with pytest.raises(ValidationError):
        series.create_series(editor, copy, "FREQ=MONTHLY")


def evaluation(editor, venues, start: datetime) -> Meeting:
    """A two-hour evaluation hosted at the WIT venue: the first of a series."""
    return services.create_meeting(
        editor,
        {
            "title": "Evaluasi 1 OPD 1 Desa",
            "kind": "evaluation",
            "host_venue_id": venues["WIT"].id,
            "start_at": start.isoformat(),
            "end_at": (start + timedelta(hours=2)).isoformat(),
        },
    )


def test_series_update_shifts_the_rest_but_not_an_edited_occurrence(editor, venues):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    first = evaluation(editor, venues, start)
    made = series.create_series(editor, first, "FREQ=MONTHLY;INTERVAL=3;COUNT=4")
    own = made.meetings[2]
    services.update_meeting(
        editor, own, {"start_at": (own.start_at + timedelta(days=1)).isoformat()}
    )
    assert own.is_series_exception
    before = {m.id: m.start_at for m in made.meetings}
    series.update_series(
        editor,
        made,
        {
            "start_at": (start + timedelta(hours=1)).isoformat(),
            "end_at": (start + timedelta(hours=3)).isoformat(),
        },
    )
    for m in made.meetings:
        expected = before[m.id] if m is own else before[m.id] + timedelta(hours=1)
        assert m.start_at == expected


def test_conflicts_across_zones(editor, venues, meeting):
    chair = factories.person(name="Hadi Basalamah")
    invitations.invite(editor, meeting, {"person_ids": [chair.id], "role": "chair"})
    # 09.30 WIB = 10.30 WITA: inside the 09.00–12.00 WITA meeting
    other = services.create_meeting(
        editor,
        {
            "title": "Rapat TGPP",
            "kind": "coordination",
            "host_venue_id": venues["WIB"].id,
            "start_at": "2024-03-15T09:30",
            "end_at": "2024-03-15T10:30",
        },
    )
    invitations.invite(editor, other, {"person_ids": [chair.id]})
    found = {(c.kind, c.subject) for c in conflicts.find_conflicts(meeting)}
    assert found == {("venue", "Ruang Rapat Bappenas"), ("chair", "Hadi Basalamah")}
    services.cancel_meeting(editor, other)
    assert conflicts.find_conflicts(meeting) == []
    assert (
        conflicts.overlaps(
            meeting.start_at, meeting.end_at, meeting.end_at, meeting.end_at + timedelta(hours=1)
        )
        is False
    )


def test_series_update_checks_input_even_with_nothing_left(editor, meeting):
    made = series.create_series(editor, meeting, "FREQ=MONTHLY;COUNT=2")  # all in 2024: past
    with pytest.raises(ValidationError):
        series.update_series(editor, made, {"kind": "pesta"})
    assert series.update_series(editor, made, {"title": "Rakor"}) == []


def scheduled_series(editor, venues, people: int = 3):
    """A quarterly series of three scheduled occurrences (each mailed to ``people``)."""
    first = evaluation(editor, venues, datetime(2036, 1, 15, 1, 0, tzinfo=UTC))  # 10.00 WIT
    invitees = [factories.person().id for _ in range(people)]
    invitations.invite(editor, first, {"person_ids": invitees})
    made = series.create_series(editor, first, "FREQ=MONTHLY;INTERVAL=3;COUNT=3")
    for meeting in made.meetings:
        services.schedule_meeting(editor, meeting)
    return made


def mailed_about(meeting: Meeting, since: int) -> list[OutboxMessage]:
    ids = {inv.id for inv in meeting.invitations}
    return [m for m in outbox() if m.id > since and m.ref_id in ids]


@pytest.mark.parametrize(
    "own_change",
    [
        {"title": "Evaluasi 1 OPD 1 Desa (bersama DPRD)"},
        {"online_url": "https://meet.example.id/evaluasi-khusus"},
        {"start_at": "2036-04-16T10:00"},
    ],
)
def test_an_occurrence_edited_on_its_own_is_an_exception_series_edits_leave_alone(
    editor, venues, own_change
):
    made = scheduled_series(editor, venues)
    first, own, last = made.meetings
    services.update_meeting(editor, own, own_change)
    assert own.is_series_exception
    assert len(mailed_about(own, 0)) == 3 + 3  # invited, then told of its own change
    own_state = (own.title, own.online_url, own.start_at, own.end_at, own.sequence)
    before = max(m.id for m in outbox())

    changed = series.update_series(
        editor,
        made,
        {
            "title": "Evaluasi Triwulan 1 OPD 1 Desa",
            "online_url": "https://meet.example.id/evaluasi",
            "start_at": "2036-01-15T13:00",  # every occurrence three hours later
            "end_at": "2036-01-15T15:00",
        },
    )
    assert changed == [first, last]
    assert (own.title, own.online_url, own.start_at, own.end_at, own.sequence) == own_state
    assert own.is_series_exception
    assert mailed_about(own, before) == []  # nothing happened to them: no mail
    for meeting in (first, last):
        assert meeting.title == "Evaluasi Triwulan 1 OPD 1 Desa"
        assert not meeting.is_series_exception  # moved with its series, not on its own
        assert [m.kind for m in mailed_about(meeting, before)] == ["update"] * 3


def test_a_place_edit_makes_an_exception_but_a_non_calendar_edit_does_not(editor, venues):
    made = scheduled_series(editor, venues, people=1)
    _, own, other = made.meetings
    services.update_meeting(editor, other, {"kind": "coordination"})
    assert not other.is_series_exception  # nobody's calendar shows the kind
    services.update_meeting(editor, own, {"host_venue_id": venues["WITA"].id})
    assert own.is_series_exception
    series.update_series(editor, made, {"host_venue_id": venues["WIB"].id})
    assert own.host_venue_id == venues["WITA"].id
    assert other.host_venue_id == venues["WIB"].id


def test_a_calendar_shows_each_occurrence_once_with_the_exceptions_own_details(
    client, editor, venues
):
    """What a calendar client sees of a series: one VEVENT per occurrence (its own UID,
    its own invitations and personal links), no RRULE to expand into duplicates, and the
    occurrence edited on its own with its own title and time after a series edit.
    """
    made = scheduled_series(editor, venues, people=1)
    own = made.meetings[1]
    services.update_meeting(editor, own, {"title": "Evaluasi bersama DPRD"})
    series.update_series(editor, made, {"start_at": "2036-01-15T11:00"})
    person = own.invitations[0].person

    feed = urlsplit(links.feed_url(invitations.feed_for(person))).path
    cal = Calendar.from_ical(client.get(feed).data)
    events = list(cal.walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [m.uid for m in made.meetings]
    assert len({str(e["UID"]) for e in events}) == 3
    assert not any("RRULE" in e or "RECURRENCE-ID" in e or "EXDATE" in e for e in events)
    assert [str(e["SUMMARY"]) for e in events] == [
        "Evaluasi 1 OPD 1 Desa",
        "Evaluasi bersama DPRD",
        "Evaluasi 1 OPD 1 Desa",
    ]
    assert [e.decoded("DTSTART").hour for e in events] == [11, 10, 11]  # WIT wall clock
    assert {e["DTSTART"].params["TZID"] for e in events} == {"Asia/Jayapura"}
    # each occurrence's own invitation file holds that occurrence alone
    for meeting in made.meetings:
        token = links.personal_token(meeting.invitations[0])
        (event,) = Calendar.from_ical(client.get(f"/i/{token}/invite.ics").data).walk("VEVENT")
        assert str(event["UID"]) == meeting.uid
        assert "RRULE" not in event
