"""The follow-up and planning pages fit a 390 px phone and a 1280×720 projector in both
languages, and the main menu stays on one line at 1366 px.

The home page, the forum and series dashboards, the public page of a meeting and of a
forum, the publication switch, the reminder settings and the filtered tracker (issue 13),
laid out by Chromium from what the Flask test client answers (as in
``test_actions_width``), with unbroken words longer than a phone is wide in every name a
page shows. No page may scroll sideways, and no header (the site's, a page's head, a
heading) may be cut off or spill past the viewport. One browser, one tab per viewport,
every page in a loop: the whole check takes seconds.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from meetcoord.accounts.models import Role
from meetcoord.actions.models import Action
from meetcoord.extensions import db
from meetcoord.live.models import Decision, DecisionKind
from meetcoord.planning import tracking
from meetcoord.planning.models import GuidanceAssignment, IdmStatus, VillageIndex
from meetcoord.public import services as public
from meetcoord.public.models import SubjectType
from tests import factories
from tests.browser.test_actions_width import LONG, ORIGIN
from tests.conftest import AuthActions
from tests.helpers import reads
from tests.planning.outcome_support import twenty_marks
from tests.planning.test_import_flow import row, xlsx
from tests.reports.support import Seeded

VIEWPORTS = ({"width": 390, "height": 844}, {"width": 1280, "height": 720})

# [scrollWidth, clientWidth, [headers that overflow]] of the laid-out page.
MEASURE = """() => {
  const root = document.documentElement;
  const vw = root.clientWidth;
  const bad = [];
  for (const el of document.querySelectorAll(
      'body > header, .site-header, .page-head, h1, h2, .crumb')) {
    if (!el.getClientRects().length) continue;  // not shown (a collapsed menu)
    const box = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1 || box.right > vw + 1 || box.left < -1) {
      bad.push(`${el.tagName}.${el.className}: ${el.scrollWidth}/${el.clientWidth}`
               + ` right ${Math.round(box.right)}`);
    }
  }
  return [root.scrollWidth, vw, bad];
}"""


def measure(tab: Any, client: FlaskClient, path: str, lang: str) -> tuple[int, int, list[str]]:
    def serve(route: Any) -> None:
        response = reads(client, lang).get(route.request.url.removeprefix(ORIGIN))
        body = response.get_data()
        response.close()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        route.fulfill(status=response.status_code, headers=headers, body=body)

    tab.unroute("**/*")
    tab.route(f"{ORIGIN}/**", serve)
    response = tab.goto(f"{ORIGIN}{path}")
    assert response is not None
    assert response.status == 200, path
    return tab.evaluate(MEASURE)


def long_scene() -> tuple[Seeded, list[str]]:
    """The dashboards' seeded forum, with long words everywhere; the paths to check."""
    seeded = Seeded()
    inst = factories.default_institution()
    inst.name = f"Badan {LONG} Daerah"
    seeded.forum.name = f"Forum {LONG} Kabupaten"
    seeded.forum.short_name = None
    seeded.series.title = f"Evaluasi {LONG} Triwulan"
    seeded.m1.title = f"Rakor {LONG} Satu"
    seeded.a.name = f"Dinas {LONG}"
    for action in db.session.query(Action).filter(Action.meeting_id == seeded.m1.id):
        action.title = f"{LONG} desa binaan"
        action.locus = f"Desa {LONG}"
    db.session.add(
        Decision(
            meeting_id=seeded.m1.id,
            number=1,
            text=f"Setiap OPD menetapkan {LONG} desa binaan",
            kind=DecisionKind.CONSENSUS,
            recorded_by="Notulis",
        )
    )
    db.session.commit()
    meeting_page = public.enable(seeded.staff, SubjectType.MEETING, seeded.m1)
    forum_page = public.enable(seeded.staff, SubjectType.FORUM, seeded.forum)
    series_page = public.enable(seeded.staff, SubjectType.SERIES, seeded.series)
    forum, series = seeded.forum.id, seeded.series.id
    paths = [
        "/home",
        f"/forums/{forum}/dashboard",
        f"/series/{series}/dashboard",
        f"/forums/{forum}/dashboard?meeting_id={seeded.m1.id}",
        f"/p/{meeting_page.slug}",
        f"/p/{forum_page.slug}",
        f"/p/{series_page.slug}",
        f"/publication/meeting/{seeded.m1.id}",
        f"/publication/forum/{forum}",
        f"/institutions/{inst.id}/reminder-settings",
        f"/actions?forum_id={forum}&status=open&overdue=1&sort=due_on",
        f"/actions?organization_id={seeded.a.id}&locus=Desa",
    ]
    return seeded, paths


def test_the_follow_up_pages_fit_a_phone_and_a_projector(
    app: Flask, client: FlaskClient, auth: AuthActions, browser: Any
) -> None:
    seeded, paths = long_scene()
    auth.login(user=seeded.staff)
    # The administrator's menu is the longest: the site header must hold it too.
    admin = AuthActions(app.test_client())
    admin.login(role=Role.ADMIN)
    visits = [(client, path) for path in paths] + [(admin.client, "/home")]
    failures = []
    for viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        try:
            for lang in ("id", "en"):
                for who, path in visits:
                    scroll, visible, bad = measure(tab, who, path, lang)
                    if scroll > visible or bad:
                        failures.append((viewport["width"], lang, path, scroll, visible, bad))
        finally:
            context.close()
    assert not failures, "\n".join(map(str, failures))


def planning_scene(auth: AuthActions, seeded: Seeded) -> list[str]:
    """A synchronisation matrix of twenty rows whose villages, agencies and proposals carry
    unbroken long words, a village with its IDM history and an agency guiding it, public
    tracking on, an uploaded sheet waiting for its column mapping; the paths to check."""
    meeting = seeded.m1
    matrix = twenty_marks(meeting, tag=f" {LONG}")
    village, agency = matrix.villages[0], matrix.agencies[0]
    for year, score, status in (
        (2023, "0.5801", IdmStatus.UNDERDEVELOPED),
        (2024, "0.6123", IdmStatus.DEVELOPING),
    ):
        db.session.add(
            VillageIndex(
                village_id=village.id,
                year=year,
                score=Decimal(score),
                status=status,
                source=f"Kepmendesa {LONG}",
            )
        )
    db.session.add(
        GuidanceAssignment(
            institution_id=meeting.institution_id,
            organization_id=agency.id,
            village_id=village.id,
            starts_on=date(2024, 1, 1),
            decree_number=f"SK/{LONG}/2024",
            decree_date=date(2024, 1, 1),
        )
    )
    db.session.commit()
    public_page = tracking.enable(seeded.staff, meeting.institution)
    upload = auth.post(
        "/planning/proposals/import",
        {"file": (io.BytesIO(xlsx([row(n) for n in range(1, 4)])), "usulan.xlsx")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302, upload.get_data(as_text=True)[:400]
    return [
        "/planning/proposals",
        f"/planning/proposals/{matrix.proposals[0].id}",
        upload.headers["Location"].removeprefix("http://localhost"),
        f"/meetings/{meeting.id}",
        f"/meetings/{meeting.id}/matrix",
        f"/meetings/{meeting.id}/matrix/outcome",
        "/villages",
        f"/villages/{village.id}",
        "/villages/dashboard",
        "/planning/tracking",
        f"/t/{public_page.slug}",
        f"/t/{public_page.slug}?village_id={village.id}",
    ]


def test_the_planning_pages_fit_a_phone_and_a_projector(
    client: FlaskClient, auth: AuthActions, browser: Any
) -> None:
    seeded = Seeded()
    auth.login(user=seeded.staff)
    paths = planning_scene(auth, seeded)
    failures = []
    for viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        try:
            for lang in ("id", "en"):
                for path in paths:
                    scroll, visible, bad = measure(tab, client, path, lang)
                    if scroll > visible or bad:
                        failures.append((viewport["width"], lang, path, scroll, visible, bad))
        finally:
            context.close()
    assert not failures, "\n".join(map(str, failures))


# The main menu's entries: [how many, how many lines their tops make].
MENU_LINES = """() => {
  const tops = new Set([...document.querySelectorAll('.site-nav nav li')]
    .map((li) => Math.round(li.getBoundingClientRect().top)));
  return [document.querySelectorAll('.site-nav nav li').length, tops.size];
}"""


def test_the_main_menu_holds_planning_and_stays_on_one_line_at_1366(
    app: Flask, client: FlaskClient, auth: AuthActions, browser: Any
) -> None:
    staff = AuthActions(app.test_client())
    staff.login(role=Role.SECRETARIAT)
    admin = AuthActions(app.test_client())
    admin.login(role=Role.ADMIN)
    page = reads(staff.client, "en").get("/home").get_data(as_text=True)
    assert 'href="/planning/proposals">Planning</a>' in page
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    tab = context.new_page()
    lines = []
    try:
        for lang in ("id", "en"):
            for who in (staff, admin):
                measure(tab, who.client, "/home", lang)
                lines.append((lang, *tab.evaluate(MENU_LINES)))
    finally:
        context.close()
    assert all(n > 5 and rows == 1 for _, n, rows in lines), lines
