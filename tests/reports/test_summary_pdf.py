"""The one-page PDF summary of a forum and a series, read back with pypdf."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from pypdf import PdfReader

from meetcoord.actions.models import ActionStatus
from meetcoord.directory.models import Organization
from meetcoord.extensions import db
from tests import factories
from tests.actions import support as actions
from tests.conftest import AuthActions
from tests.helpers import reads
from tests.reports.support import PAST, Seeded


def read(body: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(body))
    return len(reader.pages), " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_forum_summary_is_one_page_with_the_figures(client: FlaskClient) -> None:
    seeded = Seeded()
    AuthActions(client).login(user=seeded.staff)
    response = client.get(f"/forums/{seeded.forum.id}/summary.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    pages, text = read(response.data)
    assert pages == 1
    institution = factories.default_institution().name.upper()
    assert institution in text  # the letterhead
    assert "Ringkasan evaluasi triwulan" in text
    assert seeded.forum.name in text
    assert "Dinas Beta Uji" in text
    assert "50%" in text
    assert "Lewat tenggat" in text
    assert "WIB" in text or "WITA" in text or "WIT" in text


def test_series_summary_in_english(client: FlaskClient) -> None:
    seeded = Seeded()
    AuthActions(client).login(user=seeded.staff)
    response = reads(client, "en").get(f"/series/{seeded.series.id}/summary.pdf")
    pages, text = read(response.data)
    assert pages == 1
    assert "Quarterly evaluation summary" in text
    assert "Attendance rate by agency" in text
    assert seeded.series.title in text


def test_many_agencies_still_fit_one_page(client: FlaskClient) -> None:
    seeded = Seeded()
    for n in range(40):
        org = factories.organization(name=f"Dinas Nomor {n} " + "Kabupaten Panjang " * 8)
        actions.action(seeded.m1, organization_id=org.id, due_on=PAST, status=ActionStatus.OPEN)
        factories.invitation(seeded.m1, person=factories.person(organization_id=org.id))
    db.session.flush()
    assert db.session.query(Organization).count() >= 40
    AuthActions(client).login(user=seeded.staff)
    pages, text = read(client.get(f"/forums/{seeded.forum.id}/summary.pdf").data)
    assert pages == 1
    assert "lainnya di dasbor" in text
