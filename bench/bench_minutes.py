"""Bench ``minutes``: sign a 10-page notulen twice and validate it (≤ 0.5 s and ≤ 0.2 s).

The document is what the minutes will look like: letterhead, meeting, sites with their
times and zone labels, agenda, discussion notes, decisions with per-site tallies, the
follow-up action table (RTL) and the attendance lists as an appendix — set in reportlab
with an embedded DejaVu font, names with accents and apostrophes, exactly ten pages.

``sign_seconds`` is both signatures as the service will make them: the chair's
certificate issued by the deployment's CA (ECDSA P-256) and the certifying signature with
the minute-taker's empty field, then the minute-taker's certificate and signature. That
includes the visible stamps with their embedded font. ``validate_seconds`` is
:func:`meetcoord.documents.verify.verify.verify_pdf` on the signed file: pyHanko's validation of
both signatures (integrity, certificate path to our CA, difference analysis of the
incremental update) plus our check of the last signature's bytes. One warm-up round
(imports, the stamp font's one-time Latin cut), then ``RUNS`` timed rounds; the median
is reported, the best alongside.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The runner loads this file by path: make the project importable from a bare checkout.
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from meetcoord.documents.signing.ca import create_ca
from meetcoord.documents.signing.signing import SignatureField, sign_pdf, signer_from_ca
from meetcoord.documents.verify.verify import verify_pdf

RUNS = 7
PAGES = 10
INSTITUTION = "BAPPEDA Provinsi Nusa Tenggara Barat"
CHAIR = "Ir. Iswandi, M.Si."
MINUTE_TAKER = "Ni Luh Putu Ayu D'Souza, S.E."
ENV: dict[str, object] = {}

FONT, BOLD = "BenchSans", "BenchSans-Bold"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    have = regular.is_file() and bold.is_file()
    pdfmetrics.registerFont(TTFont(FONT, str(regular) if have else "Vera.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold) if have else "VeraBd.ttf"))


def _style(size: float = 9.5, *, bold: bool = False, center: bool = False) -> ParagraphStyle:
    return ParagraphStyle(
        "s", fontName=BOLD if bold else FONT, fontSize=size, leading=size * 1.35, alignment=center
    )


AGENDA = [
    ("Pembukaan dan arahan Kepala BAPPEDA", "09.00 WITA / 08.00 WIB"),
    ("Paparan capaian program BangKIT 2024", "09.20 WITA / 08.20 WIB"),
    ("Sinkronisasi RKP 2025 dengan rencana penghidupan desa", "10.00 WITA / 09.00 WIB"),
    ("Tanggapan OPD dan kabupaten", "10.45 WITA / 09.45 WIB"),
    ("Kesepakatan dan rencana tindak lanjut", "11.30 WITA / 10.30 WIB"),
]
NOTE = (
    "Peserta dari {site} menyampaikan bahwa usulan kegiatan penghidupan desa sudah masuk "
    "dalam pembahasan Musrenbangcam, namun lokus untuk RKP 2025 masih perlu diselaraskan "
    "dengan Forum OPD. Dinas Pertanian dan Dinas Koperasi sepakat memprioritaskan desa "
    "sasaran yang telah menerima paket stimulan. Bapak Théo Rumbekwan dari Yayasan BaKTI "
    "menegaskan pentingnya data kelompok rentan, termasuk penyandang disabilitas, dalam "
    "daftar penerima manfaat."
)
SITES = ["BAPPEDA Provinsi NTB (Mataram)", "BAPPEDA Kab. Lombok Timur (Selong)", "Bappenas"]
ACTIONS = [
    (
        "Menyusun daftar lokus desa RKP 2025",
        "BAPPEDA Kab. Lombok Timur",
        "Desa Sembalun",
        "2024-04-15",
    ),
    ("Mengalokasikan paket stimulan ternak", "Dinas Peternakan", "Desa Sapit", "2024-05-01"),
    ("Pelatihan pengolahan hasil pertanian", "Dinas Pertanian", "Desa Bebidas", "2024-05-20"),
    ("Pendataan penyandang disabilitas", "Dinas Sosial", "Desa Aik Berik", "2024-04-30"),
    ("Integrasi data penerima manfaat", "Diskominfo", "Kab. Lombok Timur", "2024-06-10"),
    ("Laporan kemajuan ke Forum BangKIT", "Sekretariat Forum", "Provinsi NTB", "2024-06-30"),
]


def _table(rows: list[list[str]], widths: list[float]) -> Table:
    body = [
        [Paragraph(cell, _style(8.5, bold=i == 0)) for cell in row] for i, row in enumerate(rows)
    ]
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def minutes_pdf() -> bytes:
    """A ten-page notulen: one page per part, each starting on a new page."""
    _fonts()
    story: list = [
        Paragraph(INSTITUTION.upper(), _style(13, bold=True, center=True)),
        Paragraph("Jl. Pejanggik No. 12, Mataram 83121", _style(9, center=True)),
        Spacer(1, 8 * mm),
        Paragraph("NOTULEN RAPAT KOORDINASI FORUM BANGKIT", _style(12, bold=True, center=True)),
        Spacer(1, 4 * mm),
        Paragraph("Hari/tanggal: Jumat, 15 Maret 2024", _style()),
        Paragraph("Waktu: 09.00 WITA (Mataram, Selong) / 08.00 WIB (Jakarta)", _style()),
        Paragraph(f"Pimpinan rapat: {CHAIR}; notulis: {MINUTE_TAKER}", _style()),
        Spacer(1, 4 * mm),
        _table(
            [["No", "Agenda", "Waktu"]] + [[str(i), a, t] for i, (a, t) in enumerate(AGENDA, 1)],
            [12 * mm, 110 * mm, 45 * mm],
        ),
        PageBreak(),
    ]
    for page in range(5):  # pages 2-6: discussion notes per agenda item
        story.append(
            Paragraph(f"Pembahasan agenda {page + 1}: {AGENDA[page][0]}", _style(11, bold=True))
        )
        for site in SITES * 2:
            story += [Spacer(1, 3 * mm), Paragraph(NOTE.format(site=site), _style())]
        story.append(PageBreak())
    tallies = [["Keputusan", "Mataram", "Selong", "Jakarta"]] + [
        [f"Keputusan {i}: lokus dan pagu indikatif disepakati bersama", "12-0-1", "9-1-0", "4-0-0"]
        for i in range(1, 9)
    ]
    story += [
        Paragraph("Keputusan rapat", _style(11, bold=True)),
        _table(tallies, [85 * mm, 27 * mm, 27 * mm, 27 * mm]),
        PageBreak(),
    ]
    action_rows = [["Tindak lanjut", "Penanggung jawab", "Lokus", "Batas waktu"]]
    action_rows += [list(a) for a in ACTIONS * 2]
    story += [
        Paragraph("Rencana tindak lanjut (RTL)", _style(11, bold=True)),
        _table(action_rows, [70 * mm, 45 * mm, 32 * mm, 22 * mm]),
        PageBreak(),
    ]
    for site in SITES[:2]:  # pages 9-10: attendance appendix, one site per page
        people = [["No", "Nama", "Instansi", "Jam masuk"]] + [
            [
                str(i),
                f"Peserta {i} D'Amato-Rumbekwan",
                "Dinas/OPD terkait",
                f"08.5{i % 10} WITA",
            ]
            for i in range(1, 26)
        ]
        story += [
            Paragraph(f"Lampiran: daftar hadir {site}", _style(11, bold=True)),
            _table(people, [12 * mm, 70 * mm, 60 * mm, 25 * mm]),
        ]
        if site != SITES[1]:
            story.append(PageBreak())
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="Notulen rapat koordinasi").build(story)
    return out.getvalue()


def sign_twice(authority, pdf: bytes) -> bytes:
    chair = signer_from_ca(authority, name=CHAIR, institution=INSTITUTION, role="Pimpinan Rapat")
    first = sign_pdf(
        pdf,
        chair,
        field_name="pimpinan",
        role="Pimpinan Rapat",
        reason="Menyetujui notulen",
        location="Mataram",
        certify=True,
        zone="Asia/Makassar",
        box=(60, 40, 280, 105),
        later_fields=[SignatureField("notulis", "Notulis", box=(315, 40, 535, 105))],
    )
    taker = signer_from_ca(authority, name=MINUTE_TAKER, institution=INSTITUTION, role="Notulis")
    return sign_pdf(
        first,
        taker,
        field_name="notulis",
        role="Notulis",
        reason="Menyetujui notulen",
        location="Selong",
        certify=False,
        zone="Asia/Makassar",
    )


def run() -> dict[str, float]:
    from importlib.metadata import version

    from pyhanko.pdf_utils.reader import PdfFileReader

    pdf = minutes_pdf()
    pages = int(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Count"])
    if pages != PAGES:
        raise SystemExit(f"bench minutes: the document has {pages} pages, not {PAGES}")
    with tempfile.TemporaryDirectory(prefix="bench-minutes-") as instance:
        authority = create_ca(instance, "bench-passphrase-2026", INSTITUTION)
        roots = [authority.certificate]
        signed = sign_twice(authority, pdf)  # warm-up
        report = verify_pdf(signed, roots)
        if not report.ok or len(report.signatures) != 2:
            raise SystemExit(f"bench minutes: the signed file does not verify: {report}")
        sign_runs, validate_runs = [], []
        for _ in range(RUNS):
            started = time.perf_counter()
            signed = sign_twice(authority, pdf)
            sign_runs.append(time.perf_counter() - started)
            started = time.perf_counter()
            report = verify_pdf(signed, roots)
            validate_runs.append(time.perf_counter() - started)
            assert report.ok
    ENV.update(
        pages=pages,
        unsigned_bytes=len(pdf),
        signed_bytes=len(signed),
        keys="ECDSA P-256, SHA-256, PAdES (ETSI.CAdES.detached)",
        pyhanko=version("pyhanko"),
        runs=RUNS,
    )
    return {
        "sign_seconds": round(statistics.median(sign_runs), 4),
        "validate_seconds": round(statistics.median(validate_runs), 4),
        "best_sign_seconds": round(min(sign_runs), 4),
        "best_validate_seconds": round(min(validate_runs), 4),
        "target_sign_seconds": 0.5,
        "target_validate_seconds": 0.2,
    }


if __name__ == "__main__":
    print(run())
