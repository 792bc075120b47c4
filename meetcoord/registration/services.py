"""Registration settings (the secretariat's) and registering (the public's).

Settings: staff who may arrange the meeting (``MEETING_ARRANGE``, its institution) turn
registration on and off and choose its window, capacity, fields and mode; every change is
one audit entry in the same commit.

Registering has no actor: the visitor is anonymous, the protections are the views' (rate
limits, the timed form token, the honeypot: :mod:`.guard`). One registration per
(meeting, e-mail): registering again updates it and keeps its place in the queue. The
answer never depends on what was there before, so the form cannot be used to learn who
registered. Over capacity the registration waits (``waitlisted``); in auto-accept mode a
seated registration is accepted at once (:mod:`.decisions`), as the staff member who
turned registration on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from meetcoord.access.permissions import Permission, require
from meetcoord.accounts.models import User
from meetcoord.core import audit
from meetcoord.core.cleaning import Collector
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from meetcoord.core.pagination import Page, paginate
from meetcoord.core.timezones import is_valid_zone
from meetcoord.core.validation import normalise_email
from meetcoord.directory.models import Gender, StakeholderCategory
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting, MeetingStatus
from meetcoord.meetings.services import commit
from meetcoord.meetings.zones import host_zone
from meetcoord.registration import decisions
from meetcoord.registration.models import (
    ALWAYS,
    OPTIONAL_FIELDS,
    FieldRule,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)

INVALID = _l("Data pendaftaran belum benar; periksa isian yang ditandai.")
CLOSED_STATUSES = (MeetingStatus.CLOSED, MeetingStatus.CANCELLED)
CAPACITY_MAX = 1_000_000
ALIASES = {
    Gender: {"laki-laki": "male", "pria": "male", "perempuan": "female", "wanita": "female"},
}


# --- settings (the secretariat) ---------------------------------------------------------


def settings_of(meeting_id: int) -> RegistrationSettings | None:
    return db.session.scalar(
        select(RegistrationSettings).where(RegistrationSettings.meeting_id == meeting_id)
    )


def _settings_for_change(actor: User | None, meeting: Meeting) -> RegistrationSettings:
    if actor is None:
        raise PermissionDenied(_l("Masuk terlebih dahulu."))
    require(actor, Permission.MEETING_ARRANGE, meeting)
    found = settings_of(meeting.id)
    if found is None:
        found = RegistrationSettings(meeting=meeting)
        db.session.add(found)
    return found


def enable(actor: User | None, meeting: Meeting) -> RegistrationSettings:
    """Open public registration (the slug of an earlier opening is kept)."""
    found = _settings_for_change(actor, meeting)
    if meeting.status in CLOSED_STATUSES:
        raise Conflict(_l("Rapat yang sudah selesai atau dibatalkan tidak dapat diubah."))
    if found.is_enabled:
        return found
    found.enabled_at, found.disabled_at = utcnow(), None
    found.enabled_by_id = actor.id if actor else None
    db.session.flush()
    audit.record(actor, "registration.enable", meeting, f"Pendaftaran dibuka: {meeting.title}")
    commit()
    return found


def disable(actor: User | None, meeting: Meeting) -> RegistrationSettings | None:
    """Close public registration: the page answers 404; registrations are kept."""
    if actor is None:
        raise PermissionDenied(_l("Masuk terlebih dahulu."))
    require(actor, Permission.MEETING_ARRANGE, meeting)
    found = settings_of(meeting.id)
    if found is None or not found.is_enabled:
        return found
    found.disabled_at = utcnow()
    audit.record(actor, "registration.disable", meeting, f"Pendaftaran ditutup: {meeting.title}")
    commit()
    return found


def clean_settings(meeting: Meeting, data: Mapping[str, Any]) -> dict[str, Any]:
    """The settings a form or the API sent, checked together; times are read in the host's
    zone unless they carry an offset."""
    c = Collector(data, partial=True)
    zone = host_zone(meeting)
    c.moment("opens_at", zone)
    c.moment("closes_at", zone)
    c.integer("capacity", minimum=1, maximum=CAPACITY_MAX)
    c.flag("auto_accept")
    if "site_id" in data:
        raw = c.raw("site_id")
        if raw in (None, ""):
            c.out["site_id"] = None
        else:
            site = next((s for s in meeting.sites if str(s.id) == str(raw)), None)
            if site is None:
                c.fail("site_id", _l("Pilih salah satu lokasi rapat, atau daring."))
            else:
                c.out["site_id"] = site.id
    if "fields" in data:
        fields = data["fields"]
        if not isinstance(fields, Mapping):
            c.fail("fields", _l("Data pendaftaran belum benar; periksa isian yang ditandai."))
        else:
            out: dict[str, str] = {}
            for name, rule in fields.items():
                if name in ALWAYS:
                    continue
                if name not in OPTIONAL_FIELDS or rule not in set(FieldRule):
                    c.fail("fields", _l("Isian tidak dikenal: %(name)s.", name=str(name)[:40]))
                    continue
                if rule != FieldRule.OFF:
                    out[name] = str(rule)
            c.out["fields"] = out
    values = c.done(INVALID)
    opens = values.get("opens_at")
    closes = values.get("closes_at")
    if opens and closes and closes <= opens:
        raise ValidationError(INVALID, errors={"closes_at": [_l("Harus sesudah waktu dibuka.")]})
    return values


def update_settings(
    actor: User | None, meeting: Meeting, data: Mapping[str, Any]
) -> RegistrationSettings:
    """Change window, capacity, mode, fields or site; a bigger capacity seats the waiting."""
    found = _settings_for_change(actor, meeting)
    values = clean_settings(meeting, data)
    changed = {k: str(v) for k, v in values.items() if getattr(found, k, None) != v}
    for key, value in values.items():
        setattr(found, key, value)
    db.session.flush()
    if changed:
        audit.record(
            actor,
            "registration.settings",
            meeting,
            f"Pengaturan pendaftaran: {meeting.title}",
            changed,
        )
    promoted = decisions.fill_seats(found)
    commit()
    if found.auto_accept and promoted:
        decisions.auto_accept(found, promoted)
    return found


# --- the public -------------------------------------------------------------------------


def open_settings(slug: str) -> RegistrationSettings:
    """The settings behind a public slug while registration is on; else one same not found."""
    found = db.session.scalar(
        select(RegistrationSettings).where(RegistrationSettings.slug == slug[:32])
    )
    if found is None or not found.is_enabled or found.meeting.status in CLOSED_STATUSES:
        raise NotFound(_l("Halaman pendaftaran tidak ditemukan atau sudah ditutup."))
    return found


def window(settings: RegistrationSettings, now: datetime | None = None) -> str:
    """``open``, ``not_yet`` or ``closed`` (after ``closes_at``, else once the meeting starts)."""
    now = now or utcnow()
    if settings.opens_at and now < settings.opens_at:
        return "not_yet"
    closes = settings.closes_at or settings.meeting.start_at
    return "closed" if now >= closes else "open"


def clean_registration(settings: RegistrationSettings, data: Mapping[str, Any]) -> dict[str, Any]:
    """What the visitor typed, checked against the fields this meeting asks."""
    c = Collector(data, ALIASES)
    c.text("name", 200, required=True)
    if not c.raw("email"):
        c.fail("email", _l("Wajib diisi."))
    else:
        c.email("email")

    def required(name: str) -> bool:
        return settings.rule(name) is FieldRule.REQUIRED

    asked = settings.asked()
    for name, length in (("position", 200), ("organization", 200), ("region", 120)):
        if name in asked:
            c.text(name, length, required=required(name))
    if "phone" in asked:
        if required("phone") and not c.raw("phone"):
            c.fail("phone", _l("Wajib diisi."))
        else:
            c.phone("phone")
    if "gender" in asked:
        c.choice("gender", Gender, required=required("gender"))
    if "category" in asked:
        c.choice("category", StakeholderCategory, required=required("category"))
    if "disability" in asked:
        c.flag("has_disability")
        c.text("access_needs", 1000, multiline=True)
    zone = c.raw("zone")
    values = c.done(INVALID)
    known = isinstance(zone, str) and len(zone) <= 64 and is_valid_zone(zone)
    values["zone"] = zone if known else None
    return values


def register(settings: RegistrationSettings, data: Mapping[str, Any]) -> None:
    """Register, or update the registration of the same e-mail. Returns nothing on purpose:
    the answer is the same whether the address was new, known, waiting or accepted."""
    if window(settings) != "open":
        raise Conflict(_l("Pendaftaran tidak sedang dibuka."))
    values = clean_registration(settings, data)
    email = normalise_email(values.pop("email"))
    found = db.session.scalar(
        select(Registration).where(
            Registration.meeting_id == settings.meeting_id, Registration.email == email
        )
    )
    if found is None:
        status = _entry_status(settings)
        found = Registration(meeting_id=settings.meeting_id, email=email, status=status)
        db.session.add(found)
    elif found.status is RegistrationStatus.CANCELLED:
        found.status = _entry_status(settings)  # came back: joins at the end of the queue
    for key, value in values.items():
        if found.status is RegistrationStatus.ACCEPTED and key == "zone":
            continue
        setattr(found, key, value)
    commit()
    if settings.auto_accept and found.status is RegistrationStatus.PENDING:
        decisions.auto_accept(settings, [found])


def _entry_status(settings: RegistrationSettings) -> RegistrationStatus:
    if settings.capacity is not None and decisions.seats_taken(settings) >= settings.capacity:
        return RegistrationStatus.WAITLISTED
    return RegistrationStatus.PENDING


# --- reading (the secretariat's list, the API, other features) --------------------------


def registrations_of(
    meeting_id: int,
    status: RegistrationStatus | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[Registration]:
    """One page of a meeting's registrations, oldest first (the waiting list's order)."""
    query = select(Registration).where(Registration.meeting_id == meeting_id)
    if status is not None:
        query = query.where(Registration.status == status)
    return paginate(query.order_by(Registration.id), page, per_page)


def counts(meeting_id: int) -> dict[str, int]:
    """Registrations by status (every status present, zeros included) and ``total``."""
    rows = db.session.execute(
        select(Registration.status, func.count(Registration.id))
        .where(Registration.meeting_id == meeting_id)
        .group_by(Registration.status)
    )
    found = {status.value: 0 for status in RegistrationStatus}
    for status, number in rows:
        found[RegistrationStatus(status).value] = int(number)
    found["total"] = sum(found.values())
    return found
