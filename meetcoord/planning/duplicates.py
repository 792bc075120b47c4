"""Likely duplicate proposals: same locus, same plan year, (nearly) the same title.

An e-Musrenbang export often holds one proposal twice (typed again at the kecamatan
forum, or with a word more: "Pembangunan jalan desa Wee Rame" and "Pembangunan jalan di
desa Wee Rame"). Two titles are taken for one when their folded forms are equal or when
their word sets overlap by a Sørensen–Dice coefficient of at least :data:`THRESHOLD`
(small linking words left out, since "di", "dan", "ke" make no proposal different).
Pure: no Flask, no database; the import and the merge page feed it plain tuples.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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


def _prefix_length(size: int, threshold: float) -> int:
    """How many of a word set's rarest words must be indexed so that any set it is alike
    with shares one of them (the prefix filter of set-similarity joins): a Dice of ``t``
    needs an overlap of at least ``size·t/(2−t)`` words."""
    needed = math.ceil(size * threshold / (2 - threshold) - 1e-9)
    return max(1, size - needed + 1)


def find_duplicates(
    new: Sequence[Candidate], existing: Iterable[Candidate], threshold: float = THRESHOLD
) -> list[Match]:
    """Every new row that looks like an existing proposal or like an earlier new row of the
    same village and plan year.

    Comparing every pair of a (village, year) group is quadratic: 5,000 rows of five
    villages are millions of pairs. So the words of each title are ordered rarest first
    and only a title's first few (its prefix) are indexed; two titles can only be alike
    if their prefixes share a word, and only such pairs (and equal folded titles) are
    compared exactly.
    """
    olds = list(existing)
    prepared = {id(c): (fold(c.title), tokens(c.title)) for c in (*olds, *new)}
    counts: Counter[str] = Counter(w for _, ws in prepared.values() for w in ws)
    groups: dict[tuple[int | None, int], _Group] = defaultdict(_Group)

    def prefix(c: Candidate) -> list[str]:
        ranked = sorted(prepared[id(c)][1], key=lambda w: (counts[w], w))
        return ranked[: _prefix_length(len(ranked), threshold)] if ranked else []

    def add(c: Candidate, is_existing: bool, words: list[str]) -> None:
        group = groups[(c.village_id, c.plan_year)]
        folded, word_set = prepared[id(c)]
        entry = (c, is_existing, folded, word_set)
        group.by_fold.setdefault(folded, []).append(entry)
        for word in words:
            group.by_word[word].append(entry)

    for old in olds:
        add(old, True, prefix(old))
    found: list[Match] = []
    for row in new:
        group = groups[(row.village_id, row.plan_year)]
        folded, word_set = prepared[id(row)]
        size, words = len(word_set), prefix(row)
        best: Match | None = None
        best_score = 0.0
        for other, is_existing, _, _ in group.by_fold.get(folded, []):
            best, best_score = Match(row.key, other.key, is_existing, 1.0), 1.0
            break
        if best is None:
            checked: set[int] = set()
            for word in words:
                for other, is_existing, _, other_set in group.by_word.get(word, ()):
                    if id(other) in checked:
                        continue
                    checked.add(id(other))
                    score = 2 * len(word_set & other_set) / (size + len(other_set))
                    if score >= threshold and score > best_score:
                        best_score = score
                        best = Match(row.key, other.key, is_existing, round(score, 3))
        if best is not None:
            found.append(best)
        add(row, False, words)
    return found


_Entry = tuple[Candidate, bool, str, frozenset[str]]


@dataclass
class _Group:
    by_fold: dict[str, list[_Entry]] = field(default_factory=dict)
    by_word: defaultdict[str, list[_Entry]] = field(default_factory=lambda: defaultdict(list))
