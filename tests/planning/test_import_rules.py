"""The import's pure rules: the column mapping's pre-fill, each cell's parsing, the row
report, and the duplicate check (no app, no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from meetcoord.planning import duplicates as d
from meetcoord.planning.importing import (
    VillageLookup,
    check_rows,
    parse_budget,
    parse_field,
    parse_fund_source,
    suggest_mapping,
)
from meetcoord.planning.models import FundSource, ProposalField

EMUSRENBANG = [
    "No",
    "ID Usulan",
    "Usulan",
    "Desa/Kelurahan",
    "Bidang",
    "Perkiraan Biaya",
    "Sumber Dana",
    "Tahun",
    "Skor",
    "Keterangan",
]


def test_mapping_is_prefilled_from_e_musrenbang_and_sipd_headers() -> None:
    mapping = suggest_mapping(EMUSRENBANG)
    assert mapping["external_ref"] == 1
    assert mapping["title"] == 2
    assert mapping["village"] == 3
    assert mapping["field"] == 4
    assert mapping["budget"] == 5
    assert mapping["fund_source"] == 6
    assert mapping["plan_year"] == 7
    assert mapping["priority_score"] == 8
    assert mapping["sector"] is None
    sipd = suggest_mapping(["NAMA KEGIATAN", "Lokasi", "Pagu", "SUMBER  DANA", "tahun anggaran"])
    assert sipd["title"] == 0
    assert sipd["village"] == 1
    assert sipd["budget"] == 2
    assert sipd["fund_source"] == 3
    assert sipd["plan_year"] == 4


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Rp 1.250.000", 1_250_000),
        ("1250000", 1_250_000),
        ("1.250.000", 1_250_000),
        ("Rp. 75.000.000", 75_000_000),
        (1250000, 1_250_000),
        (1250000.0, 1_250_000),
        ("", None),
        (None, None),
    ],
)
def test_budget_accepts_whole_rupiah(raw: object, expected: int | None) -> None:
    assert parse_budget(raw) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("-5", "negatif"),
        (-5, "negatif"),
        ("abc", "angka"),
        ("1.250.000,50", "desimal"),
        ("1250000.5", "desimal"),
        (12.5, "desimal"),
        ("12,5 juta", "angka"),
    ],
)
def test_budget_refuses_negative_text_and_decimals(raw: object, words: str) -> None:
    value, problem = parse_budget(raw)
    assert value is None
    assert words in str(problem)


def test_fund_source_by_name_or_code_in_any_case() -> None:
    assert parse_fund_source("APBD Kabupaten/Kota") is FundSource.APBD_REGENCY
    assert parse_fund_source("apbd_province") is FundSource.APBD_PROVINCE
    assert parse_fund_source("APBDES") is FundSource.APBDES
    assert parse_fund_source("Baznas/Zakat") is FundSource.ZAKAT
    assert parse_fund_source("Dana Siluman") is None
    assert parse_field("Sosial Budaya") is ProposalField.SOCIAL_CULTURE
    assert parse_field("PRASARANA WILAYAH") is ProposalField.INFRASTRUCTURE
    assert parse_field("olahraga") is None


def _lookup() -> VillageLookup:
    lookup = VillageLookup()
    lookup.by_name["wee rame"] = [(7, "kabupaten sumba barat daya", "Wee Rame")]
    lookup.by_name["kalembu"] = [
        (8, "kabupaten sumba barat daya", "Kalembu"),
        (9, "kab x", "Kalembu"),
    ]
    return lookup


HEAD = ["Usulan", "Desa", "Bidang", "Sumber Dana", "Tahun", "Pagu", "Skor"]


def test_every_problem_names_its_row_column_and_value() -> None:
    rows = [
        ["Jalan desa", "Wee Rame", "Ekonomi", "APBDes", 2025, "Rp 1.000.000", "80,5"],
        ["", "Atlantis", "Ekonomi", "APBN", 2025, "-5", ""],
        ["Sumur bor", "Wee Rame", "Olahraga", "Dana X", "dua ribu", "abc", ""],
        ["Embung", "Kalembu", "Ekonomi", "APBN", 2025, "", ""],
    ]
    mapping = suggest_mapping(HEAD)
    clean, problems = check_rows(HEAD, rows, mapping, _lookup())
    assert clean == []  # one problem anywhere: nothing comes out
    found = {(p.line, p.column, p.value) for p in problems}
    assert (3, "Usulan", "") in found
    assert (3, "Desa", "Atlantis") in found
    assert (3, "Pagu", "-5") in found
    assert (4, "Bidang", "Olahraga") in found
    assert (4, "Sumber Dana", "Dana X") in found
    assert (4, "Tahun", "dua ribu") in found
    assert (4, "Pagu", "abc") in found
    assert (5, "Desa", "Kalembu") in found  # two villages of that name: ambiguous
    assert not any(p.line == 2 for p in problems)


def test_clean_rows_carry_ids_and_typed_values() -> None:
    rows = [["Jalan desa", "WEE RAME", "ekonomi", "apbdes", "2025", "Rp 1.000.000", "80,5"]]
    clean, problems = check_rows(HEAD, rows, suggest_mapping(HEAD), _lookup())
    assert problems == []
    assert clean[0]["village_id"] == 7
    assert clean[0]["budget"] == 1_000_000
    assert clean[0]["priority_score"] == Decimal("80.50")
    assert clean[0]["plan_year"] == 2025


def test_a_missing_or_wrong_column_is_a_file_problem() -> None:
    mapping = suggest_mapping(HEAD) | {"fund_source": None, "budget": 12}
    clean, problems = check_rows(HEAD, [["x"] * 7], mapping, _lookup())
    assert clean == []
    assert {(p.line, p.column) for p in problems} == {(0, "fund_source"), (0, "budget")}


def test_titles_alike_when_folded_equal_or_words_overlap() -> None:
    assert d.similarity("Pembangunan Jalan Desa", "pembangunan  jalan-desa!") == 1.0
    assert d.alike("Pembangunan jalan desa Wee Rame", "Pembangunan jalan di desa Wee Rame")
    assert d.alike("Rehabilitasi embung dan saluran irigasi", "Rehabilitasi saluran irigasi embung")
    assert not d.alike("Pembangunan jalan desa", "Pembangunan sumur bor desa")
    assert not d.alike("Pelatihan tenun ikat", "")


def test_duplicates_within_the_file_and_against_existing_same_village_and_year() -> None:
    existing = [d.Candidate(100, 7, 2025, "Pembangunan embung desa")]
    new = [
        d.Candidate(2, 7, 2025, "Pembangunan Embung Desa"),  # existing 100
        d.Candidate(3, 7, 2026, "Pembangunan embung desa"),  # another year: not alike
        d.Candidate(4, 8, 2025, "Pembangunan embung desa"),  # another village
        d.Candidate(5, 8, 2025, "Pembangunan embung di desa"),  # row 4 of the file
        d.Candidate(6, 7, 2025, "Pelatihan tenun ikat"),
    ]
    found = {(m.key, m.other, m.existing) for m in d.find_duplicates(new, existing)}
    assert found == {(2, 100, True), (5, 4, False)}


def _brute_force(new: list[d.Candidate], existing: list[d.Candidate]) -> set[tuple[object, float]]:
    """Every pair compared: what the indexed search must find, no more and no less."""
    seen = [(c, True) for c in existing]
    found = set()
    for row in new:
        scores = [
            d.similarity(row.title, other.title)
            for other, _ in seen
            if (other.village_id, other.plan_year) == (row.village_id, row.plan_year)
        ]
        best = max((s for s in scores if s >= d.THRESHOLD), default=None)
        if best is not None:
            found.add((row.key, round(best, 3)))
        seen.append((row, False))
    return found


def test_the_indexed_search_finds_what_comparing_every_pair_finds() -> None:
    import random

    rng = random.Random(14)  # noqa: S311 - a repeatable sample, no secret
    words = ["jalan", "desa", "embung", "air", "bersih", "di", "rehab", "pasar", "sumur", "bor"]

    def some_title() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(1, 7)))

    existing = [d.Candidate(f"e{i}", rng.randint(1, 2), 2025, some_title()) for i in range(150)]
    new = [d.Candidate(i, rng.randint(1, 2), 2025, some_title()) for i in range(400)]
    fast = {(m.key, m.score) for m in d.find_duplicates(new, existing)}
    assert fast == _brute_force(new, existing)
    assert len(fast) > 50  # the vocabulary is small: many pairs are alike
