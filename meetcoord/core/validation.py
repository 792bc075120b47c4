"""Small normalising validators shared by forms, the API and CSV import.

Each returns the cleaned value or raises :class:`ValidationError` with a field map, so the
three entry points give the same message for the same mistake.
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from meetcoord.core.errors import ValidationError, field_errors

_PHONE_CHARS = re.compile(r"[\s\-().]")
_PHONE = re.compile(r"^\+?\d{8,15}$")


def normalise_email(value: str, field: str = "email") -> str:
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            _l("Alamat email tidak valid."),
            errors=field_errors(**{field: _l("Alamat email tidak valid.")}),
        ) from None
    return result.normalized.lower()


def normalise_phone(value: str, field: str = "phone") -> str:
    """Indonesian numbers as people type them (0812-3456-7890, +62 812…) → +628123456789."""
    digits = _PHONE_CHARS.sub("", value.strip())
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
