"""The tracker across meetings: only the reader's institutions, filters, sorting and
pages; another institution's staff find nothing (404) on pages and in the API; the API
speaks problem+json and a refused change leaves the action as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient

from meetcoord.accounts.models import Role
from meetcoord.actions import services
from meetcoord.actions.models import Action, ActionStatus
from meetcoord.extensions import db
from tests import factories
from tests.actions import support
from tests.conftest import AuthActions

TODAY = datetime.now(UTC).date()  # the home zone's day is within one of it
PAST = TODAY - timedelta(days=30)
FUTURE = TODAY + timedelta(days=30)


class Tracker:
    """Two meetings of the default institution, one of another, and their actions."""

    def __init__(self) -> None:
        self.staff = factories.user(Role.SECRETARIAT)
        self.forum = factories.forum()
        self.first = factories.meeting(by=self.staff, forum_id=self.forum.id)
        self.second = factories.meeting(by=self.staff)
        self.dinas = factories.organization(name="Dinas Pertanian Uji")
        self.pupr = factories.organization(name="Dinas Sosial Uji")
        self.person = factories.person(organization_id=self.dinas.id)
        self.late = support.action(
            self.first,
            title="Data petani",
            organization_id=self.dinas.id,
            person_id=self.person.id,
            locus="Desa Wee Rame",
            due_on=PAST,
        )
        self.doing = support.action(
            self.first,
            title="Irigasi",
            organization_id=self.pupr.id,
            status=ActionStatus.IN_PROGRESS,
            due_on=FUTURE,
        )
        self.done_late = support.action(
            self.second,
            title="Laporan",
            organization_id=self.dinas.id,
            status=ActionStatus.DONE,
            due_on=PAST,
        )
        self.no_due = support.action(
            self.second, title="Sosialisasi", organization_id=self.pupr.id, due_on=None
        )
        self.ntb = factories.institution(name="Bappeda Provinsi NTB Uji")
        self.outsider = factories.user(Role.SECRETARIAT, institution=self.ntb)
        theirs = factories.meeting(by=self.outsider)
        self.foreign = support.action(theirs, title="Rahasia NTB", organization_id=self.dinas.id)


def _ids(body: dict[str, Any]) -> list[int]:
    return [item["id"] for item in body["items"]]


def _api(client: FlaskClient, staff: Any, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/actions", query_string=params, headers=support.bearer(staff))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_api_list_filters_sorts_and_pages(client: FlaskClient) -> None:
    t = Tracker()
    mine = {t.late.id, t.doing.id, t.done_late.id, t.no_due.id}
    everything = _api(client, t.staff, per_page=200)
    assert set(_ids(everything)) >= mine
    assert t.foreign.id not in _ids(everything)

    def ids(**params: Any) -> set[int]:
        return set(_ids(_api(client, t.staff, per_page=200, **params))) & (mine | {t.foreign.id})

    assert ids(organization_id=t.dinas.id) == {t.late.id, t.done_late.id}
    assert ids(overdue="true") == {t.late.id}  # done is not overdue: the agency did it
    assert ids(status="in_progress") == {t.doing.id}
    assert ids(meeting_id=t.second.id) == {t.done_late.id, t.no_due.id}
    assert ids(forum_id=t.forum.id) == {t.late.id, t.doing.id}
    assert ids(person_id=t.person.id) == {t.late.id}
    assert ids(locus="wee") == {t.late.id}
    assert ids(due_from=TODAY.isoformat()) == {t.doing.id}
    assert ids(due_to=TODAY.isoformat()) == {t.late.id, t.done_late.id}
    assert ids(institution_id=t.ntb.id) == set()
    assert ids(q="irigasi") == {t.doing.id}

    by_due = _ids(_api(client, t.staff, meeting_id=t.first.id, sort="due_on"))
    assert by_due == [t.late.id, t.doing.id]
    by_agency = _ids(_api(client, t.staff, meeting_id=t.second.id, sort="organization"))
    assert by_agency == [t.done_late.id, t.no_due.id]  # Dinas Pertanian before Dinas Sosial

    first_page = _api(client, t.staff, meeting_id=t.first.id, per_page=1, page=1)
    second_page = _api(client, t.staff, meeting_id=t.first.id, per_page=1, page=2)
    assert (first_page["total"], first_page["pages"]) == (2, 2)
    assert _ids(first_page) + _ids(second_page) == by_due

    wrong = client.get(
        "/api/v1/actions", query_string={"status": "selesai"}, headers=support.bearer(t.staff)
    )
    assert wrong.status_code == 422
    assert wrong.headers["Content-Type"].startswith("application/problem+json")


def test_the_tracker_page_lists_filters_and_shows_an_empty_state(auth: AuthActions) -> None:
    t = Tracker()
    auth.login(user=t.staff)
    page = auth.client.get("/actions?overdue=1&per_page=200").get_data(as_text=True)
    assert "Data petani" in page
    assert "Irigasi" not in page
    assert "Rahasia NTB" not in page
    sorted_page = auth.client.get(f"/actions?meeting_id={t.first.id}&sort=status&order=desc")
    assert sorted_page.status_code == 200
    empty = auth.client.get("/actions?q=tidak-ada-yang-cocok").get_data(as_text=True)
    assert "Tidak ada data yang cocok" in empty


def test_another_institution_s_staff_find_nothing(client: FlaskClient, auth: AuthActions) -> None:
    t = Tracker()
    services.add_update(t.staff, t.late, {"note": "Mulai", "status": "in_progress"})
    headers = support.bearer(t.outsider)
    action_id = t.late.id
    assert client.get(f"/api/v1/actions/{action_id}", headers=headers).status_code == 404
    patch = client.patch(f"/api/v1/actions/{action_id}", json={"status": "done"}, headers=headers)
    assert patch.status_code == 404
    post = client.post(f"/api/v1/actions/{action_id}/updates", data={"note": "x"}, headers=headers)
    assert post.status_code == 404

    auth.login(user=t.outsider)
    assert auth.client.get(f"/actions/{action_id}").status_code == 404
    for path, data in (
        ("updates", {"note": "x"}),
        ("due", {"due_on": "2031-01-01", "reason": "x"}),
        ("verify", {}),
        ("drop", {"reason": "x"}),
    ):
        assert auth.post(f"/actions/{action_id}/{path}", data).status_code == 404, path
    db.session.expire_all()
    found = db.session.get(Action, action_id)
    assert found.status is ActionStatus.IN_PROGRESS
    assert len(found.updates) == 1


def test_the_api_reads_one_action_and_refuses_bad_changes(client: FlaskClient) -> None:
    t = Tracker()
    headers = support.bearer(t.staff)
    url = f"/api/v1/actions/{t.doing.id}"
    body = client.get(url, headers=headers).get_json()
    assert body["status"] == "in_progress"
    assert body["history"] == []

    for data, field in (
        ({"status": "open"}, "status"),  # no way back from in progress
        ({"due_on": "2031-01-31"}, "reason"),  # a new due date needs a reason
        ({"status": "done", "due_on": "2031-01-31", "reason": "x"}, "due_on"),
    ):
        refused = client.patch(url, json=data, headers=headers)
        assert refused.status_code == 422, data
        assert refused.headers["Content-Type"].startswith("application/problem+json")
        assert field in refused.get_json()["errors"]
    db.session.expire_all()
    unchanged = db.session.get(Action, t.doing.id)
    assert (unchanged.status, unchanged.due_on, unchanged.updates) == (
        ActionStatus.IN_PROGRESS,
        FUTURE,
        [],
    )

    done = client.patch(url, json={"status": "done", "note": "Saluran selesai"}, headers=headers)
    assert done.status_code == 200
    moved = client.patch(url, json={"due_on": "2031-01-31", "reason": "Audit"}, headers=headers)
    assert moved.status_code == 200
    verified = client.patch(url, json={"status": "verified"}, headers=headers)
    assert verified.status_code == 200
    final = verified.get_json()
    assert final["status"] == "verified"
    assert final["original_due_on"] == FUTURE.isoformat()
    assert [h["kind"] for h in final["history"]] == ["status", "due", "status"]


def test_a_viewer_reads_but_does_not_change(client: FlaskClient, auth: AuthActions) -> None:
    t = Tracker()
    viewer = factories.user(Role.VIEWER)
    assert (
        client.get(f"/api/v1/actions/{t.late.id}", headers=support.bearer(viewer)).status_code
        == 200
    )
    auth.login(user=viewer)
    assert auth.client.get(f"/actions/{t.late.id}").status_code == 200
    assert auth.post(f"/actions/{t.late.id}/updates", {"note": "x"}).status_code == 403
    assert support.history(t.late) == []
    patch = client.patch(
        f"/api/v1/actions/{t.late.id}", json={"status": "done"}, headers=support.bearer(viewer)
    )
    assert patch.status_code == 403
    assert support.history(t.late) == []


def test_the_action_page_refuses_in_place_and_verifies_after_confirmation(
    auth: AuthActions,
) -> None:
    t = Tracker()
    auth.login(user=t.staff)
    url = f"/actions/{t.done_late.id}"
    page = auth.client.get(url).get_data(as_text=True)
    assert "data-confirm" in page  # verify and drop ask first
    assert "Waktu dalam WIB" in page  # the reader's zone, labelled
    refused = auth.post(f"{url}/drop", {"reason": ""})
    assert refused.status_code == 422
    assert "Tuliskan alasan tindak lanjut ini dihentikan." in refused.get_data(as_text=True)
    no_reason = auth.post(f"{url}/due", {"due_on": "2031-01-31", "reason": ""})
    assert no_reason.status_code == 422
    assert "Tuliskan alasan tenggat diubah." in no_reason.get_data(as_text=True)
    assert support.history(t.done_late) == []

    assert auth.post(f"{url}/verify").status_code == 302
    shown = auth.client.get(url).get_data(as_text=True)
    assert "Terverifikasi" in shown
    assert "Simpan pembaruan" not in shown  # final: no more forms
