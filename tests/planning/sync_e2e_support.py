"""The scene of the end-to-end synchronisation test: 300 proposals of five villages as an
e-Musrenbang export (XLSX) and the marks the minute-taker makes, with what the matrix's
totals must then be, computed here from the plan (not by the code under test).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

COUNT = 300
HEADERS = ["No", "ID Usulan", "Usulan", "Desa/Kelurahan", "Bidang", "Perkiraan Biaya"]
HEADERS += ["Sumber Dana", "Tahun", "Skor"]
VILLAGES = ["Wee Rame", "Kalembu Ndara Mane", "Tema Tana", "Kadi Wanno", "Weri Lolo"]
FIELDS = ["Ekonomi", "Sosial Budaya", "Prasarana Wilayah", "Pemerintahan"]
SOURCES = ["APBDes", "APBD Kabupaten/Kota", "APBD Provinsi", "APBN", "DAK", "CSR"]
WORDS = ["jalan", "embung", "sumur", "posyandu", "tenun", "irigasi", "pasar", "balai", "jembatan"]
WORDS += ["sekolah", "kebun", "ternak", "listrik", "air", "bibit", "gudang", "dermaga"]


def title(n: int) -> str:
    """Distinct titles that the duplicate check does not take for one another."""
    a, b, c = WORDS[n % 17], WORDS[(n // 17) % 17], WORDS[(n // 289) % 17]
    return f"Usulan {n} {a} {b} {c}"


def budget(n: int) -> int:
    return 50_000_000 + 1_250_000 * n


def village_of(n: int) -> str:
    return VILLAGES[n % len(VILLAGES)]


def score(n: int) -> int:
    """Scores that put rows 1..300 in a known, mixed order (ties broken by row id)."""
    return (n * 37) % 101


def xlsx() -> bytes:
    """The export as Bappeda staff download it, one sheet, the usual column titles."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Usulan")
    sheet.append(HEADERS)
    for n in range(1, COUNT + 1):
        sheet.append(
            [
                n,
                f"EM-{n:05d}",
                title(n),
                village_of(n),
                FIELDS[n % 4],
                budget(n),
                SOURCES[n % len(SOURCES)],
                2025,
                score(n),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Planned:
    """One mark of the plan: which matrix row (by position in score order), with what."""

    position: int
    outcome: str
    agency: str | None = None  # "pupr" | "health"
    amount_half: bool = False
    carried_to: str | None = None
    merged_with: int | None = None  # the position of the other row
    reason: str | None = None


# Positions in the score order. Rows 0 and 1 are Dinas PUPR's: 0 confirmed, 1 disputed.
PLAN = [
    Planned(0, "accommodated", "pupr", amount_half=True),
    Planned(1, "accommodated", "pupr"),
    Planned(2, "accommodated", "pupr", amount_half=True),
    Planned(3, "accommodated", "health"),
    Planned(4, "carried", "pupr", carried_to="musrenbangkab"),
    Planned(5, "carried", "health", carried_to="musrenbangkab"),
    Planned(6, "carried", None, carried_to="musrenbangkab"),
    Planned(7, "merged", merged_with=0),
    Planned(8, "merged", merged_with=3),
    Planned(9, "not_accommodated", reason="Bukan kewenangan kabupaten"),
    Planned(10, "not_accommodated", reason="Sudah dianggarkan dalam APBDes"),
]
CONFIRMED, DISPUTED = 0, 1
DISPUTE_NOTE = "Pagu belum tersedia"


def amount(plan: Planned, row: dict[str, Any]) -> int | None:
    if plan.outcome != "accommodated":
        return None
    return row["budget"] // 2 if plan.amount_half else row["budget"]


def expected_totals(
    rows: list[dict[str, Any]], agencies: dict[str, int], numbers: dict[str, int]
) -> dict[str, Any]:
    """What the matrix's totals must be once the plan is marked, from the plan and the
    spreadsheet alone: per agency id and per village name, (count, budget, accommodated,
    amount, disputed)."""
    # Each line: count, budget, accommodated, amount, disputed.
    by_agency: dict[int, list[int]] = {}
    by_village: dict[str, list[int]] = {v: [0, 0, 0, 0, 0] for v in VILLAGES}
    for n in range(1, COUNT + 1):
        by_village[village_of(n)][0] += 1
        by_village[village_of(n)][1] += budget(n)
    for plan in PLAN:
        row = rows[plan.position]
        n = numbers[row["title"]]
        disputed = int(plan.position == DISPUTED)
        given = amount(plan, row) or 0
        accommodated = int(plan.outcome == "accommodated")
        line = by_village[village_of(n)]
        line[2] += accommodated
        line[3] += given
        line[4] += disputed
        if plan.agency is not None:
            sums = by_agency.setdefault(agencies[plan.agency], [0, 0, 0, 0, 0])
            for k, value in enumerate((1, budget(n), accommodated, given, disputed)):
                sums[k] += value
    return {"agencies": by_agency, "villages": by_village}
