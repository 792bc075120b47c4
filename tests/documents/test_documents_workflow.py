"""The minutes' workflow (issue 6): draft → circulated → final → signed in order →
distributed, each step logged; frozen minutes refuse edits; refusals change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any

import pytest
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.core.outbox import OutboxMessage
from meetcoord.documents import rules, workflow
from meetcoord.documents.models import Document, DocumentStatus, RenderState, SignatureFactor
from meetcoord.documents.signing import signatures
from meetcoord.documents.verify.verify import verify_pdf
from meetcoord.extensions import db
from tests.documents_support import ClosedRakor, ensure_ca, mailed_code, rendered, sign_with_code


@pytest.fixture
def rakor(app: Any) -> ClosedRakor:
    ensure_ca(app)
    return ClosedRakor(app)


# The secretariat closes the comment round at once (the scenes here need no comments).
EARLY = "Semua peserta menyetujui rancangan di akhir rapat."


def later(days: int = 3) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


def snapshot(document: Document) -> dict[str, Any]:
    db.session.expire_all()
    doc = db.session.get(Document, document.id)
    return {
        "status": doc.status,
        "version": doc.version,
        "content": doc.content,
        "files": [f.sha256 for f in doc.files],
        "signed": [s.signed_at for s in doc.signatories],
        "steps": len(doc.steps),
        "outbox": db.session.scalar(select(db.func.count()).select_from(OutboxMessage)),
    }


def final_minutes(rakor: ClosedRakor) -> Document:
    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    workflow.circulate(rakor.actor(rakor.minute_taker), doc, later())
    workflow.finalise(rakor.staff_actor, doc, early_close=EARLY)
    return rendered(doc)


def test_draft_is_composed_from_the_live_room_and_edited_by_the_minute_taker(rakor):
    doc = workflow.start_minutes(rakor.actor(rakor.minute_taker), rakor.meeting)
    assert doc.status is DocumentStatus.DRAFT
    content = doc.content
    assert [a["title"] for a in content["agenda"]] == ["Pembukaan", "Ketahanan pangan"]
    assert content["agenda"][1]["notes"] == "Stok beras aman 3 bulan."
    assert content["decisions"][0]["text"] == "Cadangan pangan daerah dinaikkan 10 persen"
    assert content["actions"][0]["agency"] == "Dinas Ketahanan Pangan"
    workflow.edit_minutes(
        rakor.actor(rakor.minute_taker),
        doc,
        {"version": 1, "notes": {"1": "Dibuka oleh Sekda pukul 09.10 WITA."}},
    )
    assert doc.content["agenda"][0]["notes"] == "Dibuka oleh Sekda pukul 09.10 WITA."
    assert doc.version == 2
    # A stale version (another tab) is refused and changes nothing.
    before = snapshot(doc)
    with pytest.raises(Conflict, match="versi 2"):
        workflow.edit_minutes(
            rakor.actor(rakor.minute_taker), doc, {"version": 1, "notes": {"1": "x"}}
        )
    db.session.rollback()
    assert snapshot(doc) == before
    assert [s.step for s in doc.steps] == ["created", "edited"]


def test_only_the_minute_taker_and_secretariat_edit(rakor):
    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    for who in (rakor.chair, rakor.participant, rakor.coordinator):
        with pytest.raises(PermissionDenied):
            workflow.edit_minutes(rakor.actor(who), doc, {"notes": {"1": "x"}})
    with pytest.raises(PermissionDenied):
        workflow.start_minutes(rakor.actor(rakor.participant), rakor.meeting)


def test_minutes_wait_for_the_meeting_to_close(app):
    ensure_ca(app)
    from tests.live_support import LiveRakor

    open_rakor = LiveRakor("Rakor belum selesai")
    with pytest.raises(Conflict, match="ditutup"):
        workflow.start_minutes(open_rakor.staff_actor, open_rakor.meeting)


def test_circulation_mail_gives_the_deadline_in_each_readers_zone(rakor):
    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    # 16.00 WITA at the host in Tambolaka is 17.00 WIT for the invitee in Ambon.
    day = (datetime.now(UTC) + timedelta(days=10)).date()
    workflow.circulate(
        rakor.staff_actor, doc, datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
    )
    bodies = {
        m.recipient: message_from_bytes(m.message).get_payload(decode=True).decode()
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "circulation")
        )
    }
    shown = f"{day:%d-%m-%Y}"
    assert (
        f"Batas waktu komentar: {shown} 17.00 WIT." in bodies[rakor.ambon_participant.person.email]
    )
    assert f"Batas waktu komentar: {shown} 16.00 WITA." in bodies[rakor.participant.person.email]


def test_a_comment_period_is_at_most_ninety_days(rakor):
    """A typo in the year ("2062") would keep the minutes open and unsignable for decades."""
    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    with pytest.raises(ValidationError) as refused:
        workflow.circulate(rakor.staff_actor, doc, datetime.now(UTC) + timedelta(days=91))
    assert "90 hari" in str(refused.value.errors["deadline"][0])
    assert doc.comment_deadline_at is None
    assert workflow.circulate(rakor.staff_actor, doc, datetime.now(UTC) + timedelta(days=89))


def test_circulation_mails_every_invitee_and_takes_comments_until_the_deadline(rakor):
    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    with pytest.raises(ValidationError):
        workflow.circulate(rakor.staff_actor, doc, datetime.now(UTC) - timedelta(hours=1))
    # Before circulation the draft is not theirs to read, let alone comment on.
    with pytest.raises(PermissionDenied):
        workflow.add_comment(rakor.actor(rakor.participant), doc, "Mohon dikoreksi")
    assert not rules.may_read(rakor.actor(rakor.participant), doc)
    assert rules.may_read(rakor.actor(rakor.minute_taker), doc)
    queued = workflow.circulate(rakor.staff_actor, doc, later())
    invited = [i for i in rakor.meeting.invitations if i.person.email and not i.withdrawn_at]
    assert queued == len(invited) > 0
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "circulation")
    ).all()
    assert {m.recipient for m in mails} == {i.person.email for i in invited}
    body = message_from_bytes(mails[0].message).get_payload(decode=True).decode()
    assert f"/documents/{doc.id}" in body
    assert "/i/" in body
    workflow.add_comment(
        rakor.actor(rakor.ambon_participant), doc, "Tambahkan catatan Ambon.", "Agenda 2"
    )
    with pytest.raises(ValidationError):
        workflow.add_comment(rakor.actor(rakor.participant), doc, "   ")
    with pytest.raises(PermissionDenied):
        workflow.add_comment(rakor.staff_actor, doc, "Sekretariat tidak berkomentar di sini")
    assert [(c.author, c.section) for c in doc.comments] == [("Peserta Ambon", "Agenda 2")]
    doc.comment_deadline_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(Conflict, match="Batas waktu"):
        workflow.add_comment(rakor.actor(rakor.participant), doc, "Terlambat")


def test_finalising_freezes_and_editing_frozen_minutes_is_refused(rakor):
    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    with pytest.raises(Conflict, match="Edarkan"):
        workflow.finalise(rakor.staff_actor, doc, early_close=EARLY)
    workflow.circulate(rakor.staff_actor, doc, later())
    doc.comment_deadline_at = datetime.now(UTC) - timedelta(minutes=1)  # the round is over
    workflow.finalise(rakor.actor(rakor.minute_taker), doc)
    assert doc.status is DocumentStatus.FINAL
    assert doc.render_state is RenderState.PENDING
    assert len(doc.verify_code) == 64
    assert [(s.position, s.role, s.invitation_id) for s in doc.signatories] == [
        (1, "chair", rakor.chair.id),
        (2, "minute_taker", rakor.minute_taker.id),
    ]
    before = snapshot(doc)
    for attempt in (
        lambda: workflow.edit_minutes(rakor.staff_actor, doc, {"notes": {"1": "Ubah"}}),
        lambda: workflow.edit_minutes(
            rakor.actor(rakor.minute_taker), doc, {"refresh": True, "notes": {}}
        ),
        lambda: workflow.circulate(rakor.staff_actor, doc, later()),
        lambda: workflow.finalise(rakor.staff_actor, doc),
    ):
        with pytest.raises(Conflict, match="sudah final"):
            attempt()
        db.session.rollback()
    assert snapshot(doc) == before


def test_rendering_runs_in_the_worker_and_registers_the_unsigned_file(rakor):
    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    workflow.circulate(rakor.staff_actor, doc, later())
    workflow.finalise(rakor.staff_actor, doc, early_close=EARLY)
    assert doc.files == []
    rendered(doc)
    assert doc.render_state is RenderState.READY
    (unsigned,) = doc.files
    assert unsigned.revision == 0
    assert unsigned.pdf.startswith(b"%PDF")
    assert doc.sha256 == unsigned.sha256
    chair = doc.signatories[0]
    assert chair.page is not None
    assert len(chair.box) == 4
    assert "rendered" in [s.step for s in doc.steps]


def test_signed_in_order_then_distributed_with_the_pdf(app, rakor):
    doc = final_minutes(rakor)
    sign_with_code(rakor.chair, doc.id)
    db.session.refresh(doc)
    assert doc.status is DocumentStatus.FINAL
    assert len(doc.files) == 2
    sign_with_code(rakor.minute_taker, doc.id)
    db.session.refresh(doc)
    assert doc.status is DocumentStatus.DISTRIBUTED
    assert [f.revision for f in doc.files] == [0, 1, 2]
    report = verify_pdf(doc.files[-1].pdf, [ensure_ca(app).certificate])
    assert [s.field_name for s in report.signatures] == ["chair", "minute_taker"]
    assert report.ok
    assert not report.modified
    assert report.signatures[0].certifying
    steps = [s.step for s in doc.steps]
    assert steps[-6:] == [
        "code_sent",
        "signed",
        "code_sent",
        "signed",
        "completed",
        "distributed",
    ]
    signed = [s.detail for s in doc.steps if s.step == "signed"]
    assert [(d["role"], d["factor"]) for d in signed] == [
        ("chair", "email_code"),
        ("minute_taker", "email_code"),
    ]
    assert [s.factor for s in doc.signatories] == [SignatureFactor.EMAIL_CODE] * 2
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "distribution")
    ).all()
    expected = {i.person.email for i in rakor.meeting.invitations if i.person.email}
    assert {m.recipient for m in mails} == expected
    message = message_from_bytes(mails[0].message, policy=default_policy)
    (attachment,) = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert attachment.get_payload(decode=True) == doc.files[-1].pdf
    assert doc.verify_code in message.get_body().get_content()


def test_signing_refusals_change_nothing(app, rakor):
    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    with pytest.raises(Conflict, match="Dokumen belum final"):
        sign_with_code(rakor.chair, doc.id)
    workflow.circulate(rakor.staff_actor, doc, later())
    workflow.finalise(rakor.staff_actor, doc, early_close=EARLY)
    with pytest.raises(Conflict, match="PDF masih disiapkan"):
        sign_with_code(rakor.chair, doc.id)
    rendered(doc)
    before = snapshot(doc)
    # Not a required signatory: a participant, the coordinator, the secretariat.
    for who in (rakor.participant, rakor.coordinator):
        with pytest.raises(PermissionDenied, match="bukan penanda tangan"):
            signatures.sign(rakor.actor(who), doc.id)
    with pytest.raises(PermissionDenied):
        signatures.sign(rakor.staff_actor, doc.id)
    # Out of order: the minute-taker before the chair.
    with pytest.raises(Conflict, match="Belum giliran Anda"):
        sign_with_code(rakor.minute_taker, doc.id)
    # The chair's own certificate file with a wrong passphrase, or an incomplete one.
    with pytest.raises(ValidationError, match="kata sandi salah") as refused:
        signatures.sign(rakor.actor(rakor.chair), doc.id, pkcs12=b"\x30\x03junk", passphrase="x")
    assert "passphrase" in refused.value.errors
    # An expired certificate: our CA's two-year certificate, judged three years on.
    signatures.request_code(rakor.actor(rakor.chair), doc.id)
    code = mailed_code(rakor.chair)
    before = snapshot(doc)
    with pytest.raises(ValidationError, match="kedaluwarsa"):
        signatures.sign(
            rakor.actor(rakor.chair),
            doc.id,
            code=code,
            now=datetime.now(UTC) + timedelta(days=3 * 365),
        )
    db.session.rollback()
    assert snapshot(doc) == before
    signatures.sign(rakor.actor(rakor.chair), doc.id, code=code)  # the code was not spent
    with pytest.raises(Conflict, match="sudah menandatangani"):
        signatures.sign(rakor.actor(rakor.chair), doc.id, code=code)


def test_a_signature_on_a_revision_someone_else_extended_is_refused(app, rakor):
    doc = final_minutes(rakor)
    actor = rakor.actor(rakor.chair)
    real_keep = signatures._keep

    def racing_keep(*args: Any, **kwargs: Any) -> Any:
        # Between reading the file and keeping the signature, the file moved on.
        row = db.session.get(Document, doc.id)
        row.sha256 = "0" * 64
        db.session.commit()
        return real_keep(*args, **kwargs)

    signatures.request_code(actor, doc.id)
    code = mailed_code(rakor.chair)
    signatures._keep = racing_keep
    try:
        with pytest.raises(Conflict, match="orang lain"):
            signatures.sign(actor, doc.id, code=code)
    finally:
        signatures._keep = real_keep
    db.session.expire_all()
    assert [s.signed_at for s in db.session.get(Document, doc.id).signatories] == [None, None]


def test_addendum_refers_to_the_signed_original_and_is_signed_again(app, rakor):
    doc = final_minutes(rakor)
    with pytest.raises(Conflict, match="sudah ditandatangani"):
        workflow.create_addendum(rakor.staff_actor, doc, "Koreksi")
    sign_with_code(rakor.chair, doc.id)
    sign_with_code(rakor.minute_taker, doc.id)
    db.session.refresh(doc)
    with pytest.raises(ValidationError):
        workflow.create_addendum(rakor.staff_actor, doc, "  \n ")
    addendum = workflow.create_addendum(
        rakor.actor(rakor.minute_taker),
        doc,
        "Tenggat rencana distribusi beras menjadi 20 Desember 2026.\n"
        "Lokus ditambah Desa Tema Tana.",
    )
    assert addendum.parent_id == doc.id
    assert addendum.content["original_sha256"] == doc.sha256
    assert addendum.content["original_reference"] == doc.verify_code
    assert len(addendum.content["corrections"]) == 2
    workflow.finalise(rakor.staff_actor, addendum)
    rendered(addendum)
    sign_with_code(rakor.chair, addendum.id)
    sign_with_code(rakor.minute_taker, addendum.id)
    db.session.refresh(addendum)
    assert addendum.status is DocumentStatus.DISTRIBUTED
    report = verify_pdf(addendum.files[-1].pdf, [ensure_ca(app).certificate])
    assert report.ok
    # The original is untouched by its addendum.
    assert doc.status is DocumentStatus.DISTRIBUTED
    assert len(doc.files) == 3


def test_a_failed_rendering_is_reported_and_can_be_retried(rakor, monkeypatch):
    from meetcoord.documents import jobs

    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    workflow.circulate(rakor.staff_actor, doc, later())
    workflow.finalise(rakor.staff_actor, doc, early_close=EARLY)

    def broken(*args: Any) -> Any:
        raise RuntimeError("font hilang")

    monkeypatch.setattr(jobs, "render_document", broken)
    rendered(doc)
    assert doc.render_state is RenderState.FAILED
    assert "font hilang" in doc.render_error
    monkeypatch.undo()
    with pytest.raises(PermissionDenied):
        workflow.request_render(rakor.actor(rakor.minute_taker), doc)
    workflow.request_render(rakor.staff_actor, doc)
    rendered(doc)
    assert doc.render_state is RenderState.READY
    assert len(doc.files) == 1


def test_a_signatory_whose_invitation_was_withdrawn_cannot_sign(rakor):
    from meetcoord.meetings.invitations import withdraw_invitation

    doc = final_minutes(rakor)
    withdraw_invitation(rakor.staff, rakor.chair)
    db.session.refresh(rakor.chair)
    with pytest.raises(PermissionDenied):
        signatures.sign(Actor(invitation=rakor.chair), doc.id)


def test_the_background_worker_renders_pending_documents(app, rakor):
    """One pass of the worker loop (in-process under `make run`, or `meetcoord worker`)
    delivers the mail and then renders what was finalised; nothing else renders."""
    from meetcoord.core.worker import run_worker

    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    workflow.circulate(rakor.staff_actor, doc, later())
    workflow.finalise(rakor.staff_actor, doc, early_close=EARLY)
    assert doc.render_state is RenderState.PENDING
    run_worker(app, once=True, sleep=lambda seconds: None)
    db.session.expire_all()
    doc = db.session.get(Document, doc.id)
    assert doc.render_state is RenderState.READY
    assert [f.revision for f in doc.files] == [0]
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "circulation"))
    assert {m.status.value for m in sent} == {"sent"}


def test_a_registered_file_stays_trusted_after_the_signers_certificates_expire(app, rakor):
    """Our CA issues two-year certificates; the minutes must still verify in year five.
    Judged now + 3 years the certificates have expired; the register judges a file it
    issued at the moment it registered it."""
    from meetcoord.documents.verify import verification

    doc = final_minutes(rakor)
    sign_with_code(rakor.chair, doc.id)
    sign_with_code(rakor.minute_taker, doc.id)
    db.session.refresh(doc)
    final = doc.files[-1]
    roots = [ensure_ca(app).certificate]
    later_report = verify_pdf(final.pdf, roots, moment=datetime.now(UTC) + timedelta(days=3 * 365))
    assert not later_report.ok
    assert not any(s.trusted for s in later_report.signatures)
    seen: list[Any] = []
    real = verification.verify_pdf

    def at_registration(pdf: bytes, trust: Any, *, moment: Any = None) -> Any:
        seen.append(moment)
        return real(pdf, trust, moment=moment)

    verification.verify_pdf = at_registration
    try:
        result = verification.check_upload(final.pdf)
    finally:
        verification.verify_pdf = real
    assert seen == [final.created_at]
    assert result.is_final
    assert result.report.ok
