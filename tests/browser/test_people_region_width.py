"""The people list (with each person's province under their organization) and the person
form (with the region field and its hint) fit a 390 px phone and a 1280×720 projector in
both languages, with a long unbroken organization name and the longest province name.
Chromium lays out what the Flask test client answers, as in ``test_pages_width``.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests import factories
from tests.browser.test_actions_width import LONG
from tests.browser.test_pages_width import VIEWPORTS, measure
from tests.conftest import AuthActions


@pytest.mark.parametrize("lang", ["id", "en"])
def test_people_list_and_form_with_region_fit(
    browser: Any, client: FlaskClient, auth: AuthActions, lang: str
) -> None:
    org = factories.organization(name=f"Dinas {LONG} Kabupaten")
    person = factories.person(
        name="Verna Inkiriwang",
        position="Bupati",
        organization=org,
        region="Kabupaten Bangka Tengah, Kepulauan Bangka Belitung",
    )
    auth.login("secretariat")
    paths = ("/directory/people", f"/directory/people/{person.id}/edit")
    for viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        try:
            for path in paths:
                scroll, visible, bad = measure(tab, client, path, lang)
                assert scroll <= visible, (viewport, path, scroll, visible)
                assert not bad, (viewport, path, bad)
            assert "Kepulauan Bangka Belitung" in tab.content()  # the hint on the form
        finally:
            context.close()
