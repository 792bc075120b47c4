"""Evidence files: accepted by what they are (not by their name), size-limited, stored
under the instance folder, served as private attachments only to those who may see the
action; a refused file leaves no row and no file behind."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from meetcoord.accounts.models import Role
from meetcoord.actions import evidence
from meetcoord.actions.models import ActionEvidence, ActionStatus
from meetcoord.extensions import db
from tests import factories
from tests.actions import support
from tests.conftest import AuthActions
from tests.helpers import count


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (support.PDF, evidence.PDF),
        (support.PNG, evidence.PNG),
        (support.JPEG, evidence.JPEG),
        (support.XLSX, evidence.XLSX),
        (support.DOCX, evidence.DOCX),
        (b"MZ\x90\x00 a program", None),
        (b"<html><script>alert(1)</script>", None),
        (support.ooxml("word/other.xml"), None),  # a ZIP, but no Office document
        (b"PK\x03\x04 not really a zip", None),
        (b"", None),
    ],
)
def test_the_kind_is_read_from_the_content(data: bytes, kind: Any) -> None:
    assert evidence.sniff(data) == kind


def test_the_download_name_takes_the_real_extension() -> None:
    assert evidence.safe_name("../../laporan desa.exe", evidence.PDF) == "laporan desa.pdf"
    assert evidence.safe_name(None, evidence.XLSX) == "bukti.xlsx"
    with pytest.raises(ValueError, match="not an evidence key"):
        evidence.path_for("instance", "../secret_key")


def _post(auth: AuthActions, action_id: int, files: list[tuple[bytes, str]], **form: str) -> Any:
    data: dict[str, Any] = dict(form)
    data["evidence"] = [(io.BytesIO(content), name) for content, name in files]
    return auth.post(f"/actions/{action_id}/updates", data, content_type="multipart/form-data")


def test_a_page_upload_stores_the_file_and_serves_it_privately(
    app: Flask, auth: AuthActions
) -> None:
    action = support.action()
    auth.login(Role.SECRETARIAT)
    before = support.stored_files(app)
    response = _post(
        auth,
        action.id,
        [(support.PDF, "notulen.PDF"), (support.XLSX, "rekap.xlsx")],
        status="done",
        note="Sudah selesai",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    files = db.session.query(ActionEvidence).filter_by(action_id=action.id).all()
    assert [(f.filename, f.content_type) for f in files] == [
        ("notulen.pdf", "application/pdf"),
        ("rekap.xlsx", evidence.XLSX.content_type),
    ]
    assert support.stored_files(app) - before == {f.storage_key for f in files}
    assert action.status is ActionStatus.DONE

    download = auth.client.get(f"/actions/{action.id}/evidence/{files[0].id}")
    assert download.status_code == 200
    assert download.data == support.PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download.headers["Cache-Control"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    page = auth.client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "notulen.pdf" in page
    assert "Sudah selesai" in page


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"MZ\x90\x00program", "laporan.pdf"), (b"<svg onload=alert(1)>", "foto.png")],
)
def test_a_file_of_the_wrong_kind_is_refused_and_nothing_is_kept(
    app: Flask, auth: AuthActions, content: bytes, name: str
) -> None:
    action = support.action()
    auth.login(Role.SECRETARIAT)
    before = support.stored_files(app)
    response = _post(auth, action.id, [(support.PDF, "ok.pdf"), (content, name)], note="x")
    assert response.status_code == 422
    assert name in response.get_data(as_text=True)
    assert count(ActionEvidence) == 0
    assert support.history(action) == []
    assert support.stored_files(app) == before


def test_a_file_too_large_is_refused_and_nothing_is_kept(
    app: Flask, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 2048)
    action = support.action()
    auth.login(Role.SECRETARIAT)
    before = support.stored_files(app)
    big = support.PDF + b"0" * 4096
    response = _post(auth, action.id, [(big, "besar.pdf")], status="in_progress")
    assert response.status_code == 422
    assert "terlalu besar" in response.get_data(as_text=True)
    # A body far beyond every file's limit is refused before it is read at all.
    huge = _post(auth, action.id, [(support.PDF + b"0" * 200_000, "raksasa.pdf")], note="x")
    assert huge.status_code == 413
    assert count(ActionEvidence) == 0
    assert support.history(action) == []
    assert action.status is ActionStatus.OPEN
    assert support.stored_files(app) == before


def test_the_api_takes_evidence_and_only_the_meeting_s_staff_get_it(
    app: Flask, client: FlaskClient
) -> None:
    action = support.action()
    staff = factories.user(Role.SECRETARIAT)
    response = client.post(
        f"/api/v1/actions/{action.id}/updates",
        data={
            "note": "Foto kegiatan",
            "percentage": "60",
            "evidence": [(io.BytesIO(support.JPEG), "foto.jpeg")],
        },
        headers=support.bearer(staff),
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["percentage"] == 60
    assert body["evidence"][0]["filename"] == "foto.jpg"
    url = body["evidence"][0]["url"]
    got = client.get(url, headers=support.bearer(staff))
    assert got.status_code == 200
    assert got.data == support.JPEG
    assert got.headers["Content-Disposition"].startswith("attachment;")

    other = factories.institution()
    outsider = factories.user(Role.SECRETARIAT, institution=other)
    assert client.get(url, headers=support.bearer(outsider)).status_code == 404

    wrong = client.post(
        f"/api/v1/actions/{action.id}/updates",
        data={"evidence": [(io.BytesIO(b"#!/bin/sh"), "run.docx")]},
        headers=support.bearer(staff),
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 422
    assert wrong.headers["Content-Type"].startswith("application/problem+json")
    assert "evidence" in wrong.get_json()["errors"]
    assert count(ActionEvidence) == 1
