"""Quorum: a rule per meeting and per site, set in the forms and the API, shown as met or
not met from real counts — and, without a rule, "no quorum rule", never "met"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from meetcoord.access.actors import Actor
from meetcoord.checkin import keys, selfservice
from meetcoord.checkin.admission import check_out
from meetcoord.checkin.counts import document_note, presence
from meetcoord.checkin.desk import redeem_credential
from meetcoord.checkin.models import Attendance
from meetcoord.core.timezones import to_zone
from meetcoord.documents.pdf.compose import compose_minutes
from meetcoord.documents.sources import minutes_data
from meetcoord.extensions import socketio
from meetcoord.meetings import services
from meetcoord.meetings.models import QuorumKind
from meetcoord.meetings.quorum import Rule, Standing, overall, rule_of
from tests.helpers import text
from tests.kiosk_support import Rakor

API = "/api/v1"


# --- the rule (pure) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "invited", "required"),
    [
        (QuorumKind.MORE_THAN, 50, 24, 13),  # "50% + 1"
        (QuorumKind.MORE_THAN, 50, 25, 13),  # more than 12.5
        (QuorumKind.AT_LEAST, 50, 25, 13),  # at least 12.5, rounded up
        (QuorumKind.AT_LEAST, 50, 24, 12),
        (QuorumKind.AT_LEAST, 67, 24, 17),  # two thirds, as a share
        (QuorumKind.PEOPLE, 15, 24, 15),
        (QuorumKind.AT_LEAST, 50, 0, 1),  # never a quorum of nobody
    ],
)
def test_people_required(kind, value, invited, required):
    assert Rule(kind, value).required(invited) == required


def test_states_none_met_not_met():
    assert rule_of(None, None) is None
    assert Standing(None, 0, 24).state == "none"
    assert Standing(None, 24, 24).state == "none"  # no rule is not "met", however many
    half = rule_of("more_than", 50)
    assert Standing(half, 12, 24).state == "not_met"
    assert Standing(half, 13, 24).state == "met"
    assert overall([Standing(None, 0, 0), Standing(None, 0, 0)]) == "none"
    assert overall([Standing(half, 13, 24), Standing(None, 0, 3)]) == "met"
    assert overall([Standing(half, 13, 24), Standing(rule_of("people", 2), 1, 3)]) == "not_met"


# --- real counts ------------------------------------------------------------------------


@pytest.fixture
def rakor() -> Rakor:
    return Rakor()


def test_no_rule_and_nobody_present_is_never_met(auth, client, rakor):
    """The reported defect: "Kuorum terpenuhi" on the staff page with 0 present."""
    auth.login(user=rakor.staff)
    html = text(client.get(f"/meetings/{rakor.meeting.id}/attendance"))
    shown = re.search(r"<strong data-quorum-text>([^<]*)</strong>", html).group(1)
    assert shown == "Tanpa aturan kuorum"
    assert 'id="attendance-quorum" data-state="none"' in html
    counts = presence(rakor.meeting).as_dict()
    assert (counts["quorum"]["state"], counts["quorum"]["met"]) == ("none", None)


def test_a_rule_is_met_from_real_counts_walk_ins_aside(auth, client, rakor):
    meeting, site = rakor.meeting, rakor.site
    services.update_meeting(rakor.staff, meeting, {"quorum_kind": "more_than", "quorum_value": 50})
    assert presence(meeting).state == "not_met"  # 0 of 3 present; 2 needed
    code = selfservice.kiosk_codes(site)["url_code"]
    selfservice.register_walk_in(site, code, {"name": "Tamu", "category": "ngo"}, "w")
    assert presence(meeting).quorum.present == 0  # a walk-in is welcome, not a member
    desk = Actor(user=rakor.staff)
    for n in range(2):
        redeem_credential(desk, site, keys.credential_for(rakor.invitee(n)), f"q{n}")
    now = presence(meeting)
    assert (now.total, now.quorum.present, now.quorum.required, now.state) == (3, 2, 2, "met")
    auth.login("viewer")
    html = text(client.get(f"/meetings/{meeting.id}/attendance"))
    assert "<strong data-quorum-text>Kuorum terpenuhi</strong>" in html
    assert "lebih dari 50% undangan: perlu 2, hadir 2 dari 3 undangan" in html
    check_out(Attendance.query.filter_by(person_id=rakor.invitee(0).person_id).one())
    assert presence(meeting).state == "not_met"


def test_a_sites_own_rule_counts_its_own_people(rakor):
    services.update_site(
        rakor.staff, rakor.other_site, {"quorum_kind": "people", "quorum_value": 1}
    )
    desk = Actor(user=rakor.staff)
    redeem_credential(desk, rakor.site, keys.credential_for(rakor.invitee(0)), "host")
    counts = presence(rakor.meeting).as_dict()
    ambon = next(s for s in counts["sites"] if s["site_id"] == rakor.other_site.id)
    assert (ambon["quorum"]["state"], ambon["minimum"], ambon["meets_minimum"]) == (
        "not_met",
        1,
        False,
    )
    assert counts["quorum"]["state"] == "not_met"  # the meeting waits for Ambon
    redeem_credential(desk, rakor.other_site, keys.credential_for(rakor.invitee(1)), "ambon")
    assert presence(rakor.meeting).state == "met"


def test_the_live_counts_carry_the_quorum_state(app, client, auth, rakor):
    services.update_meeting(
        rakor.staff, rakor.meeting, {"quorum_kind": "people", "quorum_value": 1}
    )
    auth.login("viewer")
    kiosk = socketio.test_client(
        app, namespace="/checkin", flask_test_client=client, auth={"meeting": rakor.meeting.id}
    )
    [first] = [m["args"][0] for m in kiosk.get_received("/checkin") if m["name"] == "counts"]
    assert (first["quorum"]["state"], first["quorum"]["required"]) == ("not_met", 1)
    redeem_credential(
        Actor(user=rakor.staff), rakor.site, keys.credential_for(rakor.invitee(0)), "l"
    )
    *_, later = [m["args"][0] for m in kiosk.get_received("/checkin") if m["name"] == "counts"]
    assert later["quorum"]["state"] == "met"
    kiosk.disconnect(namespace="/checkin")


# --- setting it ---------------------------------------------------------------------------


def test_forms_set_the_meetings_and_a_sites_rule(auth, client, rakor):
    auth.login(user=rakor.staff)
    meeting = rakor.meeting
    page = text(client.get(f"/meetings/{meeting.id}/edit"))
    assert 'name="quorum_kind"' in page
    assert 'name="quorum_value"' in page
    form = {
        "title": meeting.title,
        "kind": "coordination",
        "host_venue_id": str(meeting.host_venue_id),
        "start_at": f"{to_zone(meeting.start_at, 'Asia/Makassar'):%Y-%m-%dT%H:%M}",
        "end_at": f"{to_zone(meeting.end_at, 'Asia/Makassar'):%Y-%m-%dT%H:%M}",
        "quorum_kind": "more_than",
        "quorum_value": "50",
    }
    assert auth.post(f"/meetings/{meeting.id}/edit", form).status_code == 302
    assert (meeting.quorum_kind, meeting.quorum_value) == (QuorumKind.MORE_THAN, 50)
    refused = auth.post(f"/meetings/{meeting.id}/edit", {**form, "quorum_value": "100"})
    assert refused.status_code == 422
    assert "Paling besar 99." in text(refused)
    site_url = f"/meetings/{meeting.id}/sites/{rakor.other_site.id}/edit"
    assert 'name="quorum_kind"' in text(client.get(site_url))
    saved = auth.post(site_url, {"quorum_kind": "people", "quorum_value": "5", "capacity": ""})
    assert saved.status_code == 302
    assert (rakor.other_site.quorum_kind, rakor.other_site.quorum_value) == (QuorumKind.PEOPLE, 5)
    cleared = auth.post(site_url, {"quorum_kind": "", "quorum_value": "", "capacity": ""})
    assert cleared.status_code == 302
    assert (rakor.other_site.quorum_kind, rakor.other_site.quorum_value) == (None, None)
    edit_again = text(client.get(f"/meetings/{meeting.id}/edit"))
    assert re.search(
        r'<option[^>]*selected[^>]*value="more_than"|value="more_than"[^>]*selected', edit_again
    )


def test_the_api_sets_and_returns_the_rule(client, api_token, rakor):
    _user, headers = api_token()
    url = f"{API}/meetings/{rakor.meeting.id}"
    patched = client.patch(
        url, json={"quorum_kind": "at_least", "quorum_value": 67}, headers=headers
    )
    assert patched.status_code == 200, patched.json
    assert (patched.json["quorum_kind"], patched.json["quorum_value"]) == ("at_least", 67)
    site_url = f"{url}/sites/{rakor.site.id}"
    site = client.patch(
        site_url, json={"quorum_kind": "people", "quorum_value": 2}, headers=headers
    )
    assert site.status_code == 200, site.json
    assert (site.json["quorum_kind"], site.json["quorum_value"]) == ("people", 2)
    for bad, field in (
        ({"quorum_kind": "at_least", "quorum_value": 101}, "quorum_value"),
        ({"quorum_kind": "at_least"}, "quorum_value"),
        ({"quorum_value": 5}, "quorum_kind"),
        ({"quorum_kind": "sebagian", "quorum_value": 5}, "quorum_kind"),
        ({"quorum_kind": "people", "quorum_value": 0}, "quorum_value"),
    ):
        refused = client.patch(url, json=bad, headers=headers)
        assert refused.status_code == 422, bad
        assert field in refused.json["errors"], (bad, refused.json)
    assert (rakor.meeting.quorum_kind, rakor.meeting.quorum_value) == (QuorumKind.AT_LEAST, 67)
    cleared = client.patch(url, json={"quorum_kind": None}, headers=headers)
    assert (cleared.json["quorum_kind"], cleared.json["quorum_value"]) == (None, None)
    presence_now = client.get(
        f"{API}/meetings/{rakor.meeting.id}/attendance/summary", headers=headers
    ).json
    host = next(s for s in presence_now["sites"] if s["site_id"] == rakor.site.id)
    assert (presence_now["quorum"]["state"], host["quorum"]["state"]) == ("not_met", "not_met")


def test_a_cloned_meeting_keeps_its_rules(rakor):
    from meetcoord.meetings.series import clone_meeting

    rakor.meeting.quorum_kind, rakor.meeting.quorum_value = QuorumKind.MORE_THAN, 50
    rakor.site.quorum_kind, rakor.site.quorum_value = QuorumKind.PEOPLE, 2
    copy = clone_meeting(rakor.staff, rakor.meeting, rakor.meeting.start_at + timedelta(days=91))
    assert (copy.quorum_kind, copy.quorum_value) == (QuorumKind.MORE_THAN, 50)
    assert (copy.sites[0].quorum_kind, copy.sites[0].quorum_value) == (QuorumKind.PEOPLE, 2)


def test_the_minutes_note_the_quorum(rakor):
    assert document_note(rakor.meeting) is None  # no rule, no line
    services.update_meeting(
        rakor.staff, rakor.meeting, {"quorum_kind": "more_than", "quorum_value": 50}
    )
    desk = Actor(user=rakor.staff)
    for n in range(2):
        redeem_credential(desk, rakor.site, keys.credential_for(rakor.invitee(n)), f"m{n}")
    check_out(Attendance.query.first())  # left early: still attended
    note = "kuorum terpenuhi (lebih dari 50% undangan, 2 dari 3; hadir 2)"
    assert document_note(rakor.meeting) == note
    document = compose_minutes(minutes_data(rakor.meeting))
    assert document.participants.endswith(f"; {note}")
