"""Public pages: off by default, on shows decisions and action progress without anyone's
personal data, off again answers the same 404; only the subject's own working staff may
switch it (another institution: 404, a viewer: 403), and every switch is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from meetcoord.accounts.models import Role, User
from meetcoord.actions.models import Action, ActionStatus, ActionUpdate, UpdateKind
from meetcoord.core.audit import AuditEntry
from meetcoord.directory.models import Forum
from meetcoord.extensions import db
from meetcoord.live.models import Decision, DecisionKind
from meetcoord.meetings.models import AgendaItem, Meeting, MeetingStatus, Series
from meetcoord.public.models import Publication
from tests import factories
from tests.actions import support
from tests.conftest import AuthActions

RESPONSIBLE = ("Maria Goreti Nenobais", "maria.nenobais@pertanian.example.go.id", "081234567890")
INVITEE = ("Yosef Ndolu Lakapu", "yosef.lakapu@example.go.id", "082199887766")
POSITION = "Kepala Bidang Tanaman Pangan"


@dataclass
class Scene:
    staff: User
    meeting: Meeting
    done: Action
    doing: Action


def seed() -> Scene:
    """A meeting of the default institution with people, a decision, a withdrawn one and
    two actions (one done, one at 40%) owed by named people."""
    staff = factories.user(Role.SECRETARIAT)
    venue = factories.venue(name="Aula Bappeda Sumba Barat Daya", city="Tambolaka")
    meeting = factories.meeting(by=staff, venue=venue, title="Rakor Desa Binaan Triwulan III")
    agency = factories.organization(name="Dinas Pertanian Kabupaten Sumba Barat Daya")
    name, email, phone = RESPONSIBLE
    owner = factories.person(
        name=name, email=email, phone=phone, position=POSITION, organization_id=agency.id
    )
    name, email, phone = INVITEE
    guest = factories.person(name=name, email=email, phone=phone, position=POSITION)
    factories.invitation(meeting, person=guest)
    factories.invitation(meeting, person=owner, role="chair")
    db.session.add(
        AgendaItem(meeting_id=meeting.id, position=1, title="Evaluasi desa binaan", presenter=name)
    )
    kept = Decision(
        meeting_id=meeting.id,
        number=1,
        text="Setiap OPD menetapkan satu desa binaan",
        kind=DecisionKind.CONSENSUS,
        recorded_by=f"{INVITEE[0]} (Notulis)",
    )
    gone = Decision(
        meeting_id=meeting.id,
        number=2,
        text="Keputusan yang ditarik kembali",
        kind=DecisionKind.NOTED,
        recorded_by=INVITEE[0],
        withdrawn_at=datetime.now(UTC),
        withdrawn_by=INVITEE[0],
    )
    db.session.add_all([kept, gone])
    db.session.flush()
    done = support.action(
        meeting,
        title="Menyusun profil desa binaan",
        organization_id=agency.id,
        person_id=owner.id,
        locus="Desa Kalembu Ndara Mane",
        status=ActionStatus.DONE,
        decision_id=kept.id,
    )
    doing = support.action(
        meeting,
        title="Pendampingan kelompok tani",
        organization_id=agency.id,
        person_id=owner.id,
        locus="Desa Weelonda",
        status=ActionStatus.IN_PROGRESS,
        due_on=date(2031, 3, 31),
    )
    db.session.add(
        ActionUpdate(
            action_id=doing.id,
            kind=UpdateKind.PROGRESS,
            percentage=40,
            note=f"Rapat dengan {INVITEE[0]}, telp {INVITEE[2]}",
            by_label=RESPONSIBLE[0],
        )
    )
    db.session.commit()
    return Scene(staff, meeting, done, doing)


def publish(auth: AuthActions, path: str, state: str = "on") -> str:
    """Through the confirmation page, as staff do; the public address when on."""
    assert auth.client.get(path).status_code == 200
    response = auth.post(path, {"state": state})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    found = db.session.scalar(select(Publication).order_by(Publication.id.desc()))
    return f"/p/{found.slug}" if found else ""


def assert_nothing_personal(text: str) -> None:
    for value in (*RESPONSIBLE, *INVITEE, POSITION):
        assert value not in text, value
    assert "/i/" not in text


def test_off_by_default_on_shows_decisions_and_progress_off_again_404(
    client: FlaskClient, auth: AuthActions
) -> None:
    s = seed()
    assert db.session.scalars(select(Publication)).all() == []
    assert client.get("/p/tidak-ada-halaman-ini").status_code == 404
    unknown_body = client.get("/p/tidak-ada-halaman-ini").get_data(as_text=True)

    auth.login(user=s.staff)
    meeting_page = auth.client.get(f"/meetings/{s.meeting.id}").get_data(as_text=True)
    assert "Publikasi" in meeting_page
    assert "Tidak aktif" in meeting_page
    url = publish(auth, f"/publication/meeting/{s.meeting.id}")
    assert url.startswith("/p/")
    assert len(url) > 20  # a random slug, not the meeting's id

    public = FlaskClient(client.application)  # a stranger: no session, no cookie
    shown = public.get(url)
    assert shown.status_code == 200
    assert shown.headers["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in shown.headers
    html = shown.get_data(as_text=True)
    for expected in (
        "Rakor Desa Binaan Triwulan III",
        "Aula Bappeda Sumba Barat Daya",
        "Tambolaka",
        "WITA",
        "Evaluasi desa binaan",
        "Setiap OPD menetapkan satu desa binaan",
        "Dinas Pertanian Kabupaten Sumba Barat Daya",
        "Desa Weelonda",
        "40%",
        "Sedang dikerjakan",
        "50% selesai dari 2 tindak lanjut",
    ):
        assert expected in html, expected
    assert "Keputusan yang ditarik kembali" not in html
    assert_nothing_personal(html)

    english = public.get(f"{url}?lang=en").get_data(as_text=True)
    assert "50% done of 2 follow-up actions" in english
    assert "Progress of follow-up actions" in english
    assert '<html lang="en">' in english

    data = public.get(f"/api/v1/public{url[2:]}")
    assert data.status_code == 200
    assert data.headers["Cache-Control"] == "public, max-age=300"
    body = data.get_json()
    assert body["kind"] == "meeting"
    assert [d["text"] for d in body["meetings"][0]["decisions"]] == [
        "Setiap OPD menetapkan satu desa binaan"
    ]
    assert body["meetings"][0]["zone_label"] == "WITA"
    progress = {a["title"]: a["progress_percent"] for a in body["actions"]}
    assert progress == {"Menyusun profil desa binaan": 100, "Pendampingan kelompok tani": 40}
    assert body["progress"]["done_percent"] == 50
    assert_nothing_personal(data.get_data(as_text=True))

    publish(auth, f"/publication/meeting/{s.meeting.id}", "off")
    closed = public.get(url)
    assert closed.status_code == 404
    assert closed.get_data(as_text=True) == unknown_body
    assert public.get(f"/api/v1/public{url[2:]}").status_code == 404

    audited = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "publications").order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.actor_id) for e in audited] == [
        ("publication.enable", s.staff.id),
        ("publication.disable", s.staff.id),
    ]

    publish(auth, f"/publication/meeting/{s.meeting.id}", "on")
    assert public.get(url).status_code == 200  # the same address again


def test_a_series_and_a_forum_list_their_meetings_and_aggregate_progress(
    client: FlaskClient,
) -> None:
    s = seed()
    forum = factories.forum(name="Forum Satu OPD Satu Desa Binaan")
    series = Series(
        title="Evaluasi triwulanan desa binaan",
        rrule="FREQ=MONTHLY;INTERVAL=3",
        timezone="Asia/Makassar",
        institution_id=s.meeting.institution_id,
        forum_id=forum.id,
    )
    db.session.add(series)
    db.session.flush()
    s.meeting.series_id, s.meeting.forum_id = series.id, forum.id
    s.meeting.status = MeetingStatus.CLOSED
    draft = factories.meeting(by=s.staff, title="Rapat yang masih draf")
    draft.series_id = series.id
    db.session.commit()
    headers = support.bearer(s.staff)

    for kind, subject_id in (("series", series.id), ("forums", forum.id)):
        path = f"/api/v1/{kind}/{subject_id}/publication"
        assert client.get(path, headers=headers).get_json()["enabled"] is False
        turned = client.put(path, headers=headers)
        assert turned.status_code == 200, turned.get_data(as_text=True)
        url = turned.get_json()["url"]
        assert turned.get_json()["enabled"] is True
        slug = url.rsplit("/", 1)[1]
        body = client.get(f"/api/v1/public/{slug}").get_json()
        assert [m["title"] for m in body["meetings"]] == ["Rakor Desa Binaan Triwulan III"]
        assert body["progress"]["total"] == 2
        counts = {row["status"]: row["count"] for row in body["progress"]["by_status"]}
        assert (counts["done"], counts["in_progress"], counts["open"]) == (1, 1, 0)
        html = client.get(f"/p/{slug}").get_data(as_text=True)
        assert "Setiap OPD menetapkan satu desa binaan" in html
        assert "Rapat yang masih draf" not in html
        assert_nothing_personal(html)
        assert client.delete(path, headers=headers).get_json()["enabled"] is False
        assert client.get(f"/p/{slug}").status_code == 404


def test_another_institution_s_staff_cannot_toggle(client: FlaskClient, auth: AuthActions) -> None:
    s = seed()
    outsider = factories.user(Role.SECRETARIAT, institution=factories.institution())
    forum = factories.forum()
    headers = support.bearer(outsider)
    for path in (
        f"/api/v1/meetings/{s.meeting.id}/publication",
        f"/api/v1/forums/{forum.id}/publication",
    ):
        assert client.get(path, headers=headers).status_code == 404
        assert client.put(path, headers=headers).status_code == 404
        assert client.delete(path, headers=headers).status_code == 404
    auth.login(user=outsider)
    assert auth.client.get(f"/publication/meeting/{s.meeting.id}").status_code == 404
    assert auth.post(f"/publication/meeting/{s.meeting.id}", {"state": "on"}).status_code == 404
    assert auth.post(f"/publication/forum/{forum.id}", {"state": "on"}).status_code == 404
    assert db.session.scalars(select(Publication)).all() == []
    assert (
        db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "publications")).all()
        == []
    )


@pytest.mark.parametrize("door", ["page", "api"])
def test_a_viewer_member_cannot_toggle(client: FlaskClient, auth: AuthActions, door: str) -> None:
    s = seed()
    viewer = factories.user(Role.VIEWER)
    if door == "api":
        path = f"/api/v1/meetings/{s.meeting.id}/publication"
        headers = support.bearer(viewer)
        assert client.get(path, headers=headers).get_json()["enabled"] is False
        assert client.put(path, headers=headers).status_code == 403
    else:
        auth.login(user=viewer)
        page = auth.client.get(f"/meetings/{s.meeting.id}").get_data(as_text=True)
        assert "/publication/meeting/" not in page
        path = f"/publication/meeting/{s.meeting.id}"
        assert auth.client.get(path).status_code == 403
        assert auth.post(path, {"state": "on"}).status_code == 403
    assert db.session.scalars(select(Publication)).all() == []


def test_a_confirmation_without_a_choice_changes_nothing(auth: AuthActions) -> None:
    s = seed()
    auth.login(user=s.staff)
    path = f"/publication/meeting/{s.meeting.id}"
    refused = auth.post(path, {"state": "maybe"})
    assert refused.status_code == 400
    assert "Pilih membuka atau menutup halaman publik." in refused.get_data(as_text=True)
    assert db.session.scalars(select(Publication)).all() == []


def test_the_forum_page_offers_the_switch(auth: AuthActions) -> None:
    staff = factories.user(Role.SECRETARIAT)
    forum: Forum = factories.forum()
    auth.login(user=staff)
    page = auth.client.get(f"/directory/forums/{forum.id}").get_data(as_text=True)
    assert f"/publication/forum/{forum.id}" in page


def test_the_public_page_and_its_json_are_rate_limited_per_address(client: FlaskClient) -> None:
    client.environ_base["REMOTE_ADDR"] = "10.99.0.7"
    answers = [client.get("/p/tidak-ada").status_code for _ in range(60)]
    assert set(answers) == {404}
    assert client.get("/p/tidak-ada").status_code == 429
    api = [client.get("/api/v1/public/tidak-ada").status_code for _ in range(61)]
    assert api[:60] == [404] * 60
    assert api[60] == 429
