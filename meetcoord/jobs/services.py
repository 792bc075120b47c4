"""Creating and reading jobs; the feature that starts one commits it with its own change."""

from __future__ import annotations

from typing import Any

from meetcoord.access import scope
from meetcoord.core.errors import NotFound
from meetcoord.extensions import db
from meetcoord.jobs.models import Job


def new_job(
    kind: str, institution_id: int, created_by: Any, total: int, params: dict[str, Any]
) -> Job:
    """A queued job in the session (the caller commits it with the change that asked)."""
    job = Job(
        kind=kind,
        institution_id=institution_id,
        created_by_id=getattr(created_by, "id", None),
        total=total,
        params=params,
        errors=[],
    )
    db.session.add(job)
    return job


def get_job(job_id: int, actor: Any) -> Job:
    """The job, when ``actor`` sees its institution's work; otherwise not found."""
    job = db.session.get(Job, job_id)
    if job is None or not scope.may_see(actor, job):
        raise NotFound(scope.NOT_FOUND)
    return job
