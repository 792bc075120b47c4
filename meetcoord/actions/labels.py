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
}

SORT_LABELS: dict[str, Any] = {
    "due_on": _l("Tenggat"),
    "status": _l("Status"),
    "organization": _l("Instansi"),
    "meeting": _l("Tanggal rapat"),
}
