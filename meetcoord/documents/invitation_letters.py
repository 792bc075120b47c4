"""Surat undangan for the scheduling step, numbered from the yearly letter sequence.

The number comes from the meeting's institution's pattern (``005/{seq}/BAPPEDA/{year}``;
``MEETCOORD_LETTER_NUMBER_PATTERN`` seeds the first institution's) and its per-year counter
row, which is locked while it is taken, so two secretariats issuing letters at once never
get the same number, and a refused letter uses none (the counter moves in the letter's own
transaction). The letter is frozen at once (its number is given out) and rendered by the
worker like every document; a changed meeting gets a new letter with a new number, as a
paper office would issue one.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from meetcoord.access.actors import Actor
from meetcoord.access.institutions import letterhead_for
from meetcoord.core.errors import Conflict
from meetcoord.core.places import join_place
from meetcoord.documents.models import Document, DocumentKind, LetterSequence
from meetcoord.documents.pdf.letter import (
    InvitationLetterData,
    LetterSite,
    format_letter_number,
)
from meetcoord.documents.rules import freeze, log_step, require_staff, today_in
from meetcoord.documents.snapshot import to_json
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting, MeetingStatus

SCOPE = "invitation_letter"
MAX_RECIPIENT_AGENCIES = 200


def next_number(institution_id: int, scope: str, year: int) -> int:
    """Take an institution's next number of ``year`` (in the caller's transaction; the row
    is locked). Each institution counts its own letters: Bappenas's 001 is not SBD's."""
    query = (
        select(LetterSequence)
        .where(
            LetterSequence.institution_id == institution_id,
            LetterSequence.scope == scope,
            LetterSequence.year == year,
        )
        .with_for_update()
    )
    row = db.session.scalars(query).first()
    if row is None:
        # The year's first letter: two secretariats may both try to create the row; the
        # unique (institution, scope, year) lets one win, and the other then locks the
        # winner's row.
        try:
            with db.session.begin_nested():
                db.session.add(
                    LetterSequence(
                        institution_id=institution_id, scope=scope, year=year, last_value=0
                    )
                )
        except IntegrityError:
            pass
        row = db.session.scalars(query).one()
    row.last_value += 1
    db.session.flush()
    return row.last_value


def letter_data(meeting: Meeting, number: str, issued_on: date) -> InvitationLetterData:
    agencies = sorted(
        {
            inv.person.organization.name
            for inv in meeting.invitations
            if inv.withdrawn_at is None and inv.person.organization is not None
        }
    )
    sites = [
        LetterSite(
            name=site.venue.name,
            address=join_place(site.venue.address, site.venue.city) or None,
            zone=site.venue.timezone,
            start_at=meeting.start_at,
            end_at=meeting.end_at,
        )
        for site in meeting.sites
    ]
    head = letterhead_for(meeting)
    return InvitationLetterData(
        **head.header(),
        number=number,
        issued_on=issued_on,
        place=head.city or (sites[0].name if sites else ""),
        recipients=agencies[:MAX_RECIPIENT_AGENCIES],
        subject=f"Undangan {meeting.title}"[:300],
        title=meeting.title,
        purpose=meeting.purpose,
        sites=sites,
        agenda=[item.title for item in meeting.agenda],
        online_url=meeting.online_url,
        signer_name=head.signer_name,
        signer_position=head.signer_position,
        contact=current_app.config.get("MAIL_FROM"),
    )


def issue_invitation_letter(actor: Actor, meeting: Meeting) -> Document:
    """Number, freeze and queue the rendering of the meeting's invitation letter."""
    require_staff(actor)
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.CLOSED):
        raise Conflict(_l("Surat undangan dibuat untuk rapat yang belum berlangsung."))
    if not any(inv.withdrawn_at is None for inv in meeting.invitations):
        raise Conflict(_l("Belum ada undangan: tambahkan peserta lebih dulu."))
    zone = meeting.sites[0].venue.timezone if meeting.sites else "Asia/Jakarta"
    issued_on = today_in(zone)
    seq = next_number(meeting.institution_id, SCOPE, issued_on.year)
    number = format_letter_number(
        letterhead_for(meeting).letter_number_pattern,
        seq=seq,
        year=issued_on.year,
        month=issued_on.month,
    )
    document = Document(
        meeting_id=meeting.id,
        institution_id=meeting.institution_id,
        kind=DocumentKind.INVITATION_LETTER,
        number=number,
        title=f"Surat Undangan {number}"[:300],
        content=to_json(letter_data(meeting, number, issued_on)),
        created_by_id=actor.user.id if actor.user is not None else None,
    )
    db.session.add(document)
    db.session.flush()
    log_step(document, "created", actor, {"number": number})
    freeze(document, [], actor)
    db.session.commit()
    return document
