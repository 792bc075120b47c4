"""Check-in from a participant's own phone at the venue, and online attendance.

The kiosk's rotating code proves the phone is in the room; the personal link (kept by the
browser) or a second factor proves who holds it. Walk-ins register and are flagged for
the secretariat; a stand-in checks in "diwakili oleh" for the invited official.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from meetcoord.checkin import codes, keys
from meetcoord.checkin.admission import (
    CheckinResult,
    admit,
    already,
    answer_before,
    check_nonce,
    finish,
    invitation_refusal,
    meeting_refusal,
    refused,
)
from meetcoord.checkin.models import Attendance, CheckinMethod
from meetcoord.core.cleaning import Collector, clean_line
from meetcoord.core.db import utcnow
from meetcoord.core.errors import NotFound
from meetcoord.core.names import before_period
from meetcoord.core.validation import parse_int
from meetcoord.directory.cleaning import ALIASES as DIRECTORY_ALIASES
from meetcoord.directory.models import Gender, Person, StakeholderCategory
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, MeetingSite

REASONS = {
    "old_window": lambda: _("Kode sudah kedaluwarsa; pindai lagi kode di layar."),
    "wrong_code": lambda: _("Kode tidak cocok dengan lokasi ini."),
}


def site_by_code(code: str) -> MeetingSite | None:
    """The site, with its meeting and venue loaded in the same query (every scan needs both)."""
    return db.session.scalar(
        select(MeetingSite)
        .where(MeetingSite.code == code.strip().lower())
        .options(joinedload(MeetingSite.meeting), joinedload(MeetingSite.venue))
    )


def require_site(code: str) -> MeetingSite:
    """The site of a scan; an unknown code is the same 404 at the API and at the desk."""
    site = site_by_code(code)
    if site is None:
        raise NotFound(_("Lokasi tidak ditemukan."))
    return site


def closed(site: MeetingSite) -> CheckinResult | None:
    """Why this site takes no check-in now (not scheduled, outside the window), or None."""
    return meeting_refusal(site.meeting, site)


def check_kiosk_code(
    site: MeetingSite, code: str, *, typed: bool = False, now: float | None = None
) -> CheckinResult | None:
    """None when the code is current for this site; otherwise the refusal to show."""
    check = codes.check_code(
        keys.site_secret(site), code, time.time() if now is None else now, typed=typed
    )
    if check.ok:
        return None
    reason = check.reason or "wrong_code"
    return refused(reason, REASONS[reason]())


def kiosk_codes(site: MeetingSite, now: float | None = None) -> dict[str, Any]:
    """What a kiosk shows now, and when it changes."""
    moment = time.time() if now is None else now
    window = codes.window_at(moment)
    secret = keys.site_secret(site)
    return {
        "url_code": codes.url_code(secret, window),
        "typed_code": codes.typed_code(secret, window),
        "expires_in": round((window + 1) * codes.WINDOW_SECONDS - moment, 1),
    }


def checkin_with_link(
    site: MeetingSite,
    code: str,
    invitation: Invitation | None,
    nonce: str,
    *,
    typed: bool = False,
    scanned_at: float | None = None,
) -> CheckinResult:
    """One tap: the kiosk code proves the place, the personal link the person.

    ``scanned_at`` (every self-service function): when the phone read the code, vouched
    for by a server-signed scan pass, so that a person who takes a minute to find their
    name is not refused; None means now.
    """
    nonce = check_nonce(nonce)
    if (replay := answer_before(site.meeting_id, nonce)) is not None:
        return replay
    result = (
        check_kiosk_code(site, code, typed=typed, now=scanned_at)
        or invitation_refusal(invitation, site, site.meeting)
        or admit(invitation, site, CheckinMethod.KIOSK)
    )  # type: ignore[arg-type]
    return finish(site.meeting_id, nonce, result)


ASCII_DIGITS = frozenset("0123456789")


def parse_id(raw: str | None) -> int | None:
    """A row id from a URL or form: ASCII digits only, within a column's range, or None.

    ``str.isdigit`` also says yes to "٣" (Arabic-Indic three) and ``int()`` reads it as 3,
    so one invitee could be named many ways — and each spelling used to get its own count
    of phone-digit guesses. Leading zeros are harmless here: the count is kept per parsed
    invitee, not per spelling.
    """
    return parse_int(raw, minimum=1)


def _last_four(phone: str | None) -> str:
    digits = "".join(ch for ch in (phone or "") if ch in ASCII_DIGITS)
    return digits[-4:]


def typed_digits(text: str | None) -> str | None:
    """The four digits a person typed (spaces allowed), or None unless exactly 4 ASCII digits."""
    digits = "".join((text or "").split())
    return digits if len(digits) == 4 and set(digits) <= ASCII_DIGITS else None


def confirm_target(site: MeetingSite | None, raw_id: str | None) -> Invitation | None:
    """The invitee a phone-digit confirmation at ``site`` is for, or None.

    One answer however the request spells it (leading zeros, other digit scripts, the
    site code's case): the guess limit is kept per this invitee, across all the sites of
    the meeting.
    """
    invitation_id = parse_id(raw_id)
    if site is None or invitation_id is None:
        return None
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.meeting_id != site.meeting_id:
        return None
    return invitation


def checkin_confirmed(
    site: MeetingSite,
    code: str,
    invitation_id: int,
    last_four: str,
    nonce: str,
    stand_in: Mapping[str, Any] | None = None,
    *,
    typed: bool = False,
    scanned_at: float | None = None,
) -> CheckinResult:
    """Found themselves in the invitee list and typed the last four digits of their phone.

    With ``stand_in`` (name, position) a representative checks in "diwakili oleh" for the
    invited official; the second factor is then the official's phone, which the office
    that sent them knows.
    """
    nonce = check_nonce(nonce)
    if (replay := answer_before(site.meeting_id, nonce)) is not None:
        return replay
    invitation = db.session.get(Invitation, invitation_id)
    result = check_kiosk_code(site, code, typed=typed, now=scanned_at) or invitation_refusal(
        invitation, site, site.meeting
    )
    if result is None:
        assert invitation is not None
        typed_four = typed_digits(last_four)
        expected = _last_four(invitation.person.phone)
        if typed_four is None:
            result = refused(
                "second_factor",
                _("Ketik tepat empat angka 0–9 (angka biasa, tanpa huruf atau tanda lain)."),
                invitation,
            )
        elif len(expected) < 4 or typed_four != expected:
            result = refused(
                "second_factor",
                _("Empat angka terakhir nomor telepon tidak cocok. Minta bantuan petugas meja."),
                invitation,
            )
    if result is None:
        assert invitation is not None
        details: dict[str, Any] = {}
        name = clean_line(str((stand_in or {}).get("name") or ""))
        if name:
            details = {
                "stand_in_name": name[:200],
                "stand_in_position": clean_line(str(stand_in.get("position") or ""))[:200] or None,
            }
        result = admit(invitation, site, CheckinMethod.KIOSK_CONFIRMED, **details)
    return finish(site.meeting_id, nonce, result)


def register_walk_in(
    site: MeetingSite,
    code: str,
    data: Mapping[str, Any],
    nonce: str,
    *,
    typed: bool = False,
    scanned_at: float | None = None,
) -> CheckinResult:
    """Someone not invited: recorded as present, as a new person, flagged for review."""
    nonce = check_nonce(nonce)
    if (replay := answer_before(site.meeting_id, nonce)) is not None:
        return replay
    refusal = check_kiosk_code(site, code, typed=typed, now=scanned_at) or closed(site)
    if refusal is not None:
        return finish(site.meeting_id, nonce, refusal)
    return finish(site.meeting_id, nonce, admit_walk_in(site, data))


def admit_walk_in(site: MeetingSite, data: Mapping[str, Any]) -> CheckinResult:
    """Record the walk-in at ``site`` (the caller has checked the door and the window).

    The kiosk's form and the staff API share it: the same fields, the same rules.
    """
    c = Collector(data, DIRECTORY_ALIASES)
    c.text("name", 200, required=True)
    c.text("organization", 200)
    c.text("position", 200)
    c.choice("category", StakeholderCategory, required=True)
    c.choice("gender", Gender)
    c.phone()
    values = c.done(_("Data peserta tidak valid."))
    organization = values.pop("organization", None)
    person = Person(**values)
    db.session.add(person)
    attendance = Attendance(
        meeting=site.meeting,
        person=person,
        site=site,
        method=CheckinMethod.WALK_IN,
        checked_in_at=utcnow(),
        is_walk_in=True,
        walk_in_organization=organization,
    )
    db.session.add(attendance)
    db.session.flush()
    return CheckinResult(
        "checked_in",
        None,
        _("Selamat datang, %(name)s.", name=before_period(person.name)),
        {
            "name": person.name,
            "organization": organization,
            "position": person.position,
            "role": None,
            "invitation_id": None,
        },
        site.venue.name,
        attendance.checked_in_at.isoformat(),
        attendance.id,
        extra={"walk_in": True},
    )


def record_online(
    invitation: Invitation, method: CheckinMethod = CheckinMethod.ONLINE
) -> CheckinResult:
    """Following the online link from the personal page counts as attending online
    (``method`` LIVE_VIEW: opening the live view does too, issue 15).

    Only inside the check-in window: a click days ahead (testing the link) is refused
    with the time it opens, instead of landing in the daftar hadir. Once recorded, the
    first join time stays: a second click answers "already".
    """
    refusal = invitation_refusal(invitation, None, invitation.meeting)
    if refusal is not None:
        return refusal
    existing = db.session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == invitation.meeting_id,
            Attendance.person_id == invitation.person_id,
        )
    )
    if existing is not None:
        return already(existing, invitation)
    # The nonce makes a second click (or a race of two) answer like the first.
    return finish(
        invitation.meeting_id,
        f"online-{invitation.id}",
        admit(invitation, None, method),
    )
