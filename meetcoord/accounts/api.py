"""API tokens over ``/api/v1/tokens``: list them and revoke them.

Everyone sees and revokes their own tokens; an administrator sees and revokes anyone's.
Tokens are issued by an administrator (account page, ``meetcoord create-token``), never
through the API: a token must not be able to mint more tokens.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.accounts import services
from meetcoord.accounts.models import User
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, QueryInt, problems
from meetcoord.core.errors import NotFound
from meetcoord.extensions import db

blp = ApiBlueprint(
    "tokens", __name__, url_prefix="/tokens", description="Token API: daftar dan pencabutan."
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
        dump_only=True, allow_none=True, metadata={"description": "null: sampai dicabut."}
    )
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)


class TokenListSchema(ApiSchema):
    items = fields.List(fields.Nested(TokenSchema), required=True)


class TokenListArgs(ApiSchema):
    user_id = QueryInt(
        load_default=None,
        metadata={"description": "Token akun ini (administrator); bawaan: akun sendiri."},
    )
    all = fields.Boolean(
        load_default=False, metadata={"description": "Token semua akun (administrator)."}
    )


_actor = resolve.account  # the staff account acting (access.resolve)


@blp.route("")
class Tokens(MethodView):
    @requires(Permission.ACCOUNT)
    @blp.doc(summary="Daftar token API", description="Terbaru di atas, termasuk yang dicabut.")
    @blp.arguments(TokenListArgs, location="query")
    @blp.response(200, TokenListSchema)
    @problems(blp, 401, 403, 404, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        actor = _actor()
        owner: User | None = actor
        if args["all"]:
            owner = None
        elif args["user_id"] is not None:
            owner = db.session.get(User, args["user_id"])
            if owner is None:
                raise NotFound(_l("Akun tidak ditemukan."))
        return {"items": services.tokens_of(actor, owner)}


@blp.route("/<int:id>")
class TokenItem(MethodView):
    @requires(Permission.ACCOUNT)
    @blp.doc(
        summary="Cabut token API",
        description="Berlaku seketika, juga untuk koneksi ruang rapat yang masih terbuka.",
    )
    @blp.response(204)
    @problems(blp, 400, 401, 403, 404)
    def delete(self, id: int) -> None:
        actor = _actor()
        services.revoke_token(actor, services.token_for(actor, id))


blueprints: list[ApiBlueprint] = [blp]
