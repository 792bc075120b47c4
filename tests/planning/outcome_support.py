"""A synchronisation meeting's matrix made directly: twenty marks of every outcome.

The marking itself (live, through the event log) is tested with the matrix; here the rows
are what the outcome works from, so they are written as rows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pypdf import PdfReader

from meetcoord.directory.models import Organization
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from meetcoord.planning.models import (
    Confirmation,
    MarkOutcome,
    PlanningForum,
    Proposal,
    SyncMark,
)
from tests import factories
from tests.planning.support import proposal, village

VILLAGES = ("Desa Kalembu Ndara Mane", "Desa Weepangali", "Desa Tena Teke")
AGENCIES = ("Dinas PUPR SBD", "Dinas Pertanian SBD", "Dinas Kesehatan SBD")
PLAN = (
    [MarkOutcome.ACCOMMODATED] * 8
    + [MarkOutcome.CARRIED] * 5
    + [MarkOutcome.MERGED] * 3
    + [MarkOutcome.NOT_ACCOMMODATED] * 4
)


@dataclass
class Matrix:
    meeting: Meeting
    villages: list[Organization]
    agencies: list[Organization]
    proposals: list[Proposal] = field(default_factory=list)
    marks: list[SyncMark] = field(default_factory=list)

    def of(self, outcome: MarkOutcome) -> list[SyncMark]:
        return [m for m in self.marks if m.outcome is outcome]

    @property
    def total_budget(self) -> int:
        return sum(p.budget or 0 for p in self.proposals)

    @property
    def accommodated_amount(self) -> int:
        return sum(m.amount or 0 for m in self.of(MarkOutcome.ACCOMMODATED))


def budget(n: int) -> int:
    return 1_250_000 * (n + 1)


def twenty_marks(meeting: Meeting, tag: str = "") -> Matrix:
    """Twenty proposals of three villages marked: 8 accommodated (one disputed, one
    confirmed), 5 carried (two with an agency named), 3 merged, 4 not accommodated."""
    matrix = Matrix(
        meeting,
        [village(f"{name}{tag}") for name in VILLAGES],
        [factories.organization(name=f"{name}{tag}") for name in AGENCIES],
    )
    for n, outcome in enumerate(PLAN):
        made = proposal(
            meeting.institution,
            f"Usulan {n + 1:02d} {outcome.value}{tag}",
            village_id=matrix.villages[n % 3].id,
            budget=budget(n),
            external_ref=f"EMR-{n + 1:02d}{tag}"[:60],  # the column holds 60
        )
        matrix.proposals.append(made)
        mark = SyncMark(meeting_id=meeting.id, proposal_id=made.id, outcome=outcome)
        if outcome is MarkOutcome.ACCOMMODATED:
            mark.organization_id = matrix.agencies[n % 3].id
            mark.programme = "Program Peningkatan Infrastruktur"
            mark.activity = "Pembangunan Jalan Usaha Tani"
            mark.plan_document = "RKPD 2025"
            mark.plan_year = 2025
            mark.amount = budget(n) // 2
            if n == 1:
                mark.confirmation = Confirmation.DISPUTED
                mark.confirmation_note = "Pagu belum tersedia"
            elif n == 2:
                mark.confirmation = Confirmation.CONFIRMED
        elif outcome is MarkOutcome.CARRIED:
            mark.carried_to = PlanningForum.MUSRENBANGKAB
            if n >= 11:
                mark.organization_id = matrix.agencies[0].id
        elif outcome is MarkOutcome.MERGED:
            mark.merged_with_id = matrix.proposals[0].id
        else:
            mark.reason = "Bukan kewenangan kabupaten"
        db.session.add(mark)
        matrix.marks.append(mark)
    db.session.commit()
    return matrix


def pdf_text(data: bytes) -> str:
    """The PDF's text, white space folded (a table cell may wrap a line anywhere)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def rupiah(n: int) -> str:
    return f"Rp {n:,}".replace(",", ".")
