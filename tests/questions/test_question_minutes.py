"""Answered questions reach the minutes (per agenda item, in the PDF) and the event
report's query; pending, hidden and merged ones do not."""

from __future__ import annotations

import io
from datetime import UTC

import pypdf
from flask_babel import force_locale

from meetcoord.documents.pdf.compose import MinutesData, compose_minutes
from meetcoord.documents.pdf.render import render_minutes
from meetcoord.documents.snapshot import from_json, to_json
from meetcoord.documents.sources import minutes_data
from meetcoord.questions.queries import answered_for_meeting
from tests import factories
from tests.live_support import command, connect
from tests.questions.support import running


def _ask(client, text, **extra):
    ack = command(client, "question.ask", text=text, **extra)
    assert ack["ok"], ack
    return ack["id"]


def _scene(app):
    rakor, chair = running(app)
    org = factories.organization(name="Bappeda Temanggung")
    rakor.participant.person.organization_id = org.id
    named = _ask(connect(app, rakor.participant), "Bagaimana replikasi di Poso?")
    anonymous = _ask(
        connect(app, rakor.participants[1]),
        "Berapa anggaran awalnya?",
        anonymous=True,
        agenda_item_id=rakor.items[1].id,
    )
    _ask(connect(app, rakor.participants[2]), "Belum dimoderasi")
    for qid in (named, anonymous):
        assert command(chair, "question.moderate", question_id=qid, action="approve")["ok"]
    assert command(connect(app, rakor.ambon_participant), "question.vote", question_id=named)["ok"]
    assert command(chair, "question.pick", question_id=named)["ok"]
    assert command(chair, "question.answer", question_id=named, note="Lewat forum desa.")["ok"]
    assert command(chair, "question.answer", question_id=anonymous)["ok"]
    return rakor


def test_the_event_reports_query_lists_answered_questions_with_neutral_labels(app):
    rakor = _scene(app)
    with force_locale("en"):
        rows = answered_for_meeting(rakor.meeting.id)
    assert [r["text"] for r in rows] == ["Bagaimana replikasi di Poso?", "Berapa anggaran awalnya?"]
    first, second = rows
    assert first["asker"] == f"{rakor.participant.person.name} (Bappeda Temanggung)"
    assert first["votes"] == 1
    assert first["answer_note"] == "Lewat forum desa."
    assert first["item_title"] == "Paparan praktik baik"
    assert first["answered_at"].tzinfo is not None
    assert first["answered_at"].utcoffset() == UTC.utcoffset(None)
    assert second["asker"] == "Anonymous"
    assert second["agenda_item_id"] == rakor.items[1].id
    assert second["item_position"] > first["item_position"]
    with force_locale("id"):
        assert answered_for_meeting(rakor.meeting.id)[1]["asker"] == "Anonim"


def test_the_minutes_list_the_answered_questions_under_their_item(app):
    rakor = _scene(app)
    data = minutes_data(rakor.meeting, institution="Bappeda", address="Temanggung")
    data = from_json(MinutesData, to_json(data))  # as stored in the document
    first, second = data.agenda
    assert [(q.text, q.votes, q.answer) for q in first.questions] == [
        ("Bagaimana replikasi di Poso?", 1, "Lewat forum desa.")
    ]
    assert [q.asker for q in second.questions] == ["Anonim"]
    pdf = render_minutes(compose_minutes(data), verify_url="https://x.example/v/1").pdf
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Tanya jawab" in text
    assert "Bagaimana replikasi di Poso?" in text
    assert "Jawaban: Lewat forum desa." in text
    assert "Belum dimoderasi" not in text
    assert rakor.participants[1].person.name not in text.split("Daftar hadir")[0]
