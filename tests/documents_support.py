"""A closed meeting with decisions and a follow-up action, and the deployment's signing CA.

The meeting runs through the live room as a chair would run it (open, notes, a decision
with tallies, an action, close), so the minutes are composed from real records.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from meetcoord.live.actors import LiveActor
from meetcoord.minutes import ca as ca_module
from meetcoord.minutes.jobs import render_due
from meetcoord.minutes.models import Document
from tests import factories
from tests.live_support import LiveRakor, command, connect

CA_PASSPHRASE = "kata-sandi-ca-dokumen-2026"


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
        agency = factories.organization(name="Dinas Ketahanan Pangan")
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

    def actor(self, who: Any) -> LiveActor:
        return LiveActor(invitation=who)


def rendered(document: Document) -> Document:
    """Run the worker's rendering pass (as the background worker would) and reload."""
    render_due()
    from meetcoord.extensions import db

    db.session.refresh(document)
    return document
