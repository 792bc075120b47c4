"""Attendance as an integrator reads it: one list of records, one summary, the files.

Three views of the same attendances, replacing the API's former overlap (``/presence``,
the meeting's ``/counts`` and a whole daftar hadir per request):

- :func:`records` — the rows of the daftar hadir (``lists``), filtered, sorted and paged;
- :func:`summary` — per site: invited and answers (``invitations.site_counts``), present
  now and quorum (``counts.presence``), and the totals of everyone who came;
- :func:`download` — the CSV/XLSX/PDF the attendance page offers, from the same data.

The rows are composed in memory (numbered in order of arrival, per site or for the whole
meeting, as on paper), so paging happens after: a meeting has hundreds, not millions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from flask import Response, current_app
from flask_babel import gettext as _

from meetcoord.access.institutions import letterhead_for
from meetcoord.checkin import exports, list_pdf, staff
from meetcoord.checkin.breakdown import attendance_breakdown
from meetcoord.checkin.counts import presence
from meetcoord.checkin.lists import AttendanceList, Lists, Row, attendance_lists
from meetcoord.checkin.models import CheckinConflict
from meetcoord.core.errors import ValidationError
from meetcoord.core.pagination import Page
from meetcoord.core.tabular import DOWNLOAD_HEADERS
from meetcoord.meetings.invitations import site_counts
from meetcoord.meetings.models import Meeting

T = TypeVar("T")

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

_SORT_KEYS = {
    "number": lambda row: (row.number, row.attendance_id),
    "name": lambda row: (row.name.casefold(), row.attendance_id),
    "checked_in_at": lambda row: (row.checked_in_at, row.attendance_id),
    "site_name": lambda row: (row.site_name.casefold(), row.number),
    "organization": lambda row: ((row.organization or "").casefold(), row.number),
}


def _key(meeting: Meeting, site_id: int | None, mode: str | None) -> str:
    """Which daftar hadir: a site's, the online one, or the whole meeting's.

    A site that is not this meeting's is bad input, named by its parameter; so is asking
    for a site and for online at once.
    """
    if site_id is not None:
        if mode == "online":
            raise ValidationError(
                _("Data tidak valid."),
                errors={"mode": [_("Peserta daring tidak punya lokasi; pilih salah satu.")]},
            )
        if all(site.id != site_id for site in meeting.sites):
            raise ValidationError(
                _("Lokasi tidak ditemukan."),
                errors={"site_id": [_("Pilih salah satu lokasi rapat ini.")]},
            )
        return str(site_id)
    return "online" if mode == "online" else "all"


def chosen_list(lists: Lists, key: str) -> AttendanceList:
    found = lists.by_key(key)
    assert found is not None  # _key names only lists that exist
    return found


def records(meeting: Meeting, args: Mapping[str, Any]) -> Page[Row]:
    """One page of attendance rows: ``site_id``, ``mode``, ``method``, ``q``, sort, page."""
    key = _key(meeting, args.get("site_id"), args.get("mode"))
    rows = chosen_list(attendance_lists(meeting), key).rows
    if args.get("mode") == "in_person":
        rows = [row for row in rows if row.site_id is not None]
    if args.get("method"):
        rows = [row for row in rows if row.method == args["method"]]
    needle = (args.get("q") or "").strip().casefold()
    if needle:
        rows = [
            row
            for row in rows
            if needle in row.name.casefold() or needle in (row.organization or "").casefold()
        ]
    rows = sorted(
        rows, key=_SORT_KEYS[args.get("sort") or "number"], reverse=args.get("order") == "desc"
    )
    return page_of(rows, args)


def page_of(items: list[T], args: Mapping[str, Any]) -> Page[T]:
    """One page of a list already in memory; past the end gives the last page (as
    ``core.pagination.paginate`` does for a query)."""
    per_page, total = int(args.get("per_page") or 25), len(items)
    pages = max(1, -(-total // per_page))
    page = min(max(1, int(args.get("page") or 1)), pages)
    start = (page - 1) * per_page
    return Page(items=items[start : start + per_page], page=page, per_page=per_page, total=total)


def conflicts(meeting: Meeting, args: Mapping[str, Any]) -> Page[CheckinConflict]:
    """One page of the meeting's cross-site conflicts, oldest first (``resolved`` filter)."""
    found = staff.open_conflicts(meeting, include_resolved=True)
    if args.get("resolved") is not None:
        found = [c for c in found if (c.resolved_at is not None) is args["resolved"]]
    if args.get("order") == "desc":
        found.reverse()
    return page_of(found, args)


def row_of(meeting: Meeting, attendance_id: int) -> Row:
    """One attendance as the daftar hadir shows it (its number among the whole meeting's)."""
    return next(
        r for r in attendance_lists(meeting).combined.rows if r.attendance_id == attendance_id
    )


def summary(meeting: Meeting, language: str = "id") -> dict[str, Any]:
    """Per site and online: invited, answers, seats, present now, quorum; and totals.

    ``totals`` counts everyone recorded present (those who have left included) every way
    an integrator asks for: category, gender, disability, walk-ins, stand-ins, and — from
    :func:`~meetcoord.checkin.breakdown.attendance_breakdown` — site, mode and province.
    One object, so the summary is the only attendance-count resource (issue 17).
    ``language`` names the unknown province and the online "site".
    """
    now = presence(meeting).as_dict()
    answered = {(count.site.id if count.site else None): count for count in site_counts(meeting)}
    codes = {site.id: site.code for site in meeting.sites}
    sites = []
    for here in now["sites"]:
        count = answered.get(here["site_id"])
        sites.append(
            {
                **here,
                "code": codes.get(here["site_id"]),
                "accepted": count.accepted if count else 0,
                "declined": count.declined if count else 0,
                "seats": count.seats if count else None,
                "over_capacity": bool(count and count.over_capacity),
            }
        )
    return {
        "present": now["total"],
        "quorum": now["quorum"],
        "sites": sites,
        "totals": attendance_lists(meeting).combined.totals.as_dict() | _spread(meeting, language),
    }


def _spread(meeting: Meeting, language: str) -> dict[str, Any]:
    """The breakdown's counts the daftar hadir totals do not have: site, mode, province."""
    found = attendance_breakdown(meeting.id, language)
    return {key: found[key] for key in ("by_site", "by_mode", "by_province")}


def download(meeting: Meeting, fmt: str, key: str) -> Response:
    """The daftar hadir ``key`` (a site id, ``online`` or ``all``) as a file to keep.

    ``all`` is every site: the XLSX has a sheet per site and the PDF a page per site,
    with the meeting's totals; a single list is one sheet, one document.
    """
    lists = attendance_lists(meeting)
    chosen = chosen_list(lists, key)
    if fmt == "csv":
        body = exports.to_csv(chosen)
    elif fmt == "xlsx":
        body = exports.to_xlsx(lists) if chosen.combined else exports.to_xlsx_one(chosen)
    else:
        body = list_pdf.to_pdf(
            lists.sites if chosen.combined else [chosen],
            **letterhead_for(meeting).header(),
            combined=lists.combined if chosen.combined else None,
        )
    name = exports.filename(meeting.id, chosen, fmt)
    return current_app.response_class(
        body,
        mimetype=FORMATS[fmt].split(";")[0],
        headers={
            "Content-Type": FORMATS[fmt],
            "Content-Disposition": f'attachment; filename="{name}"',
            **DOWNLOAD_HEADERS,
        },
    )


def export_key(meeting: Meeting, site_id: int | None, mode: str | None) -> str:
    """The list an export names by ``site_id`` / ``mode`` (checked as for the records)."""
    return _key(meeting, site_id, mode)
