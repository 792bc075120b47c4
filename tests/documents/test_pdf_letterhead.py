"""One letterhead for every PDF an institution issues (issue 12): the daftar hadir and the
documents open with the kop surat of ``core.pdf.letterhead``, at the same sizes.

They used to draw two: the attendance list a smaller one (18 mm logo, 1.5 pt rule) than
the minutes (20 mm, 2 pt). Two checks here: every renderer calls the one function (a spy
in its place), and what lands on the page is the same — read back from both PDFs with
pypdf: the institution's and the address's font sizes, the gap between their baselines,
the logo's drawn size and the rule's weight.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PIL import Image
from pypdf.generic import ContentStream

from meetcoord.checkin import list_pdf
from meetcoord.checkin.lists import AttendanceList, Totals
from meetcoord.core import pdf as core_pdf
from meetcoord.documents.pdf import addendum, agreement_record, letter, render
from meetcoord.documents.pdf.compose import compose_minutes
from tests.documents.test_documents_compose import sample
from tests.documents.test_documents_renderers import addendum as addendum_data
from tests.documents.test_documents_renderers import agreement as agreement_data
from tests.documents.test_documents_renderers import letter as letter_data

INSTITUTION = "Bappeda Kabupaten Sumba Barat Daya"  # one line on portrait and landscape
ADDRESS = "Jl. Weetebula No. 1, Tambolaka"
VERIFY_URL = "https://rapat.example.id/verify/b7e2d4"

RENDERERS = {"list": list_pdf, "minutes": render, "agreement": agreement_record}
RENDERERS |= {"addendum": addendum, "letter": letter}


@pytest.fixture
def logo(tmp_path: Path) -> str:
    path = tmp_path / "logo.png"
    Image.new("RGB", (120, 120), (180, 20, 20)).save(path)
    return str(path)


def attendance_list_pdf(logo: str) -> bytes:
    empty = AttendanceList(
        meeting_id=1,
        meeting_title="Rapat Koordinasi Ketahanan Pangan",
        site_id=None,
        site_key="all",
        site_name="Semua lokasi",
        zone="Asia/Makassar",
        zone_label="WITA",
        day="Jumat, 15 Maret 2024",
        time="09.00–12.00 WITA",
        rows=[],
        totals=Totals(),
    )
    return list_pdf.to_pdf([empty], institution=INSTITUTION, address=ADDRESS, logo=logo)


def _head(data: Any, logo: str) -> Any:
    return dataclasses.replace(data, institution=INSTITUTION, address=ADDRESS, logo=logo)


def document_pdfs(logo: str) -> dict[str, bytes]:
    """Each kind of document, by its renderer, with the same letterhead values."""
    minutes = compose_minutes(_head(sample(), logo))
    return {
        "minutes": render.render_minutes_pdf(minutes, verify_url=VERIFY_URL),
        "agreement": agreement_record.render_agreement(
            _head(agreement_data(), logo), verify_url=VERIFY_URL
        ).pdf,
        "addendum": addendum.render_addendum(
            _head(addendum_data(), logo), verify_url=VERIFY_URL
        ).pdf,
        "letter": letter.render_invitation_letter(
            _head(letter_data(), logo), verify_url=VERIFY_URL
        ).pdf,
    }


def letterhead_metrics(data: bytes) -> dict[str, float]:
    """What the first page's letterhead looks like, in points, wherever it sits."""
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    found: dict[str, tuple[float, float]] = {}
    wanted = {INSTITUTION.upper(): "name", ADDRESS: "address"}

    def visit(text: str, cm: list, tm: list, _font: Any, size: float) -> None:
        key = wanted.get(text.strip())
        if key and key not in found:
            found[key] = (size * tm[3] * cm[3], cm[5] + tm[5] * cm[3])

    page.extract_text(visitor_text=visit)
    assert set(found) == {"name", "address"}, found
    operations = ContentStream(page.get_contents(), page.pdf).operations
    # The logo is the first image drawn: its size is the scale of the ``cm`` just before.
    draw = next(i for i, (_args, op) in enumerate(operations) if op == b"Do")
    scale = operations[draw - 1]
    assert scale[1] == b"cm"
    # The heavy rule under the letterhead is the first line width set after the logo.
    rule = next(args[0] for args, op in operations[draw:] if op == b"w")
    return {
        "name_size": round(found["name"][0], 2),
        "address_size": round(found["address"][0], 2),
        "line_gap": round(found["name"][1] - found["address"][1], 2),
        "logo_width": round(float(scale[0][0]), 2),
        "logo_height": round(float(scale[0][3]), 2),
        "rule": float(rule),
    }


def test_every_renderer_imports_the_one_letterhead() -> None:
    assert all(module.letterhead is core_pdf.letterhead for module in RENDERERS.values())


def test_the_list_and_every_document_call_it_with_the_institution(
    monkeypatch: pytest.MonkeyPatch, logo: str
) -> None:
    calls: list[tuple[str, tuple]] = []

    def spy(name: str) -> Callable[..., list[Any]]:
        def drawn(*args: Any) -> list[Any]:
            calls.append((name, args))
            return core_pdf.letterhead(*args)

        return drawn

    for name, module in RENDERERS.items():
        monkeypatch.setattr(module, "letterhead", spy(name))
    attendance_list_pdf(logo)
    document_pdfs(logo)
    assert calls == [(name, (INSTITUTION, ADDRESS, logo)) for name in RENDERERS]


def test_the_letterhead_has_the_same_size_on_the_list_and_on_each_document(logo: str) -> None:
    on_list = letterhead_metrics(attendance_list_pdf(logo))
    assert on_list["name_size"] == core_pdf.LETTERHEAD_NAME_SIZE
    assert on_list["address_size"] == core_pdf.LETTERHEAD_ADDRESS_SIZE
    assert on_list["logo_width"] == on_list["logo_height"] == round(core_pdf.LETTERHEAD_LOGO, 2)
    assert on_list["rule"] == core_pdf.LETTERHEAD_RULE
    assert 0 < on_list["line_gap"] < 2 * core_pdf.LETTERHEAD_NAME_SIZE
    for kind, data in document_pdfs(logo).items():
        assert letterhead_metrics(data) == on_list, kind
