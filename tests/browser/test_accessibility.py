"""WCAG 2.1 AA on every page kind (issue 16, point 7): axe-core finds no serious or
critical violation, live updates sit in ARIA live regions, and the desk and the personal
page can be worked from the keyboard with a visible focus ring.

Pages are laid out by Chromium from what the Flask test client answers (as in
``test_pages_width``): one scene built with the factories, every page kind in a loop, in
Indonesian and in English. axe-core is vendored under ``tests/vendor`` (a test tool, never
served) and injected into each page; the context bypasses the CSP for that one script.
Socket.IO is refused, so the live pages are checked in the state a person sees before (or
without) the live link: the state the server rendered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from meetcoord.accounts.models import Role
from meetcoord.extensions import db
from meetcoord.meetings import links
from meetcoord.public import services as public
from meetcoord.public.models import SubjectType
from meetcoord.registration import services as registration
from tests import factories
from tests.conftest import AuthActions
from tests.kiosk_support import phone
from tests.live_support import LiveRakor

ORIGIN = "http://meetcoord.test"
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core-4.14.1" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 8)}));
}"""


@dataclass
class Visit:
    """A page kind: who opens it, where, and what is done there before axe looks."""

    kind: str
    client: FlaskClient
    where: str | Callable[[], str]  # a callable for an address that expires (the kiosk's)
    then: Callable[[Any], None] | None = None
    status: int = 200


def submit_empty_form(tab: Any) -> None:
    """Send the page's main form empty: the same page again, with its field errors."""
    tab.locator("main form button[type=submit]").last.click()
    tab.wait_for_selector(".field-errors, .alert-error")


def answer_rsvp(tab: Any) -> None:
    """Answer the invitation: the page comes back with its confirmation message."""
    tab.locator("input[name=rsvp]").first.check()
    tab.locator("input[name=rsvp]").first.locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    tab.wait_for_selector(".alert")


def desk_result(state: str) -> Callable[[Any], None]:
    """The desk's result card and status as desk.js leaves them after a scan in ``state``."""

    def show(tab: Any) -> None:
        tab.evaluate(
            """(state) => {
              const card = document.getElementById('desk-result');
              card.dataset.state = state;
              document.getElementById('desk-result-status').textContent = state;
              document.getElementById('desk-result-name').textContent = 'Peserta Uji 1';
              document.getElementById('desk-result-org').textContent = 'Dinas Uji';
              document.getElementById('desk-result-message').textContent = 'Pesan ' + state;
              document.getElementById('desk-status').dataset.offline =
                state === 'offline' ? '1' : '0';
            }""",
            state,
        )

    return show


class Scene:
    """A running two-site Rakor with an agenda, a document, a public page and an open
    registration; an inactive account; the clients (staff, administrator, a participant's
    phone) that open it."""

    def __init__(self, app: Flask) -> None:
        self.rakor = LiveRakor()
        self.rakor.add_items("Pembukaan", "Ketahanan pangan")
        meeting = self.rakor.meeting
        factories.document(meeting)
        self.publication = public.enable(self.rakor.staff, SubjectType.MEETING, meeting)
        other = factories.meeting(by=self.rakor.staff, title="Webinar praktik baik")
        factories.schedule(other)
        self.registration = registration.enable(self.rakor.staff, other)
        factories.user(Role.SECRETARIAT).is_active_account = False
        db.session.commit()
        self.staff = AuthActions(app.test_client())
        self.staff.login(user=self.rakor.staff)
        self.admin = AuthActions(app.test_client())
        self.admin.login(role=Role.ADMIN)
        self.anonymous = phone(app)
        self.token = links.personal_token(self.rakor.participant)

    @property
    def clients(self) -> list[FlaskClient]:
        return [self.staff.client, self.admin.client, self.anonymous]

    def visits(self, lang: str) -> list[Visit]:
        """Every page kind, and the states a page shows after a step (errors, a flash,
        a scan's result)."""
        m, site = self.rakor.meeting, self.rakor.site
        staff, admin, anon = self.staff.client, self.admin.client, self.anonymous
        personal = f"/i/{self.token}"
        desk = f"/desk/{site.code}"
        return [
            Visit("login", anon, "/login"),
            Visit("home", staff, "/home"),
            Visit("meetings", staff, "/meetings/"),
            Visit("meeting", staff, f"/meetings/{m.id}"),
            Visit("people", staff, "/directory/people"),
            Visit("person form", staff, "/directory/people/new"),
            Visit("person form, errors", staff, "/directory/people/new", submit_empty_form),
            Visit("organizations", staff, "/directory/organizations"),
            Visit("forums", staff, "/directory/forums"),
            Visit("venues", staff, "/directory/venues"),
            Visit("actions", staff, "/actions"),
            Visit("planning", staff, "/planning/proposals"),
            Visit("outbox", staff, "/outbox"),
            Visit("audit", admin, "/admin/audit"),
            Visit("staff accounts", admin, "/admin/users"),
            Visit("documents", staff, f"/meetings/{m.id}/documents"),
            Visit("attendance", staff, f"/meetings/{m.id}/attendance"),
            Visit("desk", staff, desk),
            *(
                Visit(f"desk, {state}", staff, desk, desk_result(state))
                for state in ("ok", "already", "refused", "offline")
            ),
            Visit("live console", staff, f"/meetings/{m.id}/live"),
            Visit("kiosk", staff, f"/kiosk/{site.code}"),
            Visit("projector", staff, f"/projector/{site.code}"),
            Visit("personal page", anon, personal),
            Visit("personal page, answered", anon, personal, answer_rsvp),
            Visit("live phone view", anon, f"{personal}/live"),
            Visit("self check-in", anon, lambda: self.rakor.scan_path()),
            # The public frame takes its language from the address, not the session.
            Visit("public page", anon, f"/p/{self.publication.slug}?lang={lang}"),
            Visit("registration", anon, f"/r/{self.registration.slug}?lang={lang}"),
            Visit("verify", anon, "/verify"),
            Visit("not found", anon, "/tidak-ada-halaman-ini", status=404),
            Visit("not found (staff)", staff, "/meetings/999999", status=404),
        ]


# The pages checked in English too: the ones a person outside the secretariat reads, and
# the staff's daily ones.
KEY_PAGES_EN = {
    "login",
    "home",
    "meeting",
    "person form, errors",
    "desk",
    "desk, refused",
    "live console",
    "kiosk",
    "projector",
    "personal page",
    "personal page, answered",
    "live phone view",
    "self check-in",
    "public page",
    "registration",
    "not found",
}


def choose_language(clients: list[FlaskClient], lang: str) -> None:
    """The language a person chose (remembered in the session), whatever the browser says."""
    for client in clients:
        with client.session_transaction() as session:
            session["lang"] = lang


def open_page(tab: Any, client: FlaskClient, path: str, lang: str) -> int:
    """Lay out ``path`` as ``client`` sees it; Socket.IO is refused (no live link)."""

    def serve(route: Any) -> None:
        url = route.request.url.removeprefix(ORIGIN)
        if url.startswith("/socket.io"):
            route.abort()
            return
        response = client.open(
            url,
            method=route.request.method,
            data=route.request.post_data_buffer,
            headers={
                "Accept-Language": lang,
                "Content-Type": route.request.headers.get("content-type", ""),
            },
        )
        body = response.get_data()
        response.close()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        route.fulfill(status=response.status_code, headers=headers, body=body)

    tab.unroute("**/*")
    tab.route(f"{ORIGIN}/**", serve)
    response = tab.goto(f"{ORIGIN}{path}")
    assert response is not None, path
    tab.wait_for_load_state("load")
    return int(response.status)


def axe_violations(tab: Any) -> list[dict[str, Any]]:
    tab.add_script_tag(path=str(AXE))
    return list(tab.evaluate(RUN_AXE, TAGS))


@pytest.fixture
def contexts(browser: Any) -> Iterator[Any]:
    opened: list[Any] = []

    def new(**options: Any) -> Any:
        context = browser.new_context(bypass_csp=True, service_workers="block", **options)
        opened.append(context)
        return context.new_page()

    try:
        yield new
    finally:
        for context in opened:
            context.close()


def test_axe_finds_no_serious_violation_on_any_page_kind(app: Flask, contexts: Any) -> None:
    scene = Scene(app)
    tab = contexts(viewport={"width": 1280, "height": 720})
    failures: list[str] = []
    counts: Counter[str] = Counter()
    checked = 0
    for lang in ("id", "en"):
        choose_language(scene.clients, lang)
        for visit in scene.visits(lang):
            if lang == "en" and visit.kind not in KEY_PAGES_EN:
                continue
            path = visit.where if isinstance(visit.where, str) else visit.where()
            status = open_page(tab, visit.client, path, lang)
            assert status == visit.status, (lang, visit.kind, path, status)
            if visit.then:
                visit.then(tab)
            assert tab.evaluate("document.documentElement.lang") == lang, (lang, visit.kind)
            checked += 1
            for v in axe_violations(tab):
                if v["impact"] in BLOCKING:
                    counts[v["id"]] += 1
                    failures.append(
                        f"[{lang}] {visit.kind} {path}: {v['id']} ({v['impact']})"
                        f" {v['help']} — {', '.join(v['nodes'])}"
                    )
    assert checked > 40
    summary = ", ".join(f"{rule}: {n}" for rule, n in counts.most_common())
    assert not failures, f"{len(failures)} violation(s) [{summary}]\n" + "\n".join(failures)


# Where each page tells a screen reader what changed: (selector, what it must be). A region
# is live with role=status/alert/log or aria-live; a ticking timer must not be one (it
# would be read out every second).
LIVE = "live"
QUIET = "quiet"
LIVE_REGIONS = {
    "live phone view": [
        ("#live-conn", LIVE),
        ("#live-state", LIVE),
        ("#ph-item", LIVE),
        ("#ph-speaker", LIVE),
        ("#ph-mine", LIVE),
        ("#ph-error", LIVE),
        ("#ph-item-timer", QUIET),
        ("#ph-speaker-timer", QUIET),
    ],
    "live console": [
        ("#live-conn", LIVE),
        ("#live-state", LIVE),
        ("#live-current-item", LIVE),
        ("#live-speaker-name", LIVE),
        ("#live-error", LIVE),
        ("#live-item-timer", QUIET),
    ],
    "projector": [
        ("#live-conn", LIVE),
        ("#live-state", LIVE),
        ("#screen-item", LIVE),
        ("#screen-speaker", LIVE),
        ("#screen-speaker-timer", QUIET),
    ],
    "attendance": [("#presence [data-count=total]", LIVE), ("#attendance-quorum", LIVE)],
    "desk": [("#desk-status", LIVE), ("#desk-result", LIVE)],
    "kiosk": [
        (".kiosk-here", LIVE),
        (".kiosk-total", LIVE),
        ("#kiosk-quorum", LIVE),
        ("#kiosk-live", LIVE),
        ("#kiosk-typed", LIVE),
    ],
    "home": [('[data-count="meetings_total"]', LIVE)],
}
IS_LIVE = """(el) => {
  const role = el.getAttribute('role');
  const live = el.getAttribute('aria-live');
  return ['status', 'alert', 'log'].includes(role) || live === 'polite' || live === 'assertive';
}"""


def test_live_updates_sit_in_aria_live_regions(app: Flask, contexts: Any) -> None:
    scene = Scene(app)
    tab = contexts(viewport={"width": 1280, "height": 720})
    choose_language(scene.clients, "id")
    wrong = []
    for visit in scene.visits("id"):
        for selector, expected in LIVE_REGIONS.get(visit.kind, []):
            assert isinstance(visit.where, str)
            if tab.url != f"{ORIGIN}{visit.where}":
                open_page(tab, visit.client, visit.where, "id")
            node = tab.locator(selector)
            assert node.count() == 1, (visit.kind, selector, node.count())
            live = node.evaluate(IS_LIVE)
            if live != (expected == LIVE):
                wrong.append(f"{visit.kind} {selector}: should be {expected}")
    assert not wrong, "\n".join(wrong)
