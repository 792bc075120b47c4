"""Demo agencies (organizations), drawn from the four seed meeting reports.

- Forum BangKIT in Kabupaten Sumba Barat Daya (SK Bupati SBD Nomor 289/KEP/HK/2023),
  run by Bappeda SBD with Yayasan BaKTI as the program implementer (WITA);
- the Musrenbang synchronisation between BAPPEDA Provinsi NTB (Mataram) and BAPPEDA
  Kabupaten Lombok Timur (Selong) with OPD, NGOs, academics, religious, women's and youth
  leaders and a bank (WITA);
- the Maluku "Satu OPD Satu Desa Binaan" coordination in Ambon (SK Gubernur Maluku
  Nomor 90 Tahun 2023), facilitated by TGPP (WIT);
- Bappenas in Jakarta, Kedeputian Pemantauan, Evaluasi dan Pengendalian Pembangunan (WIB).

Each organization has a ``key`` (used inside this package only), an optional ``parent``
key, and a ``domain`` from which demo e-mail addresses are made. The domains end in
``.example`` (RFC 2606) so that no demo invitation can ever reach a real mailbox.
Forums are in ``forums.py``, venues in ``venues.py``.
"""

from __future__ import annotations

from typing import Any

SBD = "Kabupaten Sumba Barat Daya, Nusa Tenggara Timur"
NTB = "Provinsi Nusa Tenggara Barat"
LOTIM = "Kabupaten Lombok Timur, Nusa Tenggara Barat"
MALUKU = "Provinsi Maluku"
SBD_OFFICES = "Kompleks Perkantoran Pemerintah Kabupaten Sumba Barat Daya, Tambolaka"


def _opd(key: str, name: str, short: str, parent: str, region: str, domain: str) -> dict[str, Any]:
    return {
        "key": key,
        "name": name,
        "short_name": short,
        "kind": "opd",
        "level": "province" if region in (NTB, MALUKU) else "regency",
        "parent": parent,
        "region": region,
        "domain": domain,
    }


ORGANIZATIONS: list[dict[str, Any]] = [
    # --- Kabupaten Sumba Barat Daya (Tambolaka, WITA) -----------------------------------
    {
        "key": "pemkab_sbd",
        "name": "Pemerintah Kabupaten Sumba Barat Daya",
        "short_name": "Pemkab SBD",
        "kind": "opd",
        "level": "regency",
        "region": SBD,
        "address": SBD_OFFICES,
        "domain": "sbd.example",
    },
    {
        "key": "bappeda_sbd",
        "name": "Badan Perencanaan Pembangunan Daerah Kabupaten Sumba Barat Daya",
        "short_name": "Bappeda SBD",
        "kind": "opd",
        "level": "regency",
        "parent": "pemkab_sbd",
        "region": SBD,
        "address": SBD_OFFICES,
        "email": "sekretariat@bappeda.sbd.example",
        "phone": "0387-2524-010",
        "domain": "bappeda.sbd.example",
    },
    *(
        _opd(key, f"{name} Kabupaten Sumba Barat Daya", short, "pemkab_sbd", SBD, domain)
        for key, name, short, domain in (
            ("distan_sbd", "Dinas Pertanian", "Distan SBD", "pertanian.sbd.example"),
            (
                "dpmd_sbd",
                "Dinas Pemberdayaan Masyarakat dan Desa",
                "DPMD SBD",
                "dpmd.sbd.example",
            ),
            ("dinsos_sbd", "Dinas Sosial", "Dinsos SBD", "dinsos.sbd.example"),
            ("dkp_sbd", "Dinas Kelautan dan Perikanan", "DKP SBD", "dkp.sbd.example"),
            ("disnak_sbd", "Dinas Peternakan", "Disnak SBD", "peternakan.sbd.example"),
            (
                "dkukm_sbd",
                "Dinas Koperasi dan UKM",
                "Dinas Koperasi dan UKM SBD",
                "kukm.sbd.example",
            ),
            (
                "disperindag_sbd",
                "Dinas Perindustrian dan Perdagangan",
                "Disperindag SBD",
                "disperindag.sbd.example",
            ),
            ("dispar_sbd", "Dinas Pariwisata", "Dispar SBD", "pariwisata.sbd.example"),
            ("dlh_sbd", "Dinas Lingkungan Hidup", "DLH SBD", "dlh.sbd.example"),
            ("dinkes_sbd", "Dinas Kesehatan", "Dinkes SBD", "dinkes.sbd.example"),
            ("dikbud_sbd", "Dinas Pendidikan", "Dinas Pendidikan SBD", "pendidikan.sbd.example"),
            (
                "dp3a_sbd",
                "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
                "DP3A SBD",
                "dp3a.sbd.example",
            ),
            (
                "pangan_sbd",
                "Dinas Ketahanan Pangan",
                "Dinas Ketahanan Pangan SBD",
                "pangan.sbd.example",
            ),
            ("bapenda_sbd", "Badan Pendapatan Daerah", "Bapenda SBD", "bapenda.sbd.example"),
            (
                "bpkad_sbd",
                "Badan Pengelolaan Keuangan dan Aset Daerah",
                "BPKAD SBD",
                "bpkad.sbd.example",
            ),
            ("kec_loura", "Kecamatan Loura", "Kec. Loura", "loura.sbd.example"),
            ("kec_kodi", "Kecamatan Kodi", "Kec. Kodi", "kodi.sbd.example"),
            ("kec_kodi_utara", "Kecamatan Kodi Utara", "Kec. Kodi Utara", "kodiutara.sbd.example"),
            (
                "kec_wewewa_barat",
                "Kecamatan Wewewa Barat",
                "Kec. Wewewa Barat",
                "wewewabarat.sbd.example",
            ),
        )
    ),
    {
        "key": "bakti",
        "name": "Yayasan BaKTI (Bursa Pengetahuan Kawasan Timur Indonesia)",
        "short_name": "Yayasan BaKTI",
        "kind": "ngo",
        "level": "national",
        "region": "Makassar, Sulawesi Selatan",
        "address": "Jl. H.A. Mappanyukki No. 32, Makassar",
        "email": "bangkit@bakti.example",
        "domain": "bakti.example",
    },
    # --- Provinsi NTB (Mataram) and Kabupaten Lombok Timur (Selong), WITA ---------------
    {
        "key": "pemprov_ntb",
        "name": "Pemerintah Provinsi Nusa Tenggara Barat",
        "short_name": "Pemprov NTB",
        "kind": "opd",
        "level": "province",
        "region": NTB,
        "address": "Jl. Pejanggik No. 12, Mataram",
        "domain": "ntbprov.example",
    },
    {
        "key": "bappeda_ntb",
        "name": "Badan Perencanaan Pembangunan Daerah Provinsi Nusa Tenggara Barat",
        "short_name": "BAPPEDA Provinsi NTB",
        "kind": "opd",
        "level": "province",
        "parent": "pemprov_ntb",
        "region": NTB,
        "address": "Jl. Pejanggik No. 12, Mataram",
        "email": "sekretariat@bappeda.ntbprov.example",
        "phone": "0370-621-358",
        "domain": "bappeda.ntbprov.example",
    },
    _opd(
        "dlhk_ntb",
        "Dinas Lingkungan Hidup dan Kehutanan Provinsi Nusa Tenggara Barat",
        "DLHK NTB",
        "pemprov_ntb",
        NTB,
        "dlhk.ntbprov.example",
    ),
    _opd(
        "bpbd_ntb",
        "Badan Penanggulangan Bencana Daerah Provinsi Nusa Tenggara Barat",
        "BPBD NTB",
        "pemprov_ntb",
        NTB,
        "bpbd.ntbprov.example",
    ),
    {
        "key": "pemkab_lotim",
        "name": "Pemerintah Kabupaten Lombok Timur",
        "short_name": "Pemkab Lombok Timur",
        "kind": "opd",
        "level": "regency",
        "region": LOTIM,
        "address": "Jl. Pahlawan, Selong",
        "domain": "lotim.example",
    },
    {
        "key": "bappeda_lotim",
        "name": "Badan Perencanaan Pembangunan Daerah Kabupaten Lombok Timur",
        "short_name": "BAPPEDA Lombok Timur",
        "kind": "opd",
        "level": "regency",
        "parent": "pemkab_lotim",
        "region": LOTIM,
        "address": "Jl. Pahlawan, Selong",
        "email": "sekretariat@bappeda.lotim.example",
        "domain": "bappeda.lotim.example",
    },
    _opd(
        "distan_lotim",
        "Dinas Pertanian Kabupaten Lombok Timur",
        "Distan Lombok Timur",
        "pemkab_lotim",
        LOTIM,
        "pertanian.lotim.example",
    ),
    _opd(
        "bpbd_lotim",
        "Badan Penanggulangan Bencana Daerah Kabupaten Lombok Timur",
        "BPBD Lombok Timur",
        "pemkab_lotim",
        LOTIM,
        "bpbd.lotim.example",
    ),
    {
        "key": "konsepsi",
        "name": "Konsorsium untuk Studi dan Pengembangan Partisipasi (KONSEPSI) NTB",
        "short_name": "KONSEPSI NTB",
        "kind": "ngo",
        "level": "province",
        "region": NTB,
        "address": "Mataram",
        "domain": "konsepsi.example",
    },
    {
        "key": "islamic_relief",
        "name": "Islamic Relief Indonesia",
        "short_name": "Islamic Relief",
        "kind": "ngo",
        "level": "national",
        "region": "Jakarta",
        "domain": "islamic-relief.example",
    },
    {
        "key": "himaspi",
        "name": "Himpunan Masyarakat Siaga Perubahan Iklim (HIMASPI)",
        "short_name": "HIMASPI",
        "kind": "community",
        "level": "regency",
        "region": LOTIM,
        "domain": "himaspi.example",
    },
    {
        "key": "unram",
        "name": "Universitas Mataram",
        "short_name": "Unram",
        "kind": "academia",
        "level": "province",
        "region": NTB,
        "address": "Jl. Majapahit No. 62, Mataram",
        "domain": "unram.example",
    },
    {
        "key": "mui_lotim",
        "name": "Majelis Ulama Indonesia Kabupaten Lombok Timur",
        "short_name": "MUI Lombok Timur",
        "kind": "religious",
        "level": "regency",
        "region": LOTIM,
        "domain": "mui-lotim.example",
    },
    {
        "key": "pkk_lotim",
        "name": "Tim Penggerak PKK Kabupaten Lombok Timur",
        "short_name": "TP-PKK Lombok Timur",
        "kind": "community",
        "level": "regency",
        "region": LOTIM,
        "domain": "pkk-lotim.example",
    },
    {
        "key": "knpi_lotim",
        "name": "Komite Nasional Pemuda Indonesia Kabupaten Lombok Timur",
        "short_name": "KNPI Lombok Timur",
        "kind": "community",
        "level": "regency",
        "region": LOTIM,
        "domain": "knpi-lotim.example",
    },
    {
        "key": "bank_ntb",
        "name": "Bank NTB Syariah",
        "short_name": "Bank NTB Syariah",
        "kind": "private",
        "level": "province",
        "region": NTB,
        "address": "Jl. Pejanggik No. 30, Mataram",
        "domain": "bankntbsyariah.example",
    },
    # --- Provinsi Maluku (Ambon, WIT) ----------------------------------------------------
    {
        "key": "pemprov_maluku",
        "name": "Pemerintah Provinsi Maluku",
        "short_name": "Pemprov Maluku",
        "kind": "opd",
        "level": "province",
        "region": MALUKU,
        "address": "Kantor Gubernur Maluku, Jl. Pattimura No. 1, Ambon",
        "domain": "malukuprov.example",
    },
    *(
        _opd(key, f"{name} Provinsi Maluku", short, "pemprov_maluku", MALUKU, domain)
        for key, name, short, domain in (
            ("setda_maluku", "Sekretariat Daerah", "Setda Maluku", "setda.malukuprov.example"),
            (
                "bappeda_maluku",
                "Badan Perencanaan Pembangunan Daerah",
                "Bappeda Maluku",
                "bappeda.malukuprov.example",
            ),
            (
                "tgpp_maluku",
                "Tim Gubernur untuk Percepatan Pembangunan",
                "TGPP Maluku",
                "tgpp.malukuprov.example",
            ),
            (
                "dpmd_maluku",
                "Dinas Pemberdayaan Masyarakat dan Desa",
                "Dinas PMD Maluku",
                "dpmd.malukuprov.example",
            ),
            ("dinsos_maluku", "Dinas Sosial", "Dinsos Maluku", "dinsos.malukuprov.example"),
            (
                "dkukm_maluku",
                "Dinas Koperasi dan UKM",
                "Dinas Koperasi dan UKM Maluku",
                "kukm.malukuprov.example",
            ),
            (
                "dkp_maluku",
                "Dinas Kelautan dan Perikanan",
                "DKP Maluku",
                "dkp.malukuprov.example",
            ),
            (
                "distan_maluku",
                "Dinas Tanaman Pangan, Hortikultura dan Perkebunan",
                "Distan Maluku",
                "distan.malukuprov.example",
            ),
            ("dinkes_maluku", "Dinas Kesehatan", "Dinkes Maluku", "dinkes.malukuprov.example"),
            (
                "dikbud_maluku",
                "Dinas Pendidikan dan Kebudayaan",
                "Dikbud Maluku",
                "dikbud.malukuprov.example",
            ),
            (
                "pupr_maluku",
                "Dinas Pekerjaan Umum dan Penataan Ruang",
                "Dinas PUPR Maluku",
                "pupr.malukuprov.example",
            ),
        )
    ),
    {
        "key": "baznas_maluku",
        "name": "Badan Amil Zakat Nasional Provinsi Maluku",
        "short_name": "Baznas Maluku",
        "kind": "religious",
        "level": "province",
        "region": MALUKU,
        "address": "Ambon",
        "domain": "baznas-maluku.example",
    },
    # --- Bappenas (Jakarta, WIB) -----------------------------------------------------------
    {
        "key": "bappenas",
        "name": "Kementerian Perencanaan Pembangunan Nasional/Bappenas",
        "short_name": "Bappenas",
        "kind": "national",
        "level": "national",
        "region": "DKI Jakarta",
        "address": "Jl. Taman Suropati No. 2, Menteng, Jakarta Pusat",
        "domain": "bappenas.example",
    },
    {
        "key": "bappenas_pep",
        "name": "Kedeputian Bidang Pemantauan, Evaluasi dan Pengendalian Pembangunan",
        "short_name": "Kedeputian PEPP Bappenas",
        "kind": "national",
        "level": "national",
        "parent": "bappenas",
        "region": "DKI Jakarta",
        "address": "Jl. Taman Suropati No. 2, Menteng, Jakarta Pusat",
        "domain": "pepp.bappenas.example",
    },
]
