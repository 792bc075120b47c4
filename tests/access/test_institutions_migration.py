"""The institutions revision gives every row an owner, on a database that already holds
the demo's kind of data.

Rows are written with SQL at the previous revision, as an installation running the demo
has them (the demo logins, Forum BangKIT, its two meetings, one in a series, minutes and a
numbered invitation letter, the year's letter counter), then the upgrade must create the
first institution from the settings the app runs with, make every account a member with
its own role, and assign meetings, series, forums, documents and counters. On SQLite and,
with ``MEETCOORD_TEST_DATABASE_URL``, on PostgreSQL (the ``fresh_app`` fixture).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from meetcoord.extensions import db
from tests.conftest import postgres_url, skip_or_fail
from tests.support import throwaway_app, throwaway_postgres

BEFORE = "5c1e0a7d2b94"  # the revision before institutions
REVISION_FILE = "20261203_7e6e522e9936_institutions_own_meetings_series_forums.py"
STAMP = "2026-11-20 01:00:00+00:00"
SETTINGS = {
    "INSTITUTION_NAME": "Badan Perencanaan Pembangunan Daerah Kabupaten Sumba Barat Daya",
    "INSTITUTION_ADDRESS": "Kompleks Perkantoran Pemkab SBD, Tambolaka",
    "INSTITUTION_CITY": "Tambolaka",
    "LETTER_NUMBER_PATTERN": "050/{seq}/BAPPEDA-SBD/{year}",
    "LETTER_SIGNER_NAME": "Drs. Yohanis Lende Bulu",
    "LETTER_SIGNER_POSITION": "Kepala Bappeda",
}


@pytest.fixture(params=["sqlite", "postgres"])
def configured_app(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """A throw-away app whose settings name an SBD letterhead (what the migration reads)."""
    if request.param == "sqlite":
        app = throwaway_app(tmp_path / "i", f"sqlite:///{tmp_path / 'm.db'}", **SETTINGS)
        yield app
        with app.app_context():
            db.engine.dispose()
        return
    url = postgres_url()
    if not url:
        skip_or_fail("MEETCOORD_TEST_DATABASE_URL is not set: PostgreSQL migrations not tested")
    with throwaway_postgres(url) as database_url:
        app = throwaway_app(tmp_path / "i", database_url, **SETTINGS)
        yield app
        with app.app_context():
            db.engine.dispose()


def _insert(table: str, **values: Any) -> int:
    columns = ", ".join(values)
    marks = ", ".join(f":{key}" for key in values)
    with db.engine.begin() as conn:
        conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)  # noqa: S608
        return int(conn.execute(text(f"SELECT max(id) FROM {table}")).scalar_one())  # noqa: S608


def _rows(sql: str) -> list[tuple[Any, ...]]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def _user(email: str, role: str) -> int:
    return _insert(
        "users",
        email=email,
        name=email.split("@")[0],
        password_hash="x",
        role=role,
        is_active_account=True,
        created_at=STAMP,
        updated_at=STAMP,
    )


def _meeting(title: str, creator: int | None, uid: str, **extra: Any) -> int:
    return _insert(
        "meetings",
        uid=uid,
        title=title,
        kind="coordination",
        status="closed",
        start_at="2026-11-17 01:00:00+00:00",
        end_at="2026-11-17 04:00:00+00:00",
        is_series_exception=False,
        sequence=0,
        signing_salt="00" * 16,
        created_by_id=creator,
        created_at=STAMP,
        updated_at=STAMP,
        **extra,
    )


def _document(meeting: int, kind: str, creator: int | None, number: str | None) -> int:
    return _insert(
        "documents",
        meeting_id=meeting,
        kind=kind,
        status="draft",
        number=number,
        title=f"{kind} {meeting}",
        content="{}",
        version=1,
        render_state="none",
        created_by_id=creator,
        created_at=STAMP,
        updated_at=STAMP,
    )


def _demo_rows() -> dict[str, int]:
    ids = {
        "admin": _user("admin@meetcoord.example", "admin"),
        "sbd": _user("bappeda.sbd@meetcoord.example", "secretariat"),
        "ntb": _user("bappeda.ntb@meetcoord.example", "secretariat"),
        "viewer": _user("pemantau@meetcoord.example", "viewer"),
    }
    ids["forum"] = _insert(
        "forums",
        name="Forum BangKIT",
        name_key="forum bangkit",
        decree_number="289/KEP/HK/2023",
        created_at=STAMP,
        updated_at=STAMP,
    )
    ids["series"] = _insert(
        "meeting_series",
        title="Evaluasi triwulan",
        rrule="FREQ=MONTHLY;INTERVAL=3;COUNT=2",
        timezone="Asia/Makassar",
        forum_id=ids["forum"],
        created_at=STAMP,
        updated_at=STAMP,
    )
    ids["held"] = _meeting("Rakor stunting", ids["sbd"], "a@meetcoord", forum_id=ids["forum"])
    ids["orphan"] = _meeting(  # its creator's account was deleted (SET NULL)
        "Rakor triwulan", None, "b@meetcoord", series_id=ids["series"]
    )
    ids["minutes"] = _document(ids["held"], "minutes", ids["sbd"], None)
    ids["letter"] = _document(ids["held"], "invitation_letter", ids["ntb"], "050/001/X/2026")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO letter_sequences (scope, year, last_value)"
                " VALUES ('invitation_letter', 2026, 1)"
            )
        )
    return ids


def test_upgrade_gives_every_row_the_settings_institution(configured_app: Flask) -> None:
    with configured_app.app_context():
        upgrade(revision=BEFORE)
        ids = _demo_rows()

        upgrade()
        institutions = _rows(
            "SELECT id, name, address, city, letter_number_pattern, letter_signer_name,"
            " letter_signer_position FROM institutions"
        )
        assert len(institutions) == 1
        home, *letterhead = institutions[0]
        assert letterhead == [
            SETTINGS["INSTITUTION_NAME"],
            SETTINGS["INSTITUTION_ADDRESS"],
            SETTINGS["INSTITUTION_CITY"],
            SETTINGS["LETTER_NUMBER_PATTERN"],
            SETTINGS["LETTER_SIGNER_NAME"],
            SETTINGS["LETTER_SIGNER_POSITION"],
        ]
        members = dict(_rows("SELECT user_id, role FROM institution_memberships"))
        assert members == {
            ids["admin"]: "admin",
            ids["sbd"]: "secretariat",
            ids["ntb"]: "secretariat",
            ids["viewer"]: "viewer",
        }
        for table in ("meetings", "meeting_series", "forums", "documents", "letter_sequences"):
            owners = {owner for (owner,) in _rows(f"SELECT institution_id FROM {table}")}  # noqa: S608
            assert owners == {home}, table
        assert _rows("SELECT cohost_institution_id FROM meetings") == [(None,), (None,)]

        downgrade(revision=BEFORE)
        assert _rows("SELECT count(*) FROM meetings") == [(2,)]
        upgrade()  # and up again from what the downgrade left


def _revision() -> Any:
    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / REVISION_FILE
    spec = importlib.util.spec_from_file_location("institutions_revision", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_meeting_goes_to_its_creators_institution(configured_app: Flask) -> None:
    """With one institution the creator's is the default; the rule itself, with the SBD
    secretariat working for a second institution: its meeting and that meeting's
    documents go there, the meeting without a creator (and its series) to the default."""
    with configured_app.app_context():
        upgrade(revision=BEFORE)
        ids = _demo_rows()
        upgrade()
        other = _insert(
            "institutions",
            name="Bappeda Sumba Barat Daya",
            letter_number_pattern="050/{seq}/SBD/{year}",
            created_at=STAMP,
            updated_at=STAMP,
        )
        with db.engine.begin() as conn:
            default = conn.execute(text("SELECT min(id) FROM institutions")).scalar_one()
            conn.execute(
                text("UPDATE institution_memberships SET institution_id = :o WHERE user_id = :u"),
                {"o": other, "u": ids["sbd"]},
            )
            _revision()._assign_owners(conn, default)
        owner = dict(_rows("SELECT id, institution_id FROM meetings"))
        assert owner == {ids["held"]: other, ids["orphan"]: default}
        assert _rows("SELECT institution_id FROM meeting_series") == [(default,)]
        documents = dict(_rows("SELECT id, institution_id FROM documents"))
        assert documents == {ids["minutes"]: other, ids["letter"]: other}  # their meeting's
        assert _rows("SELECT institution_id FROM forums") == [(default,)]
