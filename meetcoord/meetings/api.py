"""Meetings as JSON under ``/api/v1``: schedule, sites, agenda and series.

Handlers parse with the schemas, call one service, and return; every rule (who may edit,
end after start, sites of this meeting, which mails go out) lives in the services, so the
pages and this API cannot drift apart. Only a draft can be deleted: once scheduled, people
may hold it in their calendars, so it is cancelled (which mails them) instead.
Sub-resources are looked up through their meeting, so an id from another meeting is a
404, never a silent change elsewhere. A meeting's invitations are
``meetings.api_invitations``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import jsonify, url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l

from meetcoord.access import permissions, resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, page_schema, problems
from meetcoord.core.cleaning import Collector
from meetcoord.core.errors import NotFound
from meetcoord.core.forms import current_actor
from meetcoord.core.pagination import Page
from meetcoord.extensions import db
from meetcoord.jobs.schemas import JobSchema
from meetcoord.meetings import agenda as agenda_services
from meetcoord.meetings import roster, services
from meetcoord.meetings import schemas as s
from meetcoord.meetings import series as series_services
from meetcoord.meetings.api_invitations import (
    LOCATION_HEADER,
    WRITE,
    invitations_blp,
    job_headers,
    list_query,
)
from meetcoord.meetings.api_links import links_blp
from meetcoord.meetings.conflicts import Conflict, find_conflicts
from meetcoord.meetings.models import AgendaItem, Meeting, MeetingSite, Series

READ = (401, 404)

blp = ApiBlueprint(
    "meetings_api",
    __name__,
    url_prefix="/meetings",
    description="Rapat lintas lokasi: jadwal, lokasi, agenda, seri dan undangan.",
)
series_blp = ApiBlueprint(
    "series_api", __name__, url_prefix="/series", description="Seri rapat berulang."
)


_actor = resolve.account  # the staff account acting (access.resolve)


def _not_found() -> NotFound:
    return NotFound(_l("Data tidak ditemukan."))


def _site(meeting_id: int, site_id: int) -> MeetingSite:
    site = db.session.get(MeetingSite, site_id)
    if site is None or site.meeting_id != meeting_id:
        raise _not_found()
    return permissions.visible(_actor(), site)


def _item(meeting_id: int, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting_id:
        raise _not_found()
    return permissions.visible(_actor(), item)


MEETING_FILTERS = (
    "status",
    "kind",
    "forum_id",
    "institution_id",
    "starts_after",
    "starts_before",
    "upcoming",
)


def _series(series_id: int) -> Series:
    return permissions.visible(_actor(), db.session.get(Series, series_id))


def _instant(meeting: Meeting, data: Mapping[str, Any], name: str) -> Any:
    """Parse one instant the way meetings do: an offset, or the host venue's wall clock."""
    collector = Collector(data)
    collector.moment(name, services.zone_for({}, meeting), required=True)
    return collector.done(_l("Data rapat tidak valid."))[name]


@dataclass
class SeriesView:
    """A series with its occurrences, and after a PATCH the meetings that changed."""

    id: int
    title: str
    rrule: str
    timezone: str
    forum_id: int | None
    meeting_ids: list[int]
    updated_ids: list[int] = field(default_factory=list)


def _series_view(series: Series, updated: list[Meeting] | None = None) -> SeriesView:
    return SeriesView(
        id=series.id,
        title=series.title,
        rrule=series.rrule,
        timezone=series.timezone,
        forum_id=series.forum_id,
        meeting_ids=[meeting.id for meeting in series.meetings],
        updated_ids=[meeting.id for meeting in updated or []],
    )


# --- meetings ---------------------------------------------------------------------------


@blp.route("")
class Meetings(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Daftar rapat",
        description="Cari judul; saring status dan jenis (satu atau lebih), lembaga, forum, "
        "rentang mulai (starts_after ≤ mulai < starts_before), mendatang; urutkan.",
    )
    @blp.arguments(s.MeetingListArgs, location="query")
    @blp.response(200, page_schema(s.MeetingSchema))
    @problems(blp, 401, 422)
    def get(self, args: dict[str, Any]) -> Page[Meeting]:
        return services.list_meetings(list_query(args, MEETING_FILTERS), current_actor())

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Buat rapat", description="Draf baru; tempat tuan rumah jadi lokasi pertama.")
    @blp.arguments(s.MeetingSchema)
    @blp.response(201, s.MeetingDetailSchema, headers=LOCATION_HEADER)
    @problems(blp, 400, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> tuple[Meeting, dict[str, str]]:
        meeting = services.create_meeting(_actor(), data)
        return meeting, {"Location": url_for("meetings_api.MeetingItem", id=meeting.id)}


@blp.route("/<int:id>")
class MeetingItem(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Satu rapat",
        description="Dengan lokasi, agenda (mulai per butir di tiap zona), jumlah undangan "
        "per lokasi, dan bentrok jadwal sebagai peringatan.",
    )
    @blp.response(200, s.MeetingDetailSchema)
    @problems(blp, *READ)
    def get(self, id: int) -> Meeting:
        return services.get_meeting(id, current_actor())

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Ubah rapat",
        description="Hanya kolom yang dikirim. Bila rapat sudah dijadwalkan dan waktu atau "
        "tempatnya berubah, semua undangan menerima pembaruan kalender.",
    )
    @blp.arguments(s.MeetingPatchSchema(partial=True))
    @blp.response(200, s.MeetingDetailSchema)
    @problems(blp, *WRITE)
    def patch(self, data: dict[str, Any], id: int) -> Meeting:
        return services.update_meeting(_actor(), services.get_meeting(id, current_actor()), data)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Hapus draf rapat",
        description="Hanya draf (belum ada yang diundang lewat surel). Rapat terjadwal, "
        "berlangsung, selesai atau dibatalkan menjawab 409: batalkan, jangan hapus.",
    )
    @blp.response(204)
    @problems(blp, 401, 403, 404, 409)
    def delete(self, id: int) -> None:
        services.delete_meeting(_actor(), services.get_meeting(id, current_actor()))


@blp.route("/<int:id>/schedule")
class MeetingSchedule(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Jadwalkan rapat",
        description="Draf → terjadwal. Dengan send=true (bawaan) undangan dikirim: sampai "
        "50 undangan di dalam permintaan ini (200, rapat); lebih dari itu di latar: 202 "
        "dengan pekerjaan dan Location /api/v1/jobs/<id>. send=false: tidak ada surel; "
        "kirim nanti dengan POST /meetings/<id>/invitations/send.",
    )
    @blp.arguments(s.ScheduleSchema(), required=False)
    @blp.response(200, s.MeetingDetailSchema)
    @blp.alt_response(202, schema=JobSchema, description="Undangan dikirim di latar.")
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> Any:
        meeting = services.get_meeting(id, current_actor())
        job = services.schedule(_actor(), meeting, send=data.get("send", True))
        if job is not None:
            response = jsonify(JobSchema().dump(job))
            response.status_code = 202
            response.headers.update(job_headers(job))
            return response
        return meeting


@blp.route("/<int:id>/cancel")
class MeetingCancel(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Batalkan rapat", description="Undangan menerima pembatalan kalender.")
    @blp.response(200, s.MeetingDetailSchema)
    @problems(blp, *WRITE)
    def post(self, id: int) -> Meeting:
        return services.cancel_meeting(_actor(), services.get_meeting(id, current_actor()))


@blp.route("/<int:id>/clone")
class MeetingClone(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Salin rapat", description="Draf baru: lokasi, agenda dan undangan sama.")
    @blp.arguments(s.CloneSchema)
    @blp.response(201, s.MeetingDetailSchema, headers=LOCATION_HEADER)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> tuple[Meeting, dict[str, str]]:
        source = services.get_meeting(id, current_actor())
        copy = series_services.clone_meeting(_actor(), source, _instant(source, data, "start_at"))
        return copy, {"Location": url_for("meetings_api.MeetingItem", id=copy.id)}


@blp.route("/<int:id>/series")
class MeetingSeries(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Jadikan seri",
        description="Rapat ini jadi kejadian pertama; kejadian berikutnya dibuat sebagai draf.",
    )
    @blp.arguments(s.SeriesCreateSchema)
    @blp.response(201, s.SeriesSchema, headers=LOCATION_HEADER)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> tuple[SeriesView, dict[str, str]]:
        made = series_services.create_series(
            _actor(), services.get_meeting(id, current_actor()), data["rrule"]
        )
        return _series_view(made), {"Location": url_for("series_api.SeriesItem", id=made.id)}


@series_blp.route("/<int:id>")
class SeriesItem(MethodView):
    @requires(Permission.MEETING_VIEW)
    @series_blp.doc(summary="Satu seri")
    @series_blp.response(200, s.SeriesSchema)
    @problems(series_blp, *READ)
    def get(self, id: int) -> SeriesView:
        return _series_view(_series(id))

    @requires(Permission.MEETING_ARRANGE)
    @series_blp.doc(
        summary="Ubah seri",
        description="Berlaku untuk kejadian mendatang yang tidak diubah sendiri; mulai baru "
        "menggeser setiap kejadian dengan selisih yang sama.",
    )
    @series_blp.arguments(s.SeriesPatchSchema(partial=True))
    @series_blp.response(200, s.SeriesSchema)
    @problems(series_blp, *WRITE)
    def patch(self, data: dict[str, Any], id: int) -> SeriesView:
        series = _series(id)
        return _series_view(series, series_services.update_series(_actor(), series, data))


# --- sites ------------------------------------------------------------------------------


@blp.route("/<int:id>/sites")
class Sites(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Lokasi rapat", description="Cari nama tempat; urut id atau venue_name.")
    @blp.arguments(s.SiteListArgs, location="query")
    @blp.response(200, page_schema(s.SiteSchema))
    @problems(blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[MeetingSite]:
        return roster.list_sites(services.get_meeting(id, current_actor()), list_query(args))

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Tambah lokasi")
    @blp.arguments(s.SiteSchema)
    @blp.response(201, s.SiteSchema, headers=LOCATION_HEADER)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> tuple[MeetingSite, dict[str, str]]:
        site = services.add_site(_actor(), services.get_meeting(id, current_actor()), data)
        return site, {"Location": url_for("meetings_api.SiteItem", id=id, site_id=site.id)}


@blp.route("/<int:id>/sites/<int:site_id>")
class SiteItem(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Ubah lokasi", description="Koordinator dan kursi; tempatnya tetap.")
    @blp.arguments(s.SitePatchSchema(partial=True))
    @blp.response(200, s.SiteSchema)
    @problems(blp, *WRITE)
    def patch(self, data: dict[str, Any], id: int, site_id: int) -> MeetingSite:
        return services.update_site(_actor(), _site(id, site_id), data)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Hapus lokasi",
        description="Ditolak (409) bila masih ada undangan di lokasi ini atau ia tuan rumah.",
    )
    @blp.response(204)
    @problems(blp, 400, 401, 403, 404, 409)
    def delete(self, id: int, site_id: int) -> None:
        services.remove_site(_actor(), _site(id, site_id))


# --- agenda -----------------------------------------------------------------------------


@blp.route("/<int:id>/agenda")
class Agenda(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Agenda rapat", description="Berurutan, dengan mulai rencana per butir.")
    @blp.arguments(s.AgendaListArgs, location="query")
    @blp.response(200, page_schema(s.AgendaItemSchema))
    @problems(blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[AgendaItem]:
        return roster.list_agenda(services.get_meeting(id, current_actor()), list_query(args))

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Tambah butir agenda", description="Ditambahkan di akhir.")
    @blp.arguments(s.AgendaItemSchema)
    @blp.response(201, s.AgendaItemSchema, headers=LOCATION_HEADER)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> tuple[AgendaItem, dict[str, str]]:
        item = agenda_services.add_agenda_item(
            _actor(), services.get_meeting(id, current_actor()), data
        )
        return item, {"Location": url_for("meetings_api.AgendaItemView", id=id, item_id=item.id)}


@blp.route("/<int:id>/agenda/order")
class AgendaOrder(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Urutkan agenda", description="Kirim setiap id tepat sekali.")
    @blp.arguments(s.AgendaOrderSchema)
    @blp.response(200, s.AgendaItemSchema(many=True))
    @problems(blp, *WRITE)
    def put(self, data: dict[str, Any], id: int) -> list[AgendaItem]:
        return agenda_services.reorder_agenda(
            _actor(), services.get_meeting(id, current_actor()), data["ids"]
        )


@blp.route("/<int:id>/agenda/<int:item_id>")
class AgendaItemView(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Ubah butir agenda")
    @blp.arguments(s.AgendaItemPatchSchema(partial=True))
    @blp.response(200, s.AgendaItemSchema)
    @problems(blp, *WRITE)
    def patch(self, data: dict[str, Any], id: int, item_id: int) -> AgendaItem:
        return agenda_services.update_agenda_item(_actor(), _item(id, item_id), data)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Hapus butir agenda")
    @blp.response(204)
    @problems(blp, 400, 401, 403, 404)
    def delete(self, id: int, item_id: int) -> None:
        agenda_services.remove_agenda_item(_actor(), _item(id, item_id))


# --- conflicts ---------------------------------------------------------------------------


@blp.route("/<int:id>/conflicts")
class Conflicts(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Bentrok jadwal", description="Tempat, pimpinan atau undangan ganda.")
    @blp.arguments(s.ConflictListArgs, location="query")
    @blp.response(200, page_schema(s.ConflictSchema))
    @problems(blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[Conflict]:
        found = find_conflicts(services.get_meeting(id, current_actor()))
        found.sort(key=lambda conflict: conflict.other_start_at)
        return roster.page_of(found, list_query(args))


blueprints: list[ApiBlueprint] = [blp, series_blp, invitations_blp, links_blp]
