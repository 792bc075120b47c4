"""Bench ``invites``: 500 per-recipient invitation e-mails with calendar files (≤ 0.6 s).

One meeting across three linked sites (WIB, WITA, WIT) with a six-item agenda; 500
recipients spread over the sites with some online. Each is composed (text, HTML, iTIP part,
``invite.ics``) and serialised with ``as_bytes()`` — what the outbox stores. One warm-up
pass (templates compiled, zone data and VTIMEZONEs loaded, time labels cached), then three
timed passes; ``seconds_500`` is the best of the three and ``median_seconds_500`` the median.

The same 500 messages are also built the plain way (``floor_invites.py``: bare icalendar and
``email``, one VTIMEZONE per zone, no templates), interleaved pass by pass with ours, and
``ratio_vs_floor`` is our best over the floor's best: absolute seconds move by 2x between
machines of the same kind, the ratio does not.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The runner loads this file by path: make the project importable from a bare checkout.
import floor_invites  # bench/ itself, put on the path above

from meetcoord.calendar import (
    AgendaLine,
    Contact,
    EventData,
    InvitationMail,
    Recipient,
    compose_invitation,
)
from meetcoord.calendar.ics import vtimezone

N = 500
SITES = (
    ("BAPPEDA Provinsi Nusa Tenggara Barat", "Jl. Pejanggik No. 12, Mataram", "Asia/Makassar"),
    ("Bappenas", "Jl. Taman Suropati No. 2, Jakarta Pusat", "Asia/Jakarta"),
    ("BAPPEDA Provinsi Papua", "Jl. Soa Siu Dok II, Jayapura", "Asia/Jayapura"),
)


def build_mails() -> list[InvitationMail]:
    start = datetime(2024, 3, 15, 1, 0, tzinfo=UTC)
    titles = (
        ("Pembukaan dan arahan", "Kepala BAPPEDA Provinsi NTB", 15),
        ("Paparan capaian program", "Bidang Perencanaan", 30),
        ("Tanggapan kabupaten", "BAPPEDA Kab. Lombok Timur", 30),
        ("Diskusi lintas lokasi", "Moderator", 45),
        ("Kesepakatan dan rencana tindak lanjut", "Pimpinan rapat", 30),
        ("Penandatanganan berita acara", "Para pihak", 15),
    )
    agenda, at = [], start
    for title, presenter, minutes in titles:
        agenda.append(AgendaLine(title, at, minutes, presenter))
        at += timedelta(minutes=minutes)
    event = EventData(
        uid="meeting-42@meetcoord.example.id",
        title="Rapat Koordinasi Sinkronisasi Program Forum BangKIT",
        purpose="Menyelaraskan program prioritas provinsi dan kabupaten untuk tahun 2025.",
        start_at=start,
        end_at=at,
        zone="Asia/Makassar",
        location=f"{SITES[0][0]}, {SITES[0][1]}",
        online_url="https://meet.example.id/rakor-bangkit",
        agenda=tuple(agenda),
        site_zones=("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"),
        organizer=Contact("Sekretariat BAPPEDA NTB", "sekretariat@bappeda.ntbprov.example.id"),
    )
    sender = Contact("Sekretariat BAPPEDA NTB", "undangan@bappeda.ntbprov.example.id")
    mails = []
    for i in range(N):
        online = i % 10 == 9  # one in ten online, the rest spread over the three sites
        name, address, zone = SITES[i % 3]
        recipient = Recipient(
            name=f"Ni Luh Putu Ayu D'Souza {i}",
            email=f"peserta{i}@opd.example.id",
            zone=zone,
            personal_url=f"https://rapat.example.id/i/tok{i:04d}abcdefghijklmnopqrstuv",
            role="chair" if i == 0 else "participant",
            site_name=None if online else name,
            location=None if online else f"{name}, {address}",
        )
        mails.append(
            InvitationMail(event, recipient, sender, "BAPPEDA Provinsi Nusa Tenggara Barat")
        )
    return mails


def render_all(mails: list[InvitationMail]) -> int:
    return sum(len(compose_invitation(mail).as_bytes()) for mail in mails)


def run() -> dict[str, float]:
    mails = build_mails()
    floor = floor_invites.Floor()
    render_all(mails[:10])  # warm-up: templates, zone data, VTIMEZONEs, label caches
    floor_invites.render_floor(mails[:10], floor)
    runs, floor_runs = [], []
    for _ in range(3):  # interleaved: a burst of other work on the machine hits both
        started = time.perf_counter()
        total_bytes = render_all(mails)
        runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        floor_bytes = floor_invites.render_floor(mails, floor)
        floor_runs.append(time.perf_counter() - started)
    best, floor_best = min(runs), min(floor_runs)
    return {
        "seconds_500": round(best, 4),
        "median_seconds_500": round(statistics.median(runs), 4),
        "floor_seconds_500": round(floor_best, 4),
        "ratio_vs_floor": round(best / floor_best, 3),
        "per_message_ms": round(best / N * 1000, 3),
        "bytes_per_message": round(total_bytes / N),
        "floor_bytes_per_message": round(floor_bytes / N),
        "vtimezone_builds": vtimezone.cache_info().misses,
        "target_seconds_500": 0.6,
        "target_ratio_vs_floor": 2.0,
    }


if __name__ == "__main__":
    print(run())
