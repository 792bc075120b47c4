"""The public registration page and its form: validation, window, bots, limits, duplicates."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from meetcoord.core.db import utcnow
from meetcoord.extensions import db
from meetcoord.registration import services
from meetcoord.registration.models import Registration
from tests.registration.support import form, fresh_ip, open_registration, post


def _count() -> int:
    return db.session.scalar(select(func.count(Registration.id))) or 0


def test_page_shows_the_meeting_in_the_chosen_zone_with_its_label(client) -> None:
    meeting, settings = open_registration()
    page = client.get(f"/r/{settings.slug}?zone=Asia/Jayapura")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "WIT" in html
    assert meeting.title in html
    start = meeting.start_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Jayapura"))
    assert f"{start:%H.%M}" in html
    assert 'name="website"' in html
    assert 'name="form_token"' in html
    assert page.headers["Cache-Control"] == "no-store"
    jakarta = client.get(f"/r/{settings.slug}").get_data(as_text=True)  # the host's zone
    assert "WIB" in jakarta


def test_unknown_or_closed_slug_is_the_same_not_found(client) -> None:
    meeting, settings = open_registration()
    assert client.get("/r/nothing-here").status_code == 404
    services.disable(meeting.created_by, meeting)
    assert client.get(f"/r/{settings.slug}").status_code == 404
    assert post(client, settings.slug, form()).status_code == 404
    assert _count() == 0


def test_registering_answers_the_same_page_and_saves(client) -> None:
    _meeting, settings = open_registration()
    answer = post(client, settings.slug, form(1))
    assert answer.status_code == 303
    assert answer.location.endswith(f"/r/{settings.slug}/done?lang=id")
    again = post(client, settings.slug, form(1, name="Siti Rahma Baru", region="Maluku"))
    assert again.status_code == 303
    assert again.location == answer.location
    rows = list(db.session.scalars(select(Registration)))
    assert len(rows) == 1  # the same e-mail updates, no duplicate
    assert rows[0].name == "Siti Rahma Baru"
    assert rows[0].region == "Maluku"
    upper = post(client, settings.slug, form(1, email="SITI1@Example.org"))
    assert upper.status_code == 303
    assert _count() == 1
    done = client.get(answer.location).get_data(as_text=True)
    assert "Periksa surel Anda" in done


def test_validation_messages_in_indonesian_and_english_save_nothing(client) -> None:
    _meeting, settings = open_registration()
    bad = form(1, name="", email="bukan-surel", region="", gender="alien")
    answer = post(client, settings.slug, bad)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Wajib diisi." in html
    assert "Alamat email tidak valid." in html
    assert "Nilai tidak dikenal" in html
    english = post(client, settings.slug, bad, lang="en").get_data(as_text=True)
    assert "Required." in english
    assert "Invalid email address." in english
    assert "Unknown value; choose one of" in english
    assert "Wajib diisi." not in english
    assert _count() == 0


def test_window_not_yet_open_and_closed_refuse(client) -> None:
    meeting, settings = open_registration()
    editor = meeting.created_by
    later = (utcnow() + timedelta(hours=5)).isoformat()
    services.update_settings(editor, meeting, {"opens_at": later})
    assert "belum dibuka" in client.get(f"/r/{settings.slug}").get_data(as_text=True)
    assert post(client, settings.slug, form()).status_code == 409
    past = (utcnow() - timedelta(hours=5)).isoformat()
    services.update_settings(
        editor,
        meeting,
        {"opens_at": past, "closes_at": (utcnow() - timedelta(hours=1)).isoformat()},
    )
    closed = post(client, settings.slug, form())
    assert closed.status_code == 409
    assert "tidak sedang dibuka" in closed.get_data(as_text=True)
    assert _count() == 0


def test_honeypot_and_too_fast_or_forged_tokens_are_refused(client) -> None:
    _meeting, settings = open_registration()
    trap = post(client, settings.slug, form(1, website="http://spam.example"))
    assert trap.status_code == 400
    fast = post(client, settings.slug, form(2), age=0)
    assert fast.status_code == 400
    assert "terlalu cepat" in fast.get_data(as_text=True)
    stale = post(client, settings.slug, form(3), age=3 * 3600)
    assert stale.status_code == 400
    forged = client.post(
        f"/r/{settings.slug}",
        data={**form(4), "form_token": "1700000000.deadbeef"},
        environ_base={"REMOTE_ADDR": fresh_ip()},
    )
    assert forged.status_code == 400
    none = client.post(
        f"/r/{settings.slug}", data=form(5), environ_base={"REMOTE_ADDR": fresh_ip()}
    )
    assert none.status_code == 400
    assert _count() == 0


def test_rate_limit_per_address(client) -> None:
    _meeting, settings = open_registration()
    ip = fresh_ip()
    codes = [post(client, settings.slug, form(n), ip=ip).status_code for n in range(12)]
    assert codes[:10] == [303] * 10
    assert codes[10:] == [429, 429]
    assert post(client, settings.slug, form(99)).status_code == 303  # another address
    assert _count() == 11


def test_capacity_puts_the_rest_on_the_waiting_list(client) -> None:
    meeting, settings = open_registration(capacity=2)
    for n in range(4):
        assert post(client, settings.slug, form(n)).status_code == 303
    counts = services.counts(meeting.id)
    assert counts["pending"] == 2
    assert counts["waitlisted"] == 2
    # the same e-mail again does not take a second seat nor lose its place
    post(client, settings.slug, form(0, name="Siti Rahma Nol"))
    assert services.counts(meeting.id)["waitlisted"] == 2
    assert services.counts(meeting.id)["total"] == 4
