"""Self check-in from a phone: second factor, stand-in, walk-in, refusals, retries, online."""

from __future__ import annotations

import re
import time

import pytest

from meetcoord.checkin import codes, selfservice
from meetcoord.checkin.models import Attendance, CheckinMethod
from meetcoord.directory.models import Person
from meetcoord.meetings import invitations, links
from tests.helpers import count, text
from tests.kiosk_support import Rakor, hidden_fields, open_personal_link, phone, post_from


@pytest.fixture
def rakor() -> Rakor:
    return Rakor()


def choose(participant, rakor: Rakor, n: int) -> tuple[str, str]:
    """Scan, find oneself in the list, open the confirmation form: (path, its page)."""
    path = rakor.scan_path()
    listing = text(participant.get(path))
    assert "Cari nama Anda" in listing
    assert "0812" not in listing  # names and agencies only, never phone numbers
    inv = rakor.invitee(n)
    page = participant.get(path, query_string={"who": inv.id})
    assert page.status_code == 200
    return path, text(page)


def test_list_search_shows_names_and_agencies(app, rakor):
    participant = phone(app)
    path = rakor.scan_path()
    participant.get(path)
    found = text(participant.get(path, query_string={"q": "uji 1"}))
    assert "Peserta Uji 1" in found
    assert "Peserta Uji 2" not in found
    assert "Dinas Ketahanan Pangan SBD" in found


def test_second_factor_wrong_then_right(app, rakor):
    participant = phone(app)
    path, page = choose(participant, rakor, 1)
    wrong = post_from(participant, path, page, action="confirm", last_four="0000")
    assert wrong.status_code == 409
    assert "Empat angka terakhir nomor telepon tidak cocok" in text(wrong)
    assert "Coba lagi" in text(wrong)
    assert count(Attendance) == 0
    _path, page = choose(participant, rakor, 1)
    right = post_from(participant, path, page, action="confirm", last_four="7891")
    assert right.status_code == 200
    assert "Selamat datang, Peserta Uji 1" in text(right)
    attendance = Attendance.query.one()
    assert (attendance.method, attendance.site_id) == (CheckinMethod.KIOSK_CONFIRMED, rakor.site.id)


def test_the_scan_pass_lets_a_slow_person_finish(app, rakor, monkeypatch):
    participant = phone(app)
    path, page = choose(participant, rakor, 0)
    later = time.time() + 90  # the code on the screen has changed four times since
    monkeypatch.setattr(time, "time", lambda: later)
    done = post_from(participant, path, page, action="confirm", last_four="7890")
    assert done.status_code == 200
    assert "Selamat datang" in text(done)


def test_the_scan_pass_lasts_four_minutes_on_the_phone_that_scanned(app, rakor, monkeypatch):
    """README and code agree: the pass is PASS_SECONDS (4 minutes), then "scan again"."""
    assert codes.PASS_SECONDS == 240
    scanned = time.time()
    slow, slower = phone(app), phone(app)
    path, slow_page = choose(slow, rakor, 0)
    _path, slower_page = choose(slower, rakor, 1)
    monkeypatch.setattr(time, "time", lambda: scanned + 230)
    done = post_from(slow, path, slow_page, action="confirm", last_four="7890")
    assert done.status_code == 200
    monkeypatch.setattr(time, "time", lambda: scanned + 250)
    late = post_from(slower, path, slower_page, action="confirm", last_four="7891")
    assert late.status_code == 409
    assert "Kode sudah kedaluwarsa" in text(late)
    assert count(Attendance) == 1


def test_a_forwarded_link_dies_with_its_code_not_with_the_pass(app, rakor, monkeypatch):
    """The pass stays in the scanning phone's browser: links on its pages do not carry it,
    so a link sent home is worth no more than the 40-second code in it."""
    scanned = time.time()
    at_the_venue, at_home = phone(app), phone(app)
    scan = at_the_venue.get(rakor.scan_path())
    cookie = scan.headers["Set-Cookie"]
    assert cookie.startswith("mc_scan=")
    assert all(part in cookie for part in ("Max-Age=240", "HttpOnly", "Path=/c/"))
    link = re.search(r'href="(/c/[^"]+\?who=[^"]+)"', text(scan)).group(1).replace("&amp;", "&")
    assert "p=" not in link
    monkeypatch.setattr(time, "time", lambda: scanned + 45)
    forwarded = at_home.get(link)
    assert forwarded.status_code == 409
    assert "Kode sudah kedaluwarsa" in text(forwarded)
    assert at_the_venue.get(link).status_code == 200  # the phone that scanned goes on


def test_stand_in_checks_in_for_the_official(app, rakor):
    participant = phone(app)
    path, page = choose(participant, rakor, 2)
    assert "Saya mewakili" in page
    missing = post_from(participant, path, page, action="confirm", last_four="7892", stand_in="1")
    assert missing.status_code == 422
    assert count(Attendance) == 0
    done = post_from(
        participant,
        path,
        page,
        action="confirm",
        last_four="7892",
        stand_in="1",
        stand_in_name="Drs. Umbu Rehi",
        stand_in_position="Sekretaris Dinas",
    )
    assert done.status_code == 200
    attendance = Attendance.query.one()
    assert (attendance.stand_in_name, attendance.stand_in_position) == (
        "Drs. Umbu Rehi",
        "Sekretaris Dinas",
    )
    assert attendance.person_id == rakor.invitee(2).person_id


def test_walk_in_is_registered_and_flagged(app, rakor):
    participant = phone(app)
    path = rakor.scan_path()
    participant.get(path)
    page = text(participant.get(path, query_string={"walkin": "1"}))
    invalid = post_from(participant, path, page, action="walkin", name="", category="")
    assert invalid.status_code == 422
    assert 'id="name-error"' in text(invalid)
    page = text(invalid)  # the form again, with a fresh nonce
    done = post_from(
        participant,
        path,
        page,
        action="walkin",
        name="Lalu Ahmad",
        organization="HIMASPI",
        position="Ketua",
        category="community_leader",
        gender="male",
        phone="0819 1111 2222",
    )
    assert done.status_code == 200
    assert "Selamat datang, Lalu Ahmad" in text(done)
    assert "peserta tambahan" in text(done)
    attendance = Attendance.query.filter_by(is_walk_in=True).one()
    assert attendance.walk_in_organization == "HIMASPI"
    assert attendance.method is CheckinMethod.WALK_IN
    assert Person.query.filter_by(name="Lalu Ahmad").count() == 1


def test_withdrawn_invitation_is_refused(app, rakor):
    participant = phone(app)
    path, page = choose(participant, rakor, 0)
    invitations.withdraw_invitation(rakor.staff, rakor.invitee(0))
    refused = post_from(participant, path, page, action="confirm", last_four="7890")
    assert refused.status_code == 409
    assert "Undangan ini sudah ditarik" in text(refused)
    assert count(Attendance) == 0


def test_a_retry_with_the_same_nonce_returns_the_first_answer(app, rakor):
    participant = phone(app)
    open_personal_link(participant, rakor.invitee(0))
    path = rakor.scan_path()
    page = text(participant.get(path))
    first = post_from(participant, path, page, action="link")
    again = post_from(participant, path, page, action="link")  # a double tap
    assert "Selamat datang, Peserta Uji 0" in text(first)
    assert "Selamat datang, Peserta Uji 0" in text(again)  # not "already checked in"
    assert count(Attendance) == 1
    later = post_from(participant, path, text(participant.get(path)), action="link")
    assert "Sudah hadir di Aula Bappeda SBD" in text(later)


def test_typed_code_through_the_manual_page(app, rakor):
    participant = phone(app)
    typed = selfservice.kiosk_codes(rakor.site)["typed_code"]
    page = participant.get("/c")
    form = hidden_fields(text(page))
    bad = participant.post("/c", data={**form, "site": "tidak-ada", "code": typed})
    assert bad.status_code == 422
    spaced = f"{typed[:3].lower()} {typed[3:]}"
    go = participant.post("/c", data={**form, "site": rakor.site.code.upper(), "code": spaced})
    assert go.status_code == 302
    assert go.headers["Location"] == f"/c/{rakor.site.code}/{typed}"
    chosen = participant.get(go.headers["Location"])
    assert chosen.status_code == 200
    assert "Cari nama Anda" in text(chosen)


def test_public_check_in_routes_are_rate_limited(app, rakor, monkeypatch):
    monkeypatch.setitem(app.config, "CHECKIN_RATE_LIMIT", "3 per minute")
    participant = phone(app)
    statuses = [participant.get("/c/tidak-ada/abc").status_code for _ in range(3)]
    assert statuses == [404] * 3
    blocked = participant.get(rakor.scan_path())  # shared by every public check-in route
    assert blocked.status_code == 429
    assert participant.get("/c").status_code == 429
    assert phone(app).get(rakor.scan_path()).status_code == 200  # another address


def test_online_join_records_online_attendance_once(app, rakor):
    participant = phone(app)
    inv = rakor.invitee(0)
    token = links.personal_token(inv)
    page = text(participant.get(f"/i/{token}"))
    assert f"/i/{token}/join" in page
    for _ in range(2):
        response = participant.get(f"/i/{token}/join")
        assert response.status_code == 302
        assert response.headers["Location"] == "https://zoom.example.com/j/123"
    attendance = Attendance.query.one()
    assert (attendance.site_id, attendance.method) == (None, CheckinMethod.ONLINE)


def test_personal_page_sets_the_link_cookie(app, rakor):
    participant = phone(app)
    response = participant.get(f"/i/{links.personal_token(rakor.invitee(0))}")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("mc_links=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    forged = phone(app)
    forged.set_cookie("mc_links", "bukan-tanda-tangan")
    page = forged.get(rakor.scan_path())
    assert "Cari nama Anda" in text(page)  # a forged cookie is simply ignored


def test_checkin_rate_limit_setting_is_validated(tmp_path):
    from meetcoord.config import ConfigError, load_config

    good = load_config({"MEETCOORD_CHECKIN_RATE_LIMIT": "20 per minute"}, instance_path=tmp_path)
    assert good["CHECKIN_RATE_LIMIT"] == "20 per minute"
    with pytest.raises(ConfigError, match="MEETCOORD_CHECKIN_RATE_LIMIT"):
        load_config({"MEETCOORD_CHECKIN_RATE_LIMIT": "banyak"}, instance_path=tmp_path)


def test_wrong_digits_are_limited_per_invitee_from_any_address(app, rakor):
    participant = phone(app)
    path, page = choose(participant, rakor, 1)
    fields = hidden_fields(page)
    for n in range(10):
        wrong = participant.post(
            path,
            data={**fields, "nonce": f"guess-{n}", "action": "confirm", "last_four": f"{n:04d}"},
        )
        assert wrong.status_code == 409
    elsewhere = phone(app)
    path, page = choose(elsewhere, rakor, 1)
    blocked = post_from(elsewhere, path, page, action="confirm", last_four="7891")
    assert blocked.status_code == 429
    assert count(Attendance) == 0
    _path, page = choose(elsewhere, rakor, 0)  # another invitee is not affected
    assert post_from(elsewhere, path, page, action="confirm", last_four="7890").status_code == 200


def test_stand_in_form_with_a_forged_invitation_id_is_a_bad_request(app, rakor):
    participant = phone(app)
    path, page = choose(participant, rakor, 0)
    for forged in ("abc", "999999"):
        response = post_from(
            participant, path, page, action="confirm", invitation_id=forged, stand_in="1"
        )
        assert response.status_code == 400
    assert count(Attendance) == 0


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_every_spelling_of_an_invitee_shares_one_count_across_sites(app, rakor):
    """``03``, ``0003``, an upper-case site code, another site of the meeting: one invitee,
    one count of ten wrong guesses, and then even the right digits wait."""
    target = rakor.invitee(1)
    guesser = phone(app)
    here = rakor.scan_path()
    upper = here.replace(rakor.site.code, rakor.site.code.upper())
    there = rakor.scan_path(rakor.other_site)
    spellings = [
        (here, str(target.id)),
        (here, f"0{target.id}"),
        (upper, f"000{target.id}"),
        (there, str(target.id)),
        (there, f" 00{target.id}"),
    ]
    token = hidden_fields(text(guesser.get(here)))["csrf_token"]
    for n in range(10):
        path, spelled = spellings[n % len(spellings)]
        wrong = guesser.post(
            path,
            data={
                "csrf_token": token,
                "nonce": f"spell-{n}",
                "action": "confirm",
                "invitation_id": spelled,
                "last_four": f"{n:04d}",
            },
        )
        assert wrong.status_code == 409, (path, spelled, text(wrong)[:300])
    elsewhere = phone(app)
    right = elsewhere.post(
        upper,
        data={
            "csrf_token": hidden_fields(text(elsewhere.get(here)))["csrf_token"],
            "nonce": "spell-right",
            "action": "confirm",
            "invitation_id": f"0{target.id}",
            "last_four": "7891",
        },
    )
    assert right.status_code == 429
    assert count(Attendance) == 0


def test_only_ascii_digits_name_an_invitee_or_confirm_one(app, rakor):
    target = rakor.invitee(1)
    participant = phone(app)
    path, page = choose(participant, rakor, 1)
    fields = {**hidden_fields(page), "action": "confirm"}
    other_script = str(target.id).translate(ARABIC_INDIC)
    named = participant.post(
        path, data={**fields, "nonce": "ar-1", "invitation_id": other_script, "last_four": "7891"}
    )
    assert named.status_code == 400
    listing = participant.get(path, query_string={"who": other_script})
    assert "Cari nama Anda" in text(listing)  # not the confirmation form of invitee 1
    for n, typed in enumerate(("٧٨٩١", "12347891", "78a91")):
        refused = participant.post(path, data={**fields, "nonce": f"ar-d{n}", "last_four": typed})
        assert refused.status_code == 409
        assert "Ketik tepat empat angka 0–9" in text(refused)
    assert count(Attendance) == 0
    spaced = participant.post(path, data={**fields, "nonce": "ar-ok", "last_four": "78 91"})
    assert spaced.status_code == 200
