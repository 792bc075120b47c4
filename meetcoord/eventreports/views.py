"""The event report's pages (staff): the structured editor, its PDF and DOCX, a series' book.

Handlers load (``services.get_meeting``: another institution's meeting is not found),
check, act. The editor posts every section at once with the version it was read at; a
refused save (stale, too long) answers the same page with the writer's text in the fields,
so nothing typed is lost. "Refresh facts" and "make final" are buttons of the same form:
the text in the fields is saved with them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from meetcoord.access.declare import requires
from meetcoord.access.institutions import letterhead_for
from meetcoord.access.permissions import Permission, allowed
from meetcoord.core.errors import ServiceError
from meetcoord.core.forms import current_actor
from meetcoord.core.offload import off_hub
from meetcoord.directory.forms import CATEGORY_LABELS, GENDER_LABELS
from meetcoord.eventreports import content, docx, pdf, services
from meetcoord.eventreports.models import SECTIONS, EventReport
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting

bp = Blueprint("eventreports", __name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def form_values(form: Any) -> dict[str, Any]:
    """The editor's fields as the service's values: a text per section, ``session-<id>``."""
    values: dict[str, Any] = {k: form.get(k, "") for k in SECTIONS if k != "sessions"}
    values["sessions"] = {
        key.removeprefix("session-"): text
        for key, text in form.items()
        if key.startswith("session-")
    }
    return values


def labels() -> dict[str, Any]:
    """The page's own words for the stored keys of the facts (the PDF keeps Indonesian)."""
    return {
        "category": {c.value: label for c, label in CATEGORY_LABELS.items()},
        "gender": {g.value: label for g, label in GENDER_LABELS.items()},
    }


def _page(
    meeting: Meeting,
    report: EventReport | None,
    *,
    message: Any = None,
    errors: dict[str, Any] | None = None,
    submitted: dict[str, Any] | None = None,
    status: int = 200,
) -> Any:
    actor = current_actor()
    return (
        render_template(
            "eventreports/edit.html",
            meeting=meeting,
            report=report,
            may_edit=allowed(actor, Permission.MEETING_ARRANGE, meeting),
            values=submitted or (report.sections if report else {}),
            version=(submitted or {}).get("version") or (report.version if report else 1),
            message=message,
            errors=errors or {},
            names=labels(),
            headings=content.SECTION_HEADINGS,
        ),
        status,
    )


@bp.get("/meetings/<int:meeting_id>/report")
@requires(Permission.MEETING_VIEW)
def edit(meeting_id: int) -> Any:
    meeting = services.get_meeting(current_actor(), meeting_id)
    return _page(meeting, services.report_of(meeting))


@bp.post("/meetings/<int:meeting_id>/report/start")
@requires(Permission.MEETING_ARRANGE)
def start(meeting_id: int) -> Any:
    meeting = services.get_meeting(current_actor(), meeting_id)
    try:
        services.start_draft(current_actor(), meeting)
    except ServiceError as exc:
        db.session.rollback()
        return _page(meeting, services.report_of(meeting), message=exc.message, status=exc.status)
    flash(_("Draf laporan kegiatan dibuat dari data rapat."), "success")
    return redirect(url_for("eventreports.edit", meeting_id=meeting.id), 303)


@bp.post("/meetings/<int:meeting_id>/report")
@requires(Permission.MEETING_ARRANGE)
def save(meeting_id: int) -> Any:
    meeting = services.get_meeting(current_actor(), meeting_id)
    report = services.require_report(meeting)
    values = form_values(request.form)
    submitted = {**values, "version": request.form.get("version", "")}
    do = request.form.get("do", "save")
    try:
        services.save(
            current_actor(),
            report,
            values,
            services.parse_version(request.form.get("version")),
            refresh=do == "refresh",
            finalize=do == "final",
        )
    except ServiceError as exc:
        db.session.rollback()
        db.session.refresh(report)
        return _page(
            meeting,
            report,
            message=exc.message,
            errors=exc.errors,
            submitted=submitted,
            status=exc.status,
        )
    done = {
        "refresh": _("Teks disimpan dan data rapat diambil ulang."),
        "final": _("Laporan kegiatan disimpan sebagai final."),
    }
    flash(done.get(do, _("Laporan kegiatan disimpan.")), "success")
    return redirect(url_for("eventreports.edit", meeting_id=meeting.id), 303)


def file_response(body: bytes, mimetype: str, name: str) -> Any:
    return current_app.response_class(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def report_document(meeting: Meeting, report: EventReport) -> content.Document:
    return content.document(report, letterhead_for(meeting).header())


def pdf_of(actor: Any, meeting_id: int) -> Any:
    meeting = services.get_meeting(actor, meeting_id)
    report = services.require_report(meeting)
    body = off_hub(pdf.render, report_document(meeting, report))
    return file_response(body, PDF, f"laporan-kegiatan-{meeting.id}.pdf")


def docx_of(actor: Any, meeting_id: int) -> Any:
    meeting = services.get_meeting(actor, meeting_id)
    report = services.require_report(meeting)
    body = off_hub(docx.render, report_document(meeting, report))
    return file_response(body, DOCX, f"laporan-kegiatan-{meeting.id}.docx")


def series_pdf_of(actor: Any, series_id: int) -> Any:
    series = services.get_series(actor, series_id)
    docs = [report_document(r.meeting, r) for r in services.series_reports(series)]
    body = off_hub(pdf.render_series, series.title, letterhead_for(series).header(), docs)
    return file_response(body, PDF, f"buku-success-stories-seri-{series.id}.pdf")


@bp.get("/meetings/<int:meeting_id>/report.pdf")
@requires(Permission.MEETING_VIEW)
def report_pdf(meeting_id: int) -> Any:
    return pdf_of(current_actor(), meeting_id)


@bp.get("/meetings/<int:meeting_id>/report.docx")
@requires(Permission.MEETING_VIEW)
def report_docx(meeting_id: int) -> Any:
    return docx_of(current_actor(), meeting_id)


@bp.get("/series/<int:series_id>/reports.pdf")
@requires(Permission.MEETING_VIEW)
def series_book(series_id: int) -> Any:
    return series_pdf_of(current_actor(), series_id)
