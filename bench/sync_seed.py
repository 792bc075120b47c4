"""Seeding for the ``sync`` bench (``bench_sync.py``): the directory, the spreadsheets and
the meeting, written with the app's own services in a child process that has the
server's environment (so personal links and API tokens match the server's secret).

What :func:`setup` writes (and describes in a JSON file for the timing loop):

* a secretariat account (a real password hash, an API token), the installation's one
  institution joined as ``create_user`` does;
* villages of four regencies as the directory holds them (organizations of level
  village), and a dozen agencies (OPD);
* XLSX files of ``rows`` proposals each, with an e-Musrenbang export's column titles,
  one per plan year, so a later file is never a likely duplicate of an earlier one; the
  titles are checked here with the import's own duplicate finder, so a run never stops
  on a "mirip" question nobody is there to answer;
* a meeting at two sites (WITA host, WIT second) with a "Sinkronisasi usulan" item,
  ``marks`` proposals of an earlier plan year put on its matrix through the live room's
  own command (``live.matrix.add_proposals``), ``phones`` people invited half to each
  site, and a chair; the personal link of each.
"""

from __future__ import annotations

import json
import random
import secrets
from pathlib import Path
from typing import Any

SEED = 14
REGIONS = (
    "Kabupaten Sumba Barat Daya",
    "Kabupaten Lombok Timur",
    "Kabupaten Maluku Tengah",
    "Kabupaten Sumbawa Barat",
)
FIRST = (
    "Wee",
    "Kalembu",
    "Waimangura",
    "Ndara",
    "Kadi",
    "Sangu",
    "Pero",
    "Loko",
    "Wona",
    "Tena",
    "Sukamulia",
    "Pringgasela",
    "Masbagik",
    "Sembalun",
    "Aikmel",
    "Wanasaba",
    "Hila",
    "Tulehu",
    "Liang",
    "Waai",
    "Seteluk",
    "Taliwang",
    "Maluk",
    "Sekongkang",
)
SECOND = ("Rame", "Mane", "Wano", "Baru", "Timur", "Barat", "Utara", "Selatan", "Jaya", "Indah")
ACTIVITIES = (
    ("Pembangunan jalan usaha tani", "Prasarana Wilayah", "Pekerjaan Umum"),
    ("Rehabilitasi jaringan irigasi tersier", "Prasarana Wilayah", "Pekerjaan Umum"),
    ("Pengadaan sumur bor air bersih", "Prasarana Wilayah", "Perumahan"),
    ("Pembangunan drainase lingkungan permukiman", "Prasarana Wilayah", "Perumahan"),
    ("Rehabilitasi rumah tidak layak huni", "Sosial Budaya", "Perumahan"),
    ("Pelatihan kelompok tenun ikat", "Ekonomi", "Perindustrian"),
    ("Bantuan bibit kopi robusta", "Ekonomi", "Perkebunan"),
    ("Pengadaan traktor tangan kelompok tani", "Ekonomi", "Pertanian"),
    ("Budidaya rumput laut pesisir", "Ekonomi", "Kelautan"),
    ("Pembinaan UMKM olahan pangan lokal", "Ekonomi", "Koperasi"),
    ("Pembangunan los pasar desa", "Ekonomi", "Perdagangan"),
    ("Penguatan BUMDes wisata alam", "Ekonomi", "Pariwisata"),
    ("Pemberian makanan tambahan balita stunting", "Sosial Budaya", "Kesehatan"),
    ("Rehabilitasi gedung posyandu", "Sosial Budaya", "Kesehatan"),
    ("Pengadaan alat kesehatan pustu", "Sosial Budaya", "Kesehatan"),
    ("Rehabilitasi ruang kelas SD inpres", "Sosial Budaya", "Pendidikan"),
    ("Beasiswa siswa miskin berprestasi", "Sosial Budaya", "Pendidikan"),
    ("Pembangunan PAUD terpadu", "Sosial Budaya", "Pendidikan"),
    ("Pelestarian sanggar seni budaya adat", "Sosial Budaya", "Kebudayaan"),
    ("Pelatihan kader pemberdayaan perempuan", "Sosial Budaya", "Pemberdayaan Perempuan"),
    ("Penyusunan profil dan data desa", "Pemerintahan", "Pemerintahan Desa"),
    ("Peningkatan kapasitas aparatur desa", "Pemerintahan", "Pemerintahan Desa"),
    ("Pengadaan sistem informasi desa", "Pemerintahan", "Komunikasi dan Informatika"),
    ("Pembentukan satlinmas siaga bencana", "Pemerintahan", "Ketenteraman"),
    ("Penetapan batas wilayah administrasi", "Pemerintahan", "Pertanahan"),
    ("Pemasangan penerangan jalan tenaga surya", "Prasarana Wilayah", "Perhubungan"),
    ("Pembangunan tambatan perahu nelayan", "Prasarana Wilayah", "Perhubungan"),
    ("Pengadaan bak sampah terpilah", "Prasarana Wilayah", "Lingkungan Hidup"),
)
DUSUN = ("Kadoki", "Watu Kawula", "Lete Kamba", "Bondo Kodi", "Rita Loka", "Tana Mete")
FUNDS = (
    "APBD Kabupaten/Kota",
    "APBD Kabupaten/Kota",
    "APBD Provinsi",
    "APBN",
    "DAK",
    "APBDes",
    "CSR",
    "Baznas",
)
PROPOSERS = (("Desa", "Pemerintah Desa {v}"), ("Kelompok Masyarakat", "Pokmas Maju Bersama {v}"))
SOURCES = ("RKPDes", "Musrenbangdes", "Semiloka Forum BangKIT")
HEADERS = (
    "No",
    "ID Usulan",
    "Usulan",
    "Desa/Kelurahan",
    "Kabupaten/Kota",
    "Bidang",
    "Sub Bidang",
    "Jenis Pengusul",
    "Pengusul",
    "Pagu",
    "Sumber Dana",
    "Tahun",
    "Skor",
    "Sumber Usulan",
)
AGENCIES = (
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Kesehatan",
    "Dinas Pendidikan dan Kebudayaan",
    "Dinas Pertanian dan Ketahanan Pangan",
    "Dinas Perumahan dan Kawasan Permukiman",
    "Dinas Pemberdayaan Masyarakat dan Desa",
    "Dinas Koperasi dan UKM",
    "Dinas Kelautan dan Perikanan",
    "Dinas Perhubungan",
    "Dinas Sosial",
    "Dinas Lingkungan Hidup",
    "Dinas Pariwisata",
)
VENUES = (
    ("Aula BAPPEDA Provinsi NTB, Mataram", "Asia/Makassar"),
    ("Kantor Gubernur Maluku, Ambon", "Asia/Jayapura"),
)


def villages_for(rows: int) -> list[tuple[str, str]]:
    """(name, region) of as many villages as ``rows`` needs at ~25 proposals each."""
    count = max(2, min(len(FIRST) * len(SECOND), -(-rows // 25)))
    names = [f"{a} {b}" for b in SECOND for a in FIRST][:count]
    return [(name, REGIONS[i % len(REGIONS)]) for i, name in enumerate(names)]


def sheet_rows(villages: list[tuple[str, str]], rows: int, year: int) -> list[list[Any]]:
    """``rows`` proposals as an e-Musrenbang export lists them, spread over the villages."""
    rng = random.Random(SEED + year)  # noqa: S311 - repeatable data, not secrets
    out: list[list[Any]] = []
    per_village = -(-rows // len(villages))
    if per_village > len(ACTIVITIES) * len(DUSUN):
        raise ValueError("more rows per village than distinct proposals")
    for n in range(rows):
        v, k = n % len(villages), n // len(villages)
        village, region = villages[v]
        title, field, sector = ACTIVITIES[(v + k) % len(ACTIVITIES)]
        dusun = DUSUN[(v + k // len(ACTIVITIES)) % len(DUSUN)]
        kind, proposer = PROPOSERS[n % 7 == 0]
        budget: Any = rng.randrange(25, 1500) * 1_000_000
        if n % 10 == 3:  # some exports carry the Rupiah as text
            budget = "Rp " + f"{budget:,}".replace(",", ".")
        out.append(
            [
                n + 1,
                f"USL-{year}-{n + 1:06d}",
                f"{title} Dusun {dusun}",
                village,
                region,
                field,
                sector,
                kind,
                proposer.format(v=village),
                budget,
                FUNDS[rng.randrange(len(FUNDS))],
                year,
                round(rng.uniform(40, 95), 2),
                f"{SOURCES[n % len(SOURCES)]} {year - 1}",
            ]
        )
    return out


def write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    # A whole workbook, not a write-only one: Excel and the e-Musrenbang exports (made by
    # PhpSpreadsheet) write the sheet's <dimension> and a shared-string table; a write-only
    # file has neither, and openpyxl then reads the whole sheet once more to size it.
    book = Workbook()
    sheet = book.active
    sheet.title = "Usulan"
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    book.save(path)


def _no_duplicates(rows: list[list[Any]], ids: dict[str, int]) -> None:
    from meetcoord.planning.duplicates import Candidate, find_duplicates

    news = [Candidate(r[0], ids[r[3]], r[11], r[2]) for r in rows]
    found = find_duplicates(news, [])
    if found:
        raise RuntimeError(f"bench data has likely duplicates: {found[:3]}")


def setup(out_path: Path, rows: int, phones: int, marks: int, years: list[int]) -> None:
    """Seed the database the environment names; write what the timing loop needs."""
    from datetime import timedelta

    from sqlalchemy import insert, select

    from meetcoord import create_app
    from meetcoord.access.actors import Actor
    from meetcoord.access.models import Membership
    from meetcoord.accounts.services import create_token, create_user
    from meetcoord.core.cleaning import name_key
    from meetcoord.core.db import utcnow
    from meetcoord.directory.models import (
        Gender,
        Organization,
        OrgKind,
        OrgLevel,
        Person,
        StakeholderCategory,
        Venue,
    )
    from meetcoord.extensions import db
    from meetcoord.live import matrix as live_matrix
    from meetcoord.meetings import agenda, invitations, links, services
    from meetcoord.meetings.models import InviteeRole
    from meetcoord.planning.matrix import Selection
    from meetcoord.planning.models import (
        FundSource,
        Proposal,
        ProposalField,
        ProposalStatus,
        ProposerKind,
        SyncMark,
    )

    app = create_app()
    with app.app_context():
        password = secrets.token_urlsafe(16)
        staff = create_user(
            None,
            email="sekretariat.sinkron@bappeda.example.go.id",
            name="Sekretariat Sinkronisasi",
            password=password,
            role="secretariat",
        )
        _token, bearer = create_token(None, staff, "bench sync")
        villages = villages_for(rows)
        db.session.add_all(
            Organization(name=name, kind=OrgKind.COMMUNITY, level=OrgLevel.VILLAGE, region=region)
            for name, region in villages
        )
        agencies = [
            Organization(
                name=f"{a} Kabupaten Sumba Barat Daya", kind=OrgKind.OPD, level=OrgLevel.REGENCY
            )
            for a in AGENCIES
        ]
        db.session.add_all(agencies)
        venues = [Venue(name=name, timezone=zone, capacity=300) for name, zone in VENUES]
        db.session.add_all(venues)
        db.session.commit()
        ids = {
            name: oid
            for oid, name in db.session.execute(
                select(Organization.id, Organization.name).where(
                    Organization.level == OrgLevel.VILLAGE
                )
            )
        }
        files = {}
        for year in years:
            sheet = sheet_rows(villages, rows, year)
            _no_duplicates(sheet, ids)
            path = out_path.with_name(f"usulan-{year}.xlsx")
            write_xlsx(path, sheet)
            files[str(year)] = str(path)

        # The matrix's proposals: an earlier plan year, already in the database.
        institution_id = db.session.scalar(
            select(Membership.institution_id).where(Membership.user_id == staff.id)
        )
        now = utcnow()
        rng = random.Random(SEED)  # noqa: S311 - repeatable data
        matrix_year = min(years) - 1
        values = []
        for n in range(marks):
            title = f"{ACTIVITIES[n % len(ACTIVITIES)][0]} Dusun {DUSUN[n % len(DUSUN)]}"
            values.append(
                {
                    "institution_id": institution_id,
                    "title": title,
                    "title_key": name_key(title)[:400],
                    "village_id": ids[villages[n % len(villages)][0]],
                    "field": list(ProposalField)[n % 4],
                    "fund_source": FundSource.APBD_REGENCY,
                    "proposer_kind": ProposerKind.VILLAGE,
                    "proposer_name": f"Pemerintah Desa {villages[n % len(villages)][0]}",
                    "plan_year": matrix_year,
                    "budget": rng.randrange(25, 1500) * 1_000_000,
                    "priority_score": round(rng.uniform(40, 95), 2),
                    "status": ProposalStatus.SUBMITTED,
                    "created_by_id": staff.id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        db.session.execute(insert(Proposal.__table__), values)
        db.session.commit()

        chair = Person(
            name="Dr. Ir. Pimpinan Sinkronisasi, M.Si.",
            category=StakeholderCategory.GOVERNMENT,
            email="pimpinan.sinkron@bappeda.example.go.id",
            position="Kepala BAPPEDA",
        )
        people = [
            Person(
                name=f"Perwakilan OPD {i:03d}",
                category=StakeholderCategory.GOVERNMENT,
                gender=Gender.FEMALE if i % 2 else Gender.MALE,
                email=f"sinkron{i:03d}@opd.example.go.id",
                position="Kepala Bidang",
                organization_id=agencies[i % len(agencies)].id,
            )
            for i in range(phones)
        ]
        db.session.add(chair)
        db.session.add_all(people)
        db.session.commit()
        start = (utcnow() + timedelta(hours=9)).replace(microsecond=0)  # local WITA, today
        meeting = services.create_meeting(
            staff,
            {
                "title": "Rapat Sinkronisasi Usulan Desa dan Renja OPD (bench sync)",
                "kind": "coordination",
                "host_venue_id": venues[0].id,
                "start_at": start.strftime("%Y-%m-%dT%H:%M"),
                "end_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        services.add_site(staff, meeting, {"venue_id": venues[1].id})
        agenda.add_agenda_item(
            staff,
            meeting,
            {"title": "Sinkronisasi usulan desa", "planned_minutes": 90, "kind": "sync_matrix"},
        )
        sites = list(meeting.sites)
        half = -(-phones // 2)
        for n, site in enumerate(sites):
            group = people[n * half : (n + 1) * half]
            if group:
                invitations.invite(
                    staff, meeting, {"person_ids": [p.id for p in group], "site_id": site.id}
                )
        invitations.invite(
            staff,
            meeting,
            {"person_ids": [chair.id], "site_id": sites[0].id, "role": InviteeRole.CHAIR.value},
        )
        services.schedule_meeting(staff, meeting)
        actor = Actor(user=staff).bound_to(meeting)
        live_matrix.add_proposals(actor, meeting.id, Selection(plan_year=matrix_year))
        on_matrix = list(
            db.session.scalars(
                select(SyncMark).where(SyncMark.meeting_id == meeting.id).order_by(SyncMark.id)
            )
        )
        invs = sorted(meeting.invitations, key=lambda inv: inv.id)
        chair_inv = next(inv for inv in invs if inv.person_id == chair.id)
        out_path.write_text(
            json.dumps(
                {
                    "email": staff.email,
                    "password": password,
                    "bearer": bearer,
                    "files": files,
                    "meeting_id": meeting.id,
                    "chair_token": links.personal_token(chair_inv),
                    "phones": [
                        {"token": links.personal_token(inv), "site_id": inv.site_id}
                        for inv in invs
                        if inv.person_id != chair.id
                    ],
                    "sites": [s.id for s in sites],
                    "marks": [
                        mark_command(
                            n, m.id, m.version, agencies[n % len(agencies)].id, matrix_year
                        )
                        for n, m in enumerate(on_matrix)
                    ],
                }
            )
        )


def mark_command(n: int, mark_id: int, version: int, agency_id: int, year: int) -> dict[str, Any]:
    """The console's ``proposal.mark`` for row ``n``: mostly accommodated, some carried to
    the next forum, some not accommodated (the mix a Musrenbangkab table shows)."""
    base: dict[str, Any] = {"mark_id": mark_id, "version": version}
    if n % 5 == 3:
        return base | {"outcome": "carried", "carried_to": "musrenbangprov"}
    if n % 7 == 5:
        return base | {"outcome": "not_accommodated", "reason": "Bukan kewenangan kabupaten."}
    return base | {
        "outcome": "accommodated",
        "organization_id": agency_id,
        "programme": "Program Peningkatan Infrastruktur Pedesaan",
        "activity": "Pembangunan dan rehabilitasi sarana desa",
        "plan_document": f"RKPD {year + 1}",
        "plan_year": year + 1,
        "amount": 150_000_000 + 5_000_000 * (n % 20),
    }


if __name__ == "__main__":  # python bench/sync_seed.py OUT.json ROWS PHONES MARKS
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    out, rows, phones, marks = sys.argv[1], *map(int, sys.argv[2:5])
    setup(Path(out), rows, phones, marks, [2025, 2026, 2027])
