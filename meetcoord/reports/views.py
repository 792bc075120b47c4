"""The dashboards of a forum and a series, and their one-page PDF summaries (staff).

Handlers parse, load through ``reports.queries`` (which checks the reader's reach: another
institution's forum is not found), and render. The charts are drawn here from the figures
(``reports.charts``, pure SVG) and always sit beside the same numbers as a table.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from meetcoord.access.declare import requires
from meetcoord.access.institutions import letterhead_for
from meetcoord.access.permissions import Permission
from meetcoord.actions.labels import STATUS_LABELS
from meetcoord.core.errors import ValidationError
from meetcoord.core.forms import current_actor
from meetcoord.core.i18n import current_language
from meetcoord.directory.forms import CATEGORY_LABELS, GENDER_LABELS
from meetcoord.reports import charts, queries, summary_pdf
from meetcoord.reports.figures import CATEGORIES, GENDERS, STATUSES, Dashboard

bp = Blueprint("reports", __name__)

CHART_ROWS = 15  # a chart shows the first rows; the table below has them all
BAD_MEETING = _l("Pilih rapat dengan nomor yang benar.")


def meeting_arg() -> int | None:
    """``?meeting_id=``: which meeting to break down; a bad value is a clear 422."""
    raw = request.args.get("meeting_id", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 2**31:
        raise ValidationError(BAD_MEETING, errors={"meeting_id": [BAD_MEETING]})
    return int(raw)


def labels() -> dict[str, Any]:
    """Display names of statuses, categories and genders, keyed by their stored values."""
    return {
        "status": {s: STATUS_LABELS[s] for s in STATUS_LABELS},
        "category": {c: CATEGORY_LABELS[c] for c in CATEGORY_LABELS},
        "gender": {**{g: GENDER_LABELS[g] for g in GENDER_LABELS}, "unknown": _l("Tidak diisi")},
    }


def draw(board: Dashboard) -> dict[str, Markup]:
    """The page's charts (escaped SVG, safe to place in the page as it is)."""
    names = labels()
    status_names = [str(names["status"][s]) for s in STATUSES]
    drawn = {
        "status": charts.bars(
            _("Tindak lanjut menurut status"),
            _("Jumlah tindak lanjut per status; angkanya juga ada pada tabel."),
            [(str(names["status"][s]), board.actions.by_status[s]) for s in STATUSES]
            + [(_("Lewat tenggat"), board.actions.overdue)],
            chart_id="c-status",
        ),
        "agency": charts.stacked_bars(
            _("Tindak lanjut per instansi"),
            _("Setiap batang dibagi menurut status; angkanya juga ada pada tabel."),
            [
                charts.Bar(row.name, tuple(row.by_status[s] for s in STATUSES))
                for row in board.by_agency[:CHART_ROWS]
            ],
            status_names,
            chart_id="c-agency",
        ),
        "attendance": charts.bars(
            _("Tingkat kehadiran per instansi"),
            _("Persentase rapat yang dihadiri; yang paling jarang hadir di atas."),
            [(row.name or _("Tanpa instansi"), row.rate or 0) for row in board.attendance][
                :CHART_ROWS
            ],
            chart_id="c-attendance",
            scale_max=100,
            suffix="%",
        ),
    }
    if board.meeting is not None:
        m = board.meeting
        drawn["sites"] = charts.stacked_bars(
            _("Kehadiran per lokasi"),
            _("Hadir dan tidak hadir dari undangan di setiap lokasi."),
            [charts.Bar(s.name, (s.attended, max(s.invited - s.attended, 0))) for s in m.by_site],
            [_("Hadir"), _("Tidak hadir")],
            chart_id="c-sites",
        )
        drawn["category"] = charts.stacked_bars(
            _("Kehadiran per kategori dan jenis kelamin"),
            _("Peserta hadir per kategori pemangku kepentingan, dibagi menurut jenis kelamin."),
            [
                charts.Bar(str(names["category"][c]), tuple(m.cross[c][g] for g in GENDERS))
                for c in CATEGORIES
                if m.by_category.get(c)
            ],
            [str(names["gender"][g]) for g in GENDERS],
            chart_id="c-category",
        )
    return {key: Markup(svg) for key, svg in drawn.items()}  # noqa: S704 (escaped by charts)


def _render(board: Dashboard, obj: Any, endpoint: str) -> Any:
    return render_template(
        "reports/dashboard.html",
        board=board,
        obj=obj,
        charts=draw(board),
        names=labels(),
        statuses=STATUSES,
        categories=CATEGORIES,
        genders=GENDERS,
        endpoint=endpoint,
        zone=current_app.config["HOME_TIMEZONE"],
    )


@bp.get("/forums/<int:forum_id>/dashboard")
@requires(Permission.MEETING_VIEW)
def forum_dashboard(forum_id: int) -> Any:
    forum, board = queries.forum_dashboard(current_actor(), forum_id, meeting_arg())
    return _render(board, forum, "reports.forum_dashboard")


@bp.get("/series/<int:series_id>/dashboard")
@requires(Permission.MEETING_VIEW)
def series_dashboard(series_id: int) -> Any:
    series, board = queries.series_dashboard(current_actor(), series_id, meeting_arg())
    return _render(board, series, "reports.series_dashboard")


def _pdf(board: Dashboard, obj: Any) -> Any:
    body = summary_pdf.render(
        board,
        letterhead_for(obj).header(),
        zone=current_app.config["HOME_TIMEZONE"],
        locale=current_language(),
    )
    name = f"ringkasan-{board.kind}-{board.id}.pdf"
    return current_app.response_class(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/forums/<int:forum_id>/summary.pdf")
@requires(Permission.MEETING_VIEW)
def forum_summary(forum_id: int) -> Any:
    forum, board = queries.forum_dashboard(current_actor(), forum_id)
    return _pdf(board, forum)


@bp.get("/series/<int:series_id>/summary.pdf")
@requires(Permission.MEETING_VIEW)
def series_summary(series_id: int) -> Any:
    series, board = queries.series_dashboard(current_actor(), series_id)
    return _pdf(board, series)
