"""Moderated questions through a personal link (issue 15): the page and the JSON twins.

The page is ``questions.views``' (asking and supporting; the chair moderates too). The API
part is the participants' door to the live commands ``question.ask`` and
``question.vote`` (the moderators' twins are in ``questions.api``): the same services
through ``live.log.run``, the ``Idempotency-Key`` header as the nonce, the socket's
schemas for the body. The list answers what this holder may read: every question with its
asker for the chair, else the approved ones as the room sees them plus the holder's own.
"""

from __future__ import annotations

import json
from typing import Any

from flask import make_response, request, url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields
from sqlalchemy import select

from meetcoord.access import permissions
from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.lists import page_args_schema, page_of
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, page_schema, problems
from meetcoord.core.errors import NotFound, ValidationError
from meetcoord.core.pagination import Page
from meetcoord.extensions import db
from meetcoord.live.models import MeetingEvent
from meetcoord.live.views import live_meeting
from meetcoord.meetings import links
from meetcoord.portal.links import guard, holder, remember
from meetcoord.questions import schemas as question_schemas
from meetcoord.questions import services, state
from meetcoord.questions.api import KEY_HEADER, NO_KEY, QUESTION_SORTS
from meetcoord.questions.models import VISIBLE, Question
from meetcoord.questions.views import render_room

PUBLIC: list[dict[str, list[str]]] = [{}]
READ = (404, 429)
WRITE = (403, 404, 409, 422, 429)

blp = guard(
    ApiBlueprint(
        "portal_questions_api",
        __name__,
        description="Tanya jawab lewat tautan pribadi: ajukan dan dukung pertanyaan.",
    )
)


def _actor(token: str) -> Actor:
    invitation = holder(token)
    meeting = live_meeting(invitation.meeting)
    return Actor(invitation=invitation, meeting=meeting)


def _moderates(actor: Actor) -> bool:
    return permissions.allowed(actor, services.MODERATE_PERMISSION, actor.meeting)


def holder_list(actor: Actor, args: dict[str, Any]) -> Page[dict[str, Any]]:
    """What this holder may read, one page: all (chair) or the room's view plus their own."""
    questions = state.meeting_questions(actor.meeting.id)
    me = actor.invitation.id
    everything = _moderates(actor)
    found = page_of(
        [q for q in questions if everything or q.invitation_id == me or q.status in VISIBLE],
        args,
        QUESTION_SORTS,
    )
    rows = [
        state.moderator_dict(q) if everything or q.invitation_id == me else state.public_dict(q)
        for q in found.items
    ]
    return Page(items=rows, page=found.page, per_page=found.per_page, total=found.total)


# --- the page ------------------------------------------------------------------------------


def questions_page(token: str) -> Any:
    """``/i/<token>/questions``: ask and support; the chair moderates too."""
    actor = _actor(token)
    response = make_response(
        render_room(
            actor.meeting,
            actor.invitation,
            auth={"meeting": actor.meeting.id, "token": links.personal_token(actor.invitation)},
            list_url=url_for("portal_questions_api.HolderQuestions", token=token),
            moderate=_moderates(actor),
            back=url_for("portal.phone", token=token),
        )
    )
    remember(request, response, token)
    return response


# --- the API -------------------------------------------------------------------------------


class HolderQuestionOut(ApiSchema):
    id = fields.Integer()
    agenda_item_id = fields.Integer()
    status = fields.String()
    merged_into_id = fields.Integer(allow_none=True)
    text = fields.String()
    anonymous = fields.Boolean()
    asker = fields.String(allow_none=True, metadata={"description": "Kosong bila anonim."})
    organization = fields.String(allow_none=True)
    invitation_id = fields.Integer(metadata={"description": "Hanya pada pertanyaan sendiri."})
    votes = fields.Integer()
    voters = fields.List(fields.Integer())
    answer_note = fields.String(allow_none=True)
    picked_at = fields.String(allow_none=True)
    answered_at = fields.String(allow_none=True)


# In the order they were asked unless another sort is asked (the moderators' sorts).
HolderQuestionListArgs = page_args_schema("HolderQuestion", list(QUESTION_SORTS), "asked_at")


class HolderQuestionAckOut(ApiSchema):
    seq = fields.Integer()
    question = fields.Nested(HolderQuestionOut)


AskBody = question_schemas.QuestionAsk(exclude=("nonce",))
VoteBody = question_schemas.QuestionVote(exclude=("nonce", "question_id"))


def _key() -> str:
    key = request.headers.get(KEY_HEADER)
    if not key:
        raise ValidationError(NO_KEY, errors={KEY_HEADER: [NO_KEY]})
    return key


def _shown(actor: Actor, question_id: int | None) -> dict[str, Any]:
    question = db.session.get(Question, question_id) if question_id else None
    if question is None or question.meeting_id != actor.meeting.id:
        raise NotFound(_l("Pertanyaan tidak ditemukan."))
    db.session.refresh(question)
    own = question.invitation_id == actor.invitation.id
    return (
        state.moderator_dict(question) if own or _moderates(actor) else state.public_dict(question)
    )


@blp.route("/i/<token>/questions")
@requires(Permission.LINK)
class HolderQuestions(MethodView):
    @blp.doc(
        summary="Pertanyaan rapat (tautan pribadi)",
        description="Per halaman; bawaan urut waktu diajukan.",
        security=PUBLIC,
    )
    @blp.arguments(HolderQuestionListArgs, location="query")
    @blp.response(200, page_schema(HolderQuestionOut))
    @problems(blp, *READ, 422)
    def get(self, args: dict[str, Any], token: str) -> Page[dict[str, Any]]:
        return holder_list(_actor(token), args)

    @blp.doc(
        summary="Ajukan pertanyaan",
        description="Sama dengan perintah langsung question.ask; header "
        f"{KEY_HEADER} wajib dan berlaku sebagai nonce perintah.",
        security=PUBLIC,
    )
    @blp.arguments(AskBody)
    @blp.response(201, HolderQuestionAckOut)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], token: str) -> dict[str, Any]:
        actor = _actor(token)
        key = _key()
        seq, question_id = services.ask_question(actor, actor.meeting.id, data, key)
        if question_id is None:  # a replay: the question this key asked, from its event
            logged = db.session.scalar(
                select(MeetingEvent.data).where(
                    MeetingEvent.meeting_id == actor.meeting.id, MeetingEvent.nonce == key
                )
            )
            question_id = json.loads(logged)["questions"][0]["id"] if logged else None
        return {"seq": seq, "question": _shown(actor, question_id)}


@blp.route("/i/<token>/questions/<int:question_id>/vote")
@requires(Permission.LINK)
class HolderVote(MethodView):
    @blp.doc(
        summary="Dukung pertanyaan (atau batalkan: up=false)",
        description="Sama dengan perintah langsung question.vote; header "
        f"{KEY_HEADER} wajib dan berlaku sebagai nonce perintah.",
        security=PUBLIC,
    )
    @blp.arguments(VoteBody)
    @blp.response(200, HolderQuestionAckOut)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], token: str, question_id: int) -> dict[str, Any]:
        actor = _actor(token)
        body = {**data, "question_id": question_id}
        seq, _none = services.vote_question(actor, actor.meeting.id, body, _key())
        return {"seq": seq, "question": _shown(actor, question_id)}
