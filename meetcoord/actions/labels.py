"""Display names of an action's statuses and history entries (Indonesian source text)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.actions.models import ActionStatus, UpdateKind

STATUS_LABELS: dict[ActionStatus, Any] = {
    ActionStatus.OPEN: _l("Belum dimulai"),
    ActionStatus.IN_PROGRESS: _l("Sedang dikerjakan"),
    ActionStatus.DONE: _l("Selesai"),
    ActionStatus.VERIFIED: _l("Terverifikasi"),
    ActionStatus.DROPPED: _l("Dihentikan"),
}

KIND_LABELS: dict[UpdateKind, Any] = {
    UpdateKind.PROGRESS: _l("Perkembangan"),
    UpdateKind.STATUS: _l("Perubahan status"),
    UpdateKind.DUE: _l("Perubahan tenggat"),
    UpdateKind.FIELDS: _l("Koreksi dalam rapat"),
}

SORT_LABELS: dict[str, Any] = {
    "due_on": _l("Tenggat"),
    "status": _l("Status"),
    "organization": _l("Instansi"),
    "meeting": _l("Tanggal rapat"),
}

FIELD_LABELS: dict[str, Any] = {
    "title": _l("Uraian"),
    "decision_id": _l("Kesepakatan"),
    "organization_id": _l("Instansi"),
    "person_id": _l("Penanggung jawab"),
    "locus": _l("Lokus"),
    "due_on": _l("Tenggat"),
}
# Fields whose old and new values are ids: the history says that they changed, not to what.
ID_FIELDS = frozenset({"decision_id", "organization_id", "person_id"})
