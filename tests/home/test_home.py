"""The staff home page and its API twin (issue 13, point 5): upcoming meetings with what
they lack, documents waiting, follow-up counts, failed mail; each panel's empty state;
only the reader's institutions; the API's figures equal the page's; ETag and 304; a
viewer sees without write links; a personal link never opens it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meetcoord.accounts.models import Role
from meetcoord.actions.models import ActionStatus
from meetcoord.core.outbox import OutboxMessage, OutboxStatus
from meetcoord.documents.models import DocumentSignatory, DocumentStatus
from meetcoord.extensions import db
from meetcoord.meetings import links
from meetcoord.meetings.models import QuorumKind
from tests import factories
from tests.actions import support
from tests.conftest import AuthActions

API = "/api/v1/dashboard"
PAST = date(2020, 1, 31)


class Scene:
    """Our institution: a complete scheduled meeting, a draft lacking everything, an
    action of each kind, a circulated and a final document, one failed mail. Another
    institution (NTB): the same kinds of things, none of which we may count."""

    def __init__(self) -> None:
        self.staff = factories.user(Role.SECRETARIAT, name="Maria Kaka")
        self.ready = factories.meeting(by=self.staff, title="Rakor Lengkap")
        self.ready.quorum_kind, self.ready.quorum_value = QuorumKind.PEOPLE, 3
        factories.invitation(self.ready, role="chair")
        factories.invitation(self.ready, role="minute_taker")
        factories.schedule(self.ready)
        self.draft = factories.meeting(by=self.staff, title="Rakor Belum Siap")
        support.action(self.ready, title="Lewat", due_on=PAST)
        support.action(self.ready, title="Selesai", status=ActionStatus.DONE)
        support.action(self.ready, title="Berjalan", status=ActionStatus.IN_PROGRESS)
        support.action(self.ready, title="Terverifikasi", status=ActionStatus.VERIFIED)
        self.review = factories.document(
            self.ready, title="Notulen Ditinjau", status=DocumentStatus.CIRCULATED
        )
        self.to_sign = factories.document(
            self.ready, title="Notulen Final", status=DocumentStatus.FINAL
        )
        db.session.add(
            DocumentSignatory(
                document_id=self.to_sign.id,
                position=1,
                role="chair",
                role_label="Pimpinan rapat",
                name="Maria Kaka",
                email=self.staff.email.upper(),
            )
        )
        factories.document(self.ready, title="Notulen Draf")  # a draft waits for nobody
        mail = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.ref_type == "invitation")
        ).first()
        mail.status, mail.subject = OutboxStatus.FAILED, "Undangan Rakor Lengkap"

        self.ntb = factories.institution(name="Bappeda Provinsi NTB Uji")
        self.outsider = factories.user(Role.SECRETARIAT, institution=self.ntb)
        theirs = factories.meeting(by=self.outsider, title="Rapat NTB Rahasia")
        factories.invitation(theirs)
        factories.schedule(theirs)
        for message in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.subject.contains("NTB Rahasia"))
        ):
            message.status = OutboxStatus.FAILED
        support.action(theirs, title="Aksi NTB", due_on=PAST)
        support.action(theirs, title="Aksi NTB selesai", status=ActionStatus.DONE)
        factories.document(theirs, title="Notulen NTB", status=DocumentStatus.CIRCULATED)
        db.session.commit()


@pytest.fixture
def scene(app: Flask) -> Scene:
    return Scene()


def html(auth: AuthActions, path: str = "/home") -> str:
    response = auth.client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def count(page: str, key: str) -> int:
    found = re.search(rf'data-count="{key}"[^>]*>(\d+)<', page)
    assert found, key
    return int(found.group(1))


def section(page: str, name: str) -> str:
    found = re.search(rf'<section class="card" id="home-{name}".*?</section>', page, re.S)
    assert found, name
    return found.group(0)


def test_a_signed_in_account_lands_on_home(auth: AuthActions) -> None:
    auth.login()
    response = auth.client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")


def test_each_panel_shows_our_work_and_what_is_missing(auth: AuthActions, scene: Scene) -> None:
    auth.login(user=scene.staff)
    page = html(auth)
    meetings = section(page, "meetings")
    assert "Rakor Lengkap" in meetings
    assert "Rakor Belum Siap" in meetings
    assert count(page, "meetings_total") == 2
    assert count(page, "meetings_incomplete") == 1
    draft = meetings.split("Rakor Belum Siap", 1)[1]
    for lack in (
        "belum ada pimpinan rapat",
        "belum ada notulis",
        "undangan belum dikirim",
        "belum ada aturan kuorum",
    ):
        assert lack in draft
    ready = meetings.split("Rakor Lengkap", 1)[1].split("</li>", 1)[0]
    assert "belum" not in ready
    assert "WIB" in meetings  # the reader's zone with its label (HOME_TIMEZONE)

    assert (count(page, "actions_overdue"), count(page, "actions_done")) == (1, 1)
    assert count(page, "actions_open") == 2  # open (overdue) + in progress
    actions = section(page, "actions")
    assert "/actions?overdue=1" in actions
    assert "/actions?status=done" in actions

    documents = section(page, "documents")
    assert count(page, "documents_total") == 2
    assert "Notulen Ditinjau" in documents
    assert "Notulen Final" in documents
    assert "Notulen Draf" not in documents
    assert "Menunggu tanda tangan Anda" in documents

    mail = section(page, "mail")
    assert count(page, "mail_failed") == 1
    assert "Undangan Rakor Lengkap" in mail
    assert "/outbox?status=failed" in mail
    # The first-run checklist may still show (no letterhead logo yet), its meeting ticked.
    assert "belum punya rapat" not in page
    assert 'data-step="meeting" class="is-done"' in page


def test_another_institution_s_work_is_never_counted_or_listed(
    auth: AuthActions, scene: Scene
) -> None:
    auth.login(user=scene.staff)
    page = html(auth)
    for secret in ("Rapat NTB Rahasia", "Aksi NTB", "Notulen NTB"):
        assert secret not in page
    auth.logout()
    other = AuthActions(auth.client)
    other.login(user=scene.outsider)
    theirs = html(other)
    assert count(theirs, "meetings_total") == 1
    assert (count(theirs, "actions_overdue"), count(theirs, "actions_done")) == (1, 1)
    assert count(theirs, "documents_total") == 1
    assert count(theirs, "mail_failed") == 1
    assert "Rakor Lengkap" not in theirs
    assert "Notulen Final" not in theirs


def test_empty_states_and_the_first_run_hint(auth: AuthActions) -> None:
    lonely = factories.institution(name="Bappeda Baru Uji")
    auth.login(user=factories.user(Role.SECRETARIAT, institution=lonely))
    page = html(auth)
    assert "home-first-run" in page
    assert "belum punya rapat" in page
    assert "Tidak ada rapat dalam 30 hari ke depan." in page
    assert "Tidak ada dokumen yang menunggu." in page
    assert "Tidak ada surat yang gagal terkirim." in page
    assert "Belum ada tindak lanjut yang perlu diikuti." in section(page, "actions")
    assert 'data-empty="actions" hidden' not in page
    auth.post("/lang", {"lang": "en"})
    english = html(auth)
    assert "No meetings in the next 30 days." in english
    assert "Your institution has no meetings yet." in english


def test_a_meeting_beyond_30_days_or_cancelled_is_not_upcoming(
    auth: AuthActions, scene: Scene
) -> None:
    later = datetime.now(UTC) + timedelta(days=45)
    factories.meeting(
        by=scene.staff,
        title="Rakor Jauh",
        start_at=f"{later:%Y-%m-%dT%H:%M}",
        end_at=f"{later + timedelta(hours=2):%Y-%m-%dT%H:%M}",
    )
    db.session.commit()
    auth.login(user=scene.staff)
    page = html(auth)
    assert "Rakor Jauh" not in section(page, "meetings")
    assert count(page, "meetings_total") == 2
    assert "Rakor Jauh" in section(page, "upcoming")  # the paginated list has no horizon


def test_the_api_figures_equal_the_page_s(client: FlaskClient, scene: Scene) -> None:
    headers = support.bearer(scene.staff)
    body = client.get(API, headers=headers).get_json()
    auth = AuthActions(client)
    auth.login(user=scene.staff)
    page = html(auth)
    for key in (
        "meetings_total",
        "meetings_incomplete",
        "documents_total",
        "actions_overdue",
        "actions_done",
        "actions_open",
        "mail_failed",
    ):
        assert body[key] == count(page, key), key
    assert [m["title"] for m in body["meetings"]] == ["Rakor Lengkap", "Rakor Belum Siap"] or [
        m["title"] for m in body["meetings"]
    ] == ["Rakor Belum Siap", "Rakor Lengkap"]
    draft = next(m for m in body["meetings"] if m["title"] == "Rakor Belum Siap")
    assert set(draft["missing"]) == {"chair", "minute_taker", "invitations", "quorum"}
    assert {d["title"] for d in body["documents"]} == {"Notulen Ditinjau", "Notulen Final"}
    assert [m["subject"] for m in body["mail"]] == ["Undangan Rakor Lengkap"]


def test_etag_answers_304_until_a_figure_changes(client: FlaskClient, scene: Scene) -> None:
    headers = support.bearer(scene.staff)
    first = client.get(API, headers=headers)
    etag = first.headers["ETag"]
    assert first.status_code == 200
    assert etag
    again = client.get(API, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    support.action(scene.ready, title="Baru selesai", status=ActionStatus.DONE)
    db.session.commit()
    changed = client.get(API, headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.get_json()["actions_done"] == 2
    assert changed.headers["ETag"] != etag


def test_a_viewer_sees_but_gets_no_write_links(auth: AuthActions, scene: Scene) -> None:
    viewer = factories.user(Role.VIEWER)
    db.session.commit()
    auth.login(user=viewer)
    page = html(auth)
    assert count(page, "actions_done") == 1
    assert "Rakor Lengkap" in page
    assert "home-mail" not in page
    assert "/outbox" not in page
    assert "/meetings/new" not in page
    body = auth.client.get(API).get_json()
    assert body["mail_failed"] is None
    assert body["mail"] == []


def test_a_personal_link_holder_cannot_open_home(client: FlaskClient, scene: Scene) -> None:
    invitation = scene.ready.invitations[0]
    token = links.personal_token(invitation)
    assert client.get(f"/i/{token}").status_code == 200  # the link itself works
    response = client.get("/home")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get(API).status_code == 401
    assert client.get(f"/i/{token}/home").status_code == 404


def test_the_api_is_in_the_openapi_document(client: FlaskClient) -> None:
    spec: dict[str, Any] = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/dashboard"]["get"]
    assert "304" in operation["responses"]
    assert "200" in operation["responses"]


def test_home_is_in_the_menu_and_links_our_forums_dashboards(auth: AuthActions) -> None:
    auth.login()
    ours = factories.forum(short_name="Forum Kita")
    theirs = factories.forum(short_name="Forum Mereka", institution_id=factories.institution().id)
    db.session.commit()
    page = html(auth, "/meetings/")
    nav = re.search(r'<nav aria-label="Menu utama">.*?</nav>', page, re.S)
    assert nav
    assert 'href="/home"' in nav.group(0)
    assert 'href="/actions"' in nav.group(0)
    home = html(auth)
    assert 'href="/home" aria-current="page"' in home
    forums = section(home, "forums")
    assert f'href="/forums/{ours.id}/dashboard"' in forums
    assert "Forum Kita" in forums
    assert "Forum Mereka" not in forums
    assert f"/forums/{theirs.id}/" not in home
