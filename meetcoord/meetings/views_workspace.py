"""What the meeting workspace adds to its tabs: the person picker's search and the
stand-in's assignment letter (surat tugas) for the secretariat.

Both are reached through the meeting (``services.get_meeting`` with the account), so
another institution's staff find neither the meeting nor its people or letters (404).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, send_file
from flask_babel import gettext as _

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.errors import NotFound
from meetcoord.core.forms import current_actor
from meetcoord.core.pagination import ListQuery
from meetcoord.directory import services as directory
from meetcoord.directory.models import Person
from meetcoord.meetings import invitations, services
from meetcoord.meetings.views_support import bp, require_editor

SEARCH_LIMIT = 20  # a picker shows a short list; typing more narrows it


@bp.get("/<int:meeting_id>/people.json")
@requires(Permission.MEETING_ARRANGE)
def people_search(meeting_id: int) -> Any:
    """People the account may invite to this meeting whose name, position or agency
    matches ``q``, those already invited marked (the picker greys them out)."""
    meeting = services.get_meeting(meeting_id, current_actor())
    require_editor(meeting)
    q = request.args.get("q", "").strip()[:100]
    found = directory.list_records(
        Person, ListQuery(q=q, per_page=SEARCH_LIMIT), current_actor()
    ).items
    invited = {inv.person_id for inv in meeting.invitations if inv.withdrawn_at is None}
    people = [
        {
            "id": person.id,
            "name": person.name,
            "label": (
                f"{person.name} — {person.organization.name}"
                if person.organization
                else person.name
            ),
            "position": person.position or "",
            "invited": person.id in invited,
        }
        for person in found
    ]
    response = jsonify(people=people)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:meeting_id>/invitations/<int:invitation_id>/letter")
@requires(Permission.MEETING_ARRANGE)
def stand_in_letter(meeting_id: int, invitation_id: int) -> Any:
    """The stand-in's assignment letter, opened in the browser by the secretariat.

    Stored under a random name outside ``static``; only its meeting's editors get it, as
    the type it was recognised as on upload, never sniffed or cached by a shared proxy.
    """
    meeting = services.get_meeting(meeting_id, current_actor())
    require_editor(meeting)
    found = next((inv for inv in meeting.invitations if inv.id == invitation_id), None)
    path = invitations.letter_path(found) if found is not None else None
    if found is None or path is None or not path.is_file():
        raise NotFound(_("Surat tugas tidak ditemukan."))
    response = send_file(
        path,
        mimetype=found.stand_in_letter_type or "application/octet-stream",
        download_name=f"surat-tugas-{found.id}{path.suffix}",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
