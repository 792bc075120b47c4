"""The audit trail over ``/api/v1/audit``: the twin of the administrator's audit page.

Who changed what, newest first, with the labels the page shows (``audit_labels``) beside
the codes a client filters on. Audit entries belong to no institution, and the page is for
administrators of the installation only, so the API is too (the permission table's
``installation.admin``): a secretariat gets 403, whatever institution it works for.

Times are UTC (ISO 8601); ``zone`` and ``zone_label`` name the zone the page reads them in
(``MEETCOORD_TIMEZONE``), and ``from``/``to`` are whole days in that zone, both included.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.accounts import admin
from meetcoord.accounts.audit_labels import action_label, entity_label
from meetcoord.api.schemas import (
    ApiBlueprint,
    ApiSchema,
    Day,
    QueryInt,
    Text,
    list_args_schema,
    page_schema,
    problems,
)
from meetcoord.core.audit import AuditEntry
from meetcoord.core.errors import ValidationError
from meetcoord.core.pagination import ListQuery, Page
from meetcoord.core.timezones import get_zone, zone_label

blp = ApiBlueprint(
    "audit_api",
    __name__,
    url_prefix="/audit",
    description="Jejak audit: siapa mengubah apa; khusus administrator.",
)

_actor = resolve.account  # the staff account acting (access.resolve)


class AuditEntrySchema(ApiSchema):
    id = fields.Integer(required=True)
    at = fields.DateTime(required=True, metadata={"description": "UTC."})
    at_local = fields.String(
        required=True, metadata={"description": "Waktu yang sama di zona `zone` (ISO 8601)."}
    )
    zone = fields.String(required=True, metadata={"example": "Asia/Jakarta"})
    zone_label = fields.String(required=True, metadata={"example": "WIB"})
    actor_id = fields.Integer(allow_none=True, metadata={"description": "null: sistem."})
    actor_name = fields.String(required=True, metadata={"description": "Seperti di halaman."})
    action = fields.String(required=True, metadata={"example": "update"})
    action_label = fields.String(required=True, metadata={"example": "mengubah"})
    entity_type = fields.String(required=True, metadata={"example": "meetings"})
    entity_label = fields.String(required=True)
    entity_id = fields.Integer(allow_none=True)
    summary = fields.String(required=True)
    changes = fields.Dict(
        allow_none=True, metadata={"description": "Kolom → [sebelum, sesudah], bila dicatat."}
    )


AuditListArgs = list_args_schema(
    "Audit",
    ["at"],
    {
        "sort": Text(
            load_default="at",
            validate=validate.OneOf(["at"], error=_l("Kolom pengurutan tidak dikenal.")),
        ),
        "order": Text(
            load_default="desc",
            validate=validate.OneOf(["asc", "desc"], error=_l("Pilih asc atau desc.")),
            metadata={"description": "Bawaan: terbaru di atas."},
        ),
        "actor_id": QueryInt(metadata={"description": "Akun yang bertindak."}),
        "entity_type": Text(metadata={"description": "Jenis data (nama tabel), mis. meetings."}),
        "entity_id": QueryInt(metadata={"description": "Id data yang diubah."}),
        "action": Text(metadata={"description": "Kode tindakan, mis. update."}),
        "from": Day(metadata={"description": "Sejak tanggal ini (zona `zone`)."}),
        "to": Day(metadata={"description": "Sampai tanggal ini, termasuk (zona `zone`)."}),
    },
)


def _day_start(day: date, zone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=get_zone(zone))


def _view(entry: AuditEntry, zone: str, label: str) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at,
        "at_local": entry.at.astimezone(get_zone(zone)).isoformat(),
        "zone": zone,
        "zone_label": label,
        "actor_id": entry.actor_id,
        "actor_name": entry.actor.name if entry.actor is not None else _("sistem"),
        "action": entry.action,
        "action_label": action_label(entry.action),
        "entity_type": entry.entity_type,
        "entity_label": entity_label(entry.entity_type),
        "entity_id": entry.entity_id,
        "summary": entry.summary,
        "changes": entry.changes,
    }


@blp.route("")
class AuditTrail(MethodView):
    @requires(Permission.ADMIN)
    @blp.doc(summary="Jejak audit", description="`q` mencari dalam ringkasan.")
    @blp.arguments(AuditListArgs, location="query")
    @blp.response(200, page_schema(AuditEntrySchema))
    @problems(blp, 400, 401, 403, 422)
    def get(self, args: dict[str, Any]) -> Page[dict[str, Any]]:
        zone = str(current_app.config["HOME_TIMEZONE"])
        since = _day_start(args["from"], zone) if args.get("from") else None
        before = _day_start(args["to"] + timedelta(days=1), zone) if args.get("to") else None
        if since is not None and before is not None and since >= before:
            message = _l("Tanggal awal harus sebelum atau sama dengan tanggal akhir.")
            raise ValidationError(message, errors={"from": [message], "to": [message]})
        query = ListQuery(
            q=args["q"],
            sort="at",
            descending=args["order"] == "desc",
            page=args["page"],
            per_page=args["per_page"],
            filters={
                "actor_id": args.get("actor_id"),
                "entity_type": args.get("entity_type"),
                "entity_id": args.get("entity_id"),
                "action": args.get("action"),
                "since": since,
                "before": before,
                "oldest_first": args["order"] == "asc",
            },
        )
        page = admin.list_audit(_actor(), query)
        label = zone_label(zone)
        items = [_view(entry, zone, label) for entry in page.items]
        return Page(items=items, page=page.page, per_page=page.per_page, total=page.total)
