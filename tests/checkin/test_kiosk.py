"""The site kiosk: a rotating QR that a real decoder reads, and counts over Socket.IO."""

from __future__ import annotations

import base64
import io
import re
import time

import pytest
import zxingcpp
from PIL import Image

from meetcoord.checkin import selfservice
from meetcoord.checkin.models import Attendance
from meetcoord.extensions import db, socketio
from meetcoord.meetings import links
from meetcoord.meetings.models import QuorumKind
from tests.helpers import count, text
from tests.kiosk_support import Rakor, hidden_fields, open_personal_link, phone, post_from

_QR = re.compile(r'<img id="kiosk-qr" class="kiosk-qr" src="data:image/png;base64,([^"]+)"')


@pytest.fixture
def rakor() -> Rakor:
    return Rakor()


def decode_qr(png_base64: str) -> str:
    image = Image.open(io.BytesIO(base64.b64decode(png_base64)))
    [barcode] = zxingcpp.read_barcodes(image)
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    return barcode.text


def site_count(event: dict, site_id: int) -> int:
    return next(s["present"] for s in event["sites"] if s["site_id"] == site_id)


def counts_events(sio) -> list[dict]:
    return [m["args"][0] for m in sio.get_received("/checkin") if m["name"] == "counts"]


def test_scan_the_kiosk_qr_and_watch_the_count_rise(app, client, auth, rakor):
    """The must-show: render the QR, decode it with zxing-cpp, follow it as a participant,
    check in with one tap, and see the kiosk's count go from 0 to 1 over Socket.IO.
    """
    auth.login(user=rakor.staff)
    kiosk = client.get(f"/kiosk/{rakor.site.code}")
    assert kiosk.status_code == 200
    html = text(kiosk)
    assert "Rakor Pangan" in html
    assert "WITA" in html
    assert selfservice.kiosk_codes(rakor.site)["typed_code"] in html

    sio = socketio.test_client(
        app, namespace="/checkin", flask_test_client=client, auth={"site": rakor.site.code}
    )
    assert sio.is_connected("/checkin")
    [first] = counts_events(sio)  # sent on connect
    assert site_count(first, rakor.site.id) == 0

    url = decode_qr(_QR.search(html).group(1))
    base = app.config["BASE_URL"].rstrip("/")
    assert url.startswith(f"{base}/c/{rakor.site.code}/")
    path = url[len(base) :]

    participant = phone(app)
    open_personal_link(participant, rakor.invitee(0))  # the browser now holds the link
    page = participant.get(path)
    assert page.status_code == 200
    assert "Saya hadir" in text(page)
    assert "Peserta Uji 0" in text(page)
    done = post_from(participant, path, text(page), action="link")
    assert done.status_code == 200
    assert "Selamat datang, Peserta Uji 0" in text(done)

    events = counts_events(sio)
    assert events, "no counts event after the check-in"
    assert site_count(events[-1], rakor.site.id) == 1
    assert events[-1]["total"] == 1
    assert count(Attendance) == 1
    sio.disconnect(namespace="/checkin")


def test_code_json_gives_the_next_code_to_the_kiosk_only(app, client, auth, rakor):
    assert client.get(f"/kiosk/{rakor.site.code}/code.json").status_code == 403
    auth.login(user=rakor.staff)
    data = client.get(f"/kiosk/{rakor.site.code}/code.json").get_json()
    assert set(data) == {"open", "url", "qr", "typed_code", "expires_in"}
    assert 0 < data["expires_in"] <= 20
    assert decode_qr(data["qr"].removeprefix("data:image/png;base64,")) == data["url"]


def test_kiosk_is_never_public(app, client, auth, rakor):
    anonymous = client.get(f"/kiosk/{rakor.site.code}")
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["Location"]
    assert client.get("/kiosk/tidak-ada").status_code == 404
    auth.login("viewer")  # staff who may not run check-in
    assert client.get(f"/kiosk/{rakor.site.code}").status_code == 403


def test_anonymous_socket_is_refused(app, rakor):
    sio = socketio.test_client(
        app, namespace="/checkin", flask_test_client=phone(app), auth={"site": rakor.site.code}
    )
    assert not sio.is_connected("/checkin")


def test_coordinator_opens_their_own_sites_kiosk_from_the_personal_link(app, rakor):
    coordinator = rakor.add_coordinator(rakor.other_site)
    browser = phone(app)
    open_personal_link(browser, coordinator)
    page = browser.get(f"/i/{links.personal_token(coordinator)}")
    assert f"/kiosk/{rakor.other_site.code}" in text(page)
    assert browser.get(f"/kiosk/{rakor.other_site.code}").status_code == 200
    assert browser.get(f"/kiosk/{rakor.site.code}").status_code == 302  # not theirs
    assert browser.get(f"/kiosk/{rakor.site.code}/code.json").status_code == 403
    sio = socketio.test_client(
        app, namespace="/checkin", flask_test_client=browser, auth={"site": rakor.other_site.code}
    )
    assert sio.is_connected("/checkin")
    sio.disconnect(namespace="/checkin")


# --- refusals ---------------------------------------------------------------------------


def test_old_window_is_refused_with_scan_again(app, rakor, monkeypatch):
    participant = phone(app)
    open_personal_link(participant, rakor.invitee(0))
    path = rakor.scan_path()
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    response = participant.get(path)
    assert response.status_code == 409
    assert "pindai lagi" in text(response)
    assert count(Attendance) == 0


def test_code_of_another_site_is_refused(app, rakor):
    participant = phone(app)
    open_personal_link(participant, rakor.invitee(0))
    code = selfservice.kiosk_codes(rakor.other_site)["url_code"]
    response = participant.get(f"/c/{rakor.site.code}/{code}")
    assert response.status_code == 409
    assert "tidak cocok dengan lokasi ini" in text(response)


def test_personal_link_of_another_meeting_is_refused(app, rakor):
    other = Rakor(title="Rapat Lain")
    participant = phone(app)
    open_personal_link(participant, other.invitee(0))
    path = rakor.scan_path()
    page = participant.get(path)
    assert page.status_code == 200
    assert "Cari nama Anda" in text(page)  # no one-tap: the link is for another meeting
    # A forged one-tap request (the form of the walk-in page, which carries csrf and nonce).
    form_page = text(participant.get(path + "?walkin=1"))
    refused = post_from(participant, path, form_page, action="link")
    assert refused.status_code == 409
    assert "Tidak terdaftar sebagai undangan rapat ini" in text(refused)
    assert count(Attendance) == 0


def test_one_tap_is_refused_after_the_pass_runs_out(app, rakor, monkeypatch):
    participant = phone(app)
    open_personal_link(participant, rakor.invitee(0))
    path = rakor.scan_path()
    page = text(participant.get(path))
    later = time.time() + 270  # past the 4-minute pass
    monkeypatch.setattr(time, "time", lambda: later)
    response = post_from(participant, path, page, action="link")
    assert response.status_code == 409
    assert "pindai lagi" in text(response)
    assert "nonce" in hidden_fields(page)


def test_staff_screens_join_by_meeting_id(app, client, auth, rakor):
    auth.login("viewer")  # any staff account may watch the counts
    sio = socketio.test_client(
        app, namespace="/checkin", flask_test_client=client, auth={"meeting": str(rakor.meeting.id)}
    )
    assert sio.is_connected("/checkin")
    [first] = counts_events(sio)
    assert first["meeting"] == rakor.meeting.id
    assert (first["quorum"]["state"], first["quorum"]["met"]) == ("none", None)
    sio.disconnect(namespace="/checkin")


def test_the_kiosk_shows_no_quorum_line_when_the_meeting_sets_none(app, client, auth, rakor):
    """Without a share of members or a site minimum, "Kuorum tercapai" would say nothing."""
    auth.login(user=rakor.staff)
    html = text(client.get(f"/kiosk/{rakor.site.code}"))
    assert re.search(r'<p class="kiosk-quorum" id="kiosk-quorum"[^>]* hidden[\s>]', html)
    rakor.meeting.quorum_kind, rakor.meeting.quorum_value = QuorumKind.AT_LEAST, 50
    db.session.commit()
    html = text(client.get(f"/kiosk/{rakor.site.code}"))
    assert not re.search(r'<p class="kiosk-quorum" id="kiosk-quorum"[^>]* hidden[\s>]', html)
    assert "Kuorum belum tercapai" in html
