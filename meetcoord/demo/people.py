"""Demo people: the 24 members of Forum BangKIT, the NTB/Lombok Timur Musrenbang
stakeholders, the Maluku "Satu OPD Satu Desa Binaan" team and a Bappenas directorate.

The names are invented but typical of each region (Sumba, Sasak, Maluku, Javanese); they
are not the officials named in the seed reports. Positions follow how Indonesian agencies
write a jabatan. E-mail addresses are made from the name and the organization's
``.example`` domain (see :func:`email_for`), so no demo mail can reach a real mailbox.

Each table row is ``forum role | organization key | L/P | stakeholder category |
disability (ya/-) | phone | name | position``; a forum role of ``-`` means the person is
in the directory but not a member of the table's forum.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from meetcoord.directory.models import ForumRole, Gender, StakeholderCategory


class P(NamedTuple):
    org: str
    name: str
    position: str
    gender: str
    category: str
    phone: str
    disability: bool = False
    forum: str | None = None
    role: str = "member"


def email_for(name: str, domain: str) -> str:
    """ "Dr. Baiq Rika Ayu Febrilia, M.E." → "baiq.rika.ayu.febrilia@domain"."""
    base = name.split(",")[0]
    words = [w for w in base.split() if not w.endswith(".")]
    plain = (unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in words)
    local = ".".join(re.sub(r"[^a-z0-9]", "", w.lower()) for w in plain)
    return f"{local}@{domain}"


def _table(text: str, forum: str | None = None) -> list[P]:
    rows = []
    for line in text.strip().splitlines():
        role, org, sex, category, disability, phone, name, position = (
            cell.strip() for cell in line.split("|")
        )
        rows.append(
            P(
                org=org,
                name=name,
                position=position,
                gender=Gender.MALE if sex == "L" else Gender.FEMALE,
                category=StakeholderCategory(category),
                phone=phone,
                disability=disability == "ya",
                forum=None if role == "-" else forum,
                role=ForumRole.MEMBER if role == "-" else ForumRole(role),
            )
        )
    return rows


# --- Kabupaten Sumba Barat Daya ------------------------------------------------------------
# Forum BangKIT (SK Bupati SBD Nomor 289/KEP/HK/2023): 24 representatives of the OPD in
# livelihood fields, including four camat.
BANGKIT = _table(
    """
chair     | bappeda_sbd      | L | government | -  | 0812-3790-1101 | Yohanes Bili Kaka, S.E., M.Si. | Kepala Bappeda
secretary | bappeda_sbd      | P | government | -  | 0813-3790-1102 | Maria Goreti Lende, S.T. | Kepala Bidang Perekonomian dan Sumber Daya Alam
member    | bappeda_sbd      | L | government | -  | 0821-4790-1103 | Stefanus Lero Pati, S.P. | Perencana Ahli Muda
member    | distan_sbd       | L | government | -  | 0812-3790-1104 | Agustinus Malo Bulu, S.P., M.Si. | Kepala Bidang Tanaman Pangan dan Hortikultura
member    | distan_sbd       | P | government | -  | 0852-3790-1105 | Kristina Ina Kii, S.P. | Penyuluh Pertanian Ahli Pertama
member    | dpmd_sbd         | L | government | -  | 0812-3790-1106 | Dominggus Tanggu Dendo, S.Sos. | Kepala Bidang Pemberdayaan Masyarakat Desa
member    | dpmd_sbd         | P | government | -  | 0813-3790-1107 | Elisabeth Rambu Ana, S.IP. | Kepala Seksi Pengembangan Ekonomi Desa
member    | dinsos_sbd       | L | government | ya | 0812-3790-1108 | Petrus Ndara Bulu, S.Sos. | Kepala Bidang Pemberdayaan Sosial dan Penanganan Fakir Miskin
member    | dkp_sbd          | L | government | -  | 0821-4790-1109 | Umbu Yakobus Dapa Loka, S.Pi. | Kepala Bidang Perikanan Budidaya
member    | disnak_sbd       | L | government | -  | 0812-3790-1110 | Lukas Ngara Lede, S.Pt. | Kepala Bidang Produksi Ternak
member    | dkukm_sbd        | P | government | -  | 0813-3790-1111 | Martha Dada Kii, S.E. | Kepala Bidang Pemberdayaan Usaha Mikro
member    | disperindag_sbd  | L | government | -  | 0852-3790-1112 | Fransiskus Ngongo, S.E. | Kepala Bidang Perdagangan
member    | dispar_sbd       | P | government | -  | 0812-3790-1113 | Rambu Veronika Ngongo, S.Par. | Kepala Bidang Pengembangan Destinasi Wisata
member    | dlh_sbd          | L | government | -  | 0813-3790-1114 | Benediktus Bora Kaleka, S.Hut. | Kepala Bidang Penataan dan Peningkatan Kapasitas Lingkungan Hidup
member    | dinkes_sbd       | P | government | -  | 0812-3790-1115 | Agnes Tanggu Mete, S.K.M. | Kepala Bidang Kesehatan Masyarakat
member    | dikbud_sbd       | L | government | -  | 0821-4790-1116 | Oktovianus Kaha Bani, S.Pd. | Kepala Bidang Pendidikan Nonformal dan Kesetaraan
member    | dp3a_sbd         | P | government | -  | 0813-3790-1117 | Margaretha Dairo Lalo, S.Sos. | Kepala Bidang Pemberdayaan Perempuan
member    | pangan_sbd       | L | government | -  | 0812-3790-1118 | Simon Pote Leba, S.P. | Kepala Bidang Ketersediaan dan Kerawanan Pangan
member    | bapenda_sbd      | L | government | -  | 0852-3790-1119 | Aloysius Dede Lede, S.E. | Kepala Bidang Pendapatan Daerah
member    | bpkad_sbd        | P | government | -  | 0813-3790-1120 | Yustina Kaka Malo, S.E., M.M. | Kepala Bidang Anggaran
member    | kec_loura        | L | government | -  | 0812-3790-1121 | Paulus Kaleka Bili, S.IP. | Camat Loura
member    | kec_kodi         | L | government | -  | 0821-4790-1122 | Antonius Ndelo Ghoba, S.Sos. | Camat Kodi
member    | kec_kodi_utara   | P | government | -  | 0812-3790-1123 | Rambu Ata Bela, S.IP. | Camat Kodi Utara
member    | kec_wewewa_barat | L | government | -  | 0813-3790-1124 | Yosef Malo Ndapa, S.Sos. | Camat Wewewa Barat
""",  # noqa: E501
    forum="bangkit",
)

SBD_OTHERS = _table(
    """
- | bakti      | P | ngo         | -  | 0811-4190-2201 | Nurhayati Said, S.Sos., M.Si. | Koordinator Program BangKIT
- | bakti      | L | ngo         | -  | 0812-4190-2202 | Andi Muhammad Ridwan, S.P. | Spesialis Penghidupan Berkelanjutan
- | bakti      | L | facilitator | -  | 0813-3790-2203 | Umbu Ndilu Tamo Ama, S.Pd. | Fasilitator Kabupaten Sumba Barat Daya
- | bakti      | P | facilitator | ya | 0852-3790-2204 | Maria Magdalena Bulu, S.Sos. | Fasilitator Kabupaten Sumba Barat Daya
- | pemkab_sbd | L | government  | -  | 0812-3790-2205 | Drs. Markus Lende Ngongo, M.Si. | Asisten Perekonomian dan Pembangunan Setda
""",  # noqa: E501
)

# --- Provinsi NTB and Kabupaten Lombok Timur: Musrenbang synchronisation stakeholders -----
NTB_PEOPLE = _table(
    """
- | bappeda_ntb    | L | government       | -  | 0819-0760-3301 | Ir. Lalu Gede Suparman, M.T. | Kepala Bidang Perencanaan, Pengendalian dan Evaluasi Pembangunan
- | bappeda_ntb    | P | government       | -  | 0818-0360-3302 | Baiq Sri Wahyuni, S.E., M.Si. | Perencana Ahli Muda
- | bappeda_ntb    | L | government       | -  | 0878-6560-3303 | Muhammad Juaini, S.Kom. | Pranata Komputer (operator video konferensi)
- | dlhk_ntb       | L | government       | -  | 0819-0760-3304 | Ahmad Rifa'i, S.Hut., M.Si. | Kepala Bidang Pengendalian Perubahan Iklim
- | bpbd_ntb       | P | government       | -  | 0818-0360-3305 | Husnul Khotimah, S.T. | Kepala Seksi Pencegahan dan Kesiapsiagaan
- | bappeda_lotim  | L | government       | -  | 0819-0760-3306 | Lalu Muhammad Ihsan, S.T., M.Eng. | Kepala Bidang Perencanaan Infrastruktur dan Kewilayahan
- | bappeda_lotim  | P | government       | -  | 0877-6560-3307 | Nurhidayati, S.E. | Perencana Ahli Pertama
- | distan_lotim   | L | government       | -  | 0819-0760-3308 | Zulkarnain, S.P. | Kepala Bidang Prasarana dan Sarana Pertanian
- | bpbd_lotim     | L | government       | -  | 0818-0360-3309 | Sahnan, S.Sos. | Kepala Seksi Rehabilitasi dan Rekonstruksi
- | konsepsi       | L | ngo              | -  | 0819-1760-3310 | Lalu Wira Pratama | Staf Program dan Dokumentasi
- | konsepsi       | P | ngo              | -  | 0818-1360-3311 | Baiq Nurul Aini, S.Sos. | Manajer Program Ketangguhan Iklim
- | islamic_relief | L | ngo              | -  | 0812-1960-3312 | Rizky Ramadhan, S.T. | Program Officer Wilayah NTB
- | himaspi        | L | community_leader | ya | 0823-3960-3313 | Amaq Saharudin | Ketua HIMASPI
- | himaspi        | P | women_leader     | -  | 0823-3960-3314 | Inaq Rohani | Bendahara HIMASPI
- | unram          | L | academia         | -  | 0819-0760-3315 | Dr. Ir. I Made Sukarta, M.Sc. | Dosen Fakultas Pertanian
- | unram          | P | academia         | -  | 0818-0360-3316 | Dr. Baiq Rika Ayu Febrilia, M.E. | Dosen Fakultas Ekonomi dan Bisnis
- | mui_lotim      | L | religious_leader | -  | 0819-0760-3317 | TGH. Lalu Abdul Hakim | Ketua Komisi Pemberdayaan Ekonomi Umat
- | pkk_lotim      | P | women_leader     | -  | 0818-0360-3318 | Hj. Rabiatul Adawiyah, S.Pd. | Ketua Pokja II TP-PKK
- | knpi_lotim     | L | youth_leader     | -  | 0878-6560-3319 | Rizal Fahmi | Wakil Ketua DPD KNPI
- | bank_ntb       | L | private_sector   | -  | 0819-0760-3320 | Ahmad Fauzi, S.E. | Kepala Divisi Pembiayaan UMKM
""",  # noqa: E501
)

# --- Provinsi Maluku: Satu OPD Satu Desa Binaan (SK Gubernur Maluku Nomor 90 Tahun 2023) ---
MALUKU_PEOPLE = _table(
    """
chair      | tgpp_maluku    | L | government       | -  | 0813-4300-4401 | Dr. Abdul Gani Tuasikal, M.Si. | Ketua Tim Gubernur untuk Percepatan Pembangunan
vice_chair | setda_maluku   | L | government       | -  | 0812-4700-4402 | Drs. Johanis Latuheru, M.Si. | Asisten Perekonomian dan Pembangunan (Asisten III) Setda
secretary  | bappeda_maluku | P | government       | -  | 0813-4300-4403 | Ir. Christina Pelupessy, M.T. | Kepala Bidang Pemerintahan dan Pembangunan Manusia
member     | dpmd_maluku    | L | government       | -  | 0812-4700-4404 | Frederik Sahetapy, S.Sos., M.Si. | Kepala Dinas Pemberdayaan Masyarakat dan Desa
member     | dinsos_maluku  | P | government       | -  | 0813-4300-4405 | Siti Rahma Tuanaya, S.Sos. | Kepala Dinas Sosial
member     | dkukm_maluku   | L | government       | -  | 0812-4700-4406 | Ismail Marasabessy, S.E., M.M. | Kepala Dinas Koperasi dan UKM
member     | dkp_maluku     | L | government       | -  | 0813-4300-4407 | Ir. Ronald Leiwakabessy, M.Si. | Kepala Dinas Kelautan dan Perikanan
member     | distan_maluku  | L | government       | -  | 0812-4700-4408 | Ir. Nus Tuhumury | Kepala Dinas Tanaman Pangan, Hortikultura dan Perkebunan
member     | dinkes_maluku  | P | government       | -  | 0813-4300-4409 | dr. Elsye Matulessy, M.Kes. | Kepala Dinas Kesehatan
member     | dikbud_maluku  | L | government       | -  | 0812-4700-4410 | Dr. Jacob Wattimena, M.Pd. | Kepala Dinas Pendidikan dan Kebudayaan
member     | pupr_maluku    | L | government       | -  | 0813-4300-4411 | Ir. Hasan Ohorella, M.T. | Kepala Dinas Pekerjaan Umum dan Penataan Ruang
-          | tgpp_maluku    | P | government       | ya | 0812-4700-4412 | Fatma Sopalatu, S.E. | Anggota TGPP Bidang Ekonomi dan Penanggulangan Kemiskinan
-          | baznas_maluku  | L | religious_leader | -  | 0813-4300-4413 | H. Muhammad Rumra, Lc., M.A. | Ketua Baznas Provinsi Maluku
-          | dpmd_maluku    | P | government       | -  | 0812-4700-4414 | Theresia Pattiasina, S.IP. | Kepala Bidang Pengembangan Kawasan Perdesaan
""",  # noqa: E501
    forum="satu_opd",
)

# --- Bappenas, Kedeputian Pemantauan, Evaluasi dan Pengendalian Pembangunan ---------------
BAPPENAS_PEOPLE = _table(
    """
- | bappenas_pep | L | government | - | 0811-1900-5501 | Dr. Bambang Wicaksono, M.Sc. | Direktur Pemantauan, Evaluasi dan Pengendalian Pembangunan Daerah
- | bappenas_pep | P | government | - | 0812-8800-5502 | Sri Handayani, S.E., M.P.P. | Perencana Ahli Madya
- | bappenas_pep | P | government | - | 0813-1900-5503 | Dwi Astuti Rahayu, S.Si., M.E. | Perencana Ahli Muda
- | bappenas_pep | L | government | - | 0811-8800-5504 | Agus Setiawan, S.Kom. | Analis Data dan Informasi
""",  # noqa: E501
)

PEOPLE: list[P] = BANGKIT + SBD_OTHERS + NTB_PEOPLE + MALUKU_PEOPLE + BAPPENAS_PEOPLE
