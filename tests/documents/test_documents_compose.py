"""Minutes (notulen) composition, rendering and the snapshot read from a real meeting.

Composition is pure (no app); the PDF is re-opened with pypdf and its QR codes decoded with
zxing-cpp; ``minutes_data`` is built from a meeting driven through the /live commands.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pypdf
import zxingcpp

from meetcoord.access.actors import Actor
from meetcoord.checkin import keys
from meetcoord.checkin.desk import redeem_credential
from meetcoord.documents.pdf.compose import (
    ActionData,
    AgendaData,
    AttendeeData,
    DecisionData,
    MinutesData,
    SiteAttendance,
    SiteData,
    TallyData,
    compose_minutes,
)
from meetcoord.documents.pdf.render import (
    CHAIR,
    MINUTE_TAKER,
    SIGNATURE_SIZE,
    render_minutes,
    render_minutes_pdf,
)
from meetcoord.documents.signing.ca import create_ca
from meetcoord.documents.signing.signing import SignatureField, sign_pdf, signer_from_ca
from meetcoord.documents.sources import minutes_data
from meetcoord.documents.verify.verify import verify_pdf
from meetcoord.meetings.models import InviteeRole
from tests import factories
from tests.live_support import LiveRakor, command, connect


def sample(attendees: int = 3) -> MinutesData:
    """Rakor hosted in Tambolaka (WITA) linked with Ambon (WIT) and online participants."""
    return MinutesData(
        institution="Badan Perencanaan Pembangunan Daerah Kabupaten Sumba Barat Daya",
        address="Jl. Weetebula No. 1, Tambolaka",
        title="Rapat Koordinasi Ketahanan Pangan",
        kind="coordination",
        start_at=datetime(2024, 3, 15, 1, 0, tzinfo=UTC),
        end_at=datetime(2024, 3, 15, 4, 0, tzinfo=UTC),
        host_zone="Asia/Makassar",
        sites=[
            SiteData("Aula Bappeda SBD", "Asia/Makassar", "Tambolaka"),
            SiteData("Kantor Gubernur Maluku", "Asia/Jayapura", "Ambon"),
        ],
        chair="Ir. Yohanes Bili, M.Si.",
        minute_taker="Ama' Lede",
        attendance=[
            SiteAttendance(
                "Aula Bappeda SBD", 5, {"Pemerintah": 4, "LSM": 1}, {"male": 3, "female": 2}
            ),
            SiteAttendance(
                "Kantor Gubernur Maluku",
                2,
                {"Pemerintah": 1, "Akademisi": 1},
                {"female": 1, "unknown": 1},
            ),
        ],
        agenda=[
            AgendaData(
                2,
                "Ketahanan pangan",
                "Kadis Ketahanan Pangan",
                "Paparan stok beras.\n\nTanya jawab.",
            ),
            AgendaData(1, "Pembukaan", None, "Dibuka oleh pimpinan rapat."),
        ],
        decisions=[
            DecisionData(
                1,
                "Anggaran cadangan pangan dinaikkan",
                "vote",
                2,
                [
                    TallyData("Aula Bappeda SBD", 20, 3, 1),
                    TallyData("Kantor Gubernur Maluku", 9, 4, 0),
                ],
            ),
            DecisionData(2, "Rapat lanjutan bulan Mei", "consensus", 2),
        ],
        actions=[
            ActionData(
                "Salurkan 5 ton beras",
                "Dinas Sosial SBD",
                "José Ramos-Horta",
                "Desa Kalena Wanno",
                date(2024, 4, 30),
                1,
            ),
            ActionData("Data desa rawan pangan", "Bappeda SBD"),
        ],
        attendees=[
            AttendeeData(
                name=["José Ramos-Horta", "Ama' Lede", "Théo Rumbekwan"][n % 3],
                organization="Dinas Sosial SBD",
                position="Kepala Bidang",
                site="Aula Bappeda SBD" if n % 2 == 0 else "Kantor Gubernur Maluku",
                time_in="09.05 WITA" if n % 2 == 0 else "10.05 WIT",
                gender_short="L",
                category="Pemerintah",
            )
            for n in range(attendees)
        ],
    )


# --- composition (pure) -------------------------------------------------------------------


def test_day_and_times_are_indonesian_with_each_site_zone():
    doc = compose_minutes(sample())
    assert doc.heading == "NOTULEN RAPAT"
    assert doc.day == "Jumat, 15 Maret 2024"
    assert doc.kind_label == "Rapat Koordinasi"
    assert [(s.name, s.day, s.time, s.zone_label) for s in doc.sites] == [
        ("Aula Bappeda SBD", "Jumat, 15 Maret 2024", "09.00–12.00 WITA", "WITA"),
        ("Kantor Gubernur Maluku", "Jumat, 15 Maret 2024", "10.00–13.00 WIT", "WIT"),
    ]
    assert doc.chair == "Ir. Yohanes Bili, M.Si."
    assert doc.minute_taker == "Ama' Lede"


def test_attendance_totals_by_category_and_gender():
    doc = compose_minutes(sample())
    assert doc.totals.total == 7
    assert doc.totals.by_category == {"Pemerintah": 5, "LSM": 1, "Akademisi": 1}
    assert doc.totals.by_gender == {"male": 3, "female": 3, "unknown": 1}
    assert doc.categories == ["Pemerintah", "LSM", "Akademisi"]
    assert doc.participants == "7 orang (Aula Bappeda SBD: 5, Kantor Gubernur Maluku: 2)"


def test_agenda_decisions_and_actions():
    doc = compose_minutes(sample())
    assert [item.title for item in doc.agenda] == ["Pembukaan", "Ketahanan pangan"]
    vote, consensus = doc.decisions
    assert vote.kind_label == "Pemungutan suara"
    assert vote.agenda_title == "Ketahanan pangan"
    assert vote.total is not None
    assert (vote.total.votes_for, vote.total.votes_against, vote.total.abstentions) == (29, 7, 1)
    assert consensus.kind_label == "Mufakat"
    assert consensus.total is None
    first, second = doc.actions
    assert (first.number, first.agency, first.locus, first.due) == (
        1,
        "Dinas Sosial SBD (José Ramos-Horta)",
        "Desa Kalena Wanno",
        "30 April 2024",
    )
    assert (second.locus, second.due) == ("-", "-")


def test_no_chair_and_no_attendance_still_compose():
    data = sample(0)
    data = MinutesData(**{**data.__dict__, "chair": None, "attendance": [], "decisions": []})
    doc = compose_minutes(data)
    assert doc.chair == "-"
    assert doc.totals.total == 0
    assert doc.totals.by_gender == {"male": 0, "female": 0, "unknown": 0}
    assert doc.participants == "0 orang"


# --- rendering ----------------------------------------------------------------------------

VERIFY_URL = "https://rapat.example.id/verify/3f9a1c"


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def test_pdf_has_title_unicode_names_zones_and_page_numbers():
    rendered = render_minutes(compose_minutes(sample(60)), verify_url=VERIFY_URL)
    reader = _reader(rendered.pdf)
    pages = [page.extract_text() for page in reader.pages]
    assert rendered.pages == len(pages) > 1
    text = "\n".join(pages)
    for expected in (
        "NOTULEN RAPAT",
        "Jumat, 15 Maret 2024",
        "09.00–12.00 WITA",
        "10.00–13.00 WIT",
        "Ama' Lede",
        "José Ramos-Horta",
        "Théo Rumbekwan",
        "Rencana tindak lanjut",
        "Penanggung jawab (OPD)",
        "30 April 2024",
        "Lampiran: Daftar hadir",
    ):
        assert expected in text, expected
    for n, page in enumerate(pages, start=1):
        assert f"Halaman {n} dari {len(pages)}" in page
        assert VERIFY_URL in page
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    embedded = [f for f in fonts if "/FontFile2" in f.get("/FontDescriptor", {})]
    assert embedded, "the Unicode TrueType font is embedded"


def test_every_page_carries_a_qr_that_decodes_to_the_verify_url():
    pdf = render_minutes_pdf(compose_minutes(sample(60)), verify_url=VERIFY_URL)
    for page in _reader(pdf).pages:
        images = page.images
        assert len(images) == 1
        decoded = zxingcpp.read_barcodes(images[0].image)
        assert [code.text.lower() for code in decoded] == [VERIFY_URL]  # hash in capitals


def test_signature_boxes_are_reported_blank_on_their_page():
    rendered = render_minutes(compose_minutes(sample(3)), verify_url=VERIFY_URL)
    chair = rendered.box_for(CHAIR)
    taker = rendered.box_for(MINUTE_TAKER)
    assert chair.page == taker.page < rendered.pages - 1  # before the appendix
    width, height = (round(v, 1) for v in SIGNATURE_SIZE)
    for found in (chair, taker):
        x1, y1, x2, y2 = found.box
        assert (round(x2 - x1, 1), round(y2 - y1, 1)) == (width, height)
        assert 0 < x1 < x2 < 595
        assert 0 < y1 < y2 < 842
    assert taker.box[2] < chair.box[0]  # minute-taker left, chair right
    page = _reader(rendered.pdf).pages[chair.page].extract_text()
    assert "Pimpinan rapat," in page
    assert "Notulis," in page


# --- the snapshot from a real meeting -------------------------------------------------------


def test_minutes_data_from_a_meeting_run_live(app):
    # Held on 15 March 2024 (the room opens any time after): the desk uploads that morning.
    rakor = LiveRakor(times={"start_at": "2024-03-15T09:00", "end_at": "2024-03-15T12:00"})
    items = [item.id for item in rakor.add_items("Pembukaan", "Ketahanan pangan")]
    ama = rakor._invite("Ama' Lede", InviteeRole.PARTICIPANT, rakor.other_site.id)
    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    assert command(chair, "item.activate", item_id=items[1])["ok"]
    note = command(chair, "notes.save", item_id=items[1], text="Paparan stok.", base_version=0)
    assert note["ok"], note
    vote = command(
        chair,
        "decision.record",
        text="Anggaran cadangan pangan dinaikkan",
        kind="vote",
        tallies=[
            {"site_id": rakor.site.id, "for": 20, "against": 3, "abstain": 1},
            {"site_id": rakor.other_site.id, "for": 9, "against": 4, "abstain": 0},
            {"site_id": None, "for": 5, "against": 0, "abstain": 2},
        ],
    )
    assert vote["ok"], vote
    org = factories.organization(name="Dinas Sosial SBD")
    jose = factories.person(name="José Ramos", organization_id=org.id)
    action = command(
        chair,
        "action.create",
        decision_id=vote["id"],
        title="Salurkan 5 ton beras",
        organization_id=org.id,
        person_id=jose.id,
        locus="Desa Kalena Wanno",
        due_on="2024-04-30",
    )
    assert action["ok"], action
    desk = Actor(user=rakor.staff)
    at = datetime(2024, 3, 15, 1, 5, tzinfo=UTC)
    for n, (site, inv) in enumerate(
        [(rakor.site, rakor.chair), (rakor.site, rakor.participant), (rakor.other_site, ama)]
    ):
        redeem_credential(desk, site, keys.credential_for(inv), f"m{n}", scanned_at=at)

    data = minutes_data(rakor.meeting, institution="Bappeda SBD", address="Tambolaka")
    assert data.chair == "Ir. Yohanes Bili, M.Si."
    assert data.minute_taker == "Maria Kaka"
    assert [(s.name, s.zone) for s in data.sites] == [
        ("Aula Bappeda SBD", "Asia/Makassar"),
        ("Kantor Gubernur Maluku", "Asia/Jayapura"),
    ]
    assert [(a.site, a.total) for a in data.attendance] == [
        ("Aula Bappeda SBD", 2),
        ("Kantor Gubernur Maluku", 1),
    ]
    assert [(i.number, i.title, i.notes) for i in data.agenda] == [
        (1, "Pembukaan", ""),
        (2, "Ketahanan pangan", "Paparan stok."),
    ]
    [decision] = data.decisions
    assert (decision.kind, decision.agenda_number) == ("vote", 2)
    assert {t.site: t.votes_for for t in decision.tallies} == {
        "Aula Bappeda SBD": 20,
        "Kantor Gubernur Maluku": 9,
        "Daring": 5,
    }
    [act] = data.actions
    assert (act.agency, act.person, act.locus, act.due_on, act.decision_number) == (
        "Dinas Sosial SBD",
        "José Ramos",
        "Desa Kalena Wanno",
        date(2024, 4, 30),
        1,
    )
    assert {a.name for a in data.attendees} >= {"Ama' Lede", "Ir. Yohanes Bili, M.Si."}

    doc = compose_minutes(data)
    assert [s.time for s in doc.sites] == ["09.00–12.00 WITA", "10.00–13.00 WIT"]
    assert doc.decisions[0].total is not None
    assert doc.decisions[0].total.votes_for == 34
    assert doc.totals.total == 3
    text = "\n".join(
        p.extract_text() for p in _reader(render_minutes_pdf(doc, verify_url=VERIFY_URL)).pages
    )
    flat = " ".join(text.split())  # table cells wrap
    assert "Ama' Lede" in flat
    assert "Dinas Sosial SBD (José Ramos)" in flat
    assert "Halaman 1 dari" in flat


def test_signatures_land_in_the_reported_blank_boxes(tmp_path):
    """The signing step can place both stamps where the renderer left room."""
    rendered = render_minutes(compose_minutes(sample(60)), verify_url=VERIFY_URL)
    chair_box, taker_box = rendered.box_for(CHAIR), rendered.box_for(MINUTE_TAKER)
    authority = create_ca(tmp_path, "kata-sandi-uji-notulen", "Bappeda SBD")
    common = {
        "reason": "Menyetujui notulen rapat",
        "location": "Tambolaka",
        "zone": "Asia/Makassar",
    }
    chair = signer_from_ca(authority, name="Ir. Yohanes Bili", institution="Bappeda", role="Ketua")
    first = sign_pdf(
        rendered.pdf,
        chair,
        field_name="pimpinan",
        role="Pimpinan rapat",
        certify=True,
        page=chair_box.page,
        box=chair_box.box,
        later_fields=[SignatureField("notulis", "Notulis", page=taker_box.page, box=taker_box.box)],
        **common,
    )
    taker = signer_from_ca(authority, name="Ama' Lede", institution="Bappeda", role="Notulis")
    second = sign_pdf(first, taker, field_name="notulis", role="Notulis", certify=False, **common)
    report = verify_pdf(second, [authority.certificate])
    assert len(report.signatures) == 2
    assert not report.modified
    page = _reader(second).pages[chair_box.page]
    rects = sorted(
        tuple(round(float(v), 1) for v in a.get_object()["/Rect"]) for a in page["/Annots"]
    )
    expected = sorted(tuple(round(v, 1) for v in b.box) for b in (chair_box, taker_box))
    assert rects == expected


def test_an_empty_meeting_and_a_missing_logo_still_render():
    data = sample(0)
    data = MinutesData(
        **{
            **data.__dict__,
            "logo": "/tidak/ada/logo.png",
            "attendance": [],
            "agenda": [],
            "decisions": [],
            "actions": [],
        }
    )
    rendered = render_minutes(compose_minutes(data), verify_url=VERIFY_URL)
    text = " ".join(" ".join(p.extract_text().split()) for p in _reader(rendered.pdf).pages)
    assert "Tidak ada rencana tindak lanjut." in text
    assert "Belum ada peserta yang tercatat hadir." in text
    assert {b.role for b in rendered.signature_boxes} == {CHAIR, MINUTE_TAKER}
