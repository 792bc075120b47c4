"""Check-in rules: exact, idempotent, refused with a reason."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from meetcoord.access.actors import Actor
from meetcoord.checkin import codes, keys, selfservice
from meetcoord.checkin.admission import check_out
from meetcoord.checkin.counts import presence
from meetcoord.checkin.desk import redeem_credential
from meetcoord.checkin.models import Attendance, CheckinConflict
from meetcoord.checkin.offline import upload_offline
from meetcoord.core.errors import PermissionDenied
from meetcoord.meetings import invitations, services
from meetcoord.meetings.models import QuorumKind
from tests import factories
from tests.helpers import count


@pytest.fixture
def editor():
    return factories.user("secretariat")


@pytest.fixture
def meeting(editor):
    m = factories.meeting(
        by=editor,
        title="Rakor",
        venue=factories.venue(name="Aula Bappeda SBD", timezone="Asia/Makassar"),
        sites=[factories.venue(name="Kantor Gubernur Maluku", timezone="Asia/Jayapura")],
        **factories.meeting_times(starts_in=timedelta(minutes=-30)),  # under way
    )
    for _ in range(3):
        factories.invitation(m, person=factories.person(phone="0812-3456-7890"))
    return factories.schedule(m)


def test_desk_scan_is_exact_and_idempotent(editor, meeting):
    desk = Actor(user=editor)
    site = meeting.sites[0]
    inv = meeting.invitations[0]
    text = keys.credential_for(inv)
    first = redeem_credential(desk, site, text, "n-1")
    assert first.status == "checked_in"
    assert redeem_credential(desk, site, text, "n-1") == first  # a retry: the same answer
    again = redeem_credential(desk, site, text, "n-2")
    assert (again.status, again.reason) == ("already", "already_checked_in")
    assert "Aula Bappeda SBD" in again.message
    assert count(Attendance) == 1


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda t: "bukan kartu", "malformed"),
        (lambda t: t[:-3] + ("AAA" if not t.endswith("AAA") else "BBB"), "bad_signature"),
    ],
)
def test_bad_credentials_refused_with_a_reason(editor, meeting, mutate, reason):
    text = mutate(keys.credential_for(meeting.invitations[0]))
    result = redeem_credential(Actor(user=editor), meeting.sites[0], text, "n")
    assert (result.status, result.reason) == ("refused", reason)
    assert count(Attendance) == 0


def test_credential_of_another_meeting_and_withdrawn(editor, meeting):
    other = services.create_meeting(
        editor,
        {
            "title": "Rapat lain",
            "kind": "coordination",
            "host_venue_id": meeting.host_venue_id,
            "start_at": "2024-04-01T09:00",
            "end_at": "2024-04-01T10:00",
        },
    )
    invitations.invite(editor, other, {"person_ids": [factories.person().id]})
    result = redeem_credential(
        Actor(user=editor), meeting.sites[0], keys.credential_for(other.invitations[0]), "n1"
    )
    assert (result.reason, "Rapat lain" in result.message) == ("wrong_meeting", True)
    invitations.withdraw_invitation(editor, meeting.invitations[1])
    result = redeem_credential(
        Actor(user=editor), meeting.sites[0], keys.credential_for(meeting.invitations[1]), "n2"
    )
    assert result.reason == "withdrawn"


def test_coordinator_acts_only_at_their_site(editor, meeting):
    coordinator = factories.person()
    invitations.invite(
        editor,
        meeting,
        {
            "person_ids": [coordinator.id],
            "role": "site_coordinator",
            "site_id": meeting.sites[1].id,
        },
    )
    inv = next(i for i in meeting.invitations if i.person_id == coordinator.id)
    desk = Actor(invitation=inv)
    with pytest.raises(PermissionDenied):
        redeem_credential(desk, meeting.sites[0], keys.credential_for(inv), "n")
    assert redeem_credential(desk, meeting.sites[1], keys.credential_for(inv), "n").ok
    with pytest.raises(PermissionDenied):
        redeem_credential(Actor(user=factories.user("viewer")), meeting.sites[0], "x", "n")


def test_kiosk_codes_current_previous_old_and_other_site(meeting):
    site, other = meeting.sites
    now = time.time()
    shown = selfservice.kiosk_codes(site, now)
    inv = meeting.invitations[0]
    assert selfservice.check_kiosk_code(site, shown["url_code"], now=now) is None
    assert selfservice.check_kiosk_code(site, shown["url_code"], now=now + 20) is None
    assert (
        selfservice.check_kiosk_code(site, shown["url_code"], now=now + 60).reason == "old_window"
    )
    assert selfservice.check_kiosk_code(other, shown["url_code"], now=now).reason == "wrong_code"
    assert (
        selfservice.check_kiosk_code(site, shown["typed_code"].lower(), typed=True, now=now) is None
    )
    result = selfservice.checkin_with_link(
        site, selfservice.kiosk_codes(site)["url_code"], inv, "k1"
    )
    assert result.status == "checked_in"
    assert set(shown["typed_code"]) <= set(codes.TYPED_ALPHABET)


def test_second_factor_stand_in_and_walk_in(meeting):
    site = meeting.sites[0]
    code = selfservice.kiosk_codes(site)["url_code"]
    inv = meeting.invitations[0]
    wrong = selfservice.checkin_confirmed(site, code, inv.id, "0000", "a1")
    assert wrong.reason == "second_factor"
    ok = selfservice.checkin_confirmed(
        site, code, inv.id, "7890", "a2", stand_in={"name": "Drs. Umbu Rehi", "position": "Sekdis"}
    )
    assert ok.status == "checked_in"
    attendance = Attendance.query.filter_by(person_id=inv.person_id).one()
    assert attendance.stand_in_name == "Drs. Umbu Rehi"
    walk = selfservice.register_walk_in(
        site,
        code,
        {
            "name": "Lalu Ahmad",
            "organization": "HIMASPI",
            "category": "tokoh masyarakat",
            "gender": "L",
            "phone": "0819 1111 2222",
        },
        "w1",
    )
    assert (walk.status, walk.extra) == ("checked_in", {"walk_in": True})
    assert Attendance.query.filter_by(is_walk_in=True).one().walk_in_organization == "HIMASPI"


def test_offline_upload_earliest_scan_wins_and_conflicts_are_kept(editor, meeting):
    desk = Actor(user=editor)
    wita, wit = meeting.sites
    inv = meeting.invitations[0]
    text = keys.credential_for(inv)
    t0 = meeting.start_at - timedelta(minutes=5)
    redeem_credential(desk, wit, text, "live", scanned_at=t0 + timedelta(minutes=5))
    [result] = upload_offline(
        desk, wita, [{"credential": text, "nonce": "off-1", "scanned_at": t0.isoformat()}]
    )
    assert result.status == "checked_in"
    attendance = Attendance.query.one()
    assert (attendance.site_id, attendance.checked_in_at) == (wita.id, t0)
    conflict = CheckinConflict.query.one()
    assert conflict.other_site_id == wit.id
    again = upload_offline(
        desk, wita, [{"credential": text, "nonce": "off-1", "scanned_at": t0.isoformat()}]
    )
    assert again == [result]
    assert count(Attendance) == 1


def test_presence_quorum_and_check_out(editor, meeting):
    meeting.quorum_kind, meeting.quorum_value = QuorumKind.AT_LEAST, 50
    meeting.sites[0].quorum_kind, meeting.sites[0].quorum_value = QuorumKind.PEOPLE, 1
    desk = Actor(user=editor)
    assert presence(meeting).quorum.required == 2
    for n, inv in enumerate(meeting.invitations[:2]):
        redeem_credential(desk, meeting.sites[0], keys.credential_for(inv), f"q{n}")
    now = presence(meeting)
    assert (now.total, now.state) == (2, "met")
    check_out(Attendance.query.first())
    assert presence(meeting).state == "not_met"
