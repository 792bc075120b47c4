"""API tokens over ``/api/v1/tokens``: issue, list, read and revoke them.

Everyone sees and revokes their own tokens; an administrator sees and revokes anyone's,
and only an administrator issues them (the same service as the account page and
``meetcoord create-token``). Every token issued here has a time window: ``days`` or the
configured default, at most the configured maximum — and a token issued by a request that
itself came with a token never outlives that token. The secret is in the ``201`` answer
only (``Cache-Control: no-store``); the server keeps its hash.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import request, url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.accounts import services
from meetcoord.accounts.audit_api import blp as audit_blp
from meetcoord.accounts.models import ApiToken, User
from meetcoord.accounts.users_api import blp as accounts_blp
from meetcoord.api.schemas import (
    ApiBlueprint,
    ApiSchema,
    Int,
    QueryInt,
    Text,
    list_args_schema,
    page_schema,
    problems,
)
from meetcoord.core.errors import NotFound
from meetcoord.core.pagination import Page
from meetcoord.extensions import db

LOCATION = {"Location": {"description": "URL data baru.", "schema": {"type": "string"}}}
blp = ApiBlueprint(
    "tokens", __name__, url_prefix="/tokens", description="Token API: buat, daftar dan cabut."
)


class TokenSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    user_id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True, attribute="user.email")
    name = fields.String(dump_only=True)
    prefix = fields.String(
        dump_only=True, metadata={"description": "Awal token, untuk mengenalinya."}
    )
    state = fields.String(dump_only=True, metadata={"enum": ["active", "expired", "revoked"]})
    created_at = fields.DateTime(dump_only=True)
    last_used_at = fields.DateTime(dump_only=True, allow_none=True)
    expires_at = fields.DateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "null: token lama, dibuat sebelum masa berlaku diwajibkan."},
    )
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)


class TokenCreateSchema(ApiSchema):
    name = Text(required=True, metadata={"example": "sinkronisasi SIPD"})
    days = Int(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Masa berlaku dalam hari; bawaan dan batas atas dari konfigurasi "
            "(MEETCOORD_API_TOKEN_DEFAULT_DAYS, MEETCOORD_API_TOKEN_MAX_DAYS)."
        },
    )
    user_id = Int(
        load_default=None, allow_none=True, metadata={"description": "Bawaan: akun sendiri."}
    )


class TokenIssuedSchema(TokenSchema):
    secret = fields.String(
        dump_only=True,
        metadata={"description": "Rahasia token; hanya pada jawaban ini, tidak pernah lagi."},
    )


TokenListArgs = list_args_schema(
    "Token",
    ["created_at"],
    {
        "sort": Text(
            load_default="created_at",
            validate=validate.OneOf(["created_at"], error=_l("Kolom pengurutan tidak dikenal.")),
            metadata={"description": "Terbaru di atas."},
        ),
        "user_id": QueryInt(
            load_default=None,
            metadata={"description": "Token akun ini (administrator); bawaan: akun sendiri."},
        ),
        "all": fields.Boolean(
            load_default=False, metadata={"description": "Token semua akun (administrator)."}
        ),
    },
)


_actor = resolve.account  # the staff account acting (access.resolve)


class _Issued:
    """A token just issued, with its secret: what the ``201`` answer shows, once."""

    def __init__(self, token: ApiToken, secret: str) -> None:
        self.token = token
        self.secret = secret

    def __getattr__(self, name: str) -> Any:
        return getattr(self.token, name)


def _request_token_expiry() -> datetime | None:
    """The expiry of the bearer token this request came with, if it came with one."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return services.bearer_expiry(secret.strip())


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("Akun tidak ditemukan."))
    return user


@blp.route("")
class Tokens(MethodView):
    @requires(Permission.ACCOUNT)
    @blp.doc(summary="Daftar token API", description="Terbaru di atas, termasuk yang dicabut.")
    @blp.arguments(TokenListArgs, location="query")
    @blp.response(200, page_schema(TokenSchema))
    @problems(blp, 400, 401, 403, 404, 422)
    def get(self, args: dict[str, Any]) -> Page[ApiToken]:
        actor = _actor()
        owner: User | None = actor
        if args["all"]:
            owner = None
        elif args["user_id"] is not None:
            owner = _account(args["user_id"])
        return services.token_page(actor, owner, args["page"], args["per_page"])

    @requires(Permission.ADMIN)
    @blp.doc(
        summary="Buat token API",
        description="Rahasia hanya ada di jawaban 201 ini; simpan segera.",
    )
    @blp.arguments(TokenCreateSchema)
    @blp.response(201, TokenIssuedSchema, headers=LOCATION)
    @problems(blp, 400, 401, 403, 404, 422)
    def post(self, data: dict[str, Any]) -> tuple[_Issued, dict[str, str]]:
        actor = _actor()
        services.require_admin(actor)
        owner = actor if data["user_id"] is None else _account(data["user_id"])
        token, secret = services.create_token(
            actor, owner, data["name"], days=data["days"], not_after=_request_token_expiry()
        )
        headers = {
            "Location": url_for("tokens.TokenItem", id=token.id),
            "Cache-Control": "no-store",
        }
        return _Issued(token, secret), headers


@blp.route("/<int:id>")
class TokenItem(MethodView):
    @requires(Permission.ACCOUNT)
    @blp.doc(summary="Satu token API", description="Tanpa rahasianya.")
    @blp.response(200, TokenSchema)
    @problems(blp, 401, 403, 404)
    def get(self, id: int) -> ApiToken:
        return services.token_for(_actor(), id)

    @requires(Permission.ACCOUNT)
    @blp.doc(
        summary="Cabut token API",
        description="Berlaku seketika, juga untuk koneksi ruang rapat yang masih terbuka; "
        "mengulang aman (204 lagi, waktu pencabutan pertama tetap).",
    )
    @blp.response(204)
    @problems(blp, 400, 401, 403, 404)
    def delete(self, id: int) -> None:
        actor = _actor()
        services.revoke_token(actor, services.token_for(actor, id))


blueprints: list[ApiBlueprint] = [blp, accounts_blp, audit_blp]
