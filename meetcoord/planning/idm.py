"""The Village Development Index (Indeks Desa Membangun): its five classes and movement.

Pure (no Flask, no database): the import, the hand entry, the pages and the dashboard all
classify a score the same way. The thresholds are the ministry's (Permendesa PDTT 2/2016):

- sangat tertinggal  score ≤ 0.4907
- tertinggal         0.4907 < score ≤ 0.5989
- berkembang         0.5989 < score ≤ 0.7072
- maju               0.7072 < score ≤ 0.8155
- mandiri            score > 0.8155

A status given with a score (a CSV column, a form field) is kept as given, but when it
contradicts the score the row is flagged: the official lists sometimes round differently,
and the reader should see which rows disagree rather than have them silently "corrected".
The names of the classes and of the movements are in :mod:`meetcoord.planning.labels`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum

from meetcoord.planning.models import IdmStatus

# Upper bound (inclusive) of each class but the last, lowest class first.
THRESHOLDS: tuple[tuple[Decimal, IdmStatus], ...] = (
    (Decimal("0.4907"), IdmStatus.VERY_UNDERDEVELOPED),
    (Decimal("0.5989"), IdmStatus.UNDERDEVELOPED),
    (Decimal("0.7072"), IdmStatus.DEVELOPING),
    (Decimal("0.8155"), IdmStatus.ADVANCED),
)
ORDER = tuple(IdmStatus)  # lowest class first
SCORE_PLACES = Decimal("0.0001")  # the column is Numeric(5, 4)

# What a CSV or a form may write for a status: the value, the Indonesian name, English.
STATUS_ALIASES: dict[str, IdmStatus] = {
    **{member.value: member for member in IdmStatus},
    "sangat tertinggal": IdmStatus.VERY_UNDERDEVELOPED,
    "sangat_tertinggal": IdmStatus.VERY_UNDERDEVELOPED,
    "tertinggal": IdmStatus.UNDERDEVELOPED,
    "berkembang": IdmStatus.DEVELOPING,
    "maju": IdmStatus.ADVANCED,
    "mandiri": IdmStatus.INDEPENDENT,
    "very underdeveloped": IdmStatus.VERY_UNDERDEVELOPED,
    "underdeveloped": IdmStatus.UNDERDEVELOPED,
    "developing": IdmStatus.DEVELOPING,
    "advanced": IdmStatus.ADVANCED,
    "independent": IdmStatus.INDEPENDENT,
}


class Movement(StrEnum):
    """How a village's IDM moved between its last two recorded years."""

    UP = "up"
    DOWN = "down"
    SAME = "same"
    UNKNOWN = "unknown"  # fewer than two years recorded


def parse_score(text: str | float | Decimal | None) -> Decimal | None:
    """A score from text ("0,6123" as Indonesian spreadsheets write it, or "0.6123"),
    rounded to four places; None when it is not a number at all. Range is not checked."""
    if text is None:
        return None
    raw = str(text).strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return value.quantize(SCORE_PLACES)


def in_range(score: Decimal) -> bool:
    return Decimal(0) <= score <= Decimal(1)


def classify(score: Decimal | float | str) -> IdmStatus:
    """The IDM class of ``score`` (0–1) by the official thresholds."""
    value = score if isinstance(score, Decimal) else Decimal(str(score))
    for bound, status in THRESHOLDS:
        if value <= bound:
            return status
    return IdmStatus.INDEPENDENT


def parse_status(text: str | None) -> IdmStatus | None:
    """A status by its value or its Indonesian/English name; None when unknown or blank."""
    if text is None:
        return None
    key = " ".join(str(text).strip().lower().replace("_", " ").split())
    return STATUS_ALIASES.get(key) or STATUS_ALIASES.get(key.replace(" ", "_"))


def contradicts(status: IdmStatus, score: Decimal) -> bool:
    """The given status is not the class the score falls in."""
    return status is not classify(score)


def movement(previous: Decimal | None, latest: Decimal | None) -> Movement:
    """Up, down or the same from the previous recorded score to the latest."""
    if previous is None or latest is None:
        return Movement.UNKNOWN
    if latest > previous:
        return Movement.UP
    if latest < previous:
        return Movement.DOWN
    return Movement.SAME


def class_steps(previous: IdmStatus | None, latest: IdmStatus | None) -> int:
    """How many classes the village climbed (negative: fell) between the two years."""
    if previous is None or latest is None:
        return 0
    return ORDER.index(latest) - ORDER.index(previous)
