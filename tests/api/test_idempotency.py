"""``Idempotency-Key``: a retried POST creates one object and answers as the first time.

A client that lost the answer to a POST (a dropped connection on a district's network)
sends it again with the same key: it must get the first answer, not a second person or
a 409 about the first.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from meetcoord.api.idempotency import purge_expired
from meetcoord.api.models import IdempotencyKey
from meetcoord.core.db import utcnow
from meetcoord.directory.models import Organization, Person
from meetcoord.extensions import db
from tests.api.support import API, problem
from tests.helpers import count

PERSON = {"name": "Maria Ndapa", "category": "ngo", "email": "maria.ndapa@example.org"}


@pytest.fixture
def editor(api_token: Any) -> dict[str, str]:
    return api_token("secretariat")[1]


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


def test_a_retried_post_creates_one_object(client: Any, editor: Any) -> None:
    headers = keyed(editor, "3f1c9a2e-7b4d-4c1e-9f0a-5d6e7f8a9b0c")
    first = client.post(f"{API}/people", json=PERSON, headers=headers)
    assert first.status_code == 201, first.get_data(as_text=True)
    again = client.post(f"{API}/people", json=PERSON, headers=headers)
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(Person) == 1


def test_without_a_key_a_retry_is_judged_again(client: Any, editor: Any) -> None:
    assert client.post(f"{API}/people", json=PERSON, headers=editor).status_code == 201
    problem(client.post(f"{API}/people", json=PERSON, headers=editor), 409)
    assert count(Person) == 1


def test_the_same_key_with_another_body_is_422(client: Any, editor: Any) -> None:
    headers = keyed(editor, "kunci-1")
    assert client.post(f"{API}/people", json=PERSON, headers=headers).status_code == 201
    other = {**PERSON, "email": "lain@example.org"}
    body = problem(client.post(f"{API}/people", json=other, headers=headers), 422)
    assert body["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in body["errors"]
    # ...and on another path
    org = {"name": "Yayasan Uji", "kind": "ngo", "level": "regency"}
    problem(client.post(f"{API}/organizations", json=org, headers=headers), 422)
    assert count(Person) == 1
    assert count(Organization) == 0


def test_keys_belong_to_their_actor(client: Any, api_token: Any, editor: Any) -> None:
    other = api_token("secretariat")[1]
    first = client.post(f"{API}/people", json=PERSON, headers=keyed(editor, "k"))
    assert first.status_code == 201
    # another account's same key is its own: its request runs (and meets the duplicate)
    problem(client.post(f"{API}/people", json=PERSON, headers=keyed(other, "k")), 409)


def test_an_error_is_not_kept(client: Any, editor: Any) -> None:
    headers = keyed(editor, "retry-after-fix")
    broken = {"name": "Maria", "category": "bukan-kategori"}
    problem(client.post(f"{API}/people", json=broken, headers=headers), 422)
    assert db.session.scalar(select(IdempotencyKey)) is None
    # the same key is judged again once the data is fixed
    fixed = client.post(f"{API}/people", json=PERSON, headers=headers)
    assert fixed.status_code == 201
    assert count(Person) == 1


def test_a_key_still_in_flight_is_409(client: Any, api_token: Any) -> None:
    account, headers = api_token("secretariat")
    db.session.add(
        IdempotencyKey(
            actor=f"user:{account.id}",
            key="sedang-jalan",
            method="POST",
            path_sha256="x",
            body_sha256="y",
        )
    )
    db.session.commit()
    sent = client.post(f"{API}/people", json=PERSON, headers=keyed(headers, "sedang-jalan"))
    body = problem(sent, 409)
    assert body["code"] == "idempotency_key_in_use"
    assert sent.headers["Retry-After"] == "1"
    assert count(Person) == 0


@pytest.mark.parametrize("key", ["", "x" * 256, "kunci\tdengan-tab", "kunci-é"])
def test_a_malformed_key_is_400(client: Any, editor: Any, key: str) -> None:
    sent = client.post(f"{API}/people", json=PERSON, headers=keyed(editor, key))
    assert "Idempotency-Key" in problem(sent, 400)["errors"]
    assert count(Person) == 0


def test_no_secret_is_stored(client: Any, editor: Any) -> None:
    client.post(f"{API}/people", json=PERSON, headers=keyed(editor, "k2"))
    row = db.session.scalar(select(IdempotencyKey))
    assert row is not None
    assert row.status == 201
    secret = editor["Authorization"].split()[1]
    stored = " ".join(str(v) for v in vars(row).values())
    assert secret not in stored
    assert row.actor.startswith("user:")
    assert set(row.response_headers) == {"Location", "Content-Type"}


def test_expired_keys_are_purged_and_forgotten(client: Any, editor: Any) -> None:
    headers = keyed(editor, "kemarin")
    assert client.post(f"{API}/people", json=PERSON, headers=headers).status_code == 201
    row = db.session.scalar(select(IdempotencyKey))
    row.created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    # past 24 hours the key is not an answer any more: the request is judged again
    problem(client.post(f"{API}/people", json=PERSON, headers=headers), 409)
    row = db.session.scalar(select(IdempotencyKey))
    assert row is None  # the expired claim was replaced, then released on the error
    client.post(f"{API}/people", json={**PERSON, "email": "b@example.org"}, headers=headers)
    db.session.scalar(select(IdempotencyKey)).created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    assert purge_expired(10) == 1
    assert count(IdempotencyKey) == 0


def test_the_header_is_documented_on_every_post(client: Any) -> None:
    spec = client.get(f"{API}/openapi.json").get_json()
    posts = [item["post"] for item in spec["paths"].values() if "post" in item]
    assert len(posts) > 30
    for op in posts:
        names = {(p["in"], p["name"]) for p in op.get("parameters", [])}
        assert ("header", "Idempotency-Key") in names, op["summary"]


def test_the_worker_purges_the_keys(app: Any) -> None:
    from meetcoord.core.worker import registered_jobs

    assert "idempotency-purge" in {job.name for job in registered_jobs(app)}
