"""Proposals as JSON under ``/api/v1/proposals``: the list, one proposal with its marks,
hand entry and change, the merge, and the bulk import (JSON rows, or a CSV/XLSX upload
with a column mapping), all or nothing with per-row problems (422) and the likely
duplicates to decide (409).

Reading needs ``MEETING_VIEW``, changing ``MEETING_ARRANGE`` on the owning institution;
another institution's proposal is not found.
"""

from __future__ import annotations

import json
from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, page_schema, problems
from meetcoord.core.errors import ValidationError
from meetcoord.core.pagination import Page
from meetcoord.core.uploads import body_limit
from meetcoord.planning import imports, proposals
from meetcoord.planning import schemas as s
from meetcoord.planning.models import Proposal
from meetcoord.planning.proposals import ProposalQuery
from meetcoord.planning.views import upload_limit

blp = ApiBlueprint(
    "proposals_api",
    __name__,
    url_prefix="/proposals",
    description="Usulan (Musrenbang, e-Musrenbang/SIPD): daftar, isian, penggabungan, impor.",
)

_actor = resolve.account


@blp.route("")
class Proposals(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Daftar usulan", description="Usulan lembaga pembaca, dengan saringan.")
    @blp.arguments(s.ProposalListArgs, location="query")
    @blp.response(200, page_schema(s.ProposalSchema))
    @problems(blp, 401, 422)
    def get(self, args: dict[str, Any]) -> Page[Proposal]:
        query = ProposalQuery(
            q=args["q"],
            sort=args["sort"],
            descending=args["order"] == "desc",
            page=args["page"],
            per_page=args["per_page"],
            **{k: args.get(k) for k in ("institution_id", "village_id", "plan_year")},
            **{k: args.get(k) for k in ("field", "fund_source", "status")},
        )
        return proposals.list_proposals(_actor(), query)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Tambah usulan", description="Aturan isian sama dengan impor.")
    @blp.arguments(s.ProposalNewSchema)
    @blp.response(201, s.ProposalDetailSchema)
    @problems(blp, 400, 401, 403, 422)
    def post(self, data: dict[str, Any]) -> Any:
        institution_id = data.pop("institution_id", None)
        made = proposals.save_proposal(_actor(), None, data, institution_id)
        location = url_for("proposals_api.ProposalItem", id=made.id)
        return made, 201, {"Location": location}


@blp.route("/<int:id>")
class ProposalItem(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Satu usulan", description="Dengan tanda dari setiap rapat.")
    @blp.response(200, s.ProposalDetailSchema)
    @problems(blp, 401, 404)
    def get(self, id: int) -> Proposal:
        return proposals.get_proposal(_actor(), id)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Ubah usulan", description="Hanya kolom yang dikirim yang berubah.")
    @blp.arguments(s.ProposalPatchSchema)
    @blp.response(200, s.ProposalDetailSchema)
    @problems(blp, 400, 401, 403, 404, 422)
    def patch(self, data: dict[str, Any], id: int) -> Proposal:
        found = proposals.get_proposal(_actor(), id)
        return proposals.save_proposal(_actor(), found, data)


@blp.route("/<int:id>/merge")
class ProposalMerge(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Gabungkan usulan",
        description="Usulan ini berstatus merged dan menunjuk `into_id` (lembaga yang sama).",
    )
    @blp.arguments(s.ProposalMergeSchema)
    @blp.response(200, s.ProposalDetailSchema)
    @problems(blp, 400, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], id: int) -> Proposal:
        found = proposals.get_proposal(_actor(), id)
        return proposals.merge(_actor(), found, data["into_id"])


def _decisions(given: dict[str, Any]) -> dict[int, str]:
    return {int(k): v for k, v in given.items() if str(k).isdigit() and len(str(k)) < 7}


@blp.route("/bulk")
class ProposalBulk(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Impor usulan (JSON)",
        description="Semua baris atau tidak sama sekali. 422: masalah per baris (`rows`: "
        "line, column, value, message; baris dihitung dari 1). 409: baris yang mirip usulan "
        "lain (`duplicates`), putuskan lewat `duplicates` atau `on_duplicate`.",
    )
    @blp.arguments(s.ProposalBulkImportSchema)
    @blp.response(201, s.ProposalImportResultSchema)
    @problems(blp, 400, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> Any:
        created, skipped = imports.import_rows(
            _actor(),
            data.get("institution_id"),
            data["rows"],
            _decisions(data["duplicates"]),
            data["region"],
            default=data.get("on_duplicate"),
        )
        return {"created": created, "skipped": skipped}, 201


def _json_field(value: str | None, name: str) -> dict[str, Any]:
    if not value:
        return {}
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        message = _l("Harus berupa objek JSON.")
        raise ValidationError(message, errors={name: [message]})
    return parsed


@blp.route("/import")
class ProposalImport(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @body_limit(upload_limit)
    @blp.doc(
        summary="Impor usulan dari CSV/XLSX",
        description="multipart/form-data: `file` dan `mapping` (isian → judul kolom). "
        "Berkas dibatasi ukuran, baris dan panjang sel sebelum dibaca. Semua atau tidak "
        "sama sekali; 422 dengan masalah per baris (nomor baris seperti di lembar kerja).",
    )
    @blp.arguments(s.ProposalImportMultipartSchema, location="files")
    @blp.response(201, s.ProposalImportResultSchema)
    @problems(blp, 400, 401, 403, 409, 413, 422, 503)
    def post(self, files: dict[str, Any]) -> Any:
        form = ApiBlueprint.ARGUMENTS_PARSER.parse(s.ProposalImportFormSchema(), location="form")
        mapping = _json_field(form.get("mapping"), "mapping")
        decisions = _decisions(_json_field(form.get("duplicates"), "duplicates"))
        created, skipped = imports.import_upload(
            _actor(),
            form.get("institution_id"),
            files["file"].read(),
            mapping,
            decisions,
            form["region"],
            default=form.get("on_duplicate"),
        )
        return {"created": created, "skipped": skipped}, 201


blueprints = [blp]
