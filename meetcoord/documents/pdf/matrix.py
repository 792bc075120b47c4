"""The synchronisation matrix in the minutes and the berita acara (issue 14, point 3).

A meeting that settles proposals (usulan) prints what it settled twice: a section in the
body — totals per agency and per village, then the rows grouped by outcome — and an
appendix with every row in full. Both the minutes and the agreement the agencies sign
carry it, so the snapshot holds the rows (:class:`MatrixRowData`, labels already in
Indonesian) and the totals are summed here at rendering: the same frozen rows always give
the same totals, and a row changed after signing (through an addendum) never alters a
signed PDF. Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from meetcoord.core.pdf import FONT_BOLD
from meetcoord.documents.pdf.layout import grid, para

DASH = "-"
NO_AGENCY = "(belum ditetapkan)"
NO_VILLAGE = "(tanpa lokus)"
# The order the section lists outcomes in; a row not marked yet comes last.
OUTCOME_ORDER = ("accommodated", "carried", "merged", "not_accommodated", "")
OUTCOME_HEADINGS = {
    "accommodated": "Diakomodasi",
    "carried": "Dibawa ke forum berikutnya",
    "merged": "Digabung",
    "not_accommodated": "Tidak diakomodasi",
    "": "Belum diputuskan",
}
DISPUTED = "DISANGGAH"


@dataclass(frozen=True)
class MatrixRowData:
    """One proposal as the meeting's matrix settled it, in the words the documents print."""

    proposal: str
    village: str | None
    field: str  # "Ekonomi"
    fund_source: str  # "APBD Kabupaten/Kota"
    budget: int | None  # whole Rupiah
    outcome: str  # accommodated | carried | merged | not_accommodated | "" (not marked)
    confirmation: str  # "Dikonfirmasi"
    disputed: bool = False
    agency: str | None = None
    programme: str | None = None
    activity: str | None = None
    plan_document: str | None = None  # "RKPD 2025"
    plan_year: int | None = None
    amount: int | None = None
    carried_to: str | None = None  # "Musrenbangkab"
    merged_with: str | None = None  # the other proposal's title
    reason: str | None = None


@dataclass(frozen=True)
class MatrixTotal:
    """One line of a totals table: an agency or a village (or "Jumlah")."""

    name: str
    count: int
    accommodated: int  # rows accommodated
    budget: int  # proposed, Rupiah
    amount: int  # accommodated, Rupiah
    share: str  # "48,0%" of the proposed budget, "-" when nothing was proposed


def rupiah(value: int | None) -> str:
    """ "Rp 1.250.000": Indonesian thousands separators; nothing known prints a dash."""
    if value is None:
        return DASH
    return f"Rp {value:,}".replace(",", ".")


def percent(part: int, whole: int) -> str:
    """ "48,0%" (Indonesian decimal comma)."""
    if whole <= 0:
        return DASH
    return f"{part * 100 / whole:.1f}%".replace(".", ",")


def _accommodated_amount(row: MatrixRowData) -> int:
    return (row.amount or 0) if row.outcome == "accommodated" else 0


def _total(name: str, rows: list[MatrixRowData]) -> MatrixTotal:
    budget = sum(r.budget or 0 for r in rows)
    amount = sum(_accommodated_amount(r) for r in rows)
    accommodated = sum(1 for r in rows if r.outcome == "accommodated")
    return MatrixTotal(name, len(rows), accommodated, budget, amount, percent(amount, budget))


def totals_by(rows: list[MatrixRowData], key: str, missing: str) -> list[MatrixTotal]:
    """Totals per ``key`` ("agency" or "village"), by name, then "Jumlah" for all rows."""
    groups: dict[str, list[MatrixRowData]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key) or missing, []).append(row)
    lines = [_total(name, groups[name]) for name in sorted(groups, key=str.casefold)]
    return [*lines, _total("Jumlah", rows)]


def detail(row: MatrixRowData) -> str:
    """What the outcome says: where it was accommodated, where it goes, with what, why."""
    if row.outcome == "accommodated":
        plan = row.plan_document or (str(row.plan_year) if row.plan_year else None)
        parts = [row.agency, row.programme, row.activity, plan, rupiah(row.amount)]
        return "; ".join(p for p in parts if p and p != DASH) or DASH
    if row.outcome == "carried":
        to = f"ke {row.carried_to}" if row.carried_to else DASH
        return f"{to} ({row.agency})" if row.agency else to
    if row.outcome == "merged":
        return f"dengan: {row.merged_with}" if row.merged_with else DASH
    if row.outcome == "not_accommodated":
        return f"alasan: {row.reason}" if row.reason else DASH
    return DASH


def _summary_line(rows: list[MatrixRowData]) -> str:
    counts = [
        f"{sum(1 for r in rows if r.outcome == o)} {OUTCOME_HEADINGS[o].lower()}"
        for o in OUTCOME_ORDER
        if any(r.outcome == o for r in rows)
    ]
    disputed = sum(1 for r in rows if r.disputed)
    line = f"{len(rows)} usulan dibahas: {', '.join(counts)}."
    if disputed:
        line += f" {disputed} baris disanggah instansi dan belum disepakati."
    return line


def _totals_table(title: str, lines: list[MatrixTotal]) -> Any:
    head = [title, "Usulan", "Diakomodasi", "Pagu usulan", "Nilai diakomodasi", "Persentase"]
    rows: list[list[Any]] = [[para(h, "head") for h in head]]
    for t in lines:
        rows.append(
            [
                para(t.name, "cell"),
                str(t.count),
                str(t.accommodated),
                para(rupiah(t.budget), "cell"),
                para(rupiah(t.amount), "cell"),
                t.share,
            ]
        )
    extra = [("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD)]
    return grid(rows, [50, 16, 22, 31, 31, 22], extra)


def matrix_section(rows: list[MatrixRowData]) -> list[Any]:
    """The body's section: summary, totals per agency and per village, rows by outcome."""
    if not rows:
        return []
    out: list[Any] = [
        Spacer(1, 4 * mm),
        para("Hasil sinkronisasi usulan", "section"),
        para(_summary_line(rows), "justify"),
        Spacer(1, 2 * mm),
        _totals_table("Instansi (OPD)", totals_by(rows, "agency", NO_AGENCY)),
        Spacer(1, 2 * mm),
        _totals_table("Desa (lokus)", totals_by(rows, "village", NO_VILLAGE)),
    ]
    for outcome in OUTCOME_ORDER:
        group = [r for r in rows if r.outcome == outcome]
        if not group:
            continue
        out += [Spacer(1, 2 * mm), para(f"{OUTCOME_HEADINGS[outcome]} ({len(group)})", "bold")]
        for n, r in enumerate(group, start=1):
            where = f" — {r.village}" if r.village else ""
            flag = f" [{DISPUTED}]" if r.disputed else ""
            out.append(para(f"{n}. {r.proposal}{where}: {detail(r)}{flag}", "cell"))
    return out


def matrix_appendix(rows: list[MatrixRowData], title: str) -> list[Any]:
    """Every row in full, on its own pages after the body."""
    if not rows:
        return []
    head = ["No", "Usulan / desa", "Bidang / sumber dana", "Pagu", "Hasil", "Konfirmasi"]
    table: list[list[Any]] = [[para(h, "head") for h in head]]
    for n, r in enumerate(rows, start=1):
        outcome = OUTCOME_HEADINGS.get(r.outcome, r.outcome)
        confirmation = DISPUTED if r.disputed else r.confirmation
        table.append(
            [
                str(n),
                [para(r.proposal, "cell"), para(r.village or NO_VILLAGE, "small")],
                [para(r.field, "cell"), para(r.fund_source, "small")],
                para(rupiah(r.budget), "cell"),
                [para(outcome, "cell"), para(detail(r), "small")],
                para(confirmation, "cell"),
            ]
        )
    return [
        PageBreak(),
        para("Lampiran: Matriks sinkronisasi usulan", "title"),
        para(title, "subtitle"),
        Spacer(1, 4 * mm),
        grid(table, [9, 46, 27, 24, 44, 24], [("ALIGN", (0, 1), (0, -1), "CENTER")]),
    ]
