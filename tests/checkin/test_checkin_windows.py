"""Every door keeps the check-in window: desk (live and offline), kiosk, self check-in,
the secretariat's tick, the online join (page and API) and the live room's "open".

Outside it nothing is recorded, and the person is told when it opens, in their zone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from meetcoord.access.actors import Actor
from meetcoord.checkin import keys, selfservice
from meetcoord.checkin.desk import redeem_credential
from meetcoord.checkin.models import Attendance
from meetcoord.checkin.offline import upload_offline
from meetcoord.checkin.staff import manual_checkin
from meetcoord.config import ConfigError, load_config
from meetcoord.core.timezones import format_long_date, format_time_in_zone
from meetcoord.live.models import MeetingEvent
from meetcoord.meetings import invitations, links
from meetcoord.meetings.models import MeetingStatus
from tests import factories
from tests.helpers import count, text
from tests.kiosk_support import Rakor, hidden_fields, phone
from tests.live_support import LiveRakor, command, connect

API = "/api/v1"


def opens(meeting, zone: str = "Asia/Makassar") -> str:
    """ "Senin, 7 Desember 2026 pukul 07.00 WITA": two hours before the start."""
    moment = meeting.start_at - timedelta(hours=2)
    return f"{format_long_date(moment, zone)} pukul {format_time_in_zone(moment, zone)}"


@pytest.fixture
def early() -> Rakor:
    """Starts in three hours: check-in opens in one."""
    return Rakor(starts_in=timedelta(hours=3))


def test_every_door_refuses_before_check_in_opens_and_says_when(app, early):
    site, inv = early.site, early.invitee(0)
    said = f"Registrasi kehadiran baru dibuka pada {opens(early.meeting)}."
    desk = Actor(user=early.staff)
    code = selfservice.kiosk_codes(site)["url_code"]
    answers = [
        redeem_credential(desk, site, keys.credential_for(inv), "d1"),
        selfservice.checkin_confirmed(site, code, inv.id, "7890", "k1"),
        selfservice.checkin_with_link(site, code, inv, "k2"),
        selfservice.register_walk_in(site, code, {"name": "Lalu", "category": "ngo"}, "w1"),
        manual_checkin(early.staff, early.meeting, inv.id, site.id, "m1"),
        selfservice.record_online(inv),
    ]
    assert {(a.status, a.reason, a.message) for a in answers} == {("refused", "not_open_yet", said)}
    assert count(Attendance) == 0
    # Told in the reader's zone: the Ambon screen reads WIT.
    ambon = redeem_credential(desk, early.other_site, keys.credential_for(inv), "d2")
    assert ambon.message.endswith(f"{opens(early.meeting, 'Asia/Jayapura')}.")
    assert ambon.message.endswith(" WIT.")


def test_the_phone_the_kiosk_and_the_join_link_say_when_it_opens(app, client, auth, early):
    said = f"Registrasi kehadiran baru dibuka pada {opens(early.meeting)}."
    scan = phone(app).get(early.scan_path())
    assert scan.status_code == 409
    assert said in text(scan)
    assert "mc_scan" not in scan.headers.get("Set-Cookie", "")  # no pass before it opens
    auth.login(user=early.staff)
    kiosk = text(client.get(f"/kiosk/{early.site.code}"))
    assert said in kiosk
    assert 'id="kiosk-scan" aria-labelledby="kiosk-scan-title" hidden' in kiosk
    assert client.get(f"/kiosk/{early.site.code}/code.json").get_json() == {
        "open": False,
        "message": said,
        "expires_in": 30,
    }
    token = links.personal_token(early.invitee(0))
    join = phone(app).get(f"/i/{token}/join")
    assert join.status_code == 409
    assert said in text(join)
    assert f"/i/{token}" in text(join)
    problem = phone(app).post(f"{API}/i/{token}/join")
    assert problem.status_code == 409
    assert (problem.json["code"], problem.json["detail"]) == ("outside_window", said)
    assert count(Attendance) == 0


def test_an_online_invitee_is_told_in_the_host_zone_and_an_ambon_one_in_wit(app, early):
    online = factories.person(name="Peserta Daring")
    ambon = factories.person(name="Peserta Ambon")
    invitations.invite(early.staff, early.meeting, {"person_ids": [online.id], "site_id": None})
    invitations.invite(
        early.staff, early.meeting, {"person_ids": [ambon.id], "site_id": early.other_site.id}
    )
    by_person = {i.person_id: i for i in early.meeting.invitations}
    assert selfservice.record_online(by_person[online.id]).message.endswith(" WITA.")
    told = selfservice.record_online(by_person[ambon.id]).message
    assert told == f"Registrasi kehadiran baru dibuka pada {opens(early.meeting, 'Asia/Jayapura')}."


def test_the_join_link_records_inside_the_window_once(app):
    rakor = Rakor()
    token = links.personal_token(rakor.invitee(0))
    joined = phone(app).post(f"{API}/i/{token}/join")
    assert joined.status_code == 200
    assert (joined.json["online_url"], joined.json["status"]) == (
        "https://zoom.example.com/j/123",
        "checked_in",
    )
    again = phone(app).post(f"{API}/i/{token}/join").json
    assert again["status"] == "already"
    assert count(Attendance) == 1


def test_check_in_closes_an_hour_after_the_end(app):
    held = Rakor(starts_in=timedelta(hours=-5))  # 3 hours long: ended 2 hours ago
    result = redeem_credential(
        Actor(user=held.staff), held.site, keys.credential_for(held.invitee(0)), "late"
    )
    closes = held.meeting.end_at + timedelta(hours=1)
    day, time = (
        format_long_date(closes, "Asia/Makassar"),
        format_time_in_zone(closes, "Asia/Makassar"),
    )
    assert (result.reason, result.message) == (
        "checkin_closed",
        f"Registrasi kehadiran sudah ditutup pada {day} pukul {time}.",
    )
    assert count(Attendance) == 0


def test_desk_scan_times_are_bounded_to_the_window(app, client, api_token):
    rakor = Rakor(starts_in=timedelta(minutes=-30))
    desk = Actor(user=rakor.staff)
    first, second, third = (keys.credential_for(rakor.invitee(n)) for n in range(3))
    now = datetime.now(UTC)
    scans = [
        {"credential": first, "nonce": "o-1990", "scanned_at": "1990-01-01T09:00:00+08:00"},
        {
            "credential": second,
            "nonce": "o-future",
            "scanned_at": (now + timedelta(hours=1)).isoformat(),
        },
        {  # a desk clock four minutes ahead is no reason to refuse
            "credential": third,
            "nonce": "o-skew",
            "scanned_at": (now + timedelta(minutes=4)).isoformat(),
        },
    ]
    results = upload_offline(desk, rakor.site, scans)
    assert [(r.status, r.reason) for r in results] == [
        ("refused", "not_open_yet"),
        ("refused", "scan_in_future"),
        ("checked_in", None),
    ]
    assert "periksa jam perangkat meja" in results[1].message
    _user, headers = api_token()
    api = client.post(
        f"{API}/checkin/sites/{rakor.site.code}/redeem",
        json={"credential": first, "nonce": "a-1990", "scanned_at": "1990-01-01T09:00+08:00"},
        headers=headers,
    )
    assert (api.json["status"], api.json["reason"]) == ("refused", "not_open_yet")
    assert count(Attendance) == 1


def test_the_desk_bundle_carries_the_window_for_offline_scans(app, client, auth):
    rakor = Rakor()
    auth.login(user=rakor.staff)
    window = client.get(f"/desk/{rakor.site.code}/bundle.json").get_json()["checkin"]
    assert datetime.fromisoformat(window["opens_at"]) == rakor.meeting.start_at - timedelta(hours=2)
    assert datetime.fromisoformat(window["closes_at"]) == rakor.meeting.end_at + timedelta(hours=1)
    assert window["early"] == f"Registrasi kehadiran baru dibuka pada {opens(rakor.meeting)}."
    assert window["late"].startswith("Registrasi kehadiran sudah ditutup pada ")


def test_the_live_room_opens_with_check_in_in_the_chairs_zone(app):
    early = LiveRakor(starts_in=timedelta(hours=3))
    chair = connect(app, early.chair)
    ack = command(chair, "open")
    assert ack["ok"] is False
    assert ack["error"]["code"] == "outside_window"
    assert ack["error"]["message"] == (
        f"Ruang rapat baru dapat dibuka mulai {opens(early.meeting)}."
    )
    assert early.meeting.status is MeetingStatus.SCHEDULED
    assert count(MeetingEvent, MeetingEvent.type == "meeting.opened") == 0
    # A participant may not open it at all: told so, not when it opens.
    participant = connect(app, early.participant)
    assert command(participant, "open")["error"]["code"] == "forbidden"
    soon = LiveRakor("Rakor Segera", starts_in=timedelta(minutes=90))
    assert command(connect(app, soon.chair), "open")["ok"] is True


def test_the_window_follows_the_settings(app, monkeypatch, tmp_path, early):
    inv = early.invitee(0)
    monkeypatch.setitem(app.config, "CHECKIN_OPENS_BEFORE_MINUTES", 240)
    admitted = redeem_credential(
        Actor(user=early.staff), early.site, keys.credential_for(inv), "wide"
    )
    assert admitted.status == "checked_in"
    config = load_config(
        {"MEETCOORD_CHECKIN_OPENS_BEFORE_MINUTES": "30", "MEETCOORD_CHECKIN_GRACE_MINUTES": "0"},
        instance_path=tmp_path,
    )
    assert (config["CHECKIN_OPENS_BEFORE_MINUTES"], config["CHECKIN_GRACE_MINUTES"]) == (30, 0)
    defaults = load_config({}, instance_path=tmp_path)
    assert (defaults["CHECKIN_OPENS_BEFORE_MINUTES"], defaults["CHECKIN_GRACE_MINUTES"]) == (
        120,
        60,
    )
    for name, raw in (
        ("MEETCOORD_CHECKIN_OPENS_BEFORE_MINUTES", "dua jam"),
        ("MEETCOORD_CHECKIN_GRACE_MINUTES", "-5"),
        ("MEETCOORD_CHECKIN_GRACE_MINUTES", "100000"),
    ):
        with pytest.raises(ConfigError, match=name):
            load_config({name: raw}, instance_path=tmp_path)


def test_a_kiosk_confirmation_outside_the_window_compares_no_digits(app, early):
    """Refused before the phone digits are looked at: no guess is answered early."""
    participant = phone(app)
    fields = hidden_fields(text(participant.get("/c")))  # a CSRF token for this phone
    refused = participant.post(
        early.scan_path(),
        data={
            **fields,
            "nonce": "early",
            "action": "confirm",
            "invitation_id": early.invitee(1).id,
            "last_four": "0000",
        },
    )
    assert refused.status_code == 409
    assert "Registrasi kehadiran baru dibuka" in text(refused)
    assert "tidak cocok" not in text(refused)
