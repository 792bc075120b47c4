"""The agreement record, the addendum and the invitation letter: pure renderers.

Number and date spelling and the letter-number pattern are checked as plain functions;
each PDF is re-opened with pypdf (text), its QR codes decoded with zxing-cpp, and the
reported signature boxes filled by real PAdES signatures, then verified.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pypdf
import pytest
import zxingcpp

from meetcoord.core.errors import ValidationError
from meetcoord.demo.organizations import ORGANIZATIONS
from meetcoord.demo.people import BANGKIT
from meetcoord.documents.pdf.addendum import AddendumData, render_addendum
from meetcoord.documents.pdf.agreement_record import (
    AgreementData,
    PartyData,
    date_in_words,
    ordinal,
    party_label,
    party_name,
    render_agreement,
    spell_number,
)
from meetcoord.documents.pdf.compose import SiteData
from meetcoord.documents.pdf.layout import SIGNATURE_SIZE, RenderedDocument
from meetcoord.documents.pdf.letter import (
    DEFAULT_LETTER_PATTERN,
    InvitationLetterData,
    LetterSite,
    format_letter_number,
    render_invitation_letter,
    validate_letter_pattern,
)
from meetcoord.documents.signing.ca import CertificateAuthority, create_ca
from meetcoord.documents.signing.signing import SignatureField, sign_pdf, signer_from_ca
from meetcoord.documents.verify.verify import verify_pdf

VERIFY_URL = "https://rapat.example.id/verify/b7e2d4"
BAPPEDA = "Badan Perencanaan Pembangunan Daerah Kabupaten Sumba Barat Daya"
ADDRESS = "Kompleks Perkantoran Pemerintah Kabupaten Sumba Barat Daya, Tambolaka"
START = datetime(2024, 3, 15, 1, 0, tzinfo=UTC)  # 09.00 WITA, 08.00 WIB
A4_WIDTH, A4_HEIGHT = 595.27, 841.89


def _pages(pdf: bytes) -> list[str]:
    """Each page's text with whitespace runs collapsed (table cells break lines)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _assert_footer_on_every_page(rendered: RenderedDocument) -> None:
    reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
    assert len(reader.pages) == rendered.pages
    for n, (page, text) in enumerate(zip(reader.pages, _pages(rendered.pdf), strict=True), start=1):
        assert f"Halaman {n} dari {rendered.pages}" in text
        assert VERIFY_URL in text
        (image,) = page.images
        # The hash is in capitals in the QR (alphanumeric mode: fewer, larger modules).
        decoded = [code.text for code in zxingcpp.read_barcodes(image.image)]
        assert [text.lower() for text in decoded] == [VERIFY_URL]


def _assert_boxes_on_page(rendered: RenderedDocument, roles: list[str]) -> None:
    assert [b.role for b in rendered.signature_boxes] == roles
    width, height = (round(v, 1) for v in SIGNATURE_SIZE)
    for found in rendered.signature_boxes:
        x1, y1, x2, y2 = found.box
        assert 0 <= found.page < rendered.pages
        assert (round(x2 - x1, 1), round(y2 - y1, 1)) == (width, height)
        assert 0 < x1 < x2 < A4_WIDTH
        assert 75 < y1 < y2 < A4_HEIGHT  # above the QR and page-number footer


# --- words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (15, "lima belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (31, "tiga puluh satu"),
        (100, "seratus"),
        (110, "seratus sepuluh"),
        (245, "dua ratus empat puluh lima"),
        (1000, "seribu"),
        (1945, "seribu sembilan ratus empat puluh lima"),
        (2024, "dua ribu dua puluh empat"),
        (2025, "dua ribu dua puluh lima"),
        (2026, "dua ribu dua puluh enam"),
        (11_000, "sebelas ribu"),
        (1_000_000, "satu juta"),
    ],
)
def test_numbers_in_indonesian_words(n, words):
    assert spell_number(n) == words


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (
            date(2024, 3, 15),
            "Jumat tanggal lima belas bulan Maret tahun dua ribu dua puluh empat (15-03-2024)",
        ),
        (
            date(2025, 1, 1),
            "Rabu tanggal satu bulan Januari tahun dua ribu dua puluh lima (01-01-2025)",
        ),
        (
            date(2026, 11, 11),
            "Rabu tanggal sebelas bulan November tahun dua ribu dua puluh enam (11-11-2026)",
        ),
        (
            date(2024, 2, 21),
            "Rabu tanggal dua puluh satu bulan Februari tahun dua ribu dua puluh empat"
            " (21-02-2024)",
        ),
        (
            date(2025, 12, 31),
            "Rabu tanggal tiga puluh satu bulan Desember tahun dua ribu dua puluh lima"
            " (31-12-2025)",
        ),
        (
            date(2026, 6, 1),
            "Senin tanggal satu bulan Juni tahun dua ribu dua puluh enam (01-06-2026)",
        ),
    ],
)
def test_date_in_words(day, words):
    assert date_in_words(day) == words


def test_ordinals_up_to_thirty():
    expected = {
        1: "kesatu",
        2: "kedua",
        3: "ketiga",
        4: "keempat",
        10: "kesepuluh",
        11: "kesebelas",
        12: "kedua belas",
        19: "kesembilan belas",
        20: "kedua puluh",
        21: "kedua puluh satu",
        24: "kedua puluh empat",
        30: "ketiga puluh",
    }
    for n, word in expected.items():
        assert ordinal(n) == word
    all_thirty = [ordinal(n) for n in range(1, 31)]
    assert len(set(all_thirty)) == 30
    assert party_name(2) == "PIHAK KEDUA"
    assert party_name(24) == "PIHAK KEDUA PULUH EMPAT"
    assert party_label(3) == "PIHAK KETIGA"
    with pytest.raises(ValueError, match="start at 1"):
        ordinal(0)


# --- letter numbers -----------------------------------------------------------------------


def test_letter_numbers_from_patterns():
    assert DEFAULT_LETTER_PATTERN == "005/{seq}/BAPPEDA/{year}"
    assert format_letter_number(DEFAULT_LETTER_PATTERN, seq=23, year=2024, month=3) == (
        "005/023/BAPPEDA/2024"
    )
    assert format_letter_number(DEFAULT_LETTER_PATTERN, seq=1234, year=2024, month=3) == (
        "005/1234/BAPPEDA/2024"
    )
    pattern = "{seq:04d}/BAPPEDA-SBD/{month_roman}/{year}"
    assert format_letter_number(pattern, seq=7, year=2025, month=11) == "0007/BAPPEDA-SBD/XI/2025"
    assert format_letter_number("{seq}.{month}/{year}", seq=5, year=2026, month=2) == (
        "005.02/2026"
    )
    at_the_limit = "BAPPEDA-KAB-SUMBA-BARAT-DAYA/BIDANG-PEREKONOMIAN-S/{seq}/{year}"
    assert len(format_letter_number(at_the_limit, seq=9999, year=2099, month=12)) == 60
    for pattern in (DEFAULT_LETTER_PATTERN, "{seq:04d}/{month_roman}/{month}/{year}", at_the_limit):
        validate_letter_pattern(pattern)  # no error


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("005/{seq}/BAPPEDA", "harus memuat {seq} dan {year}"),
        ("005/BAPPEDA/{year}", "harus memuat {seq} dan {year}"),
        ("{seq}/{tahun}/{year}", "hanya boleh memakai"),
        ("{seq}/{year}/{}", "hanya boleh memakai"),
        ("{seq!r}/{year}", "hanya boleh memakai"),
        ("{seq}/{year:>{w}}", "hanya boleh memakai"),
        ("{__class__}/{seq}/{year}", "hanya boleh memakai"),
        ("005/{seq/{year}", "tidak seimbang"),
        ("005/{seq}}/{year}", "tidak seimbang"),
        ("005/{seq}/{year}{", "tidak seimbang"),
        ("{seq:xyz}/{year}", "tidak valid"),
        ("{month_roman:03d}/{seq}/{year}", "tidak valid"),
        (
            "BAPPEDA-KABUPATEN-SUMBA-BARAT-DAYA/BIDANG-EKONOMI/{seq}/{month_roman}/{year}",
            "60 karakter",
        ),
    ],
)
def test_bad_letter_patterns_are_refused(pattern, why):
    with pytest.raises(ValidationError) as raised:
        validate_letter_pattern(pattern)
    assert raised.value.status == 422
    (message,) = raised.value.errors["letter_pattern"]
    assert why in str(message)
    assert str(raised.value.message) == str(message)  # the config check prints the reason


# --- Berita Acara Kesepakatan -------------------------------------------------------------


def _org_name(key: str) -> str:
    return next(o["name"] for o in ORGANIZATIONS if o["key"] == key)


def agreement(parties: list[PartyData] | None = None) -> AgreementData:
    """The Forum BangKIT commitment in Tambolaka, linked with Yayasan BaKTI in Makassar."""
    return AgreementData(
        institution=BAPPEDA,
        address=ADDRESS,
        logo=None,
        title="Komitmen Dukungan Rencana Penghidupan Desa dalam RKP 2025",
        number="050/045/BAPPEDA/2024",
        meeting_title="Rapat Koordinasi Forum BangKIT Kabupaten Sumba Barat Daya",
        start_at=START,
        host_zone="Asia/Makassar",
        place="Aula Bappeda SBD, Tambolaka",
        sites=[
            SiteData("Aula Bappeda SBD", "Asia/Makassar", "Tambolaka"),
            SiteData("Kantor Yayasan BaKTI", "Asia/Makassar", "Makassar"),
        ],
        parties=parties
        or [
            PartyData(_org_name("bappeda_sbd"), "Yohanes Bili Kaka, S.E., M.Si.", "Kepala Bappeda"),
            PartyData(
                "Yayasan BaKTI", "Nurhayati Said, S.Sos., M.Si.", "Koordinator Program BangKIT"
            ),
            PartyData(_org_name("dpmd_sbd"), "Ama' Lede", None),
            PartyData("Japan Social Development Fund", "José Müller", "Task Team Leader"),
        ],
        points=[
            "OPD mengakomodasi rencana penghidupan desa sasaran dalam RKP 2025 melalui "
            "Musrenbangcam dan Musrenbangkab.",
            "Yayasan BaKTI memberikan dukungan teknis berupa pelatihan dan paket stimulan.",
            "Forum BangKIT melaporkan kemajuan setiap triwulan kepada Bupati.",
        ],
    )


def forum_parties() -> list[PartyData]:
    """The 24 members of Forum BangKIT (SK Bupati SBD Nomor 289/KEP/HK/2023)."""
    return [PartyData(_org_name(p.org), p.name, p.position) for p in BANGKIT]


def test_agreement_text_parties_and_points():
    rendered = render_agreement(agreement(), verify_url=VERIFY_URL)
    text = " ".join(_pages(rendered.pdf))
    for expected in (
        "BERITA ACARA KESEPAKATAN",
        "Nomor: 050/045/BAPPEDA/2024",
        "Pada hari ini, Jumat tanggal lima belas bulan Maret tahun dua ribu dua puluh empat "
        "(15-03-2024), bertempat di Aula Bappeda SBD, Tambolaka",
        "Kantor Yayasan BaKTI",
        "kami yang bertanda tangan di bawah ini:",
        "selanjutnya disebut PIHAK KESATU.",
        "selanjutnya disebut PIHAK KEDUA.",
        "selanjutnya disebut PIHAK KEEMPAT.",
        "Ama' Lede",
        "José Müller",
        "menyepakati hal-hal sebagai berikut:",
        "paket stimulan",
        "Demikian berita acara kesepakatan ini dibuat untuk dipergunakan sebagaimana mestinya.",
        "PIHAK KEDUA, Yayasan BaKTI",
        "Halaman 1 dari",
    ):
        assert expected in text, expected
    _assert_boxes_on_page(rendered, ["party-1", "party-2", "party-3", "party-4"])
    one, two, three, _four = rendered.signature_boxes
    assert one.box[1] == two.box[1]  # side by side
    assert one.box[2] < two.box[0]
    assert three.page > one.page or three.box[3] < one.box[1]  # next row down
    _assert_footer_on_every_page(rendered)


def test_agreement_without_number_or_with_context():
    data = agreement()
    data = AgreementData(
        **{**data.__dict__, "number": None, "opening": "Dalam rangka sinkronisasi RKP 2025,"}
    )
    text = " ".join(_pages(render_agreement(data, verify_url=VERIFY_URL).pdf))
    assert "Nomor:" not in text
    assert "Dalam rangka sinkronisasi RKP 2025," in text


def test_a_forum_of_24_parties_spans_pages_with_the_qr_on_each():
    rendered = render_agreement(agreement(forum_parties()), verify_url=VERIFY_URL)
    assert rendered.pages >= 3
    _assert_footer_on_every_page(rendered)
    _assert_boxes_on_page(rendered, [f"party-{n}" for n in range(1, 25)])
    assert len({b.page for b in rendered.signature_boxes}) > 1  # the grid split over pages
    text = " ".join(_pages(rendered.pdf))
    assert "selanjutnya disebut PIHAK KEDUA PULUH EMPAT." in text
    assert "Yosef Malo Ndapa, S.Sos." in text
    assert "Camat Wewewa Barat" in text


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return create_ca(tmp_path_factory.mktemp("instance"), "kata-sandi-uji-surat", "Bappeda SBD")


def _annotation_rects(pdf: bytes, page: int) -> list[tuple[float, ...]]:
    annots = pypdf.PdfReader(io.BytesIO(pdf)).pages[page].get("/Annots") or []
    return sorted(tuple(round(float(v), 1) for v in a.get_object()["/Rect"]) for a in annots)


def test_parties_sign_into_their_reported_boxes(authority):
    data = agreement()
    rendered = render_agreement(data, verify_url=VERIFY_URL)
    boxes = rendered.signature_boxes
    common = {"reason": "Menyetujui berita acara", "location": "Tambolaka", "zone": "Asia/Makassar"}
    first_party, second_party = data.parties[0], data.parties[1]
    first = sign_pdf(
        rendered.pdf,
        signer_from_ca(authority, name=first_party.representative, institution="Bappeda SBD"),
        field_name="party-1",
        role="PIHAK KESATU",
        certify=True,
        page=boxes[0].page,
        box=boxes[0].box,
        later_fields=[
            SignatureField(b.role, party_name(n), page=b.page, box=b.box)
            for n, b in enumerate(boxes[1:], start=2)
        ],
        **common,
    )
    second = sign_pdf(
        first,
        signer_from_ca(authority, name=second_party.representative, institution="Yayasan BaKTI"),
        field_name="party-2",
        role="PIHAK KEDUA",
        certify=False,
        **common,
    )
    report = verify_pdf(second, [authority.certificate])
    assert [s.field_name for s in report.signatures] == ["party-1", "party-2"]
    assert all(s.intact and s.valid and s.trusted for s in report.signatures)
    assert report.signatures[0].certifying
    assert not report.modified
    for page in {b.page for b in boxes}:
        expected = sorted(tuple(round(v, 1) for v in b.box) for b in boxes if b.page == page)
        assert _annotation_rects(second, page) == expected


# --- Adendum Notulen ----------------------------------------------------------------------

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def addendum() -> AddendumData:
    return AddendumData(
        institution=BAPPEDA,
        address=ADDRESS,
        logo="/tidak/ada/logo.png",  # a missing logo must not stop the document
        number=2,
        original_title="Rapat Koordinasi Forum BangKIT Kabupaten Sumba Barat Daya",
        original_date=START,
        host_zone="Asia/Makassar",
        original_reference="b7e2d4c1",
        original_sha256=SHA,
        corrections=[
            "Pada kesepakatan nomor 2, lokus Desa Kalena Wanno diganti menjadi Desa Weelonda.",
            "Ditambahkan rencana tindak lanjut: Dinas Sosial menyerahkan data penerima "
            "manfaat paling lambat 30 April 2024.",
        ],
        chair="Yohanes Bili Kaka, S.E., M.Si.",
        minute_taker="Ama' Lede",
        issued_on=date(2024, 3, 20),
    )


def test_addendum_names_the_original_and_has_both_signature_boxes():
    rendered = render_addendum(addendum(), verify_url=VERIFY_URL)
    text = " ".join(_pages(rendered.pdf))
    for expected in (
        "ADENDUM NOTULEN RAPAT",
        "Nomor adendum: 2",
        "memperbaiki dan/atau melengkapi Notulen Rapat Rapat Koordinasi Forum BangKIT",
        "Jumat, 15 Maret 2024",
        "b7e2d4c1",
        "Desa Weelonda",
        "20 Maret 2024",
        "Notulis,",
        "Pimpinan rapat,",
        "Ama' Lede",
        "Halaman 1 dari 1",
    ):
        assert expected in text, expected
    assert SHA in text.replace(" ", "")
    _assert_boxes_on_page(rendered, ["minute_taker", "chair"])
    taker, chair = rendered.signature_boxes
    assert taker.page == chair.page
    assert taker.box[2] < chair.box[0]  # minute-taker left
    _assert_footer_on_every_page(rendered)


# --- Surat Undangan -----------------------------------------------------------------------


def letter(recipients: list[str] | None = None) -> InvitationLetterData:
    """Bappeda SBD invites to a rakor in Tambolaka (WITA) linked with Bappenas (WIB)."""
    return InvitationLetterData(
        institution=BAPPEDA,
        address=ADDRESS,
        logo=None,
        number=format_letter_number(DEFAULT_LETTER_PATTERN, seq=23, year=2024, month=3),
        issued_on=date(2024, 3, 8),
        place="Tambolaka",
        recipients=recipients or [_org_name("dinsos_sbd"), "Yayasan BaKTI"],
        subject="Undangan Rapat Koordinasi Forum BangKIT",
        title="Rapat Koordinasi Forum BangKIT Kabupaten Sumba Barat Daya",
        purpose="sinkronisasi perencanaan OPD dengan rencana penghidupan masyarakat desa",
        sites=[
            LetterSite(
                "Aula Bappeda SBD",
                "Tambolaka",
                "Asia/Makassar",
                START,
                datetime(2024, 3, 15, 4, 0, tzinfo=UTC),
            ),
            LetterSite(
                "Kantor Bappenas",
                "Jl. Taman Suropati No. 2, Jakarta",
                "Asia/Jakarta",
                START,
                datetime(2024, 3, 15, 4, 0, tzinfo=UTC),
            ),
            LetterSite(
                "Peserta daring",
                None,
                "Asia/Makassar",
                START,
                datetime(2024, 3, 15, 4, 0, tzinfo=UTC),
                online=True,
            ),
        ],
        agenda=["Pembukaan", "Paparan rencana penghidupan desa", "Diskusi", "Penutup"],
        online_url="https://meet.example.id/bangkit-sbd",
        signer_name="Yohanes Bili Kaka, S.E., M.Si.",
        signer_position="Kepala Bappeda Kabupaten Sumba Barat Daya",
        contact="Maria Goreti Lende (0813-3790-1102)",
    )


def test_invitation_letter_lists_each_site_on_its_own_clock():
    rendered = render_invitation_letter(letter(), verify_url=VERIFY_URL)
    assert rendered.pages == 1
    text = _pages(rendered.pdf)[0]
    for expected in (
        "Tambolaka, 8 Maret 2024",
        "Nomor : 005/023/BAPPEDA/2024",
        "Sifat : Biasa",
        "Lampiran : -",
        "Perihal : Undangan Rapat Koordinasi Forum BangKIT",
        "Kepada Yth.",
        "Yayasan BaKTI",
        "di – Tempat",
        "Dengan hormat,",
        "mengundang Bapak/Ibu",
        "Jumat, 15 Maret 2024",
        "09.00–12.00 WITA",
        "08.00–11.00 WIB",
        "Jl. Taman Suropati No. 2, Jakarta",
        "Daring: https://meet.example.id/bangkit-sbd",
        "Paparan rencana penghidupan desa",
        "Maria Goreti Lende (0813-3790-1102)",
        "Demikian undangan ini disampaikan, atas perhatian dan kehadirannya diucapkan "
        "terima kasih.",
        "Kepala Bappeda Kabupaten Sumba Barat Daya,",
        "Yohanes Bili Kaka, S.E., M.Si.",
        "Halaman 1 dari 1",
    ):
        assert expected in text, expected
    assert "terlampir" not in text
    _assert_boxes_on_page(rendered, ["sender"])
    assert rendered.box_for("sender").box[0] > A4_WIDTH / 2 - 10  # the right half
    _assert_footer_on_every_page(rendered)


def test_many_recipients_go_to_an_appendix(authority):
    forum = sorted({_org_name(p.org) for p in BANGKIT})
    assert len(forum) > 8
    rendered = render_invitation_letter(letter(forum), verify_url=VERIFY_URL)
    pages = _pages(rendered.pdf)
    assert rendered.pages >= 2
    assert "Lampiran : 1 (satu) berkas" in pages[0]
    assert "Daftar terlampir" in pages[0]
    assert _org_name("kec_kodi_utara") not in pages[0]
    appendix = " ".join(pages[1:])
    assert "Lampiran Surat Undangan" in appendix
    assert "Daftar undangan" in appendix
    for name in forum:
        assert name in appendix, name
    assert rendered.box_for("sender").page == 0  # the letter is signed, not the appendix
    _assert_footer_on_every_page(rendered)
    signed = sign_pdf(
        rendered.pdf,
        signer_from_ca(authority, name="Yohanes Bili Kaka", institution="Bappeda SBD"),
        field_name="sender",
        role="Kepala Bappeda",
        reason="Surat undangan",
        location="Tambolaka",
        certify=True,
        zone="Asia/Makassar",
        page=0,
        box=rendered.box_for("sender").box,
    )
    report = verify_pdf(signed, [authority.certificate])
    assert [s.intact for s in report.signatures] == [True]


@pytest.mark.parametrize(
    ("purpose", "expected"),
    [
        ("Menyepakati rencana aksi OPD.", "Dalam rangka menyepakati rencana aksi OPD, b"),
        ("RPJMD perlu diselaraskan", "Dalam rangka RPJMD perlu diselaraskan, b"),
        ("BangKIT triwulan IV", "Dalam rangka BangKIT triwulan IV, b"),
    ],
)
def test_the_purpose_reads_as_part_of_the_letters_sentence(purpose: str, expected: str) -> None:
    from meetcoord.documents.pdf.letter import _mid_sentence

    assert f"Dalam rangka {_mid_sentence(purpose.rstrip('.'))}, b" == expected
