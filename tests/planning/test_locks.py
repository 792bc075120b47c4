"""The matrix lock (issue 14, point 3): once a meeting's minutes or berita acara is final,
signed or distributed, a change to its matrix is refused and nothing changes; a draft, a
circulated draft, an invitation letter or an addendum locks nothing, and one meeting's
documents never lock another's matrix."""

from __future__ import annotations

import pytest

from meetcoord.core.errors import Conflict
from meetcoord.documents.models import DocumentKind, DocumentStatus
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from meetcoord.planning.locks import matrix_locked, require_unlocked
from meetcoord.planning.models import MarkOutcome, SyncMark
from tests import factories
from tests.planning.support import proposal, village


def marked(meeting: Meeting) -> SyncMark:
    """One row of ``meeting``'s matrix: accommodated for 2025, Rp 5.000.000."""
    made = proposal(meeting.institution, "Embung desa", village_id=village("Desa Lete Konda").id)
    mark = SyncMark(
        meeting_id=meeting.id,
        proposal_id=made.id,
        outcome=MarkOutcome.ACCOMMODATED,
        organization_id=factories.organization(name="Dinas PUPR SBD").id,
        plan_document="RKPD 2025",
        amount=5_000_000,
    )
    db.session.add(mark)
    db.session.commit()
    return mark


def change_amount(mark: SyncMark, amount: int) -> None:
    """A mark's change as every matrix service makes it: the lock first, in the same
    transaction that writes."""
    require_unlocked(mark.meeting_id)
    mark.amount = amount
    mark.version += 1
    db.session.commit()


def reloaded(mark: SyncMark) -> tuple[int | None, int]:
    db.session.expire_all()
    row = db.session.get(SyncMark, mark.id)
    return row.amount, row.version


@pytest.mark.parametrize("kind", [DocumentKind.MINUTES, DocumentKind.AGREEMENT])
@pytest.mark.parametrize(
    "status", [DocumentStatus.FINAL, DocumentStatus.SIGNED, DocumentStatus.DISTRIBUTED]
)
def test_a_final_minutes_or_agreement_locks_the_matrix(
    app: object, kind: DocumentKind, status: DocumentStatus
) -> None:
    meeting = factories.meeting()
    mark = marked(meeting)
    document = factories.document(meeting, kind=kind)
    change_amount(mark, 4_000_000)  # a draft locks nothing
    document.status = status
    db.session.commit()
    assert matrix_locked(meeting.id)
    before = reloaded(mark)
    with pytest.raises(Conflict, match="adendum") as refused:
        change_amount(mark, 1)
    assert refused.value.status == 409
    db.session.rollback()
    assert reloaded(mark) == before == (4_000_000, 2)


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (DocumentKind.MINUTES, DocumentStatus.DRAFT),
        (DocumentKind.MINUTES, DocumentStatus.CIRCULATED),
        (DocumentKind.AGREEMENT, DocumentStatus.DRAFT),
        (DocumentKind.INVITATION_LETTER, DocumentStatus.FINAL),
        (DocumentKind.ADDENDUM, DocumentStatus.FINAL),
    ],
)
def test_what_does_not_lock_the_matrix(
    app: object, kind: DocumentKind, status: DocumentStatus
) -> None:
    meeting = factories.meeting()
    mark = marked(meeting)
    factories.document(meeting, kind=kind, status=status)
    db.session.commit()
    assert not matrix_locked(meeting.id)
    change_amount(mark, 3_000_000)
    assert reloaded(mark) == (3_000_000, 2)


def test_another_meetings_final_minutes_lock_only_their_own_matrix(app: object) -> None:
    signed, open_one = factories.meeting(), factories.meeting()
    factories.document(signed, status=DocumentStatus.SIGNED)
    mark = marked(open_one)
    assert matrix_locked(signed.id)
    assert not matrix_locked(open_one.id)
    change_amount(mark, 2_000_000)
    assert reloaded(mark) == (2_000_000, 2)
