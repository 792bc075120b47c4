"""The attacks of issue 11 (points 1-5) over HTTP against one real server process.

The server runs as ``python -m meetcoord.server`` (what `meetcoord serve` execs) under
eventlet, on SQLite (or on a PostgreSQL database of its own when
``MEETCOORD_TEST_BACKEND=postgres`` and ``MEETCOORD_TEST_DATABASE_URL`` are set), behind
one trusted proxy (``MEETCOORD_PROXY_COUNT=1``: each test browser says its own address in
``X-Forwarded-For``, as nginx would). ``tests.attack_support`` seeds it in its own process.

Each test is one attack as an outsider, a staff login or a forwarded link would make it,
with real HTTP (``requests``) and python-socketio's own client on the live room. Each
asserts the refusal *and* that nothing changed, reading the server's database afterwards
(or the API); where a refusal could hide a broken door, the rightful way through is shown
to work too. The server's log must hold no traceback (checked after every watched attack
and once more when the module ends).
"""

from __future__ import annotations

import io
import re
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import socketio
from openpyxl import load_workbook

from meetcoord.checkin import codes
from tests import factories
from tests.attack_clients import (
    AttackServer,
    Browser,
    Database,
    bearer,
    form,
    hidden_fields,
    watched,
)
from tests.attack_support import running
from tests.documents_support import code_in
from tests.live_support import NAMESPACE, TIMEOUT, LiveClient
from tests.support import http_get
from tests.untrusted_files import (
    P12_PASSPHRASE,
    bomb_pdf,
    hidden_bomb_pdf,
    pkcs12_file,
    slow_pkcs12,
)

HEALTHZ_BUDGET = 0.2
API = "/api/v1"
PAGE = "/directory/organizations"  # any page that needs a sign-in
LIVE_BUDGET = 20  # MEETCOORD_LIVE_RATE_LIMIT below: commands per participant per 10 s
ACCOUNT_LOCK = 10  # MEETCOORD_LOGIN_ACCOUNT_RATE_LIMIT's default: failures per account
ADDRESS_LIMIT = 10  # MEETCOORD_LOGIN_RATE_LIMIT's default: sign-ins per address a minute
HUGE = 2**63


@pytest.fixture(scope="module")
def attack_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AttackServer]:
    """One seeded eventlet server for the whole module; its log must stay clean."""
    with running(
        tmp_path_factory.mktemp("attack"),
        MEETCOORD_SANDBOX_CPU_SECONDS="2",
        MEETCOORD_PROXY_COUNT="1",
        MEETCOORD_LIVE_RATE_LIMIT=f"{LIVE_BUDGET} per 10 seconds;200 per hour",
    ) as server:
        yield server


def document_state(db: Database, document_id: int) -> dict[str, Any]:
    """What a signature would change: the document row, its signatories and its files."""
    return {
        "document": db.rows(
            "SELECT status, version, sha256, signed_at FROM documents WHERE id = :id",
            id=document_id,
        ),
        "signatories": db.rows(
            "SELECT id, signed_at, factor, key_source FROM document_signatories "
            "WHERE document_id = :id ORDER BY position",
            id=document_id,
        ),
        "files": db.count("document_files", "document_id = :id", id=document_id),
    }


# --- point 1: a signature only the signatory can make -------------------------------------


def test_point1_staff_pages_and_the_invitations_api_hold_no_personal_link(
    attack_server: AttackServer,
) -> None:
    """Point 1: a secretariat login reads the meeting pages and the invitations API of
    three meetings (one whose minutes went round by mail) and finds no personal link."""
    seeded = attack_server.seeded
    staff = attack_server.signed_in_as("staff")
    meetings = (seeded["meeting"], seeded["signing"]["meeting"], seeded["live"]["meeting"])
    answers = []
    for meeting in meetings:
        # The meeting page's tabs (issue 16); the invitees tab first: it lists the people.
        tabs = ("invitees", "overview", "sites", "agenda", "checkin", "live", "documents")
        for path, headers in (
            *((f"/meetings/{meeting}?tab={tab}", {}) for tab in tabs),
            (f"/meetings/{meeting}/documents", {}),
            (f"{API}/meetings/{meeting}/invitations", bearer(seeded["staff_token"])),
            (f"{API}/meetings/{meeting}/invitations", {}),  # the session cookie
        ):
            response = staff.get(path, headers=headers)
            assert response.status_code == 200, (path, response.text[:300])
            answers.append((path, response.text))
    assert len(seeded["personal_tokens"]) == 3 * 7  # seven invitees a meeting
    for path, body in answers:
        assert not [t for t in seeded["personal_tokens"] if t in body], path
        assert not re.search(r"/i/[A-Za-z0-9_-]{20,}", body), path
    assert "Kirim ulang tautan" in answers[0][1]


def test_point1_a_forwarded_link_cannot_sign_and_the_code_reaches_only_the_mailbox(
    attack_server: AttackServer,
) -> None:
    """Point 1: whoever holds the chair's forwarded link opens the minutes and presses
    every button (page form and API): without the one-time code nothing is signed. The
    code goes to the chair's own address only (the outbox row's mail) and appears in no
    HTTP answer; read from that mail, it signs, and the signatory row says so."""
    seeded, db = attack_server.seeded, attack_server.database
    signing = seeded["signing"]
    doc = signing["minutes"]
    page = f"/i/{signing['chair_token']}/documents/{doc}"
    api = f"{API}/i/{signing['chair_token']}/documents/{doc}"
    forwarded = Browser(attack_server)
    assert forwarded.get(page).status_code == 200
    before = document_state(db, doc)

    bare = forwarded.submit(f"{page}/sign", {"key": "code"})
    assert bare.status_code == 422
    assert "Masukkan kode 6 angka" in bare.text
    old_form = forwarded.submit(f"{page}/sign", {"key": "ca"})  # the link-only form of old
    assert old_form.status_code == 422
    no_code = forwarded.post(f"{api}/sign", files=form(passphrase=""))
    assert no_code.status_code == 422, no_code.text
    assert "code" in no_code.json()["errors"]
    assert document_state(db, doc) == before

    # Asking for a code mails it to the chair; the answer names the address masked.
    sent = forwarded.post(f"{api}/sign-code")
    assert sent.status_code == 202, sent.text
    assert signing["chair_email"] not in sent.text
    (recipient, raw), *_ = db.rows(
        "SELECT recipient, message FROM outbox_messages WHERE kind = 'signing_code' "
        "ORDER BY id DESC"
    )
    assert recipient == signing["chair_email"]
    code = code_in(bytes(raw))
    guess = "000000" if code != "000000" else "111111"
    wrong = forwarded.submit(f"{page}/sign", {"key": "code", "code": guess})
    assert wrong.status_code == 422
    assert "Sisa 4 kali" in wrong.text
    wrong_api = forwarded.post(f"{api}/sign", files=form(code=guess))
    assert wrong_api.status_code == 422
    assert document_state(db, doc) == before

    # The chair, with the code from their own mailbox, signs through the page.
    chair = Browser(attack_server)
    chair.get(page)
    signed = chair.submit(f"{page}/sign", {"key": "code", "code": code})
    assert signed.status_code == 302, signed.text[:500]
    assert chair.get(page).status_code == 200
    first, *_ = document_state(db, doc)["signatories"]
    assert first.signed_at is not None
    assert (first.factor, first.key_source) == ("email_code", "ca")
    assert db.count("signing_codes", "signatory_id = :id AND used_at IS NOT NULL", id=first.id)

    # No answer showed the code: not the link's pages, not the staff's, not the outbox.
    admin = attack_server.signed_in_as("admin")
    for path in ("/outbox", f"/documents/{doc}", f"{API}/documents/{doc}"):
        assert admin.get(path).status_code == 200, path
    assert "Kode tanda tangan" in admin.get("/outbox").text
    leaked = [a for a in attack_server.answers if re.search(rf"(?<!\d){code}(?!\d)", a)]
    assert leaked == [], leaked[0][:300]
    others = "kind = 'signing_code' AND recipient != :email"
    assert db.count("outbox_messages", others, email=signing["chair_email"]) == 0


def test_point1_a_self_signed_ketua_rapat_pkcs12_is_refused_at_signing(
    attack_server: AttackServer,
) -> None:
    """Point 1: a certificate anyone can make, named "Ketua Rapat", offered with the
    chair's link through the API and through the page: refused beside the field, nothing
    signed."""
    seeded, db = attack_server.seeded, attack_server.database
    doc = seeded["minutes"]
    page = f"/i/{seeded['chair_token']}/documents/{doc}"
    certificate = ("ketua.p12", pkcs12_file())
    before = document_state(db, doc)
    link = Browser(attack_server)

    api = link.post(
        f"{API}/i/{seeded['chair_token']}/documents/{doc}/sign",
        files={"certificate": certificate, **form(passphrase=P12_PASSPHRASE)},
    )
    assert api.status_code == 422, api.text
    assert "penerbitnya tidak termasuk" in api.json()["errors"]["certificate"][0]

    link.get(page)
    on_page = link.post(
        f"{page}/sign",
        files={
            "certificate": certificate,
            **form(csrf_token=link.csrf or "", key="pkcs12", passphrase=P12_PASSPHRASE),
        },
    )
    assert on_page.status_code == 422
    assert "penerbitnya tidak termasuk" in on_page.text
    assert 'id="certificate-error"' in on_page.text
    assert document_state(db, doc) == before


# --- point 2: no upload may freeze the service ----------------------------------------------


def verify_upload(server: AttackServer, pdf: bytes) -> tuple[int, dict[str, Any], float]:
    started = time.perf_counter()
    status, body = server.post(f"{API}/verify", files={"file": ("notulen.pdf", pdf)})
    return status, body, time.perf_counter() - started


def test_point2_healthz_answers_while_bomb_pdfs_are_verified(attack_server: AttackServer) -> None:
    """Point 2: a zlib-bomb cross-reference stream, and one the byte scan misses, posted
    anonymously to /verify: 422 each, /healthz under 200 ms throughout."""

    def attack() -> list[tuple[int, dict[str, Any], float]]:
        return [verify_upload(attack_server, pdf) for pdf in (bomb_pdf(), hidden_bomb_pdf())]

    answers, watch = watched(attack_server, attack)
    (status, body, _took), (hidden_status, hidden_body, hidden_took) = answers
    assert status == 422, body
    assert body["errors"]["file"][0].startswith("Berkas ini tidak dapat diperiksa")
    assert hidden_status == 422, hidden_body
    assert hidden_took > 1.0  # parsed until the sandbox's CPU limit stopped it
    assert max(watch.latencies) < HEALTHZ_BUDGET, sorted(watch.latencies)[-5:]


def test_point2_healthz_answers_while_a_slow_pkcs12_is_offered_for_signing(
    attack_server: AttackServer,
) -> None:
    """Point 2: a PKCS#12 with 20 million key-derivation rounds: refused before it is
    parsed, /healthz under 200 ms, the minutes unsigned."""
    seeded = attack_server.seeded
    path = f"{API}/i/{seeded['chair_token']}/documents/{seeded['minutes']}/sign"
    before = document_state(attack_server.database, seeded["minutes"])

    def attack() -> tuple[int, dict[str, Any]]:
        return attack_server.post(
            path,
            files={"certificate": ("ketua.p12", slow_pkcs12())},
            fields={"passphrase": P12_PASSPHRASE},
        )

    (status, body), watch = watched(attack_server, attack)
    assert status == 422, body
    assert "putaran penurunan kunci" in body["errors"]["certificate"][0]
    assert max(watch.latencies) < HEALTHZ_BUDGET, sorted(watch.latencies)[-5:]
    assert document_state(attack_server.database, seeded["minutes"]) == before


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2", "tidak menghasilkan rapat lain"),
        ("FREQ=DAILY;BYHOUR=25;COUNT=2", "BYHOUR tidak dipakai"),
        ("FREQ=MINUTELY;COUNT=2", "FREQ harus DAILY"),
    ],
)
def test_point2_impossible_or_unsupported_rules_are_422_without_a_stall(
    attack_server: AttackServer, rule: str, reason: str
) -> None:
    """Point 2: recurrence rules that never end, fail while iterating or are not allowed:
    a clear 422 at once, /healthz under 200 ms, no series stored."""
    seeded, db = attack_server.seeded, attack_server.database
    series = db.count("meeting_series")

    def attack() -> tuple[int, dict[str, Any]]:
        return attack_server.post(
            f"{API}/meetings/{seeded['meeting']}/series",
            json_body={"rrule": rule},
            headers=bearer(seeded["staff_token"]),
        )

    (status, body), watch = watched(attack_server, attack)
    assert status == 422, body
    assert reason in body["errors"]["rrule"][0]
    assert max(watch.latencies) < HEALTHZ_BUDGET, sorted(watch.latencies)[-5:]
    assert db.count("meeting_series") == series


# --- point 3: sign-ins end when they should ---------------------------------------------------


def test_point3_logout_ends_a_copied_session_cookie(attack_server: AttackServer) -> None:
    """Point 3: a session cookie copied before logout (a shared office computer, a stolen
    cookie) signs nobody in afterwards: the page sends it to the login form, the API
    answers 401 even with the page's CSRF token, nothing is written."""
    seeded, db = attack_server.seeded, attack_server.database
    leaver = seeded["accounts"]["leaver"]
    laptop = Browser(attack_server)
    assert laptop.login(leaver["email"], seeded["password"]).status_code == 302
    stolen = laptop.copy("session")
    assert stolen.signed_in()  # the copy works while the sign-in stands
    assert stolen.get(f"{API}/meetings").status_code == 200

    assert laptop.submit("/logout", {}).status_code == 302
    assert not laptop.signed_in()
    page = stolen.get(PAGE)
    assert page.status_code == 302
    assert urlsplit(page.headers["Location"]).path == "/login"
    assert stolen.get(f"{API}/meetings").status_code == 401
    organizations = db.count("organizations")
    forged = stolen.post(
        f"{API}/organizations",
        json={"name": "Dinas Siluman", "kind": "opd", "level": "regency"},
        headers={"X-CSRFToken": stolen.csrf or ""},
    )
    assert forged.status_code == 401
    assert db.count("organizations") == organizations
    assert db.count("login_sessions", "user_id = :id", id=leaver["id"]) == 0


def test_point3_logout_ends_a_copied_remember_me_cookie(attack_server: AttackServer) -> None:
    """Point 3: the remember-me cookie alone, copied before logout, no longer signs in."""
    seeded, db = attack_server.seeded, attack_server.database
    who = seeded["accounts"]["remembered"]
    laptop = Browser(attack_server)
    assert laptop.login(who["email"], seeded["password"], remember=True).status_code == 302
    assert "remember_token" in laptop.session.cookies
    kept = laptop.copy("remember_token")
    assert kept.signed_in()  # no session cookie: signed in by the remember-me cookie
    assert laptop.submit("/logout", {}).status_code == 302
    assert not kept.signed_in()
    assert not laptop.copy("remember_token").signed_in()
    assert kept.get(f"{API}/meetings").status_code == 401
    assert db.count("login_sessions", "user_id = :id", id=who["id"]) == 0


def test_point3_an_admin_password_reset_ends_other_sign_ins_and_the_api_token(
    attack_server: AttackServer,
) -> None:
    """Point 3: after an administrator resets a password, the account's open sign-in, a
    copy of its remember-me cookie and its API token stop working; the administrator stays
    signed in; only the new password signs in."""
    seeded, db = attack_server.seeded, attack_server.database
    who = seeded["accounts"]["reset"]
    desk = Browser(attack_server)
    assert desk.login(who["email"], seeded["password"], remember=True).status_code == 302
    remembered = desk.copy("remember_token")
    token = bearer(seeded["reset_token"])
    assert desk.signed_in()
    assert remembered.signed_in()
    assert Browser(attack_server).get(f"{API}/tokens", headers=token).status_code == 200

    admin = attack_server.signed_in_as("admin")
    assert admin.get(f"/admin/users/{who['id']}").status_code == 200
    new_password = "Loura-Kodi-Weekuri-2026"
    reset = admin.submit(f"/admin/users/{who['id']}/password", {"password": new_password})
    assert reset.status_code == 302, reset.text[:500]

    assert not desk.signed_in()
    assert not remembered.signed_in()
    assert Browser(attack_server).get(f"{API}/tokens", headers=token).status_code == 401
    assert admin.signed_in()
    assert db.count("login_sessions", "user_id = :id", id=who["id"]) == 0
    assert db.count("api_tokens", "user_id = :id AND revoked_at IS NULL", id=who["id"]) == 0
    assert Browser(attack_server).login(who["email"], seeded["password"]).status_code == 401
    assert Browser(attack_server).login(who["email"], new_password).status_code == 302


def test_point3_a_token_revoked_through_the_api_gets_401(attack_server: AttackServer) -> None:
    """Point 3: a token lists itself, creates a record, revokes itself through the API;
    afterwards every call with it is 401 and writes nothing."""
    seeded, db = attack_server.seeded, attack_server.database
    token = seeded["revocable"]
    headers = bearer(token["secret"])
    api = Browser(attack_server)
    listing = api.get(f"{API}/tokens", headers=headers)
    assert listing.status_code == 200
    assert token["id"] in [item["id"] for item in listing.json()["items"]]
    body = {"kind": "opd", "level": "regency"}
    made = api.post(
        f"{API}/organizations", json={"name": "Dinas Uji Token", **body}, headers=headers
    )
    assert made.status_code == 201, made.text

    assert api.request("DELETE", f"{API}/tokens/{token['id']}", headers=headers).status_code == 204
    assert api.get(f"{API}/tokens", headers=headers).status_code == 401
    organizations = db.count("organizations")
    after = api.post(
        f"{API}/organizations", json={"name": "Dinas Siluman", **body}, headers=headers
    )
    assert after.status_code == 401
    assert db.count("organizations") == organizations
    assert db.scalar("SELECT revoked_at FROM api_tokens WHERE id = :id", id=token["id"])


# --- point 4: brute force -------------------------------------------------------------------

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def scan_path(site: dict[str, Any], *, upper: bool = False) -> str:
    """The kiosk's current QR link of ``site`` (what a phone in the room scans)."""
    code = codes.url_code(bytes.fromhex(site["secret"]), codes.window_at(time.time()))
    return f"/c/{site['code'].upper() if upper else site['code']}/{code}"


def confirm(server: AttackServer, path: str, invitation_id: str, digits: str) -> Any:
    """A phone scans ``path``, picks an invitee by id and types four digits."""
    phone = Browser(server)
    page = phone.get(path)
    assert page.status_code == 200, page.text[:300]
    fields = hidden_fields(page.text)
    data = {"action": "confirm", "invitation_id": invitation_id, "last_four": digits}
    return phone.post(path, data={**fields, "nonce": uuid.uuid4().hex, **data})


def test_point4_phone_digit_guesses_share_one_count_per_invitee_across_spellings(
    attack_server: AttackServer,
) -> None:
    """Point 4: ten wrong guesses of one invitee's phone digits, spelt ``03``, ``0003``,
    with an upper-case site code, at the other site, with Arabic-Indic digits, each from
    its own phone and address: one count. Then the right digits do not check the stranger
    in; Arabic-Indic digits never name an invitee; another invitee still gets in."""
    seeded, db = attack_server.seeded, attack_server.database
    live = seeded["live"]
    here, there = live["sites"]
    target, right = str(live["guessed"]["id"]), live["guessed"]["last_four"]
    spellings = [
        (scan_path(here), target),
        (scan_path(here), "0" + target),
        (scan_path(here, upper=True), "000" + target),
        (scan_path(there), target),
        (scan_path(there, upper=True), " 00" + target),
    ]
    wrong = [f"{n}{n}{n}{n}" for n in range(10) if f"{n}{n}{n}{n}" != right][:8]
    guesses = [*wrong, right.translate(ARABIC_INDIC), "0000".translate(ARABIC_INDIC)]
    for n, digits in enumerate(guesses):
        path, spelled = spellings[n % len(spellings)]
        refused = confirm(attack_server, path, spelled, digits)
        assert refused.status_code == 409, (path, spelled, digits, refused.text[:300])
    other_script = confirm(attack_server, scan_path(here), target.translate(ARABIC_INDIC), right)
    assert other_script.status_code == 400

    locked = confirm(attack_server, scan_path(there, upper=True), "0" + target, right)
    assert locked.status_code == 429
    assert db.count("attendances", "invitation_id = :id", id=live["guessed"]["id"]) == 0

    checker = live["checker"]
    welcome = confirm(attack_server, scan_path(here), str(checker["id"]), checker["last_four"])
    assert welcome.status_code == 200, welcome.text[:300]
    assert "Selamat datang" in welcome.text
    assert db.count("attendances", "invitation_id = :id", id=checker["id"]) == 1


def login_page(response: Any, email: str) -> str:
    """The answer to a sign-in, without what differs by request (the CSRF token, the
    address typed, the clock in a lock message)."""
    body = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", response.text.replace(email, "@"))
    return re.sub(r"\d", "#", body)


def test_point4_login_locks_an_account_from_any_address_and_unknown_reads_the_same(
    attack_server: AttackServer,
) -> None:
    """Point 4: ten wrong passwords for one account, each from its own address, lock it:
    the right password is then refused too, and no sign-in is recorded. An address with no
    account gets the same answers, the same lock and the same message, and costs the same
    time (a password hash is checked either way)."""
    seeded, db = attack_server.seeded, attack_server.database
    locked = seeded["accounts"]["locked"]
    known, unknown = locked["email"], "tidak.ada.akun@bappeda.example.go.id"
    answers: dict[str, list[str]] = {known: [], unknown: []}
    took: dict[str, list[float]] = {known: [], unknown: []}
    for _ in range(ACCOUNT_LOCK):
        for email in (known, unknown):
            browser = Browser(attack_server)
            browser.get("/login")
            started = time.perf_counter()
            wrong = browser.submit("/login", {"email": email, "password": "salah-sandi-123"})
            took[email].append(time.perf_counter() - started)
            assert wrong.status_code == 401
            assert "Email atau kata sandi salah." in wrong.text
            answers[email].append(login_page(wrong, email))
    assert answers[known] == answers[unknown]
    assert min(took[unknown]) > 0.5 * min(took[known]), (took[unknown], took[known])

    refusals = {}
    for email in (known, unknown):
        late = Browser(attack_server).login(email, seeded["password"])
        assert late.status_code == 429
        assert "dikunci sementara" in late.text
        refusals[email] = login_page(late, email)
    assert refusals[known] == refusals[unknown]
    assert db.count("login_sessions", "user_id = :id", id=locked["id"]) == 0


def test_point4_login_is_limited_per_address(attack_server: AttackServer) -> None:
    """Point 4: one address trying many accounts is stopped by the per-address limit,
    even for a right password, and nobody is signed in."""
    seeded, db = attack_server.seeded, attack_server.database
    staff = seeded["accounts"]["staff"]
    browser = Browser(attack_server)
    for n in range(ADDRESS_LIMIT):
        wrong = browser.login(f"tebakan{n}@bappeda.example.go.id", "salah-sandi-123")
        assert wrong.status_code == 401
    sessions = db.count("login_sessions", "user_id = :id", id=staff["id"])
    stopped = browser.login(staff["email"], seeded["password"])
    assert stopped.status_code == 429
    assert not browser.signed_in()
    assert db.count("login_sessions", "user_id = :id", id=staff["id"]) == sessions
    assert attack_server.signed_in_as("staff").signed_in()  # from another address: signed in


# --- point 5: smaller holes -----------------------------------------------------------------

OFF_SITE = (
    "/%09/evil.example",
    "/%0a/evil.example",
    "%0a//evil.example",
    "/%0d%0a/x",
    "/%5Cevil.example",
)


def assert_stays_home(server: AttackServer, response: Any) -> None:
    assert response.status_code == 302, response.text[:300]
    location = response.headers["Location"]
    assert urlsplit(urljoin(server.url + "/", location)).netloc == urlsplit(server.url).netloc
    assert urlsplit(location).path == "/", location  # the fallback, nothing of the target


def test_point5_next_targets_never_lead_off_site_and_never_500(
    attack_server: AttackServer,
) -> None:
    """Point 5: ``next=/%09/evil.example`` (a browser drops the tab and reads
    ``//evil.example``), its line-break cousins (``%0a`` answered 500) and a backslash, on
    the sign-in form, when signed in already, and on the language switch."""
    seeded = attack_server.seeded
    for raw in OFF_SITE:
        browser = Browser(attack_server)
        query = "?next=" + raw
        assert_stays_home(
            attack_server,
            browser.login(
                seeded["accounts"]["redirected"]["email"], seeded["password"], query=query
            ),
        )
        assert_stays_home(attack_server, browser.get("/login" + query))
        switched = browser.submit("/lang", {"lang": "id", "next": unquote(raw)})
        assert_stays_home(attack_server, switched)


def live_connect(server: AttackServer, transport: str, origin: str | None) -> bool:
    """Whether python-socketio's client gets into the live room from ``origin``."""
    live = server.seeded["live"]
    options = {"origin": origin} if origin and transport == "websocket" else {}
    client = socketio.Client(reconnection=False, websocket_extra_options=options)
    try:
        client.connect(
            server.url,
            namespaces=[NAMESPACE],
            auth={"meeting": live["meeting"], "token": live["tokens"]["participant"]},
            transports=[transport],
            headers={"Origin": origin} if origin and transport == "polling" else {},
            wait_timeout=TIMEOUT,
        )
    except socketio.exceptions.ConnectionError:
        return False
    finally:
        connected = client.connected
        if connected:
            client.disconnect()
        client.shutdown()
    return connected


def test_point5_a_page_on_another_origin_cannot_open_the_live_room(
    attack_server: AttackServer,
) -> None:
    """Point 5: a browser on ``https://evil.example`` (websocket and long-polling) is
    refused at the handshake; the service's own origin is let in."""
    db, meeting = attack_server.database, attack_server.seeded["live"]["meeting"]
    events = db.count("meeting_events", "meeting_id = :id", id=meeting)
    for transport in ("websocket", "polling"):
        assert not live_connect(attack_server, transport, "https://evil.example"), transport
        assert live_connect(attack_server, transport, attack_server.url), transport
    assert db.count("meeting_events", "meeting_id = :id", id=meeting) == events


@pytest.fixture
def live_clients(attack_server: AttackServer) -> Iterator[Callable[[str], LiveClient]]:
    made: list[LiveClient] = []

    def make(role: str) -> LiveClient:
        made.append(LiveClient(attack_server.server, attack_server.seeded["live"], role))
        return made[-1]

    yield make
    for client in made:
        client.close()


def test_point5_a_command_flood_is_rate_limited_and_stores_at_most_the_budget(
    attack_server: AttackServer, live_clients: Callable[[str], LiveClient]
) -> None:
    """Point 5: one invitee asks to speak and withdraws, over and over: the first
    ``LIVE_BUDGET`` commands are stored, the rest answered ``rate_limited`` and stored
    nowhere; reconnecting buys nothing; the chair is not held up."""
    db, meeting = attack_server.database, attack_server.seeded["live"]["meeting"]
    flooder = live_clients("ambon_participant")
    before = db.count("meeting_events", "meeting_id = :id", id=meeting)
    acks, request_id = [], None
    for _ in range(LIVE_BUDGET + 10):
        if request_id is None:
            ack = flooder.call("speaker.request")
            request_id = ack.get("id") if ack["ok"] else None
        else:
            ack = flooder.call("speaker.withdraw", request_id=request_id)
            request_id = None if ack["ok"] else request_id
        acks.append(ack)
    assert all(a["ok"] for a in acks[:LIVE_BUDGET]), acks[:LIVE_BUDGET]
    over = acks[LIVE_BUDGET:]
    assert all(a["error"]["code"] == "rate_limited" for a in over), over
    assert db.count("meeting_events", "meeting_id = :id", id=meeting) - before == LIVE_BUDGET

    again = live_clients("ambon_participant")
    assert again.call("speaker.request")["error"]["code"] == "rate_limited"
    chair = live_clients("chair")
    assert chair.call("decision.record", text="Rapat dilanjutkan")["ok"]
    assert db.count("meeting_events", "meeting_id = :id", id=meeting) - before == LIVE_BUDGET + 1


def test_point5_a_one_megabyte_frame_is_refused_and_the_server_serves_on(
    attack_server: AttackServer, live_clients: Callable[[str], LiveClient]
) -> None:
    """Point 5: a 1 MB Socket.IO frame closes that socket before it is parsed; nothing is
    stored, /healthz answers throughout, and the next connection works."""
    db, meeting = attack_server.database, attack_server.seeded["live"]["meeting"]
    taker = live_clients("minute_taker")
    before = db.count("meeting_events", "meeting_id = :id", id=meeting)

    def attack() -> bool:
        taker.sio.emit(
            "decision.record", {"nonce": "besar", "text": "x" * 1_000_000}, namespace=NAMESPACE
        )
        deadline = time.monotonic() + TIMEOUT
        while taker.sio.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        return taker.sio.connected

    still_open, _watch = watched(attack_server, attack)
    assert not still_open, "the socket stayed open"
    assert db.count("meeting_events", "meeting_id = :id", id=meeting) == before
    assert http_get(attack_server.url + "/healthz")[0] == 200
    again = live_clients("minute_taker")
    assert again.call("decision.record", text="Notulen disimpan")["ok"]


def test_point5_a_desk_scan_dated_1990_is_refused(attack_server: AttackServer) -> None:
    """Point 5: a desk reports a scan made in 1990 through the API: refused (outside the
    check-in window), no attendance; the same card scanned now checks in."""
    seeded, db = attack_server.seeded, attack_server.database
    desk, site = seeded["live"]["desk"], seeded["live"]["sites"][0]
    url = f"{API}/checkin/sites/{site['code']}/redeem"
    api = Browser(attack_server)
    headers = bearer(seeded["staff_token"])
    scan = {"credential": desk["credential"], "scanned_at": "1990-01-01T09:00+08:00"}
    old = api.post(url, json={**scan, "nonce": "scan-1990"}, headers=headers)
    assert old.status_code < 500, old.text
    assert (old.json()["status"], old.json()["reason"]) == ("refused", "not_open_yet")
    assert db.count("attendances", "invitation_id = :id", id=desk["id"]) == 0
    now = api.post(
        url, json={"credential": desk["credential"], "nonce": "scan-now"}, headers=headers
    )
    assert now.json()["status"] == "checked_in", now.text
    assert db.count("attendances", "invitation_id = :id", id=desk["id"]) == 1


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_point5_the_attendance_xlsx_holds_no_formula(attack_server: AttackServer) -> None:
    """Point 5: a meeting titled ``=HYPERLINK("http://evil")`` at a venue named ``+cmd``,
    made through the API as typed; its daftar hadir downloaded as XLSX has no formula
    cell and no text a spreadsheet would read as one."""
    seeded = attack_server.seeded
    headers = bearer(seeded["staff_token"])
    api = Browser(attack_server)
    venue = api.post(
        f"{API}/venues", json={"name": "+cmd", "timezone": "Asia/Makassar"}, headers=headers
    )
    assert venue.status_code == 201, venue.text
    title = '=HYPERLINK("http://evil")'
    meeting = api.post(
        f"{API}/meetings",
        json={
            "title": title,
            "kind": "coordination",
            "host_venue_id": venue.json()["id"],
            **factories.meeting_times(starts_in=timedelta(days=14)),
        },
        headers=headers,
    )
    assert meeting.status_code == 201, meeting.text
    assert meeting.json()["title"] == title

    staff = attack_server.signed_in_as("staff")
    download = staff.get(f"/meetings/{meeting.json()['id']}/attendance/all.xlsx")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
    assert "'" + title in texts
    assert "'+cmd" in texts


def test_point5_integers_of_2_to_the_63_are_4xx_not_500(
    attack_server: AttackServer,
) -> None:
    """Point 5(b): 2**63 in an API path, an API body, a page path and a live-room connect:
    a clear 4xx (or a refused connect), nothing changed."""
    seeded, db = attack_server.seeded, attack_server.database
    meeting = seeded["live"]["meeting"]
    headers = bearer(seeded["staff_token"])
    api = Browser(attack_server)
    before = db.rows("SELECT host_venue_id, title FROM meetings WHERE id = :id", id=meeting)
    invitations = db.count("invitations", "meeting_id = :id", id=meeting)
    asked = [
        api.get(f"{API}/meetings/{HUGE}", headers=headers),
        api.get(f"{API}/meetings?page={HUGE}", headers=headers),
        api.request(
            "PATCH", f"{API}/meetings/{meeting}", json={"host_venue_id": HUGE}, headers=headers
        ),
        api.post(
            f"{API}/meetings/{meeting}/invitations", json={"person_ids": [HUGE]}, headers=headers
        ),
        attack_server.signed_in_as("staff").get(f"/meetings/{HUGE}"),
    ]
    assert [r.status_code for r in asked if not 400 <= r.status_code < 500] == []
    assert asked[0].status_code == 404
    for response in asked[1:4]:
        assert response.headers["Content-Type"].startswith("application/problem+json")

    refusals: list[Any] = []
    client = socketio.Client(reconnection=False)
    client.on("connect_error", refusals.append, namespace=NAMESPACE)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            attack_server.url,
            namespaces=[NAMESPACE],
            auth={"meeting": HUGE, "token": seeded["live"]["tokens"]["chair"]},
            transports=["websocket"],
            wait_timeout=TIMEOUT,
        )
    client.shutdown()
    assert refusals, "no connect_error"
    assert refusals[0]["message"] == "Rapat tidak ditemukan.", refusals
    assert db.rows("SELECT host_venue_id, title FROM meetings WHERE id = :id", id=meeting) == before
    assert db.count("invitations", "meeting_id = :id", id=meeting) == invitations


def test_point5_a_meeting_in_the_year_199_is_refused(attack_server: AttackServer) -> None:
    """Point 5(b): a meeting dated 15 March 199 (shown once as "+07:07:12", Jakarta's local
    mean time) is refused when made and when moved; no meeting is stored or changed."""
    seeded, db = attack_server.seeded, attack_server.database
    headers = bearer(seeded["staff_token"])
    live = seeded["live"]["meeting"]
    api = Browser(attack_server)
    meetings = db.count("meetings")
    start = db.scalar("SELECT start_at FROM meetings WHERE id = :id", id=live)
    venue = db.scalar("SELECT host_venue_id FROM meetings WHERE id = :id", id=live)
    made = api.post(
        f"{API}/meetings",
        json={
            "title": "Rapat abad kedua",
            "kind": "coordination",
            "host_venue_id": venue,
            "start_at": "0199-03-15T09:00",
            "end_at": "0199-03-15T12:00",
        },
        headers=headers,
    )
    assert made.status_code == 422, made.text
    assert "2000-01-01" in made.json()["errors"]["start_at"][0]
    moved = api.request(
        "PATCH", f"{API}/meetings/{live}", json={"start_at": "0199-03-15T09:00"}, headers=headers
    )
    assert 400 <= moved.status_code < 500, moved.text
    assert db.count("meetings") == meetings
    assert db.scalar("SELECT start_at FROM meetings WHERE id = :id", id=live) == start
