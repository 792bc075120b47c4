"""Muting reminders from the mail: one-click POST (RFC 8058), a GET that only asks, and
tokens that cannot be forged."""

from __future__ import annotations

from datetime import UTC, datetime

from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from meetcoord.extensions import db
from meetcoord.reminders import mute
from meetcoord.reminders.models import ReminderMute
from meetcoord.reminders.services import send_due_reminders
from tests import factories
from tests.helpers import reads
from tests.reminders.support import three_zone_meeting

DAY_BEFORE_ALL = datetime(2027, 3, 14, 1, 0, tzinfo=UTC)


def _path(person) -> str:
    return f"/reminders/mute/{mute.mute_token(person)}"


def _mutes() -> int:
    return int(db.session.scalar(select(func.count()).select_from(ReminderMute)))


def test_one_click_post_mutes_without_login_or_csrf(client):
    setup = three_zone_meeting()
    person = setup.invitations["WIT"].person
    response = client.post(_path(person), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert mute.is_muted(person)
    # a second click (or the mail program's and then the person's) changes nothing
    assert client.post(_path(person)).status_code == 200
    assert _mutes() == 1
    # muted: the WIT invitee gets no reminder, the others do
    assert send_due_reminders(DAY_BEFORE_ALL) == 2


def test_get_only_asks_and_unmute_turns_them_back_on(client):
    person = factories.person()
    page = client.get(_path(person))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'method="post"' in html
    assert "Matikan pengingat" in html
    assert not mute.is_muted(person)  # a link checker fetching the URL mutes nobody

    client.post(_path(person))
    assert mute.is_muted(person)
    token = mute.mute_token(person)
    assert client.post(f"/reminders/unmute/{token}").status_code == 200
    assert not mute.is_muted(person)


def test_forged_tokens_are_refused_and_change_nothing(client, app):
    person = factories.person()
    token = mute.mute_token(person)
    other_salt = URLSafeSerializer(app.config["SECRET_KEY"], salt="meetcoord:mc_links")
    other_key = URLSafeSerializer("not-the-server-key", salt=mute.SALT)
    forged = [
        "1",
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # tampered signature
        other_salt.dumps(person.id),  # signed for something else
        other_key.dumps(person.id),  # signed with another key
        mute.SALT,
    ]
    for bad in forged:
        assert client.post(f"/reminders/mute/{bad}").status_code == 404, bad
        assert client.get(f"/reminders/mute/{bad}").status_code == 404, bad
        assert client.post(f"/reminders/unmute/{bad}").status_code == 404, bad
    assert _mutes() == 0


def test_english_page_when_the_reader_chose_it(client):
    person = factories.person()
    browser = {"Accept-Language": "en"}  # not a choice: Indonesian until the person asks
    assert "Turn off reminders" not in client.get(_path(person), headers=browser).get_data(
        as_text=True
    )
    html = reads(client, "en").get(_path(person)).get_data(as_text=True)
    assert "Turn off reminders" in html
