"""Moderated questions through the live room (issue 15, point 4): each command, who may
send it, what the room sees, votes, merging, the rate limit and nonce replay."""

from __future__ import annotations

import json

import pytest

from meetcoord.extensions import db
from meetcoord.live.models import MeetingEvent
from meetcoord.questions.models import Question, QuestionStatus, QuestionVote
from tests.helpers import count
from tests.live_support import command, connect, events
from tests.questions.support import question_events, running


@pytest.fixture
def room(app):
    return running(app)


def ask(client, text="Bagaimana replikasi di daerah lain?", **extra):
    ack = command(client, "question.ask", text=text, **extra)
    assert ack["ok"], ack
    return ack["id"]


def test_a_question_is_asked_on_the_current_item_and_the_room_sees_no_text(app, room):
    rakor, _chair = room
    asker = connect(app, rakor.participant)
    other = connect(app, rakor.participants[1])
    events(other)
    qid = ask(asker, "Berapa biaya program ini?")
    question = db.session.get(Question, qid)
    assert question.agenda_item_id == rakor.items[0].id
    assert question.status is QuestionStatus.PENDING
    [seen] = question_events(other)
    assert seen["type"] == "question.asked"
    assert seen["data"]["questions"] == [
        {
            "id": qid,
            "agenda_item_id": rakor.items[0].id,
            "status": "pending",
            "merged_into_id": None,
        }
    ]
    assert "Berapa biaya" not in json.dumps(seen)
    # and the snapshot of a late phone has no pending question either
    late = connect(app, rakor.participants[2])
    [snap] = events(late, "snapshot")
    assert snap["questions"] == []


def test_an_anonymous_askers_name_never_reaches_another_participant(app, room):
    rakor, chair = room
    asker = connect(app, rakor.participant)
    other = connect(app, rakor.participants[1])
    events(other)
    name = rakor.participant.person.name
    qid = ask(asker, "Apakah dana desa bisa dipakai?", anonymous=True)
    assert command(chair, "question.moderate", question_id=qid, action="approve")["ok"]
    assert command(chair, "question.pick", question_id=qid)["ok"]
    assert command(chair, "question.answer", question_id=qid, note="Bisa.")["ok"]
    seen = question_events(other)
    assert [e["type"] for e in seen] == [
        "question.asked",
        "question.moderated",
        "question.picked",
        "question.answered",
    ]
    assert name not in json.dumps(seen)
    assert seen[0]["actor"] == "Anonim"
    approved = seen[1]["data"]["questions"][0]
    assert approved["text"] == "Apakah dana desa bisa dipakai?"
    assert approved["asker"] is None
    assert approved["anonymous"] is True
    # the log replayed to a late client, and its snapshot, keep the name out too
    late = connect(app, rakor.participants[2], last_seq=0)
    assert name not in json.dumps(events(late)) + json.dumps(events(late, "snapshot"))
    stored = db.session.scalars(
        db.select(MeetingEvent.actor).where(MeetingEvent.type == "question.asked")
    ).all()
    assert stored == ["Anonim"]


def test_a_named_question_shows_its_asker_once_approved(app, room):
    rakor, chair = room
    asker = connect(app, rakor.participant)
    qid = ask(asker)
    events(chair)
    assert command(chair, "question.moderate", question_id=qid, action="approve")["ok"]
    [event] = question_events(chair)
    assert event["data"]["questions"][0]["asker"] == rakor.participant.person.name


def test_only_moderators_approve_pick_and_answer(app, room):
    rakor, _chair = room
    asker = connect(app, rakor.participant)
    qid = ask(asker)
    for name, extra in [
        ("question.moderate", {"action": "approve"}),
        ("question.pick", {}),
        ("question.answer", {}),
    ]:
        refused = command(asker, name, question_id=qid, **extra)
        assert refused["ok"] is False, refused
        assert refused["error"]["code"] == "forbidden", refused
    coordinator = connect(app, rakor.coordinator)
    refused = command(coordinator, "question.moderate", question_id=qid, action="hide")
    assert refused["error"]["code"] == "forbidden"
    assert db.session.get(Question, qid).status is QuestionStatus.PENDING


def test_votes_are_one_per_participant_and_can_be_withdrawn(app, room):
    rakor, chair = room
    asker = connect(app, rakor.participant)
    voter = connect(app, rakor.participants[1])
    qid = ask(asker)
    pending = command(voter, "question.vote", question_id=qid)
    assert pending["ok"] is False  # not yet approved: nothing to vote on
    assert command(chair, "question.moderate", question_id=qid, action="approve")["ok"]
    assert command(voter, "question.vote", question_id=qid)["ok"]
    twice = command(voter, "question.vote", question_id=qid)
    assert twice["ok"] is False
    assert twice["error"]["message"] == "Anda sudah mendukung pertanyaan ini."
    own = command(asker, "question.vote", question_id=qid)
    assert own["ok"] is False
    assert db.session.get(Question, qid).votes == 1
    assert count(QuestionVote, QuestionVote.question_id == qid) == 1
    events(chair)
    assert command(voter, "question.vote", question_id=qid, up=False)["ok"]
    [event] = question_events(chair)
    assert event["data"]["questions"][0]["votes"] == 0
    again = command(voter, "question.vote", question_id=qid, up=False)
    assert again["ok"] is False


def test_a_merge_sums_the_votes_and_hides_the_merged_question(app, room):
    rakor, chair = room
    a, b = connect(app, rakor.participant), connect(app, rakor.participants[1])
    c, d = connect(app, rakor.participants[2]), connect(app, rakor.ambon_participant)
    first, second = ask(a, "Soal anggaran?"), ask(b, "Anggaran dari mana?")
    for qid in (first, second):
        assert command(chair, "question.moderate", question_id=qid, action="approve")["ok"]
    assert command(c, "question.vote", question_id=first)["ok"]
    assert command(d, "question.vote", question_id=second)["ok"]
    assert command(b, "question.vote", question_id=first)["ok"]
    events(chair)
    ack = command(chair, "question.moderate", question_id=second, action="merge", into_id=first)
    assert ack["ok"], ack
    [event] = question_events(chair)
    merged, into = event["data"]["questions"]
    assert merged == {
        "id": second,
        "agenda_item_id": rakor.items[0].id,
        "status": "merged",
        "merged_into_id": first,
    }
    assert into["id"] == first
    assert into["votes"] == 3
    assert db.session.get(Question, first).votes == 3
    refused = command(chair, "question.moderate", question_id=first, action="merge", into_id=first)
    assert refused["ok"] is False


def test_one_question_is_picked_at_a_time(app, room):
    rakor, chair = room
    a, b = connect(app, rakor.participant), connect(app, rakor.participants[1])
    first, second = ask(a), ask(b, "Pertanyaan kedua?")
    for qid in (first, second):
        command(chair, "question.moderate", question_id=qid, action="approve")
    assert command(chair, "question.pick", question_id=first)["ok"]
    assert command(chair, "question.pick", question_id=second)["ok"]
    assert db.session.get(Question, first).status is QuestionStatus.APPROVED
    assert db.session.get(Question, second).status is QuestionStatus.PICKED
    hidden = ask(a, "Akan disembunyikan")
    assert command(chair, "question.moderate", question_id=hidden, action="hide")["ok"]
    assert command(chair, "question.pick", question_id=hidden)["ok"] is False


def test_a_question_is_bounded_and_checked_before_anything_is_stored(app, room):
    rakor, _chair = room
    asker = connect(app, rakor.participant)
    before = count(Question)
    long = command(asker, "question.ask", text="x" * 501)
    assert long["error"]["code"] == "validation_error"
    assert "500" in long["error"]["message"]
    blank = command(asker, "question.ask", text="   ")
    assert blank["ok"] is False
    other = command(asker, "question.ask", text="Soal?", agenda_item_id=10**6)
    assert other["error"]["message"] == "Mata acara tidak ada dalam rapat ini."
    assert count(Question) == before


def test_a_question_can_name_another_item(app, room):
    rakor, _chair = room
    asker = connect(app, rakor.participant)
    qid = ask(asker, agenda_item_id=rakor.items[1].id)
    assert db.session.get(Question, qid).agenda_item_id == rakor.items[1].id


def test_asking_is_rate_limited_per_participant(app, room):
    rakor, _chair = room
    asker = connect(app, rakor.participant)
    from limits import parse_many

    allowed = parse_many(app.config["QUESTIONS_RATE_LIMIT"])[0].amount
    for n in range(allowed):
        ask(asker, f"Pertanyaan {n}?")
    over = command(asker, "question.ask", text="Satu lagi?")
    assert over["ok"] is False
    assert over["error"]["code"] == "rate_limited"
    assert "tunggu sebentar" in over["error"]["message"]
    # another participant still has their own budget
    ask(connect(app, rakor.participants[1]), "Saya juga?")


def test_a_replayed_nonce_answers_the_same_ack_and_stores_nothing(app, room):
    rakor, _chair = room
    asker = connect(app, rakor.participant)
    first = command(asker, "question.ask", text="Sekali saja?", nonce="q-1")
    before = count(Question)
    again = command(asker, "question.ask", text="Sekali saja?", nonce="q-1")
    assert again["ok"]
    assert again["seq"] == first["seq"]
    assert count(Question) == before
    stranger = connect(app, rakor.participants[1])
    clash = command(stranger, "question.ask", text="Sekali saja?", nonce="q-1")
    assert clash["ok"] is False
    assert clash["error"]["code"] == "conflict"


def test_staff_cannot_ask_but_may_moderate(app, room):
    from tests.live_support import account_client

    rakor, _chair = room
    staff = account_client(app, rakor.meeting.id)
    refused = command(staff, "question.ask", text="Dari sekretariat?")
    assert refused["ok"] is False
    assert refused["error"]["code"] == "forbidden"
    qid = ask(connect(app, rakor.participant))
    assert command(staff, "question.moderate", question_id=qid, action="hide")["ok"]
