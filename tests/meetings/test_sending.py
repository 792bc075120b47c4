"""Sending invitations as its own step (issue 17): a job answered at once, run by the
worker in batches, resumable, mailing each invitee exactly once; and the lists' filters,
pages, draft deletion and rows with their own role and site.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from sqlalchemy import func, select

from meetcoord.accounts.services import create_token
from meetcoord.core.outbox import OutboxMessage
from meetcoord.core.worker import run_worker
from meetcoord.directory.models import Person, Venue
from meetcoord.extensions import db
from meetcoord.jobs import runner
from meetcoord.jobs.models import Job
from meetcoord.meetings import sending
from meetcoord.meetings.models import Invitation, Meeting
from tests import factories
from tests.meetings.test_api_meetings import API, new_meeting, ok, problem


def _people(n: int) -> list[int]:
    people = [
        Person(name=f"Peserta {i:04d}", email=f"p{i:04d}@example.go.id", category="government")
        for i in range(n)
    ]
    db.session.add_all(people)
    db.session.commit()
    return [person.id for person in people]


def _invitation_mails() -> Counter[str]:
    rows = db.session.scalars(
        select(OutboxMessage.recipient).where(OutboxMessage.kind == "invitation")
    )
    return Counter(rows)


def test_thousand_invitees_send_answers_at_once_and_completes(
    app: Any, client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    url = f"{API}/meetings/{meeting['id']}"
    ids = _people(1000)
    ok(client.post(f"{url}/invitations", json={"person_ids": ids}, headers=editor), 201)
    scheduled = ok(client.post(f"{url}/schedule", json={"send": False}, headers=editor))
    assert scheduled["status"] == "scheduled"
    assert _invitation_mails() == Counter()  # scheduled, nobody mailed

    started = time.perf_counter()
    response = client.post(f"{url}/invitations/send", headers=editor)
    elapsed = time.perf_counter() - started
    assert response.status_code == 202, response.get_data(as_text=True)
    assert elapsed < 1.0, elapsed
    job = response.get_json()
    assert response.headers["Location"] == f"{API}/jobs/{job['id']}"
    assert (job["status"], job["total"], job["done"]) == ("queued", 1000, 0)

    runner.run_due(300)  # one partial pass: progress shows mid-way
    mid = ok(client.get(response.headers["Location"], headers=editor))
    assert (mid["status"], mid["done"], mid["failed"]) == ("running", 300, 0)
    assert sum(_invitation_mails().values()) == 300

    for _ in range(40):
        run_worker(app, once=True, sleep=lambda seconds: None)
        if ok(client.get(response.headers["Location"], headers=editor))["status"] == "done":
            break
    done = ok(client.get(response.headers["Location"], headers=editor))
    assert (done["status"], done["done"], done["failed"]) == ("done", 1000, 0)
    assert done["finished_at"] is not None
    mails = _invitation_mails()
    assert len(mails) == 1000
    assert set(mails.values()) == {1}  # each invitee exactly once

    again = client.post(f"{url}/invitations/send", headers=editor)  # nothing left to send
    assert again.status_code == 202
    assert again.get_json()["total"] == 0
    runner.run_due(50)
    assert sum(_invitation_mails().values()) == 1000


def test_a_job_resumed_after_a_crash_mails_nobody_twice(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    url = f"{API}/meetings/{meeting['id']}"
    ids = _people(12)
    ok(client.post(f"{url}/invitations", json={"person_ids": ids}, headers=editor), 201)
    ok(client.post(f"{url}/schedule", json={"send": False}, headers=editor))
    job_id = ok(client.post(f"{url}/invitations/send", headers=editor), 202)["id"]
    # A worker mailed five and committed, then "died" before moving the job's cursor:
    # simulate it by marking five sent behind the job's back.
    first = list(db.session.scalars(select(Invitation).order_by(Invitation.id).limit(5)))
    sending.mailing.queue_invitations(first)
    db.session.commit()
    runner.run_due(50)
    job = db.session.get(Job, job_id)
    assert (job.status.value, job.done, job.position) == ("done", 12, 12)
    assert set(_invitation_mails().values()) == {1}
    assert len(_invitation_mails()) == 12


def test_schedule_with_many_invitees_answers_202_with_a_job(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    url = f"{API}/meetings/{meeting['id']}"
    ids = _people(sending.INLINE_MAX + 1)
    ok(client.post(f"{url}/invitations", json={"person_ids": ids}, headers=editor), 201)
    response = client.post(f"{url}/schedule", headers=editor)
    assert response.status_code == 202
    assert response.headers["Location"].startswith(f"{API}/jobs/")
    assert db.session.get(Meeting, meeting["id"]).status.value == "scheduled"
    runner.run_due(100)
    assert len(_invitation_mails()) == sending.INLINE_MAX + 1


def test_jobs_are_scoped_to_the_institution(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    url = f"{API}/meetings/{meeting['id']}"
    ok(client.post(f"{url}/schedule", json={"send": False}, headers=editor))
    job_id = ok(client.post(f"{url}/invitations/send", headers=editor), 202)["id"]
    other = factories.institution(name="Bappeda Lain")
    outsider = factories.user("secretariat", institution=other)
    _token, secret = create_token(None, outsider, "test")
    headers = {"Authorization": f"Bearer {secret}"}
    problem(client.get(f"{API}/jobs/{job_id}", headers=headers), 404)
    problem(client.get(f"{API}/jobs/999999", headers=editor), 404)


def test_send_to_one_person_again_is_rate_limited(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    url = f"{API}/meetings/{meeting['id']}"
    ids = _people(2)
    ok(client.post(f"{url}/invitations", json={"person_ids": ids}, headers=editor), 201)
    inv = ok(client.get(f"{url}/invitations", headers=editor))["items"][0]
    problem(client.post(f"{url}/invitations/{inv['id']}/send", headers=editor), 409)  # draft
    ok(client.post(f"{url}/schedule", headers=editor))
    assert len(_invitation_mails()) == 2
    for _ in range(sending.RESEND_PER_HOUR):
        body = ok(client.post(f"{url}/invitations/{inv['id']}/send", headers=editor), 202)
        assert body["sent_at"] is not None
    problem(client.post(f"{url}/invitations/{inv['id']}/send", headers=editor), 429)
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.ref_id == inv["id"])).all()
    assert len(mails) == 1 + sending.RESEND_PER_HOUR


def test_only_a_draft_can_be_deleted(
    client: Any, editor: dict[str, str], meeting: dict[str, Any], venues: dict[str, Venue]
) -> None:
    url = f"{API}/meetings/{meeting['id']}"
    ok(client.post(f"{url}/invitations", json={"person_ids": _people(3)}, headers=editor), 201)
    assert client.delete(url, headers=editor).status_code == 204
    assert db.session.get(Meeting, meeting["id"]) is None
    assert db.session.scalar(select(Invitation.id).limit(1)) is None
    for end in ("schedule", "cancel"):
        other = ok(new_meeting(client, editor, venues["WIB"]), 201)
        other_url = f"{API}/meetings/{other['id']}"
        ok(client.post(f"{other_url}/{end}", headers=editor))
        problem(client.delete(other_url, headers=editor), 409)
        assert ok(client.get(other_url, headers=editor))["id"] == other["id"]


def test_meeting_filters_and_sorting(
    client: Any, editor: dict[str, str], venues: dict[str, Venue]
) -> None:
    a = ok(new_meeting(client, editor, venues["WIB"], title="Alfa", kind="coordination"), 201)
    b = ok(
        new_meeting(
            client,
            editor,
            venues["WIB"],
            title="Beta",
            start_at="2030-04-01T09:00",
            end_at="2030-04-01T10:00",
        ),
        201,
    )
    ok(client.post(f"{API}/meetings/{b['id']}/schedule", json={"send": False}, headers=editor))

    def ids(query: str) -> list[int]:
        body = ok(client.get(f"{API}/meetings?{query}", headers=editor))
        return [m["id"] for m in body["items"]]

    assert ids("kind=coordination") == [a["id"]]
    assert ids("status=scheduled") == [b["id"]]
    assert ids("status=scheduled&status=draft") == [a["id"], b["id"]]
    assert ids("starts_after=2030-03-20") == [b["id"]]
    assert ids("starts_before=2030-03-16T00:00:00%2B07:00") == [a["id"]]
    assert ids("starts_after=2030-03-15&starts_before=2030-03-16") == [a["id"]]
    assert ids("sort=title&order=desc") == [b["id"], a["id"]]
    institution = a["institution_id"]
    assert ids(f"institution_id={institution}") == [a["id"], b["id"]]
    assert ids(f"institution_id={institution + 999}") == []
    problem(client.get(f"{API}/meetings?status=nope", headers=editor), 422)
    problem(client.get(f"{API}/meetings?starts_after=kemarin", headers=editor), 422)
    problem(client.get(f"{API}/meetings?sort=uid", headers=editor), 422)


def test_invitations_page_filter_and_rows(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    url = f"{API}/meetings/{meeting['id']}/invitations"
    wib = next(s["id"] for s in meeting["sites"] if s["zone_label"] == "WIB")
    ids = _people(30)
    rows = [
        {"person_id": ids[0], "role": "chair", "site_id": wib},
        {"person_id": ids[1], "role": "minute_taker", "site_id": None},
    ]
    result = ok(client.post(url, json={"rows": rows}, headers=editor), 201)
    assert [(r["person_id"], r["status"]) for r in result["rows"]] == [
        (ids[0], "created"),
        (ids[1], "created"),
    ]
    assert all(r["id"] for r in result["rows"])
    bad = [{"person_id": ids[2]}, {"person_id": ids[3], "site_id": 999999}]
    body = problem(client.post(url, json={"rows": bad}, headers=editor), 422)
    assert "rows.1.site_id" in body["errors"]
    assert db.session.scalar(select(Invitation.id).where(Invitation.person_id == ids[2])) is None
    result = ok(client.post(url, json={"person_ids": ids}, headers=editor), 201)
    assert result["created"] == 28
    assert result["already_invited"] == 2
    assert len(result["rows"]) == 30

    page = ok(client.get(f"{url}?per_page=10&page=2", headers=editor))
    assert (page["total"], page["pages"], page["page"], len(page["items"])) == (30, 3, 2, 10)
    chair = ok(client.get(f"{url}?role=chair", headers=editor))["items"]
    assert [(i["person_id"], i["site_id"]) for i in chair] == [(ids[0], wib)]
    assert ok(client.get(f"{url}?site_id={wib}", headers=editor))["total"] == 1
    assert ok(client.get(f"{url}?site_id=online", headers=editor))["total"] == 29
    assert ok(client.get(f"{url}?rsvp=accepted", headers=editor))["total"] == 0
    assert ok(client.get(f"{url}?q=Peserta 0001", headers=editor))["total"] == 1
    names = [
        i["person_name"]
        for i in ok(client.get(f"{url}?sort=person_name&order=desc&per_page=3", headers=editor))[
            "items"
        ]
    ]
    assert names == sorted(names, reverse=True)
    assert names[0].startswith("Peserta")
    problem(client.get(f"{url}?rsvp=maybe", headers=editor), 422)
    for sub in ("sites", "agenda", "conflicts", "attendance", "checkin-conflicts"):
        body = ok(client.get(f"{API}/meetings/{meeting['id']}/{sub}?per_page=1", headers=editor))
        assert {"items", "page", "per_page", "total", "pages"} <= set(body)


def test_one_request_names_at_most_five_thousand_people(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    """A body is bounded before anything is looked up: 5,001 rows or ids are a 422 naming
    the field, in the reader's language, and no invitation is written."""
    url = f"{API}/meetings/{meeting['id']}/invitations"
    too_many = list(range(1, 5002))
    for body in (
        {"person_ids": too_many},
        {"rows": [{"person_id": n} for n in too_many]},
    ):
        field = next(iter(body))
        found = problem(client.post(url, json=body, headers=editor), 422)
        assert found["errors"][field] == ["Antara 1 dan 5000 baris per permintaan."]
    sent = problem(
        client.post(f"{url}/send", json={"invitation_ids": too_many}, headers=editor), 422
    )
    assert "invitation_ids" in sent["errors"]
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
