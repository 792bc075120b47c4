"""A Rakor with a synchronisation matrix: two villages, three proposals on the matrix, an
agency (Dinas PUPR) whose representative joins from the Ambon site, and another agency."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from meetcoord.extensions import db
from meetcoord.live import matrix as live_matrix
from meetcoord.meetings import agenda
from meetcoord.planning.matrix import Selection
from meetcoord.planning.models import ProposalField, SyncMark
from tests import factories
from tests.live_support import LiveRakor
from tests.planning import support


class SyncRakor(LiveRakor):
    """Rakor Pangan with a "Sinkronisasi usulan" item and its matrix filled."""

    def __init__(self, title: str = "Rakor Pangan", **when: Any) -> None:
        super().__init__(title, **when)
        self.item = agenda.add_agenda_item(
            self.staff,
            self.meeting,
            {"title": "Sinkronisasi usulan desa", "planned_minutes": 60, "kind": "sync_matrix"},
        )
        self.agency = factories.organization(name=f"Dinas PUPR SBD {self.meeting.id}")
        self.other_agency = factories.organization(name=f"Dinas Kesehatan SBD {self.meeting.id}")
        # The Ambon participant represents Dinas PUPR.
        self.representative = self.ambon_participant
        self.representative.person.organization_id = self.agency.id
        institution = self.meeting.institution
        self.villages = [
            support.village(f"Desa Waimangura {self.meeting.id}"),
            support.village(f"Desa Kalembu Ndara Mane {self.meeting.id}"),
        ]
        self.proposals = [
            support.proposal(
                institution,
                "Rehabilitasi jalan usaha tani",
                village_id=self.villages[0].id,
                field=ProposalField.INFRASTRUCTURE,
                budget=450_000_000,
                priority_score=Decimal("71.5"),
            ),
            support.proposal(
                institution,
                "Pelatihan kelompok tenun ikat",
                village_id=self.villages[1].id,
                budget=120_000_000,
                priority_score=Decimal("88"),
            ),
            support.proposal(
                institution,
                "Sumur bor air bersih",
                village_id=self.villages[0].id,
                field=ProposalField.INFRASTRUCTURE,
                budget=300_000_000,
                priority_score=Decimal("64"),
            ),
        ]
        db.session.commit()

    def fill(self) -> list[SyncMark]:
        """Put every proposal on the matrix, as staff do before the meeting."""
        live_matrix.add_proposals(
            self.staff_actor.bound_to(self.meeting), self.meeting.id, Selection()
        )
        return self.marks()

    def marks(self) -> list[SyncMark]:
        db.session.expire_all()
        return list(
            db.session.scalars(
                db.select(SyncMark)
                .where(SyncMark.meeting_id == self.meeting.id)
                .order_by(SyncMark.proposal_id)
            )
        )
