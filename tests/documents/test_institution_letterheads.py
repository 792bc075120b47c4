"""Each institution's letters, lists and mails carry its own letterhead and numbers.

A Bappenas meeting's invitation letter must read "Kementerian PPN/Bappenas", from
Jakarta, numbered in Bappenas's pattern and signed by its Deputi — not the installation's
"Badan Perencanaan Pembangunan Daerah, 005/001/BAPPEDA/2026" (issue 12). Its counter is
its own: the first Bappenas letter is number 1 whatever other institutions have issued.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.access.models import Institution
from meetcoord.core.outbox import OutboxMessage
from meetcoord.documents.invitation_letters import issue_invitation_letter
from meetcoord.extensions import db
from meetcoord.meetings import invitations, services
from meetcoord.meetings.models import Meeting
from tests import factories
from tests.documents.test_documents_letters import issue_letter, pdf_text
from tests.documents.test_documents_views import document_id_from, reload
from tests.documents_support import ensure_ca, rendered

WIB = ZoneInfo("Asia/Jakarta")
BAPPENAS = {
    "name": "Kementerian Perencanaan Pembangunan Nasional/Bappenas",
    "short_name": "Bappenas",
    "address": "Jl. Taman Suropati No. 2, Menteng, Jakarta Pusat 10310",
    "city": "Jakarta",
    "mail_sender_name": "Kementerian PPN/Bappenas",
    "letter_number_pattern": "B-{seq:04d}/D.6/PP.01.02/{month}/{year}",
    "letter_signer_name": "Dr. Ir. Sumedi Andono Mulyo, M.A.",
    "letter_signer_position": "Deputi Bidang Pemantauan, Evaluasi, dan Pengendalian",
}


class Office:
    """One institution's secretariat with a scheduled meeting in Jakarta (WIB)."""

    def __init__(self, institution: Institution, title: str) -> None:
        self.institution = institution
        self.staff = factories.user("secretariat", institution=institution)
        venue = factories.venue(name=f"Ruang Rapat {title}", timezone="Asia/Jakarta")
        self.meeting: Meeting = services.create_meeting(
            self.staff,
            {
                "title": title,
                "kind": "coordination",
                "host_venue_id": venue.id,
                **factories.meeting_times("Asia/Jakarta"),
            },
        )
        agency = factories.organization(name=f"Dinas Pangan ({title})")
        person = factories.person(name=f"Peserta {title}", organization_id=agency.id)
        invitations.invite(
            self.staff,
            self.meeting,
            {"person_ids": [person.id], "site_id": self.meeting.sites[0].id},
        )
        services.schedule_meeting(self.staff, self.meeting)


@pytest.fixture
def bappenas(app: Flask) -> Office:
    ensure_ca(app)
    return Office(factories.institution(**BAPPENAS), "Rapat Evaluasi Nasional")


def _number(year: int, month: int, seq: int) -> str:
    return f"B-{seq:04d}/D.6/PP.01.02/{month:02d}/{year}"


def test_a_bappenas_letter_carries_its_letterhead_and_number(
    app: Flask, auth: Any, bappenas: Office
) -> None:
    assert bappenas.meeting.institution_id == bappenas.institution.id  # its staff's
    auth.login(user=bappenas.staff)
    today = datetime.now(UTC).astimezone(WIB)
    letter = reload(document_id_from(issue_letter(auth, bappenas.meeting.id)))
    assert letter.institution_id == bappenas.institution.id  # the meeting's
    assert letter.number == _number(today.year, today.month, 1)

    text = " ".join(pdf_text(rendered(letter).files[0].pdf).split())
    assert BAPPENAS["name"].upper() in text  # the letterhead prints it in capitals
    assert BAPPENAS["address"] in text
    assert f"Jakarta, {today.day} " in text  # place of issue
    assert f"Nomor : {_number(today.year, today.month, 1)}" in text
    assert BAPPENAS["letter_signer_name"] in text
    assert BAPPENAS["letter_signer_position"] in text
    assert app.config["LETTER_NUMBER_PATTERN"].split("/")[0] + "/001" not in text
    home = factories.default_institution().name.upper()
    assert home not in text.replace(BAPPENAS["name"].upper(), "")


def test_letter_numbers_count_per_institution(app: Flask, bappenas: Office) -> None:
    home = Office(factories.default_institution(), "Rapat Koordinasi Daerah")
    today = datetime.now(UTC).astimezone(WIB)
    as_home, as_bappenas = Actor(user=home.staff), Actor(user=bappenas.staff)
    first_home = issue_invitation_letter(as_home, home.meeting)
    second_home = issue_invitation_letter(as_home, home.meeting)
    first_bappenas = issue_invitation_letter(as_bappenas, bappenas.meeting)
    assert first_home.number == f"005/001/BAPPEDA/{today.year}"
    assert second_home.number == f"005/002/BAPPEDA/{today.year}"
    assert first_bappenas.number == _number(today.year, today.month, 1)  # its own count


def test_invitation_mail_comes_from_the_meetings_institution(app: Flask, bappenas: Office) -> None:
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.kind == "invitation")
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None
    mail = message_from_bytes(message.message, policy=default)
    assert mail["From"].addresses[0].display_name == BAPPENAS["mail_sender_name"]
    assert mail["From"].addresses[0].addr_spec == app.config["MAIL_FROM"]  # one mailbox
    calendar = next(part for part in mail.walk() if part.get_content_type() == "text/calendar")
    unfolded = calendar.get_content().replace("\r\n ", "")
    assert f'ORGANIZER;CN="{BAPPENAS["mail_sender_name"]}":mailto:' in unfolded


def test_attendance_list_pdf_uses_the_meetings_letterhead(
    app: Flask, auth: Any, bappenas: Office
) -> None:
    auth.login(user=bappenas.staff)
    response = auth.client.get(f"/meetings/{bappenas.meeting.id}/attendance/all.pdf")
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data).split())
    assert BAPPENAS["name"].upper() in text
    assert BAPPENAS["address"] in text
