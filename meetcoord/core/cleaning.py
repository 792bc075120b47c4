"""Field-by-field cleaning of loose input, shared by every service.

Input arrives loose — strings from a CSV row or a form, typed values from the API — and
leaves as clean values, or as one :class:`ValidationError` whose field map names every
problem at once (a secretariat fixing a form wants all its errors, not the first).

Text is cleaned here for every door: a name, title or position is one line (a line
break pasted from a spreadsheet once made every mail about the meeting fail), and text
that may span lines keeps only its line breaks. :func:`name_key` is how two names are
compared for uniqueness, computed in Python so SQLite and PostgreSQL agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from meetcoord.core.errors import ValidationError
from meetcoord.core.timezones import get_zone, is_valid_zone
from meetcoord.core.validation import (
    INT_MAX,
    INT_MIN,
    date_range_message,
    day_in_range,
    normalise_email,
    normalise_phone,
)

# --- text -------------------------------------------------------------------------------

# C0 and C1 controls (tab and line feed are handled apart), DEL, and the Unicode line and
# paragraph separators; plus the zero-width and direction marks that make two equal-looking
# names differ (bidi overrides can also make a name read backwards in a mail program).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r"\s+")
_INTEGER = re.compile(r"[+-]?[0-9]+")


def clean_line(value: str) -> str:
    """One line of text: NFC, no controls, every run of whitespace (breaks too) one space."""
    value = _CONTROLS.sub("", _LINE_BREAKS.sub(" ", unicodedata.normalize("NFC", value)))
    return _SPACES.sub(" ", value).strip()


def clean_text(value: str) -> str:
    """Text that may span lines: NFC, breaks as ``\\n``, no other controls, no trailing blanks."""
    value = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", value)).replace("\t", " ")
    lines = (_CONTROLS.sub("", line).rstrip() for line in value.split("\n"))
    return "\n".join(lines).strip("\n").strip()


def name_key(value: str) -> str:
    """What makes two names "the same": NFKC, case folded, whitespace collapsed.

    "ÉMAUS", "émaus" and "Émaus " are one name; SQLite's ``lower()`` folds only ASCII, so
    the comparison is not left to the database.
    """
    return clean_line(unicodedata.normalize("NFKC", clean_line(value)).casefold())


_TRUE = {"1", "true", "yes", "ya", "y"}
_FALSE = {"0", "false", "no", "tidak", "t", "n", ""}


_MISSING = object()  # a field that was absent or empty

# Words people write for an enum value, beyond the value itself ("perempuan" → female).
Aliases = Mapping[type[StrEnum], Mapping[str, str]]


class Collector:
    """Gathers field errors while a record is cleaned, then raises them together."""

    def __init__(
        self,
        data: Mapping[str, Any],
        aliases: Mapping[type[StrEnum], Mapping[str, str]] | None = None,
        *,
        partial: bool = False,
    ):
        """``partial``: an update (PATCH, an edit form) that changes only the fields sent.

        A required field may then be absent, but never sent empty: "title": "" on a PATCH
        is refused as on a create, instead of storing NULL.
        """
        self.data = data
        self.aliases = aliases or {}
        self.partial = partial
        self.errors: dict[str, list[Any]] = {}
        self.out: dict[str, Any] = {}

    def fail(self, field: str, message: Any) -> None:
        self.errors.setdefault(field, []).append(message)

    def raw(self, field: str) -> Any:
        value = self.data.get(field)
        return value.strip() if isinstance(value, str) else value

    def _given(self, field: str, required: bool) -> Any:
        """The field's non-empty value, or _MISSING once its absence has been recorded.

        Absent and optional, or absent from a partial update: nothing to write. Empty and
        optional: cleared to None. Absent or empty and required: the "required" error.
        """
        if field not in self.data and (not required or self.partial):
            return _MISSING
        value = self.raw(field)
        if value is None or value == "":
            if required:
                self.fail(field, _l("Wajib diisi."))
            else:
                self.out[field] = None
            return _MISSING
        return value

    def text(
        self, field: str, max_len: int, *, required: bool = False, multiline: bool = False
    ) -> None:
        """Text cleaned of controls: one line (names, titles), or ``multiline`` (notes)."""
        value = self._given(field, required)
        if value is _MISSING:
            return
        if not isinstance(value, str):
            self.fail(field, _l("Harus berupa teks."))
            return
        value = clean_text(value) if multiline else clean_line(value)
        if not value:  # nothing left but control characters
            if required:
                self.fail(field, _l("Wajib diisi."))
            else:
                self.out[field] = None
        elif len(value) > max_len:
            self.fail(field, _l("Paling banyak %(n)d karakter.", n=max_len))
        else:
            self.out[field] = value

    def choice(self, field: str, enum_cls: type[StrEnum], *, required: bool = False) -> None:
        value = self._given(field, required)
        if value is _MISSING:
            return
        key = str(value).strip().lower()
        key = self.aliases.get(enum_cls, {}).get(key, key)
        try:
            self.out[field] = enum_cls(key)
        except ValueError:
            allowed = ", ".join(member.value for member in enum_cls)
            self.fail(
                field, _l("Nilai tidak dikenal; pilih salah satu: %(allowed)s.", allowed=allowed)
            )

    def integer(
        self,
        field: str,
        *,
        minimum: int | None = None,
        maximum: int = INT_MAX,
        required: bool = False,
    ) -> None:
        """An integer within ``minimum``…``maximum`` (bounded even when no limit is named)."""
        value = self._given(field, required)
        if value is _MISSING:
            return
        text = str(value).strip() if isinstance(value, int | str) else ""
        if isinstance(value, bool) or not _INTEGER.fullmatch(text):
            self.fail(field, _l("Harus berupa bilangan bulat."))
            return
        number = int(text) if len(text) <= 20 else INT_MAX + 1  # no int() of a huge string
        lowest = INT_MIN if minimum is None else minimum
        if number > maximum:
            self.fail(field, _l("Paling besar %(n)d.", n=maximum))
            return
        if number < lowest:
            self.fail(field, _l("Paling kecil %(n)d.", n=lowest))
            return
        self.out[field] = number

    def flag(self, field: str) -> None:
        if field not in self.data:
            return
        value = self.raw(field)
        if isinstance(value, bool):
            self.out[field] = value
        elif value is None or str(value).strip().lower() in _FALSE:
            self.out[field] = False
        elif str(value).strip().lower() in _TRUE:
            self.out[field] = True
        else:
            self.fail(field, _l("Isi ya atau tidak."))

    def email(self, field: str = "email") -> None:
        self._normalised(field, normalise_email)

    def phone(self, field: str = "phone") -> None:
        self._normalised(field, normalise_phone)

    def _normalised(self, field: str, normalise: Callable[[str, str], str]) -> None:
        value = self._given(field, required=False)
        if value is _MISSING:
            return
        try:
            self.out[field] = normalise(str(value), field)
        except ValidationError as exc:
            self.errors.update(exc.errors)

    def day(self, field: str) -> None:
        value = self._given(field, required=False)
        if value is _MISSING:
            return
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value))
            except ValueError:
                self.fail(field, _l("Tanggal tidak valid; gunakan format TTTT-BB-HH."))
                return
        if not day_in_range(value):
            self.fail(field, date_range_message())
            return
        self.out[field] = value

    def zone(self, field: str) -> None:
        value = self.raw(field)
        if not value:
            self.fail(field, _l("Wajib diisi."))
        elif not isinstance(value, str) or not is_valid_zone(value):
            self.fail(
                field,
                _l("Zona waktu tidak dikenal; gunakan nama IANA seperti Asia/Makassar (WITA)."),
            )
        else:
            self.out[field] = value

    def done(self, message: Any) -> dict[str, Any]:
        if self.errors:
            raise ValidationError(message, errors=self.errors)
        return self.out

    def moment(self, field: str, zone_name: str | None, *, required: bool = False) -> None:
        """An instant: aware values as they are; a wall-clock time is read in ``zone_name``.

        Forms send the local time at the venue ("2024-03-15T09:00"); the API may send an
        offset ("2024-03-15T09:00+08:00"). Both become an aware datetime.
        """
        value = self._given(field, required)
        if value is _MISSING:
            return
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                self.fail(field, _l("Waktu tidak valid; gunakan format TTTT-BB-HH JJ:MM."))
                return
        if not isinstance(value, datetime):
            self.fail(field, _l("Waktu tidak valid; gunakan format TTTT-BB-HH JJ:MM."))
            return
        if value.tzinfo is None:
            if zone_name is None:
                self.fail(field, _l("Zona waktu tidak diketahui; pilih tempat terlebih dahulu."))
                return
            value = value.replace(tzinfo=get_zone(zone_name))
        if not day_in_range(value):
            self.fail(field, date_range_message())
            return
        self.out[field] = value

    def url(self, field: str, max_len: int = 500) -> None:
        value = self._given(field, required=False)
        if value is _MISSING:
            return
        text = str(value)
        parts = urlsplit(text)
        if (
            _CONTROLS.search(text)
            or _SPACES.search(text)  # a control, a blank, a break
            or parts.scheme not in ("http", "https")
            or not parts.netloc
            or len(text) > max_len
        ):
            self.fail(field, _l("Tautan tidak valid; awali dengan https://."))
        else:
            self.out[field] = str(value)
