"""A server without its signing CA (``meetcoord init`` never run, or the CA folder lost)
refuses a code signature with a 503 problem that says so in the reader's language, logs
the reason once for the operator, and changes nothing: the code is neither spent nor
counted, and it signs once the CA is back."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from meetcoord.documents.models import DocumentStatus
from meetcoord.documents.signing import ca as ca_module
from meetcoord.meetings.links import personal_token
from tests.documents.test_documents_views import Link, reload, state
from tests.documents.test_signing_second_factor import live_code
from tests.documents_support import ClosedRakor, ensure_ca, final_minutes, mailed_code
from tests.helpers import text
from tests.kiosk_support import phone

FORM = {"content_type": "multipart/form-data"}


@pytest.fixture
def rakor(app: Flask) -> ClosedRakor:
    ensure_ca(app)
    return ClosedRakor(app)


@pytest.fixture
def without_ca(app: Flask) -> Iterator[None]:
    """The CA folder moved aside for the test (as on a server where init never ran)."""
    folder = ca_module.ca_dir(app.config["INSTANCE_PATH"])
    aside = folder.with_name("ca-aside")
    folder.rename(aside)
    try:
        yield
    finally:
        aside.rename(folder)


@pytest.fixture
def caplog(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Errors of ``meetcoord.documents`` captured; Alembic's ``fileConfig`` (the test
    database's migrations) disabled the loggers that existed before it ran."""
    monkeypatch.setattr(logging.getLogger("meetcoord.documents"), "disabled", False)
    caplog.set_level(logging.ERROR, logger="meetcoord.documents")
    return caplog


def refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.levelno == logging.ERROR and "no signing CA" in r.getMessage()
    ]


def test_the_api_answers_503_logs_once_and_changes_nothing(
    app: Flask, rakor: ClosedRakor, caplog: pytest.LogCaptureFixture
) -> None:
    doc = final_minutes(rakor)
    api = phone(app)
    url = f"/api/v1/i/{personal_token(rakor.chair)}/documents/{doc.id}"
    assert api.post(f"{url}/sign-code").status_code == 202
    code, pending = mailed_code(rakor.chair), live_code(rakor)
    before = state(doc.id)
    folder = ca_module.ca_dir(app.config["INSTANCE_PATH"])
    aside = folder.with_name("ca-aside")
    folder.rename(aside)

    refused = api.post(f"{url}/sign", data={"code": code}, **FORM)
    assert refused.status_code == 503, refused.get_data(as_text=True)
    assert refused.mimetype == "application/problem+json"
    body = refused.get_json()
    assert (body["status"], body["code"]) == (503, "signing_not_set_up")
    assert "Penandatanganan belum disiapkan di server ini" in body["detail"]
    assert "meetcoord init" in body["detail"]
    [logged] = refusals(caplog)  # once, with the reason, for the operator
    assert "meetcoord init" in logged.getMessage()
    assert str(Path(app.config["INSTANCE_PATH"])) in logged.getMessage()

    english = api.post(
        f"{url}/sign", data={"code": code}, headers={"Accept-Language": "en"}, **FORM
    )
    assert english.status_code == 503
    assert "Signing is not set up on this server" in english.get_json()["detail"]
    assert "meetcoord init" in english.get_json()["detail"]
    no_code = api.post(f"{url}/sign-code")
    assert no_code.status_code == 503  # no code mailed that could not be used
    assert len(refusals(caplog)) == 3
    assert state(doc.id) == before
    still = live_code(rakor)
    assert (still.id, still.attempts, still.used_at) == (pending.id, 0, None)

    aside.rename(folder)  # the operator restores the CA: the same code signs
    done = api.post(f"{url}/sign", data={"code": code}, **FORM)
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json()["signatories"][0]["factor"] == "email_code"


def test_the_page_answers_503_with_the_reason_and_changes_nothing(
    app: Flask, rakor: ClosedRakor, caplog: pytest.LogCaptureFixture, without_ca: Any
) -> None:
    doc = final_minutes(rakor)
    link = Link(app, rakor.chair)
    assert link.get(doc.id).status_code == 200  # the page itself still opens
    before = state(doc.id)

    asked = link.post(doc.id, "code")
    assert asked.status_code == 503
    assert "Penandatanganan belum disiapkan di server ini" in text(asked)
    signed = link.post(doc.id, "sign", {"key": "code", "code": "123456"})
    assert signed.status_code == 503
    page = text(signed)
    assert "Penandatanganan belum disiapkan di server ini" in page
    assert "meetcoord init" in page
    assert len(refusals(caplog)) == 2
    assert state(doc.id) == before
    assert reload(doc.id).status is DocumentStatus.FINAL
