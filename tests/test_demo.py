"""The demo data: loaded through the services, faithful to the seed meetings, not repeated."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from meetcoord.accounts.services import authenticate
from meetcoord.core.audit import AuditEntry
from meetcoord.demo import DEMO_LOGINS, directory_is_empty, load_demo
from meetcoord.demo.people import PEOPLE, email_for
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
    assert demo["people"] == _count(Person) == len(PEOPLE)
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
    assert count == len(PEOPLE)
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
    assert demo["meetings"] == 1
    assert meeting.status is MeetingStatus.SCHEDULED
    assert [s.venue.zone_label for s in meeting.sites] == ["WITA", "WITA", "WIB"]
    assert len(meeting.agenda) == 3
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
