"""Demo planning data from the three seed situations (issue 14).

- Forum BangKIT, Sumba Barat Daya (seed 001): village livelihood plans (Rencana
  Penghidupan Masyarakat Desa) of six villages, synchronised with the OPD work plans at the
  forum's second coordination meeting on 15 March 2024 in Tambolaka — RKPD 2024 where a
  locus was still open, the rest carried to Musrenbangcam/Musrenbangkab for 2025. The
  matrix has accommodated, carried, merged and refused rows, some confirmed by the agency
  and one disputed.
- Lombok Timur and NTB (seed 002): HIMASPI's climate-adaptation programme from the
  February 2020 semiloka, fifteen proposals for six coastal and upland villages, carried to
  the Musrenbang Kabupaten Lombok Timur or the Musrenbang Provinsi NTB. They belong to
  BAPPEDA NTB, which hosts that work with BAPPEDA Lombok Timur.
- Maluku (seed 003): five of the fourteen underdeveloped villages of "Satu OPD Satu Desa
  Binaan", their IDM for 2022–2024 and the agency guiding each, by SK Gubernur Maluku
  Nomor 90 Tahun 2023 (the decree's day below is illustrative; the seed gives the year).

Villages go through the directory service (audited like the other demo organizations);
proposals, marks, IDM rows and assignments are written as rows, as an import would. Every
row is looked up before it is made, so loading twice adds nothing.
"""

# ruff: noqa: E501  (the seed tables read one row a line)

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from meetcoord.access.models import Institution
from meetcoord.accounts.models import User
from meetcoord.core import audit
from meetcoord.core.cleaning import name_key
from meetcoord.demo.meetings import forum_meeting
from meetcoord.directory import services as directory
from meetcoord.directory.models import Forum, Organization, Venue
from meetcoord.extensions import db
from meetcoord.meetings import agenda
from meetcoord.meetings import services as meetings
from meetcoord.meetings.models import AgendaKind, Meeting, MeetingStatus
from meetcoord.planning.models import (
    Confirmation,
    FundSource,
    GuidanceAssignment,
    IdmStatus,
    MarkOutcome,
    PlanningForum,
    Proposal,
    ProposalField,
    ProposalStatus,
    ProposerKind,
    SyncMark,
    VillageIndex,
)

__all__ = ["DECREE", "LOTIM_MEETING", "SBD_MEETING", "idm_status", "load_planning"]

SBD_REGION = "Kabupaten Sumba Barat Daya"
LOTIM_REGION = "Kabupaten Lombok Timur"
SBD_MEETING = (
    "Rapat Koordinasi II Forum Program BangKIT: Sinkronisasi Perencanaan OPD dengan "
    "Rencana Penghidupan Masyarakat Desa"
)
LOTIM_MEETING = (
    "Semiloka Perencanaan Partisipatif HIMASPI: Usulan Adaptasi Perubahan Iklim untuk "
    "Musrenbang 2020"
)
DECREE = "SK Gubernur Maluku Nomor 90 Tahun 2023"
DECREE_DATE = date(2023, 4, 10)
MARKED_BY = "Notulis Forum BangKIT"

# name, parent (demo organization key), region
VILLAGES = (
    ("Desa Karuni", "kec_loura", f"Kecamatan Loura, {SBD_REGION}"),
    ("Desa Lete Konda", "kec_loura", f"Kecamatan Loura, {SBD_REGION}"),
    ("Desa Waimangura", "kec_wewewa_barat", f"Kecamatan Wewewa Barat, {SBD_REGION}"),
    ("Desa Kalembu Ndara Mane", "kec_wewewa_barat", f"Kecamatan Wewewa Barat, {SBD_REGION}"),
    ("Desa Pero Batang", "kec_kodi", f"Kecamatan Kodi, {SBD_REGION}"),
    ("Desa Hameli Ate", "kec_kodi_utara", f"Kecamatan Kodi Utara, {SBD_REGION}"),
    ("Desa Tanjung Luar", "pemkab_lotim", f"Kecamatan Keruak, {LOTIM_REGION}"),
    ("Desa Ekas Buana", "pemkab_lotim", f"Kecamatan Jerowaru, {LOTIM_REGION}"),
    ("Desa Sekaroh", "pemkab_lotim", f"Kecamatan Jerowaru, {LOTIM_REGION}"),
    ("Desa Pringgabaya", "pemkab_lotim", f"Kecamatan Pringgabaya, {LOTIM_REGION}"),
    ("Desa Labuhan Lombok", "pemkab_lotim", f"Kecamatan Pringgabaya, {LOTIM_REGION}"),
    ("Desa Sembalun Lawang", "pemkab_lotim", f"Kecamatan Sembalun, {LOTIM_REGION}"),
    ("Desa Ustutun", None, "Kabupaten Maluku Barat Daya, Maluku"),
    ("Desa Ilwaki", None, "Kabupaten Maluku Barat Daya, Maluku"),
    ("Desa Adaut", None, "Kabupaten Kepulauan Tanimbar, Maluku"),
    ("Desa Jerol", None, "Kabupaten Kepulauan Aru, Maluku"),
    ("Desa Kilwaru", None, "Kabupaten Seram Bagian Timur, Maluku"),
)

E, S, INFRA, G = (
    ProposalField.ECONOMY,
    ProposalField.SOCIAL_CULTURE,
    ProposalField.INFRASTRUCTURE,
    ProposalField.GOVERNANCE,
)
DISTAN = "Program Penyediaan dan Pengembangan Sarana Pertanian"
# ref, village, title, field, sector, budget, year, mark:
#   ("acc", agency, programme, activity, amount, confirmation[, note]) | ("carry", forum)
#   | ("merge", ref) | ("not", reason) | None (submitted, not discussed yet)
# fmt: off
SBD_PROPOSALS: tuple[tuple[Any, ...], ...] = (
    ("RPMD-01", "Desa Karuni", "Pengembangan kebun sayur kelompok wanita tani", E, "Pertanian", 45_000_000, 2024, ("acc", "distan_sbd", DISTAN, "Penyediaan benih hortikultura dan pupuk organik", 38_500_000, Confirmation.CONFIRMED)),
    ("RPMD-02", "Desa Karuni", "Pengadaan bibit babi dan vaksin untuk kelompok ternak", E, "Peternakan", 60_000_000, 2024, ("acc", "disnak_sbd", "Program Penyediaan dan Pengembangan Sarana Peternakan", "Penyediaan bibit ternak dan obat hewan", 52_000_000, Confirmation.CONFIRMED)),
    ("RPMD-03", "Desa Karuni", "Pelatihan pengolahan pangan lokal: keripik ubi dan teh kelor", E, "UMKM", 25_000_000, 2024, ("acc", "dkukm_sbd", "Program Pemberdayaan Usaha Menengah, Usaha Kecil, dan Usaha Mikro", "Pelatihan kewirausahaan dan pengemasan produk", 20_000_000, Confirmation.DISPUTED, "Pagu kegiatan 2024 sudah terbagi ke desa lain; diusulkan dalam Renja 2025.")),
    ("RPMD-04", "Desa Lete Konda", "Pembangunan embung desa untuk irigasi musim kemarau", INFRA, "Sumber daya air", 350_000_000, 2025, ("carry", PlanningForum.MUSRENBANGKAB)),
    ("RPMD-05", "Desa Lete Konda", "Pendampingan budidaya jagung hibrida dan alat pascapanen", E, "Pertanian", 48_000_000, 2024, ("acc", "distan_sbd", DISTAN, "Pendampingan budidaya jagung dan bantuan alat pascapanen", 30_000_000, Confirmation.PENDING)),
    ("RPMD-06", "Desa Lete Konda", "Pengadaan mesin perontok jagung untuk kelompok tani", E, "Pertanian", 22_000_000, 2024, ("merge", "RPMD-05")),
    ("RPMD-07", "Desa Waimangura", "Kebun gizi keluarga berbahan pangan lokal", E, "Ketahanan pangan", 30_000_000, 2024, ("acc", "pangan_sbd", "Program Peningkatan Diversifikasi dan Ketahanan Pangan Masyarakat", "Pengembangan pekarangan pangan lestari", 27_500_000, Confirmation.CONFIRMED)),
    ("RPMD-08", "Desa Waimangura", "Pelatihan tenun ikat dan pemasaran kain Sumba", E, "Industri kecil", 40_000_000, 2024, ("acc", "disperindag_sbd", "Program Pengembangan Industri", "Pelatihan tenun dan fasilitasi pemasaran produk", 35_000_000, Confirmation.CONFIRMED)),
    ("RPMD-09", "Desa Waimangura", "Rehabilitasi jalan usaha tani sepanjang 1,2 km", INFRA, "Jalan", 480_000_000, 2025, ("carry", PlanningForum.MUSRENBANGKAB)),
    ("RPMD-10", "Desa Waimangura", "Pembentukan koperasi produsen kopi", G, "Kelembagaan ekonomi", 15_000_000, 2025, ("carry", PlanningForum.MUSRENBANGCAM)),
    ("RPMD-11", "Desa Kalembu Ndara Mane", "Pengembangan budidaya kopi arabika", E, "Perkebunan", 40_000_000, 2024, ("acc", "distan_sbd", DISTAN, "Penyediaan bibit kopi dan pelatihan pascapanen", 36_000_000, Confirmation.PENDING)),
    ("RPMD-12", "Desa Kalembu Ndara Mane", "Pembangunan rumah pengering kopi", INFRA, "Perkebunan", 120_000_000, 2024, ("not", "kegiatan fisik ini tidak tersedia dalam Renja Dinas Pertanian 2024; disarankan melalui Dana Desa (APBDes) 2025")),
    ("RPMD-13", "Desa Kalembu Ndara Mane", "Pelatihan pembukuan dan tata kelola BUMDes", G, "Kelembagaan desa", 12_000_000, 2024, ("acc", "dpmd_sbd", "Program Pemberdayaan Lembaga Kemasyarakatan, Lembaga Adat dan Masyarakat Hukum Adat", "Peningkatan kapasitas pengelola BUMDes", 10_000_000, Confirmation.CONFIRMED)),
    ("RPMD-14", "Desa Pero Batang", "Pengadaan perahu motor dan alat tangkap untuk nelayan kecil", E, "Perikanan", 150_000_000, 2024, ("acc", "dkp_sbd", "Program Pengelolaan Perikanan Tangkap", "Bantuan sarana penangkapan ikan bagi nelayan kecil", 120_000_000, Confirmation.CONFIRMED)),
    ("RPMD-15", "Desa Pero Batang", "Pelatihan pengolahan ikan asin dan abon ikan", E, "Perikanan", 20_000_000, 2025, ("carry", PlanningForum.MUSRENBANGCAM)),
    ("RPMD-16", "Desa Pero Batang", "Pengembangan wisata pantai berbasis masyarakat", E, "Pariwisata", 75_000_000, 2024, ("not", "desa belum masuk kawasan strategis dalam RIPPARDA; Dinas Pariwisata mendampingi penyusunan profil desa wisata")),
    ("RPMD-17", "Desa Hameli Ate", "Pompa air tenaga surya untuk kebun kelompok", INFRA, "Air baku", 95_000_000, 2025, ("carry", PlanningForum.MUSRENBANGKAB)),
    ("RPMD-18", "Desa Hameli Ate", "Bantuan bibit ayam kampung untuk rumah tangga miskin", S, "Perlindungan sosial", 30_000_000, 2024, ("acc", "dinsos_sbd", "Program Pemberdayaan Sosial", "Bantuan usaha ekonomi produktif bagi keluarga miskin", 25_000_000, Confirmation.PENDING)),
    ("RPMD-19", "Desa Hameli Ate", "Pelatihan kader posyandu tentang pangan lokal bergizi", S, "Kesehatan", 10_000_000, 2025, None),
    ("RPMD-20", "Desa Lete Konda", "Sekolah lapang iklim untuk kelompok tani perempuan", E, "Pertanian", 18_000_000, 2025, None),
)
KAB, PROV = PlanningForum.MUSRENBANGKAB, PlanningForum.MUSRENBANGPROV
# ref, village, title, field, budget, forum it was carried to
LOTIM_PROPOSALS: tuple[tuple[Any, ...], ...] = (
    ("HMS-01", "Desa Tanjung Luar", "Penanaman mangrove di pesisir Tanjung Luar", INFRA, 85_000_000, PROV),
    ("HMS-02", "Desa Tanjung Luar", "Pembangunan tanggul penahan abrasi pantai", INFRA, 650_000_000, PROV),
    ("HMS-03", "Desa Tanjung Luar", "Pelatihan olahan hasil laut bagi perempuan nelayan", E, 35_000_000, KAB),
    ("HMS-04", "Desa Ekas Buana", "Sumur resapan dan penampungan air hujan", INFRA, 120_000_000, KAB),
    ("HMS-05", "Desa Ekas Buana", "Budidaya rumput laut tahan cuaca ekstrem", E, 60_000_000, PROV),
    ("HMS-06", "Desa Ekas Buana", "Sekolah lapang iklim bagi petani lahan kering", E, 40_000_000, KAB),
    ("HMS-07", "Desa Sekaroh", "Rehabilitasi hutan lindung Sekaroh dengan tanaman buah", INFRA, 150_000_000, PROV),
    ("HMS-08", "Desa Sekaroh", "Tandon air bersih untuk dusun rawan kekeringan", INFRA, 90_000_000, KAB),
    ("HMS-09", "Desa Pringgabaya", "Sistem peringatan dini banjir di daerah aliran sungai", G, 110_000_000, KAB),
    ("HMS-10", "Desa Pringgabaya", "Normalisasi saluran irigasi tersier", INFRA, 200_000_000, KAB),
    ("HMS-11", "Desa Pringgabaya", "Pelatihan Desa Tangguh Bencana (Destana)", S, 45_000_000, PROV),
    ("HMS-12", "Desa Labuhan Lombok", "Penguatan kelompok siaga bencana pesisir", S, 30_000_000, KAB),
    ("HMS-13", "Desa Labuhan Lombok", "Penanaman cemara laut sebagai sabuk pantai", INFRA, 70_000_000, PROV),
    ("HMS-14", "Desa Sembalun Lawang", "Hortikultura ramah iklim dengan pupuk organik", E, 55_000_000, KAB),
    ("HMS-15", "Desa Sembalun Lawang", "Konservasi mata air di kawasan hutan Sembalun", INFRA, 95_000_000, PROV),
)
# fmt: on
# village, guiding agency (demo key), IDM score 2022, 2023, 2024
MALUKU_VILLAGES = (
    ("Desa Ustutun", "dpmd_maluku", ("0.4718", "0.4862", "0.5127")),
    ("Desa Ilwaki", "dinsos_maluku", ("0.5034", "0.5261", "0.5512")),
    ("Desa Adaut", "dkp_maluku", ("0.4873", "0.5098", "0.5436")),
    ("Desa Jerol", "dkukm_maluku", ("0.5317", "0.5544", "0.5825")),
    ("Desa Kilwaru", "distan_maluku", ("0.5702", "0.5956", "0.6148")),
)
# The Kemendesa thresholds: at most this score, this status (above the last: mandiri).
IDM_THRESHOLDS = (
    (Decimal("0.4907"), IdmStatus.VERY_UNDERDEVELOPED),
    (Decimal("0.5989"), IdmStatus.UNDERDEVELOPED),
    (Decimal("0.7072"), IdmStatus.DEVELOPING),
    (Decimal("0.8155"), IdmStatus.ADVANCED),
)
COUNTED = ("sync meetings", "proposals", "sync marks", "village indexes", "guidance assignments")
STATUS_OF = {
    "acc": ProposalStatus.ACCOMMODATED,
    "carry": ProposalStatus.CARRIED,
    "merge": ProposalStatus.MERGED,
    "not": ProposalStatus.NOT_ACCOMMODATED,
}


def idm_status(score: Decimal) -> IdmStatus:
    """The IDM class of ``score`` (so the demo's statuses agree with its scores)."""
    for limit, status in IDM_THRESHOLDS:
        if score <= limit:
            return status
    return IdmStatus.INDEPENDENT


class _Planning:
    def __init__(
        self,
        actor: User,
        institutions: dict[str, Institution],
        orgs: dict[str, Organization],
        created: dict[str, int],
    ) -> None:
        self.actor, self.institutions, self.orgs, self.created = actor, institutions, orgs, created
        for key in (
            "sync meetings",
            "proposals",
            "sync marks",
            "village indexes",
            "guidance assignments",
        ):
            created.setdefault(key, 0)
        self.villages: dict[str, Organization] = {}

    def villages_(self) -> None:
        for name, parent, region in VILLAGES:
            org = db.session.scalar(select(Organization).where(Organization.name == name))
            if org is None:
                data = {"name": name, "kind": "community", "level": "village", "region": region}
                if parent:
                    data["parent_id"] = self.orgs[parent].id
                org = directory.save_organization(self.actor, data)
                self.created["organizations"] += 1
            self.villages[name] = org

    def meeting(self, title: str, make: Any) -> tuple[Meeting, int]:
        """The held meeting ``title`` (made by ``make`` and closed) and its matrix item."""
        meeting = db.session.scalar(select(Meeting).where(Meeting.title == title))
        if meeting is None:
            meeting = make()
            meeting.status = MeetingStatus.CLOSED
            audit.record(self.actor, "close", meeting, f"demo meeting held (planning): {title}")
            meetings.commit()
            self.created["sync meetings"] += 1
        item = next(i for i in meeting.agenda if i.kind is AgendaKind.SYNC_MATRIX)
        return meeting, item.id

    def sbd_meeting(self, forum: Forum, staff: User) -> Meeting:
        return forum_meeting(
            staff,
            forum,
            title=SBD_MEETING,
            purpose="Menyepakati sinkronisasi Rencana Penghidupan Masyarakat Desa dengan "
            "perencanaan OPD untuk RKPD 2024 dan Musrenbang 2025.",
            start=datetime(2024, 3, 15, 9, 0),  # noqa: DTZ001  (wall clock, WITA)
            linked=[],
            agenda_rows=(
                ("Pembukaan dan arahan Kepala Bappeda", 15, "presentation"),
                ("Kesepakatan rencana penghidupan masyarakat desa", 45, "presentation"),
                ("Sinkronisasi rencana penghidupan desa dengan perencanaan OPD", 90, "sync_matrix"),
            ),
        )

    def lotim_meeting(self) -> Meeting:
        venues = {v.name: v for v in db.session.scalars(select(Venue))}
        meeting = meetings.create_meeting(
            self.actor,
            {
                "title": LOTIM_MEETING,
                "kind": "musrenbang_sync",
                "purpose": "Menetapkan program kerja HIMASPI yang dibawa ke Musrenbang "
                "Kabupaten Lombok Timur dan Musrenbang Provinsi NTB.",
                "host_venue_id": venues["Ruang Rapat BAPPEDA Kabupaten Lombok Timur, Selong"].id,
                "institution_id": self.institutions["ntb"].id,
                "cohost_institution_id": self.institutions["lotim"].id,
                "start_at": "2020-02-18T09:00",
                "end_at": "2020-02-18T15:00",
            },
        )
        for title, minutes, kind in (
            ("Paparan kajian kerentanan iklim desa pesisir", 60, "presentation"),
            ("Penetapan usulan untuk Musrenbang kabupaten dan provinsi", 120, "sync_matrix"),
        ):
            agenda.add_agenda_item(
                self.actor, meeting, {"title": title, "planned_minutes": minutes, "kind": kind}
            )
        return meeting

    def proposal(self, institution: Institution, ref: str, **fields: Any) -> Proposal:
        found = db.session.scalar(
            select(Proposal).where(
                Proposal.institution_id == institution.id, Proposal.external_ref == ref
            )
        )
        if found is None:
            found = Proposal(
                institution_id=institution.id,
                external_ref=ref,
                title_key=name_key(fields["title"]),
                created_by_id=self.actor.id,
                **fields,
            )
            db.session.add(found)
            db.session.flush()
            self.created["proposals"] += 1
        return found

    def mark(self, meeting: Meeting, item_id: int, proposal: Proposal, **fields: Any) -> None:
        exists = db.session.scalar(
            select(SyncMark.id).where(
                SyncMark.meeting_id == meeting.id, SyncMark.proposal_id == proposal.id
            )
        )
        if exists is None:
            at = meeting.start_at + timedelta(minutes=90 + self.created["sync marks"] % 60)
            db.session.add(
                SyncMark(
                    meeting_id=meeting.id,
                    agenda_item_id=item_id,
                    proposal_id=proposal.id,
                    marked_by=MARKED_BY,
                    marked_at=at,
                    **fields,
                )
            )
            self.created["sync marks"] += 1

    def sbd(self, forum: Forum, staff: User) -> None:
        inst = self.institutions["sbd"]
        meeting, item = self.meeting(SBD_MEETING, lambda: self.sbd_meeting(forum, staff))
        made: dict[str, Proposal] = {}
        for ref, village, title, field, sector, budget, year, spec in SBD_PROPOSALS:
            made[ref] = self.proposal(
                inst,
                f"BANGKIT-{ref}",
                title=title,
                proposer_kind=ProposerKind.VILLAGE,
                proposer_name=f"Pemerintah {village}",
                village_id=self.villages[village].id,
                field=field,
                sector=sector,
                budget=budget,
                fund_source=FundSource.APBD_REGENCY,
                source_document=f"Rencana Penghidupan Masyarakat {village} 2024",
                plan_year=year,
                priority_score=Decimal(95 - int(ref[-2:]) * 2),
                status=STATUS_OF[spec[0]] if spec else ProposalStatus.SUBMITTED,
            )
            if spec is None:
                continue
            self.mark(meeting, item, made[ref], **self.sbd_fields(spec, made, meeting))
        made["RPMD-06"].merged_into_id = made["RPMD-05"].id

    def sbd_fields(self, spec: tuple[Any, ...], made: dict[str, Proposal], meeting: Meeting) -> Any:
        kind = spec[0]
        if kind == "carry":
            return {"outcome": MarkOutcome.CARRIED, "carried_to": spec[1], "plan_year": 2025}
        if kind == "merge":
            return {"outcome": MarkOutcome.MERGED, "merged_with_id": made[spec[1]].id}
        if kind == "not":
            return {"outcome": MarkOutcome.NOT_ACCOMMODATED, "reason": spec[1]}
        _, agency, programme, activity, amount, confirmation, *note = spec
        answered = confirmation is not Confirmation.PENDING
        return {
            "outcome": MarkOutcome.ACCOMMODATED,
            "organization_id": self.orgs[agency].id,
            "programme": programme,
            "activity": activity,
            "plan_document": "RKPD 2024",
            "plan_year": 2024,
            "amount": amount,
            "confirmation": confirmation,
            "confirmation_note": note[0] if note else None,
            "confirmed_by": f"Perwakilan {self.orgs[agency].short_name}" if answered else None,
            "confirmed_at": meeting.start_at + timedelta(hours=2) if answered else None,
        }

    def lotim(self) -> None:
        inst = self.institutions["ntb"]
        meeting, item = self.meeting(LOTIM_MEETING, self.lotim_meeting)
        for ref, village, title, field, budget, forum in LOTIM_PROPOSALS:
            proposal = self.proposal(
                inst,
                ref,
                title=title,
                proposer_kind=ProposerKind.COMMUNITY_GROUP,
                proposer_name="Himpunan Masyarakat Siaga Perubahan Iklim (HIMASPI)",
                village_id=self.villages[village].id,
                field=field,
                sector="Adaptasi perubahan iklim",
                budget=budget,
                fund_source=(
                    FundSource.APBD_PROVINCE if forum is PROV else FundSource.APBD_REGENCY
                ),
                source_document="Hasil Semiloka HIMASPI, Februari 2020",
                plan_year=2021,
                status=ProposalStatus.CARRIED,
            )
            self.mark(
                meeting,
                item,
                proposal,
                outcome=MarkOutcome.CARRIED,
                carried_to=forum,
                plan_year=2021,
            )

    def maluku(self) -> None:
        inst = self.institutions["maluku"]
        for village_name, agency, scores in MALUKU_VILLAGES:
            village = self.villages[village_name]
            for year, raw in zip((2022, 2023, 2024), scores, strict=True):
                found = db.session.scalar(
                    select(VillageIndex.id).where(
                        VillageIndex.village_id == village.id, VillageIndex.year == year
                    )
                )
                if found is None:
                    score = Decimal(raw)
                    db.session.add(
                        VillageIndex(
                            village_id=village.id,
                            year=year,
                            score=score,
                            status=idm_status(score),
                            source=f"Indeks Desa Membangun {year}, Kementerian Desa PDTT",
                        )
                    )
                    self.created["village indexes"] += 1
            org = self.orgs[agency]
            found = db.session.scalar(
                select(GuidanceAssignment.id).where(
                    GuidanceAssignment.organization_id == org.id,
                    GuidanceAssignment.village_id == village.id,
                    GuidanceAssignment.decree_number == DECREE,
                )
            )
            if found is None:
                db.session.add(
                    GuidanceAssignment(
                        institution_id=inst.id,
                        organization_id=org.id,
                        village_id=village.id,
                        starts_on=DECREE_DATE,
                        decree_number=DECREE,
                        decree_date=DECREE_DATE,
                    )
                )
                self.created["guidance assignments"] += 1


def load_planning(
    actor: User | None,
    institutions: dict[str, Institution],
    orgs: dict[str, Organization],
    forums: dict[str, Forum],
    created: dict[str, int],
) -> None:
    """Add the three seed situations' planning data; counts go into ``created``."""
    from meetcoord.accounts.services import find_by_email
    from meetcoord.demo.past_meeting import SECRETARIAT_EMAIL

    staff = find_by_email(SECRETARIAT_EMAIL)
    if actor is None or staff is None:
        return
    loader = _Planning(actor, institutions, orgs, created)
    loader.villages_()
    loader.sbd(forums["bangkit"], staff)
    loader.lotim()
    loader.maluku()
    db.session.commit()
