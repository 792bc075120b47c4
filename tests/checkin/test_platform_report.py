"""Reading video platforms' participant reports: Zoom, Teams and Meet headers (English and
Indonesian), rejoins merged into one participant, times read in the zone chosen, bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from meetcoord.checkin.platform_csv import parse_minutes, parse_report

DAY = date(2020, 9, 24)
LIMITS = {"max_bytes": 64 * 1024, "max_rows": 100}

ZOOM = """Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
812 3456 7890,Webinar,09/24/2020 08:55:00 AM,09/24/2020 11:30:00 AM,host@example.go.id,155,3

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Maria Goreti,maria@example.go.id,09/24/2020 09:02:11 AM,09/24/2020 09:40:00 AM,38,No
Maria Goreti (HP),MARIA@example.go.id,09/24/2020 09:45:00 AM,09/24/2020 11:20:30 AM,96,No
Andi Mappaware,,09/24/2020 01:05:00 PM,09/24/2020 01:35:00 PM,30,Yes
"""


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_zoom_report_with_its_summary_above_and_a_rejoin_merged() -> None:
    report = parse_report(ZOOM.encode(), zone="Asia/Jakarta", day=DAY, **LIMITS)
    assert report.ok, report.errors
    assert report.platform == "zoom"
    assert report.rows == 3
    maria, andi = report.participants
    assert (maria.name, maria.email) == ("Maria Goreti", "maria@example.go.id")
    assert maria.joined_at == at(2020, 9, 24, 2, 2, 11)  # 09:02:11 WIB
    assert maria.left_at == at(2020, 9, 24, 4, 20, 30)  # the later leave
    assert maria.minutes == 38 + 96
    assert len(maria.lines) == 2
    assert andi.email is None
    assert andi.joined_at == at(2020, 9, 24, 6, 5)  # 1 PM WIB


def test_teams_attendance_list_in_utf16_with_tabs_and_sections() -> None:
    text = (
        "1. Summary\n"
        "Meeting title\tWebinar Nasional\n"
        "Attended participants\t2\n"
        "\n"
        "2. Participants\n"
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n"
        "Yohanes Bili\t9/24/20, 9:02:11 AM\t9/24/20, 11:00:00 AM\t1h 57m 49s\t"
        "yohanes@example.go.id\tyohanes@example.go.id\tAttendee\n"
        "Siti Rahma\t9/24/20, 10:00:00 AM\t9/24/20, 10:30:00 AM\t30m\t"
        "siti@example.go.id\tsiti@example.go.id\tAttendee\n"
        "\n"
        "3. In-Meeting Activities\n"
        "Name\tJoin Time\tLeave Time\tDuration\tEmail\n"
        "Yohanes Bili\t9/24/20, 9:02:11 AM\t9/24/20, 11:00:00 AM\t1h 57m 49s\t"
        "yohanes@example.go.id\n"
    )
    report = parse_report(text.encode("utf-16"), zone="Asia/Makassar", day=DAY, **LIMITS)
    assert report.ok, report.errors
    assert report.platform == "teams"
    assert [p.name for p in report.participants] == ["Yohanes Bili", "Siti Rahma"]
    assert report.participants[0].joined_at == at(2020, 9, 24, 1, 2, 11)  # 09:02 WITA
    assert report.participants[0].minutes == 118
    assert report.participants[1].minutes == 30


def test_google_meet_first_and_last_name_and_clock_times_on_the_meeting_day() -> None:
    text = (
        "First name,Last name,Email,Duration,Time joined,Time exited\n"
        "Rudi,Hartono,rudi@example.go.id,1 hr 5 min,9:02 AM,10:07 AM\n"
        "Rudi,Hartono,rudi@example.go.id,20 min,10:30 AM,10:50 AM\n"
    )
    report = parse_report(text.encode(), zone="Asia/Jayapura", day=DAY, **LIMITS)
    assert report.ok, report.errors
    assert report.platform == "meet"
    (rudi,) = report.participants
    assert rudi.name == "Rudi Hartono"
    assert rudi.joined_at == at(2020, 9, 24, 0, 2)  # 09:02 WIT
    assert rudi.left_at == at(2020, 9, 24, 1, 50)
    assert rudi.minutes == 85


def test_indonesian_zoom_headers_and_day_first_dates() -> None:
    text = (
        "Nama (Nama Asli);Email Pengguna;Waktu Bergabung;Waktu Keluar;Durasi (Menit)\n"
        "Maria Goreti;maria@example.go.id;24/09/2020 09.02.11;24/09/2020 10.00.00;58\n"
        "Daniel Ratu;;03/09/2020 13.00.00;03/09/2020 13.10.00;10\n"
    )
    report = parse_report(text.encode(), zone="Asia/Jakarta", day=DAY, **LIMITS)
    assert report.ok, report.errors
    assert report.platform == "zoom"
    daniel, maria = report.participants  # earliest first
    # 24/09 shows the file puts the day first, so 03/09 is the 3rd of September.
    assert daniel.joined_at == at(2020, 9, 3, 6, 0)
    assert maria.joined_at == at(2020, 9, 24, 2, 2, 11)


def test_times_are_read_in_the_zone_chosen_and_iso_offsets_are_kept() -> None:
    text = (
        "Name,Email,Join Time,Leave Time\n"
        "Ani,ani@example.go.id,2020-09-24 09:00:00,2020-09-24 10:00:00\n"
        "Budi,budi@example.go.id,2020-09-24T09:00:00+08:00,\n"
    )
    wib = parse_report(text.encode(), zone="Asia/Jakarta", day=DAY, **LIMITS)
    wit = parse_report(text.encode(), zone="Asia/Jayapura", day=DAY, **LIMITS)
    ani_wib = next(p for p in wib.participants if p.name == "Ani")
    ani_wit = next(p for p in wit.participants if p.name == "Ani")
    assert ani_wib.joined_at == at(2020, 9, 24, 2)
    assert ani_wit.joined_at == at(2020, 9, 24, 0)
    assert ani_wib.minutes == 60  # no duration column: from the join and leave times
    budi = next(p for p in wit.participants if p.name == "Budi")
    assert budi.joined_at == at(2020, 9, 24, 1)  # its own +08:00, whatever the zone
    assert budi.left_at is None


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"Nama,Jabatan\nMaria,Kepala\n", "Kolom wajib tidak ada"),
        (b"Name,Join Time\n" + "Mar\u00eda,09/24/2020 09:00 AM\n".encode("latin-1"), "UTF-8"),
        (b"Name,Join Time\n" + b"Maria,09/24/2020 09:00 AM\n" * 5000, "terlalu besar"),
        (b"Name,Join Time\nMaria,kemarin sore\n", "waktu tidak terbaca"),
        (b"", "kosong"),
    ],
)
def test_unreadable_reports_are_refused_with_a_reason(raw: bytes, fragment: str) -> None:
    report = parse_report(raw, zone="Asia/Jakarta", day=DAY, **LIMITS)
    assert not report.ok
    assert not report.participants
    assert any(fragment in error for error in report.errors), report.errors


def test_too_many_rows_are_refused() -> None:
    raw = b"Name,Join Time\n" + b"".join(
        f"Peserta {n},09/24/2020 09:00 AM\n".encode() for n in range(101)
    )
    report = parse_report(raw, zone="Asia/Jakarta", day=DAY, **LIMITS)
    assert any("Terlalu banyak baris" in error for error in report.errors)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("65", 65), ("1h 5m 3s", 65.05), ("1 jam 5 menit", 65), ("01:05:00", 65), ("", None)],
)
def test_durations(text: str, minutes: float | None) -> None:
    found = parse_minutes(text)
    assert found == (pytest.approx(minutes) if minutes is not None else None)
