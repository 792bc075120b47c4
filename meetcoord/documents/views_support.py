"""What the document pages share, for staff (``/documents/<id>``) and personal links.

The same page serves the secretariat, the minute-taker, a signatory and any attendee; what
it offers depends on the actor (``page_context``). Every step posts to
``…/documents/<id>/<step>``; :func:`perform` parses the form and calls the one service for
that step. A refusal re-renders the page with the message and the submitted text kept,
with the service's status; nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from meetcoord.access.actors import Actor
from meetcoord.core.db import utcnow
from meetcoord.core.errors import ServiceError, ValidationError
from meetcoord.core.timezones import get_zone, zone_label
from meetcoord.documents import agreements, review, rules, steps, workflow
from meetcoord.documents.models import (
    Document,
    DocumentKind,
    DocumentSignatory,
    DocumentStatus,
    RenderState,
    SignatureFactor,
)
from meetcoord.documents.signing import codes, signatures
from meetcoord.extensions import db

TEMPLATE = "documents/document.html"


def sign_body_limit(view_args: dict[str, Any]) -> int | None:
    """For ``core.uploads.body_limit``: a sign request larger than this is refused unread."""
    return signatures.SIGN_BODY_MAX if view_args.get("step") == "sign" else None


KIND_LABELS = {
    DocumentKind.MINUTES: _l("Notulen"),
    DocumentKind.ADDENDUM: _l("Adendum notulen"),
    DocumentKind.AGREEMENT: _l("Berita acara kesepakatan"),
    DocumentKind.INVITATION_LETTER: _l("Surat undangan"),
}
STATUS_LABELS = {
    DocumentStatus.DRAFT: _l("Draf"),
    DocumentStatus.CIRCULATED: _l("Diedarkan untuk komentar"),
    DocumentStatus.FINAL: _l("Final, menunggu tanda tangan"),
    DocumentStatus.SIGNED: _l("Ditandatangani"),
    DocumentStatus.DISTRIBUTED: _l("Ditandatangani dan dibagikan"),
}
FACTOR_LABELS = {
    SignatureFactor.EMAIL_CODE: _l("kode sekali pakai ke surel"),
    SignatureFactor.OWN_CERTIFICATE: _l("sertifikat sendiri"),
}
STEP_LABELS = {
    "created": _l("Dibuat"),
    "edited": _l("Diubah"),
    "circulated": _l("Diedarkan untuk komentar"),
    "deadline_moved": _l("Batas komentar diubah"),
    "commented": _l("Komentar masuk"),
    "no_comment": _l("Tidak ada tanggapan"),
    "early_close": _l("Masa komentar ditutup lebih awal"),
    "finalised": _l("Difinalkan (isi dibekukan)"),
    "rendered": _l("PDF disusun"),
    "render_failed": _l("Penyusunan PDF gagal"),
    "render_requested": _l("PDF diminta disusun ulang"),
    "code_sent": _l("Kode tanda tangan dikirim ke surel penanda tangan"),
    "signed": _l("Ditandatangani"),
    "completed": _l("Semua tanda tangan lengkap"),
    "distributed": _l("Dibagikan lewat surel"),
    "addendum": _l("Adendum dibuat"),
    "room_corrected": _l("Dikoreksi dari ruang rapat (kesepakatan atau tindak lanjut)"),
}


def host_zone(document: Document) -> str:
    return str(document.content.get("host_zone") or current_app.config["HOME_TIMEZONE"])


def parse_deadline(raw: str | None, zone: str) -> datetime | None:
    """``2026-11-25T16:00`` from a datetime-local input, read in the meeting's host zone."""
    if not raw:
        return None
    try:
        naive = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationError(
            _l("Tanggal dan jam tidak valid."),
            errors={"deadline": [_l("Gunakan format tanggal dan jam yang valid.")]},
        ) from None
    return naive.replace(tzinfo=get_zone(zone)) if naive.tzinfo is None else naive


def capabilities(actor: Actor, document: Document) -> dict[str, Any]:
    editable = rules.may_edit(actor, document) and not document.is_frozen
    mine = None
    if actor.invitation is not None:
        mine = next(
            (s for s in document.signatories if s.invitation_id == actor.invitation.id), None
        )
    next_up = document.next_signatory
    is_minutes = document.kind is DocumentKind.MINUTES
    circulated = document.status is DocumentStatus.CIRCULATED
    reviewing = is_minutes and circulated and rules.may_edit(actor, document)
    state = review.comment_round(document) if reviewing else None
    waiting = state is not None and not state.may_close
    finalise = (
        editable
        and (circulated or not is_minutes)
        and (actor.is_staff or document.kind is not DocumentKind.AGREEMENT)
        and (actor.is_staff or not waiting)
    )
    comment = (
        actor.invitation is not None
        and circulated
        and not (document.comment_deadline_at and utcnow() > document.comment_deadline_at)
    )
    answered = actor.invitation is not None and any(
        s.step in review.ANSWERS and s.invitation_id == actor.invitation.id for s in document.steps
    )
    return {
        "edit": editable and document.kind is not DocumentKind.INVITATION_LETTER,
        "edit_agreement": editable and document.kind is DocumentKind.AGREEMENT and actor.is_staff,
        "circulate": editable and is_minutes,
        "finalise": finalise,
        "close_early": finalise and waiting,
        "comment_round": state,
        "comment": comment,
        "no_comment": comment and not answered,
        "read_comments": rules.may_edit(actor, document),
        "sign": mine is not None
        and mine.signed_at is None
        and document.status is DocumentStatus.FINAL
        and next_up is not None
        and next_up.id == mine.id
        and document.render_state is RenderState.READY,
        "my_signatory": mine,
        "code_to": _code_to(mine),
        "addendum": is_minutes
        and rules.may_edit(actor, document)
        and document.status in (DocumentStatus.SIGNED, DocumentStatus.DISTRIBUTED),
        "rerender": actor.is_staff and document.render_state is RenderState.FAILED,
    }


def _code_to(mine: DocumentSignatory | None) -> str | None:
    """Where a signing code would go, masked ("p*******2@example.go.id"); None: nowhere."""
    address = codes.signatory_email(mine) if mine is not None else None
    return codes.mask_email(address) if address else None


def render_page(
    actor: Actor,
    document: Document,
    url: Callable[..., str],
    *,
    message: Any = None,
    errors: dict[str, list[Any]] | None = None,
    status: int = 200,
    **extra: Any,
) -> tuple[str, int]:
    zone = host_zone(document)
    can = capabilities(actor, document)
    comments = (
        document.comments
        if can["read_comments"]
        else [
            c
            for c in document.comments
            if actor.invitation is not None and c.invitation_id == actor.invitation.id
        ]
    )
    candidates = agreements.party_candidates(document.meeting) if can["edit_agreement"] else []
    html = render_template(
        TEMPLATE,
        document=document,
        content=document.content,
        can=can,
        url=url,
        zone=zone,
        zone_name=zone_label(zone),
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        step_labels=STEP_LABELS,
        factor_labels=FACTOR_LABELS,
        comments=comments,
        actor_is_invitee=actor.invitation is not None,
        candidates=candidates,
        message=message,
        errors=errors or {},
        submitted=request.form if request.method == "POST" else {},
        **extra,
    )
    return html, status


def perform(actor: Actor, document: Document, step: str) -> tuple[str, int]:
    """Carry out ``step`` from the posted form: (success message, document to show next)."""
    if step == "addendum":
        addendum = workflow.create_addendum(actor, document, request.form.get("corrections", ""))
        return _("Adendum dibuat: %(title)s", title=addendum.title), addendum.id
    return _perform(actor, document, step), document.id


def _perform(actor: Actor, document: Document, step: str) -> str:
    form = request.form
    if step == "edit":
        steps.edit(actor, document, _edit_form(document))
        return _("Perubahan tersimpan.")
    if step == "circulate":
        deadline = parse_deadline(form.get("deadline"), host_zone(document))
        queued = workflow.circulate(actor, document, deadline)
        return _("Notulen diedarkan; %(n)d surel menunggu dikirim.", n=queued)
    if step == "finalise":
        steps.finalise(actor, document, form.get("version"), form.get("early_close"))
        return _("Dokumen difinalkan. PDF sedang disusun; tanda tangan dapat dimulai sesudahnya.")
    if step == "no_comment":
        review.no_comment(actor, document)
        return _("Tercatat: Anda tidak punya tanggapan atas rancangan ini.")
    if step == "comment":
        workflow.add_comment(actor, document, form.get("body"), form.get("section"))
        return _("Komentar Anda terkirim ke notulis dan sekretariat.")
    if step == "code":
        sent = signatures.request_code(actor, document.id)
        return _(
            "Kode dikirim ke %(to)s; berlaku 10 menit. Masukkan kode itu di bawah.", to=sent.to
        )
    if step == "sign":
        return _sign(actor, document)
    if step == "render":
        workflow.request_render(actor, document)
        return _("PDF akan disusun ulang.")
    raise ValidationError(_l("Langkah tidak dikenal."))


def _edit_form(document: Document) -> dict[str, Any]:
    """The edit form's fields as the kind's service takes them."""
    form = request.form
    data: dict[str, Any] = {"version": form.get("version")}
    if document.kind is DocumentKind.MINUTES:
        data["notes"] = {
            key.removeprefix("notes-"): value
            for key, value in form.items()
            if key.startswith("notes-")
        }
        data["refresh"] = "refresh" in form
    elif document.kind is DocumentKind.ADDENDUM:
        data["corrections"] = form.get("corrections", "")
    elif document.kind is DocumentKind.AGREEMENT:
        data["points"] = form.get("points", "")
        data["parties"] = form.getlist("parties")
    return data


def _sign(actor: Actor, document: Document) -> str:
    """Sign with the chosen second factor: the mailed code (default) or one's own PKCS#12."""
    form = request.form
    if form.get("key") == "pkcs12":
        upload = request.files.get("certificate")
        pkcs12 = signatures.read_certificate(upload.stream if upload and upload.filename else None)
        signatures.sign(actor, document.id, pkcs12=pkcs12, passphrase=form.get("passphrase", ""))
    else:
        signatures.sign(actor, document.id, code=form.get("code"))
    return _("Tanda tangan Anda tersimpan.")


def attempt(
    actor: Actor, document: Document, step: str
) -> tuple[tuple[str, int] | None, ServiceError | None]:
    """((message, document id to show), None) or (None, the refusal), rolled back."""
    try:
        return perform(actor, document, step), None
    except ServiceError as exc:
        db.session.rollback()
        return None, exc
