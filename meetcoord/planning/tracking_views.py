"""Public tracking of proposals: ``/t/<slug>`` for anyone, the staff's switch, the JSON twins.

The public page follows ``meetcoord.public``: no login, no cookie (its layout has no
session form; the village and search form is a GET), the language in the address alone
(``?lang=en``) so a shared cache may keep it five minutes, rate limited per address, and
a slug never issued or turned off answers the very same 404 body.

The staff's switch (``/planning/tracking/<institution_id>``) is its own confirmation
step and ``/planning/tracking`` lists the institutions the account works for.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.views import MethodView
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, problems, query_params
from meetcoord.core.errors import NotFound, ServiceError
from meetcoord.core.validation import parse_int
from meetcoord.extensions import limiter
from meetcoord.planning import tracking
from meetcoord.public.views import CACHE, NOT_FOUND_HEADERS, PUBLIC_LIMIT, public_language

bp = Blueprint("planning_tracking", __name__)
public_limit = limiter.limit(PUBLIC_LIMIT)
BAD_VILLAGE = _l("Pilihan desa tidak valid.")


def village_arg() -> int | None:
    """``?village_id=``: absent, or a positive whole number (else 400, nothing shown)."""
    raw = request.args.get("village_id", "").strip()
    if not raw:
        return None
    village_id = parse_int(raw, minimum=1)
    if village_id is None:
        raise ServiceError(BAD_VILLAGE)  # 400
    return village_id


@bp.get("/t/<slug>")
@requires(Permission.PUBLIC)
@public_limit
def page(slug: str) -> Any:
    lang = public_language()
    with force_locale(lang):
        try:
            found = tracking.published(slug)
        except NotFound:
            return render_template("public/not_found.html", lang=lang), 404, NOT_FOUND_HEADERS
        status, message = 200, None
        region = request.args.get("region", "").strip()[:120] or None
        try:
            shown = tracking.page(found, village_arg(), request.args.get("q"))
        except ServiceError as refused:
            status, message = refused.status, str(refused.message)
            shown = tracking.page(found)
        if shown["village"] is not None:
            region = next(
                r["name"]
                for r in shown["regions"]
                if any(v["id"] == shown["village"]["id"] for v in r["villages"])
            )
        html = render_template(
            "planning/tracking.html",
            page=shown,
            slug=slug,
            lang=lang,
            region=region,
            message=message,
        )
    return html, status, (CACHE if status == 200 else NOT_FOUND_HEADERS)


# --- the staff's switch -------------------------------------------------------------------


def public_url(found: tracking.ProposalTracking | None) -> str | None:
    if found is None or not found.is_enabled:
        return None
    return url_for("planning_tracking.page", slug=found.slug, _external=True)


@bp.get("/planning/tracking")
@requires(Permission.MEETING_ARRANGE)
def overview() -> Any:
    actor = resolve.account()
    rows = [
        {"institution": inst, "url": public_url(tracking.tracking_of(inst.id))}
        for inst in tracking.managed_institutions(actor)
    ]
    return render_template("planning/tracking_list.html", rows=rows)


@bp.route("/planning/tracking/<int:institution_id>", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def manage(institution_id: int) -> Any:
    actor = resolve.account()
    institution = tracking.institution_for(actor, institution_id)
    state = request.form.get("state") if request.method == "POST" else None
    if state == "on":
        tracking.enable(actor, institution)
        flash(_("Pelacakan usulan publik dibuka."), "success")
        return redirect(request.path, 303)
    if state == "off":
        tracking.disable(actor, institution)
        flash(_("Pelacakan usulan publik ditutup."), "success")
        return redirect(request.path, 303)
    refused = request.method == "POST"  # neither on nor off: say so, change nothing
    return render_template(
        "planning/tracking_manage.html",
        institution=institution,
        url=public_url(tracking.tracking_of(institution.id)),
        message=_("Pilih membuka atau menutup halaman pelacakan.") if refused else None,
    ), (400 if refused else 200)


# --- JSON ---------------------------------------------------------------------------------

PUBLIC = [{}]  # OpenAPI: no security scheme

blp = ApiBlueprint(
    "tracking_api",
    __name__,
    url_prefix="/institutions",
    description="Pelacakan usulan publik per institusi: buka atau tutup (staf).",
)
public_blp = ApiBlueprint(
    "public_tracking_api",
    __name__,
    url_prefix="/public/tracking",
    description="Pelacakan usulan publik: status usulan per desa melalui rapat, tanpa data "
    "pribadi. Tanpa autentikasi.",
)
limiter.limit(PUBLIC_LIMIT)(public_blp)


class TrackingStateSchema(ApiSchema):
    institution_id = fields.Integer(required=True)
    enabled = fields.Boolean(required=True)
    url = fields.String(allow_none=True, metadata={"description": "Alamat publik bila aktif."})
    enabled_at = fields.DateTime(allow_none=True)
    disabled_at = fields.DateTime(allow_none=True)


class TrackingVillageSchema(ApiSchema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class TrackingRegionSchema(ApiSchema):
    name = fields.String(required=True)
    villages = fields.List(fields.Nested(TrackingVillageSchema), required=True)


class TrackingStepSchema(ApiSchema):
    stage = fields.String(
        required=True,
        metadata={
            "enum": [
                "submitted",
                "discussed",
                "accommodated",
                "carried",
                "merged",
                "not_accommodated",
                "action",
            ]
        },
    )
    label = fields.String(required=True)
    detail = fields.String(required=True)
    meeting = fields.String(allow_none=True)
    date_label = fields.String(allow_none=True)
    time_label = fields.String(allow_none=True)
    zone_label = fields.String(allow_none=True, metadata={"example": "WITA"})
    timezone = fields.String(allow_none=True)
    agency = fields.String(allow_none=True)
    programme = fields.String(allow_none=True)
    activity = fields.String(allow_none=True)
    plan_document = fields.String(allow_none=True, metadata={"example": "RKPD 2025"})
    plan_year = fields.Integer(allow_none=True)
    amount = fields.Integer(allow_none=True, metadata={"description": "Rupiah."})
    amount_label = fields.String(allow_none=True)
    forum = fields.String(allow_none=True)
    forum_label = fields.String(allow_none=True)
    merged_into = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    confirmation = fields.String(allow_none=True)
    confirmation_label = fields.String(allow_none=True)
    action_status = fields.String(allow_none=True)
    action_status_label = fields.String(allow_none=True)
    due_on = fields.Date(allow_none=True)


class TrackingProposalSchema(ApiSchema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    village = fields.String(allow_none=True)
    field = fields.String(required=True)
    field_label = fields.String(required=True)
    sector = fields.String(allow_none=True)
    plan_year = fields.Integer(required=True)
    budget = fields.Integer(allow_none=True, metadata={"description": "Rupiah."})
    budget_label = fields.String(allow_none=True)
    source_document = fields.String(allow_none=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    merged_into = fields.String(allow_none=True)
    path = fields.List(fields.Nested(TrackingStepSchema), required=True)


class TrackingPageSchema(ApiSchema):
    institution = fields.String(required=True)
    language = fields.String(required=True)
    regions = fields.List(fields.Nested(TrackingRegionSchema), required=True)
    village = fields.Nested(TrackingVillageSchema, allow_none=True)
    query = fields.String(allow_none=True)
    proposals = fields.List(fields.Nested(TrackingProposalSchema), required=True)


def _state(institution_id: int) -> dict[str, Any]:
    found = tracking.tracking_of(institution_id)
    return {
        "institution_id": institution_id,
        "enabled": bool(found and found.is_enabled),
        "url": public_url(found),
        "enabled_at": found.enabled_at if found else None,
        "disabled_at": found.disabled_at if found else None,
    }


@blp.route("/<int:id>/proposal-tracking")
class TrackingSwitch(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Pelacakan usulan publik", description="Aktif atau tidak.")
    @blp.response(200, TrackingStateSchema)
    @problems(blp, 401, 403, 404)
    def get(self, id: int) -> dict[str, Any]:
        institution = tracking.institution_for(resolve.account(), id)
        return _state(institution.id)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Buka pelacakan usulan publik", description="Tanpa isi permintaan.")
    @blp.response(200, TrackingStateSchema)
    @problems(blp, 401, 403, 404)
    def put(self, id: int) -> dict[str, Any]:
        actor = resolve.account()
        tracking.enable(actor, tracking.institution_for(actor, id))
        return _state(id)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Tutup pelacakan usulan publik", description="Alamatnya menjawab 404.")
    @blp.response(200, TrackingStateSchema)
    @problems(blp, 401, 403, 404)
    def delete(self, id: int) -> dict[str, Any]:
        actor = resolve.account()
        tracking.disable(actor, tracking.institution_for(actor, id))
        return _state(id)


@public_blp.route("/<slug>")
class PublicTracking(MethodView):
    @requires(Permission.PUBLIC)
    @public_blp.doc(
        summary="Pelacakan usulan publik",
        description="`?village_id=` untuk usulan satu desa, `?q=` untuk mencari judul atau "
        "desa, `?lang=en` untuk label dalam bahasa Inggris. Tanpa nama orang.",
        security=PUBLIC,
        parameters=query_params(
            village_id="Id desa: usulan satu desa saja.",
            q="Kata kunci pada judul usulan atau nama desa.",
            lang="Bahasa label: id (bawaan) atau en.",
        ),
    )
    @public_blp.response(200, TrackingPageSchema)
    @problems(public_blp, 400, 404, 429)
    def get(self, slug: str) -> Any:
        with force_locale(public_language()):
            found = tracking.published(slug)
            shown = tracking.page(found, village_arg(), request.args.get("q"))
        return shown, 200, CACHE


blueprints = [blp]
public_blueprints = [public_blp]
