"""Display names of the planning vocabulary (Indonesian source text, English in the catalogue).

One table per enum of :mod:`meetcoord.planning.models` (and the IDM movement of
:mod:`meetcoord.planning.idm`), shared by the proposals pages, the
matrix, the minutes and the public tracking page so a field or a status reads the same
everywhere. Acronyms and forum names (APBN, DAK, Musrenbangkab…) are proper names: they are
not translated.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.planning.idm import Movement
from meetcoord.planning.models import (
    Confirmation,
    FundSource,
    IdmStatus,
    MarkOutcome,
    PlanningForum,
    ProposalField,
    ProposalStatus,
    ProposerKind,
)

FIELD_LABELS: dict[ProposalField, Any] = {
    ProposalField.ECONOMY: _l("Ekonomi"),
    ProposalField.SOCIAL_CULTURE: _l("Sosial budaya"),
    ProposalField.INFRASTRUCTURE: _l("Prasarana wilayah"),
    ProposalField.GOVERNANCE: _l("Pemerintahan"),
}

FUND_SOURCE_LABELS: dict[FundSource, Any] = {
    FundSource.APBDES: "APBDes",
    FundSource.APBD_REGENCY: _l("APBD Kabupaten/Kota"),
    FundSource.APBD_PROVINCE: _l("APBD Provinsi"),
    FundSource.APBN: "APBN",
    FundSource.DAK: "DAK",
    FundSource.CSR: "CSR",
    FundSource.ZAKAT: "Baznas/Zakat",
    FundSource.OTHER: _l("Lainnya"),
}

PROPOSER_LABELS: dict[ProposerKind, Any] = {
    ProposerKind.VILLAGE: _l("Desa"),
    ProposerKind.COMMUNITY_GROUP: _l("Kelompok masyarakat"),
    ProposerKind.ORGANIZATION: _l("Organisasi"),
}

STATUS_LABELS: dict[ProposalStatus, Any] = {
    ProposalStatus.SUBMITTED: _l("Diajukan"),
    ProposalStatus.DISCUSSED: _l("Dibahas"),
    ProposalStatus.ACCOMMODATED: _l("Diakomodasi"),
    ProposalStatus.CARRIED: _l("Dibawa ke forum berikutnya"),
    ProposalStatus.MERGED: _l("Digabung"),
    ProposalStatus.NOT_ACCOMMODATED: _l("Tidak diakomodasi"),
}

OUTCOME_LABELS: dict[MarkOutcome, Any] = {
    MarkOutcome.ACCOMMODATED: _l("Diakomodasi"),
    MarkOutcome.CARRIED: _l("Dibawa ke forum berikutnya"),
    MarkOutcome.MERGED: _l("Digabung"),
    MarkOutcome.NOT_ACCOMMODATED: _l("Tidak diakomodasi"),
}

FORUM_LABELS: dict[PlanningForum, Any] = {
    PlanningForum.MUSRENBANGDES: "Musrenbangdes",
    PlanningForum.MUSRENBANGCAM: "Musrenbangcam",
    PlanningForum.MUSRENBANGKAB: "Musrenbangkab",
    PlanningForum.MUSRENBANGPROV: "Musrenbangprov",
    PlanningForum.RKP: "RKP",
}

CONFIRMATION_LABELS: dict[Confirmation, Any] = {
    Confirmation.PENDING: _l("Menunggu konfirmasi"),
    Confirmation.CONFIRMED: _l("Dikonfirmasi"),
    Confirmation.DISPUTED: _l("Disanggah"),
}

IDM_LABELS: dict[IdmStatus, Any] = {
    IdmStatus.VERY_UNDERDEVELOPED: _l("Sangat tertinggal"),
    IdmStatus.UNDERDEVELOPED: _l("Tertinggal"),
    IdmStatus.DEVELOPING: _l("Berkembang"),
    IdmStatus.ADVANCED: _l("Maju"),
    IdmStatus.INDEPENDENT: _l("Mandiri"),
}

MOVEMENT_LABELS: dict[Movement, Any] = {
    Movement.UP: _l("Naik"),
    Movement.DOWN: _l("Turun"),
    Movement.SAME: _l("Tetap"),
    Movement.UNKNOWN: _l("Belum ada pembanding"),
}

# The public tracking page speaks to villagers, not to planners: it spells the forums out
# and says whose confirmation a row waits for.
FORUM_NAMES: dict[PlanningForum, Any] = {
    PlanningForum.MUSRENBANGDES: _l("Musrenbang Desa"),
    PlanningForum.MUSRENBANGCAM: _l("Musrenbang Kecamatan"),
    PlanningForum.MUSRENBANGKAB: _l("Musrenbang Kabupaten"),
    PlanningForum.MUSRENBANGPROV: _l("Musrenbang Provinsi"),
    PlanningForum.RKP: _l("Rencana Kerja Pemerintah (RKP)"),
}

PUBLIC_CONFIRMATION_LABELS: dict[Confirmation, Any] = {
    Confirmation.PENDING: _l("Menunggu konfirmasi instansi"),
    Confirmation.CONFIRMED: _l("Dikonfirmasi instansi"),
    Confirmation.DISPUTED: _l("Disanggah instansi"),
}
