"""Turning a public page on and off, and finding a published page by its slug.

Who may: for a meeting or a series, staff who may arrange it (``MEETING_ARRANGE``); for a
forum, staff who keep it (``DIRECTORY_EDIT``) — both in the subject's own institution.
Another institution's subject is not found, a viewer member is told they may only look
(``access.permissions.require``). Every change is one audit entry in the same commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from meetcoord.access import scope
from meetcoord.access.permissions import Permission, require, visible
from meetcoord.core import audit
from meetcoord.core.db import utcnow
from meetcoord.core.errors import NotFound
from meetcoord.directory.models import Forum
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting, Series
from meetcoord.public.models import Publication, SubjectType

MODELS: dict[SubjectType, type[Any]] = {
    SubjectType.MEETING: Meeting,
    SubjectType.SERIES: Series,
    SubjectType.FORUM: Forum,
}
MANAGE: dict[SubjectType, Permission] = {
    SubjectType.MEETING: Permission.MEETING_ARRANGE,
    SubjectType.SERIES: Permission.MEETING_ARRANGE,
    SubjectType.FORUM: Permission.DIRECTORY_EDIT,
}


def subject_for(actor: Any, kind: SubjectType, subject_id: int) -> Any:
    """The meeting, series or forum ``subject_id`` if ``actor`` sees its institution's
    work; otherwise not found, exactly like a missing id."""
    return visible(actor, db.session.get(MODELS[kind], subject_id))


def publication_of(kind: SubjectType | str, subject_id: int) -> Publication | None:
    return db.session.scalar(
        select(Publication).where(
            Publication.subject_type == SubjectType(kind), Publication.subject_id == subject_id
        )
    )


def _name(subject: Any) -> str:
    return str(getattr(subject, "title", None) or getattr(subject, "name", ""))


def enable(actor: Any, kind: SubjectType, subject: Any) -> Publication:
    """Open ``subject``'s public page (its slug is kept from an earlier opening)."""
    require(actor, MANAGE[kind], subject)
    found = publication_of(kind, subject.id)
    if found is not None and found.is_enabled:
        return found  # already public: nothing changes, nothing to audit
    if found is None:
        found = Publication(subject_type=kind, subject_id=subject.id)
        db.session.add(found)
    found.enabled_at = utcnow()
    found.enabled_by_id = actor.id
    found.disabled_at = None
    db.session.flush()
    audit.record(
        actor,
        "publication.enable",
        found,
        f"Halaman publik dibuka: {kind.value} {subject.id} ({_name(subject)})",
        {"subject_type": kind.value, "subject_id": subject.id},
    )
    db.session.commit()
    return found


def disable(actor: Any, kind: SubjectType, subject: Any) -> Publication | None:
    """Close ``subject``'s public page: its address answers 404 from now on."""
    require(actor, MANAGE[kind], subject)
    found = publication_of(kind, subject.id)
    if found is None or not found.is_enabled:
        return found
    found.disabled_at = utcnow()
    audit.record(
        actor,
        "publication.disable",
        found,
        f"Halaman publik ditutup: {kind.value} {subject.id} ({_name(subject)})",
        {"subject_type": kind.value, "subject_id": subject.id},
    )
    db.session.commit()
    return found


def published(slug: str) -> tuple[Publication, Any]:
    """The publication behind ``slug`` and its subject, while it is on.

    A slug never issued, one turned off, or one whose subject is gone: the same not found.
    """
    found = db.session.scalar(select(Publication).where(Publication.slug == slug[:32]))
    subject = (
        db.session.get(MODELS[found.subject_type], found.subject_id)
        if found is not None and found.is_enabled
        else None
    )
    if found is None or subject is None:
        raise NotFound(scope.NOT_FOUND)
    return found, subject
