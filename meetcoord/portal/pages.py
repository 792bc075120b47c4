"""The portal's HTML blueprint: every page a personal link opens, in one table.

Each route is listed here, not decorated in its module, so that one look shows every URL
a token opens and that each of them sits on the one blueprint ``links.guard`` puts behind
the shared rate limit and the private headers. The view modules hold the functions:
``views`` (the invitation page, its forms and files, the desk entry, the feeds),
``live_views`` (phone and console), ``documents`` and ``agency_views`` (the agency's
follow-up actions, also behind a standing agency link ``/a/<agency_token>``).
Endpoints are ``portal.<function>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.places import join_place
from meetcoord.portal import (
    agency_views,
    documents,
    live_views,
    materials_views,
    questions,
    views,
)
from meetcoord.portal.links import guard

bp = guard(Blueprint("portal", __name__))

GET, POST = ["GET"], ["POST"]
LINK, WATCH = Permission.LINK, Permission.LIVE_WATCH
AGENCY = Permission.AGENCY_ACTIONS
SPEAKER = Permission.MATERIAL_SPEAKER

# (rule, view, methods, the permission it declares: access.permissions' table)
ROUTES: list[tuple[str, Callable[..., Any], list[str], Permission]] = [
    ("/i/<token>", views.invitation_page, GET, LINK),
    ("/i/<token>/join", views.join_online, GET, LINK),
    ("/i/<token>/channels/<int:channel_id>", views.follow_channel, GET, LINK),
    ("/i/<token>/rsvp", views.rsvp, POST, LINK),
    ("/i/<token>/stand-in", views.stand_in, POST, LINK),
    ("/i/<token>/invite.ics", views.invitation_calendar, GET, LINK),
    ("/i/<token>/letter", views.letter, GET, LINK),
    ("/i/<token>/desk/<code>", views.desk_entry, GET, LINK),
    ("/i/<token>/live", live_views.phone, GET, WATCH),
    ("/i/<token>/console", live_views.console, GET, WATCH),
    ("/i/<token>/questions", questions.questions_page, GET, WATCH),  # issue 15: moderated Q&A
    ("/i/<token>/documents/<int:document_id>", documents.document_page, GET, LINK),
    ("/i/<token>/documents/<int:document_id>/pdf", documents.document_pdf, GET, LINK),
    ("/i/<token>/documents/<int:document_id>/<step>", documents.document_step, POST, LINK),
    # The agency's follow-up actions: the person's agency, or a standing agency link's.
    ("/i/<token>/actions", agency_views.personal_actions, GET, AGENCY),
    ("/i/<token>/actions/<int:action_id>", agency_views.personal_update, POST, AGENCY),
    (
        "/i/<token>/actions/<int:action_id>/evidence/<int:evidence_id>",
        agency_views.personal_evidence,
        GET,
        AGENCY,
    ),
    ("/a/<agency_token>", agency_views.agency_page, GET, AGENCY),
    ("/a/<agency_token>/actions/<int:action_id>", agency_views.agency_update, POST, AGENCY),
    (
        "/a/<agency_token>/actions/<int:action_id>/evidence/<int:evidence_id>",
        agency_views.agency_evidence,
        GET,
        AGENCY,
    ),
    # Materials of the agenda (issue 15): the participant's list and downloads, and a
    # speaker's own upload page for one agenda item (its token is the proof).
    ("/i/<token>/materials", materials_views.participant_list, GET, LINK),
    ("/i/<token>/materials/<int:material_id>", materials_views.participant_download, GET, LINK),
    ("/s/<speaker_token>", materials_views.speaker_page, GET, SPEAKER),
    ("/s/<speaker_token>", materials_views.speaker_upload, POST, SPEAKER),
    # A feed token, not a personal link: its own limits replace the shared one (views).
    ("/feeds/<token>.ics", views.feed, GET, LINK),
]

for rule, view, methods, permission in ROUTES:
    bp.add_url_rule(rule, view_func=requires(permission)(view), methods=methods)

# Helpers for templates across the app: the reader's zone on any page a participant reads,
# and the secret feed address on the staff pages that show it (``portal/_feed_link.html``).
bp.add_app_template_filter(views.reader_zone_filter, "reader_zone")
bp.app_context_processor(views.feed_link_helper)
# A venue's address and city written once ("Jl. El Tari 52, Kupang", not "…, Kupang, Kupang").
bp.add_app_template_global(join_place, "join_place")
