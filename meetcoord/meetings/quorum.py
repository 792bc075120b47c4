"""Quorum rules and whether they hold; pure, no Flask.

A rule (kuorum) is either a number of people present ("paling sedikit 15 orang") or a share
of the invited members: *at least* P% of them, rounded up (two thirds of 24 → 16), or
*more than* P% of them (50 → "50% + 1", a simple majority: 13 of 24, 13 of 25). A meeting
may have one over all its sites, of everyone invited; each site may have its own, of the
people invited there. Never fewer than one person: a rule met by nobody says nothing.

Who counts is the caller's to say (``checkin.counts``: invited people present now — a
walk-in is welcome but not a member, a stand-in counts for the member they stand in for).
Without a rule the state is "none": never "met".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from meetcoord.meetings.models import QuorumKind

NONE, MET, NOT_MET = "none", "met", "not_met"


@dataclass(frozen=True)
class Rule:
    kind: QuorumKind
    value: int  # people, or a percentage

    def required(self, invited: int) -> int:
        """People needed when ``invited`` members are invited."""
        if self.kind is QuorumKind.PEOPLE:
            needed = self.value
        elif self.kind is QuorumKind.AT_LEAST:
            needed = -(-invited * self.value // 100)  # rounded up
        else:  # MORE_THAN: the first whole number above the share
            needed = invited * self.value // 100 + 1
        return max(needed, 1)


def rule_of(kind: QuorumKind | str | None, value: int | None) -> Rule | None:
    """The rule stored in a row's two columns, or None when it has none."""
    if kind is None or value is None:
        return None
    return Rule(QuorumKind(kind), value)


@dataclass(frozen=True)
class Standing:
    """One rule against real counts."""

    rule: Rule | None
    present: int  # members present now
    invited: int  # members invited

    @property
    def required(self) -> int | None:
        return self.rule.required(self.invited) if self.rule is not None else None

    @property
    def state(self) -> str:
        if self.rule is None:
            return NONE
        return MET if self.present >= self.rule.required(self.invited) else NOT_MET


def overall(standings: Iterable[Standing]) -> str:
    """The meeting's state from its own rule and its sites': "none" when none has a rule,
    otherwise "met" only when every rule there is holds."""
    states = [s.state for s in standings if s.rule is not None]
    if not states:
        return NONE
    return MET if all(state == MET for state in states) else NOT_MET
