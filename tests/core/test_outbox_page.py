"""The secretariat's outbox page: counts, filters, failed mail and its retry button."""

from __future__ import annotations

from typing import Any

from meetcoord.accounts.models import Role
from meetcoord.core.outbox import OutboxMessage, OutboxStatus
from meetcoord.extensions import db
from tests import factories
from tests.conftest import AuthActions
from tests.smtp_support import (
    REFUSED,
    make_message,
    rows,
)


def _invitation_mail(n: int, invitation: Any, recipient: str | None = None) -> OutboxMessage:
    """A message as an invitation causes it (what ties it to an institution)."""
    message = make_message(n, recipient)
    message.ref_type, message.ref_id = "invitation", invitation.id
    return message


def test_outbox_page_shows_pending_and_failed_and_retry_works(auth: Any) -> None:
    staff = factories.user(Role.SECRETARIAT)
    invited = factories.invitation(factories.meeting(by=staff))
    pending = _invitation_mail(1, invited)
    failed = _invitation_mail(2, invited, recipient=REFUSED)
    failed.status = OutboxStatus.FAILED
    failed.attempts = 8
    failed.last_error = "SMTP 550 5.1.1 mailbox unavailable"
    db.session.commit()

    auth.login(user=staff)
    page = auth.client.get("/outbox")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert pending.recipient in html
    assert REFUSED in html
    assert "SMTP 550 5.1.1 mailbox unavailable" in html
    assert "Kirim ulang" in html
    assert "WIB" in html  # next attempt shown in the home zone, with its label
    assert 'href="/outbox"' in auth.client.get("/outbox").get_data(as_text=True)

    only_failed = auth.client.get("/outbox?status=failed").get_data(as_text=True)
    assert REFUSED in only_failed
    assert pending.recipient not in only_failed

    # Without the CSRF token the form is refused and nothing changes.
    refused = auth.client.post(f"/outbox/{failed.id}/retry")
    assert refused.status_code == 400
    assert db.session.get(OutboxMessage, failed.id).status is OutboxStatus.FAILED

    response = auth.post(f"/outbox/{failed.id}/retry?status=failed")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/outbox?status=failed")
    row = rows()[1]
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert auth.post(f"/outbox/{failed.id}/retry").status_code == 409  # no longer failed
    assert auth.post("/outbox/999999/retry").status_code == 404


def test_outbox_page_is_for_secretariat_only(auth: Any, client: Any) -> None:
    assert client.get("/outbox").status_code == 302  # to the login page
    auth.login(Role.VIEWER)
    assert auth.client.get("/outbox").status_code == 403
    assert 'href="/outbox"' not in auth.client.get("/directory/organizations").get_data(
        as_text=True
    )


def test_outbox_page_empty_state(auth: Any) -> None:
    auth.login(Role.ADMIN)
    html = auth.client.get("/outbox").get_data(as_text=True)
    assert "Belum ada surat keluar." in html


def test_another_institutions_secretariat_sees_none_of_its_mail(auth: Any) -> None:
    """Recipients and subjects are personal data of the owning institution's meetings."""
    owner = factories.user(Role.SECRETARIAT)
    invited = factories.invitation(factories.meeting(by=owner))
    failed = _invitation_mail(1, invited, recipient=REFUSED)
    failed.status = OutboxStatus.FAILED
    account_mail = make_message(2)  # caused by nothing of an institution: administrators'
    db.session.commit()
    ntb = factories.institution(name="Bappeda Provinsi Nusa Tenggara Barat")
    auth.login(user=factories.user(Role.SECRETARIAT, institution=ntb))
    html = auth.client.get("/outbox").get_data(as_text=True)
    assert REFUSED not in html
    assert account_mail.recipient not in html
    assert auth.post(f"/outbox/{failed.id}/retry").status_code == 404  # as for a missing id
    assert db.session.get(OutboxMessage, failed.id).status is OutboxStatus.FAILED
    admin = factories.user(Role.ADMIN, member=False)
    other = AuthActions(auth.client.application.test_client())
    other.login(user=admin)
    everything = other.client.get("/outbox").get_data(as_text=True)
    assert REFUSED in everything
    assert account_mail.recipient in everything
