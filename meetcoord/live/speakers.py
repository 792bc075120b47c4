"""One speakers' queue across every site.

A participant asks for the floor from their phone; a site coordinator raises a hand for
someone at their site; the chair gives the floor in any order, which starts the speaker's
timer everywhere. One person holds the floor at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError, field_errors
from meetcoord.extensions import db
from meetcoord.live import log, state
from meetcoord.live.guards import require_running
from meetcoord.live.log import Command
from meetcoord.live.models import SpeakerRequest, SpeakerStatus
from meetcoord.meetings.models import Invitation


def _open_request(cmd: Command, invitation_id: int) -> SpeakerRequest | None:
    return db.session.scalar(
        select(SpeakerRequest).where(
            SpeakerRequest.meeting_id == cmd.meeting.id,
            SpeakerRequest.invitation_id == invitation_id,
            SpeakerRequest.status.in_([SpeakerStatus.WAITING, SpeakerStatus.SPEAKING]),
        )
    )


def _request(cmd: Command, request_id: int | None) -> SpeakerRequest:
    found = db.session.get(SpeakerRequest, request_id) if request_id is not None else None
    if found is None or found.meeting_id != cmd.meeting.id:
        message = _l("Permintaan bicara tidak ditemukan.")
        raise ValidationError(message, errors=field_errors(request_id=message))
    return found


def request_floor(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, int | None]:
    """Ask for the floor for oneself, or (coordinator, staff) for ``invitation_id``."""

    def body(cmd: Command) -> int:
        cmd.actor.require(Permission.LIVE_SPEAK)  # a seat, or staff
        require_running(cmd)
        target = cmd.actor.invitation
        if data.get("invitation_id") is not None:
            target = db.session.get(Invitation, data["invitation_id"])
            if target is None or target.meeting_id != cmd.meeting.id or target.withdrawn_at:
                message = _l("Peserta tidak diundang ke rapat ini.")
                raise ValidationError(message, errors=field_errors(invitation_id=message))
            is_self = cmd.actor.invitation is not None and cmd.actor.invitation.id == target.id
            if not (
                is_self or cmd.actor.may(Permission.LIVE_RUN) or cmd.actor.coordinates(target.site)
            ):
                raise PermissionDenied(
                    _l("Koordinator lokasi hanya dapat mengajukan peserta di lokasinya sendiri.")
                )
        if target is None or target.meeting_id != cmd.meeting.id:
            raise PermissionDenied(_l("Anda tidak diundang ke rapat ini."))
        existing = _open_request(cmd, target.id)
        if existing is not None:
            raise Conflict(_l("%(name)s sudah ada dalam antrean bicara.", name=target.person.name))
        request = SpeakerRequest(
            meeting_id=cmd.meeting.id,
            invitation_id=target.id,
            site_id=target.site_id,
            raised_by=cmd.actor.label,
            requested_at=utcnow(),
        )
        db.session.add(request)
        db.session.flush()
        cmd.append("speaker.requested", {"speaker": state.speaker_dict(request)})
        return request.id

    return log.run(meeting_id, actor, nonce, body)


def withdraw_request(
    actor: Actor, meeting_id: int, request_id: int, nonce: Any = None
) -> tuple[int, None]:
    def body(cmd: Command) -> None:
        cmd.actor.require(Permission.LIVE_SPEAK)
        request = _request(cmd, request_id)
        own = cmd.actor.invitation is not None and cmd.actor.invitation.id == request.invitation_id
        if not (own or cmd.actor.may(Permission.LIVE_RUN) or cmd.actor.coordinates(request.site)):
            raise PermissionDenied(_l("Anda hanya dapat membatalkan permintaan Anda sendiri."))
        if request.status is not SpeakerStatus.WAITING:
            raise Conflict(_l("Permintaan ini tidak lagi menunggu."))
        request.status = SpeakerStatus.WITHDRAWN
        request.ended_at = utcnow()
        cmd.append("speaker.withdrawn", {"speaker": state.speaker_dict(request)})

    return log.run(meeting_id, actor, nonce, body)


def end_current_turn(cmd: Command) -> None:
    """Whoever is speaking stops (logged); nothing when nobody is."""
    speaking = db.session.scalars(
        select(SpeakerRequest).where(
            SpeakerRequest.meeting_id == cmd.meeting.id,
            SpeakerRequest.status == SpeakerStatus.SPEAKING,
        )
    ).all()
    for request in speaking:
        request.status = SpeakerStatus.DONE
        request.ended_at = utcnow()
        cmd.append("speaker.done", {"speaker": state.speaker_dict(request)})


def close_queue(cmd: Command) -> None:
    """When the meeting closes, whoever still waits for the floor will not get it (logged)."""
    waiting = db.session.scalars(
        select(SpeakerRequest)
        .where(
            SpeakerRequest.meeting_id == cmd.meeting.id,
            SpeakerRequest.status == SpeakerStatus.WAITING,
        )
        .order_by(SpeakerRequest.requested_at, SpeakerRequest.id)
    ).all()
    for request in waiting:
        request.status = SpeakerStatus.WITHDRAWN
        request.ended_at = utcnow()
        cmd.append("speaker.withdrawn", {"speaker": state.speaker_dict(request)})


def give_floor(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, None]:
    """The chair gives the floor to a waiting request; the previous speaker's turn ends."""

    def body(cmd: Command) -> None:
        cmd.actor.require(Permission.LIVE_RUN)
        require_running(cmd, paused_ok=False)
        request = _request(cmd, data.get("request_id"))
        if request.status is not SpeakerStatus.WAITING:
            raise Conflict(_l("Permintaan ini tidak lagi menunggu."))
        if request.invitation.withdrawn_at is not None:
            raise Conflict(_l("Undangan peserta ini sudah ditarik; hapus dari antrean."))
        end_current_turn(cmd)
        request.status = SpeakerStatus.SPEAKING
        request.started_at = utcnow()
        request.duration_seconds = data.get("seconds", state.SPEAKER_SECONDS)
        cmd.append("speaker.floor", {"speaker": state.speaker_dict(request)})

    return log.run(meeting_id, actor, nonce, body)


def end_floor(actor: Actor, meeting_id: int, nonce: Any = None) -> tuple[int, None]:
    def body(cmd: Command) -> None:
        cmd.actor.require(Permission.LIVE_RUN)
        require_running(cmd)
        end_current_turn(cmd)
        if not cmd.events:
            raise Conflict(_l("Tidak ada yang sedang berbicara."))

    return log.run(meeting_id, actor, nonce, body)
