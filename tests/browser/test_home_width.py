"""The home's first screen ("Rapat mendatang" and the first-run checklist, issue 16 point 3)
fits a 390 px phone and a 1280×720 projector in both languages, with unbroken words longer
than a phone is wide in the institution's and the meetings' names and every kind of gap on
show; and the first upcoming meeting is on the first screen, not below the dashboard.

Laid out by Chromium from what the Flask test client answers, as ``test_pages_width``.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from meetcoord.accounts.models import Role
from meetcoord.extensions import db
from tests import factories
from tests.browser.test_actions_width import LONG
from tests.browser.test_pages_width import VIEWPORTS, measure
from tests.conftest import AuthActions
from tests.home.test_upcoming import Scene, later

FIRST_ITEM = """() => {
  const item = document.querySelector('.home-upcoming > li');
  return item ? Math.round(item.getBoundingClientRect().top) : -1;
}"""


def test_the_home_fits_a_phone_and_a_projector(
    client: FlaskClient, auth: AuthActions, browser: Any
) -> None:
    scene = Scene()  # a ready, a bare and a troubled meeting: every kind of gap
    inst = factories.default_institution()
    inst.name = f"Badan {LONG} Daerah"
    inst.address = None  # the first-run checklist shows too
    for meeting in (scene.ready, scene.bare, scene.troubled):
        meeting.title = f"Rakor {LONG} {meeting.title}"
    for n in range(10):  # a second page
        factories.meeting(by=scene.staff, title=f"Evaluasi {LONG} {n}", **later(10 + n))
    db.session.commit()
    auth.login(user=scene.staff)
    viewer = AuthActions(client.application.test_client())
    viewer.login(role=Role.VIEWER)
    visits = [(client, "/home"), (client, "/home?page=2"), (viewer.client, "/home")]
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
                measure(tab, client, "/home", lang)
                top = tab.evaluate(FIRST_ITEM)
                if not 0 < top < viewport["height"]:
                    failures.append((viewport["width"], lang, "first meeting at", top))
        finally:
            context.close()
    assert not failures, "\n".join(map(str, failures))
