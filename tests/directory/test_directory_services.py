"""Directory rules, whichever door a change comes through (form, API, CSV)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from meetcoord.core.audit import AuditEntry
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.directory import services
from meetcoord.directory.models import Organization, OrgKind, Person, StakeholderCategory, Venue
from meetcoord.directory.services import ListQuery
from meetcoord.extensions import db
from tests import factories
from tests.helpers import count


@pytest.fixture
def editor():
    return factories.user("secretariat")


def test_organization_created_with_aliases_and_audited(editor):
    org = services.save_organization(
        editor,
        {"name": "Bappeda Kabupaten Sumba Barat Daya", "kind": "OPD", "level": "kabupaten"},
    )
    assert org.kind is OrgKind.OPD
    assert org.level.value == "regency"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "organizations"))
    assert [e.action for e in entry] == ["create"]


def test_every_problem_of_a_record_is_reported_at_once(editor):
    with pytest.raises(ValidationError) as caught:
        services.save_organization(
            editor, {"name": "", "kind": "kementerian", "level": None, "email": "bukan-email"}
        )
    assert set(caught.value.errors) == {"name", "kind", "level", "email"}
    assert count(Organization) == 0


def test_duplicate_name_is_a_conflict_case_insensitively(editor):
    factories.organization(name="Dinas Sosial Provinsi Maluku")
    with pytest.raises(Conflict) as caught:
        services.save_organization(
            editor, {"name": "dinas sosial provinsi maluku", "kind": "opd", "level": "province"}
        )
    assert "name" in caught.value.errors


def test_parent_cycle_is_refused(editor):
    top = factories.organization(name="Pemerintah Provinsi Maluku", level="province")
    child = factories.organization(name="Dinas PMD Provinsi Maluku", parent=top)
    with pytest.raises(ValidationError) as caught:
        services.save_organization(editor, {"parent_id": child.id}, top)
    assert "parent_id" in caught.value.errors
    db.session.refresh(top)
    assert top.parent_id is None


def test_unknown_parent_is_refused(editor):
    with pytest.raises(ValidationError) as caught:
        services.save_organization(
            editor, {"name": "Dinas X", "kind": "opd", "level": "regency", "parent_id": 99999}
        )
    assert "parent_id" in caught.value.errors


def test_person_phone_and_email_normalised(editor):
    person = services.save_person(
        editor,
        {
            "name": "Maria Goreti Bulu",
            "email": "Maria.Bulu@Example.go.id",
            "phone": "0812-3456-7890",
            "gender": "P",
            "category": "tokoh perempuan",
            "has_disability": "ya",
        },
    )
    assert person.email == "maria.bulu@example.go.id"
    assert person.phone == "+6281234567890"
    assert person.category is StakeholderCategory.WOMEN_LEADER
    assert person.has_disability is True


def test_duplicate_person_email_refused(editor):
    factories.person(email="lalu.hamdi@ntbprov.example.go.id")
    with pytest.raises(Conflict) as caught:
        services.save_person(
            editor,
            {
                "name": "Lalu Hamdi",
                "email": "LALU.HAMDI@ntbprov.example.go.id",
                "category": "government",
            },
        )
    assert "email" in caught.value.errors


def test_partial_update_keeps_other_fields(editor):
    person = factories.person(name="Umbu Dedi", position="Kepala Bidang")
    services.save_person(editor, {"position": "Sekretaris Dinas"}, person)
    assert (person.name, person.position) == ("Umbu Dedi", "Sekretaris Dinas")


def test_venue_needs_a_known_zone_and_positive_capacity(editor):
    with pytest.raises(ValidationError) as caught:
        services.save_venue(editor, {"name": "Aula", "timezone": "Asia/Tambolaka", "capacity": 0})
    assert set(caught.value.errors) == {"timezone", "capacity"}
    venue = services.save_venue(
        editor, {"name": "Aula Bappeda SBD", "timezone": "Asia/Makassar", "capacity": "80"}
    )
    assert (venue.zone_label, venue.capacity) == ("WITA", 80)


def test_wrong_types_are_field_errors_not_crashes(editor):
    with pytest.raises(ValidationError) as caught:
        services.save_venue(editor, {"name": ["x"], "timezone": 7, "capacity": "delapan puluh"})
    assert set(caught.value.errors) == {"name", "timezone", "capacity"}


def test_viewer_cannot_change_the_directory():
    viewer = factories.user("viewer")
    with pytest.raises(PermissionDenied):
        services.save_venue(viewer, {"name": "Aula", "timezone": "Asia/Jakarta"})
    assert count(Venue) == 0


def test_delete_refused_names_what_refers(editor):
    org = factories.organization(name="Dinas Pertanian Kabupaten Sumba Barat Daya")
    factories.person(organization=org)
    factories.person(organization=org)
    factories.venue(organization=org)
    with pytest.raises(Conflict) as caught:
        services.delete_record(editor, org)
    message = str(caught.value.message)
    assert "2 orang" in message
    assert "1 tempat" in message
    assert db.session.get(Organization, org.id) is not None


def test_forum_delete_takes_its_memberships_but_not_people(editor):
    forum = factories.forum(members=3)
    services.delete_record(editor, forum)
    assert count(Person) == 3


def test_person_in_a_forum_cannot_be_deleted(editor):
    forum = factories.forum(members=1)
    person = forum.members[0].person
    with pytest.raises(Conflict) as caught:
        services.delete_record(editor, person)
    assert "keanggotaan forum" in str(caught.value.message)


def test_forum_member_added_once(editor):
    forum = factories.forum()
    person = factories.person()
    services.add_forum_member(editor, forum, person.id, "chair")
    with pytest.raises(Conflict):
        services.add_forum_member(editor, forum, person.id, "member")
    with pytest.raises(ValidationError):
        services.add_forum_member(editor, forum, person.id, "bendahara")
    assert len(forum.members) == 1


def test_list_search_sort_filter_and_page():
    for name in ("Aula Bappeda Lombok Timur", "Aula Bappeda NTB", "Ruang Rapat Bappenas"):
        factories.venue(
            name=name, timezone="Asia/Jakarta" if "Bappenas" in name else "Asia/Makassar"
        )
    page = services.list_records(Venue, ListQuery(q="aula", sort="name", descending=True), None)
    assert [v.name for v in page.items] == ["Aula Bappeda NTB", "Aula Bappeda Lombok Timur"]
    page = services.list_records(Venue, ListQuery(filters={"timezone": "Asia/Jakarta"}), None)
    assert [v.name for v in page.items] == ["Ruang Rapat Bappenas"]
    page = services.list_records(Venue, ListQuery(per_page=2, page=2), None)
    assert (page.total, page.pages, len(page.items)) == (3, 2, 1)
    page = services.list_records(Venue, ListQuery(per_page=2, page=99), None)
    assert page.page == 2  # past the end → last page


def test_search_treats_wildcards_literally():
    factories.venue(name="Aula 100% Rakyat")
    factories.venue(name="Aula Lain")
    assert services.list_records(Venue, ListQuery(q="100%"), None).total == 1
    assert services.list_records(Venue, ListQuery(q="_"), None).total == 0


def test_list_loads_each_pages_relations_in_bounded_queries(db_session):
    """A page of people costs the same few queries whether it shows 3 rows or 30."""
    from sqlalchemy import event

    orgs = [factories.organization() for _ in range(3)]
    for n in range(30):
        factories.person(organization=orgs[n % 3])
    db_session.expire_all()
    statements: list[str] = []
    engine = db_session.get_bind()

    def count(*args):  # before_cursor_execute signature
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        page = services.list_records(Person, ListQuery(per_page=30), None)
        names = {person.organization.name for person in page.items}
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(names) == 3
    assert len(statements) <= 3  # count, page, organizations
