"""Migrations build exactly the models' schema, and come back down, on SQLite and PostgreSQL.

Each test uses its own throw-away app and database (a fresh SQLite file, or a PostgreSQL
database created and dropped here), never the shared ``app`` fixture's schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import Column, Integer, MetaData, String, Table, inspect

from meetcoord.extensions import db
from tests.conftest import postgres_url, skip_or_fail
from tests.support import throwaway_app, throwaway_postgres


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    if request.param == "sqlite":
        app = throwaway_app(tmp_path / "instance", f"sqlite:///{tmp_path / 'migrations.db'}")
        try:
            yield app
        finally:
            with app.app_context():
                db.engine.dispose()
        return
    url = postgres_url()
    if not url:
        skip_or_fail("MEETCOORD_TEST_DATABASE_URL is not set: PostgreSQL migrations not tested")
    with throwaway_postgres(url) as database_url:
        app = throwaway_app(tmp_path / "instance", database_url)
        try:
            yield app
        finally:
            with app.app_context():
                db.engine.dispose()  # no open connection may block DROP DATABASE


def schema_diff(metadata: MetaData) -> list[object]:
    """What autogenerate would put in a new revision (the `flask db check` comparison)."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, metadata)


def table_names() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_upgrade_matches_models_and_downgrade_leaves_nothing(fresh_app: Flask) -> None:
    with fresh_app.app_context():
        assert table_names() == set()
        upgrade()
        assert set(db.metadata.tables) <= table_names()

        assert schema_diff(db.metadata) == []
        check()  # the `meetcoord db check` command itself: exits non-zero on drift

        downgrade(revision="base")
        assert table_names() == {"alembic_version"}

        # ...and back up again: the downgrade left nothing behind that blocks an upgrade.
        upgrade()
        assert schema_diff(db.metadata) == []


def test_drift_check_notices_a_model_change_without_revision(fresh_app: Flask) -> None:
    """The comparison above is not vacuous: a changed model shows up as a difference."""
    with fresh_app.app_context():
        upgrade()
        changed = MetaData(naming_convention=db.metadata.naming_convention)
        for table in db.metadata.tables.values():
            table.to_metadata(changed)
        venues = changed.tables["venues"]
        venues.append_column(Column("parking_spaces", Integer, nullable=True))
        Table(
            "meeting_rooms",
            changed,
            Column("id", Integer, primary_key=True),
            Column("name", String(200)),
        )

        diff = schema_diff(changed)
        kinds = sorted(str(entry[0]) for entry in diff if isinstance(entry, tuple))
        assert kinds == ["add_column", "add_table"], diff
