"""Follow-up action reminders through the outbox to a real SMTP server: the responsible
person's digest in their own zone, the overdue rhythm, once per key, stopped by done;
the forum's weekly overdue summary to the secretariat."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from meetcoord.accounts.models import Role
from meetcoord.actions import services as action_services
from meetcoord.actions.models import Action
from meetcoord.directory.models import Person
from meetcoord.extensions import db
from meetcoord.meetings import links
from meetcoord.meetings.models import Invitation
from meetcoord.reminders import mute
from meetcoord.reminders.models import Reminder, ReminderSettings
from meetcoord.reminders.run import send_all
from tests import factories
from tests.actions import support as actions_support
from tests.reminders.support import ZONES, deliver, reminders
from tests.smtp_support import SmtpServer
from tests.support import free_port

DUE = date(2027, 3, 15)  # a Monday
DIGEST = "Pengingat tindak lanjut"
SUMMARY = "Pengingat: tindak lanjut lewat tenggat"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer(free_port()) as server:
        yield server


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def responsible(label: str = "WITA", **fields: object) -> tuple[Person, Action]:
    """A person reading in ``label``'s zone, invited to a meeting (so they hold a personal
    link), responsible for one action of it due on :data:`DUE`."""
    agency = factories.organization()
    person = factories.person(
        name=f"Kepala Bidang {label}", timezone=ZONES[label], organization_id=agency.id
    )
    meeting = factories.meeting(
        title=f"Rakor Desa Binaan {label}",
        start_at="2027-03-01T09:00",
        end_at="2027-03-01T12:00",
        **fields,
    )
    factories.invitation(meeting, person=person)
    action = actions_support.action(
        meeting,
        title=f"Menyusun data desa binaan {label}",
        organization_id=agency.id,
        person_id=person.id,
        due_on=DUE,
    )
    return person, action


def digests(server: SmtpServer) -> list[tuple[str, object]]:
    return [(r, m) for r, m in reminders(server) if str(m["Subject"]).startswith(DIGEST)]


def test_the_advance_digest_reaches_each_person_at_08_00_their_time(smtp_server):
    people = {label: responsible(label) for label in ZONES}
    three_days = DUE - timedelta(days=3)  # 12 March
    # 07.59 WIT on the 12th: nobody's morning yet; the 11th is a day too early for all.
    assert send_all(at(three_days - timedelta(days=1), 22, 59)).action_digests == 0
    assert send_all(at(three_days - timedelta(days=1), 5)).action_digests == 0
    # 23.00 UTC on the 11th = 08.00 WIT on the 12th: the WIT person only.
    assert send_all(at(three_days - timedelta(days=1), 23)).action_digests == 1
    # 00.30 UTC = 09.30 WIT, 08.30 WITA, 07.30 WIB: the WITA person joins, not WIB.
    assert send_all(at(three_days, 0, 30)).action_digests == 1
    assert send_all(at(three_days, 1)).action_digests == 1  # 08.00 WIB
    assert send_all(at(three_days, 6)).action_digests == 0  # the same day again: nothing
    assert send_all(at(three_days + timedelta(days=1), 6)).action_digests == 0  # reminded once
    deliver(smtp_server)

    received = dict(digests(smtp_server))
    assert sorted(received) == sorted(person.email for person, _ in people.values())
    for label, (person, action) in people.items():
        message = received[person.email]
        assert message["Subject"] == f"{DIGEST}: 1 mendekati tenggat"
        body = message.get_content()
        assert f"Yth. {person.name}," in body
        assert action.title in body
        assert f"Rapat: Rakor Desa Binaan {label}, Senin, 1 Maret 2027 pukul" in body
        assert f"Tenggat: Senin, 15 Maret 2027 ({label}) — 3 hari lagi" in body
        assert "Status: Belum dimulai" in body
        [invitation] = db.session.scalars(
            select(Invitation).where(Invitation.person_id == person.id)
        ).all()
        assert f"{links.personal_url(invitation)}/actions" in body  # their own agency view
        for other, _ in people.values():  # nobody else's personal link
            if other.id != person.id:
                other_invitation = db.session.scalar(
                    select(Invitation).where(Invitation.person_id == other.id)
                )
                assert links.personal_token(other_invitation) not in body
        assert message["List-Unsubscribe"] == f"<{mute.mute_url(person)}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Auto-Submitted"] == "auto-generated"
    keys = {(r.kind, r.ref_id, r.occasion) for r in db.session.scalars(select(Reminder))}
    assert keys == {("action_digest", a.id, "due:2027-03-15") for _, a in people.values()}


def test_overdue_on_the_first_day_then_every_seven_days(smtp_server):
    _person, _action = responsible("WITA")
    first = DUE + timedelta(days=1)
    # 09.00 WITA each day; the advance reminder went out before (3 days ahead).
    assert send_all(at(DUE - timedelta(days=3), 1)).action_digests == 1
    assert send_all(at(first, 1)).action_digests == 1
    assert send_all(at(first, 9)).action_digests == 0  # again that day: nothing
    for later in range(1, 7):  # days 2-7 of being overdue: quiet
        assert send_all(at(first + timedelta(days=later), 1)).action_digests == 0, later
    assert send_all(at(first + timedelta(days=7), 1)).action_digests == 1  # a week on
    assert send_all(at(first + timedelta(days=7), 2)).action_digests == 0
    deliver(smtp_server)
    received = [m for _, m in digests(smtp_server)]
    assert len(received) == 3
    assert received[1]["Subject"] == f"{DIGEST}: 1 lewat tenggat"
    assert "Tenggat: Senin, 15 Maret 2027 (WITA) — lewat tenggat 1 hari" in (
        received[1].get_content()
    )
    assert "lewat tenggat 8 hari" in received[2].get_content()
    occasions = set(db.session.scalars(select(Reminder.occasion)))
    assert occasions == {"due:2027-03-15", "overdue:2027-03-15:0", "overdue:2027-03-15:1"}


def test_marking_it_done_stops_the_reminders(smtp_server):
    _person, action = responsible("WIB")
    late = responsible("WIB")[1]  # another person's, still owed
    assert send_all(at(DUE + timedelta(days=1), 2)).action_digests == 2
    action_services.add_update(action.meeting.created_by, action, {"status": "in_progress"})
    assert send_all(at(DUE + timedelta(days=8), 2)).action_digests == 2  # in progress: owed
    action_services.add_update(action.meeting.created_by, action, {"status": "done"})
    assert send_all(at(DUE + timedelta(days=15), 2)).action_digests == 1  # only the other one
    deliver(smtp_server)
    last = digests(smtp_server)[-1]
    assert last[0] == late.person.email


def test_a_moved_due_date_is_reminded_again(smtp_server):
    _person, action = responsible("WITA")
    assert send_all(at(DUE - timedelta(days=2), 1)).action_digests == 1
    action_services.change_due(
        action.meeting.created_by, action, {"due_on": "2027-03-20", "reason": "Data belum lengkap"}
    )
    assert send_all(at(DUE - timedelta(days=1), 1)).action_digests == 0  # 6 days ahead now
    assert send_all(at(date(2027, 3, 17), 1)).action_digests == 1  # 3 days before the 20th
    assert send_all(at(date(2027, 3, 17), 5)).action_digests == 0
    deliver(smtp_server)
    assert "Tenggat: Sabtu, 20 Maret 2027 (WITA) — 3 hari lagi" in (
        digests(smtp_server)[-1][1].get_content()
    )


def test_muted_people_and_final_actions_get_none(smtp_server):
    muted_person, _ = responsible("WIT")
    mute.mute(mute.mute_token(muted_person))
    _, dropped = responsible("WIT")
    action_services.add_update(
        dropped.meeting.created_by, dropped, {"status": "dropped", "reason": "Tidak relevan"}
    )
    assert send_all(at(DUE - timedelta(days=1), 3)).action_digests == 0
    assert send_all(at(DUE + timedelta(days=1), 3)).action_digests == 0
    deliver(smtp_server)
    assert digests(smtp_server) == []


def test_the_institution_setting_decides_the_advance_window():
    _person, action = responsible("WIB")
    institution_id = action.meeting.institution_id
    db.session.add(
        ReminderSettings(
            institution_id=institution_id, days_before=0, overdue_every_days=2, forum_summary=True
        )
    )
    db.session.flush()
    assert send_all(at(DUE - timedelta(days=1), 3)).action_digests == 0  # no advance one
    assert send_all(at(DUE + timedelta(days=1), 3)).action_digests == 1
    assert send_all(at(DUE + timedelta(days=2), 3)).action_digests == 0
    assert send_all(at(DUE + timedelta(days=3), 3)).action_digests == 1  # every 2 days


def test_the_forum_summary_goes_once_a_week_to_the_secretariat(smtp_server, runner):
    forum = factories.forum()
    secretary = factories.user(Role.SECRETARIAT, name="Sekretaris Forum")
    viewer = factories.user(Role.VIEWER)
    elsewhere = factories.user(Role.SECRETARIAT, institution=factories.institution())
    person, action = responsible("WIB", by=secretary, forum_id=forum.id)
    _, not_late = responsible("WIB", by=secretary, forum_id=forum.id)
    not_late.due_on = date(2027, 4, 30)
    not_late.title = "Sosialisasi kepada kepala desa"
    monday = date(2027, 3, 22)  # ISO week 12; 08.00 WIB (home) = 01.00 UTC
    assert send_all(at(monday, 0, 30)).forum_summaries == 0  # 07.30 at home: not yet
    result = runner.invoke(args=["send-reminders", "--now", "2027-03-22T08:30+07:00"])
    assert result.exit_code == 0, result.output
    assert "forum summaries 1" in result.output
    assert "action digests 1" in result.output
    assert send_all(at(monday + timedelta(days=2), 3)).forum_summaries == 0  # same week
    assert send_all(at(monday + timedelta(days=7), 3)).forum_summaries == 1  # next week
    deliver(smtp_server)

    summaries = [(r, m) for r, m in reminders(smtp_server) if str(m["Subject"]).startswith(SUMMARY)]
    recipients = [r for r, _ in summaries]
    assert recipients.count(secretary.email) == 2
    assert viewer.email not in recipients
    assert elsewhere.email not in recipients
    assert person.email not in recipients
    message = dict(summaries)[secretary.email]
    assert message["Subject"] == f"{SUMMARY} — {forum.name} (1)"
    body = message.get_content()
    assert f"{action.organization.name} (1):" in body
    assert action.title in body
    assert not_late.title not in body
    assert f"/actions?forum_id={forum.id}&overdue=1" in body
    assert "/i/" not in body  # staff mail: no personal link of anyone
    assert "List-Unsubscribe" not in message
    rows = db.session.scalars(select(Reminder).where(Reminder.kind == "forum_overdue")).all()
    assert {(r.ref_id, r.occasion, r.person_id) for r in rows} == {
        (forum.id, "2027-W12", None),
        (forum.id, "2027-W13", None),
    }


def test_the_forum_summary_follows_the_series_and_the_setting():
    forum = factories.forum()
    secretary = factories.user(Role.SECRETARIAT)
    _, action = responsible("WIB", by=secretary)
    from meetcoord.meetings.models import Series

    series = Series(
        title="Evaluasi triwulan",
        rrule="FREQ=MONTHLY;INTERVAL=3",
        timezone="Asia/Jakarta",
        institution_id=action.meeting.institution_id,
        forum_id=forum.id,
    )
    db.session.add(series)
    db.session.flush()
    action.meeting.series_id = series.id
    db.session.add(
        ReminderSettings(
            institution_id=forum.institution_id,
            days_before=3,
            overdue_every_days=7,
            forum_summary=False,
        )
    )
    db.session.flush()
    monday = date(2027, 3, 22)
    assert send_all(at(monday, 3)).forum_summaries == 0  # switched off
    db.session.get(ReminderSettings, forum.institution_id).forum_summary = True
    db.session.flush()
    assert send_all(at(monday, 4)).forum_summaries == 1  # via the series' forum
