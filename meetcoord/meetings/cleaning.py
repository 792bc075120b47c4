"""Validation of meeting, site and agenda input (forms and API share it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.core.cleaning import Aliases, Collector
from meetcoord.meetings.models import (
    AGENDA_MINUTES_MAX,
    AgendaKind,
    InviteeRole,
    MeetingKind,
    QuorumKind,
    Rsvp,
)

ALIASES: Aliases = {
    MeetingKind: {
        "koordinasi": "coordination",
        "rakor": "coordination",
        "musrenbang": "musrenbang_sync",
        "sinkronisasi": "musrenbang_sync",
        "evaluasi": "evaluation",
        "berbagi pengetahuan": "knowledge_sharing",
        "penandatanganan": "signing",
        "lainnya": "other",
    },
    AgendaKind: {
        "paparan": "presentation",
        "presentasi": "presentation",
        "diskusi": "discussion",
        "keputusan": "decision",
        "penandatanganan": "signing",
    },
    InviteeRole: {
        "pimpinan": "chair",
        "ketua": "chair",
        "notulis": "minute_taker",
        "narasumber": "speaker",
        "pembicara": "speaker",
        "koordinator lokasi": "site_coordinator",
        "fasilitator": "site_coordinator",
        "peserta": "participant",
        "pengamat": "observer",
    },
    QuorumKind: {
        "orang": "people",
        "jumlah orang": "people",
        "paling sedikit": "at_least",
        "persen": "at_least",
        "lebih dari": "more_than",
        "50%+1": "more_than",
    },
    Rsvp: {
        "hadir": "accepted",
        "ya": "accepted",
        "tidak hadir": "declined",
        "tidak": "declined",
        "mungkin": "tentative",
        "belum pasti": "tentative",
    },
}


def clean_meeting(
    data: Mapping[str, Any], zone_name: str | None, *, partial: bool = False
) -> dict[str, Any]:
    """``zone_name`` reads wall-clock times: the host venue's zone."""
    c = Collector(data, ALIASES, partial=partial)
    c.text("title", 200, required=True)
    c.text("purpose", 5000, multiline=True)
    c.choice("kind", MeetingKind, required=True)
    c.integer("host_venue_id", minimum=1, required=True)
    c.integer("forum_id", minimum=1)
    c.integer("institution_id", minimum=1)
    c.integer("cohost_institution_id", minimum=1)
    c.url("online_url")
    c.moment("start_at", zone_name, required=True)
    c.moment("end_at", zone_name, required=True)
    _quorum(c)
    return c.done(_l("Data rapat tidak valid."))


def clean_site(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    c = Collector(data, ALIASES, partial=partial)
    c.integer("venue_id", minimum=1, required=True)
    c.integer("coordinator_id", minimum=1)
    c.integer("capacity", minimum=1)
    _quorum(c)
    return c.done(_l("Data lokasi tidak valid."))


QUORUM_MAX = {QuorumKind.PEOPLE: 100_000, QuorumKind.AT_LEAST: 100, QuorumKind.MORE_THAN: 99}


def _quorum(c: Collector) -> None:
    """A quorum rule is its kind and its value together; an empty kind clears both."""
    if "quorum_kind" not in c.data and "quorum_value" not in c.data:
        return
    c.choice("quorum_kind", QuorumKind)
    c.integer("quorum_value", minimum=1)
    kind, value = c.out.get("quorum_kind"), c.out.get("quorum_value")
    if c.errors.keys() & {"quorum_kind", "quorum_value"}:
        return
    if kind is None:
        if value is not None:
            c.fail("quorum_kind", _l("Pilih cara menghitung kuorum untuk angka ini."))
        c.out.update(quorum_kind=None, quorum_value=None)
    elif value is None:
        c.fail("quorum_value", _l("Wajib diisi untuk aturan kuorum ini."))
    elif value > QUORUM_MAX[kind]:
        c.fail("quorum_value", _l("Paling besar %(n)d.", n=QUORUM_MAX[kind]))


def clean_agenda_item(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    c = Collector(data, ALIASES, partial=partial)
    c.text("title", 300, required=True)
    c.text("presenter", 200)
    c.integer("planned_minutes", minimum=1, required=True)
    c.choice("kind", AgendaKind, required=True)
    if c.out.get("planned_minutes", 0) > AGENDA_MINUTES_MAX:
        c.fail("planned_minutes", _l("Paling banyak %(n)d menit.", n=AGENDA_MINUTES_MAX))
    return c.done(_l("Data agenda tidak valid."))


def clean_invitee(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """``site_id`` None means "online"."""
    c = Collector(data, ALIASES, partial=partial)
    c.choice("role", InviteeRole, required=True)
    c.integer("site_id", minimum=1)
    return c.done(_l("Data undangan tidak valid."))
