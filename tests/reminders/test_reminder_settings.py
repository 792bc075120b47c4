"""An institution's reminder settings: defaults without a row, the page and the API twin,
bad values refused with nothing changed, another institution's settings not found."""

from __future__ import annotations

from sqlalchemy import func, select

from meetcoord.accounts.models import Role
from meetcoord.core.audit import AuditEntry
from meetcoord.extensions import db
from meetcoord.reminders.models import ReminderSettings
from meetcoord.reminders.settings import DEFAULTS, settings_for
from tests import factories
from tests.actions.support import bearer
from tests.helpers import reads


def _url(institution_id: int) -> str:
    return f"/api/v1/institutions/{institution_id}/reminder-settings"


def _audits() -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "reminder_settings.update")
        )
    )


def test_api_round_trip_with_defaults_first(client):
    staff = factories.user(Role.SECRETARIAT)
    institution = factories.default_institution()
    got = client.get(_url(institution.id), headers=bearer(staff))
    assert got.status_code == 200
    assert got.get_json() | {"updated_at": None} == {
        "institution_id": institution.id,
        "days_before": 3,
        "overdue_every_days": 7,
        "forum_summary": True,
        "updated_at": None,
    }
    put = client.put(
        _url(institution.id),
        json={"days_before": 5, "overdue_every_days": 14, "forum_summary": False},
        headers=bearer(staff),
    )
    assert put.status_code == 200, put.get_json()
    again = client.get(_url(institution.id), headers=bearer(staff)).get_json()
    assert (again["days_before"], again["overdue_every_days"], again["forum_summary"]) == (
        5,
        14,
        False,
    )
    assert settings_for(institution.id).days_before == 5
    assert _audits() == 1
    # the same values again: nothing to record
    client.put(
        _url(institution.id),
        json={"days_before": 5, "overdue_every_days": 14, "forum_summary": False},
        headers=bearer(staff),
    )
    assert _audits() == 1


def test_bad_values_are_refused_and_change_nothing(client):
    staff = factories.user(Role.SECRETARIAT)
    institution = factories.default_institution()
    for body, field in [
        ({"days_before": 31, "overdue_every_days": 7, "forum_summary": True}, "days_before"),
        ({"days_before": -1, "overdue_every_days": 7, "forum_summary": True}, "days_before"),
        ({"days_before": 3, "overdue_every_days": 0, "forum_summary": True}, "overdue_every_days"),
        ({"days_before": 3, "overdue_every_days": 31, "forum_summary": True}, "overdue_every_days"),
        ({"days_before": "tiga", "overdue_every_days": 7, "forum_summary": True}, "days_before"),
        ({"days_before": 3, "overdue_every_days": 7}, "forum_summary"),
    ]:
        response = client.put(_url(institution.id), json=body, headers=bearer(staff))
        assert response.status_code == 422, body
        assert response.headers["Content-Type"].startswith("application/problem+json")
        assert field in response.get_json()["errors"], response.get_json()
    over = client.put(
        _url(institution.id),
        json={"days_before": 31, "overdue_every_days": 7, "forum_summary": True},
        headers={**bearer(staff), "Accept-Language": "en"},
    ).get_json()
    assert over["errors"]["days_before"] == ["At most 30."]
    assert db.session.get(ReminderSettings, institution.id) is None
    assert settings_for(institution.id) == DEFAULTS
    assert _audits() == 0


def test_another_institutions_settings_are_not_found(client):
    other = factories.institution()
    staff = factories.user(Role.SECRETARIAT)  # of the default institution only
    assert client.get(_url(other.id), headers=bearer(staff)).status_code == 404
    refused = client.put(
        _url(other.id),
        json={"days_before": 1, "overdue_every_days": 1, "forum_summary": False},
        headers=bearer(staff),
    )
    assert refused.status_code == 404
    assert client.get(_url(999_999), headers=bearer(staff)).status_code == 404
    assert db.session.get(ReminderSettings, other.id) is None


def test_a_viewer_may_read_but_not_change(client):
    viewer = factories.user(Role.VIEWER)
    institution = factories.default_institution()
    assert client.get(_url(institution.id), headers=bearer(viewer)).status_code == 200
    refused = client.put(
        _url(institution.id),
        json={"days_before": 1, "overdue_every_days": 1, "forum_summary": False},
        headers=bearer(viewer),
    )
    assert refused.status_code == 403
    assert db.session.get(ReminderSettings, institution.id) is None


def test_the_page_saves_and_shows_errors_beside_the_fields(auth):
    staff = auth.login(Role.SECRETARIAT)
    institution = factories.default_institution()
    url = f"/institutions/{institution.id}/reminder-settings"
    page = auth.client.get(url)
    assert page.status_code == 200
    assert 'value="3"' in page.get_data(as_text=True)
    english = reads(auth.client, "en").get(url).get_data(as_text=True)
    reads(auth.client, "id")
    assert "Follow-up action reminders" in english
    assert "0–30 days; 0: no reminder before the due date." in english

    bad = auth.post(url, {"days_before": "45", "overdue_every_days": "0"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Paling besar 30." in html
    assert "Paling kecil 1." in html
    assert db.session.get(ReminderSettings, institution.id) is None

    saved = auth.post(url, {"days_before": "0", "overdue_every_days": "14", "forum_summary": "y"})
    assert saved.status_code == 302
    row = db.session.get(ReminderSettings, institution.id)
    assert (row.days_before, row.overdue_every_days, row.forum_summary) == (0, 14, True)
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "reminder_settings.update")
    )
    assert entry.actor_id == staff.id
    assert (
        auth.client.get(f"/institutions/{factories.institution().id}/reminder-settings").status_code
        == 404
    )


def test_the_institution_page_links_the_settings(auth):
    auth.login(Role.ADMIN)
    institution = factories.default_institution()
    html = auth.client.get(f"/admin/institutions/{institution.id}").get_data(as_text=True)
    assert f"/institutions/{institution.id}/reminder-settings" in html
