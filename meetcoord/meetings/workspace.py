"""The meeting page as a workspace: one short tab per section instead of one long form.

Each tab is the same route with ``?tab=<name>`` (server-rendered, so it works without
JavaScript); every action on a tab redirects back to that tab, where the confirmation
(flash) message sits at the top of a short page instead of 5,000 pixels above the anchor.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, request, url_for
from flask_babel import lazy_gettext as _l

from meetcoord.meetings.models import InviteeRole, Meeting

# name → label, in the order of the tab bar
TABS: dict[str, Any] = {
    "overview": _l("Ringkasan"),
    "sites": _l("Lokasi"),
    "agenda": _l("Agenda"),
    "invitees": _l("Undangan"),
    "checkin": _l("Kehadiran"),
    "live": _l("Rapat langsung"),
    "documents": _l("Dokumen"),
}
DEFAULT_TAB = "overview"


def current_tab(tab: str | None = None) -> str:
    """The tab asked for (argument, else ``?tab=``), or the overview for anything unknown."""
    name = tab or request.args.get("tab", "")
    return name if name in TABS else DEFAULT_TAB


def tab_url(meeting: Meeting, tab: str, **values: Any) -> str:
    """The URL of one tab; the overview is the bare meeting URL."""
    if tab != DEFAULT_TAB:
        values["tab"] = tab
    return url_for("meetings.detail", meeting_id=meeting.id, **values)


def back_to(meeting: Meeting, tab: str) -> Any:
    """The redirect after a POST: the same tab, its flash message in view."""
    return redirect(tab_url(meeting, tab))


def missing_roles(meeting: Meeting) -> list[InviteeRole]:
    """Which of chair and minute-taker nobody is invited as (asked before sending)."""
    roles = {inv.role for inv in meeting.invitations if inv.withdrawn_at is None}
    return [role for role in (InviteeRole.CHAIR, InviteeRole.MINUTE_TAKER) if role not in roles]
