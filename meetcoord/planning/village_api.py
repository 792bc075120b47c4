"""Villages under guidance as JSON under ``/api/v1``: the list, one village with its IDM
history, IDM by hand and from a CSV file, guidance assignments (CRUD and ending), and the
evaluation dashboard with the agencies' ranking.

Handlers parse, call one service and return; the services hold every rule.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from flask.views import MethodView

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.lists import page_args_schema, page_of
from meetcoord.api.schemas import ApiBlueprint, page_schema, problems
from meetcoord.core.pagination import Page
from meetcoord.core.uploads import body_limit
from meetcoord.planning import guidance, village_dashboard, village_import, villages
from meetcoord.planning import village_schemas as s
from meetcoord.planning.models import GuidanceAssignment, IdmStatus, VillageIndex
from meetcoord.planning.village_views import csv_limit

blp = ApiBlueprint(
    "villages_api",
    __name__,
    url_prefix="/villages",
    description="Desa binaan: IDM per tahun, OPD pembina, dasbor evaluasi.",
)
guidance_blp = ApiBlueprint(
    "guidance_api",
    __name__,
    url_prefix="/guidance-assignments",
    description="Penugasan OPD pembina desa (Satu OPD Satu Desa Binaan), dari SK.",
)
_actor = resolve.account


@blp.route("")
class Villages(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Daftar desa", description="Dengan IDM terakhir dan OPD pembina kini.")
    @blp.arguments(s.VillageListArgs, location="query")
    @blp.response(200, page_schema(s.VillageSchema))
    @problems(blp, 401, 422)
    def get(self, args: dict[str, Any]) -> Page[Any]:
        query = villages.VillageQuery(
            q=args["q"],
            region=args["region"],
            status=IdmStatus(args["status"]) if args.get("status") else None,
            guided=args.get("guided"),
            organization_id=args.get("organization_id"),
            page=args["page"],
            per_page=args["per_page"],
        )
        return villages.list_villages(_actor(), query)


@blp.route("/dashboard")
class VillageDashboard(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Dasbor evaluasi desa binaan",
        description="Per desa yang sedang dibina, dan peringkat OPD: skor = 100 × rata-rata "
        "perubahan IDM + 10 × bagian tindak lanjut selesai + usulan terakomodasi per desa.",
    )
    @blp.arguments(s.VillageDashboardArgs, location="query")
    @blp.response(200, s.VillageDashboardSchema)
    @problems(blp, 401, 422)
    def get(self, args: dict[str, Any]) -> Any:
        return village_dashboard.dashboard(_actor(), args.get("institution_id"))


@blp.route("/<int:id>")
class VillageItem(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Satu desa", description="Dengan riwayat IDM, pembina, usulan, tindak lanjut.")
    @blp.response(200, s.VillageDetailSchema)
    @problems(blp, 401, 404)
    def get(self, id: int) -> Any:
        return villages.village_page(_actor(), villages.get_village(id))


# A village's IDM years, oldest first unless another sort is asked.
IDM_SORTS: dict[str, Any] = {
    "year": lambda row: row.year,
    "score": lambda row: row.score,
    "recorded_at": lambda row: row.recorded_at,
}
IdmListArgs = page_args_schema("VillageIdm", list(IDM_SORTS), "year")


@blp.route("/<int:id>/idm")
class VillageIdm(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Riwayat IDM desa", description="Per tahun, terlama dulu; per halaman.")
    @blp.arguments(IdmListArgs, location="query")
    @blp.response(200, page_schema(s.IdmSchema))
    @problems(blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[VillageIndex]:
        return page_of(villages.idm_history(villages.get_village(id)), args, IDM_SORTS)

    @requires(Permission.DIRECTORY_EDIT)
    @blp.doc(
        summary="Catat IDM satu tahun",
        description="Status kosong: dihitung dari skor. Tahun yang sudah ada: 409 kecuali "
        "`replace` true (dicatat di audit).",
    )
    @blp.arguments(s.IdmEntrySchema)
    @blp.response(201, s.IdmSchema)
    @problems(blp, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], id: int) -> Any:
        village = villages.get_village(id)
        replace = data.pop("replace", False)
        row = villages.record_idm(_actor(), village, data, replace=replace)
        return row, 201, {"Location": url_for("villages_api.VillageIdm", id=village.id)}


@blp.route("/idm/import")
class VillageIdmImport(MethodView):
    @requires(Permission.DIRECTORY_EDIT)
    @body_limit(csv_limit)
    @blp.doc(
        summary="Impor IDM dari CSV",
        description="multipart/form-data: `file` (kolom desa/kode, wilayah, tahun, skor, "
        "status, sumber) dan `replace`. Semua baris atau tidak sama sekali; kesalahan per "
        "baris sebagai 'row N.kolom'.",
    )
    @blp.arguments(s.IdmImportMultipartSchema, location="files")
    @blp.response(201, s.IdmImportResultSchema)
    @problems(blp, 401, 403, 413, 422)
    def post(self, files: dict[str, Any]) -> Any:
        limit = int(current_app.config["CSV_MAX_BYTES"])
        raw = files["file"].stream.read(limit + 1)
        replace = request.form.get("replace", "").lower() in {"1", "true", "on"}
        report = village_import.import_idm(
            _actor(),
            raw,
            replace=replace,
            max_bytes=limit,
            max_rows=int(current_app.config["CSV_MAX_ROWS"]),
        )
        return report, 201


@guidance_blp.route("")
class Assignments(MethodView):
    @requires(Permission.MEETING_VIEW)
    @guidance_blp.doc(summary="Daftar penugasan pembina", description="Milik penyelenggara Anda.")
    @guidance_blp.arguments(s.GuidanceListArgs, location="query")
    @guidance_blp.response(200, page_schema(s.GuidanceAssignmentSchema))
    @problems(guidance_blp, 401, 422)
    def get(self, args: dict[str, Any]) -> Page[GuidanceAssignment]:
        return guidance.list_assignments(_actor(), guidance.AssignmentQuery(**args))

    @requires(Permission.MEETING_ARRANGE)
    @guidance_blp.doc(
        summary="Tugaskan OPD ke desa",
        description="Satu OPD ke satu atau lebih desa untuk satu periode dari SK. Satu desa "
        "hanya satu pembina pada waktu yang sama dalam satu penyelenggara (422 bila bentrok).",
    )
    @guidance_blp.arguments(s.GuidanceNewSchema)
    @guidance_blp.response(201, s.GuidanceAssignmentSchema(many=True))
    @problems(guidance_blp, 401, 403, 422)
    def post(self, data: dict[str, Any]) -> Any:
        return guidance.assign(_actor(), data), 201


@guidance_blp.route("/<int:id>")
class AssignmentItem(MethodView):
    @requires(Permission.MEETING_VIEW)
    @guidance_blp.doc(summary="Satu penugasan", description="Milik penyelenggara lain: 404.")
    @guidance_blp.response(200, s.GuidanceAssignmentSchema)
    @problems(guidance_blp, 401, 404)
    def get(self, id: int) -> GuidanceAssignment:
        return guidance.get_assignment(_actor(), id)

    @requires(Permission.MEETING_ARRANGE)
    @guidance_blp.doc(summary="Koreksi penugasan", description="Aturan sama dengan membuat.")
    @guidance_blp.arguments(s.GuidancePatchSchema)
    @guidance_blp.response(200, s.GuidanceAssignmentSchema)
    @problems(guidance_blp, 401, 403, 404, 422)
    def patch(self, data: dict[str, Any], id: int) -> GuidanceAssignment:
        return guidance.update(_actor(), guidance.get_assignment(_actor(), id), data)

    @requires(Permission.MEETING_ARRANGE)
    @guidance_blp.doc(
        summary="Hapus penugasan",
        description="Untuk yang salah catat; penugasan yang selesai diakhiri (`/end`), "
        "tidak dihapus.",
    )
    @guidance_blp.response(204)
    @problems(guidance_blp, 401, 403, 404)
    def delete(self, id: int) -> None:
        guidance.delete(_actor(), guidance.get_assignment(_actor(), id))


@guidance_blp.route("/<int:id>/end")
class AssignmentEnd(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @guidance_blp.doc(summary="Akhiri penugasan", description="Tetap tersimpan dalam riwayat.")
    @guidance_blp.arguments(s.GuidanceEndSchema)
    @guidance_blp.response(200, s.GuidanceAssignmentSchema)
    @problems(guidance_blp, 401, 403, 404, 422)
    def post(self, data: dict[str, Any], id: int) -> GuidanceAssignment:
        return guidance.end(_actor(), guidance.get_assignment(_actor(), id), data["ends_on"])


blueprints = [blp, guidance_blp]
