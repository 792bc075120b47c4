"""Staff accounts over ``/api/v1/accounts``: the twin of the administrator's account pages.

The same ``accounts.services`` and ``accounts.admin`` calls as ``views_admin``, so a
refusal reads the same over both doors: only administrators of the installation administer
accounts (the permission table's ``installation.admin``), and the last active
administrator can be neither demoted nor switched off. Passwords are write-only; there is
no invitation mail yet, so a new account starts with the password the administrator sets.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.institutions import memberships_of
from meetcoord.access.permissions import Permission
from meetcoord.accounts import admin, services
from meetcoord.accounts.forms import ROLE_LABELS
from meetcoord.accounts.models import Role, User
from meetcoord.api.schemas import (
    ApiBlueprint,
    ApiSchema,
    Bool,
    Int,
    QueryInt,
    Text,
    choice_of,
    list_args_schema,
    page_schema,
    problems,
)
from meetcoord.core.pagination import ListQuery, Page

blp = ApiBlueprint(
    "accounts_api",
    __name__,
    url_prefix="/accounts",
    description="Akun staf: buat, daftar, ubah peran, nonaktifkan; khusus administrator.",
)
LOCATION = {"Location": {"description": "URL data baru.", "schema": {"type": "string"}}}
ROLES = [role.value for role in Role]

_actor = resolve.account  # the staff account acting (access.resolve)


class AccountMembershipSchema(ApiSchema):
    institution_id = fields.Integer(dump_only=True)
    institution_name = fields.String(dump_only=True, attribute="institution.name")
    role = fields.String(dump_only=True, metadata={"enum": ROLES})


class AccountSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    email = Text(required=True, metadata={"example": "sekretariat@bappeda-sbd.go.id"})
    name = Text(required=True, metadata={"example": "Maria Bulu"})
    role = choice_of(ROLES, required=True)
    role_label = fields.Function(
        lambda user: str(ROLE_LABELS[user.role.value]),
        dump_only=True,
        metadata={"type": "string", "description": "Peran dalam bahasa pembaca."},
    )
    active = fields.Boolean(
        dump_only=True,
        attribute="is_active_account",
        metadata={"description": "false: akun tidak boleh masuk dan tokennya tidak berlaku."},
    )
    last_login_at = fields.DateTime(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)
    memberships = fields.Method(
        "_memberships",
        dump_only=True,
        metadata={"type": "array", "items": {"type": "object"}},
    )

    def _memberships(self, user: User) -> list[dict[str, Any]]:
        return AccountMembershipSchema(many=True).dump(memberships_of(user))


class AccountCreateSchema(AccountSchema):
    password = Text(
        required=True,
        load_only=True,
        metadata={"description": "Kata sandi awal (aturan yang sama dengan halaman admin)."},
    )
    institution_id = Int(
        load_default=None,
        allow_none=True,
        load_only=True,
        metadata={
            "description": "Penyelenggara tempat akun menjadi anggota dengan perannya; "
            "bawaan: satu-satunya penyelenggara, bila hanya ada satu."
        },
    )


class AccountPatchSchema(ApiSchema):
    """Only the fields sent are changed."""

    name = Text()
    role = choice_of(ROLES)
    active = Bool(
        data_key="active",
        attribute="is_active_account",
        metadata={"description": "false menonaktifkan akun dan mengakhiri sesinya."},
    )


class AccountPasswordSchema(ApiSchema):
    password = Text(required=True, load_only=True)


class AccountSessionsEndedSchema(ApiSchema):
    ended = fields.Integer(required=True, metadata={"description": "Sesi masuk yang diakhiri."})


AccountListArgs = list_args_schema(
    "Account",
    list(admin.USER_SORTS),
    {
        "role": Text(
            validate=validate.OneOf(ROLES, error=_l("Pilih salah satu: {choices}.")),
            metadata={"enum": ROLES},
        ),
        "institution_id": QueryInt(metadata={"description": "Anggota penyelenggara ini."}),
        "active": fields.Boolean(metadata={"description": "Hanya akun aktif / nonaktif."}),
    },
)


@blp.route("")
class Accounts(MethodView):
    @requires(Permission.ADMIN)
    @blp.doc(summary="Daftar akun", description="Cari nama atau email; saring peran, status.")
    @blp.arguments(AccountListArgs, location="query")
    @blp.response(200, page_schema(AccountSchema))
    @problems(blp, 400, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> Page[User]:
        query = ListQuery(
            q=args["q"],
            sort=args["sort"],
            descending=args["order"] == "desc",
            page=args["page"],
            per_page=args["per_page"],
            filters={
                "role": args.get("role"),
                "institution_id": args.get("institution_id"),
                "active": args.get("active"),
            },
        )
        return admin.list_users(_actor(), query)

    @requires(Permission.ADMIN)
    @blp.doc(
        summary="Buat akun",
        description="409 bila email sudah dipakai (`existing_id` menunjuk akun itu).",
    )
    @blp.arguments(AccountCreateSchema)
    @blp.response(201, AccountSchema, headers=LOCATION)
    @problems(blp, 400, 401, 403, 409, 422)
    def post(self, data: dict[str, Any]) -> tuple[User, dict[str, str]]:
        user = services.create_user(_actor(), **data)
        return user, {"Location": url_for("accounts_api.AccountItem", id=user.id)}


@blp.route("/<int:id>")
class AccountItem(MethodView):
    @requires(Permission.ADMIN)
    @blp.doc(summary="Satu akun")
    @blp.response(200, AccountSchema)
    @problems(blp, 401, 403, 404)
    def get(self, id: int) -> User:
        return admin.get_user(_actor(), id)

    @requires(Permission.ADMIN)
    @blp.doc(
        summary="Ubah akun",
        description="Nama, peran, aktif. Peran atau status baru mengakhiri sesi akun itu; "
        "administrator aktif terakhir tidak dapat diturunkan (409).",
    )
    @blp.arguments(AccountPatchSchema)
    @blp.response(200, AccountSchema)
    @problems(blp, 400, 401, 403, 404, 409, 422)
    def patch(self, data: dict[str, Any], id: int) -> User:
        actor = _actor()
        return admin.update_user(actor, admin.get_user(actor, id), data)


@blp.route("/<int:id>/deactivate")
class AccountDeactivate(MethodView):
    @requires(Permission.ADMIN)
    @blp.doc(
        summary="Nonaktifkan akun",
        description="Sama dengan PATCH `active: false`; mengulang tidak mengubah apa pun.",
    )
    @blp.response(200, AccountSchema)
    @problems(blp, 401, 403, 404, 409)
    def post(self, id: int) -> User:
        actor = _actor()
        return admin.update_user(actor, admin.get_user(actor, id), {"is_active_account": False})


@blp.route("/<int:id>/password")
class AccountPassword(MethodView):
    @requires(Permission.ADMIN)
    @blp.doc(
        summary="Atur ulang kata sandi",
        description="Semua sesi akun itu diakhiri dan semua token API-nya dicabut.",
    )
    @blp.arguments(AccountPasswordSchema)
    @blp.response(204)
    @problems(blp, 400, 401, 403, 404, 422)
    def post(self, data: dict[str, Any], id: int) -> None:
        actor = _actor()
        admin.reset_password(actor, admin.get_user(actor, id), data["password"])


@blp.route("/<int:id>/sessions/end")
class AccountSessionsEnd(MethodView):
    @requires(Permission.ADMIN)
    @blp.doc(summary="Akhiri semua sesi masuk akun", description="Token API tidak dicabut.")
    @blp.response(200, AccountSessionsEndedSchema)
    @problems(blp, 401, 403, 404)
    def post(self, id: int) -> dict[str, int]:
        actor = _actor()
        return {"ended": admin.end_sign_ins(actor, admin.get_user(actor, id))}
