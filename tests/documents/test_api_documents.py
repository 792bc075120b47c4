"""The documents JSON API (issue 6): the whole minutes flow through its three doors.

The secretariat drives the minutes with a real bearer token, attendees comment and sign
through their personal links, and anyone verifies the result. Every refusal must be a
problem with the service's status and field, and must leave the document, its files and
the outbox exactly as they were.
"""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from sqlalchemy import func, select

from meetcoord.core.outbox import OutboxMessage
from meetcoord.documents import invitation_letters, workflow
from meetcoord.documents.models import Document
from meetcoord.documents.signing import ca as ca_module
from meetcoord.documents.signing.signatures import PKCS12_MAX
from meetcoord.extensions import db
from meetcoord.meetings import links
from meetcoord.meetings.models import Invitation
from tests import factories
from tests.documents_support import (
    EARLY_CLOSE,
    ClosedRakor,
    attend,
    ensure_ca,
    final_minutes,
    mailed_code,
    rendered,
)
from tests.live_support import LiveRakor

API = "/api/v1"
PROBLEM = "application/problem+json"
WITA = timezone(timedelta(hours=8))
P12_PASSWORD = "sandi-sertifikat-maria"
_addresses = itertools.count(1)


def problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status
    if field is not None:
        assert field in body.get("errors", {}), body
    return body


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def deadline(days: int = 3) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).astimezone(WITA).isoformat()


def link(invitation: Invitation, document_id: int | None = None) -> str:
    base = f"{API}/i/{links.personal_token(invitation)}/documents"
    return base if document_id is None else f"{base}/{document_id}"


def state(document_id: int) -> dict[str, Any]:
    """Everything a refusal must leave alone."""
    db.session.expire_all()
    doc = db.session.get(Document, document_id)
    return {
        "status": doc.status,
        "version": doc.version,
        "content": doc.content,
        "deadline": doc.comment_deadline_at,
        "files": [f.sha256 for f in doc.files],
        "signed": [s.signed_at for s in doc.signatories],
        "comments": len(doc.comments),
        "steps": len(doc.steps),
        "outbox": db.session.scalar(select(func.count()).select_from(OutboxMessage)),
    }


def multipart(**parts: Any) -> dict[str, Any]:
    return {"data": parts, "content_type": "multipart/form-data"}


def own_p12(app: Any, name: str, password: str = P12_PASSWORD) -> bytes:
    """A signer's own PKCS#12 file, issued by the deployment's CA (so it is trusted)."""
    authority = ensure_ca(app)
    issued = ca_module.issue_signer(authority, name=name, institution="Bappeda", role="Notulis")
    return pkcs12.serialize_key_and_certificates(
        b"maria",
        issued.private_key,
        issued.certificate,
        [authority.certificate],
        serialization.BestAvailableEncryption(password.encode()),
    )


@pytest.fixture
def rakor(app: Any) -> ClosedRakor:
    ensure_ca(app)
    return ClosedRakor(app)


@pytest.fixture
def client(app: Any) -> Any:
    """Its own address, so the per-address rate limits never leak between tests."""
    test_client = app.test_client()
    n = next(_addresses)
    test_client.environ_base["REMOTE_ADDR"] = f"10.66.{n // 256 % 256}.{n % 256}"
    return test_client


@pytest.fixture
def editor(api_token: Any) -> dict[str, str]:
    return api_token("secretariat")[1]


@pytest.fixture
def viewer(api_token: Any) -> dict[str, str]:
    return api_token("viewer")[1]


def new_minutes(client: Any, rakor: ClosedRakor, editor: dict[str, str]) -> int:
    url = f"{API}/meetings/{rakor.meeting.id}/documents"
    response = client.post(url, json={"kind": "minutes"}, headers=editor)
    created = ok(response, 201)
    assert response.headers["Location"].endswith(f"{API}/documents/{created['id']}")
    return int(created["id"])


def with_code(client: Any, url: str, invitation: Invitation) -> dict[str, Any]:
    """Ask for a signing code through the link, and read it in the signatory's own mail."""
    sent = ok(client.post(f"{url}/sign-code"), 202)
    assert sent["sent_to"].endswith(invitation.person.email.split("@")[1])
    return multipart(code=mailed_code(invitation))


def with_code_again(invitation: Invitation) -> dict[str, Any]:
    return multipart(code=mailed_code(invitation))


def flip(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    changed[offset] = ord("1") if data[offset : offset + 1] == b"0" else data[offset] ^ 0x01
    return bytes(changed)


# --- the whole flow ------------------------------------------------------------------------


def test_minutes_from_draft_to_verified_through_the_api(app, client, rakor, editor):
    doc_id = new_minutes(client, rakor, editor)
    listing = ok(client.get(f"{API}/meetings/{rakor.meeting.id}/documents", headers=editor))
    assert [d["id"] for d in listing["items"]] == [doc_id]
    assert (listing["total"], listing["page"], listing["pages"]) == (1, 1, 1)
    url = f"{API}/documents/{doc_id}"
    draft = ok(client.get(url, headers=editor))
    assert (draft["status"], draft["version"], draft["kind"]) == ("draft", 1, "minutes")
    assert (draft["can"]["edit"], draft["can"]["circulate"]) == (True, True)

    notes = {"version": 1, "notes": {"1": "Dibuka oleh Sekda pukul 09.10 WITA."}}
    edited = ok(client.patch(url, json=notes, headers=editor))
    assert edited["version"] == 2
    assert edited["content"]["agenda"][0]["notes"] == "Dibuka oleh Sekda pukul 09.10 WITA."

    circulated = ok(client.post(f"{url}/circulate", json={"deadline": deadline()}, headers=editor))
    assert circulated["status"] == "circulated"
    assert circulated["comment_deadline_at"].endswith("+00:00")

    # A participant reads and comments through their personal link.
    mine = link(rakor.participant, doc_id)
    assert [d["id"] for d in ok(client.get(link(rakor.participant)))["items"]] == [doc_id]
    comment = {"body": "Mohon tambahkan stok jagung.", "section": "Agenda 2"}
    response = client.post(f"{mine}/comments", json=comment)
    seen = ok(response, 201)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert [c["body"] for c in seen["comments"]] == ["Mohon tambahkan stok jagung."]
    assert not seen["can"]["edit"]
    # Another participant does not see it; the secretariat does.
    assert ok(client.get(link(rakor.ambon_participant, doc_id)))["comments"] == []
    staff_view = ok(client.get(url, headers=editor))
    assert [(c["section"], c["body"]) for c in staff_view["comments"]] == [
        ("Agenda 2", "Mohon tambahkan stok jagung.")
    ]

    final = ok(
        client.post(
            f"{url}/finalise", json={"version": 2, "early_close": EARLY_CLOSE}, headers=editor
        )
    )
    assert (final["status"], final["render_state"]) == ("final", "pending")
    assert len(final["verify_code"]) == 64
    assert [s["role"] for s in final["signatories"]] == ["chair", "minute_taker"]
    rendered(db.session.get(Document, doc_id))

    # The chair signs first, with a certificate our CA issues for this signature.
    chair_url = link(rakor.chair, doc_id)
    chair = ok(client.post(f"{chair_url}/sign", **with_code(client, chair_url, rakor.chair)))
    assert chair["status"] == "final"
    assert chair["signatories"][0]["signed_at"] is not None
    assert chair["signatories"][0]["key_source"] == "ca"
    assert chair["signatories"][0]["issuer"] == ensure_ca(app).name
    # Then the minute-taker, with her own PKCS#12 file.
    certificate = (io.BytesIO(own_p12(app, "Maria Kaka")), "maria.p12")
    taker = client.post(
        f"{link(rakor.minute_taker, doc_id)}/sign",
        **multipart(certificate=certificate, passphrase=P12_PASSWORD),
    )
    assert ok(taker)["status"] == "distributed"
    assert taker.headers["Cache-Control"] == "no-store"

    done = ok(client.get(url, headers=editor))
    assert done["status"] == "distributed"
    assert [f["revision"] for f in done["files"]] == [0, 1, 2]
    assert [s["key_source"] for s in done["signatories"]] == ["ca", "pkcs12"]
    assert done["sha256"] == done["files"][-1]["sha256"]
    assert "signed" in [step["step"] for step in done["steps"]]
    pdf = client.get(done["files"][-1]["url"], headers=editor)
    assert (pdf.status_code, pdf.mimetype) == (200, "application/pdf")
    signed_pdf = pdf.get_data()
    unsigned = client.get(f"{url}/pdf?revision=0", headers=editor).get_data()
    assert unsigned.startswith(b"%PDF")
    assert unsigned != signed_pdf

    # Anyone verifies: by the QR's hash, and by uploading the file.
    checked = ok(client.get(f"{API}/verify/{done['verify_code']}"))
    assert (checked["registered"], checked["is_final"], checked["modified"]) == (True, True, False)
    assert checked["missing_signatures"] == 0
    assert checked["document"]["status"] == "distributed"
    assert [s["role"] for s in checked["signatures"]] == ["Pimpinan rapat", "Notulis"]
    assert all(s["intact"] and s["valid"] and s["trusted"] for s in checked["signatures"])
    assert [s["certifying"] for s in checked["signatures"]] == [True, False]
    by_file = ok(client.get(f"{API}/verify/{done['files'][1]['sha256']}"))
    assert (by_file["registered"], by_file["is_final"]) == (True, False)
    assert by_file["missing_signatures"] == 1

    original = ok(client.post(f"{API}/verify", **multipart(file=(io.BytesIO(signed_pdf), "n.pdf"))))
    assert (original["registered"], original["is_final"], original["modified"]) == (
        True,
        True,
        False,
    )
    tampered = flip(signed_pdf, len(signed_pdf) // 2)
    changed = ok(client.post(f"{API}/verify", **multipart(file=(io.BytesIO(tampered), "n.pdf"))))
    assert (changed["modified"], changed["registered"], changed["is_final"]) == (True, False, False)
    assert changed["document"] is None


# --- refusals ------------------------------------------------------------------------------


def test_edit_refusals_are_problems_and_change_nothing(client, rakor, editor, viewer):
    doc_id = new_minutes(client, rakor, editor)
    url = f"{API}/documents/{doc_id}"
    ok(client.patch(url, json={"version": 1, "notes": {"1": "Dibuka."}}, headers=editor))
    other = LiveRakor("Rakor Air Bersih")
    letter = invitation_letters.issue_invitation_letter(other.staff_actor, other.meeting)
    before = state(doc_id)

    problem(client.get(url), 401)
    problem(client.patch(url, json={"version": 2, "notes": {"1": "x"}}), 401)
    problem(client.get(f"{API}/meetings/{rakor.meeting.id}/documents"), 401)
    problem(client.patch(url, json={"version": 2, "notes": {"1": "x"}}, headers=viewer), 403)
    problem(client.post(f"{url}/circulate", json={"deadline": deadline()}, headers=viewer), 403)
    assert ok(client.get(url, headers=viewer))["can"]["edit"] is False
    stale = problem(
        client.patch(url, json={"version": 1, "notes": {"1": "x"}}, headers=editor), 409
    )
    assert "versi 2" in stale["detail"]
    problem(client.patch(url, json={"notes": {"1": "x"}}, headers=editor), 422, "version")
    problem(
        client.patch(url, json={"version": 2, "notes": {"9": "x"}}, headers=editor), 422, "notes.9"
    )
    other_kind = {"version": 2, "corrections": ["x"]}
    problem(client.patch(url, json=other_kind, headers=editor), 422, "corrections")
    naive = {"deadline": "2030-01-10T16:00:00"}
    problem(client.post(f"{url}/circulate", json=naive, headers=editor), 422, "deadline")
    past = {"deadline": "2020-01-10T16:00:00+08:00"}
    problem(client.post(f"{url}/circulate", json=past, headers=editor), 422, "deadline")
    problem(client.post(f"{url}/finalise", json={"version": 2}, headers=editor), 409)
    problem(client.post(f"{url}/render", headers=editor), 409)
    problem(client.post(f"{url}/addenda", json={"corrections": ["x"]}, headers=editor), 409)
    # Through personal links, a draft is its editors' alone (as the personal page lists it).
    assert [d["id"] for d in ok(client.get(link(rakor.minute_taker)))["items"]] == [doc_id]
    assert ok(client.get(link(rakor.participant)))["items"] == []
    problem(client.get(link(rakor.participant, doc_id)), 404)
    problem(client.post(f"{link(rakor.participant, doc_id)}/comments", json={"body": "x"}), 404)
    problem(client.get(link(rakor.participant, doc_id + 999)), 404)
    # A document of another meeting is the same 404 through a link, whatever it is.
    problem(client.get(link(rakor.participant, letter.id)), 404)
    problem(client.post(f"{link(rakor.participant, letter.id)}/comments", json={"body": "x"}), 404)
    assert ok(client.get(link(other.participant, letter.id)))["number"] == letter.number
    problem(client.get(f"{API}/i/bukan-token-asli/documents/{doc_id}"), 404)
    problem(client.get(f"{API}/documents/{doc_id + 999}", headers=editor), 404)
    problem(client.post(f"{API}/meetings/{rakor.meeting.id}/documents", headers=editor,
                        json={"kind": "minutes"}), 409)  # fmt: skip
    assert state(doc_id) == before

    # The minute-taker's own link edits, circulates and finalises with the same rules.
    taker = link(rakor.minute_taker, doc_id)
    assert (
        ok(client.patch(taker, json={"version": 2, "notes": {"2": "Stok aman."}}))["version"] == 3
    )
    problem(
        client.post(f"{taker}/circulate", json={"deadline": "2030-01-10T16:00"}), 422, "deadline"
    )
    ok(client.post(f"{taker}/circulate", json={"deadline": deadline()}))
    # Circulated, every attendee reads it; still only the minute-taker edits.
    problem(client.patch(link(rakor.participant, doc_id), json={"version": 3}), 403)
    problem(client.post(f"{link(rakor.chair, doc_id)}/finalise", json={"version": 3}), 403)
    empty = problem(
        client.post(f"{link(rakor.participant, doc_id)}/comments", json={"body": " "}), 422
    )
    assert "body" in empty["errors"]
    # Before the deadline, with nobody's answer in, the minute-taker cannot close the round.
    waiting = problem(client.post(f"{taker}/finalise", json={"version": 3}), 409, "early_close")
    assert "belum menanggapi" in waiting["detail"]
    early = {"version": 3, "early_close": "Sudah cukup."}
    problem(client.post(f"{taker}/finalise", json=early), 403)  # the secretariat's call
    doc = db.session.get(Document, doc_id)
    doc.comment_deadline_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    assert ok(client.post(f"{taker}/finalise", json={"version": 3}))["status"] == "final"
    late = {"body": "Terlambat."}
    problem(client.post(f"{link(rakor.participant, doc_id)}/comments", json=late), 409)


def test_signing_refusals_are_problems_and_change_nothing(app, client, rakor):
    doc = final_minutes(rakor)
    before = state(doc.id)
    chair, taker = link(rakor.chair, doc.id), link(rakor.minute_taker, doc.id)

    problem(client.post(f"{taker}/sign", **multipart()), 409)  # the chair signs first
    problem(client.post(f"{link(rakor.participant, doc.id)}/sign", **multipart()), 403)
    wrong = multipart(
        certificate=(io.BytesIO(own_p12(app, "Ir. Yohanes Bili")), "chair.p12"),
        passphrase="bukan-sandinya",
    )
    assert "passphrase" in problem(client.post(f"{chair}/sign", **wrong), 422)["errors"]
    too_big = multipart(certificate=(io.BytesIO(b"0" * (PKCS12_MAX + 1)), "besar.p12"))
    problem(client.post(f"{chair}/sign", **too_big), 422, "certificate")
    huge = multipart(certificate=(io.BytesIO(b"0" * (4 * PKCS12_MAX)), "besar.p12"))
    problem(client.post(f"{chair}/sign", **huge), 413)
    problem(client.post(f"{chair}/sign", **multipart(key="pkcs12")), 422, "key")
    problem(client.post(f"{API}/i/bukan-token-asli/documents/{doc.id}/sign", **multipart()), 404)
    assert state(doc.id) == before

    code = with_code(client, chair, rakor.chair)
    assert ok(client.post(f"{chair}/sign", **code))["signatories"][0]["signed_at"]
    problem(client.post(f"{chair}/sign", **with_code_again(rakor.chair)), 409)  # once only


def test_agreement_and_addendum_through_the_api(client, rakor, editor):
    # The chair represents a second agency, so the berita acara has two parties.
    rakor.chair.person.organization_id = factories.organization(name="Bappeda Maluku").id
    attend(rakor.participant, rakor.chair)
    db.session.commit()
    url = f"{API}/meetings/{rakor.meeting.id}/documents"
    problem(client.post(url, json={"kind": "agreement", "parties": [rakor.chair.id]},
                        headers=editor), 422, "parties")  # fmt: skip
    problem(client.post(url, json={"kind": "minutes", "points": ["x"]}, headers=editor), 422)
    problem(client.post(url, json={"kind": "addendum"}, headers=editor), 422, "kind")
    problem(client.post(url, json={"kind": "invitation_letter"}, headers=editor), 409)
    body = {"kind": "agreement", "parties": [rakor.participant.id, rakor.chair.id]}
    agreement = ok(client.post(url, json=body, headers=editor), 201)
    assert agreement["content"]["points"] == ["Cadangan pangan daerah dinaikkan 10 persen"]
    a_url = f"{API}/documents/{agreement['id']}"
    patch = {"version": 1, "points": ["Cadangan pangan naik 10 persen", "Distribusi beras"]}
    assert ok(client.patch(a_url, json=patch, headers=editor))["version"] == 2
    problem(client.patch(a_url, json={"version": 2, "notes": {}}, headers=editor), 422, "notes")
    final = ok(client.post(f"{a_url}/finalise", json={"version": 2}, headers=editor))
    assert [s["role"] for s in final["signatories"]] == ["party-1", "party-2"]
    filtered = f"{url}?kind=agreement&status=final&per_page=1"
    assert [d["id"] for d in ok(client.get(filtered, headers=editor))["items"]] == [final["id"]]
    problem(client.get(f"{url}?kind=notulen", headers=editor), 422, "kind")

    doc = final_minutes(rakor)
    from tests.documents_support import sign_with_code

    sign_with_code(rakor.chair, doc.id)
    sign_with_code(rakor.minute_taker, doc.id)
    response = client.post(
        f"{API}/documents/{doc.id}/addenda",
        json={"corrections": ["Tenggat menjadi 20 Desember 2026."]},
        headers=editor,
    )
    addendum = ok(response, 201)
    assert (addendum["kind"], addendum["parent_id"]) == ("addendum", doc.id)
    fix = {"version": 1, "corrections": ["Tenggat 20 Desember.", "Lokus ditambah."]}
    edited = ok(client.patch(f"{API}/documents/{addendum['id']}", json=fix, headers=editor))
    assert edited["content"]["corrections"] == ["Tenggat 20 Desember.", "Lokus ditambah."]


def test_a_failed_rendering_is_retried_through_the_api(client, rakor, editor, monkeypatch):
    from meetcoord.documents import jobs

    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    workflow.circulate(rakor.staff_actor, doc, datetime.now(UTC) + timedelta(days=3))
    workflow.finalise(rakor.staff_actor, doc, early_close=EARLY_CLOSE)
    monkeypatch.setattr(jobs, "render_document", lambda *args: 1 / 0)
    rendered(doc)
    monkeypatch.undo()
    url = f"{API}/documents/{doc.id}"
    assert ok(client.get(url, headers=editor))["render_state"] == "failed"
    problem(client.post(f"{url}/pdf"), 405)
    problem(client.get(f"{url}/pdf", headers=editor), 404)  # nothing rendered yet
    assert ok(client.post(f"{url}/render", headers=editor), 202)["render_state"] == "pending"
    rendered(doc)
    assert [f["revision"] for f in ok(client.get(url, headers=editor))["files"]] == [0]


def test_verification_of_unknown_files(client):
    problem(client.get(f"{API}/verify/{'ab' * 32}"), 404)
    problem(client.get(f"{API}/verify/bukan-hash"), 404)
    problem(client.post(f"{API}/verify", **multipart()), 422, "file")
    stranger = ok(
        client.post(f"{API}/verify", **multipart(file=(io.BytesIO(b"%PDF-1.7 x"), "x.pdf")))
    )
    assert (stranger["registered"], stranger["readable"], stranger["signatures"]) == (
        False,
        False,
        [],
    )


def test_personal_links_share_the_participant_rate_limit(app, client, rakor, monkeypatch):
    monkeypatch.setitem(app.config, "PERSONAL_LINK_RATE_LIMIT", "3 per minute")
    url = link(rakor.participant)
    assert [client.get(url).status_code for _ in range(3)] == [200] * 3
    problem(client.get(url), 429)
    problem(client.get(f"{API}/i/{links.personal_token(rakor.participant)}"), 429)


# --- the OpenAPI document ------------------------------------------------------------------

D = f"{API}/documents/{{id}}"
P = f"{API}/i/{{token}}/documents"
EXPECTED = {
    f"{API}/meetings/{{id}}/documents": {"get": {"200", "401", "404"}, "post": {"201", "409"}},
    D: {"get": {"200", "401", "404"}, "patch": {"200", "403", "409", "422"}},
    f"{D}/circulate": {"post": {"200", "422"}},
    f"{D}/finalise": {"post": {"200", "409"}},
    f"{D}/addenda": {"post": {"201", "409"}},
    f"{D}/render": {"post": {"202", "403", "409"}},
    f"{D}/pdf": {"get": {"200", "404"}},
    P: {"get": {"200", "404", "429"}},
    f"{P}/{{id}}": {"get": {"200", "404", "429"}, "patch": {"200", "403", "409", "422"}},
    f"{P}/{{id}}/circulate": {"post": {"200", "422"}},
    f"{P}/{{id}}/finalise": {"post": {"200", "409"}},
    f"{P}/{{id}}/comments": {"post": {"201", "409", "422", "429"}},
    f"{P}/{{id}}/no-comment": {"post": {"200", "403", "409", "429"}},
    f"{P}/{{id}}/sign-code": {"post": {"202", "403", "409", "422", "429"}},
    f"{P}/{{id}}/sign": {"post": {"200", "403", "409", "413", "422", "429"}},
    f"{P}/{{id}}/pdf": {"get": {"200", "404"}},
    f"{API}/verify/{{code}}": {"get": {"200", "404", "429"}},
    f"{API}/verify": {"post": {"200", "413", "422", "429", "503"}},
}


def test_openapi_documents_every_document_endpoint(client):
    spec = client.get(f"{API}/openapi.json").get_json()
    for path, methods in EXPECTED.items():
        assert path in spec["paths"], path
        for method, statuses in methods.items():
            operation = spec["paths"][path].get(method)
            assert operation is not None, f"{method} {path}"
            assert operation.get("summary"), f"{method} {path}"
            assert statuses <= set(operation["responses"]), f"{method} {path}"
            public = path.startswith((P, f"{API}/verify"))
            assert (operation.get("security") == [{}]) is public, f"{method} {path}"
    sign = spec["paths"][f"{P}/{{id}}/sign"]["post"]["requestBody"]["content"]
    assert list(sign) == ["multipart/form-data"]
    fields = spec["components"]["schemas"]["Sign"]["properties"]
    assert fields["code"]["type"] == "string"
    assert fields["certificate"]["format"] == "binary"
    assert fields["passphrase"]["type"] == "string"
    pdf = spec["paths"][f"{D}/pdf"]["get"]["responses"]["200"]["content"]
    assert pdf == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    document = spec["components"]["schemas"]["Document"]["properties"]
    assert {"status", "version", "verify_code", "sha256", "render_state"} <= set(document)
    assert {"signatories", "files", "comments", "steps", "can"} <= set(document)
    verification = spec["components"]["schemas"]["Verification"]["properties"]
    assert {"registered", "is_final", "missing_signatures", "modified"} <= set(verification)
