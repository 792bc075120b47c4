"""A signature only the signatory can make (issue 11, point 1): the personal link alone
never signs. The signatory adds a one-time code mailed to their own address, or their own
PKCS#12 whose certificate chains to a trusted root and names them. Tested at the service,
through the personal page and through the personal-link API; the history, the signatory
row and the verification page record which factor was used.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from flask import Flask
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.core.errors import PermissionDenied, TooManyRequests, ValidationError
from meetcoord.core.outbox import OutboxMessage
from meetcoord.documents.models import DocumentStatus, SignatureFactor, SigningCode
from meetcoord.documents.signing import codes, signatures
from meetcoord.documents.signing.ca import CertificateAuthority, create_ca, issue_signer
from meetcoord.extensions import db
from meetcoord.meetings.links import personal_token
from tests.documents.test_documents_views import Link, reload, state, trust
from tests.documents_support import (
    ClosedRakor,
    ensure_ca,
    final_minutes,
    mailed_code,
    self_signed,
)
from tests.helpers import text
from tests.kiosk_support import phone

P12_PASSWORD = "sandi-sertifikat-uji"


@pytest.fixture
def rakor(app: Flask) -> ClosedRakor:
    ensure_ca(app)
    return ClosedRakor(app)


def chair(rakor: ClosedRakor) -> Actor:
    return Actor(invitation=rakor.chair)


def live_code(rakor: ClosedRakor) -> SigningCode:
    db.session.expire_all()
    return db.session.scalars(
        select(SigningCode)
        .join(SigningCode.signatory)
        .where(SigningCode.used_at.is_(None))
        .order_by(SigningCode.id.desc())
    ).first()


def p12(certificate: x509.Certificate, key: Any, chain: list[x509.Certificate]) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"kunci",
        key,
        certificate,
        chain,
        serialization.BestAvailableEncryption(P12_PASSWORD.encode()),
    )


def self_signed_p12(name: str) -> bytes:
    return p12(*self_signed(name), [])


def issued_p12(authority: CertificateAuthority, name: str) -> bytes:
    issued = issue_signer(authority, name=name, institution="Bappeda Uji", role="Kepala")
    return p12(issued.certificate, issued.private_key, list(issued.chain))


@pytest.fixture(scope="module")
def national_ca(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return create_ca(tmp_path_factory.mktemp("national-2f"), "kata-sandi-ca-2026", "BSrE Uji")


# --- the service -------------------------------------------------------------------------


def test_the_link_alone_cannot_sign(rakor: ClosedRakor) -> None:
    doc = final_minutes(rakor)
    before = state(doc.id)
    with pytest.raises(ValidationError, match="Masukkan kode 6 angka") as caught:
        signatures.sign(chair(rakor), doc.id)
    assert "code" in caught.value.errors
    with pytest.raises(ValidationError, match="Belum ada kode"):
        signatures.sign(chair(rakor), doc.id, code="123456")
    db.session.rollback()
    assert state(doc.id) == before


def test_the_code_goes_to_the_signatorys_own_address_only_and_signs_once(
    app: Flask, rakor: ClosedRakor
) -> None:
    doc = final_minutes(rakor)
    sent = signatures.request_code(chair(rakor), doc.id)
    email = rakor.chair.person.email
    assert sent.to == codes.mask_email(email)
    assert sent.to != email
    assert sent.to.endswith(email.split("@")[1])
    assert timedelta(minutes=9) < sent.expires_at - datetime.now(UTC) <= timedelta(minutes=10)
    (mail,) = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "signing_code"))
    assert mail.recipient == email
    code = mailed_code(rakor.chair)
    assert code not in mail.subject
    # Stored only as a keyed hash; the log names the masked address, never the code.
    row = live_code(rakor)
    assert code not in row.code_hash
    assert len(row.code_hash) == 64
    step = reload(doc.id).steps[-1]
    assert (step.step, step.detail) == ("code_sent", {"role": "chair", "to": sent.to})

    signed = signatures.sign(chair(rakor), doc.id, code=code)
    mine = signed.signatories[0]
    assert mine.factor is SignatureFactor.EMAIL_CODE
    assert mine.key_source == "ca"
    last = [s for s in signed.steps if s.step == "signed"][-1]
    assert last.detail["factor"] == "email_code"
    spent = db.session.get(SigningCode, row.id)
    assert spent.used_at is not None
    with pytest.raises(ValidationError, match="Belum ada kode"):
        codes.check_code(mine, code)  # single use


def test_a_staff_login_that_changes_the_chairs_address_gets_no_code(
    app: Flask, rakor: ClosedRakor
) -> None:
    """The directory is the secretariat's to edit: codes go where the chair's address was
    when the minutes were finalised, and the old address is told of the change."""
    from meetcoord.directory import services as directory

    doc = final_minutes(rakor)
    original = rakor.chair.person.email
    directory.save_person(
        rakor.staff, {"email": "penyusup@contoh-lain.example"}, rakor.chair.person
    )
    assert rakor.chair.person.email == "penyusup@contoh-lain.example"

    signatures.request_code(chair(rakor), doc.id)
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    codes_sent = [m for m in mails if m.kind == "signing_code"]
    assert [m.recipient for m in codes_sent] == [original]
    (notice,) = [m for m in mails if m.kind == "address_changed"]
    assert notice.recipient == original
    body = notice.message.decode()
    assert "penyusup@contoh-lain.example" in body
    assert rakor.staff.name in body


def test_a_new_address_is_used_for_documents_finalised_after_the_change(
    app: Flask, rakor: ClosedRakor
) -> None:
    from meetcoord.directory import services as directory

    directory.save_person(
        rakor.staff, {"email": "ketua.baru@bappeda.example.go.id"}, rakor.chair.person
    )
    doc = final_minutes(rakor)
    sent = signatures.request_code(chair(rakor), doc.id)
    assert sent.to == codes.mask_email("ketua.baru@bappeda.example.go.id")


def test_five_wrong_codes_kill_it_and_each_try_counts(rakor: ClosedRakor) -> None:
    doc = final_minutes(rakor)
    signatures.request_code(chair(rakor), doc.id)
    right = mailed_code(rakor.chair)
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError, match=f"Sisa {left} kali"):
            signatures.sign(chair(rakor), doc.id, code=wrong)
        db.session.rollback()  # what a request's error handler does: the count stays
    assert live_code(rakor).attempts == 4
    with pytest.raises(ValidationError, match="salah 5 kali"):
        signatures.sign(chair(rakor), doc.id, code=wrong)
    db.session.rollback()
    with pytest.raises(ValidationError, match="salah 5 kali"):
        signatures.sign(chair(rakor), doc.id, code=right)  # dead, even with the right one
    # Not six digits: refused without spending a try on a typo.
    with pytest.raises(ValidationError, match="Masukkan kode 6 angka"):
        signatures.sign(chair(rakor), doc.id, code="12 34")
    assert reload(doc.id).signatories[0].signed_at is None


def test_a_code_lives_ten_minutes_and_asking_again_is_paced_and_replaces_it(
    rakor: ClosedRakor,
) -> None:
    doc = final_minutes(rakor)
    signatures.request_code(chair(rakor), doc.id)
    first = mailed_code(rakor.chair)
    with pytest.raises(TooManyRequests, match=r"dalam [0-9]+ detik"):
        signatures.request_code(chair(rakor), doc.id)
    row = live_code(rakor)
    row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    row.created_at = datetime.now(UTC) - timedelta(minutes=11)
    db.session.commit()
    with pytest.raises(ValidationError, match="kedaluwarsa"):
        signatures.sign(chair(rakor), doc.id, code=first)

    signatures.request_code(chair(rakor), doc.id)  # a minute later: a new code
    second = mailed_code(rakor.chair)
    if second != first:
        with pytest.raises(ValidationError, match="Kode salah"):
            signatures.sign(chair(rakor), doc.id, code=first)  # the old one is gone
        db.session.rollback()
    # At most five codes an hour.
    for _ in range(3):
        for old in db.session.scalars(select(SigningCode)):
            old.created_at = old.created_at - timedelta(minutes=2)
        db.session.commit()
        signatures.request_code(chair(rakor), doc.id)
    for old in db.session.scalars(select(SigningCode)):
        old.created_at = old.created_at - timedelta(minutes=2)
    db.session.commit()
    with pytest.raises(TooManyRequests, match="Sudah 5 kode"):
        signatures.request_code(chair(rakor), doc.id)
    signatures.sign(chair(rakor), doc.id, code=mailed_code(rakor.chair))


def test_only_the_signatory_whose_turn_it_is_gets_a_code(rakor: ClosedRakor) -> None:
    rakor.chair.person.email = None  # no address when the minutes are finalised
    db.session.commit()
    doc = final_minutes(rakor)
    with pytest.raises(PermissionDenied):
        signatures.request_code(Actor(invitation=rakor.participant), doc.id)
    with pytest.raises(Exception, match="Belum giliran"):
        signatures.request_code(Actor(invitation=rakor.minute_taker), doc.id)
    with pytest.raises(ValidationError, match="Alamat surel Anda tidak tercatat"):
        signatures.request_code(chair(rakor), doc.id)
    assert db.session.scalars(select(SigningCode)).all() == []


def test_a_self_signed_ketua_rapat_certificate_is_refused(rakor: ClosedRakor) -> None:
    doc = final_minutes(rakor)
    before = state(doc.id)
    with pytest.raises(ValidationError, match="penerbitnya tidak termasuk") as caught:
        signatures.sign(
            chair(rakor), doc.id, pkcs12=self_signed_p12("Ketua Rapat"), passphrase=P12_PASSWORD
        )
    assert "certificate" in caught.value.errors
    with pytest.raises(ValidationError, match="penerbitnya tidak termasuk"):
        signatures.sign(
            chair(rakor), doc.id, pkcs12=self_signed_p12("YOHANES BILI"), passphrase=P12_PASSWORD
        )
    db.session.rollback()
    assert state(doc.id) == before


def test_an_own_certificate_must_chain_to_a_configured_root_and_name_the_signatory(
    app: Flask,
    rakor: ClosedRakor,
    national_ca: CertificateAuthority,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc = final_minutes(rakor)
    mine = issued_p12(national_ca, "YOHANES BILI")
    with pytest.raises(ValidationError, match="penerbitnya tidak termasuk"):
        signatures.sign(chair(rakor), doc.id, pkcs12=mine, passphrase=P12_PASSWORD)
    trust(app, national_ca, tmp_path, monkeypatch)  # MEETCOORD_TRUST_ROOTS
    someone_else = issued_p12(national_ca, "Ketua Rapat")
    with pytest.raises(ValidationError, match=r"nama di sertifikat \(Ketua Rapat\)"):
        signatures.sign(chair(rakor), doc.id, pkcs12=someone_else, passphrase=P12_PASSWORD)
    db.session.rollback()
    signed = signatures.sign(chair(rakor), doc.id, pkcs12=mine, passphrase=P12_PASSWORD)
    row = signed.signatories[0]
    assert (row.factor, row.key_source, row.certificate_issuer) == (
        SignatureFactor.OWN_CERTIFICATE,
        "pkcs12",
        national_ca.name,
    )
    assert [s for s in signed.steps if s.step == "signed"][-1].detail["factor"] == (
        "own_certificate"
    )
    # The verification page says which factor each signature used.
    shown = text(phone(app).get(f"/verify/{signed.verify_code}"))
    assert "sertifikat sendiri" in shown


# --- the personal page -----------------------------------------------------------------------


def test_the_page_sends_a_code_shows_it_nowhere_and_signs_with_it(
    app: Flask, auth: Any, rakor: ClosedRakor
) -> None:
    doc = final_minutes(rakor)
    link = Link(app, rakor.chair)
    page = text(link.get(doc.id))
    masked = codes.mask_email(rakor.chair.person.email)
    assert f"Kirim kode ke {masked}" in page
    assert rakor.chair.person.email not in page

    # A forwarded link: whoever holds it can press the buttons, but not sign.
    forwarded = Link(app, rakor.chair)
    before = state(doc.id)
    bare = forwarded.post(doc.id, "sign", {"key": "code"})
    assert bare.status_code == 422
    assert "Masukkan kode 6 angka" in text(bare)
    old_form = forwarded.post(doc.id, "sign", {"key": "ca"})
    assert old_form.status_code == 422
    assert state(doc.id) == before

    asked = forwarded.post(doc.id, "code")
    assert asked.status_code == 302
    code = mailed_code(rakor.chair)
    shown = forwarded.client.get(forwarded.url(doc.id))
    assert f"Kode dikirim ke {masked}" in text(shown)
    assert code not in text(shown)
    guess = forwarded.post(doc.id, "sign", {"key": "code", "code": "999999"})
    if code != "999999":
        assert guess.status_code == 422
        assert "Sisa 4 kali" in text(guess)
    # Not even the secretariat's outbox page shows it.
    auth.login("admin")
    outbox = text(auth.client.get("/outbox"))
    assert "Kode tanda tangan" in outbox
    assert code not in outbox

    signed = link.post(doc.id, "sign", {"key": "code", "code": code})
    assert signed.status_code == 302
    row = reload(doc.id).signatories[0]
    assert (row.signed_at is not None, row.factor) == (True, SignatureFactor.EMAIL_CODE)
    history = text(auth.client.get(f"/documents/{doc.id}"))
    assert "kode sekali pakai ke surel" in history
    assert "Kode tanda tangan dikirim ke surel penanda tangan" in history


def test_the_page_refuses_an_untrusted_certificate_beside_the_field(
    app: Flask, rakor: ClosedRakor
) -> None:
    doc = final_minutes(rakor)
    link = Link(app, rakor.chair)
    link.get(doc.id)
    before = state(doc.id)
    response = link.client.post(
        link.url(doc.id, "sign"),
        data={
            "csrf_token": link.csrf,
            "key": "pkcs12",
            "certificate": (io.BytesIO(self_signed_p12("Ketua Rapat")), "ketua.p12"),
            "passphrase": P12_PASSWORD,
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "penerbitnya tidak termasuk" in text(response)
    assert 'id="certificate-error"' in text(response)
    assert state(doc.id) == before


def test_without_an_address_the_page_says_so_and_offers_the_certificate(
    app: Flask, rakor: ClosedRakor
) -> None:
    rakor.chair.person.email = None  # no address when the minutes were finalised
    db.session.commit()
    doc = final_minutes(rakor)
    page = text(Link(app, rakor.chair).get(doc.id))
    assert "Kirim kode ke" not in page
    assert "Alamat surel Anda tidak tercatat" in page
    assert 'value="pkcs12" checked' in page


# --- the personal-link API -------------------------------------------------------------------


@pytest.fixture
def api(app: Flask) -> Any:
    return phone(app)  # an address of its own: rate limits never leak between tests


def test_the_api_asks_for_a_code_and_signs_only_with_it(api: Any, rakor: ClosedRakor) -> None:
    doc = final_minutes(rakor)
    url = f"/api/v1/i/{personal_token(rakor.chair)}/documents/{doc.id}"
    form = {"content_type": "multipart/form-data"}
    bare = api.post(f"{url}/sign", data={}, **form)
    assert bare.status_code == 422
    assert "code" in bare.get_json()["errors"]

    sent = api.post(f"{url}/sign-code")
    assert sent.status_code == 202
    body = sent.get_json()
    code = mailed_code(rakor.chair)
    assert body["sent_to"] == codes.mask_email(rakor.chair.person.email)
    assert code not in sent.get_data(as_text=True)
    again = api.post(f"{url}/sign-code")
    assert again.status_code == 429
    assert again.mimetype == "application/problem+json"
    other = api.post(f"/api/v1/i/{personal_token(rakor.participant)}/documents/{doc.id}/sign-code")
    assert other.status_code == 403

    wrong = api.post(f"{url}/sign", data={"code": "12x456"}, **form)
    assert wrong.status_code == 422
    untrusted = api.post(
        f"{url}/sign",
        data={
            "certificate": (io.BytesIO(self_signed_p12("Ketua Rapat")), "k.p12"),
            "passphrase": P12_PASSWORD,
        },
        **form,
    )
    assert untrusted.status_code == 422
    assert "certificate" in untrusted.get_json()["errors"]
    assert reload(doc.id).signatories[0].signed_at is None

    done = api.post(f"{url}/sign", data={"code": code}, **form)
    assert done.status_code == 200, done.get_data(as_text=True)
    signed = done.get_json()
    assert signed["signatories"][0]["factor"] == "email_code"
    assert signed["status"] == DocumentStatus.FINAL.value
