"""Check-in as JSON under ``/api/v1``: desks redeem credentials, staff read lists and counts.

A scan is always answered 200 with a ``CheckinResult`` — checked in, already, or refused
with a reason code — because a refusal is an answer for the person at the desk, not an
error. Errors are for the request itself: 422 a malformed body, 403 a user who may not
operate that site, 404 an unknown site code. A retry with the same nonce gets the first
answer back, so a desk whose connection dropped can send again safely.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView

from meetcoord.access import resolve
from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, page_schema, problems
from meetcoord.checkin import across, records, staff, staff_api
from meetcoord.checkin import schemas as s
from meetcoord.checkin.admission import CheckinResult
from meetcoord.checkin.desk import redeem_at_code, redeem_credential
from meetcoord.checkin.kiosk_views import code_payload
from meetcoord.checkin.models import CheckinConflict
from meetcoord.checkin.offline import offline_answers, upload_offline
from meetcoord.checkin.selfservice import require_site
from meetcoord.core.forms import current_actor
from meetcoord.core.i18n import current_language
from meetcoord.core.pagination import Page
from meetcoord.core.tabular import MIMETYPES
from meetcoord.directory.models import StakeholderCategory
from meetcoord.meetings.services import get_meeting

SCAN = (401, 403, 404, 422)
READ = (401, 404)

blp = ApiBlueprint(
    "checkin_api",
    __name__,
    url_prefix="/checkin",
    description="Registrasi kehadiran di meja: tukar kartu undangan (QR pribadi) dengan kehadiran.",
)
attendance_blp = ApiBlueprint(
    "attendance_api",
    __name__,
    url_prefix="/meetings",
    description="Daftar hadir (catatan, rekap dan kuorum, berkas), konflik lintas lokasi.",
)


def _desk() -> Actor:
    return resolve.current()


def _answer(result: CheckinResult) -> dict[str, Any]:
    return result.as_dict()


@blp.route("/sites/<site_code>/redeem")
class Redeem(MethodView):
    @requires(Permission.CHECKIN_OPERATE)
    @blp.doc(
        summary="Tukar kartu undangan",
        description="Jawaban 200 untuk hadir, sudah hadir dan ditolak (dengan `reason`). "
        "Nonce yang sama → jawaban pertama.",
    )
    @blp.arguments(s.RedeemSchema())  # one instance: webargs would build one per request
    @blp.response(200, s.CheckinResultSchema)
    @problems(blp, *SCAN)
    def post(self, data: dict[str, Any], site_code: str) -> dict[str, Any]:
        desk = _desk()
        credential, nonce, scanned_at = data["credential"], data["nonce"], data["scanned_at"]
        admitted = redeem_at_code(desk, site_code, credential, nonce, scanned_at=scanned_at)
        if admitted is not None:  # the common case, without loading the site first
            return _answer(admitted)
        site = require_site(site_code)
        # redeem_at_code has tried the common case already: not a second time.
        result = redeem_credential(
            desk, site, credential, nonce, scanned_at=scanned_at, fast_path=False
        )
        return _answer(result)


@blp.route("/sites/<site_code>/offline")
class Offline(MethodView):
    @requires(Permission.CHECKIN_OPERATE)
    @blp.doc(
        summary="Unggah antrean luring",
        description="Pindaian yang diantre meja saat luring; pindaian paling awal menang, "
        "bentrok lintas lokasi dicatat untuk sekretariat.",
    )
    @blp.arguments(s.OfflineUploadSchema)
    @blp.response(200, s.OfflineResultsSchema)
    @problems(blp, *SCAN)
    def post(self, data: dict[str, Any], site_code: str) -> dict[str, Any]:
        site = require_site(site_code)
        return offline_answers(data["scans"], upload_offline(_desk(), site, data["scans"]))


@blp.route("/sites/<site_code>/checkout")
class Checkout(MethodView):
    @requires(Permission.CHECKIN_OPERATE)
    @blp.doc(summary="Catat keluar", description="Pindai kartu undangan saat peserta pulang.")
    @blp.arguments(s.CheckoutSchema())
    @blp.response(200, s.CheckinResultSchema)
    @problems(blp, *SCAN)
    def post(self, data: dict[str, Any], site_code: str) -> dict[str, Any]:
        site = require_site(site_code)
        return _answer(staff.checkout_credential(_desk(), site, data["credential"], data["nonce"]))


@blp.route("/sites/<site_code>/kiosk-code")
class KioskCode(MethodView):
    @requires(Permission.CHECKIN_OPERATE)
    @blp.doc(
        summary="Kode kios sekarang",
        description="Yang ditampilkan kios lokasi ini: isi QR dan kode pendek yang berganti "
        "tiap beberapa detik (`expires_in`); di luar jendela registrasi tanpa kode.",
    )
    @blp.response(200, s.KioskCodeSchema)
    @problems(blp, 401, 403, 404)
    def get(self, site_code: str) -> dict[str, Any]:
        site = require_site(site_code)
        _desk().require(Permission.CHECKIN_OPERATE, site)
        return code_payload(site)


@attendance_blp.route("/<int:id>/attendance")
class AttendanceRecords(MethodView):
    @requires(Permission.MEETING_VIEW)
    @attendance_blp.doc(
        summary="Daftar hadir",
        description="Catatan kehadiran, satu per orang, bernomor menurut kedatangan (per "
        "lokasi dengan `site_id`, selain itu untuk seluruh rapat). Saring dengan `site_id`, "
        "`mode` (in_person, online), `method` dan `q` (nama atau instansi).",
    )
    @attendance_blp.arguments(s.AttendanceArgs, location="query")
    @attendance_blp.response(200, page_schema(s.AttendanceRowSchema))
    @problems(attendance_blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[Any]:
        page = records.records(get_meeting(id, current_actor()), args)
        return Page([row.as_dict() for row in page.items], page.page, page.per_page, page.total)


def _site_example(site_id: int | None, name: str, code: str | None, *counts: int) -> dict:
    invited, accepted, declined, present, members = counts
    return {
        "site_id": site_id,
        "name": name,
        "code": code,
        "invited": invited,
        "accepted": accepted,
        "declined": declined,
        "seats": 45 if site_id else None,
        "over_capacity": False,
        "present": present,
        "minimum": None,
        "meets_minimum": None,
        "quorum": {"state": "none", "kind": None, "value": None, "rule_text": ""}
        | {"required": None, "present": members, "base": invited},
    }


SUMMARY_EXAMPLE = {  # the OpenAPI example: one site and online, a quorum of members
    "present": 41,
    "quorum": {
        "state": "met",
        "rule": True,
        "met": True,
        "kind": "more_than",
        "value": 50,
        "rule_text": "lebih dari 50% undangan",
        "required": 31,
        "present": 38,
        "base": 60,
    },
    "sites": [
        _site_example(7, "Aula Bappeda NTT", "KPG-1", 40, 36, 2, 29, 27),
        _site_example(None, "Daring", None, 20, 15, 1, 12, 11),
    ],
    "totals": {
        "total": 44,
        "by_category": {c.value: 0 for c in StakeholderCategory}
        | {"government": 30, "ngo": 8, "academia": 4, "media": 2},
        "by_gender": {"male": 25, "female": 18, "unknown": 1},
        "by_site": [
            {"site_id": 7, "name": "Aula Bappeda NTT", "count": 31},
            {"site_id": None, "name": "Daring", "count": 13},
        ],
        "by_mode": {"site": 31, "online": 13},
        "by_province": [
            {"province": "nusa tenggara timur", "name": "Nusa Tenggara Timur", "count": 40},
            {"province": "dki jakarta", "name": "DKI Jakarta", "count": 3},
            {"province": None, "name": "Tidak diketahui", "count": 1},
        ],
        "disability": 2,
        "walk_ins": 3,
        "stand_ins": 1,
        "checked_out": 3,
    },
}


@attendance_blp.route("/<int:id>/attendance/summary")
class AttendanceSummary(MethodView):
    @requires(Permission.MEETING_VIEW)
    @attendance_blp.doc(
        summary="Rekap kehadiran dan kuorum",
        description="Satu-satunya sumber hitungan kehadiran. `sites` dan `present`: per "
        "lokasi (dan daring) diundang, jawaban, kursi, hadir sekarang dan kuorumnya; "
        "`quorum`: kuorum rapat. `totals`: semua yang pernah tercatat hadir (juga yang sudah "
        "keluar) per kategori, jenis kelamin, lokasi (`by_site`), cara hadir (`by_mode`) dan "
        'provinsi (`by_province`, dari wilayah orang atau instansinya). Nama "Daring" dan '
        '"Tidak diketahui" mengikuti bahasa permintaan (Accept-Language).',
    )
    @attendance_blp.response(200, s.AttendanceSummarySchema, example=SUMMARY_EXAMPLE)
    @problems(attendance_blp, *READ)
    def get(self, id: int) -> dict[str, Any]:
        return records.summary(get_meeting(id, current_actor()), current_language())


DAFTAR_HADIR_RESPONSES = {
    "200": {
        "description": "Berkas lampiran (Content-Disposition: attachment).",
        "content": {
            mimetype.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
            for mimetype in records.FORMATS.values()
        },
    }
}


@attendance_blp.route("/<int:id>/attendance/export")
class AttendanceExport(MethodView):
    @requires(Permission.MEETING_VIEW)
    @attendance_blp.doc(
        summary="Unduh daftar hadir",
        description="Berkas yang sama dengan halaman daftar hadir: CSV (UTF-8 dengan BOM, "
        "`;`), XLSX (satu lembar per lokasi untuk gabungan) atau PDF bertanda tangan "
        "basah. Satu lokasi dengan `site_id`, peserta daring dengan `mode=online`.",
        responses=DAFTAR_HADIR_RESPONSES,
    )
    @attendance_blp.arguments(s.AttendanceExportArgs, location="query")
    @problems(attendance_blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Response:
        meeting = get_meeting(id, current_actor())
        key = records.export_key(meeting, args["site_id"], args["mode"])
        return records.download(meeting, args["format"], key)


@attendance_blp.route("/<int:id>/checkin-conflicts")
class Conflicts(MethodView):
    @requires(Permission.MEETING_VIEW)
    @attendance_blp.doc(
        summary="Konflik registrasi lintas lokasi",
        description="Orang yang dipindai di dua lokasi; yang paling awal menang. Termasuk "
        "yang sudah ditandai selesai (`resolved_at`); saring dengan `resolved`.",
    )
    @attendance_blp.arguments(s.ConflictArgs, location="query")
    @attendance_blp.response(200, page_schema(s.CheckinConflictSchema))
    @problems(attendance_blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[CheckinConflict]:
        return records.conflicts(get_meeting(id, current_actor()), args)


@attendance_blp.route("/<int:id>/checkin-conflicts/<int:conflict_id>/resolve")
class ResolveConflict(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @attendance_blp.doc(summary="Tandai konflik selesai", description="Tidak mengubah kehadiran.")
    @attendance_blp.response(200, s.CheckinConflictSchema)
    @problems(attendance_blp, 400, 401, 403, 404)
    def post(self, id: int, conflict_id: int) -> CheckinConflict:
        actor = resolve.account()
        return staff.resolve_conflict(actor, get_meeting(id, current_actor()), conflict_id)


# --- attendance across a series or a forum ---------------------------------------------

exports_blp = ApiBlueprint(
    "attendance_exports_api",
    __name__,
    url_prefix="",
    description="Ekspor kehadiran lintas rapat sebuah seri atau forum (CSV/XLSX).",
)
EXPORT_DOC = (
    "Satu baris per undangan per rapat (rapat, tanggal, lokasi, orang, jabatan, instansi, "
    "kategori, jenis kelamin, peran, jawaban, waktu hadir dengan zona, diwakili). CSV "
    "UTF-8 dengan BOM dan `;`; teks yang diawali = + - @ diberi tanda '."
)
EXPORT_RESPONSES = {
    "200": {
        "description": "Berkas lampiran.",
        "content": {
            MIMETYPES[fmt].split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
            for fmt in MIMETYPES
        },
    }
}


@exports_blp.route("/series/<int:id>/attendance")
class SeriesAttendanceExport(MethodView):
    @requires(Permission.MEETING_VIEW)
    @exports_blp.doc(
        summary="Ekspor kehadiran seri", description=EXPORT_DOC, responses=EXPORT_RESPONSES
    )
    @exports_blp.arguments(s.ExportArgs, location="query")
    @problems(exports_blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Response:
        actor = current_actor()
        return across.series_download(actor, across.get_series(actor, id), args["format"])


@exports_blp.route("/forums/<int:id>/attendance")
class ForumAttendanceExport(MethodView):
    @requires(Permission.MEETING_VIEW)
    @exports_blp.doc(
        summary="Ekspor kehadiran forum", description=EXPORT_DOC, responses=EXPORT_RESPONSES
    )
    @exports_blp.arguments(s.ExportArgs, location="query")
    @problems(exports_blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Response:
        actor = current_actor()
        return across.forum_download(actor, across.get_forum(actor, id), args["format"])


blueprints: list[ApiBlueprint] = [blp, attendance_blp, exports_blp, staff_api.blp]
