"""The synchronisation matrix in the minutes and the berita acara (issue 14, point 3): a
section with totals and the rows by outcome, an appendix with every row, taken when the
document is frozen and printed from that snapshot ever after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from meetcoord.core.errors import Conflict
from meetcoord.documents import agreements, workflow
from meetcoord.documents.jobs import render_document
from meetcoord.documents.models import Document, DocumentKind, DocumentStatus
from meetcoord.documents.pdf.matrix import MatrixRowData, percent, rupiah, totals_by
from meetcoord.extensions import db
from meetcoord.planning.locks import matrix_locked, require_unlocked
from meetcoord.planning.models import MarkOutcome, SyncMark
from tests import factories
from tests.documents_support import (
    EARLY_CLOSE,
    ClosedRakor,
    attend,
    ensure_ca,
    final_minutes,
    rendered,
    sign_with_code,
)
from tests.planning import outcome_support as support
from tests.planning.outcome_support import Matrix, pdf_text, twenty_marks


@pytest.fixture
def rakor(app: Flask) -> ClosedRakor:
    ensure_ca(app)
    return ClosedRakor(app)


@pytest.fixture
def matrix(rakor: ClosedRakor) -> Matrix:
    return twenty_marks(rakor.meeting)


def row(**fields: Any) -> MatrixRowData:
    fields.setdefault("proposal", "Jalan tani")
    fields.setdefault("village", "Desa A")
    return MatrixRowData(
        field="Ekonomi", fund_source="APBDes", confirmation="Dikonfirmasi", **fields
    )


def test_rupiah_and_shares_read_the_indonesian_way() -> None:
    assert rupiah(1_250_000) == "Rp 1.250.000"
    assert rupiah(0) == "Rp 0"
    assert rupiah(None) == "-"
    assert percent(1, 3) == "33,3%"
    assert percent(5, 0) == "-"


def test_totals_count_budget_and_only_accommodated_amounts() -> None:
    rows = [
        row(budget=1_000_000, outcome="accommodated", agency="Dinas PU", amount=400_000),
        row(budget=3_000_000, outcome="carried", agency="Dinas PU", amount=999),
        row(budget=None, outcome="not_accommodated", village=None),
    ]
    by_agency = {t.name: t for t in totals_by(rows, "agency", "(belum)")}
    assert by_agency["Dinas PU"].count == 2
    assert by_agency["Dinas PU"].accommodated == 1
    assert by_agency["Dinas PU"].budget == 4_000_000
    assert by_agency["Dinas PU"].amount == 400_000  # a carried row's amount is not counted
    assert by_agency["Dinas PU"].share == "10,0%"
    assert by_agency["(belum)"].count == 1
    assert by_agency["Jumlah"].count == 3
    by_village = [t.name for t in totals_by(rows, "village", "(tanpa)")]
    assert by_village == ["(tanpa)", "Desa A", "Jumlah"]


def test_the_minutes_pdf_prints_the_matrix_section_totals_and_appendix(
    rakor: ClosedRakor, matrix: Matrix
) -> None:
    document = final_minutes(rakor)
    assert len(document.content["matrix"]) == 20
    text = pdf_text(document.current_file.pdf)
    assert "Hasil sinkronisasi usulan" in text
    assert (
        "20 usulan dibahas: 8 diakomodasi, 5 dibawa ke forum berikutnya, 3 digabung, "
        "4 tidak diakomodasi." in text
    )
    assert "1 baris disanggah" in text
    # Totals: every agency and village, and the sums of all rows.
    for name in (*support.AGENCIES, *support.VILLAGES):
        assert name in text
    assert support.rupiah(matrix.total_budget) in text
    assert support.rupiah(matrix.accommodated_amount) in text
    assert percent(matrix.accommodated_amount, matrix.total_budget) in text
    # The appendix: every row, its outcome's details, the disputed one marked.
    assert "Lampiran: Matriks sinkronisasi usulan" in text
    for proposal in matrix.proposals:
        assert proposal.title in text
    for detail in ("RKPD 2025", "ke Musrenbangkab", "alasan: Bukan kewenangan kabupaten"):
        assert detail in text
    assert f"dengan: {matrix.proposals[0].title}" in text
    assert text.count("DISANGGAH") == 2  # in the section and in the appendix
    assert support.rupiah(support.budget(19)) in text


def test_a_meeting_without_marks_prints_no_matrix(rakor: ClosedRakor) -> None:
    document = final_minutes(rakor)
    assert "matrix" not in document.content or document.content["matrix"] == []
    text = pdf_text(document.current_file.pdf)
    assert "sinkronisasi usulan" not in text


def test_freezing_takes_the_matrix_then_and_the_signed_pdf_keeps_it(
    rakor: ClosedRakor, matrix: Matrix
) -> None:
    draft = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    refused = matrix.of(MarkOutcome.NOT_ACCOMMODATED)[0]
    # Before the freeze the matrix may still change: the frozen minutes print the change.
    require_unlocked(rakor.meeting.id)
    refused.reason = "Sudah dianggarkan dalam APBDes"
    db.session.commit()
    assert draft.content["matrix"][16]["reason"] == "Bukan kewenangan kabupaten"
    document = final_minutes_of(rakor, draft)
    assert document.content["matrix"][16]["reason"] == "Sudah dianggarkan dalam APBDes"
    assert "alasan: Sudah dianggarkan dalam APBDes" in pdf_text(document.current_file.pdf)
    # Now locked; a later change (an addendum's) never reaches the frozen snapshot.
    assert matrix_locked(rakor.meeting.id)
    with pytest.raises(Conflict, match="adendum"):
        require_unlocked(rakor.meeting.id)
    db.session.rollback()
    db.session.get(SyncMark, refused.id).reason = "Diubah lewat adendum"
    db.session.commit()
    again = render_document(DocumentKind.MINUTES, document.content, "https://x.example/v")
    text = pdf_text(again.pdf)
    assert "Sudah dianggarkan dalam APBDes" in text
    assert "Diubah lewat adendum" not in text


def final_minutes_of(rakor: ClosedRakor, draft: Document) -> Document:
    workflow.circulate(rakor.staff_actor, draft, datetime.now(UTC) + timedelta(days=3))
    workflow.finalise(rakor.staff_actor, draft, early_close=EARLY_CLOSE)
    return rendered(draft)


def test_the_signed_berita_acara_carries_the_matrix_and_locks_it(
    rakor: ClosedRakor, matrix: Matrix
) -> None:
    rakor.chair.person.organization_id = factories.organization(name="Setda SBD").id
    attend(rakor.participant, rakor.chair)
    db.session.commit()
    parties = [rakor.participant.id, rakor.chair.id]
    document = agreements.create_agreement(rakor.staff_actor, rakor.meeting, parties)
    assert len(document.content["matrix"]) == 20
    assert not matrix_locked(rakor.meeting.id)  # a draft agreement locks nothing
    agreements.finalise_agreement(rakor.staff_actor, document)
    rendered(document)
    assert matrix_locked(rakor.meeting.id)
    sign_with_code(rakor.participant, document.id)
    signed = sign_with_code(rakor.chair, document.id)
    assert signed.status in (DocumentStatus.SIGNED, DocumentStatus.DISTRIBUTED)
    assert all(s.signed_at for s in signed.signatories)
    text = pdf_text(signed.current_file.pdf)
    assert "BERITA ACARA KESEPAKATAN" in text
    assert "Hasil sinkronisasi usulan" in text
    assert "Lampiran: Matriks sinkronisasi usulan" in text
    assert support.rupiah(matrix.total_budget) in text
    for proposal in matrix.proposals:
        assert proposal.title in text
    assert "DISANGGAH" in text
