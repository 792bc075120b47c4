"""Demo venues, one or more per agency of the seed meetings, with their IANA zones."""

from __future__ import annotations

from typing import Any

from meetcoord.demo.organizations import SBD_OFFICES

VENUES: list[dict[str, Any]] = [
    {
        "name": "Aula Bappeda Sumba Barat Daya, Tambolaka",
        "address": SBD_OFFICES,
        "city": "Tambolaka",
        "timezone": "Asia/Makassar",
        "capacity": 80,
        "organization": "bappeda_sbd",
    },
    {
        "name": "Ruang Rapat Bappeda Sumba Barat Daya, Tambolaka",
        "address": SBD_OFFICES,
        "city": "Tambolaka",
        "timezone": "Asia/Makassar",
        "capacity": 30,
        "organization": "bappeda_sbd",
    },
    {
        "name": "Ruang Rapat BAPPEDA Provinsi NTB, Mataram",
        "address": "Jl. Pejanggik No. 12, Mataram",
        "city": "Mataram",
        "timezone": "Asia/Makassar",
        "capacity": 60,
        "organization": "bappeda_ntb",
    },
    {
        "name": "Ruang Rapat BAPPEDA Kabupaten Lombok Timur, Selong",
        "address": "Jl. Pahlawan, Selong",
        "city": "Selong",
        "timezone": "Asia/Makassar",
        "capacity": 50,
        "organization": "bappeda_lotim",
    },
    {
        "name": "Ruang Rapat Lantai 6 Kantor Gubernur Maluku, Ambon",
        "address": "Kantor Gubernur Maluku, Jl. Pattimura No. 1, Ambon",
        "city": "Ambon",
        "timezone": "Asia/Jayapura",
        "capacity": 80,
        "organization": "setda_maluku",
    },
    {
        "name": "Ruang Rapat Bappenas, Jakarta",
        "address": "Jl. Taman Suropati No. 2, Menteng, Jakarta Pusat",
        "city": "Jakarta",
        "timezone": "Asia/Jakarta",
        "capacity": 120,
        "organization": "bappenas",
    },
    {
        "name": "Kantor Yayasan BaKTI, Makassar",
        "address": "Jl. H.A. Mappanyukki No. 32, Makassar",
        "city": "Makassar",
        "timezone": "Asia/Makassar",
        "capacity": 40,
        "organization": "bakti",
    },
]
