"""The worker holds no SQLite transaction while it talks to the mail server.

Under eventlet the server hands the SQLite database out in turns; a worker sending mail
inside a transaction would stall every desk scan for as long as the SMTP server takes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from meetcoord.core.outbox import OutboxStatus
from meetcoord.core.worker import deliver_due
from meetcoord.extensions import db
from tests.smtp_support import queue, rows


class WatchingConnection:
    def __init__(self) -> None:
        self.in_transaction: list[bool] = []

    def send(self, message_id: int, sender: str, recipient: str, message: bytes) -> None:
        self.in_transaction.append(db.session().in_transaction())


class WatchingTransport:
    def __init__(self) -> None:
        self.connection = WatchingConnection()
        self.opened_in_transaction: bool | None = None

    @contextmanager
    def open(self) -> Iterator[WatchingConnection]:
        self.opened_in_transaction = db.session().in_transaction()
        yield self.connection


def test_sqlite_holds_nothing_while_sending_postgres_keeps_its_row_lock() -> None:
    """SQLite: no transaction during network I/O. PostgreSQL: the claimed row stays locked
    while it is sent, because that lock is what makes a second worker skip it."""
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    queue(3)
    transport = WatchingTransport()
    report = deliver_due(transport)
    assert report.sent == 3
    assert transport.connection.in_transaction == [not sqlite] * 3
    if sqlite:
        assert transport.opened_in_transaction is False
    assert [row.status for row in rows()] == [OutboxStatus.SENT] * 3
