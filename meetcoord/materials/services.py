"""Attaching, removing and handing out materials; the speakers' own upload links.

Every upload follows one order (see ``storage``): the file is received and typed on disk
first, outside any transaction; a refused file is deleted and nothing else happened;
only an accepted one is moved into place and gets its row in a short transaction. A row
that fails to commit takes its file with it. Services take the actor and own the commit.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord.access.actors import as_actor
from meetcoord.access.institutions import letterhead_for
from meetcoord.access.permissions import Permission, require
from meetcoord.core import audit, outbox
from meetcoord.core.db import utcnow
from meetcoord.core.errors import NotFound, ValidationError, field_errors
from meetcoord.core.filetypes import BY_EXTENSION, accepted_labels, safe_name
from meetcoord.core.tokens import hash_token, new_token
from meetcoord.core.validation import normalise_email, parse_int
from meetcoord.extensions import db
from meetcoord.live.models import LiveRoom, MeetingEvent, RoomState
from meetcoord.materials import storage
from meetcoord.materials.models import Material, SpeakerLink
from meetcoord.meetings import links
from meetcoord.meetings.models import AgendaItem, Meeting, MeetingStatus

TOKEN_PREFIX = "ms_"  # noqa: S105 - a prefix, not a secret
LINK_DAYS_DEFAULT = 14
LINK_DAYS_MAX = 90
NAME_MAX = 200


class MaterialTooLarge(ValidationError):
    """More bytes than ``MATERIAL_MAX_BYTES``: 413, as the body limit answers."""

    status = 413
    code = "content_too_large"


def max_bytes() -> int:
    return int(current_app.config["MATERIAL_MAX_BYTES"])


def max_mb() -> float:
    return round(max_bytes() / (1024 * 1024), 1)


def body_limit_for(_view_args: dict[str, Any]) -> int:
    """An upload's body: the file up to the limit, and a small form beside it."""
    return max_bytes() + 64 * 1024


def item_missing() -> Any:
    return _l("Mata acara tidak ada dalam rapat ini.")


def wrong_kind_message(name: str) -> Any:
    return _l(
        "Berkas %(name)s bukan jenis yang diterima. Jenis yang diterima: %(kinds)s.",
        name=name,
        kinds=accepted_labels(storage.KINDS),
    )


# --- uploads ------------------------------------------------------------------------------


def upload(
    who: Any,
    item: AgendaItem,
    stream: BinaryIO | None,
    filename: str | None,
    *,
    after_start: bool = False,
    link: SpeakerLink | None = None,
) -> Material:
    """Attach a file to ``item``: the secretariat (``who``), or a speaker through ``link``
    (already resolved to this very item by :func:`speaker_link`)."""
    actor = as_actor(who)
    if link is None:
        require(actor, Permission.MEETING_ARRANGE, item)
    elif link.agenda_item_id != item.id:
        raise NotFound(item_missing())
    # What the row needs is read now: the session is released while the file is copied.
    item_id, meeting_id, title = item.id, item.meeting_id, item.title
    user_id = actor.user.id if actor.user is not None else None
    link_id = link.id if link is not None else None
    name = (filename or "").strip()
    if stream is None or not name:
        message = _l("Pilih berkas yang akan diunggah.")
        raise ValidationError(message, errors=field_errors(file=message))
    db.session.commit()  # ends the read transaction: no database turn held while copying
    instance = current_app.instance_path
    try:
        received = storage.receive(instance, stream, max_bytes())
    except storage.TooLarge:
        message = _l("Berkas terlalu besar; paling besar %(mb)s MB.", mb=max_mb())
        raise MaterialTooLarge(message, errors=field_errors(file=message)) from None
    if received.kind is None:
        storage.discard(received)
        message = wrong_kind_message(name)
        raise ValidationError(message, errors=field_errors(file=message))
    key = storage.keep(instance, received)
    material = Material(
        meeting_id=meeting_id,
        agenda_item_id=item_id,
        filename=safe_name(name, received.kind, fallback="bahan"),
        kind=received.kind.extension,
        content_type=received.kind.content_type,
        size=received.size,
        sha256=received.sha256,
        storage_key=key,
        after_start=bool(after_start),
        uploaded_at=utcnow(),
        uploaded_by_id=user_id,
        speaker_link_id=link_id,
    )
    try:
        db.session.add(material)
        db.session.flush()
        by = f" (pembicara, tautan {link_id})" if link_id else ""
        audit.record(actor.user, "material.upload", material, f"{title}: {material.filename}{by}")
        db.session.commit()
    except BaseException:
        db.session.rollback()
        storage.remove(instance, key)
        raise
    return material


def delete(who: Any, material: Material) -> None:
    """Remove a material and its file (the secretariat's, audited)."""
    actor = as_actor(who)
    require(actor, Permission.MEETING_ARRANGE, material.item)
    key = material.storage_key
    audit.record(
        actor.user, "material.delete", material, f"{material.item.title}: {material.filename}"
    )
    db.session.delete(material)
    db.session.commit()
    storage.remove(current_app.instance_path, key)


# --- who sees what, and when ---------------------------------------------------------------


def started_item_ids(meeting: Meeting) -> set[int] | None:
    """The items that have started in the live room; None when every item counts as
    started (the meeting is over). Read from the log's ``item.activated`` events, so an
    item the chair went back over stays started."""
    room = db.session.get(LiveRoom, meeting.id)
    if meeting.status is MeetingStatus.CLOSED or (room and room.state is RoomState.CLOSED):
        return None
    found: set[int] = set()
    rows = db.session.scalars(
        select(MeetingEvent.data).where(
            MeetingEvent.meeting_id == meeting.id, MeetingEvent.type == "item.activated"
        )
    )
    for raw in rows:
        try:
            found.add(int(json.loads(raw)["item_id"]))
        except (ValueError, KeyError, TypeError):
            continue
    if room is not None and room.current_item_id is not None:
        found.add(room.current_item_id)
    return found


def is_open(material: Material, started: set[int] | None) -> bool:
    """Whether participants may download ``material`` now."""
    return not material.after_start or started is None or material.agenda_item_id in started


def kind_label(material: Material) -> str:
    kind = BY_EXTENSION.get(material.kind)
    return kind.label if kind else material.kind.upper()


# --- speakers' links -----------------------------------------------------------------------


def _as_aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def issue_link(who: Any, item: AgendaItem, data: dict[str, Any]) -> tuple[SpeakerLink, str]:
    """A speaker's own upload link for ``item``: the row and the token (shown once, and
    mailed through the outbox when an address is given)."""
    actor = as_actor(who)
    require(actor, Permission.MEETING_ARRANGE, item)
    name = str(data.get("name") or "").strip() or (item.presenter or "").strip()
    if not name:
        message = _l("Isi nama pembicara.")
        raise ValidationError(message, errors=field_errors(name=message))
    if len(name) > NAME_MAX:
        message = _l("Paling banyak %(n)s karakter.", n=NAME_MAX)
        raise ValidationError(message, errors=field_errors(name=message))
    raw_email = str(data.get("email") or "").strip()
    email = normalise_email(raw_email) if raw_email else None
    days = parse_int(data.get("days") or LINK_DAYS_DEFAULT, minimum=1, maximum=LINK_DAYS_MAX)
    token = new_token(TOKEN_PREFIX)
    link = SpeakerLink(
        meeting_id=item.meeting_id,
        agenda_item_id=item.id,
        token_hash=hash_token(token),
        name=name,
        email=email,
        expires_at=utcnow() + timedelta(days=days or LINK_DAYS_DEFAULT),
        created_by_id=actor.user.id if actor.user is not None else None,
        created_at=utcnow(),
    )
    db.session.add(link)
    db.session.flush()
    audit.record(actor.user, "speaker_link.issue", link, f"{item.title}: {name}")
    if email:
        _mail_link(link, item, token)
    db.session.commit()
    return link, token


def link_url(token: str) -> str:
    # A path, not url_for: the mail is composed outside a request too (CLI, tests).
    return links.absolute(f"/s/{token}")


def _mail_link(link: SpeakerLink, item: AgendaItem, token: str) -> None:
    meeting = item.meeting
    with force_locale("id"):
        body = (
            f"Yth. {link.name},\n\n"
            f'Anda diminta mengunggah bahan paparan untuk mata acara "{item.title}" '
            f"pada {meeting.title}.\n\n"
            f"Unggah melalui tautan pribadi ini (jangan diteruskan):\n{link_url(token)}\n\n"
            f"Jenis berkas: {accepted_labels(storage.KINDS)}; paling besar {max_mb()} MB.\n"
            f"Tautan berlaku sampai {link.expires_at:%d-%m-%Y %H:%M} UTC.\n"
        )
    message = outbox.text_message(
        link.email or "",
        link.name,
        f"Unggah bahan paparan: {meeting.title}",
        body,
        sender_name=letterhead_for(meeting).sender_name,
    )
    outbox.enqueue(
        kind="speaker_link",
        recipient=link.email or "",
        subject=str(message["Subject"]),
        message=message.as_bytes(),
        ref_type="speaker_link",
        ref_id=link.id,
    )


def revoke_link(who: Any, link: SpeakerLink) -> SpeakerLink:
    """Stop a speaker's link at once (twice changes nothing)."""
    actor = as_actor(who)
    require(actor, Permission.MEETING_ARRANGE, link.item)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        audit.record(actor.user, "speaker_link.revoke", link, f"{link.item.title}: {link.name}")
        db.session.commit()
    return link


def speaker_link(token: str) -> SpeakerLink:
    """The usable link ``token`` opens; unknown, expired or revoked: not found (the same
    answer for all, saying nothing about which)."""
    link = db.session.scalar(select(SpeakerLink).where(SpeakerLink.token_hash == hash_token(token)))
    now = utcnow()
    if link is None or link.revoked_at is not None or _as_aware(link.expires_at) <= now:
        raise NotFound(_l("Tautan tidak ditemukan atau sudah tidak berlaku."))
    return link


def links_of(meeting: Meeting) -> list[SpeakerLink]:
    return list(
        db.session.scalars(
            select(SpeakerLink)
            .where(SpeakerLink.meeting_id == meeting.id)
            .order_by(SpeakerLink.id.desc())
        )
    )
