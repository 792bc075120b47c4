"""The outbox over ``/api/v1/outbox``: the twin of the secretariat's outbox page.

Delivery status only: what a message is, to whom, and how its delivery goes (attempts,
last error, next attempt, sent). Never the message itself: an invitation's body carries
the participant's personal link, a bearer credential for their RSVP, QR and live room,
so no answer here contains a body.

Scoped as the page is (``services.mine``): a secretariat sees its own institutions' mail,
an administrator everything. The mail of one invitation is
``GET /api/v1/outbox?ref_type=invitation&ref_id=<invitation id>``; an invitation outside
the reader's reach answers an empty page, like any other filter that matches nothing.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import (
    ApiBlueprint,
    ApiSchema,
    QueryInt,
    Text,
    list_args_schema,
    page_schema,
    problems,
)
from meetcoord.core.outbox import OutboxMessage, OutboxStatus
from meetcoord.core.pagination import Page
from meetcoord.core.timezones import zone_label
from meetcoord.outbox import labels, services

blp = ApiBlueprint(
    "outbox_api",
    __name__,
    url_prefix="/outbox",
    description="Surat keluar: status pengiriman per surel dan per undangan, kirim ulang.",
)
STATUSES = [status.value for status in OutboxStatus]

_actor = resolve.account  # the staff account acting (access.resolve)


class OutboxMessageSchema(ApiSchema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"example": "invitation"})
    kind_label = fields.String(required=True, metadata={"example": "Undangan rapat"})
    recipient = fields.String(required=True)
    subject = fields.String(required=True)
    ref_type = fields.String(
        allow_none=True, metadata={"description": "Penyebab: invitation, document, person, …"}
    )
    ref_id = fields.Integer(allow_none=True)
    status = fields.String(required=True, metadata={"enum": STATUSES})
    status_label = fields.String(required=True, metadata={"example": "gagal"})
    attempts = fields.Integer(required=True)
    last_error = fields.String(allow_none=True)
    next_attempt_at = fields.DateTime(
        allow_none=True, metadata={"description": "UTC; hanya selama status pending."}
    )
    created_at = fields.DateTime(required=True, metadata={"description": "UTC."})
    sent_at = fields.DateTime(allow_none=True, metadata={"description": "UTC."})
    zone = fields.String(
        required=True,
        metadata={"description": "Zona yang dipakai halaman untuk surel ini."},
    )
    zone_label = fields.String(required=True, metadata={"example": "WITA"})


class OutboxCountsSchema(ApiSchema):
    pending = fields.Integer(required=True)
    sent = fields.Integer(required=True)
    failed = fields.Integer(required=True)


OutboxListArgs = list_args_schema(
    "Outbox",
    ["created_at"],
    {
        "sort": Text(
            load_default="created_at",
            validate=validate.OneOf(["created_at"], error=_l("Kolom pengurutan tidak dikenal.")),
        ),
        "order": Text(
            load_default="desc",
            validate=validate.OneOf(["asc", "desc"], error=_l("Pilih asc atau desc.")),
            metadata={"description": "Bawaan: terbaru di atas."},
        ),
        "status": Text(
            validate=validate.OneOf(STATUSES, error=_l("Pilih salah satu: {choices}.")),
            metadata={"enum": STATUSES},
        ),
        "kind": Text(metadata={"description": "Jenis surel, mis. invitation, reminder_…"}),
        "ref_type": Text(metadata={"description": "Penyebab: invitation, document, person."}),
        "ref_id": QueryInt(metadata={"description": "Id penyebab, mis. id undangan."}),
        "recipient": Text(metadata={"description": "Alamat penerima (tanpa beda huruf)."}),
    },
)


def _view(message: OutboxMessage, zone: str) -> dict[str, Any]:
    """The delivery status of ``message``; its body (``message.message``) is never read."""
    return {
        "id": message.id,
        "kind": message.kind,
        "kind_label": labels.kind_label(message.kind),
        "recipient": message.recipient,
        "subject": message.subject,
        "ref_type": message.ref_type,
        "ref_id": message.ref_id,
        "status": message.status.value,
        "status_label": str(labels.STATUS_LABELS[message.status]),
        "attempts": message.attempts,
        "last_error": message.last_error,
        "next_attempt_at": (
            message.next_attempt_at if message.status is OutboxStatus.PENDING else None
        ),
        "created_at": message.created_at,
        "sent_at": message.sent_at,
        "zone": zone,
        "zone_label": zone_label(zone),
    }


def _one(actor: Any, message: OutboxMessage) -> dict[str, Any]:
    zones = labels.message_zones(actor, [message])
    return _view(message, zones[message.id])


@blp.route("")
class Outbox(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Surat keluar", description="`q` mencari dalam penerima dan perihal.")
    @blp.arguments(OutboxListArgs, location="query")
    @blp.response(200, page_schema(OutboxMessageSchema))
    @problems(blp, 400, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> Page[dict[str, Any]]:
        actor = _actor()
        status = OutboxStatus(args["status"]) if args.get("status") else None
        page = services.list_messages(
            actor,
            status,
            args["page"],
            args["per_page"],
            filters={key: args.get(key) for key in ("kind", "ref_type", "ref_id", "recipient")},
            q=args["q"],
            oldest_first=args["order"] == "asc",
        )
        zones = labels.message_zones(actor, page.items)
        items = [_view(message, zones[message.id]) for message in page.items]
        return Page(items=items, page=page.page, per_page=page.per_page, total=page.total)


@blp.route("/counts")
class OutboxCounts(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Jumlah surat keluar per status")
    @blp.response(200, OutboxCountsSchema)
    @problems(blp, 401, 403)
    def get(self) -> dict[str, int]:
        counts = services.count_by_status(_actor())
        return {status.value: count for status, count in counts.items()}


@blp.route("/<int:id>")
class OutboxItem(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Status pengiriman satu surel", description="Tanpa isi surel.")
    @blp.response(200, OutboxMessageSchema)
    @problems(blp, 401, 403, 404)
    def get(self, id: int) -> dict[str, Any]:
        actor = _actor()
        return _one(actor, services.get_message(actor, id))


@blp.route("/<int:id>/retry")
class OutboxRetry(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Kirim ulang surel yang gagal",
        description="Kembali ke antrean dengan jatah percobaan baru; 409 bila tidak gagal.",
    )
    @blp.response(200, OutboxMessageSchema)
    @problems(blp, 401, 403, 404, 409)
    def post(self, id: int) -> dict[str, Any]:
        actor = _actor()
        message = services.retry(actor, services.get_message(actor, id))
        return _one(actor, message)


blueprints: list[ApiBlueprint] = [blp]
