"""marshmallow's and webargs' English messages, said in the reader's language.

The API's own fields carry Indonesian messages (``api.schemas``), but a feature schema
may still use a plain marshmallow field or validator (``fields.List``, ``validate.Length``,
a nested schema's unknown field) whose message is English. Rather than chase each one,
the parser passes every message through :func:`localize` before it leaves: the known
English texts, fixed or with numbers in them, become the catalog's Indonesian source
strings, rendered in the request's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext as _

_FIXED: dict[str, Callable[[], str]] = {
    "Missing data for required field.": lambda: _("Wajib diisi."),
    "Field may not be null.": lambda: _("Tidak boleh kosong (null)."),
    "Invalid value.": lambda: _("Nilai tidak valid."),
    "Invalid type.": lambda: _("Jenis nilai salah."),
    "Invalid input.": lambda: _("Nilai tidak valid."),
    "Invalid input type.": lambda: _("Isi permintaan harus berupa objek JSON."),
    "Unknown field.": lambda: _("Kolom tidak dikenal."),
    "Not a valid string.": lambda: _("Harus berupa teks."),
    "Not a valid integer.": lambda: _("Harus berupa bilangan bulat."),
    "Not a valid number.": lambda: _("Harus berupa angka."),
    "Number too large.": lambda: _("Angka terlalu besar."),
    "Not a valid boolean.": lambda: _("Harus true atau false."),
    "Not a valid date.": lambda: _("Tanggal tidak valid; gunakan format TTTT-BB-HH."),
    "Not a valid datetime.": lambda: _("Waktu tidak valid; gunakan format ISO 8601."),
    "Not a valid time.": lambda: _("Jam tidak valid; gunakan format JJ:MM."),
    "Not a valid list.": lambda: _("Harus berupa daftar."),
    "Not a valid tuple.": lambda: _("Harus berupa daftar."),
    "Not a valid mapping type.": lambda: _("Harus berupa objek JSON."),
    "Not a valid email address.": lambda: _("Alamat e-mail tidak valid."),
    "Not a valid URL.": lambda: _("Alamat URL tidak valid."),
    "Not a valid UUID.": lambda: _("UUID tidak valid."),
    "String does not match expected pattern.": lambda: _("Format tidak sesuai."),
    "Invalid JSON body.": lambda: _("Isi permintaan bukan JSON yang valid."),
}

_PATTERNS: list[tuple[re.Pattern[str], Callable[..., str]]] = [
    (
        re.compile(r"^Must be one of: (?P<choices>.*)\.$"),
        lambda choices: _("Pilih salah satu: %(choices)s.", choices=choices),
    ),
    (
        re.compile(r"^Length must be between (?P<min>\S+) and (?P<max>\S+)\.$"),
        lambda min, max: _("Panjang harus antara %(min)s dan %(max)s.", min=min, max=max),
    ),
    (re.compile(r"^Length must be (?P<n>\S+)\.$"), lambda n: _("Panjang harus %(n)s.", n=n)),
    (
        re.compile(r"^Shorter than minimum length (?P<n>\S+)\.$"),
        lambda n: _("Paling sedikit %(n)s.", n=n),
    ),
    (
        re.compile(r"^Longer than maximum length (?P<n>\S+)\.$"),
        lambda n: _("Paling banyak %(n)s.", n=n),
    ),
    (
        re.compile(
            r"^Must be greater than (?:or equal to )?(?P<min>\S+) and less than "
            r"(?:or equal to )?(?P<max>\S+)\.$"
        ),
        lambda min, max: _("Harus antara %(min)s dan %(max)s.", min=min, max=max),
    ),
    (
        re.compile(r"^Must be greater than or equal to (?P<n>\S+)\.$"),
        lambda n: _("Paling kecil %(n)s.", n=n),
    ),
    (
        re.compile(r"^Must be greater than (?P<n>\S+)\.$"),
        lambda n: _("Harus lebih dari %(n)s.", n=n),
    ),
    (
        re.compile(r"^Must be less than or equal to (?P<n>\S+)\.$"),
        lambda n: _("Paling besar %(n)s.", n=n),
    ),
    (re.compile(r"^Must be less than (?P<n>\S+)\.$"), lambda n: _("Harus kurang dari %(n)s.", n=n)),
]


def localize_text(message: Any) -> Any:
    if not isinstance(message, str):
        return str(message) if message is not None else message
    fixed = _FIXED.get(message)
    if fixed is not None:
        return fixed()
    for pattern, render in _PATTERNS:
        match = pattern.match(message)
        if match:
            return render(**match.groupdict())
    return message


def localize(messages: Any) -> Any:
    """``messages`` (nested dicts and lists, as marshmallow gives them), said in Indonesian
    or the reader's language; lazy strings are rendered now, in the request's locale."""
    if isinstance(messages, Mapping):
        return {key: localize(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [localize(item) for item in messages]
    return localize_text(messages)
