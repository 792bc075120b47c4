"""Importing a video platform's participant report: upload → preview → confirm.

The upload is read (``checkin.platform_csv``, in a real thread, after the read transaction
has ended) and kept as a draft with what each participant would become; nothing is
written to the attendance until the secretariat confirms, and the matching runs again at
that moment (someone may have checked in at a site meanwhile). A participant is matched to
the meeting's invitations by e-mail (case-insensitive), else by name when exactly one
invitee has it; a name shared by two invitees is left for the secretariat rather than
guessed. A match becomes an online attendance (no site) with the time they joined; an
invitee already present stays as they are and is reported "already present".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from flask import copy_current_request_context, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from meetcoord.accounts.models import User
from meetcoord.checkin.admission import admit
from meetcoord.checkin.models import Attendance, CheckinMethod
from meetcoord.checkin.platform_csv import parse_report
from meetcoord.checkin.platform_models import (
    ImportState,
    Outcome,
    PlatformImport,
    PlatformParticipant,
)
from meetcoord.core import audit
from meetcoord.core.cleaning import name_key
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, NotFound, ValidationError
from meetcoord.core.offload import off_hub
from meetcoord.core.timezones import is_valid_zone, to_zone
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting
from meetcoord.meetings.services import require_editor
from meetcoord.meetings.zones import host_zone

REFUSED = _l("Impor dibatalkan; tidak ada data yang disimpan.")


class ReportRefused(ValidationError):
    """The file cannot be imported; ``errors["file"]`` says why (nothing was kept)."""

    def __init__(self, reasons: list[str]):
        super().__init__(REFUSED, errors={"file": reasons})
        self.reasons = reasons


@dataclass(frozen=True)
class Summary:
    participants: int
    matched: int
    already: int
    unmatched: int  # waiting for the secretariat (not found or ambiguous)
    manual: int
    dismissed: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def summary(imported: PlatformImport) -> Summary:
    count = Counter(p.outcome for p in imported.participants)
    return Summary(
        len(imported.participants),
        count[Outcome.MATCHED],
        count[Outcome.ALREADY],
        count[Outcome.UNMATCHED] + count[Outcome.AMBIGUOUS],
        count[Outcome.MANUAL],
        count[Outcome.DISMISSED],
    )


# --- matching ---------------------------------------------------------------------------


class _Invitees:
    """The meeting's invitations by e-mail and by name, and who is present already."""

    def __init__(self, meeting_id: int):
        invitations = db.session.scalars(
            select(Invitation)
            .options(selectinload(Invitation.person))
            .where(Invitation.meeting_id == meeting_id, Invitation.withdrawn_at.is_(None))
        ).all()
        self.by_id = {i.id: i for i in invitations}
        self.by_email = {i.person.email.lower(): i for i in invitations if i.person.email}
        self.by_name: dict[str, list[Invitation]] = {}
        for i in invitations:
            self.by_name.setdefault(name_key(i.person.name), []).append(i)
        self.present = set(
            db.session.scalars(
                select(Attendance.person_id).where(Attendance.meeting_id == meeting_id)
            )
        )

    def find(self, name: str, email: str | None) -> tuple[Outcome, Invitation | None]:
        if email and email in self.by_email:
            return Outcome.MATCHED, self.by_email[email]
        named = self.by_name.get(name_key(name), []) if name else []
        if len(named) == 1:
            return Outcome.MATCHED, named[0]
        return (Outcome.AMBIGUOUS if named else Outcome.UNMATCHED), None


def _match(meeting_id: int, participants: list[PlatformParticipant]) -> _Invitees:
    """Set each participant's proposed outcome; an invitee counts once per report."""
    invitees = _Invitees(meeting_id)
    taken: set[int] = set()
    for p in participants:
        outcome, invitation = invitees.find(p.name, p.email)
        p.invitation_id = invitation.id if invitation else None
        if invitation is not None and (
            invitation.person_id in invitees.present or invitation.id in taken
        ):
            outcome = Outcome.ALREADY
        if invitation is not None:
            taken.add(invitation.id)
        p.outcome = outcome
    return invitees


# --- the steps --------------------------------------------------------------------------


def upload(
    actor: User | None,
    meeting: Meeting,
    raw: bytes,
    *,
    filename: str | None,
    zone: str | None,
    max_bytes: int,
    max_rows: int,
) -> PlatformImport:
    """Read the report and keep it as a draft with its preview; refused files keep nothing."""
    require_editor(actor, meeting)
    zone = (zone or "").strip() or host_zone(meeting)
    if not is_valid_zone(zone):
        raise ValidationError(
            _("Zona waktu tidak dikenal."), errors={"zone": [_("Pilih dari daftar.")]}
        )
    meeting_id, day = meeting.id, to_zone(meeting.start_at, zone).date()
    actor_id = actor.id if actor else None
    # End the read transaction first: the file is read without holding the database turn.
    db.session.commit()
    # The reasons for a refusal are worded in the reader's language: the thread that reads
    # the file gets a copy of the request's context (its locale), never the database.
    reader = copy_current_request_context(parse_report) if has_request_context() else parse_report
    parsed = off_hub(reader, raw, zone=zone, day=day, max_bytes=max_bytes, max_rows=max_rows)
    if not parsed.ok:
        raise ReportRefused(parsed.errors)
    imported = PlatformImport(
        meeting_id=meeting_id,
        state=ImportState.DRAFT,
        platform=parsed.platform,
        zone=zone,
        filename=(filename or "")[:200] or None,
        rows=parsed.rows,
        created_by_id=actor_id,
    )
    imported.participants = [
        PlatformParticipant(
            name=p.name,
            email=p.email,
            joined_at=p.joined_at,
            left_at=p.left_at,
            minutes=min(p.minutes, 2**31 - 1),
            outcome=Outcome.UNMATCHED,
        )
        for p in parsed.participants
    ]
    _match(meeting_id, imported.participants)
    db.session.add(imported)
    db.session.flush()
    audit.record(
        actor,
        "upload",
        imported,
        f"platform report: {len(imported.participants)} participants ({parsed.platform})",
    )
    db.session.commit()
    return imported


def get_import(meeting: Meeting, import_id: int) -> PlatformImport:
    imported = db.session.get(PlatformImport, import_id)
    if imported is None or imported.meeting_id != meeting.id:
        raise NotFound(_("Impor tidak ditemukan."))
    return imported


def imports_of(meeting: Meeting) -> list[PlatformImport]:
    return list(
        db.session.scalars(
            select(PlatformImport)
            .where(PlatformImport.meeting_id == meeting.id)
            .order_by(PlatformImport.id.desc())
        )
    )


def _require_draft(imported: PlatformImport) -> None:
    if imported.state is not ImportState.DRAFT:
        raise Conflict(_("Impor ini sudah dikonfirmasi."))


def confirm(actor: User | None, meeting: Meeting, imported: PlatformImport) -> Summary:
    """Write the matched participants as online attendances, matching once more first."""
    require_editor(actor, meeting)
    _require_draft(imported)
    invitees = _match(meeting.id, imported.participants)
    now = utcnow()
    for p in imported.participants:
        if p.outcome is not Outcome.MATCHED:
            continue
        invitation = invitees.by_id[p.invitation_id or 0]
        p.attendance = Attendance(
            meeting_id=meeting.id,
            person_id=invitation.person_id,
            invitation_id=invitation.id,
            site_id=None,
            method=CheckinMethod.PLATFORM,
            checked_in_at=p.joined_at,
            checked_out_at=p.left_at,
            recorded_by_id=actor.id if actor else None,
        )
        p.resolved_at = now
    imported.state, imported.confirmed_at = ImportState.CONFIRMED, now
    done = summary(imported)
    audit.record(
        actor,
        "confirm",
        imported,
        f"platform report: {done.matched} attended online, {done.already} already present, "
        f"{done.unmatched} unmatched",
        done.as_dict(),
    )
    _commit()
    from meetcoord.checkin import live

    live.counts_changed(meeting.id)
    return done


def discard(actor: User | None, meeting: Meeting, imported: PlatformImport) -> None:
    require_editor(actor, meeting)
    _require_draft(imported)
    audit.record(actor, "delete", imported, "platform report: draft discarded")
    db.session.delete(imported)
    db.session.commit()


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("Data bentrok dengan data lain; muat ulang lalu coba lagi.")) from None


# --- what is left for the secretariat ---------------------------------------------------


def waiting(meeting: Meeting) -> list[PlatformParticipant]:
    """Participants of confirmed reports nobody has been matched to yet."""
    return list(
        db.session.scalars(
            select(PlatformParticipant)
            .join(PlatformImport, PlatformImport.id == PlatformParticipant.import_id)
            .where(
                PlatformImport.meeting_id == meeting.id,
                PlatformImport.state == ImportState.CONFIRMED,
                PlatformParticipant.outcome.in_([Outcome.UNMATCHED, Outcome.AMBIGUOUS]),
            )
            .order_by(PlatformParticipant.joined_at, PlatformParticipant.id)
        )
    )


def _waiting_one(meeting: Meeting, participant_id: int) -> PlatformParticipant:
    found = db.session.get(PlatformParticipant, participant_id)
    if found is None or found.platform_import.meeting_id != meeting.id:
        raise NotFound(_("Peserta impor tidak ditemukan."))
    if found.platform_import.state is not ImportState.CONFIRMED or not found.outcome.waiting:
        raise Conflict(_("Peserta ini sudah ditangani."))
    return found


def match_by_hand(
    actor: User | None, meeting: Meeting, participant_id: int, invitation_id: int
) -> PlatformParticipant:
    """The secretariat says who an unmatched participant is: they attended online."""
    require_editor(actor, meeting)
    found = _waiting_one(meeting, participant_id)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.meeting_id != meeting.id or invitation.withdrawn_at:
        raise ValidationError(
            _("Undangan tidak ditemukan."), errors={"invitation_id": [_("Pilih dari daftar.")]}
        )
    result = admit(
        invitation,
        None,
        CheckinMethod.PLATFORM,
        at=found.joined_at,
        actor=actor,
        checked_out_at=found.left_at,
    )
    found.invitation_id = invitation.id
    found.attendance_id = result.attendance_id
    found.outcome = Outcome.MANUAL if result.status == "checked_in" else Outcome.ALREADY
    found.resolved_at, found.resolved_by_id = utcnow(), actor.id if actor else None
    audit.record(
        actor,
        "match",
        found,
        f"platform participant {found.name!r} matched to invitation {invitation.id}",
        {"outcome": found.outcome.value},
    )
    _commit()
    if result.status == "checked_in":
        from meetcoord.checkin import live

        live.counts_changed(meeting.id)
    return found


def dismiss(actor: User | None, meeting: Meeting, participant_id: int) -> PlatformParticipant:
    """Not one of the invitees (a technician, an interpreter): set aside, kept on record."""
    require_editor(actor, meeting)
    found = _waiting_one(meeting, participant_id)
    found.outcome = Outcome.DISMISSED
    found.resolved_at, found.resolved_by_id = utcnow(), actor.id if actor else None
    audit.record(actor, "dismiss", found, f"platform participant {found.name!r} dismissed")
    _commit()
    return found


def participant_dict(p: PlatformParticipant) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "email": p.email,
        "joined_at": p.joined_at,
        "left_at": p.left_at,
        "minutes": p.minutes,
        "outcome": p.outcome.value,
        "invitation_id": p.invitation_id,
        "attendance_id": p.attendance_id,
    }
