"""Speakers' upload links through the API (issue 17, point 1): the staff issue, list and
revoke them; the speaker reads and uploads with the token that only their mail carries.

The same services as the pages, so the same rules: the token never reaches the staff's
answers, a revoked link is a 404, a body above the limit a 413 before it is read, a file
of another kind a 422, another institution's meeting a 404."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meetcoord.accounts.models import Role
from meetcoord.core.audit import AuditEntry
from meetcoord.core.outbox import OutboxMessage
from meetcoord.extensions import db
from meetcoord.materials import storage
from meetcoord.materials.models import Material, SpeakerLink
from tests import factories
from tests.helpers import count, reads
from tests.materials import support

MULTIPART = "multipart/form-data"
TOKEN_IN_MAIL = re.compile(r"/s/(ms_[A-Za-z0-9_\-]+)")


def _files(app: Flask) -> list[str]:
    folder = storage.folder(app.instance_path)
    return sorted(os.listdir(folder)) if folder.exists() else []


def _issue(
    client: FlaskClient, headers: dict[str, str], meeting_id: int, item_id: int, **body: Any
) -> Any:
    return client.post(
        f"/api/v1/meetings/{meeting_id}/agenda/{item_id}/speaker-links",
        json={"name": "Bupati Temanggung", "email": "bupati@example.go.id", **body},
        headers=headers,
    )


def _mailed_token(link_id: int) -> str:
    mail = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.kind == "speaker_link", OutboxMessage.ref_id == link_id
        )
    ).one()
    assert mail.recipient == "bupati@example.go.id"
    found = TOKEN_IN_MAIL.search(mail.message.decode())
    assert found, "the mail carries no /s/<token> link"
    return found.group(1)


@pytest.fixture
def staffed(api_token: Any) -> tuple[dict[str, str], Any, list[Any]]:
    staff, headers = api_token(Role.SECRETARIAT)
    meeting, items = support.meeting_with_items("Praktik baik Temanggung", "Bangka", by=staff)
    return headers, meeting, items


def test_issue_mails_the_link_and_answers_without_the_token(
    client: FlaskClient, staffed: Any
) -> None:
    headers, meeting, (item, _other) = staffed
    made = _issue(client, headers, meeting.id, item.id, days=7)
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert set(body) == {
        "id",
        "agenda_item_id",
        "agenda_item_title",
        "name",
        "email",
        "status",
        "expires_at",
        "created_at",
        "revoked_at",
    }
    assert (body["agenda_item_id"], body["name"], body["status"]) == (
        item.id,
        "Bupati Temanggung",
        "active",
    )
    assert body["revoked_at"] is None
    location = made.headers["Location"]
    assert location.endswith(f"/api/v1/meetings/{meeting.id}/speaker-links/{body['id']}")
    token = _mailed_token(body["id"])
    assert token not in made.get_data(as_text=True)
    assert db.session.get(SpeakerLink, body["id"]).token_hash != token
    one = client.get(location, headers=headers)
    assert one.status_code == 200
    assert token not in one.get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == (
        "speaker_link.issue"
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [({"email": ""}, "email"), ({"email": "bukan-surel"}, "email"), ({"days": 91}, "days")],
)
def test_a_link_that_could_not_be_delivered_is_refused(
    client: FlaskClient, staffed: Any, body: dict[str, Any], field: str
) -> None:
    headers, meeting, (item, _other) = staffed
    refused = _issue(client, headers, meeting.id, item.id, **body)
    assert refused.status_code == 422, refused.get_json()
    assert refused.mimetype == "application/problem+json"
    assert field in refused.get_json()["errors"]
    assert count(SpeakerLink) == 0
    assert count(OutboxMessage, OutboxMessage.kind == "speaker_link") == 0


def test_an_item_of_another_meeting_is_not_found(client: FlaskClient, staffed: Any) -> None:
    headers, meeting, _items = staffed
    _other_meeting, (elsewhere,) = support.meeting_with_items("Lain", by=meeting.created_by)
    assert _issue(client, headers, meeting.id, elsewhere.id).status_code == 404
    assert count(SpeakerLink) == 0


def test_the_list_pages_filters_and_never_shows_a_token(client: FlaskClient, staffed: Any) -> None:
    headers, meeting, (first, second) = staffed
    ids = [_issue(client, headers, meeting.id, i.id).get_json()["id"] for i in (first, second)]
    tokens = [_mailed_token(link_id) for link_id in ids]
    base = f"/api/v1/meetings/{meeting.id}/speaker-links"
    listed = client.get(base, headers=headers)
    assert listed.status_code == 200
    page = listed.get_json()
    assert [link["id"] for link in page["items"]] == ids[::-1]  # newest first
    assert (page["total"], page["page"], page["pages"]) == (2, 1, 1)
    assert not any(token in listed.get_data(as_text=True) for token in tokens)
    only = client.get(f"{base}?agenda_item_id={second.id}", headers=headers).get_json()
    assert [link["id"] for link in only["items"]] == [ids[1]]
    paged = client.get(f"{base}?per_page=1&page=2&sort=created_at&order=asc", headers=headers)
    assert [link["id"] for link in paged.get_json()["items"]] == [ids[1]]
    unknown = client.get(f"{base}?sort=token", headers=headers)
    assert unknown.status_code == 422


def test_revoke_stops_the_speaker_at_once(client: FlaskClient, staffed: Any) -> None:
    headers, meeting, (item, _other) = staffed
    link_id = _issue(client, headers, meeting.id, item.id).get_json()["id"]
    token = _mailed_token(link_id)
    assert client.get(f"/api/v1/s/{token}").status_code == 200
    url = f"/api/v1/meetings/{meeting.id}/speaker-links/{link_id}"
    assert client.delete(url, headers=headers).status_code == 204
    revoked_at = db.session.get(SpeakerLink, link_id).revoked_at
    assert revoked_at is not None
    assert client.delete(url, headers=headers).status_code == 204  # again: no change
    assert db.session.get(SpeakerLink, link_id).revoked_at == revoked_at
    shown = client.get(url, headers=headers).get_json()
    assert shown["status"] == "revoked"
    revoked = client.get(
        f"/api/v1/meetings/{meeting.id}/speaker-links?status=revoked", headers=headers
    )
    assert [link["id"] for link in revoked.get_json()["items"]] == [link_id]
    assert client.get(f"/api/v1/s/{token}").status_code == 404
    upload = client.post(
        f"/api/v1/s/{token}/materials",
        data=support.upload_form(support.pptx(), "paparan.pptx"),
        content_type=MULTIPART,
    )
    assert upload.status_code in (404, 410)
    assert count(Material) == 0


# --- the speaker ---------------------------------------------------------------------------


def test_the_speaker_sees_their_item_and_uploads_to_it(
    app: Flask, client: FlaskClient, staffed: Any
) -> None:
    headers, meeting, (item, other) = staffed
    link_id = _issue(client, headers, meeting.id, item.id).get_json()["id"]
    token = _mailed_token(link_id)
    seen = client.get(f"/api/v1/s/{token}")
    assert seen.status_code == 200
    assert seen.headers["Referrer-Policy"] == "no-referrer"
    assert seen.headers["Cache-Control"] == "no-store"
    view = seen.get_json()
    assert view["agenda_item"]["id"] == item.id
    assert view["name"] == "Bupati Temanggung"
    assert view["zone"]
    assert view["zone_label"]
    assert view["meeting"]["start_local"]["zone"] == view["zone"]
    assert "pptx" in view["accepted_kinds"]
    assert view["max_bytes"] == app.config["MATERIAL_MAX_BYTES"]
    assert view["materials"] == []
    assert other.title not in seen.get_data(as_text=True)
    content = support.pptx(slides=2)
    made = client.post(
        f"/api/v1/s/{token}/materials",
        data=support.upload_form(content, "Paparan Bupati.pptx"),
        content_type=MULTIPART,
    )
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["kind"], body["size"], body["from_speaker"]) == ("pptx", len(content), True)
    material = db.session.get(Material, body["id"])
    assert (material.agenda_item_id, material.speaker_link_id) == (item.id, link_id)
    assert storage.path_for(app.instance_path, material.storage_key).read_bytes() == content
    again = client.get(f"/api/v1/s/{token}").get_json()
    assert [m["filename"] for m in again["materials"]] == ["Paparan Bupati.pptx"]
    # The staff's list shows the speaker's file beside their own.
    staff_list = client.get(f"/api/v1/meetings/{meeting.id}/materials", headers=headers)
    assert [m["id"] for m in staff_list.get_json()["items"]] == [body["id"]]


def test_too_big_is_413_and_nothing_is_written(
    app: Flask, client: FlaskClient, staffed: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers, meeting, (item, _other) = staffed
    token = _mailed_token(_issue(client, headers, meeting.id, item.id).get_json()["id"])
    monkeypatch.setitem(app.config, "MATERIAL_MAX_BYTES", 4096)
    before = _files(app)
    # Far above the limit: refused from its length, unread; just above: refused while copied.
    for padding in (200_000, 8_000):
        response = client.post(
            f"/api/v1/s/{token}/materials",
            data=support.upload_form(support.pptx(padding=padding), "besar.pptx"),
            content_type=MULTIPART,
        )
        assert response.status_code == 413, padding
        assert response.mimetype == "application/problem+json"
    assert count(Material) == 0
    assert _files(app) == before


@pytest.mark.parametrize(("content", "name"), [(support.EXE, "paparan.pptx"), (b"", "a.pdf")])
def test_another_kind_is_422_naming_the_accepted_kinds(
    app: Flask, client: FlaskClient, staffed: Any, content: bytes, name: str
) -> None:
    headers, meeting, (item, _other) = staffed
    token = _mailed_token(_issue(client, headers, meeting.id, item.id).get_json()["id"])
    before = _files(app)
    refused = client.post(
        f"/api/v1/s/{token}/materials",
        data=support.upload_form(content, name),
        content_type=MULTIPART,
    )
    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"
    assert "PDF, PNG, JPEG, XLSX, DOCX, PPTX" in refused.get_json()["errors"]["file"][0]
    english = reads(client, "en").post(
        f"/api/v1/s/{token}/materials",
        data=support.upload_form(content, name),
        content_type=MULTIPART,
    )
    assert "is not an accepted kind" in english.get_json()["errors"]["file"][0]
    assert count(Material) == 0
    assert _files(app) == before


def test_no_file_and_a_forged_token(client: FlaskClient, staffed: Any) -> None:
    headers, meeting, (item, _other) = staffed
    token = _mailed_token(_issue(client, headers, meeting.id, item.id).get_json()["id"])
    empty = client.post(f"/api/v1/s/{token}/materials", data={}, content_type=MULTIPART)
    assert empty.status_code == 422
    assert "file" in empty.get_json()["errors"]
    assert client.get("/api/v1/s/ms_forged").status_code == 404
    forged = client.post(
        "/api/v1/s/ms_forged/materials",
        data=support.upload_form(support.PDF, "a.pdf"),
        content_type=MULTIPART,
    )
    assert forged.status_code == 404
    assert count(Material) == 0


# --- who may ------------------------------------------------------------------------------


def test_another_institutions_staff_find_nothing(
    client: FlaskClient, staffed: Any, api_token: Any
) -> None:
    headers, meeting, (item, _other) = staffed
    link_id = _issue(client, headers, meeting.id, item.id).get_json()["id"]
    ntb = factories.institution(name="Bappeda NTB Uji Tautan")
    outsider = factories.user(Role.SECRETARIAT, institution=ntb)
    from meetcoord.accounts.services import create_token

    _t, secret = create_token(None, outsider, "test")
    theirs = {"Authorization": f"Bearer {secret}"}
    base = f"/api/v1/meetings/{meeting.id}"
    assert _issue(client, theirs, meeting.id, item.id).status_code == 404
    assert client.get(f"{base}/speaker-links", headers=theirs).status_code == 404
    assert client.get(f"{base}/speaker-links/{link_id}", headers=theirs).status_code == 404
    assert client.delete(f"{base}/speaker-links/{link_id}", headers=theirs).status_code == 404
    assert db.session.get(SpeakerLink, link_id).revoked_at is None
    assert count(SpeakerLink) == 1


def test_a_viewer_lists_but_may_not_issue_or_revoke(
    client: FlaskClient, staffed: Any, api_token: Any
) -> None:
    headers, meeting, (item, _other) = staffed
    link_id = _issue(client, headers, meeting.id, item.id).get_json()["id"]
    _viewer, theirs = api_token(Role.VIEWER)
    base = f"/api/v1/meetings/{meeting.id}"
    assert client.get(f"{base}/speaker-links", headers=theirs).status_code == 200
    assert _issue(client, theirs, meeting.id, item.id).status_code == 403
    assert client.delete(f"{base}/speaker-links/{link_id}", headers=theirs).status_code == 403
    assert count(SpeakerLink) == 1
