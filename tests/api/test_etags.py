"""ETags: a read carries its version, and a change based on a stale read is refused.

Two secretariat staff edit the same organization; the second, who read before the
first saved, must get a 412 instead of silently undoing the first one's change.
"""

from __future__ import annotations

from typing import Any

import pytest

from meetcoord.directory.models import Organization, Venue
from meetcoord.extensions import db
from tests import factories
from tests.api.support import API, problem
from tests.helpers import count


@pytest.fixture
def editor(api_token: Any) -> dict[str, str]:
    return api_token("secretariat")[1]


def test_an_item_carries_a_strong_etag_and_304s(client: Any, editor: Any) -> None:
    org = factories.organization()
    url = f"{API}/organizations/{org.id}"
    first = client.get(url, headers=editor)
    etag = first.headers["ETag"]
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    assert client.get(url, headers=editor).headers["ETag"] == etag  # stable
    unchanged = client.get(url, headers={**editor, "If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.get_data() == b""


def test_a_patch_answers_the_new_etag(client: Any, editor: Any) -> None:
    org = factories.organization()
    url = f"{API}/organizations/{org.id}"
    before = client.get(url, headers=editor).headers["ETag"]
    changed = client.patch(url, json={"region": "Alor"}, headers={**editor, "If-Match": before})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    after = changed.headers["ETag"]
    assert after != before
    assert client.get(url, headers=editor).headers["ETag"] == after


def test_a_stale_if_match_is_412_and_changes_nothing(client: Any, editor: Any) -> None:
    org = factories.organization(region="Sumba Barat")
    url = f"{API}/organizations/{org.id}"
    stale = client.get(url, headers=editor).headers["ETag"]
    assert client.patch(url, json={"region": "Alor"}, headers=editor).status_code == 200
    body = problem(
        client.patch(url, json={"region": "Rote"}, headers={**editor, "If-Match": stale}), 412
    )
    assert body["code"] == "precondition_failed"
    db.session.expire_all()
    assert db.session.get(Organization, org.id).region == "Alor"


def test_a_stale_if_match_protects_a_delete(client: Any, editor: Any) -> None:
    venue = factories.venue()
    url = f"{API}/venues/{venue.id}"
    stale = client.get(url, headers=editor).headers["ETag"]
    client.patch(url, json={"capacity": 80}, headers=editor)
    problem(client.delete(url, headers={**editor, "If-Match": stale}), 412)
    assert count(Venue) == 1
    fresh = client.get(url, headers=editor).headers["ETag"]
    assert client.delete(url, headers={**editor, "If-Match": fresh}).status_code == 204
    assert count(Venue) == 0


def test_star_and_missing_if_match_are_unconditional(client: Any, editor: Any) -> None:
    org = factories.organization()
    url = f"{API}/organizations/{org.id}"
    star = client.patch(url, json={"region": "Alor"}, headers={**editor, "If-Match": "*"})
    assert star.status_code == 200
    assert client.patch(url, json={"region": "Rote"}, headers=editor).status_code == 200


def test_if_match_on_a_missing_item_is_its_404(client: Any, editor: Any) -> None:
    url = f"{API}/organizations/999999"
    problem(client.patch(url, json={"region": "x"}, headers={**editor, "If-Match": '"a"'}), 404)


def test_meetings_too(client: Any, api_token: Any) -> None:
    account, headers = api_token("secretariat")
    meeting = factories.meeting(by=account)
    url = f"{API}/meetings/{meeting.id}"
    etag = client.get(url, headers=headers).headers["ETag"]
    changed = client.patch(url, json={"title": "Rapat Baru"}, headers={**headers, "If-Match": etag})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    # the PATCH's own ETag is good for the next change
    fresh = {**headers, "If-Match": changed.headers["ETag"]}
    assert client.patch(url, json={"title": "Rapat Baru 2"}, headers=fresh).status_code == 200
    problem(client.patch(url, json={"title": "Lain"}, headers={**headers, "If-Match": etag}), 412)


def test_the_document_describes_etags(client: Any) -> None:
    spec = client.get(f"{API}/openapi.json").get_json()
    item = spec["paths"][f"{API}/organizations/{{id}}"]
    assert "ETag" in item["get"]["responses"]["200"]["headers"]
    assert "304" in item["get"]["responses"]
    for method in ("patch", "delete"):
        names = {p["name"] for p in item[method]["parameters"]}
        assert "If-Match" in names
        assert "412" in item[method]["responses"]
