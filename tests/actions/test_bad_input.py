"""Issue 13, "What it must show": each bad input is a clear message in Indonesian and in
English, a 4xx, and nothing changed — through the staff page, the staff API, the agency's
personal link page and its JSON twin.

The cases: evidence of the wrong type (a program renamed .pdf), evidence too large, an
invalid status step, a due-date change without a reason, and another agency's link.
"Nothing changed" is the action's status and dates, its history, its evidence rows and
the evidence folder.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from meetcoord.actions.models import Action, ActionEvidence, ActionStatus
from meetcoord.extensions import db
from tests.actions import support
from tests.actions.test_agency_view import API, Agencies, csrf_of
from tests.conftest import AuthActions
from tests.helpers import reads

PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode"
LIMIT = 2048
BIG = support.PDF + b"0" * (2 * LIMIT)

# What each refusal says, by language (a part of the message that names the problem).
WRONG_TYPE = {
    "id": "Berkas laporan.pdf bukan PDF, PNG, JPEG, XLSX atau DOCX yang sah.",
    "en": "The file laporan.pdf is not a valid PDF, PNG, JPEG, XLSX or DOCX.",
}
TOO_LARGE = {
    "id": "Berkas besar.pdf terlalu besar; paling besar",
    "en": "The file besar.pdf is too large; at most",
}
BAD_STEP = {"id": "Status tidak dapat diubah dari", "en": "The status cannot change from"}
AGENCY_STEP = {
    "id": "Dari tautan ini status hanya dapat diubah menjadi",
    "en": "Through this link the status can only be changed to",
}
NO_REASON = {"id": "Tuliskan alasan tenggat diubah.", "en": "Give the reason the due date changes."}
EMPTY = {
    "id": "Isi catatan, persentase, tonggak, status atau bukti.",
    "en": "Enter a note, a percentage, a milestone, a status or evidence.",
}
NOT_FOUND = {"id": "Data tidak ditemukan.", "en": "Record not found."}
LANGS = ["id", "en"]


@pytest.fixture
def scene(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Agencies:
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", LIMIT)
    return Agencies()


def state(app: Flask, action: Action) -> tuple[Any, ...]:
    db.session.expire_all()
    found = db.session.get(Action, action.id)
    evidence = db.session.query(ActionEvidence).filter_by(action_id=action.id).count()
    return (
        found.status,
        found.due_on,
        found.original_due_on,
        found.version,
        len(found.updates),
        evidence,
        frozenset(support.stored_files(app)),
    )


def refused(
    app: Flask, action: Action, send: Callable[[], Any], status: int, message: str | None
) -> None:
    """``send()`` answers ``status`` with ``message`` in it, and changes nothing."""
    before = state(app, action)
    response = send()
    text = response.get_data(as_text=True)
    assert response.status_code == status, text[:600]
    if message is not None:
        assert message in text, text[:2000]
    assert state(app, action) == before


def files(*pairs: tuple[str, bytes]) -> list[tuple[io.BytesIO, str]]:
    return [(io.BytesIO(body), name) for name, body in pairs]


# --- the staff page and the staff API -----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_staff_page_refuses_each_bad_input(
    app: Flask, auth: AuthActions, scene: Agencies, lang: str
) -> None:
    auth.login(user=scene.staff)
    action, head = scene.mine, {}
    reads(auth.client, lang)
    base = f"/actions/{action.id}"

    def upload(name: str, body: bytes) -> Callable[[], Any]:
        data = {"note": "Bukti", "evidence": files((name, body))}
        return lambda: auth.post(
            f"{base}/updates", data, content_type="multipart/form-data", headers=head
        )

    refused(app, action, upload("laporan.pdf", PROGRAM), 422, WRONG_TYPE[lang])
    refused(app, action, upload("besar.pdf", BIG), 422, TOO_LARGE[lang])
    # Verifying an action nobody has reported done: not a step of the workflow.
    verify = lambda: auth.post(f"{base}/verify", {"note": "ok"}, headers=head)  # noqa: E731
    refused(app, action, verify, 422, BAD_STEP[lang])
    for reason in (None, "   "):
        data = {"due_on": "2030-09-30"} | ({"reason": reason} if reason else {})
        move = lambda data=data: auth.post(f"{base}/due", data, headers=head)  # noqa: E731
        refused(app, action, move, 422, NO_REASON[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_the_staff_api_refuses_each_bad_input(
    app: Flask, client: FlaskClient, scene: Agencies, lang: str
) -> None:
    head = support.bearer(scene.staff) | {"Accept-Language": lang}
    action = scene.mine
    base = f"{API}/actions/{action.id}"

    def upload(name: str, body: bytes) -> Callable[[], Any]:
        data = {"note": "Bukti", "evidence": files((name, body))}
        return lambda: client.post(
            f"{base}/updates", data=data, headers=head, content_type="multipart/form-data"
        )

    refused(app, action, upload("laporan.pdf", PROGRAM), 422, WRONG_TYPE[lang])
    refused(app, action, upload("besar.pdf", BIG), 422, TOO_LARGE[lang])
    step = lambda: client.patch(base, json={"status": "verified"}, headers=head)  # noqa: E731
    refused(app, action, step, 422, BAD_STEP[lang])
    move = lambda: client.patch(base, json={"due_on": "2030-09-30"}, headers=head)  # noqa: E731
    refused(app, action, move, 422, NO_REASON[lang])
    # Another institution's secretariat: the action does not exist for them.
    outsider = support.bearer(scene.ntb_staff) | {"Accept-Language": lang}
    other = lambda: client.patch(base, json={"status": "done"}, headers=outsider)  # noqa: E731
    refused(app, action, other, 404, NOT_FOUND[lang])


# --- the agency's personal link and its JSON twin --------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_agency_page_refuses_each_bad_input(
    app: Flask, client: FlaskClient, scene: Agencies, lang: str
) -> None:
    head: dict[str, str] = {}
    reads(client, lang)
    page = f"/i/{scene.token}/actions"
    action = scene.mine

    def post(data: dict[str, Any], token: str = scene.token) -> Callable[[], Any]:
        def send() -> Any:
            csrf = csrf_of(client, f"/i/{token}/actions")
            return client.post(
                f"/i/{token}/actions/{action.id}",
                data={"csrf_token": csrf, **data},
                content_type="multipart/form-data",
                headers=head,
            )

        return send

    refused(app, action, post({"evidence": files(("laporan.pdf", PROGRAM))}), 422, WRONG_TYPE[lang])
    refused(app, action, post({"evidence": files(("besar.pdf", BIG))}), 422, TOO_LARGE[lang])
    scene.mine.status = ActionStatus.DONE
    db.session.commit()
    # Reopening a done action is the secretariat's (when it does not accept the work).
    refused(app, action, post({"status": "in_progress"}), 422, AGENCY_STEP[lang])
    # The link has no door for the due date: a due date alone is an empty update.
    moved = post({"due_on": "2030-09-30", "reason": "Banjir"})
    refused(app, action, moved, 422, EMPTY[lang])
    assert db.session.get(Action, action.id).due_on == date(2030, 3, 31)
    # Dinas Sosial's link: Dinas Pertanian's action is not found.
    refused(app, action, post({"status": "done"}, scene.other_token), 404, NOT_FOUND[lang])
    assert client.get(page, headers=head).status_code == 200


@pytest.mark.parametrize("lang", LANGS)
def test_the_agency_api_refuses_each_bad_input(
    app: Flask, client: FlaskClient, scene: Agencies, lang: str
) -> None:
    head = {"Accept-Language": lang}
    action = scene.mine

    def post(data: dict[str, Any], token: str = scene.token) -> Callable[[], Any]:
        return lambda: client.post(
            f"{API}/i/{token}/actions/{action.id}/updates",
            data=data,
            content_type="multipart/form-data",
            headers=head,
        )

    refused(app, action, post({"evidence": files(("laporan.pdf", PROGRAM))}), 422, WRONG_TYPE[lang])
    refused(app, action, post({"evidence": files(("besar.pdf", BIG))}), 422, TOO_LARGE[lang])
    refused(app, action, post({"status": "verified"}), 422, AGENCY_STEP[lang])
    refused(app, action, post({"status": "done"}, scene.other_token), 404, NOT_FOUND[lang])
