"""Appending to a meeting's event log, and sending it out after the commit.

A command runs inside :func:`command`: it locks the meeting's ``LiveRoom`` row (so two
processes cannot hand out the same seq), answers a repeated nonce with the first result,
lets the service change the data and :func:`append` events, commits, and only then
broadcasts. If the commit fails nothing is sent; if the broadcast fails the events are
still in the log and every client gets them on its next reconnect.

With several server processes (a Redis message queue) a command holds a per-meeting Redis
lock from before its transaction until its events are published: each process publishes
after its own commit, and without the lock seq 5 committed through one process could
reach Redis ahead of seq 4 committed a moment earlier through another. The lock only
orders; when Redis does not grant it in time the command goes ahead unordered (clients
put events in seq order themselves, DESIGN §5).

A transaction the database turns away for the moment (SQLite's "database is locked" when
real threads write at once; a dropped PostgreSQL connection) is run again from the start,
a few times, and then answered with ``busy``: the client always gets an ack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from socketio import PubSubManager
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from meetcoord.access.actors import Actor
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, NotFound, ServiceError, ValidationError
from meetcoord.extensions import db, socketio
from meetcoord.live import chain
from meetcoord.live.models import GENESIS_HASH, LiveRoom, MeetingEvent
from meetcoord.meetings.models import Meeting

NAMESPACE = "/live"
NONCE_MAX = 64
ATTEMPTS = 3  # runs of one command when the database turns a transaction away
ORDER_WAIT = 5.0  # seconds a command waits for the meeting's ordering lock
ORDER_HOLD = 10.0  # the lock lapses after this, should its holder die
T = TypeVar("T")


class Busy(ServiceError):
    """The database kept turning the command away; nothing was written. Send it again."""

    status = 503
    code = "busy"


def room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def site_room(meeting_id: int, site_id: int | None) -> str:
    return f"meeting:{meeting_id}:site:{site_id if site_id is not None else 'online'}"


def staff_room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:staff"


@dataclass
class Command:
    """The state of one command in flight: its room row and the events it appended."""

    meeting: Meeting
    room: LiveRoom
    actor: Actor
    nonce: str | None
    events: list[dict[str, Any]] = field(default_factory=list)
    rows: list[MeetingEvent] = field(default_factory=list)
    replayed_seq: int | None = None  # set when the nonce was seen before
    replayed_id: int | None = None  # and the ``id`` its first ack carried
    result: Any = None  # what the command's body returned: the ack's ``id``
    committing: bool = False  # the commit was sent: a failure now leaves it unknown

    @property
    def seq(self) -> int:
        if self.replayed_seq is not None:
            return self.replayed_seq
        return self.events[-1]["seq"] if self.events else self.room.last_seq

    def append(self, type_: str, data: dict[str, Any], actor: str | None = None) -> dict[str, Any]:
        """Log one event in the current transaction; returns its envelope.

        ``actor`` replaces the actor's name in the envelope (the room sees it): an
        anonymous question is logged under a neutral label. The row still records who
        acted (``actor_user_id``, ``actor_invitation_id``), for nonces and moderators.
        """
        room = self.room
        seq = room.last_seq + 1
        at = chain.timestamp(utcnow())
        label = actor if actor is not None else self.actor.label
        env = chain.envelope(self.meeting.id, seq, type_, data, at, label)
        digest = chain.link(room.last_hash, env)
        row = MeetingEvent(
            meeting_id=self.meeting.id,
            seq=seq,
            type=type_,
            data=chain.canonical(data),
            actor=label,
            actor_user_id=self.actor.user.id if self.actor.user else None,
            actor_invitation_id=self.actor.invitation.id if self.actor.invitation else None,
            at=at,
            prev_hash=room.last_hash,
            hash=digest,
        )
        db.session.add(row)
        room.last_seq, room.last_hash = seq, digest
        self.events.append(env)
        self.rows.append(row)
        return env


def ack_id(result: Any) -> int | None:
    """What of a command's result its nonce's row keeps: the ids and versions commands
    answer with are whole numbers; anything else is not kept (and a replay answers None)."""
    if isinstance(result, int) and not isinstance(result, bool):
        return result
    return None


def lock_room(meeting_id: int) -> tuple[Meeting, LiveRoom]:
    """The meeting and its room row, locked until the transaction ends (PostgreSQL)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(_l("Rapat tidak ditemukan."))
    live_room = db.session.scalar(
        select(LiveRoom).where(LiveRoom.meeting_id == meeting_id).with_for_update()
    )
    if live_room is None:
        live_room = LiveRoom(meeting_id=meeting_id, last_seq=0, last_hash=GENESIS_HASH)
        db.session.add(live_room)
        try:
            db.session.flush()
        except IntegrityError:
            # Another process created it at the same moment: take theirs, locked.
            db.session.rollback()
            return lock_room(meeting_id)
    return meeting, live_room


def _check_nonce(nonce: Any) -> str | None:
    if nonce is None:
        return None
    if not isinstance(nonce, str) or not 0 < len(nonce) <= NONCE_MAX:
        raise ValidationError(_l("Nonce perintah tidak sah (1–64 karakter)."))
    return nonce


@contextmanager
def command(meeting_id: int, actor: Actor, nonce: Any = None) -> Iterator[Command]:
    """Run one command; commit, then broadcast. A seen nonce yields a replayed command.

    The caller checks ``cmd.replayed_seq`` first and returns at once when it is set.
    """
    nonce = _check_nonce(nonce)
    try:
        meeting, live_room = lock_room(meeting_id)
        cmd = Command(meeting=meeting, room=live_room, actor=actor, nonce=nonce)
        if nonce is not None:
            seen = db.session.execute(
                select(
                    MeetingEvent.seq,
                    MeetingEvent.ack_id,
                    MeetingEvent.actor_user_id,
                    MeetingEvent.actor_invitation_id,
                ).where(MeetingEvent.meeting_id == meeting_id, MeetingEvent.nonce == nonce)
            ).first()
            if seen is not None:
                # A nonce answers only whoever sent it first: anyone else (a clash, or a
                # participant probing) learns nothing and changes nothing.
                if (seen.actor_user_id, seen.actor_invitation_id) != actor.ids:
                    raise Conflict(_l("Nonce perintah ini sudah dipakai; buat yang baru."))
                cmd.replayed_seq, cmd.replayed_id = seen.seq, seen.ack_id
                db.session.rollback()
                yield cmd
                return
        yield cmd
        if not cmd.events:
            db.session.rollback()
            return
        # The nonce marks the command's last event: a retry answers with that seq, and
        # with the id the first answer carried (issue 17: a replay used to drop it).
        cmd.rows[-1].nonce = nonce
        if nonce is not None:
            cmd.rows[-1].ack_id = ack_id(cmd.result)
        cmd.committing = True
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("Perubahan bersamaan; silakan coba lagi.")) from None
    except BaseException:
        db.session.rollback()
        raise
    publish(cmd.events)


# Marks a broadcast that no Socket.IO host owns, so that every host, the sending one too,
# delivers it from the message queue (see :func:`publish`).
QUEUE_SENDER = "meetcoord-live-log"


def publish(events: list[dict[str, Any]]) -> None:
    """Broadcast committed events to the meeting's room (through Redis when configured).

    With a message queue, python-socketio's ``emit`` hands the event to this process's own
    clients at once and to the other processes through Redis. Then seq 5, published
    through process one, can still sit in process two's listener while process two
    (holding the lock next) hands seq 6 to its own clients directly: they would see 6
    before 5 (found by the two-process CI test). So events go through the queue only, and
    every process delivers them in the one order Redis publishes them in, which the lock
    makes seq order.

    A failure here is logged, not raised: the command is committed and its ack must say
    so; clients that missed the broadcast get the events on their next reconnect.
    """
    manager = socketio.server.manager if socketio.server is not None else None
    try:
        for env in events:
            if isinstance(manager, PubSubManager):
                manager._publish(_queue_message(env))
            else:
                socketio.emit("event", env, to=room(env["meeting"]), namespace=NAMESPACE)
    except Exception:
        current_app.logger.exception("live: events committed but not broadcast")


def _queue_message(env: dict[str, Any]) -> dict[str, Any]:
    """An ``emit`` message as python-socketio's pub/sub managers exchange them (5.x)."""
    return {
        "method": "emit",
        "event": "event",
        "data": [env],
        "binary": False,
        "namespace": NAMESPACE,
        "room": room(env["meeting"]),
        "skip_sid": None,
        "callback": None,
        "host_id": QUEUE_SENDER,
    }


@cache
def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_timeout=2)


def shared_redis() -> Any:
    """The Redis of the message queue, when several processes share one; else None."""
    url = current_app.config.get("SOCKETIO_MESSAGE_QUEUE")
    return _redis(url) if url else None


def shared_key(*parts: Any) -> str:
    """A Redis key of this deployment: deployments (or test runs) that share a Redis
    but not a database must not count each other's connections or wait on each
    other's locks, and their meeting ids overlap."""
    return ":".join(["meetcoord", current_app.config["DEPLOYMENT_ID"], *map(str, parts)])


@contextmanager
def in_order(meeting_id: int) -> Iterator[None]:
    """Hold the meeting's ordering lock (several processes on PostgreSQL) around a command.

    Not on SQLite: one process serves it, and its green threads already take turns with
    the database (``core.db``); a lock taken after that turn could deadlock against it.
    """
    client = shared_redis()
    if client is None or db.engine.dialect.name == "sqlite":
        yield
        return
    lock = client.lock(
        shared_key("live-order", meeting_id),
        timeout=ORDER_HOLD,
        sleep=0.002,
        blocking_timeout=ORDER_WAIT,
    )
    try:
        held = lock.acquire()
    except Exception:
        current_app.logger.warning("live: no ordering lock from Redis", exc_info=True)
        held = False
    try:
        yield
    finally:
        if held:
            try:
                lock.release()
            except Exception:  # it lapsed (ORDER_HOLD): someone else may hold it now
                current_app.logger.warning("live: ordering lock lapsed", exc_info=True)


def run(
    meeting_id: int, actor: Actor, nonce: Any, body: Callable[[Command], T]
) -> tuple[int, T | None]:
    """``command`` for callers that want (seq, result); a replay returns the first run's
    seq and result (an ``int`` result is kept on the nonce's row; any other is None).

    ``body`` runs again, in a fresh transaction, when the database turns the transaction
    away. Not when the commit itself failed without a nonce: it may have committed, and
    only a nonce could tell a second run that it had.
    """
    for attempt in range(1, ATTEMPTS + 1):
        cmd: Command | None = None
        try:
            with in_order(meeting_id), command(meeting_id, actor, nonce) as cmd:
                if cmd.replayed_seq is not None:
                    return cmd.replayed_seq, cmd.replayed_id  # type: ignore[return-value]
                result = cmd.result = body(cmd)
            return cmd.seq, result
        except OperationalError:
            unsure = cmd is not None and cmd.committing and cmd.nonce is None
            if unsure or attempt == ATTEMPTS:
                raise Busy(_l("Server sedang sibuk; kirim perintah itu sekali lagi.")) from None
            socketio.sleep(0.01 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


# --- reading ----------------------------------------------------------------------------


def envelope_of(event: MeetingEvent) -> dict[str, Any]:
    import json

    return chain.envelope(
        event.meeting_id, event.seq, event.type, json.loads(event.data), event.at, event.actor
    )


def events_after(meeting_id: int, last_seq: int, limit: int | None = None) -> list[dict[str, Any]]:
    query = (
        select(MeetingEvent)
        .where(MeetingEvent.meeting_id == meeting_id, MeetingEvent.seq > last_seq)
        .order_by(MeetingEvent.seq)
    )
    if limit is not None:
        query = query.limit(limit)
    return [envelope_of(e) for e in db.session.scalars(query)]


def head(meeting_id: int) -> int:
    return (
        db.session.scalar(select(LiveRoom.last_seq).where(LiveRoom.meeting_id == meeting_id)) or 0
    )


def verify_chain(meeting_id: int) -> chain.ChainReport:
    rows = db.session.scalars(
        select(MeetingEvent).where(MeetingEvent.meeting_id == meeting_id).order_by(MeetingEvent.seq)
    )
    entries = (chain.ChainEntry(e.seq, envelope_of(e), e.prev_hash, e.hash) for e in rows)
    return chain.verify(entries, GENESIS_HASH)
