"""Meeting reminders through the outbox to a real SMTP server: once per invitee, in their
zone, to the right people only, and never twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from meetcoord.core.outbox import OutboxMessage
from meetcoord.core.timezones import format_long_date
from meetcoord.extensions import db
from meetcoord.meetings import invitations as invites
from meetcoord.meetings import links, services
from meetcoord.meetings.models import Rsvp
from meetcoord.reminders import mute
from meetcoord.reminders.jobs import ReminderJob
from meetcoord.reminders.models import Reminder
from meetcoord.reminders.services import _send_one, send_due_reminders
from meetcoord.reminders.timing import ReminderKind, occasion
from tests import factories
from tests.reminders.support import deliver, reminders, three_zone_meeting
from tests.smtp_support import SmtpServer
from tests.support import free_port

# 15 March 2027, 09.00 WITA = 01.00 UTC = 08.00 WIB = 10.00 WIT.
DAY_BEFORE_WIT_WITA = datetime(2027, 3, 14, 0, 30, tzinfo=UTC)  # 09.30 WIT, 08.30 WITA, 07.30 WIB
DAY_BEFORE_ALL = datetime(2027, 3, 14, 1, 0, tzinfo=UTC)  # 08.00 WIB
MORNING_ALL = datetime(2027, 3, 15, 0, 0, tzinfo=UTC)  # 07.00 WIB, 08.00 WITA, 09.00 WIT


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer(free_port()) as server:
        yield server


def _reminder_mails() -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind.like("reminder_%"))
        )
    )


def test_day_before_reaches_each_invitee_once_in_their_zone(smtp_server):
    setup = three_zone_meeting()
    meeting, people = setup.meeting, setup.invitations

    # 07.30 WIB: the WIT and WITA invitees' morning has come, the WIB invitee's not yet.
    assert send_due_reminders(DAY_BEFORE_WIT_WITA) == 2
    deliver(smtp_server)
    assert sorted(rcpt for rcpt, _ in reminders(smtp_server)) == sorted(
        [people["WITA"].person.email, people["WIT"].person.email]
    )
    assert send_due_reminders(DAY_BEFORE_ALL) == 1  # 08.00 WIB: only the one still due
    assert send_due_reminders(DAY_BEFORE_ALL) == 0  # again the same day: nothing twice
    deliver(smtp_server)

    received = reminders(smtp_server)
    assert Counter(rcpt for rcpt, _ in received) == {inv.person.email: 1 for inv in people.values()}
    by_address = dict(received)
    day = format_long_date(meeting.start_at, "Asia/Makassar")  # the same day in all three
    for label, times in {
        "WIB": "08.00–11.00 WIB",
        "WITA": "09.00–12.00 WITA",
        "WIT": "10.00–13.00 WIT",
    }.items():
        invitation = people[label]
        message = by_address[invitation.person.email]
        start = times.split("–")[0] + f" {label}"
        assert message["Subject"] == f"Pengingat: {meeting.title} — besok pukul {start}"
        body = message.get_content()
        assert f"Waktu: {day}, {times}" in body
        assert f"Aula Bappeda {label} " in body
        assert f"{links.personal_url(invitation)}#kartu" in body  # their page with the QR
        # RFC 8058 one-click mute, and no auto-replies
        unsubscribe = message["List-Unsubscribe"]
        assert unsubscribe == f"<{mute.mute_url(invitation.person)}>"
        assert "/reminders/mute/" in unsubscribe
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Auto-Submitted"] == "auto-generated"
    # one reminder row each, keyed to this occurrence of the meeting
    rows = db.session.scalars(select(Reminder)).all()
    assert {(r.kind, r.ref_id, r.occasion) for r in rows} == {
        (ReminderKind.MEETING_DAY_BEFORE.value, inv.id, occasion(meeting.start_at))
        for inv in people.values()
    }


def test_morning_reminder_then_nothing_more(smtp_server):
    setup = three_zone_meeting()
    assert send_due_reminders(DAY_BEFORE_ALL) == 3
    assert send_due_reminders(MORNING_ALL) == 3
    assert send_due_reminders(MORNING_ALL) == 0
    deliver(smtp_server)
    received = reminders(smtp_server)
    assert len(received) == 6
    subjects = Counter(str(message["Subject"]).split(" pukul ")[0] for _, message in received)
    title = setup.meeting.title
    assert subjects == {f"Pengingat: {title} — besok": 3, f"Pengingat: {title} — hari ini": 3}
    # once the meeting has started, nothing is due any more
    assert send_due_reminders(datetime(2027, 3, 15, 1, 0, tzinfo=UTC)) == 0


def test_declined_withdrawn_muted_and_cancelled_get_none(smtp_server):
    setup = three_zone_meeting()
    people = setup.invitations
    invites.respond(people["WIB"], {"rsvp": "declined"})
    invites.withdraw_invitation(setup.meeting.created_by, people["WIT"])
    mute.mute(mute.mute_token(people["WITA"].person))
    cancelled = three_zone_meeting("Rapat yang dibatalkan")
    services.cancel_meeting(cancelled.meeting.created_by, cancelled.meeting)
    draft = factories.meeting(start_at="2027-03-15T09:00", end_at="2027-03-15T12:00")
    factories.invitation(draft)

    assert people["WIB"].rsvp is Rsvp.DECLINED
    assert send_due_reminders(DAY_BEFORE_ALL) == 0
    assert send_due_reminders(MORNING_ALL) == 0
    deliver(smtp_server)
    assert reminders(smtp_server) == []
    assert _reminder_mails() == 0


def test_a_race_lost_on_the_unique_key_sends_nothing():
    """Two runs at once: the second insert of the same key fails, and takes its mail with it."""
    setup = three_zone_meeting()
    invitation = setup.invitations["WITA"]
    assert send_due_reminders(DAY_BEFORE_ALL) == 3
    before = _reminder_mails()
    key = occasion(setup.meeting.start_at)
    kind = ReminderKind.MEETING_DAY_BEFORE
    from meetcoord.meetings.mailing import event_data

    assert _send_one(kind, invitation, key, DAY_BEFORE_ALL, event_data(setup.meeting)) is False
    db.session.commit()
    assert _reminder_mails() == before
    assert db.session.scalar(select(func.count()).select_from(Reminder)) == 3


def test_a_rescheduled_meeting_is_reminded_of_its_new_time():
    setup = three_zone_meeting()
    assert send_due_reminders(DAY_BEFORE_ALL) == 3
    services.update_meeting(
        setup.meeting.created_by, setup.meeting, {"start_at": "2027-03-15T10:00"}
    )
    assert send_due_reminders(DAY_BEFORE_ALL) == 3  # a new occurrence: a new reminder
    assert send_due_reminders(DAY_BEFORE_ALL) == 0


def test_cli_and_worker_job_share_the_service(runner):
    three_zone_meeting()
    result = runner.invoke(args=["send-reminders", "--now", "2027-03-14T08:30+08:00"])
    assert result.exit_code == 0, result.output
    assert "reminders: queued 2" in result.output  # WIT and WITA; 07.30 in WIB
    again = runner.invoke(args=["send-reminders", "--now", "2027-03-14T08:30+08:00"])
    assert "reminders: queued 0" in again.output
    naive = runner.invoke(args=["send-reminders", "--now", "2027-03-14T08:30"])
    assert naive.exit_code != 0

    job = ReminderJob(every=3600)
    assert job(100, DAY_BEFORE_ALL) == 1  # the WIB invitee, now due
    three_zone_meeting("Rapat kedua")
    assert job(100, DAY_BEFORE_ALL) == 0  # looked a moment ago: waits for the next minute
    job.every = 0
    assert job(100, DAY_BEFORE_ALL) == 3


def test_the_worker_registers_the_reminder_job(app):
    from meetcoord.core.worker import registered_jobs

    assert "reminders" in {job.name for job in registered_jobs(app)}
