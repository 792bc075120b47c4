"""Socket.IO namespace ``/checkin``: attendance counts to kiosks and staff screens.

Connect with auth ``{"site": "<site-code>"}`` or ``{"meeting": <id>}``. Allowed: a staff
session (any signed-in account may watch counts), or a browser holding the personal link
of the site's coordinator (``link_cookie``), for that site's meeting. The client joins room
``meeting:<id>`` and gets the current counts at once; later updates come from
``live.counts_changed`` (coalesced, DESIGN §5: ephemeral, no sequence number).
"""

from __future__ import annotations

from typing import Any

from flask import g
from flask_socketio import Namespace, emit, join_room

from meetcoord.access import permissions, resolve
from meetcoord.access.permissions import Permission
from meetcoord.checkin import live, selfservice
from meetcoord.checkin.counts import presence
from meetcoord.core.sockets import register_namespace
from meetcoord.core.validation import parse_int
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting


def _meeting_for(auth: Any) -> Meeting | None:
    """The meeting this connection may watch, or None (the connection is refused)."""
    auth = auth if isinstance(auth, dict) else {}
    site = None
    if isinstance(auth.get("site"), str):
        site = selfservice.site_by_code(auth["site"])
        meeting = site.meeting if site else None
    elif (meeting_id := parse_int(auth.get("meeting"), minimum=1)) is not None:
        meeting = db.session.get(Meeting, meeting_id)  # a number, or a data-* attribute's text
    else:
        return None
    if meeting is None:
        return None
    user = resolve.account()
    if user is not None:
        # Staff watch the counts of the meetings their institutions own or co-host.
        return meeting if permissions.allowed(user, Permission.MEETING_VIEW, meeting) else None
    holder = resolve.cookie(meeting) if site is not None else None
    if holder is not None and holder.may(Permission.CHECKIN_OPERATE, site):
        return meeting
    return None


class CheckinNamespace(Namespace):
    def on_connect(self, auth: Any = None) -> bool:
        # Judge this handshake's own cookies, never a user cached on a reused context.
        g.pop("_login_user", None)
        meeting = _meeting_for(auth)
        if meeting is None:
            return False
        join_room(live.room(meeting.id))
        emit("counts", {"meeting": meeting.id, **presence(meeting).as_dict()})
        return True


def register() -> None:
    """Once per process, before ``init_app`` (see :func:`register_namespace`)."""
    register_namespace(CheckinNamespace(live.NAMESPACE))
