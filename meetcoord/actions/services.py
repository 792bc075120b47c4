"""Following up an action after its meeting: progress, status, due date, evidence.

Each service takes the acting person (a staff account today; the agency's personal link
later), checks everything before it writes anything, writes one :class:`ActionUpdate`
history row with what changed, commits, and returns. A refused request leaves the action,
its history and the evidence folder exactly as they were.

Who may do what is the permission table's: progress and the steps up to done need
``ACTION_UPDATE`` on the action's meeting; verifying, dropping and moving the due date
are the secretariat's (``MEETING_ARRANGE``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from meetcoord import webhooks
from meetcoord.access.actors import Actor, as_actor
from meetcoord.access.permissions import Permission, require
from meetcoord.actions import evidence, workflow
from meetcoord.actions.labels import STATUS_LABELS
from meetcoord.actions.models import Action, ActionEvidence, ActionUpdate, UpdateKind
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.core.validation import parse_int
from meetcoord.extensions import db

MAX_FILES = 5
NOTE_MAX = 5000
REASON_MAX = 2000
MILESTONE_MAX = 200
SECRETARIAT_ONLY = _l("Verifikasi dan penghentian dilakukan sekretariat atau pimpinan rapat.")


@dataclass(frozen=True)
class Upload:
    """An evidence file as a door received it: the name it came with and its bytes
    (read up to the limit plus one byte, so a larger file is known to be too large)."""

    filename: str | None
    data: bytes


def read_upload(stream: Any, filename: str | None) -> Upload:
    """Read at most the evidence limit + 1 bytes of ``stream`` (never the whole of it)."""
    limit = int(current_app.config["EVIDENCE_MAX_BYTES"])
    return Upload(filename, stream.read(limit + 1))


def _invalid(field: str, message: Any) -> ValidationError:
    return ValidationError(message, errors={field: [message]})


def _text(data: Mapping[str, Any], name: str, limit: int) -> str | None:
    raw = data.get(name)
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise _invalid(name, _l("Harus berupa teks."))
    value = raw.strip()
    if len(value) > limit:
        raise _invalid(name, _l("Paling banyak %(n)s karakter.", n=limit))
    return value or None


def _percentage(raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    value = parse_int(raw, minimum=0, maximum=100)
    if value is None:
        raise _invalid("percentage", _l("Persentase harus bilangan bulat 0 sampai 100."))
    return value


def _due(raw: Any) -> date:
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str) and raw.strip():
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
        raise _invalid("due_on", _l("Tanggal tidak valid; gunakan format TTTT-BB-HH."))
    raise _invalid("due_on", _l("Isi tanggal tenggat yang baru."))


def _require_open(action: Action) -> None:
    if action.is_withdrawn:
        raise Conflict(_l("Tindak lanjut ini sudah dicabut dalam rapat."))
    if action.is_final:
        raise ValidationError(
            _l(
                "Tindak lanjut ini sudah %(status)s; tidak dapat diubah lagi.",
                status=STATUS_LABELS[action.status],
            ),
            errors={"status": [_l("Status sudah final.")]},
        )


def _checked_files(files: Sequence[Upload]) -> list[tuple[Upload, evidence.Kind]]:
    """Every file's kind, or a refusal naming the first wrong one (nothing stored yet)."""
    present = [f for f in files if f.data or f.filename]
    if len(present) > MAX_FILES:
        raise _invalid("evidence", _l("Paling banyak %(n)s berkas per pembaruan.", n=MAX_FILES))
    limit = int(current_app.config["EVIDENCE_MAX_BYTES"])
    checked = []
    for upload in present:
        name = upload.filename or "?"
        if len(upload.data) > limit:
            raise _invalid(
                "evidence",
                _l(
                    "Berkas %(name)s terlalu besar; paling besar %(mb)s MB.",
                    name=name,
                    mb=round(limit / (1024 * 1024), 1),
                ),
            )
        kind = evidence.sniff(upload.data) if upload.data else None
        if kind is None:
            raise _invalid(
                "evidence",
                _l(
                    "Berkas %(name)s bukan PDF, PNG, JPEG, XLSX atau DOCX yang sah.",
                    name=name,
                ),
            )
        checked.append((upload, kind))
    return checked


def _row(actor: Actor, action: Action, kind: UpdateKind, **fields: Any) -> ActionUpdate:
    user_id, invitation_id = actor.ids
    row = ActionUpdate(
        action_id=action.id,
        kind=kind,
        user_id=user_id,
        invitation_id=invitation_id,
        agency_link_id=actor.agency_link.id if actor.agency_link is not None else None,
        by_label=actor.label[:200],
        at=utcnow(),
        changes=fields.pop("changes", {}),
        **fields,
    )
    db.session.add(row)
    return row


def _commit_with_files(stored: list[str]) -> None:
    """Commit; should it fail, the files written for it go too (nothing half-kept)."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        for key in stored:
            evidence.remove(current_app.instance_path, key)
        raise


def stage_update(
    who: Any,
    action: Action,
    data: Mapping[str, Any],
    files: Sequence[Upload] = (),
    *,
    meeting_id: int | None = None,
    closer: bool | None = None,
) -> tuple[ActionUpdate, list[tuple[Upload, evidence.Kind]]]:
    """Check an update and write its history row into the session, uncommitted.

    The one place the workflow's rules are applied: :func:`add_update` commits what this
    stages, and the live room's action review (``actions.carryover``) stages it inside the
    meeting's event-log transaction. ``meeting_id`` names the meeting whose review the
    update was made in. ``closer`` is None for the ordinary doors (the permission table
    decides); a caller that has authorised the actor itself passes whether the actor may
    take the secretariat's steps (verify, drop). Returns the row and the checked files,
    which the caller stores.
    """
    actor = as_actor(who)
    if closer is None:
        require(actor, Permission.ACTION_UPDATE, action)
    _require_open(action)
    note = _text(data, "note", NOTE_MAX)
    milestone = _text(data, "milestone", MILESTONE_MAX)
    reason = _text(data, "reason", REASON_MAX)
    percentage = _percentage(data.get("percentage"))
    target = None
    raw_status = data.get("status")
    if raw_status not in (None, ""):
        target = workflow.parse_status(raw_status)
        if target is None:
            raise _invalid("status", _l("Status tidak dikenal."))
        if target == action.status:
            target = None
    if target is not None:
        if target in workflow.SECRETARIAT_STEPS:
            if closer is None:
                require(actor, Permission.MEETING_ARRANGE, action)
            elif not closer:
                raise PermissionDenied(SECRETARIAT_ONLY)
        if not workflow.allowed(action.status, target):
            message = _l(
                "Status tidak dapat diubah dari %(old)s menjadi %(new)s.",
                old=STATUS_LABELS[action.status],
                new=STATUS_LABELS[target],
            )
            raise ValidationError(message, errors={"status": [message]})
        if target is workflow.DROPPED and reason is None:
            raise _invalid("reason", _l("Tuliskan alasan tindak lanjut ini dihentikan."))
    checked = _checked_files(files)
    if not (note or milestone or percentage is not None or target or checked):
        raise ValidationError(
            _l("Isi catatan, persentase, tonggak, status atau bukti."),
            errors={"note": [_l("Pembaruan ini kosong.")]},
        )
    before = action.status
    changes: dict[str, Any] = {}
    if target is not None:
        changes["status"] = [before.value, target.value]
        action.status = target
        action.closed_at = utcnow() if target in workflow.FINAL else None
        webhooks.action_status_changed(action, before)
    # A status step with at most a note or reason is a status change; anything that
    # reports progress (a figure, a milestone, evidence) is progress.
    reports = milestone or percentage is not None or checked
    kind = UpdateKind.STATUS if target is not None and not reports else UpdateKind.PROGRESS
    row = _row(
        actor,
        action,
        kind,
        note=note,
        milestone=milestone,
        percentage=percentage,
        reason=reason,
        status_before=before.value,
        status_after=action.status.value,
        changes=changes,
        meeting_id=meeting_id,
    )
    db.session.flush()
    return row, checked


def add_update(
    who: Any, action: Action, data: Mapping[str, Any], files: Sequence[Upload] = ()
) -> ActionUpdate:
    """A progress report (note, percentage or milestone, evidence) and/or a status step.

    ``status`` moves the action along the workflow; ``verified`` and ``dropped`` need the
    secretariat, and dropping needs a ``reason``. An update that says nothing is refused.
    """
    row, checked = stage_update(who, action, data, files)
    stored: list[str] = []
    try:
        for upload, found in checked:
            key = evidence.new_key()
            evidence.write(current_app.instance_path, key, upload.data)
            stored.append(key)
            db.session.add(
                ActionEvidence(
                    update_id=row.id,
                    action_id=action.id,
                    filename=evidence.safe_name(upload.filename, found),
                    content_type=found.content_type,
                    size=len(upload.data),
                    sha256=evidence.digest(upload.data),
                    storage_key=key,
                    created_at=row.at,
                )
            )
    except OSError:
        db.session.rollback()
        for key in stored:
            evidence.remove(current_app.instance_path, key)
        raise
    _commit_with_files(stored)
    return row


def change_status(who: Any, action: Action, data: Mapping[str, Any]) -> ActionUpdate:
    """A status step alone (verify, drop, reopen), with its note or reason."""
    if data.get("status") in (None, ""):
        raise _invalid("status", _l("Pilih status baru."))
    return add_update(who, action, data)


def change_due(who: Any, action: Action, data: Mapping[str, Any]) -> ActionUpdate:
    """Move the due date, with a reason; the date the meeting agreed is kept once."""
    actor = as_actor(who)
    require(actor, Permission.MEETING_ARRANGE, action)
    _require_open(action)
    new = _due(data.get("due_on"))
    reason = _text(data, "reason", REASON_MAX)
    if reason is None:
        raise _invalid("reason", _l("Tuliskan alasan tenggat diubah."))
    if new == action.due_on:
        raise _invalid("due_on", _l("Tanggal tenggat itu sudah berlaku."))
    old = action.due_on
    if action.original_due_on is None and old is not None:
        action.original_due_on = old
    action.due_on = new
    action.version += 1  # the live room's corrections compare versions
    row = _row(
        actor,
        action,
        UpdateKind.DUE,
        reason=reason,
        status_before=action.status.value,
        status_after=action.status.value,
        changes={"due_on": [old.isoformat() if old else None, new.isoformat()]},
    )
    db.session.commit()
    return row
