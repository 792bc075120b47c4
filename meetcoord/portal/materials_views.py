"""Materials through links: a participant's list and downloads, and a speaker's upload page.

A participant (``/i/<token>/materials``) sees the materials of their meeting, each item's
files, those held back until their item starts marked as such (and refused if asked for
directly). The live phone view links here rather than carrying the list: its page stays
within its byte budget. A speaker (``/s/<speaker_token>``) sees one agenda item — the one
the link was made for — and uploads to it; another item, an expired or a revoked link
answers 404.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from meetcoord.core.errors import NotFound, ServiceError
from meetcoord.core.filetypes import accepted_labels
from meetcoord.core.uploads import body_limit
from meetcoord.extensions import db
from meetcoord.materials import queries, services, storage
from meetcoord.materials.models import Material
from meetcoord.materials.views import ACCEPT, file_response
from meetcoord.meetings.models import AgendaItem
from meetcoord.meetings.zones import host_zone
from meetcoord.portal.links import holder


def participant_list(token: str) -> Any:
    invitation = holder(token)
    meeting = invitation.meeting
    started = services.started_item_ids(meeting)
    grouped = queries.by_item(meeting.id)
    return render_template(
        "portal/materials.html",
        meeting=meeting,
        token=token,
        items=[(item, grouped.get(item.id, [])) for item in meeting.agenda],
        is_open=lambda m: services.is_open(m, started),
        human_size=queries.human_size,
        kind_label=services.kind_label,
    )


def participant_download(token: str, material_id: int) -> Any:
    invitation = holder(token)
    material = _material_of(invitation.meeting_id, material_id)
    if not services.is_open(material, services.started_item_ids(invitation.meeting)):
        raise NotFound(_("Bahan ini tersedia setelah mata acaranya dimulai."))
    return file_response(material)


def _material_of(meeting_id: int, material_id: int) -> Material:
    found = db.session.get(Material, material_id)
    if found is None or found.meeting_id != meeting_id:
        raise NotFound(_("Bahan tidak ditemukan."))
    return found


def _speaker_page(link: Any, status: int = 200, message: Any = None, errors: Any = ()) -> Any:
    item: AgendaItem = link.item
    meeting = item.meeting
    files = queries.by_item(meeting.id).get(item.id, [])
    return (
        render_template(
            "portal/speaker.html",
            link=link,
            item=item,
            meeting=meeting,
            files=files,
            zone=host_zone(meeting),
            kinds=accepted_labels(storage.KINDS),
            max_mb=services.max_mb(),
            accept=ACCEPT,
            human_size=queries.human_size,
            kind_label=services.kind_label,
            message=message,
            errors=list(errors),
            token=request.view_args.get("speaker_token") if request.view_args else None,
        ),
        status,
    )


def speaker_page(speaker_token: str) -> Any:
    return _speaker_page(services.speaker_link(speaker_token))


@body_limit(services.body_limit_for)  # before the CSRF check parses the form
def speaker_upload(speaker_token: str) -> Any:
    link = services.speaker_link(speaker_token)
    sent = request.files.get("file")
    try:
        material = services.upload(
            None,
            link.item,
            sent.stream if sent is not None and sent.filename else None,
            sent.filename if sent is not None else None,
            link=link,
        )
    except ServiceError as exc:
        db.session.rollback()
        link = services.speaker_link(speaker_token)
        return _speaker_page(link, exc.status, exc.message, exc.errors.get("file", []))
    flash(_("Bahan %(name)s diunggah.", name=material.filename), "success")
    return redirect(url_for("portal.speaker_page", speaker_token=speaker_token))
