"""Registration as JSON: the secretariat's settings and decisions, and the public form.

Staff (``/api/v1/meetings/{id}/…``, the same services and audit entries as the pages):

- ``GET/PUT …/registration``: the settings; ``enabled`` in a PUT turns it on or off;
- ``GET …/registrants?status=&page=&per_page=``: the list, with each undecided
  registrant's directory match, and the counts by status;
- ``POST …/registrants/{accept|reject|cancel|move-up}`` with ``{"ids": [...]}``.

Public (``/api/v1/registration/{slug}``, no authentication): ``GET`` the meeting in a
zone (``?zone=``), the fields asked and a fresh form token; ``POST`` the form as JSON with
the same guard as the page (token age, honeypot, limits per address, shared with the
page's) and the same answer whatever was registered before: 202.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import (
    ApiBlueprint,
    ApiSchema,
    Bool,
    Int,
    QueryInt,
    Text,
    choice_of,
    page_schema,
    problems,
    query_params,
)
from meetcoord.core.errors import ServiceError, ValidationError
from meetcoord.core.forms import current_actor
from meetcoord.extensions import limiter
from meetcoord.meetings.services import get_meeting
from meetcoord.registration import decisions, services, views
from meetcoord.registration.models import (
    FIELDS,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)
from meetcoord.registration.staff_views import public_url

PUBLIC = [{}]
LANG_PARAM = "Bahasa label: id (bawaan) atau en."
WRITE = (400, 401, 403, 404, 409, 422)
STATUSES = [s.value for s in RegistrationStatus]

blp = ApiBlueprint(
    "registration_api",
    __name__,
    url_prefix="/meetings",
    description="Pendaftaran publik rapat: pengaturan dan keputusan sekretariat.",
)
public_blp = ApiBlueprint(
    "registration_public_api",
    __name__,
    url_prefix="/registration",
    description="Formulir pendaftaran publik. Tanpa autentikasi; dibatasi per alamat.",
)
limiter.limit(views.PAGE_LIMIT, methods=["GET"])(public_blp)
views.register_limit(public_blp)


class RegistrationSettingsOut(ApiSchema):
    meeting_id = fields.Integer(required=True)
    enabled = fields.Boolean(required=True)
    url = fields.String(allow_none=True)
    opens_at = fields.DateTime(allow_none=True)
    closes_at = fields.DateTime(allow_none=True)
    capacity = fields.Integer(allow_none=True)
    auto_accept = fields.Boolean(required=True)
    site_id = fields.Integer(allow_none=True)
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "Isian → optional | required (name dan email selalu wajib)."},
    )
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class RegistrationSettingsIn(ApiSchema):
    enabled = Bool(metadata={"description": "Buka (true) atau tutup (false) pendaftaran."})
    opens_at = Text(
        allow_none=True, metadata={"description": "ISO 8601; tanpa offset: zona tuan rumah."}
    )
    closes_at = Text(allow_none=True)
    capacity = Int(allow_none=True)
    auto_accept = Bool()
    site_id = Int(allow_none=True, metadata={"description": "Lokasi pendaftar; null: daring."})
    fields_ = fields.Dict(
        data_key="fields",
        attribute="fields",
        keys=fields.String(),
        values=choice_of(["off", "optional", "required"]),
    )


class RegistrantMatchOut(ApiSchema):
    person_id = fields.Integer(required=True)
    name = fields.String(required=True)
    how = fields.String(required=True, metadata={"enum": ["email", "name"]})


class RegistrantOut(ApiSchema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    position = fields.String(allow_none=True)
    organization = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    gender = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    has_disability = fields.Boolean(required=True)
    access_needs = fields.String(allow_none=True)
    zone = fields.String(allow_none=True)
    status = fields.String(required=True, metadata={"enum": STATUSES})
    person_id = fields.Integer(allow_none=True)
    matched_by = fields.String(allow_none=True)
    match = fields.Nested(RegistrantMatchOut, allow_none=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class RegistrantArgs(ApiSchema):
    status = choice_of(
        ["", *STATUSES],
        load_default="",
        validate=validate.OneOf(["", *STATUSES], error=_l("Status tidak dikenal.")),
    )
    page = QueryInt(load_default=1, validate=validate.Range(min=1, error=_l("Paling kecil 1.")))
    per_page = QueryInt(
        load_default=50, validate=validate.Range(min=1, max=200, error=_l("Antara 1 dan 200."))
    )


class RegistrantIdsIn(ApiSchema):
    ids = fields.List(Int(), required=True)


class RegistrantDecisionOut(ApiSchema):
    done = fields.Integer(required=True)
    reused = fields.Integer(required=True, metadata={"description": "Orang yang sudah ada."})
    skipped = fields.Integer(required=True)


class RegistrationFormIn(ApiSchema):
    form_token = Text(required=True, metadata={"description": "Dari GET; umur 3 detik–2 jam."})
    website = Text(metadata={"description": "Umpan robot: harus kosong."})
    name = Text()
    email = Text()
    position = Text(allow_none=True)
    organization = Text(allow_none=True)
    region = Text(allow_none=True)
    phone = Text(allow_none=True)
    gender = Text(allow_none=True)
    category = Text(allow_none=True)
    has_disability = Bool()
    access_needs = Text(allow_none=True)
    zone = Text(allow_none=True, metadata={"example": "Asia/Makassar"})


class RegistrationPageOut(ApiSchema):
    title = fields.String(required=True)
    institution = fields.String(required=True)
    date_label = fields.String(required=True)
    time_label = fields.String(required=True)
    zone = fields.String(required=True)
    zone_label = fields.String(required=True)
    state = fields.String(required=True, metadata={"enum": ["open", "not_yet", "closed"]})
    fields_ = fields.Dict(data_key="fields", keys=fields.String(), values=fields.String())
    form_token = fields.String(required=True)


class RegistrationReceivedOut(ApiSchema):
    status = fields.String(required=True, metadata={"example": "received"})
    message = fields.String(required=True)


def _state(meeting_id: int) -> dict[str, Any]:
    found = services.settings_of(meeting_id)
    shown = found or RegistrationSettings(auto_accept=False, fields={})
    return {
        "meeting_id": meeting_id,
        "enabled": bool(found and found.is_enabled),
        "url": public_url(found),
        "opens_at": shown.opens_at,
        "closes_at": shown.closes_at,
        "capacity": shown.capacity,
        "auto_accept": bool(shown.auto_accept),
        "site_id": shown.site_id,
        "fields_": {n: shown.rule(n).value for n in FIELDS} if found else {},
        "counts": services.counts(meeting_id),
    }


@blp.route("/<int:id>/registration")
class RegistrationSettingsView(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Pengaturan pendaftaran publik")
    @blp.response(200, RegistrationSettingsOut)
    @problems(blp, 401, 404)
    def get(self, id: int) -> dict[str, Any]:
        return _state(get_meeting(id, current_actor()).id)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Ubah pengaturan pendaftaran", description="Hanya kolom yang dikirim.")
    @blp.arguments(RegistrationSettingsIn)
    @blp.response(200, RegistrationSettingsOut)
    @problems(blp, *WRITE)
    def put(self, data: dict[str, Any], id: int) -> dict[str, Any]:
        actor = resolve.account()
        meeting = get_meeting(id, actor)
        enabled = data.pop("enabled", None)
        if data:
            services.update_settings(actor, meeting, data)
        if enabled is True:
            services.enable(actor, meeting)
        elif enabled is False:
            services.disable(actor, meeting)
        return _state(meeting.id)


REGISTRANT_COLUMNS = (
    "id",
    "name",
    "email",
    "position",
    "organization",
    "region",
    "phone",
    "has_disability",
    "access_needs",
    "zone",
    "person_id",
    "matched_by",
    "created_at",
    "updated_at",
)


def _registrant(r: Registration, match: decisions.Match | None) -> dict[str, Any]:
    row = {name: getattr(r, name) for name in REGISTRANT_COLUMNS}
    row["status"] = r.status.value
    row["gender"] = r.gender.value if r.gender else None
    row["category"] = r.category.value if r.category else None
    row["match"] = (
        {"person_id": match.person.id, "name": match.person.name, "how": match.how}
        if match
        else None
    )
    return row


@blp.route("/<int:id>/registrants")
class Registrants(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Pendaftar", description="Urut pendaftaran (urutan daftar tunggu).")
    @blp.arguments(RegistrantArgs, location="query")
    @blp.response(200, page_schema(RegistrantOut))
    @problems(blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> dict[str, Any]:
        meeting = get_meeting(id, current_actor())
        status = RegistrationStatus(args["status"]) if args["status"] else None
        page = services.registrations_of(meeting.id, status, args["page"], args["per_page"])
        found = decisions.matches(page.items)
        return {
            "items": [_registrant(r, found.get(r.id)) for r in page.items],
            "page": page.page,
            "per_page": page.per_page,
            "total": page.total,
            "pages": page.pages,
        }


def _decision_view(action: str) -> type[MethodView]:
    class Decide(MethodView):
        @requires(Permission.MEETING_ARRANGE)
        @blp.doc(summary=f"Pendaftar: {action}", description="Untuk semua id yang dikirim.")
        @blp.arguments(RegistrantIdsIn)
        @blp.response(200, RegistrantDecisionOut)
        @problems(blp, *WRITE)
        def post(self, data: dict[str, Any], id: int) -> dict[str, Any]:
            actor = resolve.account()
            meeting = get_meeting(id, actor)
            chosen = decisions.by_ids(meeting, data["ids"])
            if not chosen:
                raise ValidationError(
                    _l("Pilih pendaftar dan tindakannya."),
                    errors={"ids": [_l("Tidak ada pendaftar dengan id ini.")]},
                )
            if action == "accept":
                result = decisions.accept(actor, meeting, chosen)
                return {
                    "done": len(result.accepted),
                    "reused": len(result.reused),
                    "skipped": result.skipped,
                }
            if action == "move-up":
                for registration in chosen:
                    decisions.move_up(actor, meeting, registration)
                done = len(chosen)
            elif action == "reject":
                done = decisions.reject(actor, meeting, chosen)
            else:
                done = decisions.cancel(actor, meeting, chosen)
            return {"done": done, "reused": 0, "skipped": len(chosen) - done}

    Decide.__name__ = Decide.__qualname__ = f"Registrants{action.title().replace('-', '')}"
    return Decide


for _action in ("accept", "reject", "cancel", "move-up"):
    blp.route(f"/<int:id>/registrants/{_action}")(_decision_view(_action))


@public_blp.route("/<slug>")
class PublicRegistration(MethodView):
    @requires(Permission.PUBLIC)
    @public_blp.doc(
        summary="Halaman pendaftaran",
        description="`?zone=Asia/Makassar` untuk waktu di zona itu, `?lang=en` untuk label "
        "bahasa Inggris. Memberi form_token baru.",
        security=PUBLIC,
        parameters=query_params(
            zone="Zona IANA untuk menampilkan waktu (bawaan: zona tuan rumah).",
            lang=LANG_PARAM,
        ),
    )
    @public_blp.response(200, RegistrationPageOut)
    @problems(public_blp, 404, 429)
    def get(self, slug: str) -> Any:
        lang = views.language()
        with force_locale(lang):
            settings = services.open_settings(slug)
            facts = views.meeting_in_zone(settings, views.chosen_zone(settings), lang)
            return (
                {
                    **facts,
                    "state": services.window(settings),
                    "fields_": {n: settings.rule(n).value for n in settings.asked()},
                    "form_token": views.new_token(settings),
                },
                200,
                views.NO_STORE,
            )

    @requires(Permission.PUBLIC)
    @public_blp.doc(
        summary="Mendaftar",
        description="Jawaban yang sama untuk surel baru atau yang sudah terdaftar "
        "(pendaftaran diperbarui). Ditolak: token terlalu cepat (< 3 detik), kedaluwarsa "
        "(> 2 jam) atau palsu, atau kolom umpan `website` terisi (400).",
        security=PUBLIC,
        parameters=query_params(lang=LANG_PARAM),
    )
    @public_blp.arguments(RegistrationFormIn)
    @public_blp.response(202, RegistrationReceivedOut)
    @problems(public_blp, 400, 404, 409, 422, 429)
    def post(self, data: dict[str, Any], slug: str) -> Any:
        lang = views.language()
        with force_locale(lang):
            settings = services.open_settings(slug)
            why = views.refusal(settings.slug, data)
            if why is not None:
                raise ServiceError(views.GUARD_MESSAGES[why], extra={"reason": why})
            services.register(settings, data)
            return {"status": "received", "message": str(views.RECEIVED)}, 202


blueprints = [blp]
public_blueprints = [public_blp]
