"""One vocabulary, two languages, and the way to the planning pages.

The pages name fields, outcomes, confirmations and statuses from ``planning.labels`` in the
reader's language; the documents print the same labels in Indonesian whoever drafts them.
The main menu leads staff to the planning section, whose pages link one another, and a
meeting's page links its synchronisation matrix and outcome when it has one.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from meetcoord.accounts.models import Role
from meetcoord.meetings import agenda
from meetcoord.planning import labels, outcome
from meetcoord.planning.models import MarkOutcome, ProposalField
from tests import factories
from tests.conftest import AuthActions
from tests.helpers import chosen, reads
from tests.planning.outcome_support import twenty_marks


def test_documents_print_indonesian_labels_for_an_english_reader(app: Flask) -> None:
    staff = factories.user(Role.SECRETARIAT)
    matrix = twenty_marks(factories.meeting(by=staff, title="Sinkronisasi"))
    with app.test_request_context("/", headers=chosen("en")):
        assert str(labels.FIELD_LABELS[ProposalField.ECONOMY]) == "Economy"  # the reader's
        rows = outcome.matrix_rows(matrix.meeting)
        carried = matrix.of(MarkOutcome.CARRIED)[0]
        title = outcome.action_title(carried)
        after = str(labels.CONFIRMATION_LABELS[matrix.marks[0].confirmation])
    assert {r.field for r in rows} == {"Ekonomi"}
    assert {r.fund_source for r in rows} == {"APBD Kabupaten/Kota"}
    assert {r.confirmation for r in rows} == {"Menunggu konfirmasi", "Dikonfirmasi", "Disanggah"}
    assert {r.carried_to for r in rows if r.outcome == "carried"} == {"Musrenbangkab"}
    assert title.endswith(" ke Musrenbangkab")
    assert title.startswith("Kawal usulan")
    assert after == "Awaiting confirmation"  # the locale came back after the documents


def test_pages_show_the_labels_in_the_readers_language(
    client: FlaskClient, auth: AuthActions
) -> None:
    staff = auth.login()
    matrix = twenty_marks(factories.meeting(by=staff, title="Sinkronisasi"))
    url = f"/meetings/{matrix.meeting.id}/matrix/outcome"
    english = reads(client, "en").get(url).get_data(as_text=True)
    for word in ("Accommodated", "Economy", "Disputed", "Carried to the next forum"):
        assert word in english, word
    assert "Diakomodasi" not in english
    assert "Ekonomi" not in english
    indonesian = reads(client, "id").get(url).get_data(as_text=True)
    assert "Diakomodasi" in indonesian
    assert "Disanggah" in indonesian

    staff_matrix = reads(client, "en").get(f"/meetings/{matrix.meeting.id}/matrix")
    text = staff_matrix.get_data(as_text=True)
    assert "Accommodated" in text
    assert ">accommodated<" not in text

    village = reads(client, "en").get(f"/villages/{matrix.villages[0].id}").get_data(as_text=True)
    assert '<span class="badge">Submitted</span>' in village
    assert ">submitted<" not in village


def test_the_menu_leads_to_planning_and_its_pages_link_each_other(
    app: Flask, auth: AuthActions
) -> None:
    auth.login()
    home = reads(auth.client, "id").get("/home").get_data(as_text=True)
    assert 'href="/planning/proposals">Perencanaan</a>' in home
    proposals = reads(auth.client, "id").get("/planning/proposals").get_data(as_text=True)
    assert 'aria-current="page">Perencanaan</a>' in proposals
    for href in ('href="/villages"', 'href="/villages/dashboard"', 'href="/planning/tracking"'):
        assert href in proposals, href
    villages = reads(auth.client, "en").get("/villages").get_data(as_text=True)
    assert 'href="/villages" aria-current="page">Guided villages</a>' in villages

    viewer = AuthActions(app.test_client())
    viewer.login(role=Role.VIEWER)
    seen = reads(viewer.client, "id").get("/planning/proposals").get_data(as_text=True)
    assert 'href="/villages/dashboard"' in seen
    assert 'href="/planning/tracking"' not in seen  # the switch is the working staff's


def test_the_meeting_page_links_the_matrix_when_the_meeting_has_one(
    client: FlaskClient, auth: AuthActions
) -> None:
    staff = auth.login()
    plain = factories.meeting(by=staff, title="Rakor biasa")
    page = client.get(f"/meetings/{plain.id}?tab=documents").get_data(as_text=True)
    assert f"/meetings/{plain.id}/matrix" not in page

    with_item = factories.meeting(by=staff, title="Rakor sinkronisasi")
    agenda.add_agenda_item(
        staff,
        with_item,
        {"title": "Sinkronisasi usulan", "planned_minutes": 30, "kind": "sync_matrix"},
    )
    page = client.get(f"/meetings/{with_item.id}?tab=documents").get_data(as_text=True)
    assert f'href="/meetings/{with_item.id}/matrix"' in page
    assert f'href="/meetings/{with_item.id}/matrix/outcome"' in page

    marked = twenty_marks(factories.meeting(by=staff, title="Rakor bertanda")).meeting
    page = client.get(f"/meetings/{marked.id}?tab=documents").get_data(as_text=True)
    assert f'href="/meetings/{marked.id}/matrix"' in page
    assert f'href="/meetings/{marked.id}/matrix/outcome"' in page
