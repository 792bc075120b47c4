"""A scheduled meeting with two sites, and phones that browse the self check-in pages."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from meetcoord.checkin import selfservice
from meetcoord.meetings import invitations, links, services
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite
from tests import factories

_phones = itertools.count(1)
_HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"')


class Rakor:
    """Hosted in Tambolaka (WITA) with a linked site in Ambon (WIT); three invitees at
    the host site, each with a phone number ending 7890, 7891, 7892.
    """

    def __init__(
        self,
        title: str = "Rakor Pangan",
        *,
        starts_in: timedelta = timedelta(minutes=30),
        times: dict[str, str] | None = None,
    ) -> None:
        self.staff = factories.user("secretariat")
        tag = "" if title == "Rakor Pangan" else f" ({title})"  # venue names are unique
        wita = factories.venue(name=f"Aula Bappeda SBD{tag}", timezone="Asia/Makassar")
        wit = factories.venue(name=f"Kantor Gubernur Maluku{tag}", timezone="Asia/Jayapura")
        self.meeting: Meeting = services.create_meeting(
            self.staff,
            {
                "title": title,
                "kind": "coordination",
                "host_venue_id": wita.id,
                # Soon by default: check-in opens two hours ahead, so it is open now.
                **(times or factories.meeting_times("Asia/Makassar", starts_in=starts_in)),
                "online_url": "https://zoom.example.com/j/123",
            },
        )
        services.add_site(self.staff, self.meeting, {"venue_id": wit.id})
        org = factories.organization(name=f"Dinas Ketahanan Pangan SBD{tag}")
        people = [
            factories.person(
                name=f"Peserta Uji {n}{tag}", phone=f"0812-3456-789{n}", organization_id=org.id
            )
            for n in range(3)
        ]
        invitations.invite(
            self.staff,
            self.meeting,
            {"person_ids": [p.id for p in people], "site_id": self.meeting.sites[0].id},
        )
        services.schedule_meeting(self.staff, self.meeting)

    @property
    def site(self) -> MeetingSite:
        return self.meeting.sites[0]

    @property
    def other_site(self) -> MeetingSite:
        return self.meeting.sites[1]

    def invitee(self, n: int) -> Invitation:
        return sorted(self.meeting.invitations, key=lambda i: i.person.name)[n]

    def add_coordinator(self, site: MeetingSite) -> Invitation:
        person = factories.person(name="Koordinator Lokasi")
        invitations.invite(
            self.staff,
            self.meeting,
            {"person_ids": [person.id], "role": "site_coordinator", "site_id": site.id},
        )
        return next(i for i in self.meeting.invitations if i.person_id == person.id)

    def scan_path(self, site: MeetingSite | None = None) -> str:
        site = site or self.site
        return f"/c/{site.code}/{selfservice.kiosk_codes(site)['url_code']}"


def phone(app: Flask) -> FlaskClient:
    """An anonymous phone with an address of its own (rate limits never leak across tests)."""
    client = app.test_client()
    n = next(_phones)
    client.environ_base["REMOTE_ADDR"] = f"198.51.{n // 256 % 256}.{n % 256}"
    return client


def open_personal_link(client: FlaskClient, invitation: Invitation) -> None:
    response = client.get(f"/i/{links.personal_token(invitation)}")
    assert response.status_code == 200


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of the first form on the page (csrf_token, nonce, scan pass)."""
    fields: dict[str, str] = {}
    for name, value in _HIDDEN.findall(html):
        fields.setdefault(name, value.replace("&amp;", "&"))
    return fields


def post_from(client: FlaskClient, path: str, page_html: str, **data: Any) -> Any:
    """Submit the page's form as a phone would: its hidden fields plus ``data``."""
    return client.post(path, data={**hidden_fields(page_html), **data})
