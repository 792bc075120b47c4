"""Who hears about a change (issue 17): only those whose invitation was mailed.

Scheduling "without sending" leaves invitations unmailed; a new time, a new site, a
withdrawal or a cancellation must not reach them as a change of something they never got.
Their first mail, when it is sent, is an invitation with the details of that moment.
Also: the internal ``services.schedule_meeting`` goes through the same job as the API,
and the invitation endpoints kept their URLs and OpenAPI tag after leaving ``api.py``.
"""

from __future__ import annotations

import email
import email.policy
from typing import Any

from flask import url_for
from sqlalchemy import select

from meetcoord.core.outbox import OutboxMessage
from meetcoord.directory.models import Person
from meetcoord.extensions import db
from meetcoord.jobs import runner
from meetcoord.jobs.models import Job
from meetcoord.meetings import invitations, mailing, services
from meetcoord.meetings.models import Invitation, Meeting
from tests import factories
from tests.meetings.test_api_meetings import API, ok


def _people(n: int, prefix: str = "orang") -> list[int]:
    people = [
        Person(name=f"Orang {prefix} {i}", email=f"{prefix}{i}@example.go.id", category="ngo")
        for i in range(n)
    ]
    db.session.add_all(people)
    db.session.commit()
    return [person.id for person in people]


def _mails() -> list[tuple[str, str, str]]:
    """(recipient, kind, subject) of every queued mail, oldest first."""
    rows = db.session.execute(
        select(OutboxMessage.recipient, OutboxMessage.kind, OutboxMessage.subject).order_by(
            OutboxMessage.id
        )
    )
    return [(r.recipient, r.kind, r.subject) for r in rows]


def _invitations(client: Any, url: str, editor: dict[str, str]) -> dict[str, int]:
    """Invitation ids by the address's local part ("x0", "x1", ...)."""
    items = ok(client.get(f"{url}/invitations", headers=editor))["items"]
    people = {p.id: p.email for p in db.session.scalars(select(Person))}
    return {people[i["person_id"]].split("@")[0]: i["id"] for i in items}


def _send(url: str, client: Any, editor: dict[str, str], ids: list[int] | None = None) -> None:
    body = {"invitation_ids": ids} if ids is not None else {}
    ok(client.post(f"{url}/invitations/send", json=body, headers=editor), 202)
    runner.run_due(100)


def test_a_change_reaches_only_the_mailed_and_the_rest_get_a_first_invitation(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    url = f"{API}/meetings/{meeting['id']}"
    ids = _people(2, prefix="x")
    ok(client.post(f"{url}/invitations", json={"person_ids": ids}, headers=editor), 201)
    ok(client.post(f"{url}/schedule", json={"send": False}, headers=editor))
    inv = _invitations(client, url, editor)
    _send(url, client, editor, [inv["x0"]])
    assert [(to, kind) for to, kind, _s in _mails()] == [("x0@example.go.id", "invitation")]

    # A week later: the mailed invitee gets the change, the other nothing yet.
    ok(client.patch(url, json={"start_at": "2030-03-22T09:00"}, headers=editor))
    after_change = _mails()[1:]
    assert [(to, kind) for to, kind, _s in after_change] == [("x0@example.go.id", "update")]
    assert after_change[0][2].startswith("Perubahan jadwal: ")

    # Sent now: an invitation (not a "change"), with the current day in it.
    _send(url, client, editor)
    first = _mails()[2:]
    assert [(to, kind) for to, kind, _s in first] == [("x1@example.go.id", "invitation")]
    assert first[0][2].startswith("Undangan: ")
    assert "22 Maret 2030" in first[0][2]
    message = db.session.scalars(
        select(OutboxMessage.message).where(OutboxMessage.recipient == "x1@example.go.id")
    ).one()
    assert b"X-Meetcoord-Sequence: 1" in message  # their calendar still takes later updates
    parsed = email.message_from_bytes(message, policy=email.policy.default)
    text = parsed.get_body(("plain",)).get_content()
    assert "mengundang Bapak/Ibu" in text
    assert "DIPERBARUI" not in text

    # Once mailed, both hear of the next change.
    ok(client.patch(url, json={"start_at": "2030-03-23T09:00"}, headers=editor))
    assert sorted(to for to, kind, _s in _mails()[3:] if kind == "update") == [
        "x0@example.go.id",
        "x1@example.go.id",
    ]


def test_site_moves_withdrawals_and_cancellation_skip_the_unmailed(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    url = f"{API}/meetings/{meeting['id']}"
    wib = next(s["id"] for s in meeting["sites"] if s["zone_label"] == "WIB")
    ids = _people(3, prefix="y")
    ok(client.post(f"{url}/invitations", json={"person_ids": ids}, headers=editor), 201)
    ok(client.post(f"{url}/schedule", json={"send": False}, headers=editor))
    inv = _invitations(client, url, editor)
    _send(url, client, editor, [inv["y0"]])
    assert len(_mails()) == 1

    # y1 moves site and y2 is withdrawn: neither was mailed, so neither hears.
    patch = client.patch(f"{url}/invitations/{inv['y1']}", json={"site_id": wib}, headers=editor)
    ok(patch)
    assert client.delete(f"{url}/invitations/{inv['y2']}", headers=editor).status_code == 204
    assert len(_mails()) == 1
    # The mailed one does hear of a move.
    ok(client.patch(f"{url}/invitations/{inv['y0']}", json={"site_id": wib}, headers=editor))
    assert [(to, kind) for to, kind, _s in _mails()[1:]] == [("y0@example.go.id", "update")]

    ok(client.post(f"{url}/cancel", headers=editor))
    cancellations = [to for to, kind, _s in _mails() if kind == "cancellation"]
    assert cancellations == ["y0@example.go.id"]
    assert db.session.get(Invitation, inv["y1"]).sent_at is None


def test_internal_schedule_goes_through_the_send_job_above_the_threshold(app: Any) -> None:
    meeting = factories.meeting()
    ids = _people(mailing.INLINE_MAX + 1, prefix="z")
    invitations.invite(meeting.created_by, meeting, {"person_ids": ids})
    assert services.schedule_meeting(meeting.created_by, meeting) is meeting
    assert meeting.status.value == "scheduled"
    assert _mails() == []  # nothing rendered inside the call
    job = db.session.scalars(select(Job)).one()
    assert (job.kind, job.total, job.params["meeting_id"]) == (
        mailing.SEND_KIND,
        mailing.INLINE_MAX + 1,
        meeting.id,
    )
    runner.run_due(100)
    assert len(_mails()) == mailing.INLINE_MAX + 1
    assert {kind for _to, kind, _s in _mails()} == {"invitation"}


def test_internal_schedule_mails_a_few_at_once(app: Any) -> None:
    meeting = factories.meeting()
    factories.invitation(meeting)
    scheduled = factories.schedule(meeting)
    assert isinstance(scheduled, Meeting)
    assert len(_mails()) == 1
    assert db.session.scalar(select(Job.id)) is None


def test_invitation_endpoints_kept_their_urls_and_tag(client: Any) -> None:
    with client.application.test_request_context():
        assert (
            url_for("meeting_invitations_api.Invitations", id=7) == f"{API}/meetings/7/invitations"
        )
        assert url_for("meeting_invitations_api.InvitationItem", id=7, invitation_id=3) == (
            f"{API}/meetings/7/invitations/3"
        )
    spec = client.get(f"{API}/openapi.json").get_json()
    for path in (
        "/meetings/{id}/invitations",
        "/meetings/{id}/invitations/send",
        "/meetings/{id}/invitations/{invitation_id}/send",
        "/meetings/{id}/invitations/{invitation_id}",
    ):
        operations = spec["paths"][f"{API}{path}"]
        for method, operation in operations.items():
            if method != "parameters":
                assert operation["tags"] == ["meetings_api"], (method, path)
