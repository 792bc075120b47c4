"""Materials of agenda items (issue 15, point 3): typed by content, size-limited before
anything is parsed, stored under the instance folder, served as attachments; a speaker's
own link reaches one item only; participants download from their link, held back until
the item starts when asked; another institution finds nothing; the minutes list them."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.accounts.models import Role
from meetcoord.core import filetypes
from meetcoord.core.audit import AuditEntry
from meetcoord.core.db import utcnow
from meetcoord.core.outbox import OutboxMessage
from meetcoord.extensions import db
from meetcoord.live import services as live
from meetcoord.materials import queries, services, storage
from meetcoord.materials.models import Material
from meetcoord.meetings import links
from meetcoord.meetings.models import Invitation
from tests import factories
from tests.conftest import AuthActions
from tests.helpers import count, reads
from tests.materials import support


class Got:
    """A response read whole and closed (a file response holds its file open until then)."""

    def __init__(self, response: Any) -> None:
        self.status_code = response.status_code
        self.headers = response.headers
        self.mimetype = response.mimetype
        self.data = response.get_data()
        response.close()

    def get_data(self, as_text: bool = False) -> Any:
        return self.data.decode() if as_text else self.data


def fetch(client: FlaskClient, url: str, **kwargs: Any) -> Got:
    return Got(client.get(url, **kwargs))


def _files(app: Flask) -> list[str]:
    folder = storage.folder(app.instance_path)
    return sorted(os.listdir(folder)) if folder.exists() else []


# --- what a file is ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (support.pptx(), filetypes.PPTX),
        (support.PDF, filetypes.PDF),
        (support.PNG, filetypes.PNG),
        (support.EXE, None),
        (support.plain_zip(), None),
        (b"PK\x03\x04 not really a zip", None),
        (b"", None),
    ],
)
def test_the_kind_is_read_from_the_file(tmp_path: Path, data: bytes, kind: Any) -> None:
    path = tmp_path / "upload.pptx"  # the name says PPTX whatever the bytes are
    path.write_bytes(data)
    assert filetypes.sniff_file(path) == kind
    assert filetypes.sniff(data) == kind


def test_evidence_still_refuses_a_presentation() -> None:
    from meetcoord.actions import evidence

    assert evidence.sniff(support.pptx()) is None
    assert evidence.sniff(support.PDF) == evidence.PDF


# --- the secretariat's page ----------------------------------------------------------------


def test_a_real_pptx_uploads_and_downloads_as_an_attachment(app: Flask, auth: AuthActions) -> None:
    staff = auth.login(Role.SECRETARIAT)
    meeting, (item,) = support.meeting_with_items("Praktik baik Temanggung", by=staff)
    content = support.pptx(slides=3)
    response = auth.post(
        f"/meetings/{meeting.id}/materials/items/{item.id}",
        support.upload_form(content, "Paparan Bupati.pptx"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    material = db.session.scalars(select(Material)).one()
    assert (material.kind, material.size, material.filename) == (
        "pptx",
        len(content),
        "Paparan Bupati.pptx",
    )
    assert storage.path_for(app.instance_path, material.storage_key).read_bytes() == content
    assert not [f for f in _files(app) if f.endswith(".part")]
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == (
        "material.upload"
    )
    page = auth.client.get(f"/meetings/{meeting.id}/materials").get_data(as_text=True)
    assert "Paparan Bupati.pptx" in page
    got = fetch(auth.client, f"/meetings/{meeting.id}/materials/{material.id}")
    assert got.status_code == 200
    assert got.get_data() == content
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.mimetype == filetypes.PPTX.content_type
    partial = fetch(
        auth.client,
        f"/meetings/{meeting.id}/materials/{material.id}",
        headers={"Range": "bytes=0-3"},
    )
    assert partial.status_code == 206
    assert partial.get_data() == content[:4]


@pytest.mark.parametrize(
    ("content", "name"), [(support.EXE, "paparan.pptx"), (support.plain_zip(), "paparan.pptx")]
)
def test_a_file_of_the_wrong_kind_is_refused_naming_the_accepted_kinds(
    app: Flask, auth: AuthActions, content: bytes, name: str
) -> None:
    staff = auth.login(Role.SECRETARIAT)
    meeting, (item,) = support.meeting_with_items("Paparan", by=staff)
    before = _files(app)
    response = auth.post(
        f"/meetings/{meeting.id}/materials/items/{item.id}",
        support.upload_form(content, name),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "bukan jenis yang diterima" in html
    assert "PDF, PNG, JPEG, XLSX, DOCX, PPTX" in html
    assert count(Material) == 0
    assert _files(app) == before  # nothing left behind, not even the temporary copy
    english = reads(auth.client, "en").post(
        f"/meetings/{meeting.id}/materials/items/{item.id}",
        data={"csrf_token": auth.csrf_token, **support.upload_form(content, name)},
        content_type="multipart/form-data",
    )
    assert english.status_code == 422
    assert "is not an accepted kind. Accepted kinds: PDF, PNG" in english.get_data(as_text=True)


def test_the_size_limit_answers_413_before_anything_is_written(
    app: Flask, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MATERIAL_MAX_BYTES", 4096)
    staff = auth.login(Role.SECRETARIAT)
    meeting, (item,) = support.meeting_with_items("Paparan", by=staff)
    before = _files(app)
    response = auth.post(
        f"/meetings/{meeting.id}/materials/items/{item.id}",
        support.upload_form(support.pptx(padding=200_000), "besar.pptx"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert count(Material) == 0
    assert _files(app) == before


def test_delete_asks_first_then_removes_row_and_file(app: Flask, auth: AuthActions) -> None:
    staff = auth.login(Role.SECRETARIAT)
    meeting, (item,) = support.meeting_with_items("Paparan", by=staff)
    material = _upload(staff, item)
    path = storage.path_for(app.instance_path, material.storage_key)
    url = f"/meetings/{meeting.id}/materials/{material.id}/delete"
    asked = auth.client.get(url)
    assert asked.status_code == 200
    assert "paparan.pptx" in asked.get_data(as_text=True)
    assert count(Material) == 1
    assert auth.post(url).status_code == 302
    assert count(Material) == 0
    assert not path.exists()
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == (
        "material.delete"
    )


# --- the speaker's link --------------------------------------------------------------------


def _upload(who: Any, item: Any, content: bytes | None = None, **kwargs: Any) -> Material:
    import io

    return services.upload(
        who, item, io.BytesIO(content or support.pptx()), "paparan.pptx", **kwargs
    )


def test_a_speaker_link_is_mailed_and_uploads_to_its_own_item_only(
    app: Flask, client: FlaskClient
) -> None:
    meeting, (mine, other) = support.meeting_with_items("Temanggung", "Bangka")
    link, token = services.issue_link(
        meeting.created_by, mine, {"name": "Bupati Temanggung", "email": "bupati@example.go.id"}
    )
    assert token not in link.token_hash
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "speaker_link")
    ).one()
    assert token in mail.message.decode()
    page = client.get(f"/s/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Temanggung" in html
    assert "Bangka" not in html
    csrf = AuthActions.token_from(html)
    response = client.post(
        f"/s/{token}",
        data={"csrf_token": csrf, **support.upload_form(support.pptx(), "Paparan.pptx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    material = db.session.scalars(select(Material)).one()
    assert (material.agenda_item_id, material.speaker_link_id) == (mine.id, link.id)
    # The service refuses the link on any other item.
    with pytest.raises(Exception, match="Mata acara"):
        _upload(None, other, link=link)
    wrong = client.post(
        f"/s/{token}",
        data={"csrf_token": csrf, **support.upload_form(support.EXE, "x.pdf")},
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 422
    assert "bukan jenis yang diterima" in wrong.get_data(as_text=True)


def test_an_expired_or_revoked_speaker_link_is_not_found(client: FlaskClient) -> None:
    meeting, (item,) = support.meeting_with_items("Poso")
    expired, old = services.issue_link(meeting.created_by, item, {"name": "Bupati Poso"})
    expired.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    revoked, gone = services.issue_link(meeting.created_by, item, {"name": "Bupati Poso"})
    services.revoke_link(meeting.created_by, revoked)
    for token in (old, gone, "ms_forged"):
        assert client.get(f"/s/{token}").status_code == 404
        assert client.post(f"/s/{token}", data={}).status_code in (400, 404)
    assert count(Material) == 0


# --- participants --------------------------------------------------------------------------


def test_participants_download_and_wait_for_the_item_when_asked(
    app: Flask, client: FlaskClient
) -> None:
    meeting, (first, second) = support.meeting_with_items("Pembukaan", "Praktik baik")
    chair = factories.invitation(meeting, role="chair")
    online = factories.invitation(meeting, online=True)
    factories.schedule(meeting)
    free = _upload(meeting.created_by, first, support.PDF)
    held = _upload(meeting.created_by, second, support.pptx(), after_start=True)
    free_id, held_id = free.id, held.id
    meeting_id, second_id, chair_id = meeting.id, second.id, chair.id
    token = links.personal_token(online)
    page = client.get(f"/i/{token}/materials").get_data(as_text=True)
    assert f"/i/{token}/materials/{free_id}" in page
    assert f"/i/{token}/materials/{held_id}" not in page
    assert "tersedia setelah mata acara dimulai" in page
    assert fetch(client, f"/i/{token}/materials/{free_id}").get_data() == support.PDF
    assert client.get(f"/i/{token}/materials/{held_id}").status_code == 404
    # The chair opens the room and starts the second item: it opens to everyone.
    # (A download lets the session go: the objects are read again.)
    chair = db.session.get(Invitation, chair_id)
    actor = Actor(invitation=chair, meeting=chair.meeting)
    live.open_meeting(actor, meeting_id)
    live.activate_item(actor, meeting_id, second_id)
    got = fetch(client, f"/i/{token}/materials/{held_id}")
    assert got.status_code == 200
    assert got.headers["Content-Disposition"].startswith("attachment;")
    # The personal page and the phone view link to the list.
    assert f"/i/{token}/materials" in client.get(f"/i/{token}").get_data(as_text=True)
    assert f"/i/{token}/materials" in client.get(f"/i/{token}/live").get_data(as_text=True)


def test_another_meetings_link_finds_nothing(client: FlaskClient) -> None:
    meeting, (item,) = support.meeting_with_items("Pembukaan")
    material = _upload(meeting.created_by, item, support.PDF)
    other = factories.meeting()
    stranger = factories.invitation(other)
    assert (
        client.get(f"/i/{links.personal_token(stranger)}/materials/{material.id}").status_code
        == 404
    )


# --- scope ---------------------------------------------------------------------------------


def test_another_institutions_staff_find_nothing(
    app: Flask, auth: AuthActions, api_token: Any
) -> None:
    meeting, (item,) = support.meeting_with_items("Pembukaan")
    material = _upload(meeting.created_by, item, support.PDF)
    ntb = factories.institution(name="Bappeda NTB Uji Bahan")
    outsider = factories.user(Role.SECRETARIAT, institution=ntb)
    auth.login(user=outsider)
    for url in (
        f"/meetings/{meeting.id}/materials",
        f"/meetings/{meeting.id}/materials/{material.id}",
        f"/meetings/{meeting.id}/materials/{material.id}/delete",
    ):
        assert auth.client.get(url).status_code == 404, url
    assert auth.post(f"/meetings/{meeting.id}/materials/{material.id}/delete").status_code == 404
    assert count(Material) == 1


# --- the API -------------------------------------------------------------------------------


def test_the_api_lists_uploads_downloads_and_deletes(
    app: Flask, client: FlaskClient, api_token: Any
) -> None:
    staff, headers = api_token(Role.SECRETARIAT)
    meeting, (item,) = support.meeting_with_items("Pembukaan", by=staff)
    base = f"/api/v1/meetings/{meeting.id}/materials"
    wrong = client.post(
        base,
        data={
            "agenda_item_id": str(item.id),
            "file": support.upload_form(support.EXE, "a.pptx")["file"],
        },
        headers=headers,
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 422
    assert wrong.mimetype == "application/problem+json"
    assert "PPTX" in wrong.get_json()["errors"]["file"][0]
    content = support.pptx()
    made = client.post(
        base,
        data={
            "agenda_item_id": str(item.id),
            "after_start": "true",
            **support.upload_form(content, "p.pptx"),
        },
        headers=headers,
        content_type="multipart/form-data",
    )
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["kind"], body["size"], body["after_start"]) == ("pptx", len(content), True)
    listed = client.get(base, headers=headers).get_json()
    assert [m["id"] for m in listed["items"]] == [body["id"]]
    assert fetch(client, body["url"], headers=headers).get_data() == content
    assert client.delete(body["url"], headers=headers).status_code == 204
    assert count(Material) == 0


# --- the report's and the minutes' lists ----------------------------------------------------


def test_for_meeting_gives_the_report_its_rows() -> None:
    meeting, (first, second) = support.meeting_with_items("Pembukaan", "Praktik baik")
    _upload(meeting.created_by, second, support.pptx())
    _upload(meeting.created_by, first, support.PDF)
    rows = queries.for_meeting(meeting.id)
    assert [(r["item_position"], r["kind"]) for r in rows] == [(1, "pdf"), (2, "pptx")]
    assert set(rows[0]) == {
        "agenda_item_id",
        "item_title",
        "item_position",
        "presenter",
        "filename",
        "kind",
        "size",
        "uploaded_at",
    }
    assert rows[0]["uploaded_at"].utcoffset() == timedelta(0)


def test_the_minutes_list_each_items_materials(app: Flask) -> None:
    from meetcoord.documents import workflow
    from meetcoord.documents.pdf.compose import compose_minutes
    from meetcoord.documents.pdf.render import material_line, render_minutes_pdf
    from meetcoord.documents.sources import minutes_data
    from tests.documents_support import ClosedRakor

    rakor = ClosedRakor(app)
    item = next(i for i in rakor.meeting.agenda if i.id == rakor.items[1])
    _upload(rakor.staff, item, support.pptx())
    data = minutes_data(rakor.meeting)
    listed = {a.title: a.materials for a in data.agenda}
    assert [(m.filename, m.kind) for m in listed["Ketahanan pangan"]] == [("paparan.pptx", "pptx")]
    assert listed["Pembukaan"] == []
    assert material_line(listed["Ketahanan pangan"][0]).startswith("paparan.pptx (PPTX, ")
    document = workflow.start_minutes(Actor(user=rakor.staff), rakor.meeting)
    assert document.content["agenda"][1]["materials"][0]["filename"] == "paparan.pptx"
    import io

    from pypdf import PdfReader

    pdf = render_minutes_pdf(compose_minutes(data), verify_url="https://example.go.id/v")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Bahan paparan: paparan.pptx (PPTX," in text
