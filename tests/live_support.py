"""A running meeting with its roles, and Socket.IO clients connected to ``/live``."""

from __future__ import annotations

import itertools
from typing import Any

from flask import Flask

from meetcoord.extensions import socketio
from meetcoord.meetings import invitations, links
from meetcoord.meetings.models import Invitation, InviteeRole
from tests import factories
from tests.kiosk_support import Rakor

NAMESPACE = "/live"
_nonces = itertools.count(1)


def nonce() -> str:
    return f"t-{next(_nonces)}"


class LiveRakor(Rakor):
    """Rakor Pangan with a chair and a minute-taker at the host site, a coordinator in
    Ambon and a participant in Ambon, besides the three participants in Tambolaka."""

    def __init__(self, title: str = "Rakor Pangan") -> None:
        super().__init__(title)
        self.chair = self._invite("Ir. Yohanes Bili, M.Si.", InviteeRole.CHAIR, self.site.id)
        self.minute_taker = self._invite("Maria Kaka", InviteeRole.MINUTE_TAKER, self.site.id)
        self.coordinator = self._invite(
            "Koordinator Ambon", InviteeRole.SITE_COORDINATOR, self.other_site.id
        )
        self.ambon_participant = self._invite(
            "Peserta Ambon", InviteeRole.PARTICIPANT, self.other_site.id
        )
        self.participant = self.invitee(0)

    def _invite(self, name: str, role: InviteeRole, site_id: int | None) -> Invitation:
        person = factories.person(name=name)
        invitations.invite(
            self.staff,
            self.meeting,
            {"person_ids": [person.id], "role": role.value, "site_id": site_id},
        )
        return next(i for i in self.meeting.invitations if i.person_id == person.id)


def connect(app: Flask, who: Invitation | None = None, **auth: Any) -> Any:
    """A /live client: ``who``'s personal token, or whatever ``auth`` says."""
    if who is not None:
        auth.setdefault("token", links.personal_token(who))
        auth.setdefault("meeting", who.meeting_id)
    return socketio.test_client(app, namespace=NAMESPACE, auth=auth)


def events(client: Any, name: str = "event") -> list[Any]:
    """The payloads of ``name`` received since the last call."""
    return [m["args"][0] for m in client.get_received(NAMESPACE) if m["name"] == name]


def command(client: Any, name: str, **data: Any) -> dict[str, Any]:
    data.setdefault("nonce", nonce())
    return client.emit(name, data, namespace=NAMESPACE, callback=True)
