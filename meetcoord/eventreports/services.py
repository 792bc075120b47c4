"""Writing an event report: start the draft, save its sections, refresh its facts, finalize.

Services take the actor and own the commit; the secretariat of the meeting's institution
(or its co-host) works on the report, anyone who sees the meeting reads it. Every change
names the version it was read at: a save over somebody else's newer save is refused with
:data:`STALE` and changes nothing, so the page can give the writer their own text back.
A final report no longer changes (it may be public and filed in a series' book).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord.access.actors import as_actor
from meetcoord.access.permissions import Permission, require, visible
from meetcoord.core import audit
from meetcoord.core.cleaning import clean_text
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, NotFound, ServiceError, ValidationError
from meetcoord.eventreports import facts
from meetcoord.eventreports.models import SECTION_MAX, SECTIONS, EventReport, ReportStatus
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting, MeetingStatus, Series

MEETING_NOT_FOUND = _l("Rapat tidak ditemukan.")
SERIES_NOT_FOUND = _l("Seri tidak ditemukan.")
NO_REPORT = _l("Laporan kegiatan rapat ini belum dibuat.")
EXISTS = _l("Laporan kegiatan rapat ini sudah ada.")
NOT_HELD = _l("Laporan kegiatan dibuat setelah rapat berlangsung.")
STALE = _l(
    "Laporan ini sudah diubah orang lain sejak Anda membukanya. Perubahan Anda belum "
    "disimpan; teks Anda ditampilkan kembali di bawah — salin, muat ulang, lalu gabungkan."
)
FINAL = _l("Laporan ini sudah final dan tidak dapat diubah lagi.")
TOO_LONG = _l("Paling banyak %(n)s karakter.")
BAD_VERSION = _l("Versi laporan tidak valid.")
NOT_TEXT = _l("Harus berupa teks.")
UNKNOWN_ITEM = _l("Agenda ini tidak ada dalam rapat.")


class PreconditionFailed(ServiceError):
    """The API's ``If-Match`` named an older version than the stored one (RFC 9110)."""

    status = 412
    code = "precondition_failed"


# --- loading ---------------------------------------------------------------------------


def get_meeting(actor: Any, meeting_id: int) -> Meeting:
    """The meeting if ``actor`` sees it; another institution's is not found."""
    return visible(as_actor(actor), db.session.get(Meeting, meeting_id), MEETING_NOT_FOUND)


def get_series(actor: Any, series_id: int) -> Series:
    return visible(as_actor(actor), db.session.get(Series, series_id), SERIES_NOT_FOUND)


def report_of(meeting: Meeting) -> EventReport | None:
    return db.session.scalar(select(EventReport).where(EventReport.meeting_id == meeting.id))


def require_report(meeting: Meeting) -> EventReport:
    found = report_of(meeting)
    if found is None:
        raise NotFound(NO_REPORT)
    return found


def final_report(meeting_id: int) -> EventReport | None:
    """The meeting's report when it is final (for the public page and the series' book)."""
    return db.session.scalar(
        select(EventReport).where(
            EventReport.meeting_id == meeting_id, EventReport.status == ReportStatus.FINAL
        )
    )


def series_reports(series: Series) -> list[EventReport]:
    """The final reports of the series' meetings, oldest meeting first."""
    return list(
        db.session.scalars(
            select(EventReport)
            .join(Meeting, Meeting.id == EventReport.meeting_id)
            .where(Meeting.series_id == series.id, EventReport.status == ReportStatus.FINAL)
            .order_by(Meeting.start_at)
        )
    )


# --- changing --------------------------------------------------------------------------


def _first_sections(meeting: Meeting) -> dict[str, Any]:
    """A new draft's words: the purpose the meeting was created with, nothing invented."""
    sections: dict[str, Any] = dict.fromkeys(SECTIONS, "")
    sections["purpose"] = meeting.purpose or ""
    sections["sessions"] = {}
    return sections


def start_draft(actor: Any, meeting: Meeting) -> EventReport:
    """The draft of ``meeting``'s report, its facts read from the data now."""
    require(as_actor(actor), Permission.MEETING_ARRANGE, meeting)
    if meeting.status in (MeetingStatus.DRAFT, MeetingStatus.CANCELLED):
        raise Conflict(NOT_HELD)
    if report_of(meeting) is not None:
        raise Conflict(EXISTS)
    report = EventReport(
        meeting_id=meeting.id,
        meeting=meeting,
        status=ReportStatus.DRAFT,
        version=1,
        sections=_first_sections(meeting),
        facts=facts.build(meeting),
        facts_at=utcnow(),
        updated_by_id=getattr(actor, "id", None),
    )
    db.session.add(report)
    db.session.flush()
    audit.record(actor, "create", report, f"event report started: {meeting.title}")
    db.session.commit()
    return report


def parse_version(raw: Any) -> int:
    if isinstance(raw, bool) or raw is None:
        raise ValidationError(BAD_VERSION, errors={"version": [BAD_VERSION]})
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValidationError(BAD_VERSION, errors={"version": [BAD_VERSION]}) from None
    if not 0 < value < 2**31:
        raise ValidationError(BAD_VERSION, errors={"version": [BAD_VERSION]})
    return value


def clean_sections(meeting: Meeting, values: Mapping[str, Any]) -> dict[str, Any]:
    """The sections as they will be stored, or a ValidationError naming each bad field.

    ``values``: a text per section key and ``sessions``: {agenda item id: text}. A
    section left out keeps nothing (the editor always sends them all).
    """
    errors: dict[str, list[Any]] = {}
    cleaned: dict[str, Any] = {}

    def text(field: str, raw: Any) -> str:
        if raw is None:
            return ""
        if not isinstance(raw, str):
            errors[field] = [NOT_TEXT]
            return ""
        value = clean_text(raw)
        if len(value) > SECTION_MAX:
            errors[field] = [TOO_LONG % {"n": SECTION_MAX}]
        return value

    for key in SECTIONS:
        if key != "sessions":
            cleaned[key] = text(key, values.get(key))
    items = {str(item.id) for item in meeting.agenda}
    sessions = values.get("sessions") or {}
    if not isinstance(sessions, Mapping):
        errors["sessions"] = [NOT_TEXT]
        sessions = {}
    cleaned["sessions"] = {}
    for key, raw in sessions.items():
        field = f"sessions.{key}"
        if str(key) not in items:
            errors[field] = [UNKNOWN_ITEM]
            continue
        value = text(field, raw)
        if value:
            cleaned["sessions"][str(key)] = value
    if errors:
        raise ValidationError(_l("Periksa isian yang ditandai."), errors=errors)
    return cleaned


def _check_version(report: EventReport, version: int, *, if_match: bool = False) -> None:
    if report.is_final:
        raise Conflict(FINAL)
    if version != report.version:
        error = PreconditionFailed if if_match else Conflict
        raise error(STALE, extra={"version": report.version})


def save(
    actor: Any,
    report: EventReport,
    values: Mapping[str, Any],
    version: int,
    *,
    refresh: bool = False,
    finalize: bool = False,
    if_match: bool = False,
) -> EventReport:
    """Store the sections read at ``version``; optionally refresh the facts from the data
    (the text stays as written) and make the report final. All in one new version."""
    require(as_actor(actor), Permission.MEETING_ARRANGE, report.meeting)
    _check_version(report, version, if_match=if_match)
    sections = clean_sections(report.meeting, values)
    changed = [k for k in SECTIONS if sections.get(k) != (report.sections or {}).get(k)]
    report.sections = sections
    notes = [f"sections changed: {', '.join(changed)}" if changed else "text unchanged"]
    if refresh:
        report.facts = facts.build(report.meeting)
        report.facts_at = utcnow()
        notes.append("facts refreshed")
    if finalize:
        report.status = ReportStatus.FINAL
        report.finalized_at = utcnow()
        notes.append("made final")
    report.version += 1
    report.updated_by_id = getattr(actor, "id", None)
    audit.record(
        actor,
        "finalize" if finalize else "update",
        report,
        f"event report of {report.meeting.title}: {'; '.join(notes)}",
        {"version": report.version, "sections": changed},
    )
    db.session.commit()
    return report
