"""The demo data on the new home: each demo secretariat lands on its own upcoming meeting
with what it still lacks, and no first-run checklist (the demo has done those steps)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from meetcoord.accounts.models import User
from meetcoord.demo import DEMO_LOGINS, load_demo
from meetcoord.extensions import db
from tests import factories
from tests.conftest import AuthActions


def test_the_demo_secretariat_s_home_lists_its_meeting_and_its_gaps(
    db_session: object, client: FlaskClient
) -> None:
    load_demo()
    sbd = next(login for login in DEMO_LOGINS if login.institution == "sbd")
    account = db.session.scalar(select(User).where(User.email == sbd.email))
    account.set_password(factories.PASSWORD)  # the test login's password
    db.session.commit()
    auth = AuthActions(client)
    auth.login(user=account)
    page = client.get("/home").get_data(as_text=True)
    upcoming = page.split('id="home-upcoming"', 1)[1].split("</section>", 1)[0]
    assert "Rapat Koordinasi Triwulan Forum BangKIT" in upcoming  # starts 15 min after loading
    assert "Sinkronisasi" not in upcoming  # NTB's
    # Marked scheduled without mail, no quorum rule: both said, each with its link.
    gaps = dict(re.findall(r'data-gap="(\w+)" href="([^"]+)"', upcoming))
    assert set(gaps) == {"unsent", "quorum"}
    assert "WIB" in upcoming
    assert 'id="home-first-run"' not in page
