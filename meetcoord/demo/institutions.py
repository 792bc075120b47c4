"""Demo institutions (penyelenggara), each with its own letterhead and letter numbers.

The seed reports come from four bodies that run meetings: Bappeda Sumba Barat Daya (the
secretariat of Forum BangKIT), BAPPEDA Provinsi NTB with BAPPEDA Kabupaten Lombok Timur
(their synchronisation of Musrenbang results is co-hosted), the Maluku provincial Bappeda
(the "Satu OPD Satu Desa Binaan" programme) and Bappenas. Letter-number patterns differ
as real ones do, so a letter shows at a glance whose it is.
"""

from __future__ import annotations

from typing import Any

from meetcoord.demo.organizations import SBD_OFFICES

# "organization": the demo directory's key of the same body.
INSTITUTIONS: list[dict[str, Any]] = [
    {
        "key": "sbd",
        "organization": "bappeda_sbd",
        "name": "Badan Perencanaan Pembangunan Daerah Kabupaten Sumba Barat Daya",
        "short_name": "Bappeda SBD",
        "address": SBD_OFFICES,
        "city": "Tambolaka",
        "mail_sender_name": "Sekretariat Forum BangKIT — Bappeda Sumba Barat Daya",
        "letter_number_pattern": "005/{seq}/BAPPEDA-SBD/{month_roman}/{year}",
        "letter_signer_name": "Drs. Yohanis Lende Bulu, M.Si",
        "letter_signer_position": "Kepala Bappeda Kabupaten Sumba Barat Daya",
    },
    {
        "key": "ntb",
        "organization": "bappeda_ntb",
        "name": "Badan Perencanaan Pembangunan Daerah Provinsi Nusa Tenggara Barat",
        "short_name": "BAPPEDA NTB",
        "address": "Jl. Pejanggik No. 12, Mataram",
        "city": "Mataram",
        "mail_sender_name": "BAPPEDA Provinsi NTB",
        "letter_number_pattern": "050/{seq}/BAPPEDA-NTB/{year}",
        "letter_signer_name": "Ir. Lalu Muhammad Iqbal, M.T.",
        "letter_signer_position": "Kepala BAPPEDA Provinsi Nusa Tenggara Barat",
    },
    {
        "key": "lotim",
        "organization": "bappeda_lotim",
        "name": "Badan Perencanaan Pembangunan Daerah Kabupaten Lombok Timur",
        "short_name": "BAPPEDA Lombok Timur",
        "address": "Jl. Pahlawan, Selong",
        "city": "Selong",
        "mail_sender_name": "BAPPEDA Kabupaten Lombok Timur",
        "letter_number_pattern": "050/{seq}/BAPPEDA-LT/{month_roman}/{year}",
        "letter_signer_name": "H. Muhammad Hairi, S.T., M.T.",
        "letter_signer_position": "Kepala BAPPEDA Kabupaten Lombok Timur",
    },
    {
        "key": "maluku",
        "organization": "bappeda_maluku",
        "name": "Badan Perencanaan Pembangunan Daerah Provinsi Maluku",
        "short_name": "Bappeda Maluku",
        "address": "Kantor Gubernur Maluku, Jl. Pattimura No. 1, Ambon",
        "city": "Ambon",
        "mail_sender_name": "Bappeda Provinsi Maluku",
        "letter_number_pattern": "050/{seq}/BAPPEDA-MAL/{year}",
        "letter_signer_name": "Dr. Anton A. Lailossa, S.T., M.Si",
        "letter_signer_position": "Kepala Bappeda Provinsi Maluku",
    },
    {
        "key": "bappenas",
        "organization": "bappenas",
        "name": "Kementerian Perencanaan Pembangunan Nasional/Bappenas",
        "short_name": "Bappenas",
        "address": "Jl. Taman Suropati No. 2, Menteng, Jakarta Pusat 10310",
        "city": "Jakarta",
        "mail_sender_name": "Kementerian PPN/Bappenas",
        "letter_number_pattern": "B-{seq:04d}/D.6/PP.01.02/{month}/{year}",
        "letter_signer_name": "Dr. Ir. Sumedi Andono Mulyo, M.A.",
        "letter_signer_position": (
            "Deputi Bidang Pemantauan, Evaluasi, dan Pengendalian Pembangunan"
        ),
    },
]

# The demo forums' owners, by forum key.
FORUM_OWNERS = {"bangkit": "sbd", "satu_opd": "maluku"}
