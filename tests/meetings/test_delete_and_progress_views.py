"""The workspace deletes a draft after a confirmation page, and shows an invitation send
running in the worker with its progress (issue 17)."""

from __future__ import annotations

from sqlalchemy import select

from meetcoord.core.audit import AuditEntry
from meetcoord.extensions import db
from meetcoord.jobs import runner
from meetcoord.jobs.models import Job
from meetcoord.meetings import invitations, mailing, services
from meetcoord.meetings.models import Meeting, MeetingStatus
from tests import factories
from tests.helpers import count, text
from tests.meetings.test_meetings_views import make_meeting
from tests.meetings.test_meetings_views import venues as venues  # the fixture


def test_a_draft_is_deleted_after_confirming(client, auth, venues):
    editor = auth.login("secretariat")
    meeting = make_meeting(editor, venues["WITA"], title="Rapat Draf Keliru")
    invitations.invite(editor, meeting, {"person_ids": [factories.person().id]})
    meeting_id = meeting.id

    overview = text(client.get(f"/meetings/{meeting_id}"))
    assert f'href="/meetings/{meeting_id}/delete"' in overview
    assert "Hapus draf" in overview
    confirm = client.get(f"/meetings/{meeting_id}/delete")
    assert confirm.status_code == 200
    assert "Hapus draf rapat ini?" in text(confirm)
    assert 'name="csrf_token"' in text(confirm)
    assert db.session.get(Meeting, meeting_id) is not None  # GET changes nothing

    response = auth.post(f"/meetings/{meeting_id}/delete", follow_redirects=True)
    assert response.request.path == "/meetings/"
    assert "Draf rapat Rapat Draf Keliru dihapus." in text(response)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting_id) is None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "delete")).one()
    assert (entry.entity_id, entry.actor_id) == (meeting_id, editor.id)


def test_delete_speaks_english_to_an_english_reader(client, auth, venues):
    editor = auth.login("secretariat")
    meeting = make_meeting(editor, venues["WITA"], title="Draft X")
    auth.post("/lang", {"lang": "en", "next": "/meetings/"})
    confirm = text(client.get(f"/meetings/{meeting.id}/delete"))
    assert "Delete this draft meeting?" in confirm
    response = auth.post(f"/meetings/{meeting.id}/delete", follow_redirects=True)
    assert "Draft meeting Draft X deleted." in text(response)


def test_only_a_draft_is_offered_or_deleted(client, auth, venues):
    editor = auth.login("secretariat")
    for end in ("schedule", "cancel"):
        meeting = make_meeting(editor, venues["WITA"], title=f"Rapat {end}")
        if end == "schedule":
            services.schedule_meeting(editor, meeting)
        else:
            services.cancel_meeting(editor, meeting)
        overview = text(client.get(f"/meetings/{meeting.id}"))
        assert f"/meetings/{meeting.id}/delete" not in overview
        asked = client.get(f"/meetings/{meeting.id}/delete", follow_redirects=True)
        assert "Hanya rapat berstatus draf yang dapat dihapus" in text(asked)
        refused = auth.post(f"/meetings/{meeting.id}/delete", follow_redirects=True)
        assert "Hanya rapat berstatus draf yang dapat dihapus" in text(refused)
        assert db.session.get(Meeting, meeting.id) is not None
    assert count(AuditEntry, AuditEntry.action == "delete") == 0


def test_a_viewer_cannot_delete(client, auth, venues):
    editor = factories.user("secretariat")
    meeting = make_meeting(editor, venues["WITA"])
    auth.login("viewer")
    assert "/delete" not in text(client.get(f"/meetings/{meeting.id}"))
    assert auth.post(f"/meetings/{meeting.id}/delete").status_code == 403
    assert db.session.get(Meeting, meeting.id) is not None


def test_a_big_send_shows_its_progress_on_the_workspace(client, auth, venues):
    editor = auth.login("secretariat")
    meeting = make_meeting(editor, venues["WITA"])
    people = [factories.person().id for _ in range(mailing.INLINE_MAX + 2)]
    invitations.invite(editor, meeting, {"person_ids": people[:1], "role": "chair"})
    invitations.invite(editor, meeting, {"person_ids": people[1:2], "role": "minute_taker"})
    invitations.invite(editor, meeting, {"person_ids": people[2:]})
    response = auth.post(f"/meetings/{meeting.id}/schedule", follow_redirects=True)
    page = text(response)
    total = mailing.INLINE_MAX + 2
    assert f"{total} undangan sedang dikirim di latar" in page
    job = db.session.scalars(select(Job)).one()
    assert f'data-job-url="/api/v1/jobs/{job.id}"' in page
    assert 'data-running="1"' in page
    assert f"0 dari {total} undangan terkirim" in page
    assert f'<progress max="{total}" value="0">' in page
    assert "Muat ulang" in page  # without JavaScript

    # The page's script polls the job with the browser's session.
    polled = client.get(f"/api/v1/jobs/{job.id}", headers={"Accept": "application/json"})
    assert polled.status_code == 200
    assert (polled.get_json()["total"], polled.get_json()["done"]) == (total, 0)

    runner.run_due(10)
    page = text(client.get(f"/meetings/{meeting.id}?tab=invitees"))
    assert f"10 dari {total} undangan terkirim" in page
    runner.run_due(100)
    page = text(client.get(f"/meetings/{meeting.id}"))
    assert f"{total} dari {total} undangan terkirim" in page
    assert "Pengiriman selesai." in page
    assert 'data-running="0"' in page
    auth.post("/lang", {"lang": "en", "next": "/meetings/"})
    english = text(client.get(f"/meetings/{meeting.id}"))
    assert f"{total} of {total} invitations sent" in english


def test_no_progress_panel_without_a_job_nor_for_another_meeting(client, auth, venues):
    editor = auth.login("secretariat")
    meeting = make_meeting(editor, venues["WITA"])
    other = make_meeting(editor, venues["WITA"], title="Rapat Lain")
    services.schedule(editor, other, send=False)
    invitations.invite(editor, other, {"person_ids": [factories.person().id]})
    db.session.add(
        mailing.send_job(editor, other, list(other.invitations))
    )  # a job of the other meeting
    db.session.commit()
    assert meeting.status is MeetingStatus.DRAFT
    assert "send-progress" not in text(client.get(f"/meetings/{meeting.id}"))
    assert "send-progress" in text(client.get(f"/meetings/{other.id}"))
