"""The secretariat's decisions on registrations: accept, reject, cancel, move up a waiter.

Accepting is what turns a registrant into a person: the directory is searched first by
e-mail (exact, case-insensitive), then by the name as ``core.cleaning.name_key`` folds it
among people who have no e-mail yet (two people of one name with two addresses are two
people). A match is reused — its blanks filled, nothing overwritten — and shown to the
secretariat before they decide (:func:`matches`). The person is then invited through
``meetings.invitations.invite`` (online unless the settings name a site), which writes the
confirmation mail with the personal link and the calendar file to the outbox, in the
person's own zone (``meetings.zones.reader_zone``: their region's), in the same commit.

A seat freed by a rejection or a cancellation goes to the longest-waiting registrant
(:func:`fill_seats`): pending for the secretariat, or accepted at once in auto-accept mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from meetcoord.access.permissions import Permission, require
from meetcoord.accounts.models import User
from meetcoord.core import audit
from meetcoord.core.cleaning import name_key
from meetcoord.core.db import utcnow
from meetcoord.core.errors import PermissionDenied, ServiceError, ValidationError
from meetcoord.core.timezones import is_valid_zone
from meetcoord.directory.models import Organization, Person, StakeholderCategory
from meetcoord.directory.regions import zone_for_region
from meetcoord.extensions import db
from meetcoord.meetings import invitations, mailing
from meetcoord.meetings.models import Invitation, Meeting
from meetcoord.meetings.services import ACTIVE, commit
from meetcoord.registration.models import (
    SEATED,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)

# A registrant who was not asked their category (Person.category is required).
DEFAULT_CATEGORY = StakeholderCategory.COMMUNITY_LEADER
DECIDABLE = (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED)
Status = RegistrationStatus


@dataclass
class Match:
    person: Person
    how: str  # "email" | "name"


@dataclass
class AcceptResult:
    accepted: list[Registration] = field(default_factory=list)
    reused: list[Registration] = field(default_factory=list)  # matched an existing person
    skipped: int = 0  # already decided


def settings_for(meeting: Meeting) -> RegistrationSettings | None:
    return db.session.scalar(
        select(RegistrationSettings).where(RegistrationSettings.meeting_id == meeting.id)
    )


def invitation_of(registration: Registration) -> Invitation | None:
    """The invitation an accepted registration led to (one per meeting and person)."""
    if registration.person_id is None:
        return None
    return db.session.scalar(
        select(Invitation).where(
            Invitation.meeting_id == registration.meeting_id,
            Invitation.person_id == registration.person_id,
            Invitation.withdrawn_at.is_(None),
        )
    )


# --- matching ---------------------------------------------------------------------------


class _Directory:
    """The directory's people by e-mail and by name key, looked up once per batch."""

    def __init__(self, registrations: Sequence[Registration]):
        emails = {r.email for r in registrations}
        self.by_email: dict[str, Person] = {}
        if emails:
            for person in db.session.scalars(
                select(Person).where(func.lower(Person.email).in_(emails))
            ):
                self.by_email[(person.email or "").lower()] = person
        self.by_name: dict[str, int] = {}
        rows = db.session.execute(select(Person.id, Person.name).where(Person.email.is_(None)))
        for person_id, name in rows:
            self.by_name.setdefault(name_key(name), person_id)

    def find(self, registration: Registration) -> Match | None:
        found = self.by_email.get(registration.email)
        if found is not None:
            return Match(found, "email")
        person_id = self.by_name.get(name_key(registration.name))
        if person_id is not None:
            person = db.session.get(Person, person_id)
            if person is not None and person.email is None:
                return Match(person, "name")
        return None


def matches(registrations: Sequence[Registration]) -> dict[int, Match]:
    """For the secretariat's list: who each undecided registrant would be reused as."""
    undecided = [r for r in registrations if r.status in DECIDABLE]
    directory = _Directory(undecided)
    found = {}
    for registration in undecided:
        match = directory.find(registration)
        if match is not None:
            found[registration.id] = match
    return found


def _organization(text: str | None) -> Organization | None:
    """The directory's organization of exactly this name (a typed one is not created)."""
    if not text:
        return None
    return db.session.scalar(select(Organization).where(Organization.name_key == name_key(text)))


def _new_person(registration: Registration) -> Person:
    own_zone = registration.zone if registration.zone and is_valid_zone(registration.zone) else None
    person = Person(
        name=registration.name,
        email=registration.email,
        position=registration.position,
        phone=registration.phone,
        gender=registration.gender,
        category=registration.category or DEFAULT_CATEGORY,
        has_disability=registration.has_disability,
        region=registration.region,
        organization=_organization(registration.organization),
        # The browser's zone only when the region names none: the region is the rule.
        timezone=None if zone_for_region(registration.region) else own_zone,
    )
    db.session.add(person)
    return person


def _fill_blanks(person: Person, registration: Registration) -> None:
    """A reused person keeps what the directory knew; only empty fields are filled."""
    for name in ("email", "position", "phone", "gender", "region"):
        if getattr(person, name) is None and getattr(registration, name) is not None:
            setattr(person, name, getattr(registration, name))
    if person.organization_id is None:
        person.organization = _organization(registration.organization)
    person.has_disability = person.has_disability or registration.has_disability


# --- deciding ---------------------------------------------------------------------------


def _require(actor: User | None, meeting: Meeting) -> None:
    if actor is None:
        raise PermissionDenied(_l("Masuk terlebih dahulu."))
    require(actor, Permission.MEETING_ARRANGE, meeting)


def accept(
    actor: User | None, meeting: Meeting, registrations: Iterable[Registration]
) -> AcceptResult:
    """Accept pending or waiting registrants: people in the directory, invited, mailed."""
    _require(actor, meeting)
    chosen = [r for r in registrations if r.meeting_id == meeting.id]
    result = AcceptResult()
    todo = [r for r in chosen if r.status in DECIDABLE]
    result.skipped = len(chosen) - len(todo)
    if not todo:
        return result
    settings = settings_for(meeting)
    directory = _Directory(todo)
    now = utcnow()
    for registration in todo:
        match = directory.find(registration)
        if match is None:
            person = _new_person(registration)
            registration.matched_by = "new"
            directory.by_email[registration.email] = person  # one person per address
        else:
            person = match.person
            if match.how == "name":  # one registrant per name match, not every namesake
                directory.by_name.pop(name_key(registration.name), None)
            _fill_blanks(person, registration)
            registration.matched_by = match.how
            result.reused.append(registration)
        registration.person = person
        registration.status = Status.ACCEPTED
        registration.decided_at = now
        registration.decided_by_id = actor.id if actor else None
        result.accepted.append(registration)
    db.session.flush()
    people = list(dict.fromkeys(r.person_id for r in todo if r.person_id is not None))
    invited = {i.person_id: i for i in meeting.invitations if i.withdrawn_at is None}
    again = [invited[pid] for pid in people if pid in invited]
    if again and meeting.status in ACTIVE:
        mailing.queue_invitations(again)  # already invited: the confirmation all the same
    audit.record(
        actor,
        "registration.accept",
        meeting,
        f"{meeting.title}: {len(todo)} pendaftar diterima",
        {"registration_ids": [r.id for r in todo]},
    )
    new = [pid for pid in people if pid not in invited]
    if not new:
        commit()
        return result
    site_id = settings.site_id if settings is not None else None
    invitations.invite(actor, meeting, {"person_ids": new, "site_id": site_id})  # commits
    return result


def auto_accept(settings: RegistrationSettings, registrations: Sequence[Registration]) -> None:
    """Accept at once, as the staff member who opened registration; if they no longer may,
    the registrations stay pending for the secretariat."""
    actor = db.session.get(User, settings.enabled_by_id) if settings.enabled_by_id else None
    try:
        accept(actor, settings.meeting, registrations)
    except ServiceError:
        db.session.rollback()


def seats_taken(settings: RegistrationSettings) -> int:
    return int(
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.meeting_id == settings.meeting_id, Registration.status.in_(SEATED)
            )
        )
        or 0
    )


def fill_seats(settings: RegistrationSettings) -> list[Registration]:
    """Move the longest-waiting registrants up into free seats (as pending); the caller
    commits and, in auto-accept mode, accepts them."""
    waiting = select(Registration).where(
        Registration.meeting_id == settings.meeting_id,
        Registration.status == Status.WAITLISTED,
    )
    if settings.capacity is not None:
        free = settings.capacity - seats_taken(settings)
        if free <= 0:
            return []
        waiting = waiting.limit(free)
    moved = list(db.session.scalars(waiting.order_by(Registration.id)))
    for registration in moved:
        registration.status = Status.PENDING
    db.session.flush()
    return moved


# The audit summary is stored text, read by an Indonesian secretariat: words, not codes.
STATUS_WORDS = {
    RegistrationStatus.PENDING: "menunggu",
    RegistrationStatus.ACCEPTED: "diterima",
    RegistrationStatus.WAITLISTED: "masuk daftar tunggu",
    RegistrationStatus.REJECTED: "ditolak",
    RegistrationStatus.CANCELLED: "dibatalkan",
}


def _end(
    actor: User | None,
    meeting: Meeting,
    registrations: Iterable[Registration],
    status: RegistrationStatus,
) -> int:
    _require(actor, meeting)
    ended = [r for r in registrations if r.meeting_id == meeting.id and r.status != status]
    withdraw = [inv for r in ended if (inv := invitation_of(r)) is not None]
    now = utcnow()
    for registration in ended:
        registration.status = status
        registration.decided_at, registration.decided_by_id = now, actor.id if actor else None
    db.session.flush()
    audit.record(
        actor,
        f"registration.{status.value}",
        meeting,
        f"{meeting.title}: {len(ended)} pendaftar {STATUS_WORDS.get(status, status.value)}",
        {"registration_ids": [r.id for r in ended]},
    )
    for invitation in withdraw:  # their link stops working, their calendar is cancelled
        invitations.withdraw_invitation(actor, invitation)  # commits
    settings = settings_for(meeting)
    promoted = fill_seats(settings) if settings is not None else []
    commit()
    if settings is not None and settings.auto_accept and promoted:
        auto_accept(settings, promoted)
    return len(ended)


def reject(actor: User | None, meeting: Meeting, registrations: Iterable[Registration]) -> int:
    return _end(actor, meeting, registrations, Status.REJECTED)


def cancel(actor: User | None, meeting: Meeting, registrations: Iterable[Registration]) -> int:
    """At the registrant's request: as a rejection, but it says who wanted it."""
    return _end(actor, meeting, registrations, Status.CANCELLED)


def move_up(actor: User | None, meeting: Meeting, registration: Registration) -> Registration:
    """A waiting registrant seated by the secretariat's choice, over the capacity."""
    _require(actor, meeting)
    if registration.meeting_id != meeting.id or registration.status is not Status.WAITLISTED:
        raise ValidationError(_l("Pendaftar ini tidak sedang dalam daftar tunggu."))
    registration.status = Status.PENDING
    audit.record(
        actor, "registration.move_up", meeting, f"{meeting.title}: {registration.name} naik"
    )
    commit()
    return registration


def by_ids(meeting: Meeting, ids: Iterable[Any]) -> list[Registration]:
    wanted = {int(i) for i in ids}
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(Registration).where(
                Registration.meeting_id == meeting.id, Registration.id.in_(wanted)
            )
        )
    )
