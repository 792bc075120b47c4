"""Per-meeting and per-site secrets, derived from the server key (never stored)."""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app

from meetcoord.checkin import credentials
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite


def site_secret(site: MeetingSite) -> bytes:
    key = hashlib.sha256(f"meetcoord:kiosk:{current_app.config['SECRET_KEY']}".encode()).digest()
    return hmac.new(key, site.secret_salt.encode("ascii"), hashlib.sha256).digest()


def signing_key(meeting: Meeting) -> Ed25519PrivateKey:
    return credentials.meeting_key(current_app.config["SECRET_KEY"], meeting.signing_salt)


def public_key(meeting: Meeting) -> str:
    return credentials.public_key_b64(signing_key(meeting))


def credential_for(invitation: Invitation) -> str:
    """The text of the personal QR a participant shows at a desk."""
    return credentials.issue(signing_key(invitation.meeting), invitation.meeting_id, invitation.id)
