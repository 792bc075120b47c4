"""Small normalising validators shared by forms, the API and CSV import.

Each returns the cleaned value or raises :class:`ValidationError` with a field map, so the
three entry points give the same message for the same mistake. The bounds of integers and
dates live here too: every door (URL converter, API field, form cleaning, query string)
checks against the same limits, so no value the database cannot hold reaches it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from meetcoord.core.errors import ValidationError, field_errors

# --- integers ---------------------------------------------------------------------------

# Ids, counts and versions are INTEGER columns: 32 bits on PostgreSQL. A bigger number
# cannot name a row or fit a column, and used to surface as OverflowError (SQLite) or
# NumericValueOutOfRange (PostgreSQL), i.e. a 500.
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
_ASCII_INT = re.compile(r"[+-]?[0-9]{1,12}")


def parse_int(raw: Any, *, minimum: int = INT_MIN, maximum: int = INT_MAX) -> int | None:
    """A loose integer (query string, form field) within bounds, else None.

    Only ASCII digits: ``int()`` also reads "١٢", "1_000" and " 7 ", which no form sends.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _ASCII_INT.fullmatch(raw.strip()):
        value = int(raw.strip())
    else:
        return None
    return value if minimum <= value <= maximum else None


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` in every route: ASCII digits up to :data:`INT_MAX`, else no match (404).

    Installed as the app's ``int`` converter before any blueprint is registered, so each
    existing ``<int:id>`` gets the bound without being rewritten; the OpenAPI document
    shows it as the parameter's ``maximum``.
    """

    regex = r"[0-9]{1,12}"

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


# --- dates ------------------------------------------------------------------------------

# What a meeting, a decree or a deadline can sensibly be dated. Outside it, zone data turns
# odd (Jakarta in the year 199 is "+07:07:12", its local mean time) and a typo ("0224")
# would silently file a meeting eighteen centuries ago.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)


def day_in_range(value: date | datetime) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST_DAY <= day <= LATEST_DAY


def date_range_message() -> Any:
    return _l(
        "Tanggal harus antara %(first)s dan %(last)s.",
        first=EARLIEST_DAY.isoformat(),
        last=LATEST_DAY.isoformat(),
    )


# --- addresses and numbers --------------------------------------------------------------

_PHONE_CHARS = re.compile(r"[\s\-().]")
_PHONE = re.compile(r"^\+?\d{8,15}$")


def normalise_email(value: str, field: str = "email") -> str:
    try:
        if not isinstance(value, str):
            raise EmailNotValidError("not text")  # a missing form field, a JSON number
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            _l("Alamat email tidak valid."),
            errors=field_errors(**{field: _l("Alamat email tidak valid.")}),
        ) from None
    return result.normalized.lower()


def normalise_phone(value: str, field: str = "phone") -> str:
    """Indonesian numbers as people type them (0812-3456-7890, +62 812…) → +628123456789."""
    digits = _PHONE_CHARS.sub("", value.strip() if isinstance(value, str) else "")
    if digits.startswith("0"):
        digits = "+62" + digits[1:]
    elif digits.startswith("62"):
        digits = "+" + digits
    if not _PHONE.match(digits):
        raise ValidationError(
            _l("Nomor telepon tidak valid."),
            errors=field_errors(
                **{field: _l("Nomor telepon tidak valid (contoh: 0812-3456-7890).")}
            ),
        )
    return digits
