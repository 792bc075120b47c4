"""Issue 15's headline, end to end, as its users and integrators drive it over HTTP.

A national knowledge-sharing webinar hosted in Jakarta (WIB), mostly online: 300 people
from WIB, WITA and WIT provinces register through the public API (25 of them again, with a
correction, through the public page), 40 land on the waiting list; the secretariat
accepts the pending in bulk on its page, raises the capacity and accepts the rest through
the API; everyone gets exactly one confirmation in their own zone. Inside the check-in
window 50 join online from the personal link in that mail (half open the live view, half
follow the Zoom link through meetcoord), one who tries a day early is not counted; a Zoom
participant report adds 20 more and lists the 2 rows nobody matches. The breakdown counts
70 online, by province as assigned.
"""

from __future__ import annotations

import io
import re
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meetcoord.channels import showing
from meetcoord.checkin.models import Attendance, CheckinMethod
from meetcoord.core.outbox import OutboxMessage
from meetcoord.extensions import db
from meetcoord.meetings import opening
from meetcoord.meetings.models import Meeting
from meetcoord.registration import guard
from tests import factories
from tests.actions.support import bearer
from tests.conftest import AuthActions
from tests.kiosk_support import phone
from tests.registration.support import ALL_FIELDS, fresh_ip

PEOPLE = 300
CAPACITY = 260
TWICE = 25
JOIN = 50
PLATFORM = 20
API = "/api/v1"
ZOOM = "https://zoom.example.com/j/4815162342"
ZOOM_HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
# (region as typed, its province key, the zone a browser there reports, the zone's label)
REGIONS = (
    ("DKI Jakarta", "dki jakarta", "Asia/Jakarta", "WIB"),
    ("Kabupaten Temanggung, Jawa Tengah", "jawa tengah", "Asia/Jakarta", "WIB"),
    ("Kabupaten Bangka, Bangka Belitung", "kepulauan bangka belitung", "Asia/Jakarta", "WIB"),
    ("Kota Makassar, Sulawesi Selatan", "sulawesi selatan", "Asia/Makassar", "WITA"),
    ("Kabupaten Poso, Sulawesi Tengah", "sulawesi tengah", "Asia/Makassar", "WITA"),
    ("Kota Mataram, NTB", "nusa tenggara barat", "Asia/Makassar", "WITA"),
    ("Kota Ambon, Maluku", "maluku", "Asia/Jayapura", "WIT"),
    ("Kota Jayapura, Papua", "papua", "Asia/Jayapura", "WIT"),
)


def region_of(n: int) -> tuple[str, str, str, str]:
    return REGIONS[n % len(REGIONS)]


def email_of(n: int) -> str:
    return f"peserta{n:03d}@example.go.id"


def answer(n: int, name: str | None = None) -> dict[str, Any]:
    region, _province, zone, _label = region_of(n)
    return {
        "name": name or f"Peserta Webinar {n:03d}",
        "email": email_of(n),
        "region": region,
        "position": "Analis Kebijakan",
        "organization": "Bappeda",
        "gender": "female" if n % 2 else "male",
        "category": "government",
        "zone": zone,  # what the page's script detects in the browser
    }


class Clock:
    """The form guard's clock: a visitor takes a few seconds to fill the form, the test
    does not wait for them (tokens are issued by the real server, checked later)."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def time(self) -> float:
        return time.time() + self.ahead


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock()
    monkeypatch.setattr(guard, "time", SimpleNamespace(time=found.time))
    return found


def webinar() -> Meeting:
    """Setup, not under test: the meeting itself, hosted at one site in Jakarta, starting
    in half an hour (check-in opens two hours ahead: the window is open)."""
    host = factories.venue(timezone="Asia/Jakarta", name="Gedung Bappenas, Jakarta")
    meeting = factories.meeting(
        venue=host,
        title="Webinar Nasional Berbagi Praktik Baik Daerah",
        kind="knowledge_sharing",
        **factories.meeting_times("Asia/Jakarta", starts_in=timedelta(minutes=30), hours=3),
    )
    factories.schedule(meeting)
    return meeting


def mail_parts(raw: bytes) -> tuple[str, str]:
    """The text body and the calendar file of a message."""
    text = calendar = ""
    for part in message_from_bytes(raw).walk():
        if part.get_content_type() == "text/plain" and not text:
            text = part.get_payload(decode=True).decode()
        elif part.get_content_type() == "text/calendar":
            calendar = part.get_payload(decode=True).decode()
    return text, calendar


def registrant_ids(client: FlaskClient, meeting_id: int, status: str, headers: Any) -> list[int]:
    ids: list[int] = []
    page = 1
    while True:
        body = client.get(
            f"{API}/meetings/{meeting_id}/registrants?status={status}&per_page=200&page={page}",
            headers=headers,
        ).get_json()
        ids += [item["id"] for item in body["items"]]
        if page >= body["pages"]:
            return ids
        page += 1


def test_a_national_webinar_from_registration_to_attendance_by_region(
    app: Flask, client: FlaskClient, auth: AuthActions, clock: Clock, monkeypatch: Any
) -> None:
    started = time.monotonic()
    meeting = webinar()
    staff = meeting.created_by
    api = bearer(staff)
    db.session.commit()

    # --- the secretariat opens registration (approval, capacity below the demand) ------
    opened = client.put(
        f"{API}/meetings/{meeting.id}/registration",
        json={"enabled": True, "capacity": CAPACITY, "auto_accept": False, "fields": ALL_FIELDS},
        headers=api,
    )
    assert opened.status_code == 200, opened.get_json()
    slug = opened.get_json()["url"].rstrip("/").rsplit("/", 1)[1]
    stream = client.post(
        f"{API}/meetings/{meeting.id}/channels",
        json={"kind": "video_meeting", "label": "Zoom Bappenas", "url": ZOOM},
        headers=api,
    )
    assert stream.status_code == 201, stream.get_json()
    stream_id = stream.get_json()["id"]  # the meeting's link, shown from check-in

    # --- 300 register through the public API, each from their own address -------------
    ips = [fresh_ip() for _ in range(PEOPLE)]
    tokens = []
    for n in range(PEOPLE):
        zone = region_of(n)[2]
        page = client.get(
            f"{API}/registration/{slug}?zone={zone}", environ_base={"REMOTE_ADDR": ips[n]}
        )
        assert page.status_code == 200, page.get_json()
        assert page.get_json()["zone_label"] == region_of(n)[3]
        tokens.append(page.get_json()["form_token"])
    too_fast = client.post(
        f"{API}/registration/{slug}",
        json={"form_token": tokens[0], **answer(0)},
        environ_base={"REMOTE_ADDR": ips[0]},
    )
    assert too_fast.status_code == 400  # a bot's instant post: nothing registered
    clock.ahead = 8  # people take a few seconds over the form
    for n in range(PEOPLE):
        sent = client.post(
            f"{API}/registration/{slug}",
            json={"form_token": tokens[n], **answer(n)},
            environ_base={"REMOTE_ADDR": ips[n]},
        )
        assert sent.status_code == 202, (n, sent.get_json())

    # 25 come back to the public page and correct their name: an update, not a new seat
    again = [*range(TWICE - 1), PEOPLE - 1]  # one of them is on the waiting list
    for n in again:
        html = client.get(f"/r/{slug}", environ_base={"REMOTE_ADDR": ips[n]}).get_data(True)
        token = re.search(r'name="form_token"[^>]*value="([^"]+)"', html)
        token = token or re.search(r'value="([^"]+)"[^>]*name="form_token"', html)
        assert token, html[:2000]
        clock.ahead += 5  # a few seconds over the correction
        fixed = answer(n, name=f"Peserta Webinar Perbaikan {n:03d}")
        data = {"form_token": token.group(1), "website": "", **fixed}
        sent = client.post(f"/r/{slug}", data=data, environ_base={"REMOTE_ADDR": ips[n]})
        assert sent.status_code == 303, sent.get_data(True)[:2000]
    counts = client.get(f"{API}/meetings/{meeting.id}/registration", headers=api).get_json()
    assert counts["counts"]["total"] == PEOPLE
    assert counts["counts"]["pending"] == CAPACITY
    assert counts["counts"]["waitlisted"] == PEOPLE - CAPACITY

    # --- the secretariat accepts: the pending in bulk on its page … --------------------
    pending = registrant_ids(client, meeting.id, "pending", api)
    waiting = registrant_ids(client, meeting.id, "waitlisted", api)
    assert (len(pending), len(waiting)) == (CAPACITY, PEOPLE - CAPACITY)
    auth.login(user=staff)
    decided = auth.post(f"/meetings/{meeting.id}/registrants", {"action": "accept", "ids": pending})
    assert decided.status_code == 303
    assert not db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.recipient.in_([email_of(n) for n in range(CAPACITY, PEOPLE)])
        )
    ).first()  # the waiting hear nothing until accepted
    # … then raises the capacity (the waiting move up, in order) and accepts them by API
    raised = client.put(
        f"{API}/meetings/{meeting.id}/registration", json={"capacity": PEOPLE}, headers=api
    )
    assert raised.get_json()["counts"]["pending"] == PEOPLE - CAPACITY
    moved = registrant_ids(client, meeting.id, "pending", api)
    assert sorted(moved) == sorted(waiting)
    accepted = client.post(
        f"{API}/meetings/{meeting.id}/registrants/accept", json={"ids": moved}, headers=api
    )
    assert accepted.get_json() == {"done": PEOPLE - CAPACITY, "reused": 0, "skipped": 0}
    final = client.get(f"{API}/meetings/{meeting.id}/registration", headers=api).get_json()
    assert final["counts"]["accepted"] == PEOPLE

    # --- exactly one confirmation each, in their own zone with its label ---------------
    mails = list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.ref_type == "invitation"))
    )
    per_address = Counter(m.recipient for m in mails)
    assert set(per_address) == {email_of(n) for n in range(PEOPLE)}
    assert set(per_address.values()) == {1}
    links: dict[int, str] = {}
    seen_labels: Counter[str] = Counter()
    for mail in mails:
        n = int(re.search(r"peserta(\d+)@", mail.recipient).group(1))
        _region, _province, zone, label = region_of(n)
        text, calendar = mail_parts(mail.message)
        start = meeting.start_at.astimezone(ZoneInfo(zone))
        end = meeting.end_at.astimezone(ZoneInfo(zone))
        assert f"{start:%H.%M}–{end:%H.%M} {label}" in text, (mail.recipient, text[:900])
        assert f"TZID={zone}:{start:%Y%m%dT%H%M}" in calendar, calendar[:900]
        if n in again:
            assert f"Peserta Webinar Perbaikan {n:03d}" in text  # the corrected name
        links[n] = re.search(r"/i/([A-Za-z0-9_.\-]+)", text).group(1)
        seen_labels[label] += 1
    assert seen_labels == {"WIB": 114, "WITA": 112, "WIT": 74}

    # --- 50 join online inside the window, from the link in their mail ----------------
    for n in range(JOIN):
        if n % 2:
            opened_live = phone(app).get(f"/i/{links[n]}/live")
            assert opened_live.status_code == 200
            assert "Kehadiran daring tercatat pukul" in opened_live.get_data(True)
        else:
            go = phone(app).get(f"/i/{links[n]}/channels/{stream_id}")
            assert go.status_code == 302, (go.status_code, go.get_data(True)[:3000])
            assert go.headers["Location"] == ZOOM
    # one more tries a day early (a fixed clock for this one visit): not counted
    early = meeting.start_at - timedelta(days=1)
    with monkeypatch.context() as day_before:
        for module in (opening, showing):  # the window, and which links are shown
            day_before.setattr(module, "utcnow", lambda: early)
        too_early = phone(app).get(f"/i/{links[JOIN]}/live")
        assert too_early.status_code == 200
        assert "Kehadiran belum dicatat." in too_early.get_data(True)
        assert phone(app).get(f"/i/{links[JOIN]}/channels/{stream_id}").status_code == 404

    expected = Counter(region_of(n)[1] for n in range(JOIN))
    summary = f"{API}/meetings/{meeting.id}/attendance/summary"
    body = client.get(summary, headers=api).get_json()["totals"]
    assert body["total"] == JOIN
    assert body["by_mode"] == {"site": 0, "online": JOIN}
    assert {row["province"]: row["count"] for row in body["by_province"]} == expected
    assert [s["count"] for s in body["by_site"]] == [0, JOIN]  # the host site, then online

    # --- a Zoom participant report: 20 more, matched by e-mail; 2 left for the secretariat
    latecomers = range(JOIN + 1, JOIN + 1 + PLATFORM)
    rows = [
        f"Peserta HP {n:03d},{email_of(n).upper()},"
        f"09/24/2026 09:{n % 60:02d}:00 AM,09/24/2026 11:30:00 AM,{90 - n % 60}\n"
        for n in latecomers
    ]
    rows.append(
        "Operator Zoom,operator@vendor.example,09/24/2026 08:55:00 AM,09/24/2026 11:40:00 AM,165\n"
    )
    rows.append("iPhone Tamu,,09/24/2026 09:20:00 AM,09/24/2026 09:40:00 AM,20\n")
    report = (ZOOM_HEADER + "".join(rows)).encode()
    base = f"{API}/meetings/{meeting.id}/platform-imports"
    uploaded = client.post(
        f"{base}?zone=Asia/Jakarta",
        data={"file": (io.BytesIO(report), "participants_4815162342.csv")},
        content_type="multipart/form-data",
        headers=api,
    )
    assert uploaded.status_code == 201, uploaded.get_json()
    draft = uploaded.get_json()
    assert (draft["state"], draft["platform"], draft["rows"]) == ("draft", "zoom", PLATFORM + 2)
    assert draft["summary"]["matched"] == PLATFORM
    preview = client.get(f"{base}/{draft['id']}", headers=api).get_json()
    assert preview["summary"] == draft["summary"]
    totals = client.get(summary, headers=api).get_json()["totals"]
    assert totals["total"] == JOIN  # nothing written before the confirmation
    confirmed = client.post(f"{base}/{draft['id']}/confirm", headers=api)
    assert confirmed.status_code == 200, confirmed.get_json()
    assert confirmed.get_json()["state"] == "confirmed"
    unmatched = client.get(
        f"{API}/meetings/{meeting.id}/platform-participants/unmatched", headers=api
    ).get_json()["items"]
    assert sorted(p["name"] for p in unmatched) == ["Operator Zoom", "iPhone Tamu"]

    methods = Counter(
        (a.person.email, a.method, a.site_id) for a in db.session.scalars(select(Attendance))
    )
    by_method = Counter(method for (_email, method, _site) in methods)
    assert by_method == {
        CheckinMethod.LIVE_VIEW: JOIN // 2,
        CheckinMethod.ONLINE: JOIN // 2,
        CheckinMethod.PLATFORM: PLATFORM,
    }
    assert {site for (_e, _m, site) in methods} == {None}  # every one of them online
    platform_people = {e for (e, m, _s) in methods if m is CheckinMethod.PLATFORM}
    assert platform_people == {email_of(n) for n in latecomers}
    assert email_of(JOIN) not in {e for (e, _m, _s) in methods}  # the early one

    body = client.get(summary, headers=api).get_json()["totals"]
    expected += Counter(region_of(n)[1] for n in latecomers)
    assert body["total"] == JOIN + PLATFORM == 70
    assert body["by_mode"] == {"site": 0, "online": 70}
    assert {row["province"]: row["count"] for row in body["by_province"]} == expected
    assert sum(row["count"] for row in body["by_province"]) == 70
    assert body["by_gender"]["male"] + body["by_gender"]["female"] == 70
    elapsed = time.monotonic() - started
    print(f"webinar end to end: {elapsed:.1f} s")
    assert elapsed < 90
