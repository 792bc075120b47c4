"""The revision that brings name keys cleans what an older database already holds.

Rows are written with SQL at the previous revision (as a real installation has them, line
breaks and NUL bytes included), then the upgrade must clean them, give every organization,
forum and venue its key — keeping apart two rows whose names fold to the same key — and
the downgrade must leave names the old exact-name constraint accepts. On SQLite and, with
``MEETCOORD_TEST_DATABASE_URL``, on PostgreSQL (the ``fresh_app`` fixture).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from meetcoord.extensions import db
from tests.app.test_migrations import fresh_app  # noqa: F401  (the fixture, both databases)

BEFORE = "efa273d46e7a"  # the revision before name keys
STAMP = "'2024-01-01 00:00:00'"


def _insert(table: str, **values: Any) -> None:
    columns = ", ".join([*values, "created_at", "updated_at"])
    marks = ", ".join([f":{key}" for key in values] + [STAMP, STAMP])
    with db.engine.begin() as conn:  # this app's own database, not the shared test session
        conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)  # noqa: S608


def _rows(sql: str) -> list[tuple[Any, ...]]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_upgrade_cleans_stored_names_and_keys_them(fresh_app: Flask) -> None:  # noqa: F811
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        for name in ("Émaus", "ÉMAUS", "Dinas\nSosial", "Dinas Sosial "):
            _insert("organizations", name=name, kind="ngo", level="regency")
        _insert(
            "people",
            name="Maria\r\nKaka\u0007",  # (PostgreSQL cannot hold a NUL at all)
            position="Kepala\u2028Bidang",
            category="ngo",
            has_disability=False,
        )
        _insert("forums", name="Forum\tBangKIT", description="Baris satu\r\nBaris\u001f dua")
        _insert("venues", name="Aula\u200b Bappeda", timezone="Asia/Makassar")

        upgrade()
        organizations = _rows("SELECT name, name_key FROM organizations ORDER BY id")
        assert organizations == [
            ("Émaus", "émaus"),
            ("ÉMAUS", "émaus#2"),  # folded onto the first: kept apart until someone renames it
            ("Dinas Sosial", "dinas sosial"),
            ("Dinas Sosial", "dinas sosial#4"),
        ]
        assert _rows("SELECT name, position FROM people") == [("Maria Kaka", "Kepala Bidang")]
        assert _rows("SELECT name, name_key, description FROM forums") == [
            ("Forum BangKIT", "forum bangkit", "Baris satu\nBaris dua")
        ]
        assert _rows("SELECT name, name_key FROM venues") == [("Aula Bappeda", "aula bappeda")]

        downgrade(revision=BEFORE)
        names = [name for (name,) in _rows("SELECT name FROM organizations ORDER BY id")]
        assert names == ["Émaus", "ÉMAUS", "Dinas Sosial", "Dinas Sosial #4"]
        upgrade()  # and up again from what the downgrade left
