"""Rows for tests, written straight to the session (no audit, no permission checks).

Use the services when the test is about the rule; use these when a test only needs data.
"""

from __future__ import annotations

import itertools
from typing import Any

from meetcoord.accounts.models import Role, User
from meetcoord.checkin.models import Attendance, CheckinMethod
from meetcoord.core.db import utcnow
from meetcoord.directory.models import (
    Forum,
    ForumMember,
    ForumRole,
    Gender,
    Organization,
    OrgKind,
    OrgLevel,
    Person,
    StakeholderCategory,
    Venue,
)
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation

_seq = itertools.count(1)
PASSWORD = "rahasia-uji-123"


def _add(obj: Any) -> Any:
    db.session.add(obj)
    db.session.flush()
    return obj


def user(role: Role | str = Role.SECRETARIAT, **fields: Any) -> User:
    n = next(_seq)
    account = User(
        email=fields.pop("email", f"staf{n}@bappeda.example.go.id"),
        name=fields.pop("name", f"Staf Sekretariat {n}"),
        role=Role(role),
        **fields,
    )
    account.set_password(PASSWORD)
    return _add(account)


def organization(**fields: Any) -> Organization:
    n = next(_seq)
    fields.setdefault("name", f"Dinas Pertanian Kabupaten Uji {n}")
    fields.setdefault("kind", OrgKind.OPD)
    fields.setdefault("level", OrgLevel.REGENCY)
    return _add(Organization(**fields))


def person(**fields: Any) -> Person:
    n = next(_seq)
    fields.setdefault("name", f"Yohanes Bili {n}")
    fields.setdefault("category", StakeholderCategory.GOVERNMENT)
    fields.setdefault("gender", Gender.MALE)
    fields.setdefault("email", f"peserta{n}@example.go.id")
    return _add(Person(**fields))


def forum(members: int = 0, **fields: Any) -> Forum:
    n = next(_seq)
    fields.setdefault("name", f"Forum Koordinasi Uji {n}")
    fields.setdefault("decree_number", f"{n}/KEP/HK/2023")
    created = _add(Forum(**fields))
    for _ in range(members):
        _add(ForumMember(forum=created, person=person(), role=ForumRole.MEMBER))
    return created


def venue(**fields: Any) -> Venue:
    n = next(_seq)
    fields.setdefault("name", f"Aula Bappeda Uji {n}")
    fields.setdefault("timezone", "Asia/Makassar")
    fields.setdefault("capacity", 60)
    return _add(Venue(**fields))


def attendance(invitation: Invitation, **fields: Any) -> Attendance:
    """``invitation``'s person checked in (by hand, at their site or online)."""
    fields.setdefault("method", CheckinMethod.MANUAL)
    fields.setdefault("checked_in_at", utcnow())
    fields.setdefault("site_id", invitation.site_id)
    return _add(
        Attendance(
            meeting_id=invitation.meeting_id,
            person_id=invitation.person_id,
            invitation_id=invitation.id,
            **fields,
        )
    )
