"""`make run`'s demo still signs with the second factor (issue 11): the past meeting's
minutes are finalised by the demo secretariat and signed by the chair and the
minute-taker with one-time codes that the console mail transport prints, as the demo
logins say."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from meetcoord.access.actors import Actor
from meetcoord.accounts.services import find_by_email
from meetcoord.core.worker import run_worker
from meetcoord.demo import DEMO_LOGINS, load_demo
from meetcoord.demo.meetings import invitation_with
from meetcoord.documents import workflow
from meetcoord.documents.models import DocumentStatus, SignatureFactor
from meetcoord.documents.signing import signatures
from meetcoord.meetings.models import InviteeRole
from tests.demo.test_demo import _past
from tests.documents_support import ensure_ca, rendered


def printed_code(output: str, address: str) -> str:
    """The code in the console transport's print of the newest mail to ``address``."""
    mails = re.findall(
        rf"----- mail #\d+ from \S+ to {re.escape(address)} -----\n(.*?)----- end of mail",
        output,
        re.S,
    )
    assert mails, f"no mail to {address} printed"
    found = re.search(r"^\s+(\d{6})\s*$", mails[-1], re.M)
    assert found, "no code in the printed mail"
    return found.group(1)


def test_the_demo_minutes_are_signed_with_codes_the_console_prints(
    app: Flask, runner: Any, capsys: Any
) -> None:
    assert app.config["MAIL_TRANSPORT"] == "console"  # make run's transport
    ensure_ca(app)
    load_demo()
    meeting, minutes = _past()
    secretariat = next(login for login in DEMO_LOGINS if login.email.startswith("bappeda.sbd"))
    staff = Actor(user=find_by_email(secretariat.email))
    workflow.circulate(staff, minutes, datetime.now(UTC) + timedelta(days=3))
    workflow.finalise(staff, minutes, early_close="Demo: pimpinan menyetujui di akhir rapat.")
    rendered(minutes)
    capsys.readouterr()
    for role in (InviteeRole.CHAIR, InviteeRole.MINUTE_TAKER):
        invitation = invitation_with(meeting, role)
        assert invitation is not None
        assert invitation.person.email
        signatures.request_code(Actor(invitation=invitation), minutes.id)
        run_worker(app, once=True, sleep=lambda seconds: None)
        code = printed_code(capsys.readouterr().out, invitation.person.email)
        signatures.sign(Actor(invitation=invitation), minutes.id, code=code)
    assert minutes.status is DocumentStatus.DISTRIBUTED
    assert [s.factor for s in minutes.signatories] == [SignatureFactor.EMAIL_CODE] * 2

    logins = runner.invoke(args=["demo", "logins"])
    assert "one-time code" in logins.output
    assert "printed in the" in logins.output
