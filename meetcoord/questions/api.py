"""Moderated questions as JSON under ``/api/v1/meetings/<id>/questions`` (staff).

The moderators' read (every question with its asker, anonymous or not, and the pending
ones' text: what the room's events leave out) and the REST twins of the live commands
``question.moderate``, ``question.pick`` and ``question.answer``. As with the matrix's
twins (``planning.matrix_api``), each calls the very service the socket calls, with the
``Idempotency-Key`` header as the command's nonce, and loads its body with the socket's
own schema. The participants' twins (ask, vote) are in ``portal.questions_api``: they act
through a personal link.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.access import permissions, resolve
from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.lists import page_args_schema, page_of
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, Text, page_schema, problems
from meetcoord.core.errors import NotFound, ValidationError
from meetcoord.core.pagination import Page
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from meetcoord.questions import schemas as question_schemas
from meetcoord.questions import services, state
from meetcoord.questions.models import Question, QuestionStatus

blp = ApiBlueprint(
    "questions_api",
    __name__,
    url_prefix="/meetings",
    description="Tanya jawab termoderasi sebuah rapat: daftar moderator, setujui, "
    "gabungkan, sembunyikan, pilih, tandai terjawab.",
)
READ = (401, 403, 404, 422)
WRITE = (401, 403, 404, 409, 422)
KEY_HEADER = "Idempotency-Key"
NO_KEY = _l("Kirim header Idempotency-Key (1–64 karakter) agar pengiriman ulang aman.")


class QuestionOut(ApiSchema):
    id = fields.Integer()
    agenda_item_id = fields.Integer()
    status = fields.String()
    merged_into_id = fields.Integer(allow_none=True)
    text = fields.String()
    anonymous = fields.Boolean()
    asker = fields.String(metadata={"description": "Selalu terisi bagi moderator."})
    organization = fields.String(allow_none=True)
    invitation_id = fields.Integer()
    votes = fields.Integer()
    voters = fields.List(fields.Integer())
    answer_note = fields.String(allow_none=True)
    asked_at = fields.String()
    moderated_by = fields.String(allow_none=True)
    picked_at = fields.String(allow_none=True)
    answered_at = fields.String(allow_none=True)


# A meeting's questions in the order they were asked unless another sort is asked.
QUESTION_SORTS: dict[str, Any] = {
    "asked_at": lambda q: (q.asked_at, q.id),
    "votes": lambda q: q.votes,
    "status": lambda q: q.status.value,
}
QuestionListArgs = page_args_schema(
    "Question",
    list(QUESTION_SORTS),
    "asked_at",
    {"status": Text(load_default=None, validate=validate.OneOf([s.value for s in QuestionStatus]))},
)


class QuestionAckOut(ApiSchema):
    seq = fields.Integer()
    question = fields.Nested(QuestionOut)


ModerateBody = question_schemas.QuestionModerate(exclude=("nonce", "question_id"))
PickBody = question_schemas.QuestionPick(exclude=("nonce", "question_id"))
AnswerBody = question_schemas.QuestionAnswer(exclude=("nonce", "question_id"))


def _meeting(id: int) -> tuple[Meeting, Actor]:
    """The meeting (404 outside the account's reach), for those who run its room."""
    user = resolve.account()
    meeting = db.session.get(Meeting, id)
    if meeting is None:
        raise NotFound(_l("Rapat tidak ditemukan."))
    permissions.visible(user, meeting)
    permissions.require(user, services.MODERATE_PERMISSION, meeting)
    return meeting, resolve.staff(user, meeting)


def _key() -> str:
    key = request.headers.get(KEY_HEADER)
    if not key:
        raise ValidationError(NO_KEY, errors={KEY_HEADER: [NO_KEY]})
    return key


def _row(meeting_id: int, question_id: int) -> dict[str, Any]:
    question = db.session.get(Question, question_id)
    if question is None or question.meeting_id != meeting_id:
        raise NotFound(services.NOT_FOUND)
    db.session.refresh(question)
    return state.moderator_dict(question)


@blp.route("/<int:id>/questions")
class Questions(MethodView):
    @requires(Permission.LIVE_RUN)
    @blp.doc(
        summary="Pertanyaan rapat (moderator)",
        description="Semua pertanyaan, termasuk yang menunggu moderasi, dengan nama "
        "penanya (juga yang anonim bagi peserta lain).",
    )
    @blp.arguments(QuestionListArgs, location="query")
    @blp.response(200, page_schema(QuestionOut))
    @problems(blp, *READ)
    def get(self, args: dict[str, Any], id: int) -> Page[dict[str, Any]]:
        meeting, _actor = _meeting(id)
        statuses = [QuestionStatus(args["status"])] if args.get("status") else None
        found = page_of(state.meeting_questions(meeting.id, statuses), args, QUESTION_SORTS)
        rows = [state.moderator_dict(q) for q in found.items]
        return Page(items=rows, page=found.page, per_page=found.per_page, total=found.total)


def _twin(command: str, summary: str) -> str:
    return f"{summary}. Sama dengan perintah langsung {command}; header {KEY_HEADER} wajib."


@blp.route("/<int:id>/questions/<int:question_id>/moderate")
class Moderate(MethodView):
    @requires(Permission.LIVE_RUN)
    @blp.doc(
        summary="Moderasi pertanyaan",
        description=_twin("question.moderate", "Setujui, sembunyikan, atau gabungkan"),
    )
    @blp.arguments(ModerateBody)
    @blp.response(200, QuestionAckOut)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int, question_id: int) -> dict[str, Any]:
        meeting, actor = _meeting(id)
        body = {**data, "question_id": question_id}
        seq, _none = services.moderate_question(actor, meeting.id, body, _key())
        return {"seq": seq, "question": _row(meeting.id, question_id)}


@blp.route("/<int:id>/questions/<int:question_id>/pick")
class Pick(MethodView):
    @requires(Permission.LIVE_RUN)
    @blp.doc(
        summary="Pilih pertanyaan untuk dijawab",
        description=_twin("question.pick", "Satu per rapat"),
    )
    @blp.arguments(PickBody)
    @blp.response(200, QuestionAckOut)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int, question_id: int) -> dict[str, Any]:
        meeting, actor = _meeting(id)
        seq, _none = services.pick_question(
            actor, meeting.id, {**data, "question_id": question_id}, _key()
        )
        return {"seq": seq, "question": _row(meeting.id, question_id)}


@blp.route("/<int:id>/questions/<int:question_id>/answer")
class Answer(MethodView):
    @requires(Permission.LIVE_RUN)
    @blp.doc(
        summary="Tandai pertanyaan terjawab",
        description=_twin("question.answer", "Dengan catatan jawaban singkat (opsional)"),
    )
    @blp.arguments(AnswerBody)
    @blp.response(200, QuestionAckOut)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int, question_id: int) -> dict[str, Any]:
        meeting, actor = _meeting(id)
        seq, _none = services.answer_question(
            actor, meeting.id, {**data, "question_id": question_id}, _key()
        )
        return {"seq": seq, "question": _row(meeting.id, question_id)}


blueprints = [blp]
