"""Proposals from a spreadsheet: which column holds what, and every row checked.

An e-Musrenbang or SIPD export names its columns its own way ("Usulan", "Nama Kegiatan",
"Desa/Kelurahan", "Pagu", "Sumber Dana"…), so the import asks which column holds each
target field and pre-fills the answer from the names known here (:func:`suggest_mapping`).
Then :func:`check_rows` cleans every row and collects every problem as (row, column,
value, message), so one pass tells the secretariat everything to fix; the service imports
nothing while any problem remains. The hand-entry form and the JSON API use the same
rules (:func:`clean_row`), so all three refuse the same input with the same words.

Pure: no database, no request. Villages come in as a :class:`VillageLookup` the service
builds from the directory.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.core.cleaning import clean_line, clean_text, name_key
from meetcoord.planning.models import FundSource, ProposalField, ProposerKind

MAX_CELL_CHARS = 2000
YEARS = (2000, 2100)
MAX_SCORE = Decimal("99999.99")

# Target fields, in the order the mapping page shows them; the first five are required.
REQUIRED = ("title", "village", "field", "fund_source", "plan_year")
OPTIONAL = (
    "budget",
    "priority_score",
    "sector",
    "proposer_kind",
    "proposer_name",
    "source_document",
    "external_ref",
    "region",
)
TARGETS = REQUIRED + OPTIONAL
TARGET_LABELS: dict[str, Any] = {
    "title": _l("Judul usulan"),
    "village": _l("Desa/kelurahan (lokus)"),
    "field": _l("Bidang"),
    "fund_source": _l("Sumber dana"),
    "plan_year": _l("Tahun rencana"),
    "budget": _l("Perkiraan biaya (Rp)"),
    "priority_score": _l("Skor prioritas"),
    "sector": _l("Sektor/urusan"),
    "proposer_kind": _l("Jenis pengusul"),
    "proposer_name": _l("Pengusul"),
    "source_document": _l("Dokumen sumber"),
    "external_ref": _l("Nomor usulan (sistem asal)"),
    "region": _l("Kabupaten/kota desa"),
}
LIMITS = {"title": 2000, "sector": 120, "proposer_name": 200, "source_document": 200}
LIMITS["external_ref"] = 60

# Column titles of e-Musrenbang/SIPD exports and of our own template, folded by ``_fold``.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "title": (
        "usulan",
        "nama kegiatan",
        "judul",
        "judul usulan",
        "uraian usulan",
        "nama usulan",
        "kegiatan",
        "permasalahan usulan",
        "title",
    ),
    "village": (
        "desa/kelurahan",
        "desa kelurahan",
        "desa",
        "kelurahan",
        "lokus",
        "lokasi",
        "lokasi desa",
        "village",
        "locus",
    ),
    "field": ("bidang", "bidang usulan", "kelompok bidang", "field"),
    "fund_source": (
        "sumber dana",
        "sumber anggaran",
        "sumber pendanaan",
        "fund source",
        "fund_source",
    ),
    "plan_year": (
        "tahun",
        "tahun rencana",
        "tahun anggaran",
        "tahun usulan",
        "plan year",
        "plan_year",
        "year",
    ),
    "budget": (
        "pagu",
        "perkiraan biaya",
        "pagu indikatif",
        "anggaran",
        "biaya",
        "usulan anggaran",
        "nilai",
        "budget",
    ),
    "priority_score": (
        "skor",
        "skor prioritas",
        "nilai prioritas",
        "prioritas",
        "score",
        "priority score",
        "priority_score",
    ),
    "sector": ("sektor", "urusan", "sub bidang", "subbidang", "sector"),
    "proposer_kind": ("jenis pengusul", "proposer kind", "proposer_kind"),
    "proposer_name": ("pengusul", "nama pengusul", "proposer", "proposer_name"),
    "source_document": (
        "dokumen sumber",
        "sumber usulan",
        "asal usulan",
        "source document",
        "source_document",
    ),
    "external_ref": (
        "id usulan",
        "no usulan",
        "nomor usulan",
        "kode usulan",
        "no. usulan",
        "id",
        "external_ref",
    ),
    "region": ("kabupaten/kota", "kabupaten", "kota", "wilayah", "region"),
}

FIELD_WORDS: dict[str, ProposalField] = {
    "ekonomi": ProposalField.ECONOMY,
    "perekonomian": ProposalField.ECONOMY,
    "sosial budaya": ProposalField.SOCIAL_CULTURE,
    "sosbud": ProposalField.SOCIAL_CULTURE,
    "sosial": ProposalField.SOCIAL_CULTURE,
    "prasarana wilayah": ProposalField.INFRASTRUCTURE,
    "infrastruktur": ProposalField.INFRASTRUCTURE,
    "infrastruktur dan kewilayahan": ProposalField.INFRASTRUCTURE,
    "fisik dan prasarana": ProposalField.INFRASTRUCTURE,
    "pemerintahan": ProposalField.GOVERNANCE,
    "pemerintahan umum": ProposalField.GOVERNANCE,
    "social culture": ProposalField.SOCIAL_CULTURE,
}
FUND_WORDS: dict[str, FundSource] = {
    "apbd kabupaten/kota": FundSource.APBD_REGENCY,
    "apbd kabupaten": FundSource.APBD_REGENCY,
    "apbd kota": FundSource.APBD_REGENCY,
    "apbd kab": FundSource.APBD_REGENCY,
    "apbd kab/kota": FundSource.APBD_REGENCY,
    "apbd ii": FundSource.APBD_REGENCY,
    "apbd provinsi": FundSource.APBD_PROVINCE,
    "apbd prov": FundSource.APBD_PROVINCE,
    "apbd i": FundSource.APBD_PROVINCE,
    "baznas": FundSource.ZAKAT,
    "baznas/zakat": FundSource.ZAKAT,
    "lainnya": FundSource.OTHER,
    "dana desa": FundSource.APBDES,
}
PROPOSER_WORDS: dict[str, ProposerKind] = {
    "desa": ProposerKind.VILLAGE,
    "pemerintah desa": ProposerKind.VILLAGE,
    "kelompok masyarakat": ProposerKind.COMMUNITY_GROUP,
    "pokmas": ProposerKind.COMMUNITY_GROUP,
    "organisasi": ProposerKind.ORGANIZATION,
    "lembaga": ProposerKind.ORGANIZATION,
}
_THOUSANDS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+")
_DIGITS = re.compile(r"[0-9]+")
_RUPIAH = re.compile(r"^rp\.?\s*", re.IGNORECASE)


def _fold(text: str) -> str:
    return " ".join(name_key(text).replace("_", " ").split())


def _word(text: str) -> str:
    return _fold(text).replace(" / ", "/").replace("-", " ")


def suggest_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """Target field → the index of the column whose title names it (first match), or None."""
    folded = [_fold(str(h or "")) for h in headers]
    found: dict[str, int | None] = {}
    taken: set[int] = set()
    for target in TARGETS:
        names = HEADER_NAMES[target]
        found[target] = next(
            (i for name in names for i, h in enumerate(folded) if h == name and i not in taken),
            None,
        )
        if found[target] is not None:
            taken.add(found[target])  # type: ignore[arg-type]
    return found


@dataclass(frozen=True)
class Problem:
    """One thing to fix: ``line`` as a spreadsheet numbers it (0: the file as a whole)."""

    line: int
    column: str
    value: str
    message: Any


@dataclass
class VillageLookup:
    """Villages by folded name: (id, folded region, display name) for each namesake."""

    by_name: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)
    region: str = ""  # only villages of this region, when the import names one
    _found: dict[tuple[str, str], tuple[int | None, Any]] = field(default_factory=dict)

    def find(self, name: str, region: str = "") -> tuple[int | None, Any]:
        """The village's id, or why none: unknown, or namesakes the region does not part."""
        if (name, region) not in self._found:
            self._found[(name, region)] = self._find(name, region)
        return self._found[(name, region)]

    def _find(self, name: str, region: str) -> tuple[int | None, Any]:
        hits = self.by_name.get(name_key(name), [])
        wanted = name_key(region or self.region)
        if wanted:
            hits = [hit for hit in hits if wanted in hit[1]]
        if len(hits) == 1:
            return hits[0][0], None
        if not hits:
            return None, _l("Desa tidak dikenal di direktori.")
        return None, _l("Ada beberapa desa bernama ini; isi kolom kabupaten/kota.")


def parse_budget(value: Any) -> tuple[int | None, Any]:
    """Whole Rupiah: 1250000, "1250000", "1.250.000", "Rp 1.250.000"; not below zero,
    no fractions of a Rupiah, no text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, _l("Perkiraan biaya harus berupa angka rupiah.")
    if isinstance(value, int | float):
        if value < 0:
            return None, _l("Perkiraan biaya tidak boleh negatif.")
        if value != int(value):
            return None, _l("Perkiraan biaya dalam rupiah utuh, tanpa desimal.")
        return int(value), None
    text = _RUPIAH.sub("", str(value).strip()).replace(" ", "")
    if text.startswith("-"):
        return None, _l("Perkiraan biaya tidak boleh negatif.")
    if _DIGITS.fullmatch(text):
        return int(text), None
    if _THOUSANDS.fullmatch(text):
        return int(text.replace(".", "")), None
    if re.fullmatch(r"[0-9.]+,[0-9]+|[0-9]+\.[0-9]{1,2}", text):
        return None, _l("Perkiraan biaya dalam rupiah utuh, tanpa desimal.")
    return None, _l("Perkiraan biaya harus berupa angka rupiah.")


@lru_cache(maxsize=512)
def parse_fund_source(value: str) -> FundSource | None:
    """By code ("apbd_regency"), by name ("APBD Kabupaten/Kota", "apbdes"), any case."""
    word = _word(value)
    for source in FundSource:
        if word in (source.value, source.value.replace("_", " ")):
            return source
    return FUND_WORDS.get(word)


@lru_cache(maxsize=512)
def parse_field(value: str) -> ProposalField | None:
    word = _word(value)
    for member in ProposalField:
        if word in (member.value, member.value.replace("_", " ")):
            return member
    return FIELD_WORDS.get(word)


@lru_cache(maxsize=512)
def parse_proposer(value: str) -> ProposerKind | None:
    word = _word(value)
    for member in ProposerKind:
        if word in (member.value, member.value.replace("_", " ")):
            return member
    return PROPOSER_WORDS.get(word)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return clean_line(str(value))


def _year(value: Any) -> tuple[int | None, Any]:
    text = _text(value)
    if not text:
        return None, _l("Tahun rencana wajib diisi.")
    if not _DIGITS.fullmatch(text) or not YEARS[0] <= int(text) <= YEARS[1]:
        return None, _l("Tahun rencana harus tahun empat angka (2000–2100).")
    return int(text), None


def _score(value: Any) -> tuple[Decimal | None, Any]:
    text = _text(value).replace(",", ".")
    if not text:
        return None, None
    try:
        score = Decimal(text)
    except InvalidOperation:
        return None, _l("Skor prioritas harus berupa angka.")
    if not score.is_finite() or score < 0 or score > MAX_SCORE:
        return None, _l("Skor prioritas antara 0 dan 99999,99.")
    return score.quantize(Decimal("0.01")), None


def clean_row(raw: Mapping[str, Any], villages: VillageLookup) -> tuple[dict[str, Any], dict]:
    """One proposal's fields from raw values by target name; (clean values, errors by
    target). The clean values carry ``village_id`` in place of the village's name."""
    errors: dict[str, Any] = {}
    clean: dict[str, Any] = {}
    title = clean_text(_text(raw.get("title")))
    if not title:
        errors["title"] = _l("Judul usulan wajib diisi.")
    clean["title"] = title
    village = _text(raw.get("village"))
    if not village:
        errors["village"] = _l("Desa/kelurahan wajib diisi.")
    else:
        clean["village_id"], problem = villages.find(village, _text(raw.get("region")))
        if problem is not None:
            errors["village"] = problem
    for name, parse, message in (
        ("field", parse_field, _l("Bidang tidak dikenal.")),
        ("fund_source", parse_fund_source, _l("Sumber dana tidak dikenal.")),
    ):
        text = _text(raw.get(name))
        clean[name] = parse(text) if text else None
        if not text:
            errors[name] = _l("Wajib diisi.")
        elif clean[name] is None:
            errors[name] = message
    clean["plan_year"], problem = _year(raw.get("plan_year"))
    if problem is not None:
        errors["plan_year"] = problem
    clean["budget"], problem = parse_budget(raw.get("budget"))
    if problem is not None:
        errors["budget"] = problem
    clean["priority_score"], problem = _score(raw.get("priority_score"))
    if problem is not None:
        errors["priority_score"] = problem
    kind = _text(raw.get("proposer_kind"))
    clean["proposer_kind"] = parse_proposer(kind) if kind else ProposerKind.VILLAGE
    if clean["proposer_kind"] is None:
        errors["proposer_kind"] = _l("Jenis pengusul tidak dikenal.")
    for name in ("sector", "proposer_name", "source_document", "external_ref"):
        clean[name] = _text(raw.get(name)) or None
    for name, limit in LIMITS.items():
        if clean.get(name) and len(clean[name]) > limit:
            errors[name] = _l("Paling banyak %(n)d karakter.", n=limit)
    clean["proposer_name"] = clean["proposer_name"] or village
    return clean, errors


def check_mapping(mapping: Mapping[str, Any], width: int) -> list[Problem]:
    """A column named for every required field, and only columns the file has."""
    problems: list[Problem] = []
    for target in TARGETS:
        index = mapping.get(target)
        if index is None:
            if target in REQUIRED:
                message = _l("Kolom wajib belum dipilih: %(field)s.", field=TARGET_LABELS[target])
                problems.append(Problem(0, target, "", message))
        elif not isinstance(index, int) or not 0 <= index < width:
            problems.append(Problem(0, target, str(index), _l("Kolom tidak ada dalam berkas.")))
    return problems


def check_rows(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    mapping: Mapping[str, int | None],
    villages: VillageLookup,
    *,
    first_line: int = 2,
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Every row cleaned, or every problem found; line numbers as the sheet shows them."""
    problems = check_mapping(mapping, len(headers))
    if problems:
        return [], problems
    columns = {t: i for t, i in mapping.items() if i is not None}
    cleaned: list[dict[str, Any]] = []
    for offset, row in enumerate(rows):
        line = first_line + offset
        raw = {t: (row[i] if i < len(row) else None) for t, i in columns.items()}
        clean, errors = clean_row(raw, villages)
        clean["line"] = line
        cleaned.append(clean)
        for target, message in errors.items():
            column = headers[columns[target]] if target in columns else TARGET_LABELS[target]
            value = _text(raw.get(target))[:80]
            problems.append(Problem(line, str(column), value, message))
    return ([] if problems else cleaned), problems
