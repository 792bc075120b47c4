"""The people list's ``province`` filter: a value Python derives, asked of the database.

``Person.province`` is found in free text (``regions.province_of``: "Kab. Poso, Sulteng"
is Sulawesi Tengah), which SQL cannot do. So the filter reads the distinct region texts of
people and organizations — a directory holds hundreds of them, not millions — finds the
province of each in Python, and asks for the people whose own region names the province,
or whose own region names none and whose organization (or its parent) lies in it. That is
exactly the rule of ``Person.province``, so the filter and the value shown never disagree,
and the list still pages and sorts in the database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_, select

from meetcoord.directory.models import Organization, Person
from meetcoord.directory.regions import PROVINCE_ZONES, province_of
from meetcoord.extensions import db

CHAIN_LIMIT = 8  # as Person.province: a parent chain is short, a cycle must not loop


def _organizations_in(province: str) -> list[int]:
    """Ids of the organizations whose region, or a parent's, names ``province`` first."""
    rows = db.session.execute(select(Organization.id, Organization.region, Organization.parent_id))
    tree = {org_id: (region, parent_id) for org_id, region, parent_id in rows}
    found: list[int] = []
    for org_id in tree:
        current: int | None = org_id
        for _ in range(CHAIN_LIMIT):
            if current is None or current not in tree:
                break
            region, current_parent = tree[current]
            named = province_of(region)
            if named is not None:
                if named == province:
                    found.append(org_id)
                break
            current = current_parent
    return found


def province_condition(province: str) -> Any:
    """A WHERE condition on ``people``: their derived province is ``province``.

    ``province`` is a canonical lower-case name (``regions.PROVINCE_ZONES``); any other
    value matches nobody.
    """
    if province not in PROVINCE_ZONES:
        return false()
    texts = db.session.scalars(
        select(Person.region).where(Person.region.is_not(None)).distinct()
    ).all()
    named = {text: province_of(text) for text in texts}
    own = [text for text, found in named.items() if found == province]
    nameless = [text for text, found in named.items() if found is None]
    without_own = or_(Person.region.is_(None), Person.region.in_(nameless))
    by_organization = and_(without_own, Person.organization_id.in_(_organizations_in(province)))
    return or_(Person.region.in_(own), by_organization)
