"""What the pages call the meetings' kinds, states, roles and answers: written once.

The secretariat's forms, the participant's page, the desk and the live room all show an
invitee's role; they used to keep two copies of these labels, which could drift apart.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from meetcoord.meetings.models import (
    AgendaKind,
    InviteeRole,
    MeetingKind,
    MeetingStatus,
    QuorumKind,
    Rsvp,
)

KIND_LABELS = {
    MeetingKind.COORDINATION: _l("Rapat koordinasi"),
    MeetingKind.MUSRENBANG_SYNC: _l("Sinkronisasi Musrenbang"),
    MeetingKind.EVALUATION: _l("Evaluasi"),
    MeetingKind.KNOWLEDGE_SHARING: _l("Berbagi pengetahuan"),
    MeetingKind.SIGNING: _l("Penandatanganan"),
    MeetingKind.OTHER: _l("Lainnya"),
}
STATUS_LABELS = {
    MeetingStatus.DRAFT: _l("Draf"),
    MeetingStatus.SCHEDULED: _l("Terjadwal"),
    MeetingStatus.LIVE: _l("Berlangsung"),
    MeetingStatus.CLOSED: _l("Ditutup"),
    MeetingStatus.CANCELLED: _l("Dibatalkan"),
}
AGENDA_KIND_LABELS = {
    AgendaKind.PRESENTATION: _l("Paparan"),
    AgendaKind.DISCUSSION: _l("Diskusi"),
    AgendaKind.DECISION: _l("Keputusan"),
    AgendaKind.SIGNING: _l("Penandatanganan"),
    AgendaKind.PREVIOUS_MINUTES: _l("Persetujuan notulen"),
    AgendaKind.ACTION_REVIEW: _l("Tinjauan tindak lanjut"),
    AgendaKind.SYNC_MATRIX: _l("Sinkronisasi usulan"),
}
INVITEE_ROLE_LABELS = {
    InviteeRole.CHAIR: _l("Pimpinan rapat"),
    InviteeRole.MINUTE_TAKER: _l("Notulis"),
    InviteeRole.SPEAKER: _l("Narasumber"),
    InviteeRole.SITE_COORDINATOR: _l("Koordinator lokasi"),
    InviteeRole.PARTICIPANT: _l("Peserta"),
    InviteeRole.OBSERVER: _l("Pengamat"),
}
RSVP_LABELS = {
    Rsvp.PENDING: _l("Belum menjawab"),
    Rsvp.ACCEPTED: _l("Hadir"),
    Rsvp.DECLINED: _l("Tidak hadir"),
    Rsvp.TENTATIVE: _l("Mungkin"),
}
QUORUM_KIND_LABELS = {
    QuorumKind.PEOPLE: _l("Jumlah orang hadir, paling sedikit"),
    QuorumKind.AT_LEAST: _l("Persen undangan hadir, paling sedikit"),
    QuorumKind.MORE_THAN: _l("Lebih dari persen undangan (50 = 50% + 1)"),
}
