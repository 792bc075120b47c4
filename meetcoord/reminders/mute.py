"""Muting reminders with one click from the mail (RFC 8058), without an account.

Every reminder carries ``List-Unsubscribe: <…/reminders/mute/<token>>`` and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``: a mail program's "unsubscribe"
button POSTs there, and the person gets no more reminders. The token is the credential:
the person's id signed with the server key (itsdangerous, its own salt), so it cannot be
forged or turned into another person's, and it is not a personal link — it opens no
invitation, shows no QR, and can do nothing but mute or unmute its holder's reminders.
It does not expire: a mail read a month late must still mute. Rotating the server key
voids every mute link, as it voids every personal link.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from meetcoord.core.errors import NotFound
from meetcoord.directory.models import Person
from meetcoord.extensions import db
from meetcoord.meetings.links import absolute
from meetcoord.reminders.models import ReminderMute

SALT = "meetcoord:reminders-mute"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def mute_token(person: Person) -> str:
    return _serializer().dumps(person.id)


def mute_url(person: Person) -> str:
    """The one-click address a reminder's List-Unsubscribe header names."""
    return absolute(f"/reminders/mute/{mute_token(person)}")


def person_for_token(token: str) -> Person:
    """The person a mute token was made for; a forged or stale one is a plain 404."""
    try:
        person_id = _serializer().loads(token)
    except BadSignature:
        person_id = None
    person = db.session.get(Person, person_id) if isinstance(person_id, int) else None
    if person is None:
        raise NotFound(_l("Tautan ini tidak berlaku."))
    return person


def is_muted(person: Person) -> bool:
    return db.session.get(ReminderMute, person.id) is not None


def muted_ids() -> set[int]:
    return set(db.session.scalars(select(ReminderMute.person_id)))


def mute(token: str) -> Person:
    """Mute the token's person (idempotent: muting twice keeps the first time)."""
    person = person_for_token(token)
    if not is_muted(person):
        db.session.add(ReminderMute(person_id=person.id))
    try:
        db.session.commit()
    except IntegrityError:  # a second click (or the mail program's POST) got there first
        db.session.rollback()
    return person


def unmute(token: str) -> Person:
    """Reminders again for the token's person (the page after muting offers it)."""
    person = person_for_token(token)
    row = db.session.get(ReminderMute, person.id)
    if row is not None:
        db.session.delete(row)
    db.session.commit()
    return person
