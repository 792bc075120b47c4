"""The tracker's API bodies: list arguments, an action, its history, and the changes.

Types only (as everywhere in the API): the workflow, the reasons and the evidence checks
are the services', which give the pages and the API the same messages.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.actions.models import Action, ActionStatus, ActionUpdate, UpdateKind
from meetcoord.actions.queries import SORTS, is_overdue
from meetcoord.api.schemas import (
    ApiSchema,
    Bool,
    Day,
    File,
    ListArgsSchema,
    QueryInt,
    Text,
    choice_of,
)

STATUSES = [member.value for member in ActionStatus]


class QueryBool(Bool):
    """``?overdue=true`` (or 1): query strings are text."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["truthy"] = {"true", "1", "on", True}
        kwargs["falsy"] = {"false", "0", "off", "", False}
        super().__init__(**kwargs)


def _id(description: str) -> QueryInt:
    return QueryInt(
        validate=validate.Range(min=1, error=_l("Paling kecil 1.")),
        metadata={"description": description},
    )


class ActionListArgs(ListArgsSchema):
    sort = Text(
        load_default="due_on",
        validate=validate.OneOf(list(SORTS), error=_l("Kolom pengurutan tidak dikenal.")),
        metadata={"description": "due_on, status, organization (instansi) atau meeting."},
    )
    institution_id = _id("Penyelenggara (pemilik atau penyelenggara bersama rapat).")
    forum_id = _id("Forum rapat.")
    series_id = _id("Seri rapat.")
    meeting_id = _id("Satu rapat.")
    organization_id = _id("Instansi (OPD) penanggung jawab.")
    person_id = _id("Orang penanggung jawab.")
    locus = Text(load_default="", metadata={"description": "Lokus (desa), sebagian nama."})
    status = Text(
        validate=validate.OneOf(STATUSES, error=_l("Status tidak dikenal.")),
        metadata={"enum": STATUSES},
    )
    due_from = Day(metadata={"description": "Tenggat paling awal (TTTT-BB-HH)."})
    due_to = Day(metadata={"description": "Tenggat paling akhir (TTTT-BB-HH)."})
    overdue = QueryBool(
        load_default=False,
        metadata={"description": "Hanya yang lewat tenggat dan belum selesai."},
    )


class ActionExportArgs(ActionListArgs):
    """The list's filters and sort, no page: an export holds every matching action."""

    class Meta:
        exclude = ("page", "per_page")

    format = Text(
        load_default="csv",
        validate=validate.OneOf(["csv", "xlsx"], error=_l("Pilih csv atau xlsx.")),
        metadata={"enum": ["csv", "xlsx"], "description": "csv (UTF-8, `;`) atau xlsx."},
    )


VIA = ("account", "personal_link", "agency_link", "other")


def via(update: ActionUpdate) -> str:
    """Which door an update came through (the label alone cannot tell a link's holder
    from an account of the same name)."""
    if update.agency_link_id is not None:
        return "agency_link"
    if update.invitation_id is not None:
        return "personal_link"
    if update.user_id is not None:
        return "account"
    return "other"


class EvidenceSchema(ApiSchema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    url = fields.Function(
        lambda e: url_for("actions_api.ActionEvidenceFile", id=e.action_id, evidence_id=e.id)
    )


class ActionUpdateSchema(ApiSchema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": [k.value for k in UpdateKind]})
    note = fields.String(allow_none=True)
    percentage = fields.Integer(allow_none=True)
    milestone = fields.String(allow_none=True)
    status_before = fields.String(allow_none=True)
    status_after = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    changes = fields.Dict(
        metadata={"description": "Kolom yang berubah: [lama, baru] (tanggal ISO)."}
    )
    by = fields.String(attribute="by_label")
    user_id = fields.Integer(allow_none=True)
    invitation_id = fields.Integer(allow_none=True)
    agency_link_id = fields.Integer(
        allow_none=True, metadata={"description": "Tautan tetap instansi yang dipakai."}
    )
    via = fields.Function(
        via,
        metadata={
            "enum": list(VIA),
            "description": "Lewat apa: akun staf, tautan pribadi, tautan tetap instansi.",
        },
    )
    at = fields.DateTime(metadata={"description": "UTC."})
    evidence = fields.List(fields.Nested(EvidenceSchema))


class ActionSchema(ApiSchema):
    id = fields.Integer()
    title = fields.String()
    meeting_id = fields.Integer()
    meeting_title = fields.Function(lambda a: a.meeting.title)
    meeting_start_at = fields.Function(lambda a: a.meeting.start_at.isoformat())
    decision_id = fields.Integer(allow_none=True)
    organization_id = fields.Integer()
    organization_name = fields.Function(lambda a: a.organization.name)
    person_id = fields.Integer(allow_none=True)
    person_name = fields.Function(lambda a: a.person.name if a.person else None)
    locus = fields.String(allow_none=True)
    due_on = fields.Date(allow_none=True)
    original_due_on = fields.Date(allow_none=True)
    status = fields.String(metadata={"enum": STATUSES})
    overdue = fields.Function(lambda a: is_overdue(a), metadata={"type": "boolean"})
    closed_at = fields.DateTime(allow_none=True)
    withdrawn = fields.Function(lambda a: a.is_withdrawn, metadata={"type": "boolean"})
    version = fields.Integer()
    updated_at = fields.DateTime()


class AgencyEvidenceSchema(ApiSchema):
    """An evidence file as the agency's link lists it: download it from
    ``…/actions/<action>/evidence/<id>`` under the same link."""

    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()


class AgencyActionSchema(ActionSchema):
    evidence = fields.List(fields.Nested(AgencyEvidenceSchema))


class ActionDetailSchema(ActionSchema):
    history = fields.Method("_history", metadata={"description": "Terbaru lebih dulu."})

    def _history(self, action: Action) -> list[dict[str, Any]]:
        rows: list[ActionUpdate] = sorted(action.updates, key=lambda u: u.id, reverse=True)
        return ActionUpdateSchema(many=True).dump(rows)  # type: ignore[no-any-return]


class ActionPatchSchema(ApiSchema):
    """Either a status step or a new due date (each with its reason), not both at once."""

    status = choice_of(STATUSES)
    due_on = Day()
    reason = Text(
        allow_none=True,
        metadata={"description": "Wajib saat dihentikan atau tenggat diubah."},
    )
    note = Text(allow_none=True)


class UpdateFormSchema(ApiSchema):
    """The text parts of a progress update (multipart/form-data)."""

    note = Text()
    percentage = Text(metadata={"description": "Bilangan bulat 0–100."})
    milestone = Text()
    status = choice_of(STATUSES)
    reason = Text()


class UpdateFilesSchema(ApiSchema):
    evidence = fields.List(File(), metadata={"description": "PDF, PNG, JPEG, XLSX, DOCX."})


class UpdateMultipartSchema(UpdateFormSchema, UpdateFilesSchema):
    """The whole multipart body, for the document: flask-smorest documents one request
    body per operation, so the text parts are parsed on their own in the handler."""


class AgencyLinkSchema(ApiSchema):
    """A standing agency link as listed: never its token (only its hash exists)."""

    id = fields.Integer()
    organization_id = fields.Integer()
    label = fields.String()
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(allow_none=True)
    update_count = fields.Integer(
        metadata={"description": "Berapa pembaruan tindak lanjut dibuat lewat tautan ini."}
    )


class AgencyLinkIssuedSchema(AgencyLinkSchema):
    token = fields.String(metadata={"description": "Hanya sekali, saat dibuat."})
    url = fields.String(metadata={"description": "Alamat /a/<token>; hanya sekali."})


class AgencyLinkNewSchema(ApiSchema):
    label = Text(metadata={"description": "Untuk siapa, mis. Kepala Dinas."})
