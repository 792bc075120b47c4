"""Letter numbers from an institution's pattern ("005/{seq}/BAPPEDA/{year}"); pure.

Each institution numbers its outgoing letters in its own scheme, typed by an administrator
(as a setting for the first institution, on the admin page for the others). The pattern is
parsed with ``string.Formatter`` and only four known placeholders are filled — never
evaluated — so a typo is a validation message, not an exception or code execution. It sits
in ``core`` because both the settings and the institutions check patterns with it.
"""

from __future__ import annotations

import string
from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.core.errors import ValidationError, field_errors

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
DEFAULT_LETTER_PATTERN = "005/{seq}/BAPPEDA/{year}"
MAX_LETTER_NUMBER = 60
PLACEHOLDERS = ("seq", "year", "month", "month_roman")
_DEFAULT_SPECS = {"seq": "03d", "year": "d", "month": "02d", "month_roman": ""}

BAD_PATTERN = _l("Pola nomor surat tidak valid.")
UNBALANCED = _l("Kurung kurawal pada pola nomor surat tidak seimbang.")
UNKNOWN_PLACEHOLDER = _l(
    "Pola nomor surat hanya boleh memakai {seq}, {year}, {month} dan {month_roman}."
)
MISSING_SEQ_YEAR = _l("Pola nomor surat harus memuat {seq} dan {year}.")
TOO_LONG = _l("Nomor surat yang dihasilkan lebih dari 60 karakter.")


def _refusal(message: Any) -> ValidationError:
    """The specific reason both as the message (config start-up prints it) and the field's."""
    return ValidationError(message, errors=field_errors(letter_pattern=message))


def _parts(pattern: str) -> list[tuple[str, str | None, str]]:
    """(literal, placeholder, format spec) triples; a syntax error is a ValidationError."""
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        raise _refusal(UNBALANCED) from None
    out: list[tuple[str, str | None, str]] = []
    for literal, name, spec, conversion in parsed:
        if name is None:
            out.append((literal, None, ""))
            continue
        if name not in PLACEHOLDERS or conversion or "{" in (spec or ""):
            raise _refusal(UNKNOWN_PLACEHOLDER)
        out.append((literal, name, spec or ""))
    return out


def format_letter_number(pattern: str, *, seq: int, year: int, month: int) -> str:
    """ "005/023/BAPPEDA/2024": the pattern filled; ``{seq}`` is 3 digits unless specified."""
    values: dict[str, Any] = {
        "seq": seq,
        "year": year,
        "month": month,
        "month_roman": ROMAN_MONTHS[month - 1],
    }
    text = []
    for literal, name, spec in _parts(pattern):
        text.append(literal)
        if name is not None:
            try:
                text.append(format(values[name], spec or _DEFAULT_SPECS[name]))
            except ValueError:  # "{seq:abc}", "{month_roman:03d}"
                raise _refusal(BAD_PATTERN) from None
    return "".join(text)


def validate_letter_pattern(pattern: str) -> None:
    """Refuse a pattern that cannot number letters well, before it is saved.

    The longest plausible number (sequence 9999, December) must stay within 60 characters,
    the width of the Nomor line and of the database column.
    """
    names = {name for _literal, name, _spec in _parts(pattern) if name}
    if not {"seq", "year"} <= names:
        raise _refusal(MISSING_SEQ_YEAR)
    if len(format_letter_number(pattern, seq=9999, year=2099, month=12)) > MAX_LETTER_NUMBER:
        raise _refusal(TOO_LONG)
