"""Socket.IO namespace ``/live`` (DESIGN §5): join, catch up, send commands.

Connect with auth ``{"meeting": id, "last_seq": n}`` plus one credential: the browser's
staff session, ``"token"`` (a personal link's token), ``"bearer"`` (an API token), or a
personal link remembered in the browser's cookie. ``"site"`` marks a site's projector.
On connect the client joins ``meeting:<id>`` (and its site's and, for staff, chair,
minute-taker and coordinators, the staff room), then receives every event after
``last_seq`` in order, or a ``snapshot`` when it has none or is far behind.

Commands are socket events named in :data:`COMMANDS`, each ``{"nonce": ..., ...}``,
answered by an ack ``{"ok": true, "seq": n}`` (with ``id`` when the command made
something; a repeated nonce answers the same ack) or ``{"ok": false, "error": {...}}``;
any other event name is answered ``unknown_command``. ``live.api`` is their REST twin. Each
one is taken in this order, and the first refusal answers: the sender's budget
(``rate_limited``, :mod:`.throttle`), an object, an actor still allowed in
(``forbidden``), the power the command needs somewhere in the meeting (``forbidden``,
before its data is looked at, so a stranger learns nothing from a malformed command),
the command's schema (``validation_error``, :mod:`.schemas`), and only then the service.
The actor is loaded again for every command, so a withdrawn invitation, a deactivated
account or a revoked API token stops acting at once, even on a connection still open.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_socketio import ConnectionRefusedError, Namespace, emit, join_room

from meetcoord.access import permissions, resolve
from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.accounts.models import User
from meetcoord.accounts.services import still_signed_in
from meetcoord.checkin.counts import presence as attendance
from meetcoord.core.errors import ServiceError
from meetcoord.core.sockets import MAX_MESSAGE_BYTES, register_namespace
from meetcoord.extensions import db
from meetcoord.live import (
    corrections,
    decisions,
    log,
    matrix,
    presence,
    review,
    schemas,
    services,
    speakers,
    state,
    throttle,
)
from meetcoord.meetings.models import Invitation, Meeting, MeetingStatus
from meetcoord.questions import services as questions

REPLAY_MAX = 500  # further behind than this, a client gets a snapshot instead
RATE_LIMITED = _l("Terlalu banyak perintah dalam waktu singkat; tunggu sebentar lalu kirim lagi.")

Handler = Callable[[Actor, int, Mapping[str, Any]], tuple[int, Any]]


class Spec(NamedTuple):
    """A command: the permission it needs somewhere in the meeting (a row of
    ``access.permissions.TABLE``), and the service it calls with the data its schema
    loaded (``schemas.SCHEMAS[name]``)."""

    permission: Permission
    run: Handler


COMMANDS: dict[str, Spec] = {
    "open": Spec(Permission.LIVE_RUN, lambda a, m, d: services.open_meeting(a, m, d["nonce"])),
    "pause": Spec(Permission.LIVE_RUN, lambda a, m, d: services.pause_meeting(a, m, d["nonce"])),
    "resume": Spec(Permission.LIVE_RUN, lambda a, m, d: services.resume_meeting(a, m, d["nonce"])),
    "close": Spec(Permission.LIVE_RUN, lambda a, m, d: services.close_meeting(a, m, d["nonce"])),
    "item.activate": Spec(
        Permission.LIVE_RUN, lambda a, m, d: services.activate_item(a, m, d["item_id"], d["nonce"])
    ),
    "item.next": Spec(Permission.LIVE_RUN, lambda a, m, d: services.next_item(a, m, d["nonce"])),
    "agenda.add": Spec(Permission.LIVE_RUN, lambda a, m, d: services.add_item(a, m, d, d["nonce"])),
    "agenda.reorder": Spec(
        Permission.LIVE_RUN, lambda a, m, d: services.reorder_items(a, m, d["item_ids"], d["nonce"])
    ),
    "decision.record": Spec(
        Permission.LIVE_RECORD, lambda a, m, d: decisions.record_decision(a, m, d, d["nonce"])
    ),
    "decision.amend": Spec(
        Permission.LIVE_RECORD, lambda a, m, d: corrections.amend_decision(a, m, d, d["nonce"])
    ),
    "decision.tally": Spec(
        Permission.LIVE_TALLY, lambda a, m, d: decisions.set_tally(a, m, d, d["nonce"])
    ),
    "decision.withdraw": Spec(
        Permission.LIVE_RECORD, lambda a, m, d: corrections.withdraw_decision(a, m, d, d["nonce"])
    ),
    "notes.save": Spec(
        Permission.LIVE_RECORD, lambda a, m, d: decisions.save_notes(a, m, d, d["nonce"])
    ),
    "action.create": Spec(
        Permission.LIVE_RECORD, lambda a, m, d: decisions.create_action(a, m, d, d["nonce"])
    ),
    "action.update": Spec(
        Permission.LIVE_RECORD, lambda a, m, d: corrections.update_action(a, m, d, d["nonce"])
    ),
    "action.withdraw": Spec(
        Permission.LIVE_RECORD, lambda a, m, d: corrections.withdraw_action(a, m, d, d["nonce"])
    ),
    "action.review": Spec(
        review.PERMISSION, lambda a, m, d: review.review_action(a, m, d, d["nonce"])
    ),
    "proposal.mark": Spec(
        matrix.MARK_PERMISSION, lambda a, m, d: matrix.mark_proposal(a, m, d, d["nonce"])
    ),
    "proposal.confirm": Spec(
        matrix.CONFIRM_PERMISSION, lambda a, m, d: matrix.confirm_proposal(a, m, d, d["nonce"])
    ),
    "speaker.request": Spec(
        Permission.LIVE_SPEAK, lambda a, m, d: speakers.request_floor(a, m, d, d["nonce"])
    ),
    "speaker.withdraw": Spec(
        Permission.LIVE_SPEAK,
        lambda a, m, d: speakers.withdraw_request(a, m, d["request_id"], d["nonce"]),
    ),
    "floor.give": Spec(
        Permission.LIVE_RUN, lambda a, m, d: speakers.give_floor(a, m, d, d["nonce"])
    ),
    "floor.end": Spec(Permission.LIVE_RUN, lambda a, m, d: speakers.end_floor(a, m, d["nonce"])),
    # Moderated questions (issue 15): what each event carries is questions.services' word.
    "question.ask": Spec(
        questions.ASK_PERMISSION, lambda a, m, d: questions.ask_question(a, m, d, d["nonce"])
    ),
    "question.vote": Spec(
        questions.ASK_PERMISSION, lambda a, m, d: questions.vote_question(a, m, d, d["nonce"])
    ),
    "question.moderate": Spec(
        questions.MODERATE_PERMISSION,
        lambda a, m, d: questions.moderate_question(a, m, d, d["nonce"]),
    ),
    "question.pick": Spec(
        questions.MODERATE_PERMISSION, lambda a, m, d: questions.pick_question(a, m, d, d["nonce"])
    ),
    "question.answer": Spec(
        questions.MODERATE_PERMISSION,
        lambda a, m, d: questions.answer_question(a, m, d, d["nonce"]),
    ),
}


class UnknownCommand(ServiceError):
    """A command name the room does not know (neither on the socket nor over REST)."""

    status = 422
    code = "unknown_command"


def unknown_command(name: Any) -> UnknownCommand:
    shown = str(name)[:64]
    return UnknownCommand(
        _l(
            "Perintah tidak dikenal: %(name)s. Perintah yang ada: %(known)s.",
            name=shown,
            known=", ".join(COMMANDS),
        )
    )


def _staff(user: User | None, meeting: Meeting, token_id: int | None = None) -> Actor | None:
    """A staff account in the room of a meeting its institutions own (else refused, as if
    the meeting did not exist); one that may only look watches (the table decides)."""
    if user is None or not permissions.allowed(user, Permission.LIVE_WATCH, meeting):
        return None
    return resolve.staff(user, meeting, token_id)


def _reload(
    conn: presence.Connection,
    user_id: int | None,
    invitation_id: int | None,
    token_id: int | None,
    login_id: int | None,
) -> Actor | None:
    meeting = db.session.get(Meeting, conn.meeting_id)
    if meeting is None:
        return None
    if user_id is not None:
        # A revoked or expired token, an ended sign-in, a deactivated account: refused.
        # And a membership that ended: the next command of the connection is refused.
        return _staff(still_signed_in(user_id, token_id=token_id, login_id=login_id), meeting)
    if invitation_id is not None:
        inv = db.session.get(Invitation, invitation_id)
        if inv is None or inv.withdrawn_at is not None:
            return None
        return Actor(invitation=inv, meeting=meeting)
    return None


def reply(event: str, data: Any) -> None:
    """Send to the client whose handler is running, which is connected to this process.

    Not through the message queue: with several processes behind Redis, an ordinary emit
    to one sid is also published to every other process, which drops it. When thousands
    of phones connect at once (the start of a webinar) their welcomes and catch-ups were
    most of the queue's traffic, and a subscriber that falls behind is cut off by Redis
    (``client-output-buffer-limit pubsub``): clients waited for a catch-up that never came.
    """
    emit(event, data, ignore_queue=True)


def catch_up(meeting: Meeting, last_seq: int | None) -> None:
    """Send this client what it missed: events after ``last_seq``, or a snapshot."""
    head = log.head(meeting.id)
    if last_seq is not None and last_seq > head:
        last_seq = None  # a client ahead of the log (a reset database): start over
    if last_seq is not None and head - last_seq <= REPLAY_MAX:
        for env in log.events_after(meeting.id, last_seq):
            reply("event", env)
        return
    reply("snapshot", state.snapshot(meeting))


class LiveNamespace(Namespace):
    # sid → (user id, invitation id, API token id, sign-in id): the actor is reloaded for
    # each command.
    identities: dict[str, tuple[int | None, int | None, int | None, int | None]] = {}

    def on_connect(self, auth: Any = None) -> bool:
        g.pop("_login_user", None)  # judge this handshake's own cookies
        seen = schemas.last_seq(auth)
        try:
            auth = schemas.connect_auth(auth)
        except ServiceError as exc:
            # An answer, with the reason, rather than a handshake left hanging.
            raise ConnectionRefusedError(str(exc.message), _body(exc)) from None
        meeting = db.session.get(Meeting, auth["meeting"])
        if meeting is None or meeting.status is MeetingStatus.CANCELLED:
            return False
        actor = resolve.from_socket(auth, meeting)
        if actor is not None and actor.user is not None:
            actor = _staff(actor.user, meeting, actor.token_id)
        if actor is None:
            return False
        sid = request.sid  # type: ignore[attr-defined]
        join_room(log.room(meeting.id))
        join_room(log.site_room(meeting.id, actor.site_id))
        if actor.sees_staff_room:
            join_room(log.staff_room(meeting.id))
        screen_site = auth["site"]
        if screen_site is not None and not any(s.id == screen_site for s in meeting.sites):
            screen_site = None
        token_id = actor.token_id
        self.identities[sid] = (
            actor.user.id if actor.user else None,
            actor.invitation.id if actor.invitation else None,
            token_id,
            actor.user.login_id if actor.user is not None and token_id is None else None,
        )
        reply(
            "welcome",
            {
                "meeting": meeting.id,
                "role": actor.role,
                "name": actor.label,
                "site_id": actor.site_id,
                "invitation_id": actor.invitation.id if actor.invitation else None,
                "max_bytes": MAX_MESSAGE_BYTES,  # a larger command would close the socket
            },
        )
        catch_up(meeting, seen)
        presence.joined(
            sid,
            presence.Connection(
                meeting_id=meeting.id,
                role=actor.role,
                site_id=screen_site if screen_site is not None else actor.site_id,
                label=actor.label,
                is_screen=screen_site is not None,
            ),
        )
        if actor.sees_staff_room:
            reply("presence", presence.summary(meeting.id))
            # Attendance and quorum now; later changes come from checkin.live (coalesced).
            reply("counts", {"meeting": meeting.id, **attendance(meeting).as_dict()})
        return True

    def on_disconnect(self, reason: Any = None) -> None:
        sid = request.sid  # type: ignore[attr-defined]
        self.identities.pop(sid, None)
        presence.left(sid)

    def on_hello(self, data: Any = None) -> None:
        """A heartbeat: the site's link is alive; consoles see "last heard" move on
        (coalesced to two updates a second per meeting however many phones say hello)."""
        conn = presence.heard(request.sid)  # type: ignore[attr-defined]
        if conn is not None:
            presence.changed(conn.meeting_id)

    def on_resync(self, data: Any = None) -> None:
        """A client that saw a gap asks again from its last seq."""
        conn = presence.heard(request.sid)  # type: ignore[attr-defined]
        if conn is None:
            return
        meeting = db.session.get(Meeting, conn.meeting_id)
        if meeting is not None:
            catch_up(meeting, schemas.last_seq(data))

    def trigger_event(self, event: str, *args: Any) -> Any:
        if event not in COMMANDS and hasattr(self, f"on_{event or ''}"):
            return super().trigger_event(event, *args)
        sid, data = args[0], (args[1] if len(args) > 1 else None)
        assert self.socketio is not None

        def handle(data: Any = None) -> dict[str, Any]:
            if event not in COMMANDS:
                # An answer rather than an ack of null (issue 17): a typo in a command's
                # name must not look like a message lost on the way.
                return {"ok": False, "error": _body(unknown_command(event))}
            return self.run_command(event, data)

        # Through Flask-SocketIO, which gives the handler the connection's request context.
        return self.socketio._handle_event(handle, event, self.namespace, sid, data)

    def run_command(self, name: str, data: Any) -> dict[str, Any]:
        sid = request.sid  # type: ignore[attr-defined]
        conn = presence.heard(sid)
        identity = self.identities.get(sid)
        if conn is None or identity is None:
            return _error("not_connected", _l("Tidak tersambung ke rapat; menyambung ulang."))
        if not throttle.allow(identity[0], identity[1], conn.role):
            return _error("rate_limited", RATE_LIMITED)
        if not isinstance(data, Mapping):
            return _error("bad_request", _l("Perintah harus berupa objek JSON."))
        actor = _reload(conn, *identity)
        if actor is None:
            return _error("forbidden", _l("Akses Anda ke rapat ini sudah berakhir."))
        spec = COMMANDS[name]
        try:
            actor.require_somewhere(spec.permission)
            seq, result = spec.run(actor, conn.meeting_id, schemas.load(name, data))
        except ServiceError as exc:
            return {"ok": False, "error": _body(exc)}
        except Exception:
            # A bug, not the client's fault; still an answer, so no console waits forever.
            current_app.logger.exception("live command failed")
            return _error("internal_error", _l("Terjadi kesalahan di server."))
        answer: dict[str, Any] = {"ok": True, "seq": seq}
        if result is not None:
            answer["id"] = result
        return answer


def _body(exc: ServiceError) -> dict[str, Any]:
    return {
        "code": exc.code,
        "message": str(exc.message),
        "fields": {k: [str(m) for m in v] for k, v in exc.errors.items()},
    }


def _error(code: str, message: Any) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": str(message), "fields": {}}}


def register() -> None:
    """Once per process, before ``init_app`` (see :func:`register_namespace`)."""
    register_namespace(LiveNamespace(log.NAMESPACE))
