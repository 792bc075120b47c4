"""The outbox in words and in the institution's own zone (issue 16, point 8).

A secretariat in Ambon reads "Undangan rapat" and a WIT time, not ``invitation`` and the
server's WIB.
"""

from __future__ import annotations

import re
from typing import Any

from meetcoord.accounts.models import Role
from meetcoord.core.outbox import OutboxMessage
from meetcoord.extensions import db
from meetcoord.outbox.labels import KIND_LABELS, kind_label
from tests import factories
from tests.smtp_support import make_message

_KIND_CELL = re.compile(r'data-label="(?:Jenis|Kind|Type)">([^<]*)</td>')


def _mail(n: int, kind: str, invitation: Any) -> OutboxMessage:
    message = make_message(n)
    message.kind = kind
    message.ref_type, message.ref_id = "invitation", invitation.id
    return message


def _ambon_secretariat() -> Any:
    body = factories.organization(name="Bappeda Kota Ambon", region="Kota Ambon, Maluku")
    institution = factories.institution(organization_id=body.id)
    return factories.user(Role.SECRETARIAT, institution=institution)


def test_kinds_read_as_words_in_both_languages(auth: Any) -> None:
    staff = factories.user(Role.SECRETARIAT)
    invited = factories.invitation(factories.meeting(by=staff))
    for n, kind in enumerate(["invitation", "reminder_meeting_morning", "signing_code"]):
        _mail(n, kind, invited)
    db.session.commit()

    auth.login(user=staff)
    html = auth.client.get("/outbox").get_data(as_text=True)
    cells = {cell.strip() for cell in _KIND_CELL.findall(html)}
    assert cells == {"Undangan rapat", "Pengingat pagi hari rapat", "Kode tanda tangan"}

    auth.post("/lang", {"lang": "en", "next": "/outbox"})
    english = auth.client.get("/outbox").get_data(as_text=True)
    cells = {cell.strip() for cell in _KIND_CELL.findall(english)}
    assert cells == {"Meeting invitation", "Reminder on the meeting morning", "Signing code"}


def test_an_unknown_kind_is_other_mail_not_a_code() -> None:
    assert kind_label("fax_blast") == "Surel lain"
    assert all(str(label) != code for code, label in KIND_LABELS.items())


def test_every_kind_the_source_queues_is_named() -> None:
    """A feature that queues a new kind of mail must name it here (else: "Surel lain")."""
    from pathlib import Path

    source = "\n".join(p.read_text() for p in Path("meetcoord").rglob("*.py"))
    literal = set(re.findall(r'kind="([a-z_]+)"', source))
    literal |= set(re.findall(r'_queue\("([a-z_]+)"', source))
    literal -= {"forum", "series", "xlsx"}  # not mail: a subject's and a file's kinds
    queued = literal | {"invitation", "cancellation", "update"}  # meetings.mailing.KINDS
    queued |= {"reminder_meeting_day_before", "reminder_meeting_morning"}  # ReminderKind
    queued |= {"reminder_action_digest", "reminder_forum_overdue"}  # f"reminder_{KIND}"
    assert queued <= set(KIND_LABELS), sorted(queued - set(KIND_LABELS))


def test_times_are_in_the_institutions_zone_with_its_label(auth: Any) -> None:
    staff = _ambon_secretariat()
    invited = factories.invitation(factories.meeting(by=staff))
    _mail(1, "invitation", invited)
    db.session.commit()

    auth.login(user=staff)
    html = auth.client.get("/outbox").get_data(as_text=True)
    assert "Waktu dalam WIT" in html
    assert re.search(r"\d{2}\.\d{2} WIT\b", html)  # the next attempt, in Ambon's time
    assert "WIB" not in html
