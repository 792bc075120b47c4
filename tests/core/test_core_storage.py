"""Storage base: UTC datetimes, constraint names, references."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError

from meetcoord.core.references import find_references
from meetcoord.directory.models import Venue
from meetcoord.extensions import db
from tests import factories


def test_datetimes_come_back_aware_in_utc():
    wita = timezone(timedelta(hours=8))
    user = factories.user(last_login_at=datetime(2024, 3, 15, 9, 0, tzinfo=wita))
    db.session.expire_all()
    loaded = db.session.get(type(user), user.id)
    assert loaded.last_login_at == datetime(2024, 3, 15, 1, 0, tzinfo=UTC)
    assert loaded.last_login_at.tzinfo is not None


def test_naive_datetime_is_refused():
    with pytest.raises(StatementError, match="naive datetime"):
        factories.user(last_login_at=datetime(2024, 3, 15, 9, 0))  # noqa: DTZ001


def test_constraints_are_enforced_by_the_database():
    """The CHECK and FK constraints hold even if a service were bypassed."""
    savepoint = db.session.begin_nested()
    db.session.add(Venue(name="Aula", timezone="Asia/Jakarta", capacity=-5))
    with pytest.raises(IntegrityError):
        db.session.flush()
    savepoint.rollback()
    org = factories.organization()
    person = factories.person(organization=org)
    savepoint = db.session.begin_nested()
    db.session.delete(org)
    with pytest.raises(IntegrityError):
        db.session.flush()
    savepoint.rollback()
    assert person.organization_id == org.id


def test_references_ignore_owned_rows():
    forum = factories.forum(members=2)
    assert find_references(forum) == []
    person = forum.members[0].person
    [ref] = find_references(person)
    assert (ref.table, ref.count) == ("forum_members", 1)
    assert db.session.scalar(select(Venue)) is None
