"""Sending invitations as its own step, in the background for many invitees (issue 17).

Scheduling a meeting and mailing its invitations used to be one request: 303 invitations
rendered inside it (4.6 s). Now the mailing is a job (``jobs``): ``start_send`` (and
``services.schedule`` above :data:`INLINE_MAX`, through ``mailing.send_invitations``)
writes a job naming the invitations to mail and answers at once; the worker calls :func:`run_batch`
which renders a batch, puts the mails in the outbox, marks each invitation ``sent_at`` and
moves the job's progress, all in one transaction. A killed worker loses an uncommitted
batch whole, and the next pass skips invitations already marked: nobody is mailed twice.

Small sends (at most :data:`INLINE_MAX`) still happen inside the request, as before: a
secretariat inviting ten people sees "sent" at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from meetcoord.accounts.models import User
from meetcoord.core import audit
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, NotFound, TooManyRequests, ValidationError
from meetcoord.core.errors import field_errors as fe
from meetcoord.extensions import db
from meetcoord.jobs import runner
from meetcoord.jobs.models import OPEN, Job
from meetcoord.meetings import mailing
from meetcoord.meetings.models import Invitation, Meeting
from meetcoord.meetings.services import ACTIVE, commit, require_editor

KIND = mailing.SEND_KIND
INLINE_MAX = mailing.INLINE_MAX
RESEND_ACTION = "send_invitation"
RESEND_PER_HOUR = 3  # one person's invitation mailed again, per hour
SHOWN_AFTER = timedelta(hours=1)  # a finished send stays on the workspace this long


def current_job(meeting: Meeting) -> Job | None:
    """The meeting's latest send job while it runs, or finished within the last hour (so
    the secretariat sees "303 of 303 sent, 2 failed" once, then the panel goes away).

    Jobs carry their meeting in ``params`` (JSON), so the few recent ones of the
    institution are read and matched here rather than by a database-specific JSON query.
    """
    recent = db.session.scalars(
        select(Job)
        .where(
            Job.kind == KIND,
            Job.institution_id == meeting.institution_id,
            or_(Job.status.in_(OPEN), Job.finished_at >= utcnow() - SHOWN_AFTER),
        )
        .order_by(Job.id.desc())
        .limit(50)
    )
    return next((job for job in recent if job.params.get("meeting_id") == meeting.id), None)


def start_send(actor: User | None, meeting: Meeting, ids: Sequence[int] | None = None) -> Job:
    """A job mailing every invitation not yet sent (or those of ``ids`` not yet sent)."""
    require_editor(actor, meeting)
    if meeting.status not in ACTIVE:
        raise Conflict(_l("Undangan hanya dikirim untuk rapat yang sudah dijadwalkan."))
    pending = mailing.unsent(meeting, ids)
    job = mailing.send_job(actor, meeting, pending)
    audit.record(actor, "send_invitations", meeting, f"{len(pending)} invitations to send")
    commit()
    return job


def run_batch(job: Job, limit: int) -> int:
    """The worker's part (``jobs.runner``): mail the next ``limit`` invitations of ``job``."""
    meeting = db.session.get(Meeting, job.params.get("meeting_id"))
    if meeting is None or meeting.status not in ACTIVE:
        runner.fail(job, "meeting no longer scheduled; the remaining invitations were not sent")
        db.session.commit()
        return 0
    ids = job.params.get("invitation_ids", [])[job.position : job.position + limit]
    rows = db.session.scalars(
        select(Invitation).where(Invitation.id.in_(ids)).with_for_update()
    ).all()
    by_id = {inv.id: inv for inv in rows}
    to_mail = []
    for invitation_id in ids:
        invitation = by_id.get(invitation_id)
        if invitation is None or invitation.withdrawn_at is not None:
            job.add_error({"invitation_id": invitation_id, "detail": "invitation withdrawn"})
        elif invitation.sent_at is not None:
            job.done += 1  # sent meanwhile (or before a crash): not again
        elif not invitation.person.email:
            job.add_error({"invitation_id": invitation_id, "detail": "no e-mail address"})
        else:
            to_mail.append(invitation)
    mailing.queue_invitations(to_mail)
    job.done += len(to_mail)
    job.position += len(ids)
    db.session.commit()
    return len(ids)


def send_again(actor: User | None, invitation: Invitation) -> Invitation:
    """Mail one person's invitation (with its calendar file) again, at most
    :data:`RESEND_PER_HOUR` times an hour so a mailbox cannot be flooded."""
    require_editor(actor, invitation.meeting)
    if invitation.withdrawn_at is not None:
        raise NotFound(_l("Undangan tidak ditemukan."))
    if invitation.meeting.status not in ACTIVE:
        raise Conflict(_l("Undangan hanya dikirim untuk rapat yang sudah dijadwalkan."))
    person = invitation.person
    if not person.email:
        message = _l("%(name)s tidak punya alamat surel.", name=person.name)
        raise ValidationError(message, errors=fe(email=message))
    if audit.recent_count(RESEND_ACTION, invitation, timedelta(hours=1)) >= RESEND_PER_HOUR:
        raise TooManyRequests(
            _l(
                "Undangan %(name)s sudah dikirim ulang %(n)d kali dalam satu jam terakhir. "
                "Coba lagi nanti.",
                name=person.name,
                n=RESEND_PER_HOUR,
            )
        )
    mailing.queue_invitations([invitation])
    audit.record(actor, RESEND_ACTION, invitation, f"invitation mailed to {person.name}")
    commit()
    return invitation
