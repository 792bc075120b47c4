"""Validation of directory input, shared by forms, the JSON API and CSV import.

Input arrives loose — strings from a CSV row or a form, typed values from the API — and
leaves as clean column values, or as a :class:`ValidationError` whose field map names every
problem at once (a secretariat fixing a 300-row CSV wants all the errors of a row, not the
first). Lookups that need the database (a parent organization, a duplicate name) are done
in ``services``; this module only needs the session to resolve references by id or name.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.core.cleaning import Collector
from meetcoord.directory.models import Gender, OrgKind, OrgLevel, StakeholderCategory
from meetcoord.directory.regions import parse_zone

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


def clean_organization(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    c = Collector(data, ALIASES, partial=partial)
    c.text("name", 200, required=True)
    c.text("short_name", 60)
    c.choice("kind", OrgKind, required=True)
    c.choice("level", OrgLevel, required=True)
    c.integer("parent_id", minimum=1)
    c.text("region", 120)
    c.text("address", 300)
    c.email()
    c.phone()
    return c.done(_l("Data organisasi tidak valid."))


def clean_person(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    c = Collector(data, ALIASES, partial=partial)
    c.text("name", 200, required=True)
    c.text("position", 200)
    c.integer("organization_id", minimum=1)
    c.email()
    c.phone()
    c.choice("gender", Gender)
    c.choice("category", StakeholderCategory, required=True)
    c.flag("has_disability")
    _person_zone(c, "timezone")
    c.text("region", 120)  # as the person gave it; empty = their organization's region
    return c.done(_l("Data orang tidak valid."))


def _person_zone(c: Collector, field: str) -> None:
    """Optional: an IANA name or WIB/WITA/WIT, stored as the IANA name; empty clears it
    (the person then reads times in their organization's region's zone).
    """
    if field not in c.data:
        return
    value = c.raw(field)
    if value is None or value == "":
        c.out[field] = None
    elif not isinstance(value, str) or parse_zone(value) is None:
        message = _l("Zona waktu tidak dikenal; isi WIB, WITA, WIT atau nama IANA (Asia/Makassar).")
        c.fail(field, message)
    else:
        c.out[field] = parse_zone(value)


def clean_forum(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    c = Collector(data, ALIASES, partial=partial)
    c.text("name", 200, required=True)
    c.text("short_name", 60)
    c.text("decree_number", 80)
    c.day("decree_date")
    c.text("decree_issuer", 200)
    c.integer("organization_id", minimum=1)
    c.integer("institution_id", minimum=1)
    c.text("description", 5000, multiline=True)
    return c.done(_l("Data forum tidak valid."))


def clean_venue(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    c = Collector(data, ALIASES, partial=partial)
    c.text("name", 200, required=True)
    c.text("address", 300)
    c.text("city", 120)
    if "timezone" in data or not partial:
        c.zone("timezone")
    c.integer("capacity", minimum=1)
    c.integer("organization_id", minimum=1)
    return c.done(_l("Data tempat tidak valid."))
