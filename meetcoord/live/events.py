"""Socket.IO namespace ``/live`` (DESIGN §5): join, catch up, send commands.

Connect with auth ``{"meeting": id, "last_seq": n}`` plus one credential: the browser's
staff session, ``"token"`` (a personal link's token), ``"bearer"`` (an API token), or a
personal link remembered in the browser's cookie. ``"site"`` marks a site's projector.
On connect the client joins ``meeting:<id>`` (and its site's and, for staff, chair,
minute-taker and coordinators, the staff room), then receives every event after
``last_seq`` in order, or a ``snapshot`` when it has none or is far behind.

Commands are socket events named in :data:`COMMANDS`, each ``{"nonce": ..., ...}``,
answered by an ack ``{"ok": true, "seq": n}`` or ``{"ok": false, "error": {...}}``.
The actor is loaded again for every command, so a withdrawn invitation, a deactivated
account or a revoked API token stops acting at once, even on a connection still open.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_socketio import Namespace, emit, join_room
from sqlalchemy import select

from meetcoord.accounts.models import ApiToken
from meetcoord.accounts.services import still_signed_in, user_for_token
from meetcoord.checkin import link_cookie
from meetcoord.checkin.counts import presence as attendance
from meetcoord.core.errors import ServiceError
from meetcoord.core.sockets import register_namespace
from meetcoord.core.tokens import hash_token
from meetcoord.extensions import db
from meetcoord.live import decisions, log, presence, services, speakers, state
from meetcoord.live.actors import LiveActor
from meetcoord.meetings.invitations import invitation_by_token
from meetcoord.meetings.models import Invitation, Meeting, MeetingStatus

REPLAY_MAX = 500  # further behind than this, a client gets a snapshot instead

Handler = Callable[[LiveActor, int, Mapping[str, Any]], tuple[int, Any]]

COMMANDS: dict[str, Handler] = {
    "open": lambda a, m, d: services.open_meeting(a, m, d.get("nonce")),
    "pause": lambda a, m, d: services.pause_meeting(a, m, d.get("nonce")),
    "resume": lambda a, m, d: services.resume_meeting(a, m, d.get("nonce")),
    "close": lambda a, m, d: services.close_meeting(a, m, d.get("nonce")),
    "item.activate": lambda a, m, d: services.activate_item(a, m, d.get("item_id"), d.get("nonce")),
    "item.next": lambda a, m, d: services.next_item(a, m, d.get("nonce")),
    "agenda.add": lambda a, m, d: services.add_item(a, m, d, d.get("nonce")),
    "agenda.reorder": lambda a, m, d: services.reorder_items(
        a, m, d.get("item_ids") or [], d.get("nonce")
    ),
    "decision.record": lambda a, m, d: decisions.record_decision(a, m, d, d.get("nonce")),
    "decision.amend": lambda a, m, d: decisions.amend_decision(a, m, d, d.get("nonce")),
    "decision.tally": lambda a, m, d: decisions.set_tally(a, m, d, d.get("nonce")),
    "notes.save": lambda a, m, d: decisions.save_notes(a, m, d, d.get("nonce")),
    "action.create": lambda a, m, d: decisions.create_action(a, m, d, d.get("nonce")),
    "speaker.request": lambda a, m, d: speakers.request_floor(a, m, d, d.get("nonce")),
    "speaker.withdraw": lambda a, m, d: speakers.withdraw_request(
        a, m, d.get("request_id"), d.get("nonce")
    ),
    "floor.give": lambda a, m, d: speakers.give_floor(a, m, d, d.get("nonce")),
    "floor.end": lambda a, m, d: speakers.end_floor(a, m, d.get("nonce")),
}


def _actor_for(auth: Mapping[str, Any], meeting: Meeting) -> LiveActor | None:
    """Who is connecting to ``meeting``, or None (refused)."""
    token = auth.get("token")
    if isinstance(token, str) and token:
        try:
            invitation = invitation_by_token(token)
        except ServiceError:
            return None
        return LiveActor(invitation=invitation) if invitation.meeting_id == meeting.id else None
    bearer = auth.get("bearer")
    if isinstance(bearer, str) and bearer:
        user = user_for_token(bearer)
        return LiveActor(user=user) if user is not None else None
    if current_user.is_authenticated:
        return LiveActor(user=current_user._get_current_object())  # type: ignore[attr-defined]
    invitation = link_cookie.invitation_for(request, meeting)
    return LiveActor(invitation=invitation) if invitation is not None else None


def _token_id(auth: Mapping[str, Any]) -> int | None:
    """The API token a connection came in with, to check it is still valid later."""
    bearer = auth.get("bearer")
    if not isinstance(bearer, str) or not bearer:
        return None
    return db.session.scalar(select(ApiToken.id).where(ApiToken.token_hash == hash_token(bearer)))


def _reload(
    conn: presence.Connection,
    user_id: int | None,
    invitation_id: int | None,
    token_id: int | None,
    login_id: int | None,
) -> LiveActor | None:
    if user_id is not None:
        # A revoked or expired token, an ended sign-in, a deactivated account: refused.
        user = still_signed_in(user_id, token_id=token_id, login_id=login_id)
        return LiveActor(user=user) if user is not None else None
    if invitation_id is not None:
        inv = db.session.get(Invitation, invitation_id)
        if inv is None or inv.withdrawn_at is not None:
            return None
        return LiveActor(invitation=inv)
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def catch_up(meeting: Meeting, last_seq: int | None) -> None:
    """Send this client what it missed: events after ``last_seq``, or a snapshot."""
    head = log.head(meeting.id)
    if last_seq is not None and last_seq > head:
        last_seq = None  # a client ahead of the log (a reset database): start over
    if last_seq is not None and head - last_seq <= REPLAY_MAX:
        for env in log.events_after(meeting.id, last_seq):
            emit("event", env)
        return
    emit("snapshot", state.snapshot(meeting))


class LiveNamespace(Namespace):
    # sid → (user id, invitation id, API token id, sign-in id): the actor is reloaded for
    # each command.
    identities: dict[str, tuple[int | None, int | None, int | None, int | None]] = {}

    def on_connect(self, auth: Any = None) -> bool:
        g.pop("_login_user", None)  # judge this handshake's own cookies
        auth = auth if isinstance(auth, Mapping) else {}
        meeting_id = _as_int(auth.get("meeting"))
        meeting = db.session.get(Meeting, meeting_id) if meeting_id is not None else None
        if meeting is None or meeting.status is MeetingStatus.CANCELLED:
            return False
        actor = _actor_for(auth, meeting)
        if actor is None:
            return False
        sid = request.sid  # type: ignore[attr-defined]
        join_room(log.room(meeting.id))
        join_room(log.site_room(meeting.id, actor.site_id))
        if actor.sees_staff_room:
            join_room(log.staff_room(meeting.id))
        screen_site = _as_int(auth.get("site"))
        if screen_site is not None and not any(s.id == screen_site for s in meeting.sites):
            screen_site = None
        token_id = _token_id(auth) if actor.user is not None else None
        self.identities[sid] = (
            actor.user.id if actor.user else None,
            actor.invitation.id if actor.invitation else None,
            token_id,
            actor.user.login_id if actor.user is not None and token_id is None else None,
        )
        emit(
            "welcome",
            {
                "meeting": meeting.id,
                "role": actor.role,
                "name": actor.label,
                "site_id": actor.site_id,
                "invitation_id": actor.invitation.id if actor.invitation else None,
            },
        )
        catch_up(meeting, _as_int(auth.get("last_seq")))
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
            emit("presence", presence.summary(meeting.id))
            # Attendance and quorum now; later changes come from checkin.live (coalesced).
            emit("counts", {"meeting": meeting.id, **attendance(meeting).as_dict()})
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
            last = _as_int(data.get("last_seq")) if isinstance(data, Mapping) else None
            catch_up(meeting, last)

    def trigger_event(self, event: str, *args: Any) -> Any:
        command = COMMANDS.get(event)
        if command is None:
            return super().trigger_event(event, *args)
        sid, data = args[0], (args[1] if len(args) > 1 else None)
        assert self.socketio is not None

        def handle(data: Any = None) -> dict[str, Any]:
            return self.run_command(command, data)

        # Through Flask-SocketIO, which gives the handler the connection's request context.
        return self.socketio._handle_event(handle, event, self.namespace, sid, data)

    def run_command(self, handler: Handler, data: Any) -> dict[str, Any]:
        sid = request.sid  # type: ignore[attr-defined]
        conn = presence.heard(sid)
        identity = self.identities.get(sid)
        if conn is None or identity is None:
            return _error("not_connected", "Not connected to a meeting.")
        if not isinstance(data, Mapping):
            return _error("bad_request", "A command carries an object.")
        actor = _reload(conn, *identity)
        if actor is None:
            return _error("forbidden", "Your access to this meeting has ended.")
        try:
            seq, result = handler(actor, conn.meeting_id, data)
        except ServiceError as exc:
            return {
                "ok": False,
                "error": {
                    "code": exc.code,
                    "message": str(exc.message),
                    "fields": {k: [str(m) for m in v] for k, v in exc.errors.items()},
                },
            }
        except Exception:
            # A bug, not the client's fault; still an answer, so no console waits forever.
            current_app.logger.exception("live command failed")
            return _error("internal_error", str(_l("Terjadi kesalahan di server.")))
        answer: dict[str, Any] = {"ok": True, "seq": seq}
        if result is not None:
            answer["id"] = result
        return answer


def _error(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message, "fields": {}}}


def register() -> None:
    """Once per process, before ``init_app`` (see :func:`register_namespace`)."""
    register_namespace(LiveNamespace(log.NAMESPACE))
