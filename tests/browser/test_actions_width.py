"""The follow-up actions pages fit a 390 px phone in both languages (issue 13).

Chromium lays out what the Flask test client answers (each request of the page — HTML,
CSS, scripts — is fulfilled from the app in this process), with long unbroken words in
the title, locus and evidence name, the worst case a phone meets. The page must not
scroll sideways: ``scrollWidth`` stays within the viewport.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from meetcoord.actions import agency, services
from meetcoord.extensions import db
from tests.actions import support
from tests.actions.test_agency_view import Agencies
from tests.conftest import AuthActions
from tests.helpers import reads

ORIGIN = "http://meetcoord.test"
PHONE = {"width": 390, "height": 844}
LONG = "Pendataan" + "Petani" * 12  # one word longer than a phone is wide


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def width_of(tab: Any, client: FlaskClient, path: str, lang: str) -> tuple[int, int]:
    """(scrollWidth, clientWidth) of ``path`` as Chromium lays it out at 390 px."""

    def serve(route: Any) -> None:
        response = reads(client, lang).get(route.request.url.removeprefix(ORIGIN))
        body = response.get_data()
        response.close()  # a static file is streamed from an open file
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        route.fulfill(status=response.status_code, headers=headers, body=body)

    tab.unroute("**/*")
    tab.route(f"{ORIGIN}/**", serve)
    tab.goto(f"{ORIGIN}{path}")
    return tab.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_actions_pages_fit_a_phone(
    app: Flask, client: FlaskClient, auth: AuthActions, tab: Any, lang: str
) -> None:
    scene = Agencies()
    scene.mine.title = f"{LONG} desa binaan"
    scene.mine.locus = f"Desa {LONG}"
    db.session.commit()
    services.add_update(
        scene.staff,
        scene.mine,
        {"note": f"Catatan {LONG}", "status": "in_progress"},
        [services.Upload(f"{LONG}.pdf", support.PDF)],
    )
    _link, token = agency.issue(scene.staff, scene.dinas, "Kepala Dinas")
    for path in (f"/i/{scene.token}/actions", f"/a/{token}"):
        scroll, visible = width_of(tab, client, path, lang)
        assert scroll <= visible, (path, scroll, visible)
    auth.login(user=scene.staff)
    for path in ("/actions", f"/actions/{scene.mine.id}"):
        scroll, visible = width_of(tab, client, path, lang)
        assert scroll <= visible, (path, scroll, visible)
