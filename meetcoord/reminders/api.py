"""An institution's reminder settings as JSON: ``/api/v1/institutions/<id>/reminder-settings``.

The twin of the settings page: the same ``.settings`` calls, so a refusal reads the same
over both (out of range: 422 with each field's message; another institution's: 404; a
viewer changing them: 403).
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import fields

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, Bool, Int, problems
from meetcoord.reminders import settings
from meetcoord.reminders.models import ReminderSettings

blp = ApiBlueprint(
    "reminder_settings_api",
    __name__,
    url_prefix="/institutions",
    description="Pengaturan pengingat tindak lanjut per penyelenggara.",
)

_actor = resolve.account


class ReminderSettingsSchema(ApiSchema):
    institution_id = fields.Integer(dump_only=True)
    days_before = Int(
        required=True,
        metadata={
            "description": "Hari sebelum tenggat saat pengingat dikirim (0–30; 0: tidak ada).",
            "minimum": 0,
            "maximum": settings.DAYS_BEFORE_MAX,
            "example": 3,
        },
    )
    overdue_every_days = Int(
        required=True,
        metadata={
            "description": "Selama lewat tenggat, pengingat diulang setiap sekian hari (1–30).",
            "minimum": settings.EVERY_MIN,
            "maximum": settings.EVERY_MAX,
            "example": 7,
        },
    )
    forum_summary = Bool(
        required=True,
        metadata={"description": "Ringkasan mingguan lewat tenggat per forum ke sekretariat."},
    )
    updated_at = fields.DateTime(dump_only=True, allow_none=True)


@blp.route("/<int:id>/reminder-settings")
class ReminderSettingsItem(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Pengaturan pengingat",
        description="Bila belum pernah diatur: nilai bawaan (3 hari, 7 hari, ringkasan aktif).",
    )
    @blp.response(200, ReminderSettingsSchema)
    @problems(blp, 401, 404)
    def get(self, id: int) -> ReminderSettings:
        return settings.get_settings(_actor(), id)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Ubah pengaturan pengingat", description="Ketiga nilai dikirim sekaligus.")
    @blp.arguments(ReminderSettingsSchema)
    @blp.response(200, ReminderSettingsSchema)
    @problems(blp, 400, 401, 403, 404, 422)
    def put(self, data: dict[str, Any], id: int) -> ReminderSettings:
        return settings.save_settings(_actor(), id, data)


blueprints: list[ApiBlueprint] = [blp]
