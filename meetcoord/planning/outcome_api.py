"""The matrix's rows become follow-up actions as JSON (``POST …/meetings/<id>/matrix/actions``).

The twin of the outcome page's "Buat tindak lanjut" buttons: one row (``mark_id``) or all
of the meeting's accommodated and carried rows, with a due date and, for carried rows, the
agency. Rows already an action are skipped, so repeating the request creates nothing.
Every rule and message is :func:`~meetcoord.planning.outcome.create_actions`'s.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.access import permissions, resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.actions.schemas import ActionSchema
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, Day, Int, problems
from meetcoord.core.forms import current_actor
from meetcoord.meetings.services import get_meeting
from meetcoord.planning import outcome

blp = ApiBlueprint(
    "planning_outcome_api",
    __name__,
    description="Hasil sinkronisasi usulan: baris matriks menjadi tindak lanjut.",
)


class MatrixActionsSchema(ApiSchema):
    due_on = Day(required=True, metadata={"description": "Tenggat tindak lanjut (TTTT-BB-HH)."})
    organization_id = Int(
        validate=validate.Range(min=1, error=_l("Paling kecil 1.")),
        metadata={"description": "Instansi (OPD) untuk usulan yang dibawa ke forum berikutnya."},
    )
    mark_id = Int(
        validate=validate.Range(min=1, error=_l("Paling kecil 1.")),
        metadata={"description": "Satu baris matriks; tanpa ini semua baris rapat."},
    )


class MatrixActionsResultSchema(ApiSchema):
    created = fields.List(fields.Nested(ActionSchema))
    count = fields.Integer()


@blp.route("/meetings/<int:id>/matrix/actions")
class MatrixActions(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Buat tindak lanjut dari matriks",
        description="Setiap baris yang diakomodasi (instansi pada baris) atau dibawa ke forum "
        "berikutnya (`organization_id`) menjadi satu tindak lanjut rapat ini, terhubung "
        "dengan usulannya. Baris yang sudah menjadi tindak lanjut dilewati. Boleh setelah "
        "matriks dikunci: baris matriks tidak berubah.",
    )
    @blp.arguments(MatrixActionsSchema)
    @blp.response(200, MatrixActionsResultSchema)
    @problems(blp, 400, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], id: int) -> dict[str, Any]:
        meeting = permissions.for_request(current_actor(), get_meeting(id, current_actor()))
        created = outcome.create_actions(resolve.current(), meeting, data)
        return {"created": created, "count": len(created)}


blueprints = [blp]
