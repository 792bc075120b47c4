"""Mail outbox delivery against a real SMTP server (aiosmtpd on loopback).

Nothing is mocked between the outbox row and the SMTP conversation: the worker opens a real
socket to a real server, and an outage is a port where nothing listens.
"""

from __future__ import annotations

import email
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from meetcoord.accounts.models import Role
from meetcoord.core.audit import AuditEntry
from meetcoord.core.errors import Conflict, PermissionDenied
from meetcoord.core.mail import ConsoleTransport, FileTransport
from meetcoord.core.outbox import OutboxMessage, OutboxStatus
from meetcoord.core.worker import backoff, deliver_due
from meetcoord.extensions import db
from meetcoord.outbox.services import retry
from tests import factories
from tests.smtp_support import (
    REFUSED,
    Clock,
    SmtpServer,
    make_message,
    queue,
    rows,
    smtp_transport,
)
from tests.support import (
    free_port,
)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer(free_port()) as server:
        yield server


def test_backoff_doubles_from_30_seconds_up_to_30_minutes() -> None:
    schedule = [backoff(n).total_seconds() for n in range(1, 10)]
    assert schedule == [30, 60, 120, 240, 480, 960, 1800, 1800, 1800]
    # Jitter spreads each wait by at most ±10 %.
    assert backoff(3, rand=0.0) == timedelta(seconds=108)
    assert backoff(3, rand=0.999999) <= timedelta(seconds=132)
    assert backoff(50, rand=0.999999) <= timedelta(minutes=33)


def test_enqueued_messages_are_delivered_as_stored(smtp_server: SmtpServer) -> None:
    first, second = queue(2)
    stored = first.message

    report = deliver_due(smtp_transport(smtp_server.port))

    assert (report.sent, report.connection_error) == (2, None)
    received = smtp_server.handler.messages
    assert [env.rcpt_tos for env in received] == [[first.recipient], [second.recipient]]
    assert all(env.mail_from == "meetcoord@localhost" for env in received)

    # The bytes arrive as stored (SMTP only normalises line ends and ends with one).
    def normalised(data: bytes) -> bytes:
        return data.replace(b"\r\n", b"\n").rstrip(b"\n")

    assert normalised(received[0].original_content) == normalised(stored)
    for row in rows():
        assert row.status is OutboxStatus.SENT
        assert row.sent_at is not None
        assert row.attempts == 1
        assert row.last_error is None
    # A second pass finds nothing due and sends nothing again.
    assert deliver_due(smtp_transport(smtp_server.port)).sent == 0
    assert len(received) == 2


def test_smtp_down_while_50_invitations_queued_then_all_delivered_exactly_once() -> None:
    port = free_port()  # nothing listens here: the SMTP server is down
    queue(50)
    clock = Clock()
    transport = smtp_transport(port)

    for outage_pass in (1, 2):
        report = deliver_due(transport, clock=clock)
        assert report.sent == 0
        assert report.connection_error
        assert str(port) in report.connection_error
        current = rows()
        assert len(current) == 50
        assert {row.status for row in current} == {OutboxStatus.PENDING}
        # One attempt counted per pass for the whole queue, not one per message.
        assert sum(row.attempts for row in current) == outage_pass
        assert max(row.attempts for row in current) <= outage_pass
        assert all(row.last_error for row in current)
        assert all(row.next_attempt_at > clock.now for row in current)  # waiting, not hammering
        clock.advance(hours=1)

    with SmtpServer(port) as server:
        for _ in range(10):  # bounded: 50 messages, 20 per pass
            report = deliver_due(transport, limit=20, clock=clock)
            assert report.connection_error is None
            if not any(row.status is OutboxStatus.PENDING for row in rows()):
                break
            clock.advance(hours=1)
        # Nothing is left, and a further pass finds nothing to resend.
        assert deliver_due(transport, clock=clock).sent == 0
        received = server.handler.message_ids()

    assert len(received) == 50
    assert sorted(received) == sorted(f"<undangan-{n}@meetcoord.test>" for n in range(50))
    final = rows()
    assert {row.status for row in final} == {OutboxStatus.SENT}
    assert all(row.last_error is None for row in final)


def test_refused_message_fails_after_max_attempts_and_a_person_can_retry(
    app: Any, smtp_server: SmtpServer
) -> None:
    refused = make_message(1, recipient=REFUSED)
    good = make_message(2)
    db.session.commit()
    clock = Clock()
    transport = smtp_transport(smtp_server.port)

    first = deliver_due(transport, max_attempts=3, clock=clock)
    # The refusal costs only that message an attempt; the connection carries on.
    assert (first.sent, first.retrying, first.failed) == (1, 1, 0)
    assert db.session.get(OutboxMessage, good.id).status is OutboxStatus.SENT
    row = db.session.get(OutboxMessage, refused.id)
    assert row.status is OutboxStatus.PENDING
    assert "550" in row.last_error
    assert timedelta(seconds=27) <= row.next_attempt_at - clock.now <= timedelta(seconds=33)

    # Not yet due: the next pass leaves it alone.
    assert deliver_due(transport, max_attempts=3, clock=clock).handled == 0
    for _ in range(2):
        clock.advance(hours=1)
        deliver_due(transport, max_attempts=3, clock=clock)
    row = rows()[0]
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 3)
    clock.advance(days=1)
    assert deliver_due(transport, max_attempts=3, clock=clock).handled == 0  # failed stays put

    viewer = factories.user(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        retry(viewer, row)
    secretariat = factories.user(Role.SECRETARIAT)
    retry(secretariat, row)
    row = rows()[0]
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "outbox_messages")
    ).one()
    assert (entry.action, entry.entity_id, entry.actor_id) == ("retry", row.id, secretariat.id)
    with pytest.raises(Conflict):
        retry(secretariat, row)  # only failed mail can be retried


def test_console_transport_prints_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    (row,) = queue(1)
    assert deliver_due(ConsoleTransport()).sent == 1
    out = capsys.readouterr().out
    assert f"mail #{row.id} from meetcoord@localhost to {row.recipient}" in out
    assert "Undangan Rapat Koordinasi #0" in out
    assert rows()[0].status is OutboxStatus.SENT


def test_file_transport_writes_one_eml_per_message(tmp_path: Path) -> None:
    written = queue(3)
    transport = FileTransport(tmp_path / "mail")
    assert deliver_due(transport).sent == 3
    files = sorted(path.name for path in (tmp_path / "mail").iterdir())
    assert files == sorted(f"{row.id}.eml" for row in written)
    parsed = email.message_from_bytes((tmp_path / "mail" / f"{written[0].id}.eml").read_bytes())
    assert parsed["Message-ID"] == "<undangan-0@meetcoord.test>"


def test_a_plain_notice_says_it_is_in_indonesian(app: Any) -> None:
    """``Content-Language: id`` survives ``set_content`` (which drops content headers set
    before it), so mail clients offer to translate rather than guess."""
    from meetcoord.core.outbox import text_message

    message = text_message("peserta@example.go.id", "Peserta", "Pengingat", "Isi surat.")
    parsed = email.message_from_bytes(bytes(message))
    assert parsed["Content-Language"] == "id"
