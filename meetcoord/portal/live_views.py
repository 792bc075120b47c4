"""The live room through a personal link: the participant's phone and the chair's console.

Both pages only load, check the link and render; the live room itself (its strings, the
console's page, the socket) is ``meetcoord.live``'s. The staff console and the projector
stay there: they are opened by an account or a site's code, not by a personal link.
"""

from __future__ import annotations

import json
from typing import Any

from flask import abort, make_response, render_template, request

from meetcoord.channels import joining, showing
from meetcoord.live import matrix_page
from meetcoord.live import state as live_state
from meetcoord.live.log import NAMESPACE
from meetcoord.live.views import (
    CONSOLE_ROLES,
    has_review,
    live_meeting,
    phone_strings,
    render_console,
    review_strings,
    tally_strings,
)
from meetcoord.materials import queries as material_queries
from meetcoord.meetings.models import Invitation, InviteeRole, Meeting
from meetcoord.portal.links import holder, remember
from meetcoord.portal.views import channel_href

# The phone page carries the room's snapshot up to this size, so that it is drawn without
# waiting for the socket (issue 16: usable within 2 s at 400 kbps / 400 ms); a larger room
# (many notes and decisions) comes over the socket only, as before, keeping the page light.
INITIAL_MAX_BYTES = 12_000


def initial_snapshot(meeting: Meeting) -> dict[str, Any] | None:
    """The snapshot every participant's socket receives on connecting (the same data, to
    the same holder), or None when it would make the page heavy."""
    snapshot = live_state.snapshot(meeting)
    size = len(json.dumps(snapshot, separators=(",", ":"), default=str))
    return snapshot if size <= INITIAL_MAX_BYTES else None


def _holder_in_room(token: str) -> Invitation:
    """The link's holder, for a meeting that has a live room (a cancelled one has none)."""
    invitation = holder(token)
    live_meeting(invitation.meeting)
    return invitation


def console(token: str) -> Any:
    """The chair runs the meeting from here, the minute-taker records it."""
    invitation = _holder_in_room(token)
    if invitation.role not in CONSOLE_ROLES:
        abort(403)
    response = make_response(render_console(invitation.meeting, invitation))
    remember(request, response, token)
    return response


def phone(token: str) -> Any:
    """Anyone invited follows the meeting and asks for the floor."""
    invitation = _holder_in_room(token)
    meeting = invitation.meeting
    # A site coordinator raises hands for the people at their site, and records the votes
    # counted there.
    at_site = []
    tally_site = None
    strings = phone_strings()
    if invitation.role is InviteeRole.SITE_COORDINATOR and invitation.site_id is not None:
        site = invitation.site
        tally_site = {"id": site.id, "name": site.venue.name}
        strings.update(tally_strings())
        at_site = sorted(
            (
                inv
                for inv in meeting.invitations
                if inv.site_id == invitation.site_id
                and inv.withdrawn_at is None
                and inv.id != invitation.id
            ),
            key=lambda inv: inv.stand_in_name or inv.person.name,
        )
    # A meeting that reviews earlier actions (carry-over) loads the review's script and
    # words; the others stay within the phone page's byte budget without them.
    review = has_review(meeting)
    if review:
        strings.update(review_strings())
    # Likewise a meeting with a synchronisation matrix (issue 14).
    matrix = matrix_page.has_matrix(meeting)
    if matrix:
        strings.update(matrix_page.matrix_strings())
    # An online participant opening this page inside the window attends (issue 15).
    joined = joining.join_live_view(invitation)
    response = make_response(
        render_template(
            "live/phone.html",
            joined=joined,
            channels=showing.for_live_view(invitation),
            channel_href=lambda channel: channel_href(token, meeting, channel),
            meeting=meeting,
            invitation=invitation,
            token=token,
            auth={"meeting": meeting.id, "token": token},
            namespace=NAMESPACE,
            console=invitation.role in CONSOLE_ROLES,
            at_site=at_site,
            tally_site=tally_site,
            review=review,
            matrix=matrix,
            materials=material_queries.has_any(meeting.id),
            strings=strings,
            initial=initial_snapshot(meeting),
        )
    )
    remember(request, response, token)
    return response
