"""The first-run checklist on the home page (issue 16, point 3): letterhead, venues,
people, first meeting — each ticked from real data, linking to the page that does it,
gone when all are done; not shown to a viewer; the same in the API twin."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from meetcoord.access.models import Institution
from meetcoord.accounts.models import Role
from meetcoord.extensions import db
from tests import factories
from tests.actions import support
from tests.conftest import AuthActions

API = "/api/v1/home/checklist"


def checklist(auth: AuthActions) -> str | None:
    response = auth.client.get("/home")
    assert response.status_code == 200
    found = re.search(
        r'<section class="card" id="home-first-run".*?</section>',
        response.get_data(as_text=True),
        re.S,
    )
    return found.group(0) if found else None


def step(block: str, key: str) -> str:
    found = re.search(rf'<li data-step="{key}".*?</li>', block, re.S)
    assert found, key
    return found.group(0)


def fresh(app: Flask, role: Role = Role.SECRETARIAT) -> tuple[Institution, object]:
    """An institution with no letterhead, no meeting; no venue or person in the directory."""
    lonely = factories.institution(name="Bappeda Baru Uji")
    account = factories.user(role, institution=lonely)
    db.session.commit()
    return lonely, account


def test_an_empty_installation_lists_four_open_steps_with_links(
    app: Flask, auth: AuthActions
) -> None:
    _, staff = fresh(app)
    auth.login(user=staff)
    block = checklist(auth)
    assert block is not None
    assert "0 dari 4 langkah selesai" in block
    for key in ("letterhead", "venues", "people", "meeting"):
        assert 'class="is-open"' in step(block, key), key
    assert 'href="/directory/venues/new"' in step(block, "venues")
    assert 'href="/directory/people/import"' in step(block, "people")
    assert 'href="/meetings/new"' in step(block, "meeting")
    # a secretariat cannot edit the institution: the step says who can, with no link
    letterhead = step(block, "letterhead")
    assert "href" not in letterhead
    assert "Minta administrator" in letterhead


def test_each_step_is_ticked_from_real_data_and_the_list_goes_when_all_are_done(
    app: Flask, auth: AuthActions
) -> None:
    lonely, staff = fresh(app)
    auth.login(user=staff)
    factories.venue()
    factories.person()
    db.session.commit()
    block = checklist(auth)
    assert block is not None
    assert "2 dari 4 langkah selesai" in block
    assert 'class="is-done"' in step(block, "venues")
    assert 'class="is-done"' in step(block, "people")
    assert "href" not in step(block, "venues")  # nothing left to do there

    factories.meeting(by=staff, title="Rakor Pertama")
    lonely.address, lonely.city = "Jl. Weetebula", "Tambolaka"
    db.session.commit()
    assert checklist(auth) is None


def test_an_administrator_is_sent_to_the_institution_s_edit_page(
    app: Flask, auth: AuthActions
) -> None:
    lonely, _ = fresh(app)
    admin = factories.user(Role.ADMIN)
    first = factories.default_institution()  # an administrator works for every institution
    first.address, first.city = "Jl. Weetebula", "Tambolaka"
    db.session.commit()
    auth.login(user=admin)
    block = checklist(auth)
    assert block is not None
    assert f'href="/admin/institutions/{lonely.id}/edit"' in step(block, "letterhead")


def test_a_viewer_has_no_checklist(app: Flask, auth: AuthActions) -> None:
    _, viewer = fresh(app, Role.VIEWER)
    auth.login(user=viewer)
    assert checklist(auth) is None
    assert auth.client.get(API).get_json() == {"applies": False, "complete": True, "steps": []}


def test_english(app: Flask, auth: AuthActions) -> None:
    _, staff = fresh(app)
    auth.login(user=staff)
    auth.post("/lang", {"lang": "en"})
    block = checklist(auth)
    assert block is not None
    for text in ("Welcome: first steps", "0 of 4 steps done", "Add meeting venues"):
        assert text in block, text
    assert "Import people (CSV)" in block
    assert "Schedule the first meeting" in block


def test_the_api_twin(app: Flask, client: FlaskClient) -> None:
    _, staff = fresh(app)
    factories.venue()
    db.session.commit()
    body = client.get(API, headers=support.bearer(staff)).get_json()
    assert body["applies"] is True
    assert body["complete"] is False
    steps = {s["key"]: s for s in body["steps"]}
    assert list(steps) == ["letterhead", "venues", "people", "meeting"]
    assert steps["venues"]["done"] is True
    assert steps["people"] == {"key": "people", "done": False, "url": "/directory/people/import"}
    assert steps["letterhead"]["url"] is None
    assert client.get(API).status_code == 401
