"""Invitees: who is invited to which site, their personal links, RSVPs and stand-ins.

A participant has no account: the personal link ``/i/<token>`` is how they answer, change
site, name a stand-in and fetch their calendar file. Only a hash of the token is stored;
the token itself is derived from the server key and a per-invitation salt so that every
update mail can carry the same link (see ``core.tokens.derived_token``).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord import webhooks
from meetcoord.access import scope
from meetcoord.accounts.models import User
from meetcoord.core import audit
from meetcoord.core.cleaning import clean_line
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, NotFound, ValidationError
from meetcoord.core.tokens import hash_token, new_salt
from meetcoord.core.validation import parse_int
from meetcoord.directory.models import Forum, Organization, Person
from meetcoord.extensions import db
from meetcoord.meetings import links, mailing
from meetcoord.meetings.cleaning import ALIASES, clean_invitee
from meetcoord.meetings.models import (
    CalendarFeed,
    Invitation,
    Meeting,
    MeetingSite,
    MeetingStatus,
    Rsvp,
)
from meetcoord.meetings.services import ACTIVE, commit, require_editor
from meetcoord.meetings.usual_site import USUAL, usual_sites


def new_invitation(**fields: Any) -> Invitation:
    salt = new_salt()
    return Invitation(
        token_salt=salt, token_hash=hash_token(links.token_for(links.INVITATION, salt)), **fields
    )


def invitation_by_token(token: str) -> Invitation:
    """The invitation a personal link opens; a forged, revoked or withdrawn one opens none."""
    if not token or len(token) > 100:
        raise NotFound(_l("Tautan undangan tidak dikenal atau sudah tidak berlaku."))
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    if invitation is None or invitation.withdrawn_at is not None:
        raise NotFound(_l("Tautan undangan tidak dikenal atau sudah tidak berlaku."))
    return invitation


# --- inviting ---------------------------------------------------------------------------


@dataclass
class InviteResult:
    created: list[Invitation]
    already_invited: int
    # (person id, invitation id, "created" | "already_invited"), one per person asked for
    rows: list[tuple[int, int, str]] = field(default_factory=list)


def _site_for(meeting: Meeting, site_id: int | None) -> MeetingSite | None:
    if site_id is None:
        return None
    site = next((s for s in meeting.sites if s.id == site_id), None)
    if site is None:
        raise ValidationError(
            _l("Lokasi bukan bagian dari rapat ini."),
            errors={"site_id": [_l("Pilih salah satu lokasi rapat, atau daring.")]},
        )
    return site


def _people_to_invite(actor: User | None, data: Mapping[str, Any]) -> list[Person]:
    """People named directly, or every person of an organization or member of a forum."""
    if data.get("person_ids"):
        ids = {parse_int(value, minimum=1) for value in data["person_ids"]}
        if None in ids:
            raise ValidationError(
                _l("Data undangan tidak valid."), errors={"person_ids": [_l("Harus berupa id.")]}
            )
        people = list(db.session.scalars(select(Person).where(Person.id.in_(ids))))
        if len(people) != len(ids):
            raise ValidationError(
                _l("Rujukan tidak ditemukan."),
                errors={"person_ids": [_l("Ada id orang yang tidak dikenal.")]},
            )
        return people
    if data.get("organization_id"):
        org = db.session.get(Organization, _int(data["organization_id"], "organization_id"))
        if org is None:
            raise ValidationError(
                _l("Rujukan tidak ditemukan."),
                errors={"organization_id": [_l("Tidak ada data dengan id ini.")]},
            )
        return list(org.people)
    if data.get("forum_id"):
        forum = db.session.get(Forum, _int(data["forum_id"], "forum_id"))
        if forum is None or not scope.may_see(actor, forum):  # another institution's: unknown
            raise ValidationError(
                _l("Rujukan tidak ditemukan."),
                errors={"forum_id": [_l("Tidak ada data dengan id ini.")]},
            )
        return [member.person for member in forum.members]
    raise ValidationError(
        _l("Pilih orang, organisasi atau forum yang diundang."),
        errors={"person_ids": [_l("Wajib diisi.")]},
    )


def _int(value: Any, field: str) -> int:
    number = parse_int(value, minimum=1)
    if number is None:
        raise ValidationError(
            _l("Data undangan tidak valid."), errors={field: [_l("Harus berupa bilangan bulat.")]}
        )
    return number


def invite(actor: User | None, meeting: Meeting, data: Mapping[str, Any]) -> InviteResult:
    """Invite people one by one, a whole organization or a whole forum, to a site or online.

    Someone already invited keeps their invitation (and role and site). When the meeting is
    already scheduled, the new invitations go out at once.
    """
    require_editor(actor, meeting)
    if meeting.status not in (MeetingStatus.DRAFT, *ACTIVE):
        raise Conflict(_l("Rapat yang sudah selesai atau dibatalkan tidak dapat diubah."))
    usual = data.get("site_id") == USUAL  # each person at their own usual site
    raw_site = None if usual else data.get("site_id")
    values = clean_invitee({"role": data.get("role") or "participant", "site_id": raw_site})
    site = _site_for(meeting, values.get("site_id"))
    people = _people_to_invite(actor, data)
    sites = usual_sites(meeting, people) if usual else {}
    invited = {inv.person_id: inv for inv in meeting.invitations}
    created: list[Invitation] = []
    outcome: list[tuple[int, Invitation, str]] = []
    for person in people:
        existing = invited.get(person.id)
        if existing is not None and existing.withdrawn_at is None:
            outcome.append((person.id, existing, "already_invited"))
            continue
        if existing is not None:  # invited again after a withdrawal: same row, fresh link
            existing.withdrawn_at = None
            existing.role, existing.site = values["role"], sites.get(person.id, site)
            existing.token_salt = new_salt()
            existing.sent_at = None  # a fresh link: their next mail is a new invitation
            existing.token_hash = hash_token(links.personal_token(existing))
            created.append(existing)
            outcome.append((person.id, existing, "created"))
            continue
        invitation = new_invitation(
            meeting=meeting, person=person, role=values["role"], site=sites.get(person.id, site)
        )
        db.session.add(invitation)
        created.append(invitation)
        outcome.append((person.id, invitation, "created"))
    db.session.flush()
    if meeting.status in ACTIVE:
        mailing.queue_invitations(created)
    audit.record(actor, "invite", meeting, f"meeting {meeting.title}: {len(created)} invited")
    commit()
    rows = [(person_id, inv.id, status) for person_id, inv, status in outcome]
    return InviteResult(created, len(people) - len(created), rows)


def update_invitation(
    actor: User | None, invitation: Invitation, data: Mapping[str, Any]
) -> Invitation:
    """Change someone's role or site; a site change updates only their calendar."""
    require_editor(actor, invitation.meeting)
    values = clean_invitee(data, partial=True)
    if "site_id" in data:
        _move(invitation, _site_for(invitation.meeting, values.get("site_id")))
    if "role" in values:
        invitation.role = values["role"]
    audit.record(
        actor, "update_invitation", invitation.meeting, f"invitation of {invitation.person.name}"
    )
    commit()
    return invitation


def _move(invitation: Invitation, site: MeetingSite | None) -> None:
    if invitation.site_id == (site.id if site else None):
        return
    invitation.site = site
    if invitation.meeting.status in ACTIVE:
        invitation.sequence += 1
        if mailing.was_sent(invitation):  # else their first mail names the new site
            mailing.queue_invitations([invitation])


def withdraw_invitation(actor: User | None, invitation: Invitation) -> None:
    """Withdrawn: the link stops working; a calendar that had it gets a cancellation."""
    require_editor(actor, invitation.meeting)
    if invitation.withdrawn_at is not None:
        return
    invitation.withdrawn_at = utcnow()
    if invitation.meeting.status in ACTIVE:
        invitation.sequence += 1
        mailing.queue_cancellations([invitation])
    audit.record(
        actor,
        "withdraw_invitation",
        invitation.meeting,
        f"invitation of {invitation.person.name} withdrawn",
    )
    commit()


def copy_invitations(source: Meeting, target: Meeting) -> None:
    """The same people, roles and sites (matched by venue) for a clone or an occurrence."""
    sites = {site.venue_id: site for site in target.sites}
    for inv in source.invitations:
        if inv.withdrawn_at is not None:
            continue
        site = sites.get(inv.site.venue_id) if inv.site else None
        target.invitations.append(new_invitation(person_id=inv.person_id, role=inv.role, site=site))


@dataclass(frozen=True)
class SiteCount:
    site: MeetingSite | None  # None: online
    invited: int
    accepted: int
    declined: int
    seats: int | None

    @property
    def over_capacity(self) -> bool:
        return self.seats is not None and self.invited - self.declined > self.seats


def site_counts(meeting: Meeting) -> list[SiteCount]:
    """Invited, accepted and declined per site (and online), against each site's seats."""
    active = [inv for inv in meeting.invitations if inv.withdrawn_at is None]
    counts = []
    for site in [*meeting.sites, None]:
        here = [inv for inv in active if inv.site_id == (site.id if site else None)]
        counts.append(
            SiteCount(
                site=site,
                invited=len(here),
                accepted=sum(inv.rsvp is Rsvp.ACCEPTED for inv in here),
                declined=sum(inv.rsvp is Rsvp.DECLINED for inv in here),
                seats=site.seats if site else None,
            )
        )
    return counts


# --- the participant's own answers (no account: the personal link is the credential) ----


def respond(invitation: Invitation, data: Mapping[str, Any]) -> Invitation:
    """RSVP and, optionally, a move: ``site_id`` a site of the meeting, or None for online.

    Without the ``site_id`` key the invitation stays where it is.
    """
    if invitation.meeting.status not in (MeetingStatus.DRAFT, *ACTIVE):
        raise Conflict(_l("Rapat ini sudah selesai atau dibatalkan."))
    raw = str(data.get("rsvp") or "").strip().lower()
    raw = ALIASES[Rsvp].get(raw, raw)
    if raw not in (Rsvp.ACCEPTED, Rsvp.DECLINED, Rsvp.TENTATIVE):
        raise ValidationError(
            _l("Pilih hadir, tidak hadir atau mungkin."),
            errors={"rsvp": [_l("Pilih hadir, tidak hadir atau mungkin.")]},
        )
    moving, site = "site_id" in data, None
    if moving:
        # Checked before anything is written: a refused answer changes nothing.
        site_id = data["site_id"]
        try:
            site = _site_for(
                invitation.meeting, None if site_id is None else _int(site_id, "site_id")
            )
        except ValidationError:
            raise ValidationError(
                _l("Lokasi bukan bagian dari rapat ini."),
                errors={"site_id": [_l("Pilih salah satu lokasi rapat, atau daring.")]},
            ) from None
    invitation.rsvp = Rsvp(raw)
    invitation.rsvp_at = utcnow()
    if moving:
        _move(invitation, site)
    audit.record(
        None, "rsvp", invitation.meeting, f"{invitation.person.name}: {invitation.rsvp.value}"
    )
    webhooks.invitation_rsvp(invitation)
    commit()
    return invitation


# Assignment letters (surat tugas): what we accept, recognised by content, not by name.
LETTER_TYPES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}


def letter_type(content: bytes) -> tuple[str, str] | None:
    for magic, kind in LETTER_TYPES.items():
        if content.startswith(magic):
            return kind
    return None


def read_letter(upload: Any) -> bytes | None:
    """An uploaded letter's bytes, one past the limit at most: enough to refuse it as too
    large without reading a huge file into memory. None without a file."""
    if upload is None or not getattr(upload, "filename", None):
        return None
    return upload.stream.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)


def nominate_stand_in(
    invitation: Invitation,
    data: Mapping[str, Any],
    letter: bytes | None,
    actor: User | None = None,
) -> Invitation:
    """Name who attends instead (diwakili oleh), with the assignment letter as proof.

    ``actor``: the staff member doing it for the invitee (the API's staff twin); None
    when the participant does it through their personal link.
    """
    if actor is not None:
        require_editor(actor, invitation.meeting)
    if invitation.meeting.status not in (MeetingStatus.DRAFT, *ACTIVE):
        raise Conflict(_l("Rapat ini sudah selesai atau dibatalkan."))
    errors: dict[str, list[Any]] = {}
    name = clean_line(str(data.get("stand_in_name") or ""))
    position = clean_line(str(data.get("stand_in_position") or ""))
    if not name:
        errors["stand_in_name"] = [_l("Wajib diisi.")]
    elif len(name) > 200:
        errors["stand_in_name"] = [_l("Paling banyak %(n)d karakter.", n=200)]
    if len(position) > 200:
        errors["stand_in_position"] = [_l("Paling banyak %(n)d karakter.", n=200)]
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    kind = None
    if not letter:
        errors["letter"] = [_l("Unggah surat tugas (PDF atau gambar).")]
    elif len(letter) > limit:
        errors["letter"] = [_l("Berkas terlalu besar; paling besar %(n)d KB.", n=limit // 1024)]
    else:
        kind = letter_type(letter)
        if kind is None:
            errors["letter"] = [_l("Surat tugas harus berupa PDF, PNG atau JPEG.")]
    if errors:
        raise ValidationError(_l("Data wakil tidak valid."), errors=errors)
    folder = Path(current_app.config["INSTANCE_PATH"]) / "uploads" / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    content_type, extension = kind or ("", "")  # set whenever there were no errors
    previous = letter_path(invitation)
    stored = f"{secrets.token_hex(16)}.{extension}"
    (folder / stored).write_bytes(letter or b"")
    invitation.stand_in_name = name
    invitation.stand_in_position = position or None
    invitation.stand_in_letter = stored
    invitation.stand_in_letter_type = content_type
    audit.record(
        actor, "stand_in", invitation.meeting, f"{invitation.person.name} diwakili oleh {name}"
    )
    try:
        commit()
    except Exception:
        (folder / stored).unlink(missing_ok=True)  # no orphan file for a change not made
        raise
    if previous is not None:
        previous.unlink(missing_ok=True)  # a new letter replaces the old one
    return invitation


def letter_path(invitation: Invitation) -> Path | None:
    if not invitation.stand_in_letter:
        return None
    return (
        Path(current_app.config["INSTANCE_PATH"])
        / "uploads"
        / "letters"
        / invitation.stand_in_letter
    )


# --- feeds ------------------------------------------------------------------------------


def feed_for(owner: Person | Organization) -> CalendarFeed:
    """The owner's feed, created on first use (commits when it creates one)."""
    column = CalendarFeed.person_id if isinstance(owner, Person) else CalendarFeed.organization_id
    feed = db.session.scalar(
        select(CalendarFeed).where(column == owner.id, CalendarFeed.revoked_at.is_(None))
    )
    if feed is not None:
        return feed
    salt = new_salt()
    feed = CalendarFeed(token_salt=salt, token_hash=hash_token(links.token_for(links.FEED, salt)))
    if isinstance(owner, Person):
        feed.person = owner
    else:
        feed.organization = owner
    db.session.add(feed)
    commit()
    return feed


def feed_by_token(token: str) -> CalendarFeed:
    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(token))
    )
    if feed is None or feed.revoked_at is not None:
        raise NotFound(_l("Kalender tidak dikenal atau sudah tidak berlaku."))
    return feed


def feed_people(feed: CalendarFeed) -> list[int]:
    if feed.person_id is not None:
        return [feed.person_id]
    return [person.id for person in feed.organization.people] if feed.organization else []
