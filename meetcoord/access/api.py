"""Institutions and their memberships as JSON under ``/api/v1/institutions``.

The twin of the admin pages: the same ``access.services`` calls, so a refusal reads the
same over both. Installation administrators only (the service checks).
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from marshmallow import fields

from meetcoord.access import resolve, services
from meetcoord.access.declare import requires
from meetcoord.access.models import Institution, MemberRole, Membership
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import (
    ApiBlueprint,
    ApiSchema,
    Int,
    ListArgsSchema,
    Text,
    choice_of,
    page_schema,
    problems,
)
from meetcoord.core.pagination import ListQuery, Page

blp = ApiBlueprint(
    "institutions",
    __name__,
    url_prefix="/institutions",
    description="Penyelenggara (lembaga pemilik rapat) dan anggotanya; khusus administrator.",
)
LOCATION = {"Location": {"description": "URL data baru.", "schema": {"type": "string"}}}


def _optional(**metadata: Any) -> Text:
    return Text(allow_none=True, metadata=metadata)


class InstitutionSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    name = Text(required=True, metadata={"example": "Kementerian PPN/Bappenas"})
    short_name = _optional(example="Bappenas")
    address = _optional()
    city = _optional(description="Kota tempat surat dibuat.", example="Jakarta")
    logo_path = _optional(description="Berkas PNG/JPEG di server untuk kop surat.")
    mail_sender_name = _optional(description="Nama pengirim surel (bawaan: nama lembaga).")
    letter_number_pattern = Text(
        required=True,
        metadata={
            "description": "Memuat {seq} dan {year}; boleh {month} dan {month_roman}.",
            "example": "B-{seq:04d}/D.6/PP.01.02/{month}/{year}",
        },
    )
    letter_signer_name = _optional()
    letter_signer_position = _optional()
    organization_id = Int(allow_none=True, metadata={"description": "Organisasi di direktori."})
    member_count = fields.Function(
        lambda inst: len(inst.memberships), dump_only=True, metadata={"type": "integer"}
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class InstitutionPatchSchema(InstitutionSchema):
    """Only the fields sent are changed."""


class MembershipSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    user_id = Int(required=True)
    role = choice_of([role.value for role in MemberRole], required=True)
    user_name = fields.Function(lambda m: m.user.name, dump_only=True, metadata={"type": "string"})
    email = fields.Function(lambda m: m.user.email, dump_only=True, metadata={"type": "string"})


class MembershipPatchSchema(ApiSchema):
    role = choice_of([role.value for role in MemberRole], required=True)


_actor = resolve.account  # the staff account acting (access.resolve)


@blp.route("")
class Institutions(MethodView):
    @requires(Permission.ADMIN)
    @blp.doc(summary="Daftar penyelenggara")
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, page_schema(InstitutionSchema))
    @problems(blp, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> Page[Institution]:
        query = ListQuery(q=args["q"], page=args["page"], per_page=args["per_page"])
        return services.list_institutions(_actor(), query)

    @requires(Permission.ADMIN)
    @blp.doc(summary="Tambah penyelenggara")
    @blp.arguments(InstitutionSchema)
    @blp.response(201, InstitutionSchema, headers=LOCATION)
    @problems(blp, 400, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> tuple[Institution, dict[str, str]]:
        institution = services.save_institution(_actor(), data)
        return institution, {"Location": url_for("institutions.InstitutionItem", id=institution.id)}


@blp.route("/<int:id>")
class InstitutionItem(MethodView):
    @requires(Permission.ADMIN)
    @blp.doc(summary="Satu penyelenggara")
    @blp.response(200, InstitutionSchema)
    @problems(blp, 401, 403, 404)
    def get(self, id: int) -> Institution:
        services.require_admin(_actor())
        return services.get_institution(id)

    @requires(Permission.ADMIN)
    @blp.doc(summary="Ubah penyelenggara", description="Hanya kolom yang dikirim yang diubah.")
    @blp.arguments(InstitutionPatchSchema(partial=True))
    @blp.response(200, InstitutionSchema)
    @problems(blp, 400, 401, 403, 404, 409, 422)
    def patch(self, data: dict[str, Any], id: int) -> Institution:
        services.require_admin(_actor())
        return services.save_institution(_actor(), data, services.get_institution(id))

    @requires(Permission.ADMIN)
    @blp.doc(summary="Hapus penyelenggara", description="Ditolak (409) bila masih memiliki data.")
    @blp.response(204)
    @problems(blp, 401, 403, 404, 409)
    def delete(self, id: int) -> None:
        services.require_admin(_actor())
        services.delete_institution(_actor(), services.get_institution(id))


@blp.route("/<int:id>/members")
class Members(MethodView):
    @requires(Permission.ADMIN)
    @blp.doc(summary="Anggota penyelenggara")
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, page_schema(MembershipSchema))
    @problems(blp, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[Membership]:
        services.require_admin(_actor())
        return services.list_members(services.get_institution(id), args["page"], args["per_page"])

    @requires(Permission.ADMIN)
    @blp.doc(summary="Tambah anggota", description="Satu akun satu peran per penyelenggara.")
    @blp.arguments(MembershipSchema)
    @blp.response(201, MembershipSchema, headers=LOCATION)
    @problems(blp, 400, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], id: int) -> tuple[Membership, dict[str, str]]:
        services.require_admin(_actor())
        membership = services.add_member(_actor(), services.get_institution(id), data)
        url = url_for("institutions.MemberItem", id=id, membership_id=membership.id)
        return membership, {"Location": url}


@blp.route("/<int:id>/members/<int:membership_id>")
class MemberItem(MethodView):
    @requires(Permission.ADMIN)
    @blp.doc(summary="Ubah peran anggota")
    @blp.arguments(MembershipPatchSchema)
    @blp.response(200, MembershipSchema)
    @problems(blp, 400, 401, 403, 404, 422)
    def patch(self, data: dict[str, Any], id: int, membership_id: int) -> Membership:
        services.require_admin(_actor())
        membership = services.get_membership(services.get_institution(id), membership_id)
        return services.change_member_role(_actor(), membership, data)

    @requires(Permission.ADMIN)
    @blp.doc(summary="Keluarkan anggota")
    @blp.response(204)
    @problems(blp, 401, 403, 404)
    def delete(self, id: int, membership_id: int) -> None:
        services.require_admin(_actor())
        membership = services.get_membership(services.get_institution(id), membership_id)
        services.remove_member(_actor(), membership)


blueprints: list[ApiBlueprint] = [blp]
