"""Who is acting in the live room, and what each kind of actor may do.

Staff accounts (secretariat, admin) run any meeting; a viewer account only watches.
People without accounts act through their personal link, with the role their invitation
gives them: the chair runs the meeting, the minute-taker records, a site coordinator acts
for their own site, everyone invited may ask for the floor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from meetcoord.accounts.models import Role, User
from meetcoord.core.errors import PermissionDenied
from meetcoord.meetings.models import Invitation, InviteeRole, MeetingSite


class Power(StrEnum):
    RUN = "run"  # open, pause, close, agenda, give the floor
    RECORD = "record"  # decisions, notes, actions
    TALLY = "tally"  # votes counted at a site
    SPEAK = "speak"  # ask for the floor


_RUNNERS = {InviteeRole.CHAIR}
_RECORDERS = {InviteeRole.CHAIR, InviteeRole.MINUTE_TAKER}


@dataclass(frozen=True)
class LiveActor:
    user: User | None = None
    invitation: Invitation | None = None
    # A staff account that may see this meeting but not work on it (a viewer member of its
    # institution) watches like a viewer: ``access.scope`` decides when the actor is made.
    works: bool = True

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.name
        if self.invitation is not None:
            return self.invitation.stand_in_name or self.invitation.person.name
        return "?"

    @property
    def ids(self) -> tuple[int | None, int | None]:
        """(user id, invitation id): who this is, as the event log records it."""
        return (
            self.user.id if self.user is not None else None,
            self.invitation.id if self.invitation is not None else None,
        )

    @property
    def is_staff(self) -> bool:
        return (
            self.user is not None
            and self.works
            and self.user.role in (Role.ADMIN, Role.SECRETARIAT)
        )

    @property
    def role(self) -> str:
        """For clients: staff, viewer, or the invitation's role."""
        if self.user is not None:
            return "staff" if self.is_staff else "viewer"
        return self.invitation.role.value if self.invitation is not None else "none"

    @property
    def site_id(self) -> int | None:
        return self.invitation.site_id if self.invitation is not None else None

    @property
    def sees_staff_room(self) -> bool:
        return self.is_staff or self.role in (
            InviteeRole.CHAIR,
            InviteeRole.MINUTE_TAKER,
            InviteeRole.SITE_COORDINATOR,
        )

    def may(self, power: Power, site: MeetingSite | None = None) -> bool:
        if self.is_staff:
            return True
        inv = self.invitation
        if inv is None:
            return False
        if power is Power.RUN:
            return inv.role in _RUNNERS
        if power is Power.RECORD:
            return inv.role in _RECORDERS
        if power is Power.TALLY:
            if inv.role in _RECORDERS:
                return True
            return site is not None and site.is_coordinated_by(inv)
        return power is Power.SPEAK  # everyone invited may ask for the floor

    def require(self, power: Power, site: MeetingSite | None = None) -> None:
        if not self.may(power, site):
            raise PermissionDenied(_DENIED[power])

    def require_somewhere(self, power: Power) -> None:
        """Refuse at once whoever holds ``power`` at no site at all.

        Checked before the room's state or the command's data is looked at, so someone
        who may not use a command learns nothing from the refusal; the site itself is
        checked with :meth:`require` once it is known.
        """
        if self.may(power):
            return
        # Only a tally asks which sites this invitee coordinates (the meeting's sites are
        # loaded for that question alone, not for every participant's command).
        inv = self.invitation
        tallies_somewhere = (
            power is Power.TALLY
            and inv is not None
            and any(site.is_coordinated_by(inv) for site in inv.meeting.sites)
        )
        if not tallies_somewhere:
            raise PermissionDenied(_DENIED[power])

    def coordinates(self, site: MeetingSite | None) -> bool:
        return site is not None and site.is_coordinated_by(self.invitation)


_DENIED = {
    Power.RUN: _l("Hanya pimpinan rapat atau sekretariat yang dapat menjalankan rapat."),
    Power.RECORD: _l("Hanya pimpinan rapat atau notulis yang dapat mencatat."),
    Power.TALLY: _l("Koordinator lokasi hanya dapat mencatat suara di lokasinya sendiri."),
    Power.SPEAK: _l("Anda tidak diundang ke rapat ini."),
}
