"""The meeting page as a workspace (issue 16 point 4): one short tab per section, every
action back on its tab, the person picker's search, a group invite that keeps each member
at their usual site, the warning before sending without a chair or minute-taker, links to
each site's kiosk and desk, and the stand-in's letter for the secretariat only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from meetcoord.meetings import agenda, invitations, services
from meetcoord.meetings.models import AgendaItem, MeetingStatus
from meetcoord.meetings.usual_site import usual_sites
from tests import factories
from tests.helpers import count, text

START = datetime(2030, 3, 15, 1, 0, tzinfo=UTC)
TABS = ("overview", "sites", "agenda", "invitees", "checkin", "live", "documents")


@pytest.fixture
def editor(auth):
    return auth.login("secretariat")


def make(editor, *, forum=None, start=START, venues=None):
    """A WITA-hosted meeting with sites at an Ambon (Maluku) and a Jakarta office."""
    venues = venues or {
        "host": factories.venue(name="Aula Bappeda SBD", city="Tambolaka, Sumba Barat Daya"),
        "ambon": factories.venue(
            name="Kantor Gubernur Maluku", city="Kota Ambon, Maluku", timezone="Asia/Jayapura"
        ),
        "jakarta": factories.venue(
            name="Ruang Rapat Bappenas", city="Jakarta", timezone="Asia/Jakarta"
        ),
    }
    data = {
        "title": "Rakor Forum BangKIT",
        "kind": "coordination",
        "host_venue_id": venues["host"].id,
        "start_at": start,
        "end_at": start + timedelta(hours=2),
    }
    if forum is not None:
        data["forum_id"] = forum.id
    meeting = services.create_meeting(editor, data)
    for key in ("ambon", "jakarta"):
        services.add_site(editor, meeting, {"venue_id": venues[key].id})
    return meeting, venues


def site_at(meeting, venue):
    return next(site for site in meeting.sites if site.venue_id == venue.id)


def current(html: str) -> list[str]:
    """The labels marked current in the meeting's tab bar."""
    bar = html.split('class="section-nav meeting-tabs"', 1)[1].split("</nav>", 1)[0]
    return [m.strip() for m in re.findall(r'aria-current="page">([^<]+)', bar)]


# --- tabs -------------------------------------------------------------------------------


def test_each_tab_is_its_own_short_page_marked_current(client, editor):
    meeting, _venues = make(editor)
    agenda.add_agenda_item(
        editor, meeting, {"title": "Pembukaan", "planned_minutes": 10, "kind": "discussion"}
    )
    pages = {tab: text(client.get(f"/meetings/{meeting.id}?tab={tab}")) for tab in TABS}
    assert current(pages["overview"]) == ["Ringkasan"]
    assert current(pages["agenda"]) == ["Agenda"]
    assert current(pages["invitees"])[0].startswith("Undangan")
    assert "Pembukaan" in pages["agenda"]
    assert "Pembukaan" not in pages["overview"]
    assert "Tambah lokasi" in pages["sites"]
    assert "Tambah lokasi" not in pages["agenda"]
    assert "Konsol rapat" in pages["live"]
    assert "Konsol rapat" not in pages["overview"]
    # Each tab links every other; an unknown tab is the overview, the same as no tab.
    for tab in TABS[1:]:
        assert f'href="/meetings/{meeting.id}?tab={tab}"' in pages["overview"]
    assert current(text(client.get(f"/meetings/{meeting.id}?tab=bogus"))) == ["Ringkasan"]
    assert len(pages["overview"]) < len(pages["sites"]) + len(pages["agenda"])


def test_tabs_in_english(client, auth, editor):
    meeting, _venues = make(editor)
    auth.post("/lang", {"lang": "en", "next": "/meetings/"})
    page = text(client.get(f"/meetings/{meeting.id}?tab=checkin"))
    assert current(page) == ["Attendance"]
    assert "Summary" in page
    assert "Kiosk QR" in page
    assert "Registration desk" in page


def test_every_action_returns_to_its_tab(client, auth, editor):
    meeting, venues = make(editor)
    person = factories.person()
    location = auth.post(
        f"/meetings/{meeting.id}/agenda",
        {"title": "Paparan", "planned_minutes": "20", "kind": "discussion"},
    ).headers["Location"]
    assert location.endswith(f"/meetings/{meeting.id}?tab=agenda")
    item = meeting.agenda[0]
    moved = auth.post(f"/meetings/{meeting.id}/agenda/{item.id}/move", {"direction": "up"})
    assert moved.headers["Location"].endswith("?tab=agenda")
    invited = auth.post(
        f"/meetings/{meeting.id}/invitations/person",
        {"p-person_ids": person.id, "p-role": "chair", "p-site_id": ""},
    )
    assert invited.headers["Location"].endswith("?tab=invitees")
    site = site_at(meeting, venues["jakarta"])
    edited = auth.post(f"/meetings/{meeting.id}/sites/{site.id}/edit", {"capacity": "12"})
    assert edited.headers["Location"].endswith("?tab=sites")
    # The flash message is on the tab the redirect lands on, at the top, as a status.
    page = text(client.get(edited.headers["Location"]))
    assert current(page)[0].startswith("Lokasi")
    assert re.search(r'role="status">Lokasi Ruang Rapat Bappenas tersimpan\.', page)
    # A refused form is shown again on its own tab.
    refused = auth.post(f"/meetings/{meeting.id}/agenda", {"title": "", "planned_minutes": "x"})
    assert refused.status_code == 422
    assert current(text(refused)) == ["Agenda"]


def test_agenda_added_as_json_returns_the_row(client, auth, editor):
    meeting, _venues = make(editor)
    agenda.add_agenda_item(
        editor, meeting, {"title": "Pembukaan", "planned_minutes": 10, "kind": "discussion"}
    )
    headers = {"Accept": "application/json"}
    added = auth.post(
        f"/meetings/{meeting.id}/agenda",
        {"title": "Paparan RTL", "planned_minutes": "30", "kind": "discussion"},
        headers=headers,
    )
    assert added.status_code == 200
    body = added.json
    assert body["ok"] is True
    assert body["message"] == "Butir agenda Paparan RTL ditambahkan."
    assert "Paparan RTL" in body["html"]
    assert "09.10 WITA" in body["html"]
    assert 'aria-label="Turunkan Paparan RTL"' in body["html"]
    assert "09.40 WITA" in body["summary"]
    assert count(AgendaItem) == 2
    bad = auth.post(f"/meetings/{meeting.id}/agenda", {"title": ""}, headers=headers)
    assert bad.status_code == 422
    assert bad.json["ok"] is False
    assert count(AgendaItem) == 2


# --- the person picker ------------------------------------------------------------------


def test_people_search_finds_by_name_and_marks_who_is_invited(client, auth, editor):
    meeting, _venues = make(editor)
    maria = factories.person(name="Maria Kaka Bili", position="Kepala Bidang")
    factories.person(name="Yohanes Lado")
    invitations.invite(editor, meeting, {"person_ids": [maria.id]})
    found = client.get(f"/meetings/{meeting.id}/people.json?q=kaka").json["people"]
    assert [p["name"] for p in found] == ["Maria Kaka Bili"]
    assert found[0]["invited"] is True
    assert client.get(f"/meetings/{meeting.id}/people.json?q=zzzz").json["people"] == []
    auth.logout()
    auth.login("viewer")
    assert client.get(f"/meetings/{meeting.id}/people.json?q=kaka").status_code == 403


def test_the_picker_degrades_to_a_select(client, editor):
    meeting, _venues = make(editor)
    factories.person(name="Maria Kaka Bili")
    page = text(client.get(f"/meetings/{meeting.id}?tab=invitees"))
    assert f'data-search-url="/meetings/{meeting.id}/people.json"' in page
    assert re.search(r'<select[^>]*id="p-person_ids"', page)
    assert "Maria Kaka Bili" in page
    # Invite forms come before the list of invitees.
    assert page.index("Seluruh anggota forum") < page.index("Belum ada yang diundang.")


# --- the usual site ---------------------------------------------------------------------


def test_a_forum_invite_keeps_each_member_at_their_usual_site(client, auth, editor):
    forum = factories.forum()
    earlier, venues = make(editor, forum=forum, start=START - timedelta(days=90))
    meeting, _venues = make(editor, forum=forum, venues=venues)
    maluku = factories.organization(name="Bappeda Provinsi Maluku", region="Maluku")
    own_office = factories.organization(name="Bappenas")
    venues["jakarta"].organization_id = own_office.id
    regular = factories.person(name="Pernah di Jakarta")  # went to Jakarta last time
    from_ambon = factories.person(name="Dari Maluku", organization=maluku)
    of_bappenas = factories.person(name="Staf Bappenas", organization=own_office)
    stranger = factories.person(name="Tanpa wilayah")
    invitations.invite(
        editor,
        earlier,
        {"person_ids": [regular.id], "site_id": site_at(earlier, venues["jakarta"]).id},
    )
    from meetcoord.directory.models import ForumMember, ForumRole
    from meetcoord.extensions import db

    for person in (regular, from_ambon, of_bappenas, stranger):
        db.session.add(ForumMember(forum=forum, person=person, role=ForumRole.MEMBER))
    db.session.commit()

    page = text(client.get(f"/meetings/{meeting.id}?tab=invitees"))
    assert re.search(r'<option selected value="usual">Lokasi biasa masing-masing', page) or (
        'value="usual" selected' in page
    )
    response = auth.post(
        f"/meetings/{meeting.id}/invitations/forum",
        {"f-forum_id": forum.id, "f-role": "participant", "f-site_id": "usual"},
    )
    assert response.status_code == 302
    where = {inv.person.name: inv.site.venue.name for inv in meeting.invitations}
    assert where == {
        "Pernah di Jakarta": "Ruang Rapat Bappenas",
        "Dari Maluku": "Kantor Gubernur Maluku",
        "Staf Bappenas": "Ruang Rapat Bappenas",
        "Tanpa wilayah": "Aula Bappeda SBD",  # the main (host) site
    }


def test_usual_sites_fall_back_to_the_main_site(editor):
    meeting, venues = make(editor)
    person = factories.person()
    assert usual_sites(meeting, [person])[person.id] == site_at(meeting, venues["host"])


def test_an_organization_invite_can_still_choose_one_site(auth, editor):
    meeting, venues = make(editor)
    org = factories.organization(region="Maluku")
    people = [factories.person(organization=org) for _ in range(2)]
    jakarta = site_at(meeting, venues["jakarta"])
    auth.post(
        f"/meetings/{meeting.id}/invitations/organization",
        {"o-organization_id": org.id, "o-site_id": jakarta.id},
    )
    assert {inv.site_id for inv in meeting.invitations} == {jakarta.id}
    assert len(people) == len(meeting.invitations)


# --- the warning before sending ---------------------------------------------------------


def test_sending_without_chair_or_minute_taker_asks_first(client, auth, editor):
    meeting, _venues = make(editor)
    chair = factories.person()
    invitations.invite(editor, meeting, {"person_ids": [chair.id], "role": "chair"})
    overview = text(client.get(f"/meetings/{meeting.id}"))
    assert "Belum ada yang diundang sebagai:" in overview
    assert "Notulis" in overview
    warning = auth.post(f"/meetings/{meeting.id}/schedule")
    assert warning.status_code == 200
    page = text(warning)
    assert "<strong>Notulis</strong>" in page
    assert "Pimpinan rapat" not in page
    assert 'name="confirmed" value="1"' in page
    assert meeting.status is MeetingStatus.DRAFT
    taker = factories.person()
    invitations.invite(editor, meeting, {"person_ids": [taker.id], "role": "minute_taker"})
    sent = auth.post(f"/meetings/{meeting.id}/schedule")  # nothing missing: no question
    assert sent.status_code == 302
    assert meeting.status is MeetingStatus.SCHEDULED


# --- kiosk and desk links ---------------------------------------------------------------


def test_staff_get_each_sites_kiosk_and_desk(client, auth, editor):
    meeting, _venues = make(editor)
    for tab in ("sites", "checkin"):
        page = text(client.get(f"/meetings/{meeting.id}?tab={tab}"))
        for site in meeting.sites:
            assert f'href="/kiosk/{site.code}"' in page
            assert f'href="/desk/{site.code}"' in page
    auth.logout()
    auth.login("viewer")
    page = text(client.get(f"/meetings/{meeting.id}?tab=checkin"))
    assert "/kiosk/" not in page
    assert "/desk/" not in page


# --- the stand-in's letter --------------------------------------------------------------


def test_the_secretariat_opens_the_stand_ins_letter_and_no_one_else(client, auth, editor):
    meeting, _venues = make(editor)
    inv = factories.invitation(meeting, person=factories.person(name="Kepala Dinas"))
    letter = b"%PDF-1.4 surat tugas\n%%EOF"
    invitations.nominate_stand_in(
        inv, {"stand_in_name": "Sekretaris Dinas", "stand_in_position": "Sekdis"}, letter
    )
    url = f"/meetings/{meeting.id}/invitations/{inv.id}/letter"
    page = text(client.get(f"/meetings/{meeting.id}?tab=invitees"))
    assert f'href="{url}"' in page
    opened = client.get(url)
    assert opened.status_code == 200
    assert opened.data == letter
    assert opened.headers["Content-Type"] == "application/pdf"
    assert opened.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in opened.headers["Cache-Control"]
    assert "attachment" not in opened.headers.get("Content-Disposition", "")
    opened.close()
    other = factories.invitation(meeting)  # no letter
    assert client.get(f"/meetings/{meeting.id}/invitations/{other.id}/letter").status_code == 404

    auth.logout()
    auth.login("viewer")
    assert client.get(url).status_code == 403
    outsider = factories.user("secretariat", institution=factories.institution())
    auth.logout()
    auth.login(user=outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"/meetings/{meeting.id}/people.json?q=a").status_code == 404
