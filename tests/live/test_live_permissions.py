"""Every live command refuses the roles that may not use it (issue 5, DESIGN §5).

One table, command × role → allowed. For each pair a fresh meeting is brought to the state
the command needs (so a refusal can only be about who asks), the role sends the command
over ``/live``, and then either the ack is ``ok`` and the log grew, or the ack is
``forbidden`` and nothing at all changed: no event, no row, the same snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.accounts.models import Role
from meetcoord.accounts.services import revoke_token
from meetcoord.extensions import db
from meetcoord.live import decisions, services, speakers
from meetcoord.live.events import COMMANDS
from meetcoord.meetings.invitations import withdraw_invitation
from meetcoord.planning.models import SyncMark
from tests.live_support import (
    LiveRakor,
    account_client,
    assert_unchanged,
    carried_action,
    command,
    connect,
    fingerprint,
)

RUNNERS = frozenset({"staff", "chair"})
RECORDERS = RUNNERS | {"minute_taker"}
NOBODY: frozenset[str] = frozenset()
ROLES = (
    "staff",  # a secretariat account
    "chair",
    "minute_taker",
    "coordinator",  # coordinator of the Ambon site
    "participant",  # a participant in Tambolaka (the host site)
    "viewer",  # a staff account with Role.VIEWER: watches only
    "withdrawn_chair",  # the chair, whose invitation is withdrawn while connected
    "deactivated_staff",  # a secretariat account switched off while connected
    "revoked_staff",  # a secretariat account whose API token is revoked while connected
)


@dataclass
class Scene:
    """A meeting brought to the state a command needs, and the ids its data refers to."""

    rakor: LiveRakor
    items: list[int]
    decision_id: int | None = None
    action_id: int | None = None
    request_id: int | None = None  # the Ambon participant's waiting request
    floor_request_id: int | None = None  # a Tambolaka participant's waiting request
    mark_id: int | None = None  # a row of the synchronisation matrix
    question_id: int | None = None  # the Ambon participant's question (issue 15)


def build(rakor: LiveRakor, stage: str) -> Scene:
    """``stage``: waiting, open, paused, decided (a vote on record), acted (with an action
    too), queued, speaking."""
    staff = rakor.staff_actor
    meeting_id = rakor.meeting.id
    scene = Scene(rakor, [item.id for item in rakor.add_items("Pembukaan", "Pangan", "Lain")])
    if stage == "review":  # an open action of the forum's earlier meeting, the host's agency's
        scene.action_id = carried_action(rakor).id
    if stage == "waiting":
        return scene
    services.open_meeting(staff, meeting_id)
    services.activate_item(staff, meeting_id, scene.items[0])
    if stage == "paused":
        services.pause_meeting(staff, meeting_id)
    if stage in ("decided", "acted"):
        _seq, scene.decision_id = decisions.record_decision(
            staff, meeting_id, {"text": "Cadangan pangan ditambah", "kind": "vote"}
        )
    if stage == "acted":
        _seq, scene.action_id = decisions.create_action(
            staff,
            meeting_id,
            {
                "decision_id": scene.decision_id,
                "title": "Susun data cadangan pangan",
                "organization_id": rakor.participant.person.organization_id,
            },
        )
    if stage in ("queued", "speaking"):
        _seq, scene.request_id = speakers.request_floor(
            staff, meeting_id, {"invitation_id": rakor.ambon_participant.id}
        )
        _seq, scene.floor_request_id = speakers.request_floor(
            staff, meeting_id, {"invitation_id": rakor.invitee(1).id}
        )
    if stage == "speaking":
        speakers.give_floor(staff, meeting_id, {"request_id": scene.floor_request_id})
    if stage in ("matrix", "marked"):
        scene.mark_id = matrix_row(rakor, marked=stage == "marked")
    if stage in ("asked", "approved"):
        from meetcoord.questions import services as questions

        asker = Actor(invitation=rakor.ambon_participant, meeting=rakor.meeting)
        _seq, scene.question_id = questions.ask_question(asker, meeting_id, {"text": "Dana?"})
        if stage == "approved":
            run = staff.bound_to(rakor.meeting)
            data = {"question_id": scene.question_id, "action": "approve"}
            questions.moderate_question(run, meeting_id, data)
    return scene


def matrix_row(rakor: LiveRakor, *, marked: bool) -> int:
    """A proposal on the meeting's matrix; marked, it is accommodated by the agency of the
    host site's participants (who may then answer for it)."""
    from meetcoord.live import matrix as live_matrix
    from meetcoord.meetings import agenda
    from meetcoord.planning.matrix import Selection
    from tests.planning import support

    agenda.add_agenda_item(
        rakor.staff,
        rakor.meeting,
        {"title": "Sinkronisasi", "planned_minutes": 30, "kind": "sync_matrix"},
    )
    support.proposal(rakor.meeting.institution, "Rehabilitasi jalan usaha tani", budget=10)
    db.session.commit()
    staff = rakor.staff_actor.bound_to(rakor.meeting)
    live_matrix.add_proposals(staff, rakor.meeting.id, Selection())
    mark_id = db.session.scalar(db.select(SyncMark.id).filter_by(meeting_id=rakor.meeting.id))
    if marked:
        data = {
            "mark_id": mark_id,
            "version": 1,
            "outcome": "accommodated",
            "organization_id": rakor.participant.person.organization_id,
            "programme": "Program Jalan",
            "plan_year": 2025,
            "amount": 10,
        }
        live_matrix.mark_proposal(staff, rakor.meeting.id, data)
    return mark_id


@dataclass(frozen=True)
class Case:
    command: str
    stage: str
    allowed: frozenset[str]
    data: Callable[[Scene], dict[str, Any]] = lambda s: {}


def _tally(site: Callable[[LiveRakor], Any]) -> Callable[[Scene], dict[str, Any]]:
    def data(s: Scene) -> dict[str, Any]:
        found = site(s.rakor)
        return {
            "decision_id": s.decision_id,
            "site_id": found.id if found is not None else None,
            "for": 12,
            "against": 3,
            "abstain": 1,
        }

    return data


CASES: dict[str, Case] = {
    "open": Case("open", "waiting", RUNNERS),
    "pause": Case("pause", "open", RUNNERS),
    "resume": Case("resume", "paused", RUNNERS),
    "close": Case("close", "open", RUNNERS),
    "item.activate": Case("item.activate", "open", RUNNERS, lambda s: {"item_id": s.items[1]}),
    "item.next": Case("item.next", "open", RUNNERS),
    "agenda.add": Case("agenda.add", "open", RUNNERS, lambda s: {"title": "Usulan tambahan"}),
    "agenda.reorder": Case(
        "agenda.reorder", "open", RUNNERS, lambda s: {"item_ids": list(reversed(s.items))}
    ),
    "decision.record": Case(
        "decision.record", "open", RECORDERS, lambda s: {"text": "Disepakati bersama"}
    ),
    "decision.amend": Case(
        "decision.amend",
        "decided",
        RECORDERS,
        lambda s: {"decision_id": s.decision_id, "text": "Diubah", "base_version": 1},
    ),
    # A coordinator counts the votes of their own site, and of no other.
    "decision.tally@ambon": Case(
        "decision.tally",
        "decided",
        RECORDERS | {"coordinator"},
        _tally(lambda r: r.other_site),
    ),
    "decision.tally@host": Case("decision.tally", "decided", RECORDERS, _tally(lambda r: r.site)),
    "decision.tally@online": Case("decision.tally", "decided", RECORDERS, _tally(lambda r: None)),
    "notes.save": Case(
        "notes.save",
        "open",
        RECORDERS,
        lambda s: {"item_id": s.items[0], "text": "Catatan", "base_version": 0},
    ),
    "action.create": Case(
        "action.create",
        "decided",
        RECORDERS,
        lambda s: {
            "decision_id": s.decision_id,
            "title": "Susun data cadangan pangan",
            "organization_id": s.rakor.participant.person.organization_id,
        },
    ),
    "decision.withdraw": Case(
        "decision.withdraw",
        "decided",
        RECORDERS,
        lambda s: {"decision_id": s.decision_id, "reason": "Salah catat"},
    ),
    "action.update": Case(
        "action.update",
        "acted",
        RECORDERS,
        lambda s: {"action_id": s.action_id, "base_version": 1, "locus": "Desa Weepangali"},
    ),
    "action.withdraw": Case(
        "action.withdraw",
        "acted",
        RECORDERS,
        lambda s: {"action_id": s.action_id, "reason": "Sudah tercakup tindak lanjut lain"},
    ),
    # Carry-over: the recorders review any action; the host participants' agency its own.
    "action.review": Case(
        "action.review",
        "review",
        RECORDERS | {"participant"},
        lambda s: {"action_id": s.action_id, "status": "in_progress"},
    ),
    # Everyone with a seat may ask for the floor for themselves; accounts hold no seat.
    "speaker.request@self": Case(
        "speaker.request",
        "open",
        frozenset({"chair", "minute_taker", "coordinator", "participant"}),
    ),
    # A coordinator raises a hand for someone at their own site, and for no one else.
    "speaker.request@ambon": Case(
        "speaker.request",
        "open",
        RUNNERS | {"coordinator"},
        lambda s: {"invitation_id": s.rakor.ambon_participant.id},
    ),
    "speaker.request@host": Case(
        "speaker.request",
        "open",
        RUNNERS,
        lambda s: {"invitation_id": s.rakor.invitee(1).id},
    ),
    "speaker.withdraw": Case(
        "speaker.withdraw",
        "queued",
        RUNNERS | {"coordinator"},
        lambda s: {"request_id": s.request_id},
    ),
    "floor.give": Case(
        "floor.give", "queued", RUNNERS, lambda s: {"request_id": s.floor_request_id}
    ),
    "floor.end": Case("floor.end", "speaking", RUNNERS),
    # The matrix: the recorders mark; the row's agency (or staff) answers.
    "proposal.mark": Case(
        "proposal.mark",
        "matrix",
        RECORDERS,
        lambda s: {
            "mark_id": s.mark_id,
            "version": 1,
            "outcome": "carried",
            "carried_to": "musrenbangkab",
        },
    ),
    "proposal.confirm": Case(
        "proposal.confirm",
        "marked",
        frozenset({"staff", "participant"}),
        lambda s: {"mark_id": s.mark_id, "answer": "confirmed"},
    ),
    # Questions (issue 15): anyone invited asks and votes (an account holds no seat); the
    # chair and the secretariat moderate, pick and answer.
    "question.ask": Case(
        "question.ask",
        "open",
        frozenset({"chair", "minute_taker", "coordinator", "participant"}),
        lambda s: {"text": "Bagaimana biayanya?"},
    ),
    "question.vote": Case(
        "question.vote",
        "approved",
        frozenset({"chair", "minute_taker", "coordinator", "participant"}),
        lambda s: {"question_id": s.question_id},
    ),
    "question.moderate": Case(
        "question.moderate",
        "asked",
        RUNNERS,
        lambda s: {"question_id": s.question_id, "action": "approve"},
    ),
    "question.pick": Case(
        "question.pick", "approved", RUNNERS, lambda s: {"question_id": s.question_id}
    ),
    "question.answer": Case(
        "question.answer", "approved", RUNNERS, lambda s: {"question_id": s.question_id}
    ),
}


def client_for(app: Any, rakor: LiveRakor, role: str) -> Any:
    meeting_id = rakor.meeting.id
    if role in ("staff", "deactivated_staff", "revoked_staff"):
        return account_client(app, meeting_id, Role.SECRETARIAT)
    if role == "viewer":
        return account_client(app, meeting_id, Role.VIEWER)
    invitation = {
        "chair": rakor.chair,
        "withdrawn_chair": rakor.chair,
        "minute_taker": rakor.minute_taker,
        "coordinator": rakor.coordinator,
        "participant": rakor.participant,
    }[role]
    return connect(app, invitation)


def end_access(rakor: LiveRakor, role: str, client: Any) -> None:
    """After connecting: the invitation is withdrawn, the account switched off, the token
    revoked."""
    if role == "withdrawn_chair":
        withdraw_invitation(rakor.staff, rakor.chair)
    elif role == "deactivated_staff":
        client.user.is_active_account = False
        db.session.commit()
    elif role == "revoked_staff":
        [token] = client.user.tokens
        revoke_token(None, token)  # by the installation (CLI): staff revoke only their own


def test_the_table_covers_every_command() -> None:
    assert {case.command for case in CASES.values()} == set(COMMANDS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case_id", list(CASES))
def test_command_is_refused_to_every_role_that_may_not_use_it(
    app: Any, case_id: str, role: str
) -> None:
    case = CASES[case_id]
    rakor = LiveRakor()
    client = client_for(app, rakor, role)
    assert client.is_connected("/live"), role
    scene = build(rakor, case.stage)
    end_access(rakor, role, client)
    before = fingerprint(rakor.meeting.id)

    ack = command(client, case.command, **case.data(scene))

    after = fingerprint(rakor.meeting.id)
    if role in case.allowed:
        assert ack["ok"], ack
        assert after["events"] > before["events"]
        assert ack["seq"] == after["events"]
    else:
        assert ack["ok"] is False, ack
        assert ack["error"]["code"] == "forbidden", ack
        assert ack["error"]["message"]
        assert_unchanged(rakor.meeting.id, before)
    assert client.is_connected("/live")  # a refusal answers; it does not hang up


def test_a_withdrawn_invitation_stops_acting_on_its_next_command(app: Any) -> None:
    rakor = LiveRakor()
    build(rakor, "open")
    phone = connect(app, rakor.participant)
    first = command(phone, "speaker.request")
    assert first["ok"], first
    assert command(phone, "speaker.withdraw", request_id=first["id"])["ok"]

    withdraw_invitation(rakor.staff, rakor.participant)
    before = fingerprint(rakor.meeting.id)
    again = command(phone, "speaker.request")
    assert again["ok"] is False
    assert again["error"]["code"] == "forbidden"
    assert_unchanged(rakor.meeting.id, before)
    assert phone.is_connected("/live")


def test_a_coordinator_cannot_withdraw_a_request_from_another_site(app: Any) -> None:
    rakor = LiveRakor()
    scene = build(rakor, "queued")
    coordinator = connect(app, rakor.coordinator)
    before = fingerprint(rakor.meeting.id)
    ack = command(coordinator, "speaker.withdraw", request_id=scene.floor_request_id)
    assert ack["error"]["code"] == "forbidden"
    assert_unchanged(rakor.meeting.id, before)
    # Their own site's request they may withdraw.
    assert command(coordinator, "speaker.withdraw", request_id=scene.request_id)["ok"]


def test_a_participant_withdraws_only_their_own_request(app: Any) -> None:
    rakor = LiveRakor()
    scene = build(rakor, "queued")
    ambon = connect(app, rakor.ambon_participant)
    host = connect(app, rakor.participant)
    before = fingerprint(rakor.meeting.id)
    refused = command(host, "speaker.withdraw", request_id=scene.request_id)
    assert refused["error"]["code"] == "forbidden"
    assert_unchanged(rakor.meeting.id, before)
    assert command(ambon, "speaker.withdraw", request_id=scene.request_id)["ok"]


@pytest.mark.parametrize("role", ["participant", "viewer"])
@pytest.mark.parametrize("stage", ["waiting", "paused"])
def test_refusal_comes_before_the_meeting_state_is_told(app: Any, stage: str, role: str) -> None:
    """Someone learns nothing about the room from a command they may not send: not its
    state, not whether the decision or request they name exists."""
    rakor = LiveRakor()
    phone = client_for(app, rakor, role)
    scene = build(rakor, stage)
    others = (
        []
        if role == "participant"
        else [
            ("speaker.request", {}),
            ("speaker.withdraw", {"request_id": 999999}),
        ]
    )
    for name, data in [
        *others,
        ("decision.record", {"text": "x"}),
        ("notes.save", {"item_id": scene.items[0], "text": "x"}),
        ("item.activate", {"item_id": scene.items[0]}),
        ("floor.end", {}),
        ("decision.tally", {"decision_id": 999999, "site_id": rakor.site.id}),
        ("action.create", {"decision_id": 999999}),
        ("decision.amend", {"decision_id": 999999}),
        ("decision.withdraw", {"decision_id": 999999}),
        ("action.update", {"action_id": 999999}),
        ("action.withdraw", {"action_id": 999999}),
    ]:
        ack = command(phone, name, **data)
        assert ack["error"]["code"] == "forbidden", (name, ack)


def test_a_nonce_answers_only_whoever_sent_it(app: Any) -> None:
    """Replaying the chair's nonce gets a participant neither the seq nor a change."""
    rakor = LiveRakor()
    build(rakor, "open")
    chair, phone = connect(app, rakor.chair), connect(app, rakor.participant)
    first = command(chair, "decision.record", nonce="ketua-1", text="Disepakati")
    assert first["ok"]
    before = fingerprint(rakor.meeting.id)
    ack = command(phone, "decision.record", nonce="ketua-1", text="Disepakati")
    assert ack["ok"] is False
    assert "seq" not in ack
    assert_unchanged(rakor.meeting.id, before)
    # The chair's own retry still gets the first answer, id included (issue 17).
    assert command(chair, "decision.record", nonce="ketua-1", text="x") == first


def test_the_person_a_site_names_as_coordinator_runs_its_desk_and_counts_its_votes(
    app: Any,
) -> None:
    """One rule for "coordinates this site" (MeetingSite.is_coordinated_by): the desk let
    the person a site names as its coordinator run it, the live room did not let them
    count its votes."""

    rakor = LiveRakor()
    scene = build(rakor, "decided")
    named = rakor.ambon_participant  # a participant in Ambon, named the site's coordinator
    rakor.other_site.coordinator_id = named.person_id
    db.session.commit()
    assert Actor(invitation=named).may(Permission.CHECKIN_OPERATE, rakor.other_site)
    assert not Actor(invitation=named).may(Permission.CHECKIN_OPERATE, rakor.site)
    phone = connect(app, named)
    tally = {"decision_id": scene.decision_id, "for": 5, "against": 0, "abstain": 0}
    host = command(phone, "decision.tally", site_id=rakor.site.id, **tally)
    assert host["error"]["code"] == "forbidden"
    assert command(phone, "decision.tally", site_id=rakor.other_site.id, **tally)["ok"]
