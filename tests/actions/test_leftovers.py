"""No evidence file outlives its row (issue 13): a deleted action, update or meeting takes
its files with it once the commit succeeded; a rolled-back deletion keeps them; what a
bulk delete left behind is swept after the grace period, and nothing younger or not ours.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete

from meetcoord.accounts.models import Role
from meetcoord.actions import evidence, leftovers, services
from meetcoord.actions.models import Action, ActionEvidence, ActionUpdate
from meetcoord.core.worker import registered_jobs
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from tests import factories
from tests.actions import support


def with_evidence(meeting: Meeting | None = None) -> tuple[Action, str]:
    """An action with one PDF stored through the service; its storage key."""
    action = support.action(meeting)
    staff = factories.user(Role.SECRETARIAT)
    row = services.add_update(
        staff, action, {"note": "Bukti"}, [services.Upload("bukti.pdf", support.PDF)]
    )
    (found,) = row.evidence
    return action, found.storage_key


def on_disk(app: Flask, key: str) -> bool:
    return evidence.path_for(app.instance_path, key).exists()


def test_the_listener_is_installed_and_the_sweep_is_a_worker_job(app: Flask) -> None:
    assert "evidence-sweep" in {job.name for job in registered_jobs(app)}


def test_deleting_an_action_removes_its_files_after_the_commit(app: Flask) -> None:
    action, key = with_evidence()
    assert on_disk(app, key)
    db.session.delete(action)
    db.session.flush()
    assert on_disk(app, key)  # flushed, not committed: the file is still there
    db.session.commit()
    assert not on_disk(app, key)
    assert db.session.query(ActionEvidence).filter_by(storage_key=key).count() == 0


def test_a_rolled_back_deletion_keeps_the_file(app: Flask) -> None:
    action, key = with_evidence()
    action_id = action.id
    db.session.delete(action)
    db.session.flush()
    db.session.rollback()
    assert on_disk(app, key)
    assert db.session.get(Action, action_id) is not None
    # A later, unrelated commit does not remember the forgotten deletion.
    factories.organization()
    db.session.commit()
    assert on_disk(app, key)


def test_deleting_an_update_or_the_evidence_row_removes_the_file(app: Flask) -> None:
    action, key = with_evidence()
    (update,) = db.session.query(ActionUpdate).filter_by(action_id=action.id).all()
    db.session.delete(update)
    db.session.commit()
    assert not on_disk(app, key)
    _other, second = with_evidence()
    db.session.delete(db.session.query(ActionEvidence).filter_by(storage_key=second).one())
    db.session.commit()
    assert not on_disk(app, second)


def test_deleting_a_meeting_removes_the_files_of_its_actions(app: Flask) -> None:
    meeting = factories.meeting()
    _first, one = with_evidence(meeting)
    _second, two = with_evidence(meeting)
    _elsewhere, kept = with_evidence()
    db.session.delete(meeting)
    db.session.commit()
    assert not on_disk(app, one)
    assert not on_disk(app, two)
    assert on_disk(app, kept)


def age(path: Path, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


@pytest.fixture
def own_folder(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An instance folder of this test alone: other tests' files (their rows rolled back
    with their transaction) are orphans too, and would be counted."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))


@pytest.mark.usefixtures("own_folder")
def test_the_sweep_removes_old_files_without_a_row_only(app: Flask) -> None:
    action, kept = with_evidence()
    _gone, orphan = with_evidence()
    # A bulk DELETE: the database cascades, the ORM never sees the evidence rows.
    db.session.execute(delete(Action).where(Action.id == _gone.id))
    db.session.commit()
    assert on_disk(app, orphan)
    folder = Path(app.instance_path) / evidence.FOLDER
    young = evidence.new_key()
    evidence.write(app.instance_path, young, b"%PDF- still committing")
    stale_part = folder / f"{evidence.new_key()}.part"
    stale_part.write_bytes(b"half")
    stranger = folder / "README.txt"
    stranger.write_text("not ours")
    for path in (folder / kept, folder / orphan, stale_part, stranger):
        age(path, 2 * leftovers.GRACE)
    assert leftovers.sweep(app.instance_path) == 2
    assert on_disk(app, kept)  # its row exists
    assert not on_disk(app, orphan)
    assert not stale_part.exists()
    assert on_disk(app, young)  # too young: an upload may still be committing
    assert stranger.exists()  # not a name the tracker makes
    assert db.session.get(Action, action.id) is not None
    evidence.remove(app.instance_path, young)


@pytest.mark.usefixtures("own_folder")
def test_the_command_sweeps(app: Flask) -> None:
    _gone, orphan = with_evidence()
    db.session.execute(delete(Action).where(Action.id == _gone.id))
    db.session.commit()
    age(evidence.path_for(app.instance_path, orphan), 2 * leftovers.GRACE)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["sweep-evidence"])
    assert result.exit_code == 0, result.output
    assert "removed 1" in result.output
    assert not on_disk(app, orphan)


def test_an_upload_whose_commit_fails_leaves_no_file(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    action = support.action()
    staff = factories.user(Role.SECRETARIAT)
    db.session.commit()
    before = support.stored_files(app)

    def refuse() -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", refuse)
    with pytest.raises(RuntimeError):
        services.add_update(
            staff, action, {"note": "Bukti"}, [services.Upload("bukti.pdf", support.PDF)]
        )
    monkeypatch.undo()
    assert support.stored_files(app) == before
    assert db.session.query(ActionEvidence).filter_by(action_id=action.id).count() == 0
