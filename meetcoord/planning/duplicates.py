"""Likely duplicate proposals: same locus, same plan year, (nearly) the same title.

An e-Musrenbang export often holds one proposal twice (typed again at the kecamatan
forum, or with a word more: "Pembangunan jalan desa Wee Rame" and "Pembangunan jalan di
desa Wee Rame"). Two titles are taken for one when their folded forms are equal or when
their word sets overlap by a Sørensen–Dice coefficient of at least :data:`THRESHOLD`
(small linking words left out, since "di", "dan", "ke" make no proposal different).
Pure: no Flask, no database; the import and the merge page feed it plain tuples.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

THRESHOLD = 0.85
STOPWORDS = frozenset({"di", "ke", "dan", "yang", "untuk", "dari", "pada", "the", "of", "and"})
_NON_WORD = re.compile(r"[^\w]+")


def fold(title: str) -> str:
    """The title compared: NFKC, case folded, punctuation as spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def tokens(title: str) -> frozenset[str]:
    return frozenset(word for word in fold(title).split() if word not in STOPWORDS)


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two titles' word sets (1.0 when the folded titles are equal)."""
    if fold(a) == fold(b):
        return 1.0
    left, right = tokens(a), tokens(b)
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


def alike(a: str, b: str, threshold: float = THRESHOLD) -> bool:
    return similarity(a, b) >= threshold


@dataclass(frozen=True)
class Candidate:
    """A proposal to compare: ``key`` is whatever names it for the caller (an id, a line)."""

    key: object
    village_id: int | None
    plan_year: int
    title: str


@dataclass(frozen=True)
class Match:
    """``key`` (a new row) looks like ``other`` (an existing proposal or an earlier row)."""

    key: object
    other: object
    existing: bool
    score: float


def find_duplicates(
    new: Sequence[Candidate], existing: Iterable[Candidate], threshold: float = THRESHOLD
) -> list[Match]:
    """Every new row that looks like an existing proposal or like an earlier new row of the
    same village and plan year. Rows are compared only within their (village, year) group,
    so 5,000 rows from one hundred villages cost thousands of comparisons, not millions."""
    groups: dict[tuple[int | None, int], list[tuple[Candidate, bool]]] = defaultdict(list)
    for old in existing:
        groups[(old.village_id, old.plan_year)].append((old, True))
    found: list[Match] = []
    for row in new:
        group = groups[(row.village_id, row.plan_year)]
        best: Match | None = None
        for other, is_existing in group:
            score = similarity(row.title, other.title)
            if score >= threshold and (best is None or score > best.score):
                best = Match(row.key, other.key, is_existing, round(score, 3))
        if best is not None:
            found.append(best)
        group.append((row, False))
    return found
