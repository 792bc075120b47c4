"""The home's first screen, "Rapat mendatang" (issue 16, point 3): each upcoming meeting of
the reader's institutions with what it lacks, each gap a link to where it is fixed; paged,
in the reader's zone, the same in the API twin, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from meetcoord.accounts.models import Role
from meetcoord.core.outbox import OutboxMessage, OutboxStatus
from meetcoord.documents.models import DocumentSignatory, DocumentStatus
from meetcoord.extensions import db
from meetcoord.meetings.models import AgendaItem, Meeting, QuorumKind
from tests import factories
from tests.actions import support
from tests.conftest import AuthActions

API = "/api/v1/home/upcoming"


def later(days: int, hour: int = 2) -> dict[str, str]:
    """Start/end typed at a WITA venue, ``days`` from now (in the future, whatever the hour)."""
    start = (datetime.now(UTC) + timedelta(days=days)).replace(hour=hour, minute=0)
    start = start.astimezone(UTC) + timedelta(hours=8)  # typed in WITA
    return {
        "start_at": f"{start:%Y-%m-%dT%H:%M}",
        "end_at": f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}",
    }


def complete(meeting: Meeting) -> Meeting:
    """Chair, minute-taker, quorum rule, agenda; scheduled, so every invitation is queued."""
    meeting.quorum_kind, meeting.quorum_value = QuorumKind.PEOPLE, 2
    factories.invitation(meeting, role="chair")
    factories.invitation(meeting, role="minute_taker")
    db.session.add(AgendaItem(meeting_id=meeting.id, position=1, title="Pembukaan"))
    factories.schedule(meeting)
    for message in db.session.scalars(select(OutboxMessage)):
        message.status = OutboxStatus.SENT
    return meeting


class Scene:
    def __init__(self) -> None:
        self.staff = factories.user(Role.SECRETARIAT, name="Maria Kaka")
        self.ready = complete(factories.meeting(by=self.staff, title="Rakor Siap", **later(3)))
        self.bare = factories.meeting(by=self.staff, title="Rakor Kosong", **later(1))
        # No venue at all: neither a host venue, a site nor an online link.
        for site in list(self.bare.sites):
            db.session.delete(site)
        self.bare.host_venue_id = None
        self.troubled = complete(
            factories.meeting(by=self.staff, title="Rakor Bermasalah", **later(5))
        )
        mails = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        mails[-1].status = OutboxStatus.FAILED  # the minute-taker's invitation
        mails[-2].status = OutboxStatus.PENDING  # the chair's
        # Invited after scheduling, but nothing queued (as if the mail step had failed).
        late = factories.invitation(self.troubled)
        db.session.execute(
            OutboxMessage.__table__.delete().where(
                OutboxMessage.ref_type == "invitation", OutboxMessage.ref_id == late.id
            )
        )
        factories.document(self.troubled, title="Notulen Draf")
        final = factories.document(self.troubled, title="Berita Acara", status=DocumentStatus.FINAL)
        for position, signed in ((1, True), (2, False), (3, False)):
            db.session.add(
                DocumentSignatory(
                    document_id=final.id,
                    position=position,
                    role=f"party-{position}",
                    role_label=f"PIHAK {position}",
                    name=f"Penandatangan {position}",
                    signed_at=datetime.now(UTC) if signed else None,
                )
            )
        factories.document(self.troubled, title="Notulen Lama", status=DocumentStatus.SIGNED)
        self.past = factories.meeting(by=self.staff, title="Rakor Lalu", **later(-3))

        self.ntb = factories.institution(name="Bappeda Provinsi NTB Uji")
        self.outsider = factories.user(Role.SECRETARIAT, institution=self.ntb)
        factories.meeting(by=self.outsider, title="Rapat NTB Rahasia", **later(2))
        db.session.commit()


@pytest.fixture
def scene(app: Flask) -> Scene:
    return Scene()


def page_of(auth: AuthActions, path: str = "/home") -> str:
    response = auth.client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def entry(page: str, meeting: Meeting) -> str:
    """The list item of ``meeting`` on the page."""
    for piece in page.split('<li id="upcoming-')[1:]:
        if piece.startswith(f'{meeting.id}"'):
            return piece.split('<li id="upcoming-')[0]
    raise AssertionError(f"{meeting.title} is not listed")


def gaps(block: str) -> dict[str, str]:
    """``{gap key: link}`` of one list item."""
    return dict(re.findall(r'data-gap="(\w+)" href="([^"]+)"', block))


def test_each_meeting_lists_what_it_lacks_with_a_link_to_fix_it(
    auth: AuthActions, scene: Scene
) -> None:
    auth.login(user=scene.staff)
    page = page_of(auth)
    assert '<h1 id="home-upcoming-h">Rapat mendatang</h1>' in page
    assert "Persiapan lengkap" in entry(page, scene.ready)
    assert gaps(entry(page, scene.ready)) == {}

    bare = scene.bare.id
    assert gaps(entry(page, scene.bare)) == {
        "chair": f"/meetings/{bare}?tab=invitees#invitees",
        "minute_taker": f"/meetings/{bare}?tab=invitees#invitees",
        "invitees": f"/meetings/{bare}?tab=invitees#invitees",
        "quorum": f"/meetings/{bare}/edit#quorum_kind",
        "sites": f"/meetings/{bare}?tab=sites#sites",
        "agenda": f"/meetings/{bare}?tab=agenda#agenda",
    }
    troubled = entry(page, scene.troubled)
    assert gaps(troubled) == {
        "unsent": f"/meetings/{scene.troubled.id}?tab=invitees#invitees",
        "mail_pending": "/outbox?status=pending",
        "mail_failed": "/outbox?status=failed",
        "documents": f"/meetings/{scene.troubled.id}/documents",
        "signatures": f"/meetings/{scene.troubled.id}/documents",
    }
    for text in (
        "Undangan belum terkirim: 1",
        "Surat undangan dalam antrean: 1",
        "Surat undangan gagal terkirim: 1",
        "Dokumen menunggu: 2",  # the draft and the final one, not the signed one
        "Tanda tangan tertunda: 2",
    ):
        assert text in troubled, text
    # soonest first; a past meeting and another institution's are not listed
    order = [scene.bare.title, scene.ready.title, scene.troubled.title]
    assert [page.index(f">{title}</a>") for title in order] == sorted(
        page.index(f">{title}</a>") for title in order
    )
    upcoming = page.split('id="home-upcoming"', 1)[1].split("</section>", 1)[0]
    assert "Rakor Lalu" not in upcoming
    assert "Rapat NTB Rahasia" not in page


def test_a_draft_says_its_invitations_are_not_sent(auth: AuthActions, scene: Scene) -> None:
    draft = factories.meeting(by=scene.staff, title="Rakor Draf", **later(4))
    factories.invitation(draft, role="chair")
    db.session.commit()
    auth.login(user=scene.staff)
    block = entry(page_of(auth), draft)
    assert gaps(block)["invitations"] == f"/meetings/{draft.id}"
    assert "undangan belum dikirim" in block
    assert "chair" not in gaps(block)


def test_times_are_in_the_reader_s_zone_with_its_label(
    app: Flask, auth: AuthActions, scene: Scene
) -> None:
    auth.login(user=scene.staff)
    block = entry(page_of(auth), scene.ready)
    local = scene.ready.start_at.astimezone(UTC) + timedelta(hours=7)
    assert f"{local:%H.%M} WIB" in block  # HOME_TIMEZONE: Asia/Jakarta
    app.config["HOME_TIMEZONE"] = "Asia/Jayapura"
    try:
        block = entry(page_of(auth), scene.ready)
    finally:
        app.config["HOME_TIMEZONE"] = "Asia/Jakarta"
    assert f"{local + timedelta(hours=2):%H.%M} WIT" in block


def test_a_viewer_sees_the_gaps_but_no_edit_or_outbox_links(
    auth: AuthActions, scene: Scene
) -> None:
    viewer = factories.user(Role.VIEWER)
    db.session.commit()
    auth.login(user=viewer)
    page = page_of(auth)
    assert gaps(entry(page, scene.bare))["quorum"] == f"/meetings/{scene.bare.id}"
    assert gaps(entry(page, scene.troubled))["mail_failed"] == f"/meetings/{scene.troubled.id}"
    assert "/edit" not in page.split('id="home-upcoming"', 1)[1].split("</section>", 1)[0]


def test_english(auth: AuthActions, scene: Scene) -> None:
    auth.login(user=scene.staff)
    auth.post("/lang", {"lang": "en"})
    page = page_of(auth)
    assert '<h1 id="home-upcoming-h">Upcoming meetings</h1>' in page
    troubled = entry(page, scene.troubled)
    assert "Invitation mail failed: 1" in troubled
    assert "Signatures pending: 2" in troubled
    bare = entry(page, scene.bare)
    assert "no venue or site" in bare
    assert "no agenda" in bare
    assert "Ready" in entry(page, scene.ready)


def test_the_empty_state(auth: AuthActions) -> None:
    lonely = factories.institution(name="Bappeda Sepi Uji")
    staff = factories.user(Role.SECRETARIAT, institution=lonely)
    factories.meeting(by=staff, title="Rakor Dulu", **later(-10))
    db.session.commit()
    auth.login(user=staff)
    page = page_of(auth)
    upcoming = page.split('id="home-upcoming"', 1)[1].split("</section>", 1)[0]
    assert "Tidak ada rapat mendatang." in upcoming
    assert 'href="/meetings/new"' in upcoming


def test_paged_and_in_a_fixed_number_of_queries(client: FlaskClient, app: Flask) -> None:
    staff = factories.user(Role.SECRETARIAT)
    for n in range(30):
        meeting = factories.meeting(by=staff, title=f"Rakor Seri {n:02d}", **later(1 + n))
        if n % 3 == 0:
            complete(meeting)
        if n % 5 == 0:
            factories.document(meeting, status=DocumentStatus.CIRCULATED)
    db.session.commit()
    headers = support.bearer(staff)

    def measured(path: str) -> tuple[dict[str, Any], int]:
        statements: list[str] = []

        def log(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append(statement)

        engine = db.session.get_bind()
        event.listen(engine, "before_cursor_execute", log)
        try:
            response = client.get(path, headers=headers)
        finally:
            event.remove(engine, "before_cursor_execute", log)
        assert response.status_code == 200, response.get_json()
        return response.get_json(), len(statements)

    measured(f"{API}?per_page=1")  # the token's first use is recorded once
    few, few_queries = measured(f"{API}?per_page=3")
    many, many_queries = measured(f"{API}?per_page=30")
    assert len(few["items"]) == 3
    assert len(many["items"]) == 30
    assert many["total"] == 30
    assert many_queries == few_queries  # no statement per meeting
    assert many_queries <= 4  # the token, the account's reach, the count and the page
    last, _ = measured(f"{API}?page=3")
    assert (last["page"], last["pages"], len(last["items"])) == (3, 3, 10)
    assert last["items"][-1]["title"] == "Rakor Seri 29"

    auth = AuthActions(client)
    auth.login(user=staff)
    second = page_of(auth, "/home?page=2")
    assert "Rakor Seri 10" in second
    assert "Rakor Seri 09" not in second
    assert "Halaman 2 dari 3" in second


def test_the_api_says_what_the_page_says(client: FlaskClient, scene: Scene) -> None:
    body = client.get(API, headers=support.bearer(scene.staff)).get_json()
    titles = [item["title"] for item in body["items"]]
    assert titles == ["Rakor Kosong", "Rakor Siap", "Rakor Bermasalah"]
    troubled = body["items"][2]
    assert {g["key"]: g["count"] for g in troubled["missing"]} == {
        "unsent": 1,
        "mail_pending": 1,
        "mail_failed": 1,
        "documents": 2,
        "signatures": 2,
    }
    assert troubled["can_arrange"] is True
    assert body["items"][1]["missing"] == []
    theirs = client.get(API, headers=support.bearer(scene.outsider)).get_json()
    assert [item["title"] for item in theirs["items"]] == ["Rapat NTB Rahasia"]
    assert client.get(API).status_code == 401
    assert client.get(f"{API}?per_page=0", headers=support.bearer(scene.staff)).status_code == 422


def test_the_api_is_described_with_home_schemas(client: FlaskClient) -> None:
    spec: dict[str, Any] = client.get("/api/v1/openapi.json").get_json()
    assert "get" in spec["paths"]["/api/v1/home/upcoming"]
    assert "get" in spec["paths"]["/api/v1/home/checklist"]
    schemas = spec["components"]["schemas"]
    for name in ("HomeGap", "HomeUpcomingMeeting", "HomeChecklist", "HomeChecklistStep"):
        assert name in schemas, sorted(schemas)
