"""A webinar already held, for the event report's tests: a Jakarta host site, a Makassar
site and online participants from WIB, WITA and WIT provinces, two decisions, one action."""

from __future__ import annotations

import itertools
from typing import Any

from meetcoord.accounts.models import Role, User
from meetcoord.actions.models import Action
from meetcoord.directory.models import Gender, StakeholderCategory
from meetcoord.extensions import db
from meetcoord.live.models import Decision, DecisionKind
from meetcoord.meetings import agenda
from meetcoord.meetings.models import Meeting, MeetingStatus
from tests import factories

# (region, gender, category, where): where is 0 (host), 1 (Makassar) or None (online)
PEOPLE = (
    ("Kota Bandung, Jawa Barat", Gender.FEMALE, StakeholderCategory.GOVERNMENT, 0),
    ("DKI Jakarta", Gender.MALE, StakeholderCategory.GOVERNMENT, 0),
    ("Kota Makassar, Sulawesi Selatan", Gender.FEMALE, StakeholderCategory.NGO, 1),
    ("Kabupaten Poso, Sulawesi Tengah", Gender.MALE, StakeholderCategory.GOVERNMENT, None),
    ("Kabupaten Poso, Sulawesi Tengah", Gender.FEMALE, StakeholderCategory.ACADEMIA, None),
    ("Kota Jayapura, Papua", Gender.MALE, StakeholderCategory.COMMUNITY_LEADER, None),
    ("Kota Ambon, Maluku", None, StakeholderCategory.GOVERNMENT, None),
)
_n = itertools.count(1)
ABSENT_REGION = "Kota Kupang, Nusa Tenggara Timur"  # invited, did not attend


def held_webinar(by: User | None = None) -> Meeting:
    """Closed webinar 24 September 2026, 09.00–12.00 WIB, seven present of eight invited."""
    staff = by or factories.user(Role.SECRETARIAT)
    n = next(_n)
    jakarta = factories.venue(name=f"Ruang Rapat Uji {n}, Jakarta", timezone="Asia/Jakarta")
    makassar = factories.venue(name=f"Kantor Uji {n}, Makassar", timezone="Asia/Makassar")
    meeting = factories.meeting(
        by=staff,
        venue=jakarta,
        sites=[makassar],
        title="Webinar Knowledge Sharing Uji",
        kind="knowledge_sharing",
        purpose="Berbagi praktik cerdas pembangunan dari daerah.",
        online_url="https://webinar.example.go.id/ks",
        start_at="2026-09-24T09:00",
        end_at="2026-09-24T12:00",
    )
    for title, presenter in (("Pembukaan", "Taufik Hanafi"), ("Paparan Temanggung", "Al Khadziq")):
        agenda.add_agenda_item(
            staff,
            meeting,
            {"title": title, "presenter": presenter, "planned_minutes": 30, "kind": "presentation"},
        )
    for region, gender, category, where in PEOPLE:
        guest = factories.person(region=region, gender=gender, category=category)
        inv = factories.invitation(
            meeting,
            person=guest,
            online=where is None,
            site=meeting.sites[where] if where is not None else None,
        )
        factories.attendance(inv)
    factories.invitation(meeting, person=factories.person(region=ABSENT_REGION), online=True)
    org = factories.organization(name=f"Bappeda Kabupaten Uji Poso {n}")
    db.session.add_all(
        [
            Decision(
                meeting_id=meeting.id,
                number=1,
                text="Praktik baik dihimpun dalam buku.",
                kind=DecisionKind.CONSENSUS,
                recorded_by="Notulis",
            ),
            Decision(
                meeting_id=meeting.id,
                number=2,
                text="Jejaring antardaerah dibentuk.",
                kind=DecisionKind.NOTED,
                recorded_by="Notulis",
            ),
        ]
    )
    db.session.add(
        Action(meeting_id=meeting.id, title="Menyusun buku success stories", organization_id=org.id)
    )
    meeting.status = MeetingStatus.CLOSED
    db.session.commit()
    return meeting


def sections(meeting: Meeting, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "background": "Latar belakang webinar.",
        "purpose": "Maksud dan tujuan webinar.",
        "proceedings": "Webinar dilaksanakan secara daring.",
        "sessions": {str(meeting.agenda[0].id): "Deputi membuka webinar."},
        "conclusions": "Kolaborasi adalah kunci.",
        "recommendations": "Sebarluaskan praktik baik.",
        "closing": "Demikian laporan ini.",
    }
    values.update(overrides)
    return values


def form(meeting: Meeting, version: int, do: str = "save", **overrides: Any) -> dict[str, Any]:
    """The editor's fields as the page posts them."""
    values = sections(meeting, **overrides)
    data = {k: v for k, v in values.items() if k != "sessions"}
    data.update({f"session-{k}": v for k, v in values["sessions"].items()})
    return {**data, "version": str(version), "do": do}
