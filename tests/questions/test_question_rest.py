"""The REST twins of the question commands: the personal link's (ask, vote, its list) and
the moderators' (list with askers, moderate, pick, answer), with the Idempotency-Key as
the command's nonce; and the pages (questions page, projector, phone link)."""

from __future__ import annotations

import json

from meetcoord.extensions import db
from meetcoord.meetings import links
from meetcoord.questions.models import Question, QuestionStatus
from tests.helpers import count, static_names
from tests.live_support import command, connect, events
from tests.questions.support import question_events, running


def _ask(client, invitation, key, **body):
    return client.post(
        f"/api/v1/i/{links.personal_token(invitation)}/questions",
        json=body,
        headers={"Idempotency-Key": key},
    )


def test_a_participant_asks_and_votes_over_rest_and_a_repeated_key_replays(app, client):
    rakor, chair = running(app)
    first = _ask(client, rakor.participant, "ask-1", text="Lewat REST?", anonymous=True)
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    qid = body["question"]["id"]
    assert body["question"]["status"] == "pending"
    assert body["question"]["asker"] == rakor.participant.person.name  # the asker's own
    again = _ask(client, rakor.participant, "ask-1", text="Lewat REST?", anonymous=True)
    assert again.status_code == 201
    assert again.get_json()["seq"] == body["seq"]
    assert again.get_json()["question"]["id"] == qid
    assert count(Question) == 1
    no_key = client.post(
        f"/api/v1/i/{links.personal_token(rakor.participant)}/questions", json={"text": "x"}
    )
    assert no_key.status_code == 422
    too_long = _ask(client, rakor.participant, "ask-2", text="y" * 501)
    assert too_long.status_code == 422
    assert too_long.headers["Content-Type"].startswith("application/problem+json")

    # Another participant's list has neither the pending text nor, later, the name.
    other = links.personal_token(rakor.participants[1])
    listed = client.get(f"/api/v1/i/{other}/questions").get_json()
    assert (listed["items"], listed["total"], listed["pages"]) == ([], 0, 1)
    assert command(chair, "question.moderate", question_id=qid, action="approve")["ok"]
    [shown] = client.get(f"/api/v1/i/{other}/questions").get_json()["items"]
    assert shown["text"] == "Lewat REST?"
    assert shown["asker"] is None
    assert rakor.participant.person.name not in json.dumps(shown)

    vote = client.post(
        f"/api/v1/i/{other}/questions/{qid}/vote", json={}, headers={"Idempotency-Key": "v-1"}
    )
    assert vote.status_code == 200, vote.get_json()
    assert vote.get_json()["question"]["votes"] == 1
    replay = client.post(
        f"/api/v1/i/{other}/questions/{qid}/vote", json={}, headers={"Idempotency-Key": "v-1"}
    )
    assert replay.get_json()["seq"] == vote.get_json()["seq"]
    assert replay.get_json()["question"]["votes"] == 1

    # The chair's list (a moderator's) names the anonymous asker.
    chair_list = client.get(f"/api/v1/i/{links.personal_token(rakor.chair)}/questions")
    assert chair_list.get_json()["items"][0]["asker"] == rakor.participant.person.name
    mine = f"/api/v1/i/{links.personal_token(rakor.participant)}/questions"
    # The asker's own pending question is on their page; one per page, sorted by votes.
    paged = client.get(f"{mine}?per_page=1&sort=votes&order=desc").get_json()
    assert ([q["id"] for q in paged["items"]], paged["per_page"]) == ([qid], 1)
    assert client.get(f"{mine}?sort=asker").status_code == 422
    assert client.get(f"{mine}?status=approved").status_code == 400


def test_the_moderators_twins_and_their_list(app, client, api_token):
    rakor, chair = running(app)
    qid = command(connect(app, rakor.participant), "question.ask", text="Untuk moderator?")["id"]
    _user, headers = api_token()
    listed = client.get(
        f"/api/v1/meetings/{rakor.meeting.id}/questions?status=pending", headers=headers
    )
    assert listed.status_code == 200, listed.get_json()
    assert [q["text"] for q in listed.get_json()["items"]] == ["Untuk moderator?"]
    assert listed.get_json()["total"] == 1
    unsorted = f"/api/v1/meetings/{rakor.meeting.id}/questions?sort=asker"
    assert client.get(unsorted, headers=headers).status_code == 422
    base = f"/api/v1/meetings/{rakor.meeting.id}/questions/{qid}"
    keyed = {**headers, "Idempotency-Key": "m-1"}
    events(chair)
    ok = client.post(f"{base}/moderate", json={"action": "approve"}, headers=keyed)
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["question"]["status"] == "approved"
    again = client.post(f"{base}/moderate", json={"action": "approve"}, headers=keyed)
    assert again.get_json()["seq"] == ok.get_json()["seq"]
    assert [e["type"] for e in question_events(chair)] == ["question.moderated"]
    bad = client.post(
        f"{base}/moderate", json={"action": "delete"}, headers={**headers, "Idempotency-Key": "m-2"}
    )
    assert bad.status_code == 422
    picked = client.post(f"{base}/pick", json={}, headers={**headers, "Idempotency-Key": "p-1"})
    assert picked.get_json()["question"]["status"] == "picked"
    done = client.post(
        f"{base}/answer", json={"note": "Sudah."}, headers={**headers, "Idempotency-Key": "a-1"}
    )
    assert done.status_code == 200
    assert done.get_json()["question"]["answer_note"] == "Sudah."
    assert db.session.get(Question, qid).status is QuestionStatus.ANSWERED
    _viewer_user, viewer = api_token("viewer")
    refused = client.post(f"{base}/pick", json={}, headers={**viewer, "Idempotency-Key": "p-2"})
    assert refused.status_code in (403, 404)


def test_the_pages(app, client, auth):
    rakor, _chair = running(app)
    token = links.personal_token(rakor.participant)
    phone = client.get(f"/i/{token}/live").get_data(as_text=True)
    assert f"/i/{token}/questions" in phone
    page = client.get(f"/i/{token}/questions").get_data(as_text=True)
    assert 'data-moderate="0"' in page
    assert 'id="qa-ask"' in page
    assert "js/live-questions.js" in static_names(page)
    chair_page = client.get(f"/i/{links.personal_token(rakor.chair)}/questions").get_data(
        as_text=True
    )
    assert 'data-moderate="1"' in chair_page
    chair_console = client.get(f"/i/{links.personal_token(rakor.chair)}/console")
    assert f"/i/{links.personal_token(rakor.chair)}/questions" in chair_console.get_data(
        as_text=True
    )
    auth.login(user=rakor.staff)
    console = client.get(f"/meetings/{rakor.meeting.id}/live").get_data(as_text=True)
    assert f"/meetings/{rakor.meeting.id}/questions" in console
    staff_page = client.get(f"/meetings/{rakor.meeting.id}/questions")
    assert staff_page.status_code == 200
    assert 'id="qa-ask"' not in staff_page.get_data(as_text=True)
    projector = client.get(f"/projector/{rakor.site.code}").get_data(as_text=True)
    assert 'id="qa-screen"' in projector
    assert "js/live-questions.js" in static_names(projector)
