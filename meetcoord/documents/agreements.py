"""Berita acara kesepakatan: what the parties (agencies) agreed, signed by each in turn.

The secretariat names the parties by picking one invitee per agency (the representative
who will sign through their personal link) and writes the agreed points, by default the
decisions the live room recorded. Finalising freezes it like the minutes; the parties
then sign in the order listed, the first certifying.

A party is someone who was there (issue 11): an invitee with an attendance at the meeting
(checked in at a site or online), whoever came for them as a stand-in signing in the
stand-in's name. Someone who declined and never checked in agreed to nothing, so they
are refused when the parties are set (created, edited, finalised) and again when signing,
in case an attendance was removed in between.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from meetcoord.access.actors import Actor
from meetcoord.access.institutions import letterhead_for
from meetcoord.checkin.models import Attendance
from meetcoord.core.errors import PermissionDenied, ValidationError
from meetcoord.core.letter_numbers import format_letter_number
from meetcoord.documents.invitation_letters import SCOPE, next_number
from meetcoord.documents.models import Document, DocumentKind, DocumentSignatory
from meetcoord.documents.pdf.agreement_record import AgreementData, PartyData
from meetcoord.documents.rules import (
    check_version,
    freeze,
    institution,
    log_step,
    paragraphs,
    require_not_frozen,
    require_staff,
    today_in,
)
from meetcoord.documents.snapshot import to_json
from meetcoord.documents.sources import minutes_data
from meetcoord.extensions import db
from meetcoord.live.models import Decision
from meetcoord.meetings.models import Invitation, Meeting, MeetingStatus
from meetcoord.planning.models import SyncMark

MAX_PARTIES = 60


# The point a synchronisation meeting agrees on: its matrix, printed as the appendix.
MATRIX_POINT = (
    "Hasil sinkronisasi usulan disepakati sebagaimana tercantum dalam matriks sinkronisasi "
    "terlampir."
)


def default_points(meeting: Meeting) -> list[str]:
    """The decisions recorded in the live room (not withdrawn), as a starting point, and,
    when the meeting marked proposals, the matrix itself (a synchronisation meeting may
    record no decision text: its outcome is the matrix the agencies sign)."""
    points = list(
        db.session.scalars(
            select(Decision.text)
            .where(Decision.meeting_id == meeting.id, Decision.withdrawn_at.is_(None))
            .order_by(Decision.number)
        )
    )
    marked = select(SyncMark.id).where(
        SyncMark.meeting_id == meeting.id, SyncMark.outcome.is_not(None)
    )
    if db.session.scalar(select(exists(marked))):
        points.append(MATRIX_POINT)
    return points


def attendances(meeting: Meeting) -> dict[int, Attendance]:
    """Who was there: each attendance of the meeting by person (walk-ins included)."""
    rows = db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))
    return {row.person_id: row for row in rows}


def _representative(inv: Invitation) -> bool:
    return inv.withdrawn_at is None and inv.person.organization is not None


def party_candidates(meeting: Meeting) -> list[Invitation]:
    """Invitees who can represent an agency: current, with an organization, and present."""
    present = attendances(meeting)
    return [inv for inv in meeting.invitations if _representative(inv) and inv.person_id in present]


def attendee_name(inv: Invitation, attendance: Attendance | None) -> tuple[str, str | None]:
    """(name, position) of whoever came for this invitation: the stand-in, if one came."""
    if attendance is not None and attendance.stand_in_name:
        return attendance.stand_in_name, attendance.stand_in_position
    if inv.stand_in_name:
        return inv.stand_in_name, inv.stand_in_position
    return inv.person.name, inv.person.position


def _absent(inv: Invitation) -> Any:
    return _l(
        "%(name)s tidak tercatat hadir di rapat ini, jadi tidak dapat menjadi pihak: para "
        "pihak berita acara adalah peserta yang hadir (atau wakilnya).",
        name=inv.person.name,
    )


def _parties(meeting: Meeting, invitation_ids: Any) -> list[Invitation]:
    present = attendances(meeting)
    by_id = {inv.id: inv for inv in meeting.invitations if _representative(inv)}
    try:
        ids = [int(x) for x in invitation_ids or []]
    except (TypeError, ValueError):
        ids = []
    chosen = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
    absent = [inv for inv in chosen if inv.person_id not in present]
    message = None
    if absent:
        message = _absent(absent[0])
    elif len(chosen) < 2:
        message = _l("Pilih paling sedikit dua pihak (wakil instansi yang diundang).")
    elif len(chosen) != len(ids) or len(chosen) > MAX_PARTIES:
        message = _l("Ada pihak yang tidak diundang ke rapat ini atau dipilih dua kali.")
    else:
        orgs = [inv.person.organization_id for inv in chosen]
        if len(set(orgs)) != len(orgs):
            message = _l("Setiap instansi diwakili satu orang saja.")
    if message is not None:
        raise ValidationError(message, errors={"parties": [message]})
    return chosen


def _data(meeting: Meeting, parties: list[Invitation], points: list[str], place: str) -> dict:
    base = minutes_data(meeting)
    present = attendances(meeting)
    return to_json(
        AgreementData(
            **institution(meeting),
            title=f"Kesepakatan {meeting.title}"[:300],
            number=None,
            meeting_title=meeting.title,
            start_at=meeting.start_at,
            host_zone=base.host_zone,
            place=place,
            sites=base.sites,
            parties=[
                PartyData(
                    inv.person.organization.name, *attendee_name(inv, present.get(inv.person_id))
                )
                for inv in parties
            ],
            points=points,
            matrix=base.matrix,
        )
    )


def check_party_present(document: Document, signatory: DocumentSignatory) -> None:
    """At signing: a party of an agreement must (still) be on the meeting's attendance."""
    inv = signatory.invitation
    if document.kind is not DocumentKind.AGREEMENT or inv is None:
        return
    if inv.person_id not in attendances(document.meeting):
        raise PermissionDenied(
            _l(
                "Anda tidak tercatat hadir di rapat ini. Berita acara ditandatangani para "
                "pihak yang hadir (atau wakilnya); hubungi sekretariat."
            )
        )


def create_agreement(
    actor: Actor, meeting: Meeting, party_ids: Any, points: Any = None
) -> Document:
    require_staff(actor)
    if meeting.status not in (MeetingStatus.LIVE, MeetingStatus.CLOSED):
        raise ValidationError(
            _l("Berita acara dibuat untuk rapat yang sedang atau sudah berlangsung."),
            errors={"meeting": [_l("Rapat belum berlangsung.")]},
        )
    parties = _parties(meeting, party_ids)
    lines = paragraphs(points if points else default_points(meeting), "points")
    host = meeting.sites[0].venue.name if meeting.sites else meeting.title
    document = Document(
        meeting_id=meeting.id,
        institution_id=meeting.institution_id,
        kind=DocumentKind.AGREEMENT,
        title=f"Berita Acara Kesepakatan {meeting.title}"[:300],
        content=_data(meeting, parties, lines, host),
        created_by_id=actor.user.id if actor.user is not None else None,
    )
    document.content["party_invitations"] = [inv.id for inv in parties]
    db.session.add(document)
    log_step(document, "created", actor, {"parties": len(parties)})
    db.session.commit()
    return document


def edit_agreement(actor: Actor, document: Document, data: dict[str, Any]) -> Document:
    require_staff(actor)
    require_not_frozen(document)
    check_version(document, data.get("version"))
    content = dict(document.content)
    if "points" in data:
        content["points"] = paragraphs(data["points"], "points")
    if "parties" in data:
        parties = _parties(document.meeting, data["parties"])
        fresh = _data(document.meeting, parties, content["points"], content["place"])
        content["parties"] = fresh["parties"]
        content["party_invitations"] = [inv.id for inv in parties]
    document.content = content
    document.version += 1
    log_step(document, "edited", actor)
    db.session.commit()
    return document


def finalise_agreement(actor: Actor, document: Document, version: Any = None) -> Document:
    """Freeze it; the parties sign in the order listed (the first certifies)."""
    from meetcoord.documents.pdf.agreement_record import party_label

    require_staff(actor)
    require_not_frozen(document)
    check_version(document, version)
    ids = document.content.get("party_invitations") or []
    invitations = {inv.id: inv for inv in document.meeting.invitations if _representative(inv)}
    missing = [i for i in ids if i not in invitations]
    if missing or len(ids) < 2:
        message = _l("Ada pihak yang undangannya sudah ditarik. Pilih ulang para pihak.")
        raise ValidationError(message, errors={"parties": [message]})
    parties = _parties(document.meeting, ids)  # each one still present
    present = attendances(document.meeting)
    signatories = []
    for n, inv in enumerate(parties, start=1):
        org = inv.person.organization.name
        signatories.append(
            DocumentSignatory(
                position=n,
                role=f"party-{n}",
                role_label=f"{party_label(n)} ({org})"[:200],
                invitation_id=inv.id,
                name=attendee_name(inv, present.get(inv.person_id))[0][:200],
                organization=org[:300],
                email=inv.person.email,
            )
        )
    _number(document)
    freeze(document, signatories, actor)
    db.session.commit()
    return document


def _number(document: Document) -> None:
    """Give the berita acara its nomor from the institution's outgoing-letter register.

    A formal record without a number cannot be cited or filed (issue 16). The number is
    taken when the record is frozen, not when it is drafted, so a discarded draft uses
    none; it shares the register (scope) of the invitation letters, as a paper office keeps
    one book of outgoing numbers, so no two documents of the institution get the same one.
    """
    meeting = document.meeting
    zone = meeting.sites[0].venue.timezone if meeting.sites else "Asia/Jakarta"
    issued_on = today_in(zone)
    seq = next_number(meeting.institution_id, SCOPE, issued_on.year)
    number = format_letter_number(
        letterhead_for(meeting).letter_number_pattern,
        seq=seq,
        year=issued_on.year,
        month=issued_on.month,
    )
    document.number = number
    document.content = {**document.content, "number": number}
