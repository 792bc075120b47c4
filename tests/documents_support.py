"""A closed meeting with decisions and a follow-up action, and the deployment's signing CA.

The meeting runs through the live room as a chair would run it (open, notes, a decision
with tallies, an action, close), so the minutes are composed from real records.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.documents import workflow
from meetcoord.documents.jobs import render_due
from meetcoord.documents.models import Document
from meetcoord.documents.signing import ca as ca_module
from meetcoord.documents.signing import signatures
from meetcoord.meetings.models import Invitation
from tests import factories
from tests.live_support import LiveRakor, command, connect

CA_PASSPHRASE = "kata-sandi-ca-dokumen-2026"
# The secretariat's reason to close the comment period at once (scenes that need none).
EARLY_CLOSE = "Semua peserta menyetujui rancangan di akhir rapat."


def ensure_ca(app: Flask) -> ca_module.CertificateAuthority:
    """The app's own CA under its instance folder (as `meetcoord init` creates it)."""
    instance = Path(app.config["INSTANCE_PATH"])
    if not ca_module.ca_exists(instance):
        ca_module.create_ca(instance, CA_PASSPHRASE, app.config["INSTITUTION_NAME"])
    app.config["CA_PASSPHRASE"] = CA_PASSPHRASE
    return ca_module.load_ca(instance, CA_PASSPHRASE)


class ClosedRakor(LiveRakor):
    """Rakor Pangan, held and closed: two items with notes, a vote, an action."""

    def __init__(self, app: Flask, title: str = "Rakor Pangan") -> None:
        super().__init__(title)
        self.items = [i.id for i in self.add_items("Pembukaan", "Ketahanan pangan")]
        chair = connect(app, self.chair)
        assert command(chair, "open")["ok"]
        assert command(chair, "item.activate", item_id=self.items[1])["ok"]
        assert command(
            chair,
            "notes.save",
            item_id=self.items[1],
            text="Stok beras aman 3 bulan.",
            base_version=0,
        )["ok"]
        ack = command(
            chair,
            "decision.record",
            text="Cadangan pangan daerah dinaikkan 10 persen",
            kind="vote",
            tallies=[{"site_id": self.site.id, "for": 3, "against": 0, "abstain": 0}],
        )
        assert ack["ok"], ack
        tag = "" if title == "Rakor Pangan" else f" ({title})"  # names are unique (Rakor)
        agency = factories.organization(name=f"Dinas Ketahanan Pangan{tag}")
        assert command(
            chair,
            "action.create",
            decision_id=ack["id"],
            title="Menyusun rencana distribusi beras",
            organization_id=agency.id,
            locus="Desa Weepangali",
            due_on="2026-12-15",
        )["ok"]
        assert command(chair, "close")["ok"]
        chair.disconnect("/live")

    def actor(self, who: Any) -> Actor:
        return Actor(invitation=who)


def rendered(document: Document) -> Document:
    """Run the worker's rendering pass (as the background worker would) and reload."""
    render_due()
    from meetcoord.extensions import db

    db.session.refresh(document)
    return document


def mailed_code(invitation: Invitation) -> str:
    """The newest signing code the outbox holds for ``invitation``'s own address.

    The code is in the mail's body only (never in a page or an API answer), so a test
    reads it the way the signatory does: from their mailbox.
    """
    from meetcoord.core.outbox import OutboxMessage
    from meetcoord.extensions import db

    row = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.kind == "signing_code",
            OutboxMessage.recipient == invitation.person.email,
        )
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert row is not None, f"no signing code mailed to {invitation.person.email}"
    return code_in(row.message)


def code_in(raw: bytes) -> str:
    """The six digits on their own line in a signing-code mail."""
    body = message_from_bytes(raw, policy=default_policy).get_body()
    assert body is not None
    match = re.search(r"^\s+(\d{6})\s*$", body.get_content(), re.M)
    assert match, "no code in the mail"
    return match.group(1)


def sign_with_code(invitation: Invitation, document_id: int) -> Document:
    """Sign as ``invitation``'s holder would: ask for the code, read the mail, type it in."""
    actor = Actor(invitation=invitation)
    signatures.request_code(actor, document_id)
    return signatures.sign(actor, document_id, code=mailed_code(invitation))


def attend(*invitations: Invitation) -> None:
    """Put these invitees on their meeting's attendance (checked in by hand at the desk)."""
    for invitation in invitations:
        factories.attendance(invitation)


def final_minutes(rakor: ClosedRakor) -> Document:
    """Circulated, closed early by the secretariat, finalised and rendered: ready to sign."""
    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    workflow.circulate(rakor.staff_actor, doc, datetime.now(UTC) + timedelta(days=3))
    workflow.finalise(rakor.staff_actor, doc, early_close=EARLY_CLOSE)
    return rendered(doc)


def self_signed(name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """What anyone can make in a minute: a certificate that says whatever it likes."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return certificate, key
