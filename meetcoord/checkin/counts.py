"""Who is here: counts per site and quorum (reads only; leaving is ``admission.check_out``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from meetcoord.checkin.models import Attendance
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting, QuorumKind
from meetcoord.meetings.quorum import MET, NONE, Rule, Standing, overall, rule_of


def describe(rule: Rule | None) -> str:
    """The rule in words, for pages and the minutes: "lebih dari 50% undangan"."""
    if rule is None:
        return _("Tanpa aturan kuorum")
    if rule.kind is QuorumKind.PEOPLE:
        return _("paling sedikit %(n)d orang", n=rule.value)
    if rule.kind is QuorumKind.AT_LEAST:
        return _("paling sedikit %(p)d%% undangan", p=rule.value)
    return _("lebih dari %(p)d%% undangan", p=rule.value)


def _standing_dict(standing: Standing) -> dict:
    rule = standing.rule
    return {
        "state": standing.state,
        "kind": rule.kind.value if rule else None,
        "value": rule.value if rule else None,
        "rule_text": describe(rule),
        "required": standing.required,
        "present": standing.present,
        "base": standing.invited,
    }


@dataclass(frozen=True)
class SitePresence:
    site_id: int | None  # None: online
    name: str
    present: int  # everyone here now, walk-ins included
    invited: int
    quorum: Standing  # invited members here now against this site's rule

    @property
    def minimum(self) -> int | None:
        return self.quorum.required


@dataclass(frozen=True)
class Presence:
    sites: list[SitePresence]
    total: int
    quorum: Standing  # the meeting's own rule, over every site

    @property
    def state(self) -> str:
        """ "none" (no rule anywhere), "met" or "not_met": the meeting's rule and the sites'."""
        return overall([self.quorum, *(s.quorum for s in self.sites)])

    def as_dict(self) -> dict:
        state = self.state
        return {
            "total": self.total,
            "quorum": {
                **_standing_dict(self.quorum),
                "state": state,
                "rule": state != NONE,
                "met": None if state == NONE else state == MET,
            },
            "sites": [
                {
                    "site_id": s.site_id,
                    "name": s.name,
                    "present": s.present,
                    "invited": s.invited,
                    "minimum": s.minimum,
                    "meets_minimum": None if s.quorum.rule is None else s.quorum.state == MET,
                    "quorum": _standing_dict(s.quorum),
                }
                for s in self.sites
            ],
        }


def presence(meeting: Meeting, *, including_left: bool = False) -> Presence:
    """Present (checked in, not yet out) per site and online, and where quorum stands.

    Quorum counts the invited members present (a walk-in is not one; a stand-in counts
    for the member they represent) against the members invited: at a site, those
    invited there; for the meeting, everyone invited. ``including_left``: everyone who
    attended, also those who have left since (what the minutes record).
    """
    attended = select(Attendance.site_id, func.count(), func.count(Attendance.invitation_id)).where(
        Attendance.meeting_id == meeting.id
    )
    if not including_left:
        attended = attended.where(Attendance.checked_out_at.is_(None))
    here: dict[int | None, tuple[int, int]] = {
        site_id: (everyone, members)
        for site_id, everyone, members in db.session.execute(
            attended.group_by(Attendance.site_id)
        ).all()
    }
    # Counted by the database: kiosks get these every half second while people arrive,
    # and loading 500 invitations for it stalled every desk scan behind it (checkin bench).
    invited: dict[int | None, int] = dict(
        db.session.execute(
            select(Invitation.site_id, func.count())
            .where(Invitation.meeting_id == meeting.id, Invitation.withdrawn_at.is_(None))
            .group_by(Invitation.site_id)
        ).all()
    )
    sites = [
        SitePresence(
            site.id,
            site.venue.name,
            here.get(site.id, (0, 0))[0],
            invited.get(site.id, 0),
            Standing(
                rule_of(site.quorum_kind, site.quorum_value),
                here.get(site.id, (0, 0))[1],
                invited.get(site.id, 0),
            ),
        )
        for site in meeting.sites
    ]
    online = here.get(None, (0, 0))
    sites.append(
        SitePresence(None, _("Daring"), online[0], invited.get(None, 0), Standing(None, 0, 0))
    )
    whole = Standing(
        rule_of(meeting.quorum_kind, meeting.quorum_value),
        sum(members for _everyone, members in here.values()),
        sum(invited.values()),
    )
    return Presence(sites, sum(everyone for everyone, _members in here.values()), whole)


# The minutes are an Indonesian document whoever composes them (as the daftar hadir).
_DOCUMENT_RULE = {
    QuorumKind.PEOPLE: "paling sedikit {value} orang",
    QuorumKind.AT_LEAST: "paling sedikit {value}% undangan",
    QuorumKind.MORE_THAN: "lebih dari {value}% undangan",
}


def document_note(meeting: Meeting) -> str | None:
    """The quorum line of the minutes' attendance data, or None without a rule:
    "kuorum terpenuhi (lebih dari 50% undangan: 13 dari 24; hadir 18)"."""
    counted = presence(meeting, including_left=True)
    parts = []
    for name, standing in [(None, counted.quorum), *((s.name, s.quorum) for s in counted.sites)]:
        if standing.rule is None:
            continue
        rule = _DOCUMENT_RULE[standing.rule.kind].format(value=standing.rule.value)
        where = f"{name}: " if name else ""
        parts.append(
            f"{where}{rule}, {standing.required} dari {standing.invited}; hadir {standing.present}"
        )
    if not parts:
        return None
    verdict = "terpenuhi" if counted.state == MET else "tidak terpenuhi"
    return f"kuorum {verdict} ({'; '.join(parts)})"
