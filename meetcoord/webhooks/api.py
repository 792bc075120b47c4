"""An institution's webhook endpoints and their deliveries under ``/api/v1/webhooks``.

Handlers load, check access and call one ``webhooks.services`` function. The signing
secret is answered twice only: when the endpoint is created and when it is rotated.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
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
    list_args_schema,
    page_schema,
    problems,
)
from meetcoord.core.pagination import Page
from meetcoord.webhooks import services
from meetcoord.webhooks.models import EVENTS, DeliveryStatus, WebhookDelivery, WebhookEndpoint

blp = ApiBlueprint(
    "webhooks",
    __name__,
    url_prefix="/webhooks",
    description="Webhook lembaga: alamat HTTPS yang diberi tahu saat rapat, kehadiran, "
    "kesepakatan, dokumen dan tindak lanjut berubah; ditandatangani HMAC-SHA256.",
)
LOCATION = {"Location": {"description": "URL data baru.", "schema": {"type": "string"}}}
STATUSES = [status.value for status in DeliveryStatus]


class WebhookEndpointSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    institution_id = Int(
        metadata={"description": "Lembaga pemilik; wajib bila Anda admin beberapa lembaga."},
    )
    url = Text(required=True, metadata={"example": "https://sipd.example.go.id/hooks/meetcoord"})
    description = Text(allow_none=True)
    events = fields.List(
        choice_of(list(EVENTS)), required=True, metadata={"example": ["decision.recorded"]}
    )
    active = Bool(metadata={"description": "Bawaan: true."})
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class WebhookEndpointPatchSchema(ApiSchema):
    url = Text()
    description = Text(allow_none=True)
    events = fields.List(choice_of(list(EVENTS)))
    active = Bool()


class WebhookCreatedSchema(WebhookEndpointSchema):
    secret = fields.String(
        dump_only=True,
        metadata={"description": "Rahasia penandatangan; hanya ditampilkan sekali ini."},
    )


class WebhookSecretSchema(ApiSchema):
    secret = fields.String(required=True, metadata={"description": "Rahasia baru."})


class WebhookDeliverySchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    endpoint_id = fields.Integer(dump_only=True)
    event_type = fields.String(dump_only=True)
    event_id = fields.String(dump_only=True, metadata={"format": "uuid"})
    payload = fields.Dict(dump_only=True)
    status = fields.Function(
        lambda row: row.status.value, dump_only=True, metadata={"enum": STATUSES}
    )
    attempts = fields.Integer(dump_only=True)
    next_attempt_at = fields.DateTime(dump_only=True)
    last_status_code = fields.Integer(dump_only=True, allow_none=True)
    last_error = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    sent_at = fields.DateTime(dump_only=True, allow_none=True)


WebhookListArgs = list_args_schema(
    "Webhook",
    ["id"],
    {
        "sort": Text(
            load_default="id",
            validate=validate.OneOf(["id"], error=_l("Kolom pengurutan tidak dikenal.")),
        ),
        "institution_id": QueryInt(),
    },
)
WebhookDeliveryListArgs = list_args_schema(
    "WebhookDelivery",
    ["created_at"],
    {
        "sort": Text(
            load_default="created_at",
            validate=validate.OneOf(["created_at"], error=_l("Kolom pengurutan tidak dikenal.")),
        ),
        "status": Text(
            validate=validate.OneOf(STATUSES, error=_l("Pilih salah satu: {choices}.")),
            metadata={"enum": STATUSES},
        ),
    },
)


class _WithSecret:
    """An endpoint as answered at creation: its fields plus the secret, this once."""

    def __init__(self, endpoint: WebhookEndpoint, secret: str) -> None:
        self._endpoint = endpoint
        self.secret = secret

    def __getattr__(self, name: str) -> Any:
        return getattr(self._endpoint, name)


_actor = resolve.account


@blp.route("")
class Webhooks(MethodView):
    @requires(Permission.WEBHOOKS_MANAGE)
    @blp.doc(summary="Daftar webhook", description="Webhook lembaga tempat Anda admin.")
    @blp.arguments(WebhookListArgs, location="query")
    @blp.response(200, page_schema(WebhookEndpointSchema))
    @problems(blp, 400, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> Page[WebhookEndpoint]:
        return services.list_endpoints(
            _actor(), args["page"], args["per_page"], args.get("institution_id")
        )

    @requires(Permission.WEBHOOKS_MANAGE)
    @blp.doc(
        summary="Daftarkan webhook",
        description="Jawaban memuat `secret` satu kali; simpan untuk memeriksa tanda tangan "
        "`X-Meetcoord-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + '.' + body)>`.",
    )
    @blp.arguments(WebhookEndpointSchema)
    @blp.response(201, WebhookCreatedSchema, headers=LOCATION)
    @problems(blp, 400, 401, 403, 422)
    def post(self, data: dict[str, Any]) -> tuple[Any, dict[str, str]]:
        endpoint, secret = services.create_endpoint(_actor(), data)
        location = url_for("webhooks.WebhookItem", id=endpoint.id)
        return _WithSecret(endpoint, secret), {"Location": location}


@blp.route("/<int:id>")
class WebhookItem(MethodView):
    @requires(Permission.WEBHOOKS_MANAGE)
    @blp.doc(summary="Satu webhook")
    @blp.response(200, WebhookEndpointSchema)
    @problems(blp, 401, 403, 404)
    def get(self, id: int) -> WebhookEndpoint:
        return services.get_endpoint(_actor(), id)

    @requires(Permission.WEBHOOKS_MANAGE)
    @blp.doc(summary="Ubah webhook", description="Hanya kolom yang dikirim yang diubah.")
    @blp.arguments(WebhookEndpointPatchSchema)
    @blp.response(200, WebhookEndpointSchema)
    @problems(blp, 400, 401, 403, 404, 422)
    def patch(self, data: dict[str, Any], id: int) -> WebhookEndpoint:
        endpoint = services.get_endpoint(_actor(), id)
        return services.update_endpoint(_actor(), endpoint, data)

    @requires(Permission.WEBHOOKS_MANAGE)
    @blp.doc(summary="Hapus webhook", description="Pengiriman yang menunggu ikut dihapus.")
    @blp.response(204)
    @problems(blp, 401, 403, 404)
    def delete(self, id: int) -> None:
        services.delete_endpoint(_actor(), services.get_endpoint(_actor(), id))


@blp.route("/<int:id>/rotate-secret")
class WebhookRotate(MethodView):
    @requires(Permission.WEBHOOKS_MANAGE)
    @blp.doc(summary="Ganti rahasia webhook", description="Rahasia lama langsung tidak berlaku.")
    @blp.response(200, WebhookSecretSchema)
    @problems(blp, 401, 403, 404)
    def post(self, id: int) -> dict[str, str]:
        secret = services.rotate_secret(_actor(), services.get_endpoint(_actor(), id))
        return {"secret": secret}


@blp.route("/<int:id>/test")
class WebhookTest(MethodView):
    @requires(Permission.WEBHOOKS_MANAGE)
    @blp.doc(summary="Kirim peristiwa uji (ping)", description="Dikirim oleh pekerja latar.")
    @blp.response(202, WebhookDeliverySchema)
    @problems(blp, 401, 403, 404)
    def post(self, id: int) -> WebhookDelivery:
        return services.send_test(_actor(), services.get_endpoint(_actor(), id))


@blp.route("/<int:id>/deliveries")
class WebhookDeliveries(MethodView):
    @requires(Permission.WEBHOOKS_MANAGE)
    @blp.doc(summary="Pengiriman sebuah webhook", description="Terbaru di atas.")
    @blp.arguments(WebhookDeliveryListArgs, location="query")
    @blp.response(200, page_schema(WebhookDeliverySchema))
    @problems(blp, 400, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[WebhookDelivery]:
        endpoint = services.get_endpoint(_actor(), id)
        status = DeliveryStatus(args["status"]) if args.get("status") else None
        return services.list_deliveries(_actor(), endpoint, args["page"], args["per_page"], status)


@blp.route("/deliveries/<int:delivery_id>/retry")
class WebhookDeliveryRetry(MethodView):
    @requires(Permission.WEBHOOKS_MANAGE)
    @blp.doc(summary="Ulangi pengiriman yang gagal")
    @blp.response(200, WebhookDeliverySchema)
    @problems(blp, 401, 403, 404, 409)
    def post(self, delivery_id: int) -> WebhookDelivery:
        row = services.get_delivery(_actor(), delivery_id)
        return services.retry_delivery(_actor(), row)


blueprints: list[ApiBlueprint] = [blp]
