"""Validation of directory input, shared by forms, the JSON API and CSV import.

Input arrives loose — strings from a CSV row or a form, typed values from the API — and
leaves as clean column values, or as a :class:`ValidationError` whose field map names every
problem at once (a secretariat fixing a 300-row CSV wants all the errors of a row, not the
first). Lookups that need the database (a parent organization, a duplicate name) are done
in ``services``; this module only needs the session to resolve references by id or name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.core.errors import ValidationError
from meetcoord.core.timezones import is_valid_zone
from meetcoord.core.validation import normalise_email, normalise_phone
from meetcoord.directory.models import Gender, OrgKind, OrgLevel, StakeholderCategory

# Words people write in a CSV or say in a form for each enum value, beyond the value itself.
ALIASES: dict[type[StrEnum], dict[str, str]] = {
    Gender: {
        "l": "male",
        "laki-laki": "male",
        "pria": "male",
        "m": "male",
        "p": "female",
        "perempuan": "female",
        "wanita": "female",
        "f": "female",
    },
    OrgKind: {
        "lsm": "ngo",
        "akademisi": "academia",
        "keagamaan": "religious",
        "masyarakat": "community",
        "swasta": "private",
        "perbankan": "private",
        "nasional": "national",
    },
    OrgLevel: {
        "nasional": "national",
        "provinsi": "province",
        "kabupaten": "regency",
        "kota": "regency",
        "desa": "village",
    },
    StakeholderCategory: {
        "pemerintah": "government",
        "opd": "government",
        "lsm": "ngo",
        "akademisi": "academia",
        "tokoh agama": "religious_leader",
        "tokoh perempuan": "women_leader",
        "pemuda": "youth_leader",
        "tokoh pemuda": "youth_leader",
        "tokoh masyarakat": "community_leader",
        "swasta": "private_sector",
        "perbankan": "private_sector",
        "media": "media",
        "fasilitator": "facilitator",
    },
}

_TRUE = {"1", "true", "yes", "ya", "y"}
_FALSE = {"0", "false", "no", "tidak", "t", "n", ""}


class Collector:
    """Gathers field errors while a record is cleaned, then raises them together."""

    def __init__(self, data: Mapping[str, Any]):
        self.data = data
        self.errors: dict[str, list[Any]] = {}
        self.out: dict[str, Any] = {}

    def fail(self, field: str, message: Any) -> None:
        self.errors.setdefault(field, []).append(message)

    def raw(self, field: str) -> Any:
        value = self.data.get(field)
        return value.strip() if isinstance(value, str) else value

    def text(self, field: str, max_len: int, *, required: bool = False) -> None:
        if field not in self.data and not required:
            return
        value = self.raw(field)
        if value is None or value == "":
            if required:
                self.fail(field, _l("Wajib diisi."))
            else:
                self.out[field] = None
            return
        if not isinstance(value, str):
            self.fail(field, _l("Harus berupa teks."))
        elif len(value) > max_len:
            self.fail(field, _l("Paling banyak %(n)d karakter.", n=max_len))
        else:
            self.out[field] = value

    def choice(self, field: str, enum_cls: type[StrEnum], *, required: bool = False) -> None:
        if field not in self.data and not required:
            return
        value = self.raw(field)
        if value is None or value == "":
            if required:
                self.fail(field, _l("Wajib diisi."))
            else:
                self.out[field] = None
            return
        key = str(value).strip().lower()
        key = ALIASES.get(enum_cls, {}).get(key, key)
        try:
            self.out[field] = enum_cls(key)
        except ValueError:
            allowed = ", ".join(member.value for member in enum_cls)
            self.fail(
                field, _l("Nilai tidak dikenal; pilih salah satu: %(allowed)s.", allowed=allowed)
            )

    def integer(self, field: str, *, minimum: int | None = None, required: bool = False) -> None:
        if field not in self.data and not required:
            return
        value = self.raw(field)
        if value is None or value == "":
            if required:
                self.fail(field, _l("Wajib diisi."))
            else:
                self.out[field] = None
            return
        if isinstance(value, bool):
            self.fail(field, _l("Harus berupa bilangan bulat."))
            return
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(field, _l("Harus berupa bilangan bulat."))
            return
        if minimum is not None and number < minimum:
            self.fail(field, _l("Paling kecil %(n)d.", n=minimum))
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
        if field not in self.data:
            return
        value = self.raw(field)
        if not value:
            self.out[field] = None
            return
        try:
            self.out[field] = normalise_email(str(value), field)
        except ValidationError as exc:
            self.errors.update(exc.errors)

    def phone(self, field: str = "phone") -> None:
        if field not in self.data:
            return
        value = self.raw(field)
        if not value:
            self.out[field] = None
            return
        try:
            self.out[field] = normalise_phone(str(value), field)
        except ValidationError as exc:
            self.errors.update(exc.errors)

    def day(self, field: str) -> None:
        if field not in self.data:
            return
        value = self.raw(field)
        if value is None or value == "":
            self.out[field] = None
        elif isinstance(value, date):
            self.out[field] = value
        else:
            try:
                self.out[field] = date.fromisoformat(str(value))
            except ValueError:
                self.fail(field, _l("Tanggal tidak valid; gunakan format TTTT-BB-HH."))

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


def clean_organization(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    c = Collector(data)
    c.text("name", 200, required=not partial or "name" in data)
    c.text("short_name", 60)
    c.choice("kind", OrgKind, required=not partial or "kind" in data)
    c.choice("level", OrgLevel, required=not partial or "level" in data)
    c.integer("parent_id", minimum=1)
    c.text("region", 120)
    c.text("address", 300)
    c.email()
    c.phone()
    return c.done(_l("Data organisasi tidak valid."))


def clean_person(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    c = Collector(data)
    c.text("name", 200, required=not partial or "name" in data)
    c.text("position", 200)
    c.integer("organization_id", minimum=1)
    c.email()
    c.phone()
    c.choice("gender", Gender)
    c.choice("category", StakeholderCategory, required=not partial or "category" in data)
    c.flag("has_disability")
    return c.done(_l("Data orang tidak valid."))


def clean_forum(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    c = Collector(data)
    c.text("name", 200, required=not partial or "name" in data)
    c.text("short_name", 60)
    c.text("decree_number", 80)
    c.day("decree_date")
    c.text("decree_issuer", 200)
    c.integer("organization_id", minimum=1)
    c.text("description", 5000)
    return c.done(_l("Data forum tidak valid."))


def clean_venue(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    c = Collector(data)
    c.text("name", 200, required=not partial or "name" in data)
    c.text("address", 300)
    c.text("city", 120)
    if "timezone" in data or not partial:
        c.zone("timezone")
    c.integer("capacity", minimum=1)
    c.integer("organization_id", minimum=1)
    return c.done(_l("Data tempat tidak valid."))
