"""Demo forums established by decree, as the seed reports name them.

Decree dates are left empty: the reports give the decree numbers but not their dates.
"""

from __future__ import annotations

from typing import Any

FORUMS: list[dict[str, Any]] = [
    {
        "key": "bangkit",
        "name": (
            "Forum Koordinasi Pengembangan Perencanaan Masyarakat yang Inklusif di Perdesaan "
            "Kabupaten Sumba Barat Daya"
        ),
        "short_name": "Forum BangKIT",
        "decree_number": "289/KEP/HK/2023",
        "decree_issuer": "Bupati Sumba Barat Daya",
        "organization": "bappeda_sbd",
        "description": (
            "Dibentuk dengan Surat Keputusan Bupati SBD Nomor 289/KEP/HK/2023. Terdiri dari "
            "24 orang perwakilan OPD terkait bidang penghidupan di lingkup Pemerintah "
            "Kabupaten SBD, untuk mendorong sinergi dan integrasi program pengembangan "
            "penghidupan masyarakat yang inklusif dengan program prioritas Pemerintah "
            "Kabupaten SBD. Program BangKIT didukung Japan Social Development Fund (JSDF) "
            "melalui World Bank dan dilaksanakan oleh Yayasan BaKTI."
        ),
    },
    {
        "key": "satu_opd",
        "name": "Tim Penanggung Jawab Program Satu OPD Satu Desa Binaan Provinsi Maluku",
        "short_name": "Satu OPD Satu Desa Binaan",
        "decree_number": "90 Tahun 2023",
        "decree_issuer": "Gubernur Maluku",
        "organization": "tgpp_maluku",
        "description": (
            "Susunan penanggung jawab Program Satu Organisasi Perangkat Daerah Satu Desa "
            "Binaan (SK Gubernur Maluku Nomor 90 Tahun 2023) untuk pengentasan kemiskinan "
            "ekstrem, berfokus pada 14 desa tertinggal menurut Indeks Desa Membangun (IDM). "
            "Rapat evaluasi paling sedikit setiap 3 bulan."
        ),
    },
]
