"""What the live pages need for the synchronisation matrix: whether to load it, and its words.

Only a meeting with a "sync_matrix" item loads ``live-matrix.js`` and these strings (the
phone page has a byte budget). The labels of outcomes, fields, sources of funds, forums and
confirmations are :mod:`meetcoord.planning.labels`, so the console, the phones, the proposals
pages and the documents name them alike.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from meetcoord.meetings.models import Meeting
from meetcoord.planning.labels import (
    CONFIRMATION_LABELS,
    FIELD_LABELS,
    FORUM_LABELS,
    FUND_SOURCE_LABELS,
    OUTCOME_LABELS,
    STATUS_LABELS,
)
from meetcoord.planning.matrix import has_matrix
from meetcoord.planning.models import ProposalStatus

__all__ = ["forum_choices", "has_matrix", "matrix_strings", "outcome_choices"]


def outcome_choices() -> list[tuple[str, str]]:
    """The console's mark form: (value, label) of each outcome."""
    return [(k.value, str(v)) for k, v in OUTCOME_LABELS.items()]


def forum_choices() -> list[tuple[str, str]]:
    return [(k.value, str(v)) for k, v in FORUM_LABELS.items()]


def matrix_strings(meeting: Meeting | None = None) -> dict[str, Any]:
    """The words of ``live-matrix.js``: labels by value, then its sentences."""
    words: dict[str, Any] = {
        **{f"m_outcome_{k.value}": str(v) for k, v in OUTCOME_LABELS.items()},
        "m_outcome_discussed": str(STATUS_LABELS[ProposalStatus.DISCUSSED]),
        **{f"m_forum_{k.value}": str(v) for k, v in FORUM_LABELS.items()},
        **{f"m_field_{k.value}": str(v) for k, v in FIELD_LABELS.items()},
        **{f"m_fund_{k.value}": str(v) for k, v in FUND_SOURCE_LABELS.items()},
        **{f"m_conf_{k.value}": str(v) for k, v in CONFIRMATION_LABELS.items()},
        "m_all": _("Semua"),
        "m_agency": _("Instansi"),
        "m_village": _("Desa"),
        "m_field": _("Bidang"),
        "m_fund": _("Sumber dana"),
        "m_status": _("Status"),
        "m_by_score": _("Urut skor tertinggi"),
        "m_mark": _("Tandai"),
        "m_mark_label": _("Tandai “%(title)s”"),
        "m_confirm": _("Konfirmasi"),
        "m_dispute": _("Sanggah"),
        "m_note": _("Catatan sanggahan"),
        "m_carried": _("Dibawa ke %(forum)s"),
        "m_merged": _("Digabung dengan %(title)s"),
        "m_summary": _("%(n)s usulan · pagu %(budget)s · diakomodasi %(k)s (%(share)s)"),
        "m_disputed_n": _("%(n)s baris disanggah"),
        "m_empty": _("Belum ada usulan di matriks."),
        "m_none": _("Tidak ada baris yang cocok dengan saringan."),
        "m_by_agency": _("Jumlah per instansi"),
        "m_by_village": _("Jumlah per desa"),
        "m_count": _("Usulan"),
        "m_budget": _("Pagu usulan"),
        "m_amount": _("Diakomodasi"),
        "m_share": _("Porsi"),
        "m_by": _("%(state)s oleh %(name)s"),
        "m_score": _("skor %(n)s"),
        "m_shown": _("%(n)s dari %(total)s baris"),
        "m_locked": _("Matriks terkunci: notulen atau berita acara sudah final."),
        "m_saved": _("Tersimpan."),
        "m_failed": _("Gagal: %(message)s"),
        "m_no_village": _("Tanpa desa"),
    }
    return words
