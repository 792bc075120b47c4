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


def test_upgrading_keeps_existing_meetings_and_their_sites(fresh_app: Flask) -> None:
    """A revision that rebuilds a parent table must not cascade into its children.

    On SQLite, batch mode copies ``meetings`` and drops the old table; with foreign keys on
    that DROP deleted every ``meeting_sites`` row. The same data must come through on both
    databases, with the new NOT NULL columns filled in for the old rows.
    """
    from sqlalchemy import text

    with fresh_app.app_context():
        upgrade(revision="137995366979")  # meetings exist, check-in columns do not yet
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO venues (name, timezone, created_at, updated_at) VALUES "
                    "('Aula Bappeda SBD', 'Asia/Makassar', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),"
                    "('Ruang Rapat Bappenas', 'Asia/Jakarta', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO meetings (uid, title, kind, status, start_at, end_at,"
                    " is_series_exception, sequence, created_at, updated_at) VALUES"
                    " ('u-1@meetcoord', 'Rakor', 'coordination', 'scheduled',"
                    " '2024-03-15 01:00:00+00:00', '2024-03-15 04:00:00+00:00', false, 0,"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO meeting_sites (meeting_id, venue_id)"
                    " SELECT m.id, v.id FROM meetings m, venues v"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            sites = conn.execute(text("SELECT code, secret_salt FROM meeting_sites")).all()
            salt = conn.execute(text("SELECT signing_salt FROM meetings")).scalar_one()
        assert len(sites) == 2
        assert len({code for code, _ in sites}) == 2
        assert all(code and len(secret) == 32 for code, secret in sites)
        assert len(salt) == 32
        downgrade(revision="base")
