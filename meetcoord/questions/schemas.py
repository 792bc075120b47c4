"""The question commands' schemas: the socket commands and their REST twins load the same.

Merged into ``live.schemas.SCHEMAS`` (the live room checks every command at its door); kept
here so that the room's module need not know a question's fields. Texts are bounded
(``models.TEXT_MAX``), cleaned of control characters, and every refusal is in the reader's
language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from meetcoord.live.fields import NONCE_MAX, Lenient, Words, ref
from meetcoord.questions.models import ANSWER_MAX, TEXT_MAX

_QUESTION = _l("Pertanyaan tidak ditemukan.")
_YES_NO = _l("Harus ya atau tidak (true/false).")


def _flag(default: bool) -> fields.Boolean:
    return fields.Boolean(
        load_default=default,
        truthy={True, "true", "1", "on"},
        falsy={False, "false", "0", "off"},
        error_messages={"invalid": _YES_NO},
    )


class QuestionCommand(Lenient):
    nonce = Words(
        NONCE_MAX,
        required=True,
        message=_l("Setiap perintah membawa nonce (1–64 karakter)."),
    )


class QuestionAsk(QuestionCommand):
    text = Words(
        TEXT_MAX,
        lines=True,
        required=True,
        message=_l("Tulis pertanyaan Anda (paling banyak 500 karakter)."),
    )
    anonymous = _flag(False)
    agenda_item_id = ref(_l("Mata acara tidak ada dalam rapat ini."), load_default=None)


class QuestionVote(QuestionCommand):
    question_id = ref(_QUESTION, required=True)
    up = _flag(True)


class QuestionModerate(QuestionCommand):
    question_id = ref(_QUESTION, required=True)
    action = Words(
        10,
        required=True,
        validate=validate.OneOf(("approve", "hide", "merge")),
        message=_l("Pilih: setujui, sembunyikan, atau gabungkan."),
    )
    into_id = ref(_l("Pilih pertanyaan tujuan penggabungan."), load_default=None)


class QuestionPick(QuestionCommand):
    question_id = ref(_QUESTION, required=True)


class QuestionAnswer(QuestionCommand):
    question_id = ref(_QUESTION, required=True)
    note = Words(
        ANSWER_MAX,
        lines=True,
        load_default=None,
        allow_none=True,
        message=_l("Catatan jawaban paling banyak 1000 karakter."),
    )


SCHEMAS: dict[str, Schema] = {
    "question.ask": QuestionAsk(),
    "question.vote": QuestionVote(),
    "question.moderate": QuestionModerate(),
    "question.pick": QuestionPick(),
    "question.answer": QuestionAnswer(),
}
