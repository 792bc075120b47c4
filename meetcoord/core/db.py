"""Declarative base, naming convention and the UTC datetime column type.

Every constraint gets a predictable name so that Alembic can drop and alter it on both
SQLite and PostgreSQL, and every timestamp is stored as an aware UTC datetime so that a
meeting at 09.00 WIB is the same instant everywhere it is shown.
"""

from __future__ import annotations

import enum
import sys
import threading
from collections import deque
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime, stored in UTC; naive values are refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: attach a time zone before storing")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        # SQLite hands back naive values; they were written as UTC.
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    # One registry carrying both the naming convention and the datetime mapping; SQLAlchemy
    # 2.1 refuses a per-class type_annotation_map once Flask-SQLAlchemy subclasses the base.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def str_enum(cls: type[enum.Enum], length: int = 30) -> Enum:
    """An enum stored as its string values with a CHECK constraint.

    Readable in SQL, the same on SQLite and PostgreSQL, and adding a value is an ordinary
    migration rather than an ``ALTER TYPE``.
    """
    return Enum(
        cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        create_constraint=True,
        name=cls.__name__.lower(),
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Foreign keys are off by default in SQLite; WAL lets readers run beside a writer."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin: the module's
    # own guesswork breaks SAVEPOINT (nested transactions) and transactional DDL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")


# --- SQLite under eventlet/gevent: one transaction at a time, first come first served ------


def green_threads() -> bool:
    """True in a server monkey-patched by eventlet or gevent (``python -m meetcoord.server``)."""
    if "eventlet" in sys.modules:
        from eventlet import patcher

        if patcher.is_monkey_patched("thread"):
            return True
    if "gevent" in sys.modules:
        from gevent import monkey

        return bool(monkey.is_module_patched("threading"))
    return False


class Turns:
    """A reentrant lock that hands itself to whoever has waited longest (FIFO).

    For green threads only (its bookkeeping relies on switches happening only inside
    ``Event.wait``). A plain lock lets a thread that just released it take it straight back
    while the woken waiter has not run yet; under load some requests then wait seconds.
    """

    def __init__(self, timeout: float = 30.0):
        self.timeout = timeout
        self._owner: int | None = None
        self._depth = 0
        self._waiters: deque[tuple[int, threading.Event]] = deque()

    def acquire(self) -> None:
        me = threading.get_ident()
        if self._owner == me:
            self._depth += 1
            return
        if self._owner is None and not self._waiters:
            self._owner, self._depth = me, 1
            return
        entry = (me, threading.Event())
        self._waiters.append(entry)
        if not entry[1].wait(self.timeout) and self._owner != me:
            self._waiters.remove(entry)
            raise TimeoutError(f"no database turn within {self.timeout:.0f} s")

    def release(self) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        if self._waiters:
            owner, woken = self._waiters.popleft()
            self._owner, self._depth = owner, 1
            woken.set()
        else:
            self._owner, self._depth = None, 0


_sqlite_turns = Turns()


@event.listens_for(Pool, "checkout")
def _take_turn(dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
    """SQLite in a green-thread server: hold the turn while holding a connection.

    SQLite has one writer and its driver does not cooperate with green threads: a write
    that finds the database locked sleeps in ``busy_timeout`` with the whole process
    stopped, so the green thread holding the lock (paused mid-transaction at some pool or
    SQLAlchemy lock) can never commit; after five frozen seconds the write fails with
    "database is locked" (seen as a lost check-in in the ``checkin`` bench). A transaction
    whose snapshot another green thread's commit overtook cannot write either. Taking
    turns from checkout to checkin makes transactions run one after another, which is
    all SQLite could do anyway; waiting happens here, cooperatively and in arrival order.
    """
    if not type(dbapi_connection).__module__.startswith("sqlite3") or not green_threads():
        return
    _sqlite_turns.acquire()
    connection_record.info["sqlite_turn"] = True


@event.listens_for(Pool, "checkin")
def _end_turn(dbapi_connection: Any, connection_record: Any) -> None:
    if connection_record is not None and connection_record.info.pop("sqlite_turn", False):
        _sqlite_turns.release()
