"""What the live room's REST API reads and answers, for the OpenAPI document.

The shapes are those of :mod:`meetcoord.live.state` (one serializer per thing, shared
with the socket's events and snapshot), so a system reading ``/live/decisions`` holds
what a console holds. Every class is prefixed ``Live``: OpenAPI names are app-wide.
The command bodies are the socket's own schemas (:mod:`meetcoord.live.schemas`), named
here ``Live<Command>Command`` for the document.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from meetcoord.api.schemas import ApiSchema, ListArgsSchema, QueryInt, Text
from meetcoord.live import schemas

ID_MAX = 2**31 - 1
EVENTS_PAGE = 100  # events per page unless ``limit`` says otherwise
EVENTS_MAX = 500  # as many as a socket client is replayed before a snapshot


def _stamp(**kwargs: Any) -> fields.String:
    return fields.String(
        allow_none=True,
        metadata={"description": "ISO 8601 UTC.", "example": "2026-12-05T02:30:00.000Z"},
        **kwargs,
    )


# --- the room -------------------------------------------------------------------------


class LiveTimerSchema(ApiSchema):
    started_at = _stamp()
    duration = fields.Integer(allow_none=True, metadata={"description": "Detik."})


class LiveRoomSchema(ApiSchema):
    state = fields.String(metadata={"enum": ["waiting", "open", "paused", "closed"]})
    current_item_id = fields.Integer(allow_none=True)
    item_timer = fields.Nested(LiveTimerSchema, allow_none=True)
    opened_at = _stamp()
    closed_at = _stamp()


class LiveMeetingSchema(ApiSchema):
    id = fields.Integer()
    title = fields.String()
    start_at = _stamp()
    end_at = _stamp()
    status = fields.String()


class LiveSiteSchema(ApiSchema):
    id = fields.Integer()
    name = fields.String()
    zone = fields.String(metadata={"example": "Asia/Makassar"})
    zone_label = fields.String(metadata={"example": "WITA"})


class LiveItemSchema(ApiSchema):
    id = fields.Integer()
    position = fields.Integer()
    title = fields.String()
    presenter = fields.String(allow_none=True)
    planned_minutes = fields.Integer(allow_none=True)
    kind = fields.String()


class LiveSpeakerSchema(ApiSchema):
    id = fields.Integer()
    invitation_id = fields.Integer()
    name = fields.String()
    organization = fields.String(allow_none=True)
    site_id = fields.Integer(allow_none=True)
    site = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["waiting", "speaking"]})
    raised_by = fields.String()
    requested_at = _stamp()
    timer = fields.Nested(LiveTimerSchema, allow_none=True)


class LiveStateSchema(ApiSchema):
    seq = fields.Integer(metadata={"description": "Nomor urut peristiwa terakhir di log."})
    meeting = fields.Nested(LiveMeetingSchema)
    room = fields.Nested(LiveRoomSchema)
    current_item = fields.Nested(LiveItemSchema, allow_none=True)
    sites = fields.List(fields.Nested(LiveSiteSchema))
    agenda = fields.List(fields.Nested(LiveItemSchema))
    speakers = fields.List(
        fields.Nested(LiveSpeakerSchema),
        metadata={"description": "Antrean bicara: yang sedang bicara dan yang menunggu."},
    )
    server_time = _stamp()


# --- the record ---------------------------------------------------------------------------


class LiveWithdrawalSchema(ApiSchema):
    at = _stamp()
    by = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)


LiveTallySchema = ApiSchema.from_dict(
    {
        "site_id": fields.Integer(allow_none=True, metadata={"description": "null: daring."}),
        "for": fields.Integer(),
        "against": fields.Integer(),
        "abstain": fields.Integer(),
    },
    name="LiveTallySchema",
)
LiveTotalsSchema = ApiSchema.from_dict(
    {"for": fields.Integer(), "against": fields.Integer(), "abstain": fields.Integer()},
    name="LiveTotalsSchema",
)


class LiveDecisionSchema(ApiSchema):
    id = fields.Integer()
    number = fields.Integer()
    item_id = fields.Integer(allow_none=True)
    text = fields.String()
    kind = fields.String(metadata={"enum": ["consensus", "vote", "noted", "deferred"]})
    version = fields.Integer()
    recorded_by = fields.String()
    recorded_at = _stamp()
    amended_at = _stamp()
    withdrawn = fields.Nested(LiveWithdrawalSchema, allow_none=True)
    tallies = fields.List(fields.Nested(LiveTallySchema))
    totals = fields.Nested(LiveTotalsSchema)


class LiveNoteSchema(ApiSchema):
    item_id = fields.Integer()
    text = fields.String()
    version = fields.Integer()
    updated_by = fields.String(allow_none=True)
    updated_at = _stamp()


class LiveActionSchema(ApiSchema):
    id = fields.Integer()
    decision_id = fields.Integer(allow_none=True)
    title = fields.String()
    organization_id = fields.Integer()
    organization = fields.String()
    person_id = fields.Integer(allow_none=True)
    person = fields.String(allow_none=True)
    locus = fields.String(allow_none=True)
    due_on = fields.String(allow_none=True, metadata={"format": "date"})
    status = fields.String()
    version = fields.Integer()
    withdrawn = fields.Nested(LiveWithdrawalSchema, allow_none=True)


def _list_args(name: str, sorts: list[str], **filters: fields.Field) -> type[ListArgsSchema]:
    """List arguments whose ``sort`` defaults to the first of ``sorts`` (the room's order)."""
    attrs: dict[str, Any] = {
        "sort": Text(
            load_default=sorts[0],
            validate=validate.OneOf(sorts, error=_l("Kolom pengurutan tidak dikenal.")),
            metadata={"enum": sorts},
        ),
        **filters,
    }
    return type(f"Live{name}ListArgsSchema", (ListArgsSchema,), attrs)


def _id_filter(description: str) -> QueryInt:
    return QueryInt(
        load_default=None,
        validate=validate.Range(min=1, max=ID_MAX, error=_l("Paling kecil 1.")),
        metadata={"description": description},
    )


LiveDecisionArgs = _list_args(
    "Decision", ["number", "recorded_at"], item_id=_id_filter("Hanya mata acara ini.")
)
LiveNoteArgs = _list_args("Note", ["position"], item_id=_id_filter("Hanya mata acara ini."))
LiveActionArgs = _list_args(
    "Action",
    ["id", "due_on", "title"],
    decision_id=_id_filter("Hanya tindak lanjut kesepakatan ini."),
    organization_id=_id_filter("Hanya tindak lanjut instansi ini."),
)


# --- the log ------------------------------------------------------------------------------


class LiveEventSchema(ApiSchema):
    """The socket's envelope, exactly as ``event`` carries it (DESIGN §5)."""

    meeting = fields.Integer()
    seq = fields.Integer()
    type = fields.String(metadata={"example": "decision.recorded"})
    data = fields.Dict(metadata={"description": "Isi peristiwa, menurut jenisnya."})
    at = fields.String(metadata={"example": "2026-12-05T02:30:00.000Z"})
    actor = fields.String()


class LiveEventArgsSchema(ApiSchema):
    after_seq = QueryInt(
        load_default=0,
        validate=validate.Range(min=0, max=ID_MAX, error=_l("Paling kecil 0.")),
        metadata={"description": "Peristiwa sesudah nomor urut ini (0: dari awal)."},
    )
    limit = QueryInt(
        load_default=EVENTS_PAGE,
        validate=validate.Range(
            min=1, max=EVENTS_MAX, error=_l("Antara 1 dan %(n)d.", n=EVENTS_MAX)
        ),
        metadata={"description": f"Paling banyak {EVENTS_MAX} peristiwa per halaman."},
    )


class LiveEventPageSchema(ApiSchema):
    items = fields.List(fields.Nested(LiveEventSchema), required=True)
    after_seq = fields.Integer(required=True)
    next_seq = fields.Integer(
        required=True,
        metadata={"description": "Kirim sebagai after_seq untuk halaman berikutnya."},
    )
    head = fields.Integer(required=True, metadata={"description": "Nomor urut terakhir di log."})
    more = fields.Boolean(required=True, metadata={"description": "Masih ada sesudah halaman ini."})


# --- commands -----------------------------------------------------------------------------


class LiveAckSchema(ApiSchema):
    """The socket's ack, the same over REST; a repeated nonce answers the first one."""

    ok = fields.Boolean(required=True, metadata={"example": True})
    seq = fields.Integer(
        required=True, metadata={"description": "Nomor urut peristiwa terakhir perintah ini."}
    )
    id = fields.Integer(
        metadata={
            "description": "Yang dibuat perintah (kesepakatan, tindak lanjut, mata acara, "
            "permintaan bicara, pertanyaan) atau versi catatan; tidak ada bila tidak ada."
        }
    )


def command_body(name: str) -> type[Schema]:
    """The socket's schema of command ``name`` under a name unique in the document."""
    base = type(schemas.SCHEMAS[name])
    camel = "".join(part.capitalize() for part in name.replace("_", ".").split("."))
    return type(f"Live{camel}CommandSchema", (base,), {})
