"""The channels revision copies each meeting's one online link into a video channel, adds
the live-view method to attendance, and goes back down cleanly (SQLite and PostgreSQL)."""

from __future__ import annotations

from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from meetcoord.extensions import db
from tests.app.test_migrations import fresh_app  # noqa: F401  (the fixture, both databases)

BEFORE = "5a1c9e0b7d21"
ZOOM = "https://zoom.example.com/j/123"


def _meeting(conn, uid: str, online_url: str | None) -> None:
    conn.execute(
        text(
            "INSERT INTO meetings (uid, title, kind, status, start_at, end_at, online_url,"
            " is_series_exception, sequence, signing_salt, institution_id,"
            " created_at, updated_at) VALUES"
            " (:uid, 'Webinar', 'knowledge_sharing', 'scheduled',"
            " '2026-12-15 01:00:00+00:00', '2026-12-15 04:00:00+00:00', :url, false, 0,"
            " 'garam', (SELECT min(id) FROM institutions), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ),
        {"uid": uid, "url": online_url},
    )


def test_each_online_link_becomes_a_video_channel_and_back(fresh_app: Flask) -> None:  # noqa: F811
    with fresh_app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            if not conn.execute(text("SELECT count(*) FROM institutions")).scalar():
                conn.execute(
                    text(
                        "INSERT INTO institutions (name, letter_number_pattern, created_at,"
                        " updated_at) VALUES ('Bappenas', '{seq}/UJI/{year}',"
                        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    )
                )
            _meeting(conn, "a@meetcoord", ZOOM)
            _meeting(conn, "b@meetcoord", None)
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT m.uid, c.kind, c.url, c.label FROM meeting_channels c"
                    " JOIN meetings m ON m.id = c.meeting_id"
                )
            ).all()
            kept = conn.execute(text("SELECT online_url FROM meetings ORDER BY uid")).scalars()
            assert list(kept) == [ZOOM, None]  # the column stays for invitations
        assert [tuple(r) for r in rows] == [("a@meetcoord", "video_meeting", ZOOM, "Rapat daring")]
        downgrade(revision=BEFORE)
        assert "meeting_channels" not in inspect(db.engine).get_table_names()
        downgrade(revision="base")
