"""IDM by hand and from CSV: computed status, flagged contradictions, every bad row named
and nothing imported, and a year's value replaced only with confirmation and an audit entry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from meetcoord.accounts.models import Role
from meetcoord.core.audit import AuditEntry
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.directory.csvimport import CsvImportError
from meetcoord.extensions import db
from meetcoord.planning import village_import, villages
from meetcoord.planning.models import IdmStatus, VillageIndex
from tests import factories
from tests.planning import support

LIMITS = {"max_bytes": 64 * 1024, "max_rows": 50}


def _count() -> int:
    return int(db.session.scalar(select(func.count(VillageIndex.id))) or 0)


def _replacements() -> int:
    return int(
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.entity_type == "village_indexes", AuditEntry.action == "replace"
            )
        )
        or 0
    )


def test_hand_entry_computes_the_status_and_keeps_history() -> None:
    staff = factories.user(Role.SECRETARIAT)
    wee = support.village("Desa Wee Rame")
    villages.record_idm(staff, wee, {"year": 2023, "score": "0,5800"})
    row = villages.record_idm(staff, wee, {"year": 2024, "score": 0.62, "source": "Kemendesa"})
    assert row.status is IdmStatus.DEVELOPING
    history = villages.idm_history(wee)
    assert [(h.year, h.score, h.status) for h in history] == [
        (2023, Decimal("0.5800"), IdmStatus.UNDERDEVELOPED),
        (2024, Decimal("0.6200"), IdmStatus.DEVELOPING),
    ]
    assert villages.movement_of(history).value == "up"


def test_a_second_value_for_a_year_needs_confirmation_and_is_audited() -> None:
    staff = factories.user(Role.SECRETARIAT)
    wee = support.village("Desa Wee Rame")
    villages.record_idm(staff, wee, {"year": 2024, "score": "0.60"})
    with pytest.raises(Conflict):
        villages.record_idm(staff, wee, {"year": 2024, "score": "0.70"})
    assert villages.idm_history(wee)[0].score == Decimal("0.6000")
    assert _replacements() == 0
    villages.record_idm(staff, wee, {"year": 2024, "score": "0.70"}, replace=True)
    assert [h.score for h in villages.idm_history(wee)] == [Decimal("0.7000")]
    assert _replacements() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year": 1990, "score": "0.5"}, "year"),
        ({"year": "dua ribu", "score": "0.5"}, "year"),
        ({"year": 2024, "score": "1.2"}, "score"),
        ({"year": 2024, "score": "tinggi"}, "score"),
        ({"year": 2024, "score": "0.5", "status": "kaya"}, "status"),
    ],
)
def test_bad_hand_entries_are_refused(data: dict[str, object], field: str) -> None:
    staff = factories.user(Role.SECRETARIAT)
    wee = support.village("Desa Wee Rame")
    with pytest.raises(ValidationError) as caught:
        villages.record_idm(staff, wee, data)
    assert field in caught.value.errors
    assert _count() == 0


def test_a_viewer_may_not_enter_idm() -> None:
    viewer = factories.user(Role.VIEWER)
    wee = support.village("Desa Wee Rame")
    with pytest.raises(PermissionDenied) as caught:
        villages.record_idm(viewer, wee, {"year": 2024, "score": "0.6"})
    assert getattr(caught.value, "status", None) == 403


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_csv_import_all_rows_by_name_or_code_with_flags() -> None:
    staff = factories.user(Role.SECRETARIAT)
    wee = support.village("Desa Wee Rame", short_name="5318012001")
    kalena = support.village("Desa Kalena Wanno")
    report = village_import.import_idm(
        staff,
        _csv(
            "desa;kode;wilayah;tahun;skor;status",
            "Desa Wee Rame;;Sumba Barat Daya;2024;0,6123;",
            ";5318012001;;2023;0.5500;tertinggal",
            "Desa Kalena Wanno;;;2024;0.6000;Maju",
        ),
        **LIMITS,
    )
    assert (report.created, report.replaced) == (3, 0)
    assert [f.line for f in report.flagged] == [4]  # Maju for 0.6000 contradicts
    assert villages.idm_history(wee)[-1].status is IdmStatus.DEVELOPING
    assert villages.idm_history(kalena)[0].status is IdmStatus.ADVANCED  # kept as given


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        ("Desa Tidak Ada;2024;0.6", "village", "tidak ada di direktori"),
        ("Desa Wee Rame;20x4;0.6", "year", "Tahun"),
        ("Desa Wee Rame;1999;0.6", "year", "Tahun"),
        ("Desa Wee Rame;2024;1.5", "score", "antara 0 dan 1"),
        ("Desa Wee Rame;2024;-0.1", "score", "antara 0 dan 1"),
        ("Desa Wee Rame;2024;tinggi", "score", "angka"),
    ],
)
def test_each_bad_row_is_named_and_nothing_is_imported(line: str, field: str, words: str) -> None:
    staff = factories.user(Role.SECRETARIAT)
    support.village("Desa Wee Rame")
    support.village("Desa Kalena Wanno")
    with pytest.raises(CsvImportError) as caught:
        village_import.import_idm(
            staff, _csv("desa;tahun;skor", "Desa Kalena Wanno;2024;0.7", line), **LIMITS
        )
    report = caught.value.report
    assert [row.line for row in report.row_errors] == [3]
    assert words in " ".join(report.row_errors[0].errors[field])
    assert f"row 3.{field}" in caught.value.errors
    assert _count() == 0  # the good row 2 is not imported either


def test_file_limits_and_headers_are_checked_before_rows() -> None:
    staff = factories.user(Role.SECRETARIAT)
    support.village("Desa Wee Rame")
    cases = [
        (b"", "kosong"),
        (b"x" * (LIMITS["max_bytes"] + 1), "terlalu besar"),
        (_csv("tahun;skor", "2024;0.5"), "desa/kode"),
        (_csv("desa;tahun;skor;warna", "Desa Wee Rame;2024;0.5;biru"), "warna"),
        (_csv("desa;tahun;skor", *["Desa Wee Rame;2024;0.5"] * 51), "Terlalu banyak"),
    ]
    for raw, words in cases:
        with pytest.raises(CsvImportError) as caught:
            village_import.import_idm(staff, raw, **LIMITS)
        assert words in " ".join(caught.value.report.file_errors), words
    assert _count() == 0


def test_csv_replaces_an_existing_year_only_with_confirmation() -> None:
    staff = factories.user(Role.SECRETARIAT)
    wee = support.village("Desa Wee Rame")
    villages.record_idm(staff, wee, {"year": 2024, "score": "0.60"})
    raw = _csv("desa,tahun,skor", "Desa Wee Rame,2024,0.65", "Desa Wee Rame,2025,0.70")
    with pytest.raises(CsvImportError) as caught:
        village_import.import_idm(staff, raw, **LIMITS)
    assert [row.line for row in caught.value.report.row_errors] == [2]
    assert _count() == 1
    report = village_import.import_idm(staff, raw, replace=True, **LIMITS)
    assert (report.created, report.replaced) == (1, 1)
    assert [h.score for h in villages.idm_history(wee)] == [Decimal("0.6500"), Decimal("0.7000")]
    assert _replacements() == 1


def test_the_same_village_and_year_twice_in_a_file_is_refused() -> None:
    staff = factories.user(Role.SECRETARIAT)
    support.village("Desa Wee Rame")
    raw = _csv("desa;tahun;skor", "Desa Wee Rame;2024;0.6", "Desa Wee Rame;2024;0.7")
    with pytest.raises(CsvImportError) as caught:
        village_import.import_idm(staff, raw, **LIMITS)
    assert "baris 2" in " ".join(caught.value.report.row_errors[0].errors["year"])
    assert _count() == 0


def test_the_import_page_reports_rows_and_imports(client: Any, auth: Any) -> None:
    import io

    auth.login()
    support.village("Desa Wee Rame")
    bad = _csv("desa;tahun;skor", "Desa Wee Rame;2024;0,6", "Desa Entah;2024;0,6")
    answer = auth.post(
        "/villages/idm/import",
        {"file": (io.BytesIO(bad), "idm.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422
    assert "Desa Entah" in answer.get_data(as_text=True)
    assert _count() == 0
    good = _csv("desa;tahun;skor;status", "Desa Wee Rame;2024;0,6;mandiri")
    answer = auth.post(
        "/villages/idm/import",
        {"file": (io.BytesIO(good), "idm.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    assert "tidak sesuai dengan skornya" in text
    assert _count() == 1


def test_an_oversized_upload_is_refused_before_it_is_read(
    client: Any, auth: Any, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    auth.login()
    monkeypatch.setitem(app.config, "CSV_MAX_BYTES", 2048)
    huge = b"desa;tahun;skor\n" + b"Desa Wee Rame;2024;0,6\n" * 10_000
    answer = auth.post(
        "/villages/idm/import",
        {"file": (io.BytesIO(huge), "idm.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 413
    assert _count() == 0
