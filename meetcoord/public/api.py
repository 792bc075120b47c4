"""Public pages as JSON: the staff's switch and the page itself.

- ``GET/PUT/DELETE /api/v1/{meetings|series|forums}/{id}/publication``: whether the
  subject's public page is on, turn it on (PUT), turn it off (DELETE) — the same services
  and the same audit entries as the staff page.
- ``GET /api/v1/public/{slug}``: the published page, no authentication, rate limited, the
  same dictionary the HTML page renders (``public.content``) and the same 404 for a slug
  never issued or a page turned off.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import force_locale
from marshmallow import fields

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.actions.queries import today
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, problems, query_params
from meetcoord.extensions import limiter
from meetcoord.public import content, services
from meetcoord.public.models import SubjectType
from meetcoord.public.views import CACHE, PUBLIC_LIMIT, public_language, public_url

PUBLIC = [{}]  # OpenAPI: no security scheme

blp = ApiBlueprint(
    "publication_api",
    __name__,
    description="Halaman publik rapat, seri dan forum: buka atau tutup (staf).",
)
public_blp = ApiBlueprint(
    "public_page_api",
    __name__,
    url_prefix="/public",
    description="Halaman publik yang diterbitkan: kesepakatan dan kemajuan tindak lanjut, "
    "tanpa data pribadi. Tanpa autentikasi.",
)
limiter.limit(PUBLIC_LIMIT)(public_blp)


class PublicationSchema(ApiSchema):
    subject_type = fields.String(required=True, metadata={"enum": [k.value for k in SubjectType]})
    subject_id = fields.Integer(required=True)
    enabled = fields.Boolean(required=True)
    url = fields.String(allow_none=True, metadata={"description": "Alamat publik bila aktif."})
    enabled_at = fields.DateTime(allow_none=True)
    disabled_at = fields.DateTime(allow_none=True)


class PublicSiteSchema(ApiSchema):
    name = fields.String(required=True)
    town = fields.String(allow_none=True)


class PublicAgendaSchema(ApiSchema):
    position = fields.Integer(required=True)
    title = fields.String(required=True)


class PublicDecisionSchema(ApiSchema):
    number = fields.Integer(required=True)
    text = fields.String(required=True)
    kind = fields.String(required=True)
    kind_label = fields.String(required=True)


class PublicReportSectionSchema(ApiSchema):
    key = fields.String(required=True)
    heading = fields.String(required=True)
    text = fields.String(required=True)


class PublicReportSessionSchema(ApiSchema):
    position = fields.Integer(required=True)
    title = fields.String(required=True)
    presenter = fields.String(required=True)
    text = fields.String(required=True)


class PublicReportSpeakerSchema(ApiSchema):
    title = fields.String(required=True)
    presenter = fields.String(required=True)


class PublicReportFigureRowSchema(ApiSchema):
    label = fields.String(required=True)
    count = fields.Integer(required=True)


class PublicReportFigureSchema(ApiSchema):
    heading = fields.String(required=True)
    rows = fields.List(fields.Nested(PublicReportFigureRowSchema), required=True)


class PublicReportSchema(ApiSchema):
    """A final event report (issue 15): its text, speakers and aggregate figures only."""

    sections = fields.List(fields.Nested(PublicReportSectionSchema), required=True)
    sessions = fields.List(fields.Nested(PublicReportSessionSchema), required=True)
    organizers = fields.List(fields.String(), required=True)
    date = fields.String(required=True)
    times = fields.List(fields.String(), required=True)
    speakers = fields.List(fields.Nested(PublicReportSpeakerSchema), required=True)
    present = fields.Integer(required=True)
    figures = fields.List(fields.Nested(PublicReportFigureSchema), required=True)
    decisions = fields.List(fields.String(), required=True)


class PublicMeetingSchema(ApiSchema):
    title = fields.String(required=True)
    kind = fields.String(required=True)
    kind_label = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    institution = fields.String(required=True)
    cohost = fields.String(allow_none=True)
    start_at = fields.DateTime(required=True)
    end_at = fields.DateTime(required=True)
    timezone = fields.String(required=True, metadata={"example": "Asia/Makassar"})
    zone_label = fields.String(required=True, metadata={"example": "WITA"})
    date_label = fields.String(required=True)
    time_label = fields.String(required=True)
    sites = fields.List(fields.Nested(PublicSiteSchema), required=True)
    agenda = fields.List(fields.Nested(PublicAgendaSchema), required=True)
    decisions = fields.List(fields.Nested(PublicDecisionSchema), required=True)
    report = fields.Nested(PublicReportSchema, allow_none=True)


class PublicActionSchema(ApiSchema):
    title = fields.String(required=True)
    meeting = fields.String(required=True)
    agency = fields.String(required=True, metadata={"description": "Instansi (organisasi)."})
    locus = fields.String(allow_none=True)
    due_on = fields.Date(allow_none=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    progress_percent = fields.Integer(allow_none=True)
    overdue = fields.Boolean(required=True)


class PublicStatusCountSchema(ApiSchema):
    status = fields.String(required=True)
    label = fields.String(required=True)
    count = fields.Integer(required=True)


class PublicProgressSchema(ApiSchema):
    total = fields.Integer(required=True)
    by_status = fields.List(fields.Nested(PublicStatusCountSchema), required=True)
    overdue = fields.Integer(required=True)
    done_percent = fields.Integer(
        allow_none=True,
        metadata={"description": "Selesai atau terverifikasi, dari yang tidak dihentikan."},
    )


class PublicPageSchema(ApiSchema):
    kind = fields.String(required=True, metadata={"enum": [k.value for k in SubjectType]})
    title = fields.String(required=True)
    institution = fields.String(required=True)
    language = fields.String(required=True)
    meetings = fields.List(fields.Nested(PublicMeetingSchema), required=True)
    actions = fields.List(fields.Nested(PublicActionSchema), required=True)
    progress = fields.Nested(PublicProgressSchema, required=True)


def _state(kind: SubjectType, subject_id: int) -> dict[str, Any]:
    found = services.publication_of(kind, subject_id)
    return {
        "subject_type": kind.value,
        "subject_id": subject_id,
        "enabled": bool(found and found.is_enabled),
        "url": public_url(found),
        "enabled_at": found.enabled_at if found else None,
        "disabled_at": found.disabled_at if found else None,
    }


PATHS = {
    SubjectType.MEETING: "/meetings/<int:id>/publication",
    SubjectType.SERIES: "/series/<int:id>/publication",
    SubjectType.FORUM: "/forums/<int:id>/publication",
}
READ = {
    SubjectType.MEETING: Permission.MEETING_VIEW,
    SubjectType.SERIES: Permission.MEETING_VIEW,
    SubjectType.FORUM: Permission.DIRECTORY_VIEW,
}


def _switch_view(kind: SubjectType) -> type[MethodView]:
    """One resource per subject type, each declaring its own permissions."""
    manage = services.MANAGE[kind]

    class Switch(MethodView):
        @requires(READ[kind])
        @blp.doc(summary=f"Halaman publik ({kind.value})", description="Aktif atau tidak.")
        @blp.response(200, PublicationSchema)
        @problems(blp, 401, 404)
        def get(self, id: int) -> dict[str, Any]:
            subject = services.subject_for(resolve.account(), kind, id)
            return _state(kind, subject.id)

        @requires(manage)
        @blp.doc(
            summary=f"Buka halaman publik ({kind.value})",
            description="Tanpa isi permintaan. Alamatnya acak; dibuka lagi: alamat yang sama.",
        )
        @blp.response(200, PublicationSchema)
        @problems(blp, 401, 403, 404)
        def put(self, id: int) -> dict[str, Any]:
            actor = resolve.account()
            services.enable(actor, kind, services.subject_for(actor, kind, id))
            return _state(kind, id)

        @requires(manage)
        @blp.doc(
            summary=f"Tutup halaman publik ({kind.value})",
            description="Alamatnya menjawab 404 sejak itu.",
        )
        @blp.response(200, PublicationSchema)
        @problems(blp, 401, 403, 404)
        def delete(self, id: int) -> dict[str, Any]:
            actor = resolve.account()
            services.disable(actor, kind, services.subject_for(actor, kind, id))
            return _state(kind, id)

    Switch.__name__ = Switch.__qualname__ = f"{kind.value.title()}Publication"
    return Switch


for _kind, _path in PATHS.items():
    blp.route(_path)(_switch_view(_kind))


@public_blp.route("/<slug>")
class PublicPage(MethodView):
    @requires(Permission.PUBLIC)
    @public_blp.doc(
        summary="Halaman publik",
        description="`?lang=en` untuk label dalam bahasa Inggris. Tidak ada nama, jabatan, "
        "surel atau telepon orang.",
        security=PUBLIC,
        parameters=query_params(lang="Bahasa label: id (bawaan) atau en."),
    )
    @public_blp.response(200, PublicPageSchema)
    @problems(public_blp, 404, 429)
    def get(self, slug: str) -> Any:
        with force_locale(public_language()):
            publication, subject = services.published(slug)
            shown = content.page(publication.subject_type.value, subject, today())
        return shown, 200, CACHE


blueprints = [blp]
public_blueprints = [public_blp]
