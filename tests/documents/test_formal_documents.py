"""The documents read as formal documents (issue 16, point 8).

Each PDF is read back: its table cells hold their text (a date in "Tenggat", a time in
"Jam hadir", "Jumlah" unbroken), every page's verification QR decodes from the page
rendered at 150 dpi and thresholded to black and white (a printed page scanned by an
office scanner), the berita acara carries a nomor, an address names its city once, a
name ending in a period does not get a second, a mail's closing names the institution
once, and the signed minutes' mail subject does not say "Notulen" twice.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from typing import Any

import pypdf
import pypdfium2
import pytest
import zxingcpp
from flask import Flask

from meetcoord.checkin import list_pdf
from meetcoord.checkin.lists import attendance_lists
from meetcoord.core.names import before_period
from meetcoord.core.places import join_place
from meetcoord.documents import agreements
from meetcoord.documents.mailing import distribution_subject
from meetcoord.documents.models import Document, DocumentKind
from meetcoord.documents.pdf.addendum import render_addendum
from meetcoord.documents.pdf.agreement_record import render_agreement
from meetcoord.documents.pdf.compose import ActionData, compose_minutes
from meetcoord.documents.pdf.letter import render_invitation_letter
from meetcoord.documents.pdf.render import render_minutes_pdf
from tests.checkin.test_attendance_lists import attended, editor, meeting  # noqa: F401
from tests.documents.test_documents_compose import sample
from tests.documents.test_documents_renderers import addendum, agreement, letter
from tests.documents.test_documents_review import parties, rakor  # noqa: F401  (fixtures)
from tests.documents_support import ClosedRakor, rendered
from tests.pdf_cells import captured_stories, overflowing_cells

# A real deployment's verification URL: a long host and the 64-hex content hash.
VERIFY_URL = "https://rapat.bappeda-sumbabaratdaya.go.id/verify/" + "3f9a1c0b" * 8


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def qr_texts_at_150_dpi(pdf: bytes) -> list[list[str]]:
    """What a decoder reads on each page rendered at 150 dpi, in black and white."""
    out = []
    for page in pypdfium2.PdfDocument(pdf):
        image = page.render(scale=150 / 72, no_smoothimage=True, grayscale=True).to_pil()
        bw = image.convert("L").point(lambda v: 255 if v > 128 else 0)
        out.append([code.text for code in zxingcpp.read_barcodes(bw)])
    return out


def long_minutes() -> Any:
    """The sample rakor with the widest dates and times a column must hold."""
    data = sample(12)
    actions = [replace(a, due_on=date(2026, 9, 30)) if a.due_on else a for a in data.actions] + [
        ActionData("Verifikasi data", "Dinas Sosial SBD", None, None, date(2026, 11, 28))
    ]
    attendees = [
        replace(a, time_in="23.59 WITA" if n % 2 else "09.05 WIT")
        for n, a in enumerate(data.attendees)
    ]
    return compose_minutes(replace(data, actions=actions, attendees=attendees))


# --- table cells ---------------------------------------------------------------------------


def test_the_minutes_cells_hold_dates_times_and_jumlah() -> None:
    with captured_stories() as stories:
        pdf = render_minutes_pdf(long_minutes(), verify_url=VERIFY_URL)
    assert overflowing_cells(stories[0]) == []
    text = text_of(pdf)
    for whole in ("30 September 2026", "28 November 2026", "23.59 WITA", "Jumlah", "Jam hadir"):
        assert whole in text, whole
    assert "Jum lah" not in text
    assert "Jumla h" not in text


def test_the_attendance_list_pdf_cells_hold_their_times(attended: Any) -> None:  # noqa: F811
    lists = attendance_lists(attended)
    with captured_stories() as stories:
        pdf = list_pdf.to_pdf(lists.sites, institution="Bappeda SBD", combined=lists.combined)
    assert stories
    assert [overflowing_cells(story) for story in stories] == [[]] * len(stories)
    assert "09.05 WITA" in text_of(pdf)


def test_the_cell_check_sees_a_date_run_over_its_column() -> None:
    """The measure itself: the old 24 mm Tenggat column with a plain string fails it."""
    from meetcoord.documents.pdf.layout import grid

    table = grid([["Tenggat"], ["30 September 2026"]], [24])
    table.wrap(500, 500)
    assert overflowing_cells([table]) == [
        "'30 September 2026' needs 29.9 mm, the column holds 21.9 mm"
    ]


# --- the QR --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "render",
    [
        lambda: render_minutes_pdf(long_minutes(), verify_url=VERIFY_URL),
        lambda: render_agreement(agreement(), verify_url=VERIFY_URL).pdf,
        lambda: render_addendum(addendum(), verify_url=VERIFY_URL).pdf,
        lambda: render_invitation_letter(letter(), verify_url=VERIFY_URL).pdf,
    ],
    ids=["minutes", "agreement", "addendum", "letter"],
)
def test_every_page_s_qr_decodes_from_a_150_dpi_scan(render: Any) -> None:
    pages = qr_texts_at_150_dpi(render())
    assert len(pages) >= 1
    assert all([text.lower() for text in page] == [VERIFY_URL] for page in pages), pages


# --- words -----------------------------------------------------------------------------------


def test_a_city_is_written_once_in_a_place() -> None:
    assert join_place("Jl. El Tari No. 52, Kupang", "Kupang") == "Jl. El Tari No. 52, Kupang"
    assert join_place("Aula", "Jl. El Tari, KUPANG", "kupang.") == "Aula, Jl. El Tari, KUPANG"
    assert join_place("Aula Kupang", None, "Kupang") == "Aula Kupang, Kupang"
    assert join_place("", None) == ""


def test_the_minutes_print_the_city_once_and_a_degree_s_period_once() -> None:
    data = sample(2)
    sites = [
        replace(data.sites[0], address=join_place("Jl. Weetebula No. 1, Tambolaka", "Tambolaka"))
    ]
    attendees = [replace(a, site=data.sites[0].name) for a in data.attendees]
    pdf = render_minutes_pdf(
        compose_minutes(replace(data, sites=sites, attendees=attendees)), verify_url=VERIFY_URL
    )
    text = text_of(pdf)
    assert "Tambolaka, Tambolaka" not in text
    assert "Jl. Weetebula No. 1, Tambolaka" in text
    assert "M.Si." in text
    assert "M.Si.." not in text
    assert before_period("Ir. Yohanes Bili, M.Si.") + "." == "Ir. Yohanes Bili, M.Si."


def test_the_berita_acara_gets_a_number_when_it_is_finalised(
    parties: ClosedRakor,  # noqa: F811
) -> None:
    doc = agreements.create_agreement(
        parties.staff_actor, parties.meeting, [parties.participant.id, parties.chair.id]
    )
    assert doc.number is None
    agreements.finalise_agreement(parties.staff_actor, doc, 1)
    assert doc.number is not None
    assert re.fullmatch(r"\S*\d{3}\S*", doc.number), doc.number
    assert doc.content["number"] == doc.number
    second = agreements.create_agreement(
        parties.staff_actor, parties.meeting, [parties.participant.id, parties.chair.id]
    )
    agreements.finalise_agreement(parties.staff_actor, second, 1)
    assert second.number != doc.number  # one register: no two documents share a number
    pdf = rendered(doc).current_file.pdf
    assert f"Nomor: {doc.number}" in text_of(pdf)


@pytest.mark.parametrize(
    ("kind", "title", "subject"),
    [
        (DocumentKind.MINUTES, "Notulen Rakor Pangan", "Notulen Rakor Pangan"),
        (
            DocumentKind.AGREEMENT,
            "Berita Acara Kesepakatan Rakor Pangan",
            "Berita Acara Kesepakatan Rakor Pangan",
        ),
        (
            DocumentKind.INVITATION_LETTER,
            "005/001/BAPPEDA/2026",
            "Surat undangan: 005/001/BAPPEDA/2026",
        ),
    ],
)
def test_the_distribution_subject_names_the_document_once(
    kind: DocumentKind, title: str, subject: str
) -> None:
    assert distribution_subject(Document(kind=kind, title=f" {title} ")) == subject


def test_the_signed_minutes_mail_subject_is_not_notulen_notulen(
    app: Flask,
    rakor: ClosedRakor,  # noqa: F811
) -> None:
    from tests.documents_support import final_minutes

    doc = final_minutes(rakor)
    assert doc.title.startswith("Notulen ")
    assert distribution_subject(doc) == doc.title
    assert "Notulen: Notulen" not in distribution_subject(doc)


@pytest.mark.parametrize(
    ("sender", "closing"),
    [
        # No sender name set: it is the institution's name.
        ("BAPPEDA Provinsi Nusa Tenggara Barat", ["BAPPEDA Provinsi Nusa Tenggara Barat"]),
        (
            "Sekretariat Forum — Bappeda Provinsi Nusa Tenggara Barat",
            ["Sekretariat Forum — Bappeda Provinsi Nusa Tenggara Barat"],
        ),
        (
            "Sekretariat BAPPEDA NTB",
            ["Sekretariat BAPPEDA NTB", "BAPPEDA Provinsi Nusa Tenggara Barat"],
        ),
    ],
)
def test_an_invitation_mail_closes_with_the_institution_once(
    sender: str, closing: list[str]
) -> None:
    from dataclasses import replace as changed

    from meetcoord.calendar import Contact, compose_invitation
    from tests.calendar.test_compose import INSTITUTION, make_mail, roundtrip

    mail = changed(make_mail(), sender=Contact(sender, "undangan@bappeda.example.id"))
    assert mail.closing == closing
    parsed = roundtrip(compose_invitation(mail))
    plain = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    tail = plain.rsplit("terima kasih.", 1)[1]
    assert tail.count("Nusa Tenggara Barat") == 1, tail
    assert html.rsplit("terima kasih.", 1)[1].count("Nusa Tenggara Barat") == 1
    assert INSTITUTION in plain  # the invitation's opening still names who invites
