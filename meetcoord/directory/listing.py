"""What a directory list may be searched, filtered and sorted by: the only names a request
may use, written down once for the pages, the API and the API's documented arguments.

A filter is a column compared with ``==``, or a :class:`Derived` condition built from the
value asked for (an e-mail compared without case, a phone number in its stored form, a
province found in free text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from meetcoord.core.validation import normalise_phone
from meetcoord.directory.models import Forum, ForumMember, Organization, Person, Venue
from meetcoord.directory.province_filter import province_condition


def _name_of_organization(reference: Any) -> Any:
    """The name of the organization ``reference`` points at, as an ORDER BY expression: a
    list sorted by organization reads like the column it shows (by name, not by id)."""
    other = aliased(Organization)
    return select(other.name).where(other.id == reference).scalar_subquery()


# Sortable columns per model: the only names a request may sort by — every column a list
# shows (the pages and the API rows), plus when a row was made and last changed.
SORTS: dict[type, dict[str, Any]] = {
    Organization: {
        "name": Organization.name,
        "short_name": Organization.short_name,
        "kind": Organization.kind,
        "level": Organization.level,
        "region": Organization.region,
        "parent": _name_of_organization(Organization.parent_id),
        "created_at": Organization.created_at,
        "updated_at": Organization.updated_at,
    },
    Person: {
        "name": Person.name,
        "position": Person.position,
        "organization": _name_of_organization(Person.organization_id),
        "category": Person.category,
        "email": Person.email,
        "region": Person.region,
        "created_at": Person.created_at,
        "updated_at": Person.updated_at,
    },
    Forum: {
        "name": Forum.name,
        "decree_number": Forum.decree_number,
        "decree_date": Forum.decree_date,
        "organization": _name_of_organization(Forum.organization_id),
        "member_count": select(func.count(ForumMember.id))
        .where(ForumMember.forum_id == Forum.id)
        .scalar_subquery(),
        "created_at": Forum.created_at,
        "updated_at": Forum.updated_at,
    },
    Venue: {
        "name": Venue.name,
        "city": Venue.city,
        "timezone": Venue.timezone,
        "capacity": Venue.capacity,
        "organization": _name_of_organization(Venue.organization_id),
        "created_at": Venue.created_at,
        "updated_at": Venue.updated_at,
    },
}


@dataclass(frozen=True)
class Derived:
    """A filter on a value computed in Python (a person's province): the condition is
    built per request from the value asked for, where a column filter compares with ``==``."""

    condition: Callable[[Any], Any]


SEARCH: dict[type, tuple[Any, ...]] = {
    Organization: (Organization.name, Organization.short_name, Organization.region),
    Person: (Person.name, Person.position, Person.email, Person.phone),
    Forum: (Forum.name, Forum.short_name, Forum.decree_number),
    Venue: (Venue.name, Venue.city, Venue.address),
}


def _email_condition(value: str) -> Any:
    """Exact e-mail, without regard to case: addresses are stored lower-cased."""
    return func.lower(Person.email) == value.strip().lower()


def _phone_condition(value: str) -> Any:
    """The same number however it is written (0812-…, +62 812…, 62812…): both sides are
    compared in the stored form; a value that is no phone number is a 422, not "none"."""
    return Person.phone == normalise_phone(value, "phone")


def _region_condition(value: str) -> Any:
    """The region as written, without regard to case or surrounding blanks."""
    return func.lower(Organization.region) == value.strip().lower()


FILTERS: dict[type, dict[str, Any]] = {
    Organization: {
        "kind": Organization.kind,
        "level": Organization.level,
        "parent_id": Organization.parent_id,
        "region": Derived(_region_condition),
    },
    Person: {
        "organization_id": Person.organization_id,
        "category": Person.category,
        "gender": Person.gender,
        "province": Derived(province_condition),
        "email": Derived(_email_condition),
        "phone": Derived(_phone_condition),
        "disability": Person.has_disability,
    },
    Forum: {"organization_id": Forum.organization_id},
    Venue: {"timezone": Venue.timezone, "organization_id": Venue.organization_id},
}
