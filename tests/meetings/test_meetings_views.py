"""The secretariat's meeting pages over HTTP: list, create/edit, the meeting's page, sites,
agenda, invitees, status actions, series; bad input, viewers and CSRF."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from meetcoord.core.outbox import OutboxMessage
from meetcoord.extensions import db
from meetcoord.meetings import agenda, invitations, services
from meetcoord.meetings.links import personal_token
from meetcoord.meetings.models import (
    AgendaItem,
    Invitation,
    Meeting,
    MeetingSite,
    MeetingStatus,
)
from tests import factories
from tests.helpers import count, field_error, text


@pytest.fixture
def editor(auth):
    return auth.login("secretariat")


@pytest.fixture
def venues():
    """One venue in each Indonesian zone; the WITA one hosts."""
    return {
        "WITA": factories.venue(name="Aula BAPPEDA SBD", timezone="Asia/Makassar", capacity=60),
        "WIB": factories.venue(name="Ruang Rapat Bappenas", timezone="Asia/Jakarta", capacity=40),
        "WIT": factories.venue(name="Aula Bappeda Papua", timezone="Asia/Jayapura", capacity=2),
    }


# 01.00 UTC on Friday 15 March 2030: 08.00 WIB / 09.00 WITA / 10.00 WIT.
START = datetime(2030, 3, 15, 1, 0, tzinfo=UTC)


def make_meeting(actor, venue, *, title="Rapat Koordinasi BangKIT", start=START, hours=3):
    return services.create_meeting(
        actor,
        {
            "title": title,
            "kind": "coordination",
            "host_venue_id": venue.id,
            "start_at": start,
            "end_at": start + timedelta(hours=hours),
        },
    )


def three_sites(actor, venues, **kwargs):
    meeting = make_meeting(actor, venues["WITA"], **kwargs)
    services.add_site(actor, meeting, {"venue_id": venues["WIB"].id})
    services.add_site(actor, meeting, {"venue_id": venues["WIT"].id})
    return meeting


def site_of(meeting, venue) -> MeetingSite:
    return next(site for site in meeting.sites if site.venue_id == venue.id)


# --- access -----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    response = client.get("/meetings/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_viewer_reads_but_cannot_change(client, auth, venues):
    owner = factories.user("secretariat")
    meeting = three_sites(owner, venues)
    auth.login("viewer")
    page = text(client.get(f"/meetings/{meeting.id}"))
    assert meeting.title in page
    assert "Kirim undangan" not in page
    for tab in ("sites", "agenda", "invitees"):
        section = text(client.get(f"/meetings/{meeting.id}?tab={tab}"))
        assert "Tambah lokasi" not in section
        assert "Tambah butir" not in section
        assert "Undang</button>" not in section
    assert client.get("/meetings/new").status_code == 403
    before = count(Meeting)
    response = auth.post(
        "/meetings/new",
        {"title": "X", "kind": "coordination", "host_venue_id": venues["WIB"].id},
    )
    assert response.status_code == 403
    assert count(Meeting) == before
    assert auth.post(f"/meetings/{meeting.id}/schedule").status_code == 403
    assert auth.post(f"/meetings/{meeting.id}/agenda", {"title": "X"}).status_code == 403
    assert meeting.status is MeetingStatus.DRAFT


def test_posts_without_csrf_are_refused(client, auth, venues):
    user = auth.login("secretariat")
    meeting = make_meeting(user, venues["WITA"])
    response = client.post(f"/meetings/{meeting.id}/schedule", data={})
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in text(response)
    assert meeting.status is MeetingStatus.DRAFT


# --- list -------------------------------------------------------------------------------


def test_list_empty_state(client, editor):
    page = text(client.get("/meetings/"))
    assert "Belum ada rapat." in page
    assert 'href="/meetings/new"' in page


def test_list_shows_indonesian_date_and_time_at_every_site(client, editor, venues):
    three_sites(editor, venues)
    page = text(client.get("/meetings/"))
    assert "Jumat, 15 Maret 2030" in page
    assert "08.00 WIB / 09.00 WITA / 10.00 WIT" in page
    assert '<a href="/meetings/" aria-current="page">Rapat</a>' in page


def test_list_search_status_when_and_pages(app, client, editor, venues):
    for i in range(app.config["PAGE_SIZE"] + 1):
        make_meeting(
            editor, venues["WIB"], title=f"Evaluasi {i:02d}", start=START + timedelta(days=i)
        )
    past = make_meeting(
        editor, venues["WIB"], title="Rapat lampau", start=datetime(2020, 1, 7, 2, tzinfo=UTC)
    )
    cancelled = make_meeting(editor, venues["WIB"], title="Rapat batal")
    services.cancel_meeting(editor, cancelled)

    first = text(client.get("/meetings/?q=Evaluasi"))
    assert "Evaluasi 00" in first
    assert "Rapat lampau" not in first
    assert "Halaman 1 dari 2" in first
    second = text(client.get("/meetings/?q=Evaluasi&page=2"))
    assert f"Evaluasi {app.config['PAGE_SIZE']:02d}" in second

    only_past = text(client.get("/meetings/?when=past"))
    assert past.title in only_past
    assert "Evaluasi 00" not in only_past
    upcoming = text(client.get("/meetings/?when=upcoming&q=Rapat"))
    assert past.title not in upcoming
    assert "Rapat batal" in upcoming
    by_status = text(client.get("/meetings/?status=cancelled"))
    assert "Rapat batal" in by_status
    assert "Evaluasi 00" not in by_status
    nothing = text(client.get("/meetings/?q=tidak-ada-yang-cocok"))
    assert "Tidak ada data yang cocok" in nothing
    assert client.get("/meetings/?page=abc&status=bogus&when=x").status_code == 200


# --- create and edit --------------------------------------------------------------------


def meeting_form(venue, **overrides):
    data = {
        "title": "Rapat Koordinasi Forum BangKIT",
        "purpose": "Sinkronisasi rencana aksi",
        "kind": "coordination",
        "host_venue_id": venue.id,
        "start_at": "2030-03-15T09:00",
        "end_at": "2030-03-15T12:00",
        "forum_id": "",
        "online_url": "https://zoom.example/j/123",
    }
    data.update(overrides)
    return data


def test_create_reads_times_in_the_host_venue_zone(client, auth, editor, venues):
    page = text(client.get("/meetings/new"))
    assert 'type="datetime-local"' in page
    assert "Waktu setempat di tempat tuan rumah" in page
    response = auth.post("/meetings/new", meeting_form(venues["WITA"]))
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting).where(Meeting.title.like("%Forum BangKIT")))
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert meeting.start_at == START  # 09.00 WITA = 01.00 UTC
    assert meeting.status is MeetingStatus.DRAFT
    assert [site.venue_id for site in meeting.sites] == [venues["WITA"].id]


def test_create_refuses_end_before_start(client, auth, editor, venues):
    before = count(Meeting)
    response = auth.post("/meetings/new", meeting_form(venues["WITA"], end_at="2030-03-15T08:00"))
    assert response.status_code == 422
    html = text(response)
    assert "Harus setelah waktu mulai." in field_error(html, "end_at")
    assert "Waktu selesai harus setelah waktu mulai." in html
    assert 'value="Rapat Koordinasi Forum BangKIT"' in html  # input kept
    assert count(Meeting) == before


def test_create_refuses_unknown_venue_and_missing_fields(client, auth, editor, venues):
    before = count(Meeting)
    response = auth.post("/meetings/new", meeting_form(venues["WITA"], host_venue_id="99999"))
    assert response.status_code == 422
    html = text(response)
    assert "Tidak ada data dengan id ini." in field_error(html, "host_venue_id")
    response = auth.post("/meetings/new", meeting_form(venues["WITA"], title="", kind=""))
    assert response.status_code == 422
    assert "Wajib diisi." in field_error(text(response), "title")
    assert count(Meeting) == before


def test_edit_shows_wall_clock_of_host_and_saves(client, auth, editor, venues):
    meeting = make_meeting(editor, venues["WITA"])
    page = text(client.get(f"/meetings/{meeting.id}/edit"))
    assert 'value="2030-03-15T09:00"' in page
    response = auth.post(
        f"/meetings/{meeting.id}/edit",
        meeting_form(venues["WITA"], start_at="2030-03-15T10:00", end_at="2030-03-15T13:00"),
    )
    assert response.status_code == 302
    assert meeting.start_at == START + timedelta(hours=1)
    refused = auth.post(
        f"/meetings/{meeting.id}/edit",
        meeting_form(venues["WITA"], end_at="2030-03-15T09:00", start_at="2030-03-15T10:00"),
    )
    assert refused.status_code == 422
    assert meeting.start_at == START + timedelta(hours=1)


# --- the meeting's page -----------------------------------------------------------------


def test_detail_shows_time_at_each_site_with_zone(client, editor, venues):
    meeting = three_sites(editor, venues)
    page = text(client.get(f"/meetings/{meeting.id}"))
    assert "08.00 WIB / 09.00 WITA / 10.00 WIT" in page
    assert "09.00 WITA–12.00 WITA" in page
    assert "10.00 WIT–13.00 WIT" in page
    assert "Jumat, 15 Maret 2030" in page


def test_conflict_is_a_warning_not_a_block(client, auth, editor, venues):
    first = make_meeting(editor, venues["WITA"], title="Rapat Pertama")
    # the same venue an hour later, entered in another zone's meeting: still overlaps
    second = make_meeting(
        editor, venues["WITA"], title="Rapat Kedua", start=START + timedelta(hours=1)
    )
    page = text(client.get(f"/meetings/{second.id}"))
    assert "jadwal bentrok" in page
    assert f'href="/meetings/{first.id}"' in page
    assert auth.post(f"/meetings/{second.id}/schedule", {"confirmed": "1"}).status_code == 302
    assert second.status is MeetingStatus.SCHEDULED


# --- sites ------------------------------------------------------------------------------


def test_add_edit_and_remove_site(client, auth, editor, venues):
    meeting = make_meeting(editor, venues["WITA"])
    person = factories.person(name="Yuliana Malo")
    response = auth.post(
        f"/meetings/{meeting.id}/sites",
        {"venue_id": venues["WIT"].id, "coordinator_id": person.id, "capacity": "30"},
    )
    assert response.status_code == 302
    site = site_of(meeting, venues["WIT"])
    assert site.capacity == 30
    assert site.coordinator_id == person.id

    duplicate = auth.post(f"/meetings/{meeting.id}/sites", {"venue_id": venues["WIT"].id})
    assert duplicate.status_code == 409
    assert "Sudah menjadi lokasi." in field_error(text(duplicate), "venue_id")
    unknown = auth.post(f"/meetings/{meeting.id}/sites", {"venue_id": "99999"})
    assert unknown.status_code == 422
    assert "Tidak ada data dengan id ini." in field_error(text(unknown), "venue_id")
    bad = auth.post(f"/meetings/{meeting.id}/sites/{site.id}/edit", {"capacity": "0"})
    assert bad.status_code == 422
    assert site.capacity == 30

    assert client.get(f"/meetings/{meeting.id}/sites/{site.id}/edit").status_code == 200
    ok = auth.post(
        f"/meetings/{meeting.id}/sites/{site.id}/edit", {"capacity": "12", "coordinator_id": ""}
    )
    assert ok.status_code == 302
    assert site.capacity == 12
    assert site.coordinator_id is None

    assert "Hapus lokasi ini?" in text(client.get(f"/meetings/{meeting.id}/sites/{site.id}/remove"))
    assert auth.post(f"/meetings/{meeting.id}/sites/{site.id}/remove").status_code == 302
    assert [s.venue_id for s in meeting.sites] == [venues["WITA"].id]


def test_remove_site_with_invitees_is_refused_with_the_reason(client, auth, editor, venues):
    meeting = three_sites(editor, venues)
    site = site_of(meeting, venues["WIB"])
    invitations.invite(editor, meeting, {"person_ids": [factories.person().id], "site_id": site.id})
    response = auth.post(f"/meetings/{meeting.id}/sites/{site.id}/remove")
    assert response.status_code == 409
    assert "masih punya 1 undangan" in text(response)
    assert site in meeting.sites


def test_over_capacity_warning(client, editor, venues):
    meeting = three_sites(editor, venues)
    site = site_of(meeting, venues["WIT"])  # two seats
    people = [factories.person().id for _ in range(3)]
    invitations.invite(editor, meeting, {"person_ids": people, "site_id": site.id})
    page = text(client.get(f"/meetings/{meeting.id}?tab=sites"))
    assert 'class="over-capacity"' in page
    assert "Melebihi kapasitas: 3 orang untuk 2 kursi." in page


# --- agenda -----------------------------------------------------------------------------


def test_agenda_add_move_reorder_edit_remove(client, auth, editor, venues):
    meeting = make_meeting(editor, venues["WITA"], hours=1)
    for title, minutes in (("Pembukaan", "10"), ("Paparan RTL", "30"), ("Diskusi", "30")):
        response = auth.post(
            f"/meetings/{meeting.id}/agenda",
            {"title": title, "planned_minutes": minutes, "kind": "discussion", "presenter": ""},
        )
        assert response.status_code == 302
    page = text(client.get(f"/meetings/{meeting.id}?tab=agenda"))
    assert "09.10 WITA" in page
    assert "09.40 WITA" in page
    assert "Agenda melewati waktu selesai rapat." in page  # 70 minutes in a 60-minute meeting
    first, second, third = meeting.agenda

    auth.post(f"/meetings/{meeting.id}/agenda/{third.id}/move", {"direction": "up"})
    assert [item.title for item in meeting.agenda] == ["Pembukaan", "Diskusi", "Paparan RTL"]
    auth.post(f"/meetings/{meeting.id}/agenda/{first.id}/move", {"direction": "down"})
    assert [item.title for item in meeting.agenda] == ["Diskusi", "Pembukaan", "Paparan RTL"]

    response = client.post(
        f"/meetings/{meeting.id}/agenda/order",
        json={"order": [second.id, first.id, third.id]},
        headers={"X-CSRFToken": auth.csrf_token},
    )
    assert response.status_code == 200, text(response)
    assert response.json["ok"] is True
    assert response.json["times"][str(first.id)]["start"] == "09.30 WITA"
    assert [item.id for item in meeting.agenda] == [second.id, first.id, third.id]

    incomplete = client.post(
        f"/meetings/{meeting.id}/agenda/order",
        json={"order": [first.id]},
        headers={"X-CSRFToken": auth.csrf_token},
    )
    assert incomplete.status_code == 422
    assert incomplete.json["ok"] is False
    no_token = client.post(f"/meetings/{meeting.id}/agenda/order", json={"order": []})
    assert no_token.status_code == 400
    form_order = auth.post(
        f"/meetings/{meeting.id}/agenda/order", {"order": f"{first.id},{second.id},{third.id}"}
    )
    assert form_order.status_code == 302
    assert [item.id for item in meeting.agenda] == [first.id, second.id, third.id]

    bad = auth.post(
        f"/meetings/{meeting.id}/agenda/{first.id}/edit",
        {"title": "Pembukaan", "planned_minutes": "0", "kind": "discussion"},
    )
    assert bad.status_code == 422
    assert first.planned_minutes == 10
    assert client.get(f"/meetings/{meeting.id}/agenda/{first.id}/edit").status_code == 200
    ok = auth.post(
        f"/meetings/{meeting.id}/agenda/{first.id}/edit",
        {"title": "Pembukaan oleh Bupati", "planned_minutes": "5", "kind": "presentation"},
    )
    assert ok.status_code == 302
    assert first.title == "Pembukaan oleh Bupati"

    assert auth.post(f"/meetings/{meeting.id}/agenda/{second.id}/remove").status_code == 302
    assert count(AgendaItem) == 2
    assert [item.position for item in meeting.agenda] == [1, 2]


def test_agenda_bad_input_changes_nothing(client, auth, editor, venues):
    meeting = make_meeting(editor, venues["WITA"])
    response = auth.post(
        f"/meetings/{meeting.id}/agenda", {"title": "", "planned_minutes": "x", "kind": "zzz"}
    )
    assert response.status_code == 422
    html = text(response)
    assert "Wajib diisi." in field_error(html, "title")
    assert field_error(html, "planned_minutes")
    assert count(AgendaItem) == 0


# --- invitees ---------------------------------------------------------------------------


def test_invite_person_organization_and_forum(client, auth, editor, venues):
    meeting = three_sites(editor, venues)
    wib = site_of(meeting, venues["WIB"])
    org = factories.organization(name="Dinas Kesehatan SBD")
    for _ in range(2):
        factories.person(organization=org)
    forum = factories.forum(members=3)
    person = factories.person(name="Yohanes Bili Uji")

    assert (
        auth.post(
            f"/meetings/{meeting.id}/invitations/person",
            {"p-person_ids": person.id, "p-role": "chair", "p-site_id": wib.id},
        ).status_code
        == 302
    )
    assert (
        auth.post(
            f"/meetings/{meeting.id}/invitations/organization",
            {"o-organization_id": org.id, "o-role": "participant", "o-site_id": ""},
        ).status_code
        == 302
    )
    response = auth.post(
        f"/meetings/{meeting.id}/invitations/forum",
        {"f-forum_id": forum.id, "f-role": "participant", "f-site_id": wib.id},
        follow_redirects=True,
    )
    assert "3 orang diundang." in text(response)
    assert count(Invitation) == 6
    chair = next(inv for inv in meeting.invitations if inv.person_id == person.id)
    assert chair.site_id == wib.id
    assert chair.role.value == "chair"

    page = text(client.get(f"/meetings/{meeting.id}?tab=invitees"))
    assert "Dinas Kesehatan SBD" in page
    assert "Belum menjawab" in page
    # Nobody's personal link is on a staff page (issue 11); it is mailed, never shown.
    assert "/i/" not in page
    assert not any(personal_token(inv) in page for inv in meeting.invitations)

    again = auth.post(
        f"/meetings/{meeting.id}/invitations/organization",
        {"o-organization_id": org.id, "o-role": "participant", "o-site_id": ""},
        follow_redirects=True,
    )
    assert "2 sudah diundang sebelumnya." in text(again)


def test_invite_bad_input(client, auth, editor, venues):
    meeting = make_meeting(editor, venues["WITA"])
    other = make_meeting(editor, venues["WIB"], title="Rapat lain")
    nobody = auth.post(
        f"/meetings/{meeting.id}/invitations/person", {"p-person_ids": "", "p-role": "participant"}
    )
    assert nobody.status_code == 422
    assert "Wajib diisi." in field_error(text(nobody), "p-person_ids")
    foreign_site = auth.post(
        f"/meetings/{meeting.id}/invitations/forum",
        {"f-forum_id": factories.forum(members=1).id, "f-site_id": other.sites[0].id},
    )
    assert foreign_site.status_code == 422
    assert "Pilih salah satu lokasi rapat" in field_error(text(foreign_site), "f-site_id")
    unknown = auth.post(
        f"/meetings/{meeting.id}/invitations/organization", {"o-organization_id": "999999"}
    )
    assert unknown.status_code == 422
    assert auth.post(f"/meetings/{meeting.id}/invitations/bogus", {}).status_code == 404
    assert count(Invitation) == 0


def test_change_site_and_role_then_withdraw(client, auth, editor, venues):
    meeting = three_sites(editor, venues)
    wib, wit = site_of(meeting, venues["WIB"]), site_of(meeting, venues["WIT"])
    result = invitations.invite(
        editor, meeting, {"person_ids": [factories.person(name="Maria Kaka").id], "site_id": wib.id}
    )
    inv = result.created[0]
    ok = auth.post(
        f"/meetings/{meeting.id}/invitations/{inv.id}/edit", {"role": "speaker", "site_id": wit.id}
    )
    assert ok.status_code == 302
    assert inv.site_id == wit.id
    assert inv.role.value == "speaker"
    online = auth.post(f"/meetings/{meeting.id}/invitations/{inv.id}/edit", {"site_id": ""})
    assert online.status_code == 302
    assert inv.site_id is None
    bad = auth.post(f"/meetings/{meeting.id}/invitations/{inv.id}/edit", {"role": "raja"})
    assert bad.status_code == 422
    assert inv.role.value == "speaker"

    confirm = text(client.get(f"/meetings/{meeting.id}/invitations/{inv.id}/withdraw"))
    assert "Tarik undangan ini?" in confirm
    assert "Maria Kaka" in confirm
    assert auth.post(f"/meetings/{meeting.id}/invitations/{inv.id}/withdraw").status_code == 302
    assert inv.withdrawn_at is not None
    assert f'data-invitation="{inv.id}"' not in text(
        client.get(f"/meetings/{meeting.id}?tab=invitees")
    )


# --- status, clone, series --------------------------------------------------------------


def test_send_invitations_then_cancel(client, auth, editor, venues):
    meeting = three_sites(editor, venues)
    people = [factories.person().id for _ in range(2)]
    invitations.invite(editor, meeting, {"person_ids": people, "site_id": None})
    before = count(OutboxMessage)
    # Nobody is chair or minute-taker: a warning asks first, and nothing is sent yet.
    warning = auth.post(f"/meetings/{meeting.id}/schedule?tab=invitees")
    assert warning.status_code == 200
    assert "Kirim undangan tanpa pimpinan atau notulis?" in text(warning)
    assert "Pimpinan rapat" in text(warning)
    assert "Notulis" in text(warning)
    assert meeting.status is MeetingStatus.DRAFT
    assert count(OutboxMessage) == before
    response = auth.post(
        f"/meetings/{meeting.id}/schedule?tab=invitees", {"confirmed": "1"}, follow_redirects=True
    )
    assert "2 undangan dikirim" in text(response)
    assert response.request.args.get("tab") == "invitees"  # back on the tab it came from
    assert meeting.status is MeetingStatus.SCHEDULED
    assert count(OutboxMessage) == before + 2
    page = text(client.get(f"/meetings/{meeting.id}?tab=invitees"))
    assert "2 menunggu dikirim" in page
    assert "Surat: menunggu dikirim" in page
    again = auth.post(f"/meetings/{meeting.id}/schedule")
    assert again.status_code == 409
    assert "Hanya rapat berstatus draf" in text(again)

    confirm = text(client.get(f"/meetings/{meeting.id}/cancel"))
    assert "Batalkan rapat ini?" in confirm
    assert "menerima pembatalan" in confirm
    assert meeting.status is MeetingStatus.SCHEDULED  # GET changes nothing
    assert auth.post(f"/meetings/{meeting.id}/cancel").status_code == 302
    assert meeting.status is MeetingStatus.CANCELLED
    assert count(OutboxMessage) == before + 4
    page = text(client.get(f"/meetings/{meeting.id}"))
    assert "Dibatalkan" in page
    assert "Batalkan rapat</a>" not in page


def test_clone_with_a_new_start(client, auth, editor, venues):
    meeting = three_sites(editor, venues)
    agenda.add_agenda_item(
        editor, meeting, {"title": "Pembukaan", "planned_minutes": 10, "kind": "discussion"}
    )
    assert 'value="2030-03-15T09:00"' in text(client.get(f"/meetings/{meeting.id}/clone"))
    bad = auth.post(f"/meetings/{meeting.id}/clone", {"start_at": "besok"})
    assert bad.status_code == 422
    assert field_error(text(bad), "start_at")
    response = auth.post(f"/meetings/{meeting.id}/clone", {"start_at": "2030-04-12T09:00"})
    assert response.status_code == 302
    copy = db.session.get(Meeting, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert copy.id != meeting.id
    assert copy.start_at == datetime(2030, 4, 12, 1, tzinfo=UTC)
    assert len(copy.sites) == 3
    assert [i.title for i in copy.agenda] == ["Pembukaan"]


def test_make_series_with_rule_builder_and_edit_series(client, auth, editor, venues):
    # Tuesday 12 March 2030 is the second Tuesday of March.
    meeting = make_meeting(editor, venues["WITA"], start=datetime(2030, 3, 12, 1, tzinfo=UTC))
    assert "Setiap" in text(client.get(f"/meetings/{meeting.id}/series"))
    bad = auth.post(
        f"/meetings/{meeting.id}/series",
        {"interval": "3", "freq": "MONTHLY", "ordinal": "2", "weekday": "TU", "count": "500"},
    )
    assert bad.status_code == 422
    assert "Aturan pengulangan tidak valid." in text(bad)
    assert meeting.series_id is None
    response = auth.post(
        f"/meetings/{meeting.id}/series",
        {"interval": "3", "freq": "MONTHLY", "ordinal": "2", "weekday": "TU", "count": "3"},
        follow_redirects=True,
    )
    assert "Seri dibuat: 3 rapat." in text(response)
    series = meeting.series
    assert series.rrule == "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;COUNT=3"
    assert [m.start_at.date().isoformat() for m in series.meetings] == [
        "2030-03-12",
        "2030-06-11",
        "2030-09-10",
    ]
    page = text(client.get(f"/meetings/{meeting.id}"))
    assert "Rapat 1 dari 3" in page
    assert f"/meetings/series/{series.id}/edit" in page

    form = text(client.get(f"/meetings/series/{series.id}/edit"))
    assert 'value="2030-03-12T09:00"' in form
    moved = auth.post(
        f"/meetings/series/{series.id}/edit",
        {"title": "Evaluasi Triwulan BangKIT", "start_at": "2030-03-12T10:00"},
    )
    assert moved.status_code == 302
    assert all(m.title == "Evaluasi Triwulan BangKIT" for m in series.meetings)
    assert series.meetings[2].start_at == datetime(2030, 9, 10, 2, tzinfo=UTC)
    refused = auth.post(f"/meetings/series/{series.id}/edit", {"end_at": "2030-03-12T08:00"})
    assert refused.status_code == 422
    assert series.meetings[2].start_at == datetime(2030, 9, 10, 2, tzinfo=UTC)


def test_an_occurrence_saved_unchanged_follows_its_series_and_one_edited_does_not(
    client, auth, editor, venues
):
    from meetcoord.meetings import series as series_services

    first = make_meeting(editor, venues["WITA"])
    made = series_services.create_series(editor, first, "FREQ=MONTHLY;COUNT=3")
    own = made.meetings[1]
    page = text(client.get(f"/meetings/{own.id}/edit"))
    start = re.search(r'name="start_at"[^>]*value="([^"]+)"', page).group(1)
    end = re.search(r'name="end_at"[^>]*value="([^"]+)"', page).group(1)
    unchanged = meeting_form(
        venues["WITA"], title=own.title, purpose="", online_url="", start_at=start, end_at=end
    )
    assert auth.post(f"/meetings/{own.id}/edit", unchanged).status_code == 302
    assert not own.is_series_exception  # saving the form as it was edits nothing
    edited = {**unchanged, "title": "Rakor BangKIT bersama DPRD"}
    assert auth.post(f"/meetings/{own.id}/edit", edited).status_code == 302
    assert own.is_series_exception
    assert "diubah sendiri" in text(client.get(f"/meetings/{own.id}"))
    auth.post(f"/meetings/series/{made.id}/edit", {"title": "Rakor Triwulan BangKIT"})
    assert [m.title for m in made.meetings] == [
        "Rakor Triwulan BangKIT",
        "Rakor BangKIT bersama DPRD",
        "Rakor Triwulan BangKIT",
    ]


def test_unknown_meeting_is_404(client, editor):
    assert client.get("/meetings/999999").status_code == 404
    assert client.get("/meetings/series/999999/edit").status_code == 404


def test_pages_in_english(client, auth, editor, venues):
    meeting = three_sites(editor, venues)
    agenda.add_agenda_item(
        editor, meeting, {"title": "Opening", "planned_minutes": 10, "kind": "discussion"}
    )
    auth.post("/lang", {"lang": "en", "next": "/meetings/"})
    listing = text(client.get("/meetings/"))
    assert "Friday, 15 March 2030" in listing
    assert "08:00 WIB / 09:00 WITA / 10:00 WIT" in listing
    page = text(client.get(f"/meetings/{meeting.id}"))
    assert "Send invitations" in page
    assert "Coordination meeting" in page
    assert "Add agenda item" in text(client.get(f"/meetings/{meeting.id}?tab=agenda"))
    assert "Kirim undangan" not in page
