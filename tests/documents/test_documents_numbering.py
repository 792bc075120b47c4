"""Letter numbers: a yearly running sequence per institution and kind of letter, never
given out twice, not even to two secretariats issuing the year's first letters at the same
moment."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.orm import scoped_session, sessionmaker

from meetcoord.documents.invitation_letters import next_number
from meetcoord.documents.models import LetterSequence
from meetcoord.extensions import db
from tests import factories
from tests.conftest import postgres_url, skip_or_fail
from tests.support import throwaway_app, throwaway_postgres


def test_numbers_run_per_year_per_scope_and_per_institution(app: Any) -> None:
    home = factories.default_institution().id
    other = factories.institution().id
    assert [next_number(home, "invitation_letter", 2031) for _ in range(3)] == [1, 2, 3]
    assert next_number(home, "invitation_letter", 2032) == 1  # a new year starts again
    assert next_number(home, "circular", 2031) == 1  # another kind of letter has its own
    assert next_number(other, "invitation_letter", 2031) == 1  # another institution too
    assert next_number(home, "invitation_letter", 2031) == 4
    db.session.commit()
    rows = db.session.query(LetterSequence).order_by(LetterSequence.id).all()
    assert [(r.institution_id, r.scope, r.year, r.last_value) for r in rows] == [
        (home, "invitation_letter", 2031, 4),
        (home, "invitation_letter", 2032, 1),
        (home, "circular", 2031, 1),
        (other, "invitation_letter", 2031, 1),
    ]


def test_a_refused_letter_uses_no_number(app: Any) -> None:
    """The counter moves in the letter's own transaction: a rollback gives it back."""
    home = factories.default_institution().id
    assert next_number(home, "invitation_letter", 2033) == 1
    db.session.rollback()
    assert next_number(home, "invitation_letter", 2033) == 1


@pytest.mark.postgres
def test_concurrent_first_letters_of_a_year_get_distinct_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = postgres_url()
    if not base:
        skip_or_fail("MEETCOORD_TEST_DATABASE_URL is not set")
    with throwaway_postgres(base) as url:
        other = throwaway_app(tmp_path / "instance", url)
        with other.app_context():
            upgrade()
            engine = db.engine
            with engine.connect() as conn:  # the institution the migration created
                home = conn.execute(text("SELECT min(id) FROM institutions")).scalar_one()
        # The suite's ``db.session`` is bound to the test database's one connection; each
        # writer here needs its own session and connection on the throwaway database.
        sessions = scoped_session(sessionmaker(bind=engine), scopefunc=threading.get_ident)
        monkeypatch.setattr(db, "session", sessions)
        writers = 8
        start = threading.Barrier(writers)
        taken: list[int] = []
        failures: list[BaseException] = []

        def issue() -> None:
            try:
                with other.app_context():
                    start.wait(timeout=10)
                    number = next_number(home, "invitation_letter", 2031)
                    db.session.commit()
                    taken.append(number)
            except BaseException as exc:  # reported below, with the others' results
                failures.append(exc)
            finally:
                sessions.remove()

        threads = [threading.Thread(target=issue) for _ in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        engine.dispose()
        assert not failures, failures
        assert sorted(taken) == list(range(1, writers + 1))
