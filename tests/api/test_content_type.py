"""A body in a format the operation does not read is a 415, and nothing changes.

A form-encoded POST to a JSON operation used to reach webargs as an empty JSON body (or
be half-read); multipart uploads keep working where an operation takes files.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from meetcoord.directory.models import Organization, Person
from meetcoord.extensions import db
from tests import factories
from tests.api.support import API, problem
from tests.helpers import count


@pytest.fixture
def editor(api_token: Any) -> dict[str, str]:
    return api_token("secretariat")[1]


def test_a_form_to_a_json_operation_is_415(client: Any, editor: Any) -> None:
    before = count(Organization)
    form = {"name": "Dinas Form", "kind": "opd", "level": "regency"}
    body = problem(client.post(f"{API}/organizations", data=form, headers=editor), 415)
    assert body["code"] == "unsupported_media_type"
    assert "application/json" in body["detail"]
    assert count(Organization) == before


def test_plain_text_and_xml_are_415_too(client: Any, editor: Any) -> None:
    org = factories.organization(region="Sumba Barat")
    url = f"{API}/organizations/{org.id}"
    for mimetype in ("text/plain", "application/xml"):
        sent = client.patch(url, data='{"region": "Alor"}', content_type=mimetype, headers=editor)
        problem(sent, 415)
    db.session.expire_all()
    assert db.session.get(Organization, org.id).region == "Sumba Barat"


def test_json_with_a_charset_or_a_json_suffix_is_accepted(client: Any, editor: Any) -> None:
    org = factories.organization()
    url = f"{API}/organizations/{org.id}"
    for mimetype in ("application/json; charset=utf-8", "application/merge-patch+json"):
        sent = client.patch(url, data='{"region": "Alor"}', content_type=mimetype, headers=editor)
        assert sent.status_code == 200, sent.get_data(as_text=True)


def test_a_bodyless_post_needs_no_content_type(client: Any, editor: Any) -> None:
    # an action without a body (no Content-Type at all) is not a format question
    response = client.post(f"{API}/organizations", headers=editor)
    assert response.status_code != 415


def test_an_upload_operation_still_takes_multipart(client: Any, editor: Any) -> None:
    before = count(Person)
    csv = b"nama;kategori;email\nMaria Ndapa;lsm;maria@example.go.id\n"
    upload = {"file": (io.BytesIO(csv), "orang.csv", "text/csv")}
    response = client.post(
        f"{API}/people/import", data=upload, content_type="multipart/form-data", headers=editor
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert count(Person) == before + 1


def test_json_to_an_upload_operation_is_415(client: Any, editor: Any) -> None:
    body = problem(client.post(f"{API}/people/import", json={"file": "x"}, headers=editor), 415)
    assert "multipart/form-data" in body["detail"]


def test_415_speaks_english_when_asked(client: Any, editor: Any) -> None:
    english = {**editor, "Accept-Language": "en"}
    body = problem(client.post(f"{API}/venues", data={"name": "x"}, headers=english), 415)
    assert "not supported" in body["detail"]
