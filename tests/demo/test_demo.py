"""The demo data: loaded through the services, faithful to the seed meetings, not repeated."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from meetcoord.accounts.services import authenticate
from meetcoord.core.audit import AuditEntry
from meetcoord.demo import DEMO_LOGINS, directory_is_empty, load_demo
from meetcoord.demo.people import PEOPLE, email_for
from meetcoord.demo.webinar import REGISTRANTS
from meetcoord.directory.models import (
    Forum,
    ForumRole,
    Gender,
    Organization,
    OrgKind,
    Person,
    StakeholderCategory,
    Venue,
)
from meetcoord.extensions import db


@pytest.fixture
def demo(db_session):
    return load_demo()


def _org(name: str) -> Organization:
    org = db.session.scalar(select(Organization).where(Organization.name == name))
    assert org is not None, name
    return org


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_directory_is_empty_before_and_not_after(db_session):
    assert directory_is_empty()
    load_demo()
    assert not directory_is_empty()


def test_summary_counts_what_was_created(demo):
    assert demo["users"] == len(DEMO_LOGINS)
    assert demo["organizations"] == _count(Organization)
    # the directory's people and the seed 004 webinar's registrants
    assert demo["people"] == _count(Person) == len(PEOPLE) + len(REGISTRANTS)
    assert demo["forums"] == 2
    assert demo["venues"] == _count(Venue) >= 6
    assert demo["forum members"] >= 24


def test_loading_goes_through_the_audited_services(demo):
    creates = Counter(
        db.session.scalars(select(AuditEntry.entity_type).where(AuditEntry.action == "create"))
    )
    assert creates["organizations"] == demo["organizations"]
    assert creates["people"] == demo["people"]
    assert creates["venues"] == demo["venues"]
    assert creates["users"] == len(DEMO_LOGINS)


def test_forum_bangkit_has_24_members_and_its_decree(demo):
    forum = db.session.scalar(select(Forum).where(Forum.short_name == "Forum BangKIT"))
    assert forum.decree_number == "289/KEP/HK/2023"
    assert forum.decree_issuer == "Bupati Sumba Barat Daya"
    assert forum.organization.short_name == "Bappeda SBD"
    assert len(forum.members) == 24
    roles = Counter(member.role for member in forum.members)
    assert roles[ForumRole.CHAIR] == 1
    assert roles[ForumRole.SECRETARY] == 1
    # representatives of the OPD of the regency government, including camat
    parents = {member.person.organization.parent.short_name for member in forum.members}
    assert parents == {"Pemkab SBD"}
    positions = [member.person.position for member in forum.members]
    assert sum(position.startswith("Camat") for position in positions) >= 2


def test_maluku_forum_from_the_governor_decree(demo):
    forum = db.session.scalar(select(Forum).where(Forum.decree_number == "90 Tahun 2023"))
    assert forum.decree_issuer == "Gubernur Maluku"
    assert forum.organization.short_name == "TGPP Maluku"
    assert any(m.role is ForumRole.CHAIR for m in forum.members)


def test_seed_agencies_and_stakeholder_groups_are_present(demo):
    assert _org("Yayasan BaKTI (Bursa Pengetahuan Kawasan Timur Indonesia)").kind is OrgKind.NGO
    bappeda_ntb = _org("Badan Perencanaan Pembangunan Daerah Provinsi Nusa Tenggara Barat")
    bappeda_lotim = _org("Badan Perencanaan Pembangunan Daerah Kabupaten Lombok Timur")
    assert bappeda_ntb.parent.name == "Pemerintah Provinsi Nusa Tenggara Barat"
    assert bappeda_lotim.parent.name == "Pemerintah Kabupaten Lombok Timur"
    assert _org("Bank NTB Syariah").kind is OrgKind.PRIVATE
    assert _org("Universitas Mataram").kind is OrgKind.ACADEMIA
    assert _org("Badan Amil Zakat Nasional Provinsi Maluku").kind is OrgKind.RELIGIOUS
    assert _org("Kementerian Perencanaan Pembangunan Nasional/Bappenas").kind is OrgKind.NATIONAL
    short_names = set(db.session.scalars(select(Organization.short_name)))
    assert {"KONSEPSI NTB", "Islamic Relief", "HIMASPI", "TGPP Maluku", "Dinas PMD Maluku"} <= (
        short_names
    )
    categories = set(db.session.scalars(select(Person.category)))
    assert {
        StakeholderCategory.GOVERNMENT,
        StakeholderCategory.NGO,
        StakeholderCategory.ACADEMIA,
        StakeholderCategory.RELIGIOUS_LEADER,
        StakeholderCategory.WOMEN_LEADER,
        StakeholderCategory.YOUTH_LEADER,
        StakeholderCategory.PRIVATE_SECTOR,
        StakeholderCategory.FACILITATOR,
    } <= categories


def test_people_are_realistic(demo):
    people = db.session.scalars(select(Person)).all()
    genders = Counter(person.gender for person in people)
    assert genders[Gender.FEMALE] >= len(people) // 4
    assert genders[Gender.MALE] >= len(people) // 4
    assert any(person.has_disability for person in people)
    for person in people:
        assert person.phone.startswith("+628"), person.phone  # typed as 08xx, stored E.164
        assert person.email.endswith(".example"), person.email
        assert person.position
        assert "lorem" not in (person.name + person.position).lower()


def test_every_demo_person_reads_times_in_their_agencys_zone(demo):
    """No demo person sets a zone: each follows their agency's region."""
    people = db.session.scalars(select(Person)).all()
    assert all(person.timezone is None and person.zone for person in people)
    labels = Counter(
        (person.organization.region, person.zone_label) for person in people if person.organization
    )
    for region, label in labels:
        expected = "WIT" if "Maluku" in region else "WIB" if "Jakarta" in region else "WITA"
        assert label == expected, region


@pytest.mark.parametrize(
    ("venue", "label"),
    [
        ("Aula Bappeda Sumba Barat Daya, Tambolaka", "WITA"),
        ("Ruang Rapat BAPPEDA Provinsi NTB, Mataram", "WITA"),
        ("Ruang Rapat BAPPEDA Kabupaten Lombok Timur, Selong", "WITA"),
        ("Ruang Rapat Lantai 6 Kantor Gubernur Maluku, Ambon", "WIT"),
        ("Ruang Rapat Bappenas, Jakarta", "WIB"),
    ],
)
def test_venue_zones(demo, venue, label):
    row = db.session.scalar(select(Venue).where(Venue.name == venue))
    assert row is not None
    assert row.zone_label == label
    assert row.capacity > 0


def test_demo_logins_authenticate(demo):
    roles = Counter(login.role for login in DEMO_LOGINS)
    assert roles == {"admin": 1, "secretariat": 2, "viewer": 1}
    for login in DEMO_LOGINS:
        assert len(login.password) >= 10
        user = authenticate(login.email, login.password)
        assert user is not None, login.email
        assert user.role.value == login.role
        assert authenticate(login.email, login.password + "x") is None


def test_loading_twice_creates_nothing_new(demo):
    before = _count(Person), _count(Organization), _count(Venue)
    again = load_demo()
    assert set(again.values()) == {0}
    assert (_count(Person), _count(Organization), _count(Venue)) == before


def test_cli_if_empty_loads_once(runner):
    first = runner.invoke(args=["demo", "load", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "demo loaded" in first.output
    count = _count(Person)
    assert count == len(PEOPLE) + len(REGISTRANTS)
    second = runner.invoke(args=["demo", "load", "--if-empty"])
    assert second.exit_code == 0, second.output
    assert "already has data" in second.output
    assert _count(Person) == count


def test_cli_prints_the_logins(runner):
    result = runner.invoke(args=["demo", "logins"])
    assert result.exit_code == 0
    for login in DEMO_LOGINS:
        assert login.email in result.output
        assert login.password in result.output


def test_demo_emails_are_unique():
    from meetcoord.demo.organizations import ORGANIZATIONS

    domains = {org["key"]: org["domain"] for org in ORGANIZATIONS}
    emails = [email_for(row.name, domains[row.org]) for row in PEOPLE]
    assert len(emails) == len(set(emails))
    assert email_for("Dr. Baiq Rika Ayu Febrilia, M.E.", "unram.example") == (
        "baiq.rika.ayu.febrilia@unram.example"
    )


def test_the_demo_meeting_is_ready_to_run_live_and_mails_nobody(demo, runner, client):
    """`make run` gives a newcomer a meeting to open in the live room straight away."""
    import re

    from meetcoord.core.outbox import OutboxMessage
    from meetcoord.demo.meetings import TITLE, find_demo_meeting
    from meetcoord.meetings.models import InviteeRole, MeetingStatus

    meeting = find_demo_meeting()
    # this one, last week's (below), NTB's co-hosted draft and the seed 004 webinar
    assert demo["meetings"] == 4
    assert meeting.status is MeetingStatus.SCHEDULED
    assert [s.venue.zone_label for s in meeting.sites] == ["WITA", "WITA", "WIB"]
    assert len(meeting.agenda) == 5  # its own three after the two standing items (followup)
    roles = Counter(i.role for i in meeting.invitations)
    assert roles[InviteeRole.CHAIR] == 1
    assert roles[InviteeRole.MINUTE_TAKER] == 1
    assert len(meeting.invitations) == 24  # Forum BangKIT
    assert _count(OutboxMessage) == 0  # demo addresses lead nowhere: nothing queued

    result = runner.invoke(args=["demo", "logins"])
    assert TITLE in result.output
    console = re.search(r"chair's console\s+http://[^/]+(/i/\S+/console)", result.output)
    phone = re.search(r"a participant's phone\s+http://[^/]+(/i/\S+/live)", result.output)
    assert console
    assert phone
    assert client.get(console.group(1)).status_code == 200
    assert client.get(phone.group(1)).status_code == 200
    # Straight away also means inside the check-in window, which opens the room too.
    from meetcoord.access.actors import Actor
    from meetcoord.checkin import selfservice
    from meetcoord.live import services as live

    assert selfservice.closed(meeting.sites[0]) is None
    chair = next(i for i in meeting.invitations if i.role is InviteeRole.CHAIR)
    live.open_meeting(Actor(invitation=chair), meeting.id, "demo-open")
    assert meeting.status is MeetingStatus.LIVE


# --- last week's meeting, held and closed, with draft minutes ------------------------------


def _past():
    from meetcoord.demo.past_meeting import find_past_meeting, minutes_of

    meeting = find_past_meeting()
    assert meeting is not None
    return meeting, minutes_of(meeting)


def test_last_weeks_meeting_was_held_through_the_live_room(demo):
    from datetime import timedelta

    from meetcoord.actions.models import Action
    from meetcoord.checkin.models import Attendance, CheckinMethod
    from meetcoord.core.db import utcnow
    from meetcoord.core.timezones import to_zone
    from meetcoord.live.log import verify_chain
    from meetcoord.live.models import Decision, DecisionKind, ItemNote, LiveRoom, RoomState
    from meetcoord.meetings.models import InviteeRole, MeetingStatus

    meeting, _minutes = _past()
    assert demo["meetings"] == 4
    assert meeting.status is MeetingStatus.CLOSED
    assert "Stunting" in meeting.title
    assert meeting.forum.short_name == "Forum BangKIT"
    assert meeting.end_at <= utcnow() - timedelta(days=5)  # last week, not today
    assert utcnow() - meeting.start_at < timedelta(days=14)
    host, linked = meeting.sites
    assert host.venue.name == "Aula Bappeda Sumba Barat Daya, Tambolaka"
    assert linked.venue.name == "Kantor Yayasan BaKTI, Makassar"
    assert len(meeting.agenda) == 3
    assert len(meeting.invitations) == 24
    roles = {i.role: i.person.name for i in meeting.invitations}
    assert roles[InviteeRole.CHAIR].startswith("Yohanes Bili Kaka")
    assert roles[InviteeRole.MINUTE_TAKER].startswith("Maria Goreti Lende")

    room = db.session.scalar(select(LiveRoom).where(LiveRoom.meeting_id == meeting.id))
    assert room.state is RoomState.CLOSED
    assert verify_chain(meeting.id).ok
    items = [item.id for item in meeting.agenda]
    notes = db.session.scalars(select(ItemNote).where(ItemNote.agenda_item_id.in_(items))).all()
    assert len(notes) == 2
    assert all(len(note.text) > 200 for note in notes)

    decisions = db.session.scalars(
        select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.number)
    ).all()
    assert [d.number for d in decisions] == [1, 2, 3]
    vote = next(d for d in decisions if d.kind is DecisionKind.VOTE)
    (tally,) = vote.tallies
    assert tally.site_id == host.id
    assert (tally.votes_for, tally.votes_against, tally.abstentions) == (15, 1, 2)

    actions = db.session.scalars(select(Action).where(Action.meeting_id == meeting.id)).all()
    assert len(actions) == 7
    assert {a.organization.short_name for a in actions} == {
        "Dinkes SBD",
        "Dinas Ketahanan Pangan SBD",
        "DPMD SBD",
        "Bappeda SBD",
        "Kec. Loura",
        "Kec. Wewewa Barat",
    }
    for action in actions:
        assert action.decision_id == vote.id
        assert action.locus
        assert action.due_on > to_zone(meeting.start_at, "Asia/Makassar").date()
        assert action.person is not None

    # the host desk's scans, uploaded with the time each was made
    attendances = db.session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting.id)
    ).all()
    assert len(attendances) == 18
    assert {a.site_id for a in attendances} == {host.id}
    assert {a.method for a in attendances} == {CheckinMethod.DESK_OFFLINE}
    for attendance in attendances:
        local = to_zone(attendance.checked_in_at, "Asia/Makassar")
        assert local.date() == to_zone(meeting.start_at, "Asia/Makassar").date()
        assert (8, 30) <= (local.hour, local.minute) <= (9, 10)


def test_last_weeks_minutes_are_a_draft_with_the_notes_and_decisions(demo):
    from meetcoord.demo import DEMO_LOGINS
    from meetcoord.documents.models import DocumentStatus

    meeting, minutes = _past()
    assert demo["documents"] == 1
    assert minutes is not None
    assert minutes.status is DocumentStatus.DRAFT
    secretariat = next(login for login in DEMO_LOGINS if login.email.startswith("bappeda.sbd"))
    assert minutes.created_by.email == secretariat.email
    content = minutes.content
    assert content["title"] == meeting.title
    assert content["agenda"][0]["notes"] == ""
    assert "e-PPGBM" in content["agenda"][1]["notes"]
    assert "desa lokus" in content["agenda"][2]["notes"]
    assert len(content["decisions"]) == 3
    assert any("Desa Karuni" in d["text"] for d in content["decisions"])
    vote = next(d for d in content["decisions"] if d["kind"] == "vote")
    assert vote["tallies"][0]["votes_for"] == 15
    assert {
        "Desa Karuni, Kecamatan Loura",
        "Desa Waimangura, Kecamatan Wewewa Barat",
    } <= {a["locus"] for a in content["actions"]}
    assert len(content["actions"]) == 7
    assert sum(part["total"] for part in content["attendance"]) == 18
    assert content["minute_taker"].startswith("Maria Goreti Lende")


def test_the_demo_queues_no_mail(demo):
    from meetcoord.core.outbox import OutboxMessage

    assert _count(OutboxMessage) == 0


def test_loading_twice_leaves_the_past_meeting_as_it_was(demo):
    from meetcoord.actions.models import Action
    from meetcoord.checkin.models import Attendance
    from meetcoord.documents.models import Document, DocumentStep
    from meetcoord.live.models import Decision, MeetingEvent
    from meetcoord.meetings.models import Meeting

    models = (Meeting, MeetingEvent, Decision, Action, Attendance, Document, DocumentStep)
    before = [_count(model) for model in models]
    again = load_demo()
    assert again["meetings"] == again["documents"] == 0
    assert [_count(model) for model in models] == before


def test_cli_prints_the_past_meetings_document_links_and_they_open(demo, runner, app, auth):
    import re

    from meetcoord.demo import DEMO_LOGINS

    meeting, minutes = _past()
    result = runner.invoke(args=["demo", "logins"])
    assert result.exit_code == 0, result.output
    assert meeting.title in result.output
    page = re.search(
        r"secretariat documents\s+http://[^/]+(/meetings/\d+/documents)\s", result.output
    )
    mine = re.search(
        r"minute-taker's minutes\s+http://[^/]+(/i/\S+/documents/(\d+))\s", result.output
    )
    chair = re.search(
        r"chair, once circulated\s+http://[^/]+(/i/\S+/documents/(\d+))\s", result.output
    )
    assert page
    assert mine
    assert chair
    assert chair.group(1) != mine.group(1)
    assert page.group(1) == f"/meetings/{meeting.id}/documents"
    assert int(mine.group(2)) == minutes.id

    # the documents page, logged in as the demo secretariat (through the login form)
    secretariat = next(login for login in DEMO_LOGINS if login.email.startswith("bappeda.sbd"))
    client = auth.client
    token = auth.token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"email": secretariat.email, "password": secretariat.password, "csrf_token": token},
    )
    assert response.status_code == 302
    response = client.get(page.group(1))
    assert response.status_code == 200
    assert minutes.title in response.get_data(as_text=True)

    # the minute-taker's personal link needs no account
    response = app.test_client().get(mine.group(1))
    assert response.status_code == 200
    assert "e-PPGBM" in response.get_data(as_text=True)
    # the chair's link to the same draft: not theirs to read until it is circulated
    assert app.test_client().get(chair.group(1)).status_code == 404


def test_demo_institutions_own_their_work(demo):
    """Each seed body is an institution with its own letterhead and numbers; the BangKIT
    meetings are Bappeda SBD's, the NTB synchronisation is co-hosted by Lombok Timur, and
    each demo staff login works for its own institution."""
    from meetcoord.access.models import Institution, MemberRole, Membership
    from meetcoord.demo.meetings import find_cohosted_meeting, find_demo_meeting
    from meetcoord.demo.past_meeting import find_past_meeting

    assert demo["institutions"] == 5
    by_short = {
        inst.short_name: inst
        for inst in db.session.scalars(
            select(Institution).where(Institution.short_name.is_not(None))
        )
    }
    assert set(by_short) == {
        "Bappeda SBD",
        "BAPPEDA NTB",
        "BAPPEDA Lombok Timur",
        "Bappeda Maluku",
        "Bappenas",
    }
    patterns = [inst.letter_number_pattern for inst in by_short.values()]
    assert len(set(patterns)) == len(patterns)  # a letter shows whose it is
    assert all(inst.organization_id is not None for inst in by_short.values())
    sbd, ntb, lotim = (
        by_short["Bappeda SBD"],
        by_short["BAPPEDA NTB"],
        by_short["BAPPEDA Lombok Timur"],
    )
    assert find_demo_meeting().institution_id == sbd.id
    assert find_past_meeting().institution_id == sbd.id
    assert (
        db.session.scalar(select(Forum).where(Forum.short_name == "Forum BangKIT")).institution_id
        == sbd.id
    )
    synchronisation = find_cohosted_meeting()
    assert (synchronisation.institution_id, synchronisation.cohost_institution_id) == (
        ntb.id,
        lotim.id,
    )
    memberships = {
        (m.user.email, m.institution.short_name, m.role)
        for m in db.session.scalars(select(Membership))
    }
    assert memberships == {
        ("bappeda.sbd@meetcoord.example", "Bappeda SBD", MemberRole.SECRETARIAT),
        ("bappeda.ntb@meetcoord.example", "BAPPEDA NTB", MemberRole.SECRETARIAT),
        ("pemantau@meetcoord.example", "Bappenas", MemberRole.VIEWER),
    }
