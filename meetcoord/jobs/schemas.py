"""The job resource as a client polls it."""

from __future__ import annotations

from marshmallow import fields

from meetcoord.api.schemas import ApiSchema
from meetcoord.jobs.models import JobStatus


class JobErrorSchema(ApiSchema):
    invitation_id = fields.Integer(metadata={"description": "Unit yang gagal, bila ada."})
    detail = fields.String(required=True)


class JobSchema(ApiSchema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"example": "invitation_send"})
    status = fields.String(required=True, metadata={"enum": [status.value for status in JobStatus]})
    total = fields.Integer(required=True, metadata={"description": "Unit yang akan dikerjakan."})
    done = fields.Integer(required=True, metadata={"description": "Unit yang berhasil."})
    failed = fields.Integer(required=True, metadata={"description": "Unit yang gagal."})
    errors = fields.List(
        fields.Nested(JobErrorSchema),
        required=True,
        metadata={"description": "Alasan kegagalan (paling banyak 100)."},
    )
    created_at = fields.DateTime(required=True)
    finished_at = fields.DateTime(allow_none=True, required=True)
