"""The field types of the live commands' schemas (:mod:`meetcoord.live.schemas`).

Each refuses what a client's bug or a hostile client sends instead of letting it reach the
database: a number as a float or a boolean, an id beyond what a column holds, an object
where text belongs (it used to be stored as its Python ``repr``), a string that is not
valid Unicode, control characters. Forms send numbers as text, so whole numbers are taken
as JSON numbers or as ASCII digits; every field speaks Indonesian (translated for the
reader when the error is made, as the API's fields do).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, missing, pre_load

from meetcoord.api.schemas import ApiSchema, Day, Int, Text
from meetcoord.core import cleaning
from meetcoord.core.validation import INT_MAX, day_in_range, parse_int
from meetcoord.live.models import DecisionKind

ID_MAX = INT_MAX  # an INTEGER column on PostgreSQL; beyond it the database would fail
NONCE_MAX = 64
TITLE_MAX = 300
TEXT_MAX = 5000
NOTES_MAX = 50_000
REASON_MAX = 1000
LOCUS_MAX = 200
VOTES_MAX = 100_000
SECONDS_MAX = 3600
ROWS_MAX = 200  # tallies in one command: one per site and online; agenda items to reorder


def clean_text(value: str, *, lines: bool) -> str:
    """``value`` cleaned as every name and text is at input (``core.cleaning``): no control
    characters (a NUL is refused by PostgreSQL), NFC; one line unless ``lines``."""
    return cleaning.clean_text(value) if lines else cleaning.clean_line(value)


class Words(Text):
    """Text as people type it: control characters dropped, trimmed, within ``most``.

    Required ones may not be blank. A non-string is refused, never stored as its repr,
    and so is a string that is not valid Unicode (a lone surrogate from a broken client).
    """

    def __init__(
        self,
        most: int,
        *,
        lines: bool = False,
        blank: bool = False,
        message: Any = None,
        **kwargs: Any,
    ) -> None:
        self.most, self.lines, self.blank = most, lines, blank
        empty = message or _l("Teks wajib diisi.")
        long = message or _l("Teks terlalu panjang (paling banyak %(n)s karakter).", n=most)
        keys = ("required", "null", "empty") + (("invalid",) if message else ())
        kwargs["error_messages"] = {**dict.fromkeys(keys, empty), "long": long}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise self.make_error("invalid_utf8") from None
        if len(value) > 2 * self.most + 1000:  # not worth cleaning before refusing
            raise self.make_error("long")
        text = clean_text(value, lines=self.lines)
        if not text and not self.blank:
            raise self.make_error("empty")
        if len(text) > self.most:
            raise self.make_error("long")
        return text


class Whole(Int):
    """A whole number from ``low`` to ``high``, as a JSON number or as ASCII digits.

    ``int()`` would take ``True`` as 1, ``2.5`` as 2 and ``" 7"`` as 7; a client's bug
    would then act on the wrong row or count instead of being told. Every refusal says
    ``message``: what the field is for, not how numbers work.
    """

    def __init__(self, low: int, high: int, message: Any, **kwargs: Any) -> None:
        self.low, self.high = low, high
        kwargs["error_messages"] = dict.fromkeys(("required", "null", "invalid", "range"), message)
        super().__init__(**kwargs)

    def _validated(self, value: Any) -> int:
        number = parse_int(value)  # the one reading of a number (core.validation)
        if number is None or (isinstance(value, str) and not value.strip().isdigit()):
            raise self.make_error("invalid")
        if not self.low <= number <= self.high:
            raise self.make_error("range")
        return number


def ref(message: Any, **kwargs: Any) -> Whole:
    """A row id (the service checks that it belongs to this meeting)."""
    return Whole(1, ID_MAX, message, **kwargs)


class SiteRef(Whole):
    """A site of the meeting, or the online participants: ``"online"``, empty or null."""

    def __init__(self, message: Any) -> None:
        super().__init__(1, ID_MAX, message, load_default=None, allow_none=True)

    def _validated(self, value: Any) -> int | None:  # type: ignore[override]
        return None if value == "online" else super()._validated(value)


class Due(Day):
    """A deadline date (``TTTT-BB-HH``) in a sane range."""

    def __init__(self, **kwargs: Any) -> None:
        message = _l("Tanggal jatuh tempo tidak sah (TTTT-BB-HH).")
        kwargs["error_messages"] = {"invalid": message, "format": message, "null": message}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        day = super()._deserialize(value, attr, data, **kwargs)
        if not day_in_range(day):
            raise ValidationError(str(_l("Tanggal jatuh tempo harus antara tahun 2000 dan 2100.")))
        return day


class Rows(fields.Field):
    """A list of objects, each loaded with ``schema``; errors keyed ``field.<n>.<key>``."""

    def __init__(self, schema: type[Schema], message: Any, **kwargs: Any) -> None:
        self.schema, self.message = schema(), message
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[Any]:
        if not isinstance(value, list) or len(value) > ROWS_MAX:
            raise ValidationError(str(self.message))
        if not all(isinstance(row, Mapping) for row in value):
            raise ValidationError(str(self.message))
        rows, errors = [], {}
        for n, row in enumerate(value):
            try:
                rows.append(self.schema.load(row))
            except ValidationError as exc:
                errors[n] = exc.messages
        if errors:
            raise ValidationError(errors)
        return rows


class Kind(Text):
    """A decision's kind by its value (``consensus``, ``vote``, ``noted``, ``deferred``)."""

    def __init__(self, **kwargs: Any) -> None:
        message = _l("Jenis kesepakatan tidak dikenal.")
        kwargs["error_messages"] = dict.fromkeys(("required", "null", "invalid"), message)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> DecisionKind:
        if not isinstance(value, str) or value not in {kind.value for kind in DecisionKind}:
            raise self.make_error("invalid")
        return DecisionKind(value)


class Lenient(ApiSchema):
    """A form's empty input is "not given": the field's default, or None where None clears."""

    @pre_load
    def _empty_means_not_given(self, data: Any, **kwargs: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        out = dict(data)
        for name, field in self.load_fields.items():
            key = field.data_key or name
            if field.required or key not in out or out[key] not in ("", None):
                continue
            if field.load_default is not missing:
                del out[key]
            elif field.allow_none:
                out[key] = None
        return out
