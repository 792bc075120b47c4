"""One province-year of meetcoord data, written with SQLAlchemy Core bulk inserts.

Used by ``bench_datascale.py`` (and its tiny-scale test). Rows go straight into the real
tables (``Model.__table__``) in chunks of ``CHUNK`` through ``executemany``: the ORM's
per-row bookkeeping would make seeding 150,000 rows take minutes and measure nothing we
care about. Everything is derived from one seeded ``random.Random``, so two runs at the
same scale produce the same rows (apart from ``created_at`` stamps and random salts).

The shape follows what the dashboards read: institutions own forums (with members),
series belong to a forum, meetings have a forum and often a series, sites, agenda,
invitations and check-ins (with stand-ins, people with category and gender), and the
actions of past meetings have agencies, people, loci, due dates and histories, with
statuses spread and a good share overdue.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, select

#: Row counts at scale 1 (issue 13, Performance): one province-year.
BASE = {
    "institutions": 10,
    "organizations": 400,
    "agencies": 150,  # the first organizations are the OPDs that owe actions
    "people": 4000,
    "venues": 40,
    "forums": 40,
    "forum_members": 1600,
    "series": 80,
    "meetings": 2000,
    "invitations": 60000,
    "attendances": 40000,
    "actions": 10000,
    "updates": 30000,
}
MINIMUM = {
    "institutions": 2,
    "organizations": 6,
    "agencies": 4,
    "people": 80,
    "venues": 4,
    "forums": 2,
}
CHUNK = 5000
PAST_SHARE = 0.7  # of the meetings; the rest are upcoming
HOME_SHARE = 0.3  # of the meetings owned by the first institution (the bench's account)
PAST_INVITE_SHARE = 0.8  # of the invitations, on past meetings
CATEGORIES = [
    "government",
    "ngo",
    "academia",
    "religious_leader",
    "women_leader",
    "youth_leader",
    "community_leader",
    "private_sector",
    "media",
    "facilitator",
]
REGENCIES = ["Mataram", "Lombok Barat", "Lombok Tengah", "Lombok Timur", "Lombok Utara"]
REGENCIES += ["Sumbawa Barat", "Sumbawa", "Dompu", "Bima", "Kota Bima"]


def sizes(scale: float) -> dict[str, int]:
    """The row counts at ``scale`` (1.0: the full province-year)."""
    return {key: max(MINIMUM.get(key, 1), round(n * scale)) for key, n in BASE.items()}


def chunks(rows: list[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


class Seeder:
    """Builds the rows table by table and inserts them on one connection."""

    def __init__(self, conn: Any, scale: float, seed: int, now: datetime) -> None:
        from meetcoord.core.cleaning import name_key

        self.conn, self.n, self.rng, self.now = conn, sizes(scale), random.Random(seed), now  # noqa: S311 - data, not secrets
        self.name_key = name_key
        self.counts: dict[str, int] = {}

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> list[int]:
        """Insert ``rows`` in chunks; their ids (assigned here, in order, from max+1)."""
        first = int(self.conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar())
        for offset, row in enumerate(rows):
            row["id"] = first + 1 + offset
        for part in chunks(rows):
            self.conn.execute(table.insert(), part)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
        return [row["id"] for row in rows]

    def stamps(self) -> dict[str, datetime]:
        return {"created_at": self.now, "updated_at": self.now}

    # --- directory and institutions ----------------------------------------------------

    def directory(self) -> None:
        from meetcoord.access.models import Institution
        from meetcoord.directory.models import Organization, Person, Venue

        n, rng = self.n, self.rng
        orgs = []
        for i in range(n["organizations"]):
            agency = i < n["agencies"]
            name = f"{'Dinas' if agency else 'Lembaga'} Uji {i:04d} {REGENCIES[i % 10]}"
            orgs.append(
                {
                    "name": name,
                    "name_key": self.name_key(name),
                    "short_name": f"U{i:04d}",
                    "kind": "opd" if agency else rng.choice(["ngo", "academia", "community"]),
                    "level": "province" if i % 5 == 0 else "regency",
                    "parent_id": None,
                    "region": f"{REGENCIES[i % 10]}, Nusa Tenggara Barat",
                    **self.stamps(),
                }
            )
        self.orgs = self.insert(Organization.__table__, orgs)
        self.agencies = self.orgs[: n["agencies"]]
        people = []
        for i in range(n["people"]):
            people.append(
                {
                    "name": f"Peserta Uji {i:05d}",
                    "position": rng.choice(
                        ["Kepala Dinas", "Kepala Bidang", "Staf", "Kepala Desa"]
                    ),
                    "organization_id": self.orgs[i % len(self.orgs)],
                    "email": f"peserta{i:05d}@uji.example.go.id",
                    "phone": None,
                    "gender": "female" if rng.random() < 0.42 else "male",
                    "category": CATEGORIES[0] if rng.random() < 0.55 else rng.choice(CATEGORIES),
                    "has_disability": rng.random() < 0.03,
                    "timezone": None,
                    **self.stamps(),
                }
            )
        self.people = self.insert(Person.__table__, people)
        self.people_of: dict[int, list[int]] = {}
        for row in people:
            self.people_of.setdefault(row["organization_id"], []).append(row["id"])
        venues = []
        for i in range(n["venues"]):
            name = f"Aula Uji {i:03d} {REGENCIES[i % 10]}"
            venues.append(
                {
                    "name": name,
                    "name_key": self.name_key(name),
                    "city": REGENCIES[i % 10],
                    "timezone": "Asia/Makassar",
                    "capacity": 100 + 10 * (i % 20),
                    "organization_id": None,
                    "address": None,
                    **self.stamps(),
                }
            )
        self.venues = self.insert(Venue.__table__, venues)
        institutions = [
            {
                "name": f"Bappeda Uji {i:02d} {REGENCIES[i % 10]}",
                "short_name": f"Bappeda U{i:02d}",
                "city": REGENCIES[i % 10],
                "letter_number_pattern": "050/{seq}/BAPPEDA/{year}",
                "organization_id": self.orgs[i % len(self.orgs)],
                **self.stamps(),
            }
            for i in range(n["institutions"])
        ]
        self.institutions = self.insert(Institution.__table__, institutions)

    def forums(self) -> None:
        from meetcoord.directory.models import Forum, ForumMember
        from meetcoord.meetings.models import Series

        n, rng = self.n, self.rng
        forums = []
        for i in range(n["forums"]):
            name = f"Forum Uji {i:03d}"
            forums.append(
                {
                    "name": name,
                    "name_key": self.name_key(name),
                    "short_name": f"F{i:03d}",
                    "organization_id": self.orgs[i % len(self.orgs)],
                    "institution_id": self.institutions[i % len(self.institutions)],
                    **self.stamps(),
                }
            )
        self.forum_ids = self.insert(Forum.__table__, forums)
        self.forum_institution = {row["id"]: row["institution_id"] for row in forums}
        per_forum = max(5, n["forum_members"] // len(self.forum_ids))
        members = []
        self.members_of: dict[int, list[int]] = {}
        for forum_id in self.forum_ids:
            chosen = rng.sample(self.people, min(per_forum, len(self.people)))
            self.members_of[forum_id] = chosen
            for k, person_id in enumerate(chosen):
                role = "chair" if k == 0 else "secretary" if k == 1 else "member"
                members.append({"forum_id": forum_id, "person_id": person_id, "role": role})
        self.insert(ForumMember.__table__, members)
        series = []
        for i in range(n["series"]):
            forum_id = self.forum_ids[i % len(self.forum_ids)]
            series.append(
                {
                    "title": f"Evaluasi Triwulan Uji {i:03d}",
                    "rrule": "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU",
                    "timezone": "Asia/Makassar",
                    "institution_id": self.forum_institution[forum_id],
                    "forum_id": forum_id,
                    **self.stamps(),
                }
            )
        self.series_ids = self.insert(Series.__table__, series)
        self.series_of: dict[int, list[tuple[int, int]]] = {}
        for row in series:
            self.series_of.setdefault(row["institution_id"], []).append(
                (row["id"], row["forum_id"])
            )

    # --- meetings ------------------------------------------------------------------------

    def meetings(self, staff_id: int | None) -> None:
        from meetcoord.meetings.models import AgendaItem, Meeting, MeetingSite

        n, rng = self.n, self.rng
        past = round(n["meetings"] * PAST_SHARE)
        rows, self.meeting_forum = [], {}
        for i in range(n["meetings"]):
            # Evenly spaced (to the minute): no two starts of a series coincide.
            if i < past:
                days = -330 + 329 * i / past
            else:
                days = 1 + 74 * (i - past) / max(1, n["meetings"] - past)
            start = (self.now + timedelta(days=days)).replace(second=0, microsecond=0)
            owner = (
                self.institutions[0]
                if rng.random() < HOME_SHARE
                else rng.choice(self.institutions[1:])
            )
            forum_id = series_id = None
            pick = rng.random()
            if pick < 0.6 and self.series_of.get(owner):
                series_id, forum_id = rng.choice(self.series_of[owner])
            elif pick < 0.8:
                own = [f for f in self.forum_ids if self.forum_institution[f] == owner]
                forum_id = rng.choice(own) if own else None
            cohost = None
            if rng.random() < 0.05:
                cohost = rng.choice([x for x in self.institutions if x != owner])
            rows.append(
                {
                    "uid": f"bench-{i:05d}@meetcoord.test",
                    "title": f"Rapat Koordinasi Uji {i:05d}",
                    "purpose": None,
                    "kind": rng.choice(["coordination", "evaluation", "musrenbang_sync"]),
                    "status": "closed" if i < past else rng.choice(["scheduled", "draft"]),
                    "start_at": start,
                    "end_at": start + timedelta(hours=3),
                    "host_venue_id": None,
                    "online_url": None,
                    "forum_id": forum_id,
                    "series_id": series_id,
                    "recurrence_at": start if series_id else None,
                    "is_series_exception": False,
                    "sequence": 0,
                    "signing_salt": secrets.token_hex(16),
                    "quorum_kind": "more_than" if i % 3 == 0 else None,
                    "quorum_value": 50 if i % 3 == 0 else None,
                    "created_by_id": staff_id,
                    "institution_id": owner,
                    "cohost_institution_id": cohost,
                    **self.stamps(),
                }
            )
        self.meeting_ids = self.insert(Meeting.__table__, rows)
        self.past = self.meeting_ids[:past]
        self.upcoming = self.meeting_ids[past:]
        self.meeting_rows = {row["id"]: row for row in rows}
        sites, agenda, self.sites_of = [], [], {}
        for row in rows:
            count = 1 + (row["id"] % 3 == 0) + (row["id"] % 7 == 0)
            for venue_id in rng.sample(self.venues, count):
                sites.append(
                    {
                        "meeting_id": row["id"],
                        "venue_id": venue_id,
                        "coordinator_id": None,
                        "capacity": None,
                        "code": _digest("site", row["id"], venue_id)[:12],
                        "secret_salt": secrets.token_hex(16),
                        "quorum_kind": None,
                        "quorum_value": None,
                    }
                )
            for position, title in enumerate(
                ["Pembukaan", "Paparan", "Diskusi", "Kesepakatan"], start=1
            ):
                agenda.append(
                    {
                        "meeting_id": row["id"],
                        "position": position,
                        "title": title,
                        "presenter": None,
                        "planned_minutes": 30,
                        "kind": "decision" if position == 4 else "discussion",
                    }
                )
        for site_id, site in zip(self.insert(MeetingSite.__table__, sites), sites, strict=True):
            self.sites_of.setdefault(site["meeting_id"], []).append(site_id)
        self.insert(AgendaItem.__table__, agenda)

    def _spread(self, total: int, over: list[int]) -> list[int]:
        """``total`` split across ``over`` as evenly as whole numbers allow."""
        if not over:
            return []
        base, extra = divmod(total, len(over))
        return [base + (1 if k < extra else 0) for k in range(len(over))]

    def invitations(self) -> None:
        from meetcoord.checkin.models import Attendance
        from meetcoord.meetings.models import Invitation

        n, rng = self.n, self.rng
        past_total = round(n["invitations"] * PAST_INVITE_SHARE)
        plan = list(zip(self.past, self._spread(past_total, self.past), strict=True))
        upcoming = self._spread(n["invitations"] - past_total, self.upcoming)
        plan += list(zip(self.upcoming, upcoming, strict=True))
        rows = []
        for meeting_id, count in plan:
            forum_id = self.meeting_rows[meeting_id]["forum_id"]
            pool = self.members_of.get(forum_id, []) if forum_id else []
            count = min(count, len(self.people))
            chosen = list(pool[:count])
            taken = set(chosen)
            while len(chosen) < count:
                person_id = rng.choice(self.people)
                if person_id not in taken:
                    taken.add(person_id)
                    chosen.append(person_id)
            sites = self.sites_of[meeting_id]
            start = self.meeting_rows[meeting_id]["start_at"]
            for k, person_id in enumerate(chosen):
                rows.append(
                    {
                        "meeting_id": meeting_id,
                        "person_id": person_id,
                        "role": "chair" if k == 0 else "participant",
                        "site_id": None if k % 10 == 9 else sites[k % len(sites)],
                        "rsvp": rng.choice(["accepted", "accepted", "pending", "declined"]),
                        "rsvp_at": None,
                        "token_salt": _digest("salt", meeting_id, person_id)[:32],
                        "token_hash": _digest("invitation", meeting_id, person_id),
                        "sequence": 0,
                        "stand_in_name": None,
                        "stand_in_position": None,
                        "invited_at": start - timedelta(days=7),
                        "withdrawn_at": None,
                    }
                )
        past = set(self.past)
        attended_pool = [row for row in rows if row["meeting_id"] in past]
        chosen_rows = rng.sample(attended_pool, min(n["attendances"], len(attended_pool)))
        for row in chosen_rows:
            if rng.random() < 0.08:  # diwakili: a stand-in comes for the invitee
                row["stand_in_name"] = f"Wakil {row['person_id']}"
                row["stand_in_position"] = "Sekretaris Dinas"
        ids = self.insert(Invitation.__table__, rows)
        self.invitation_of = {
            (row["meeting_id"], row["person_id"]): id_ for id_, row in zip(ids, rows, strict=True)
        }
        attendances = []
        for row in chosen_rows:
            start = self.meeting_rows[row["meeting_id"]]["start_at"]
            at = start + timedelta(minutes=rng.randint(-30, 45))
            attendances.append(
                {
                    "meeting_id": row["meeting_id"],
                    "person_id": row["person_id"],
                    "invitation_id": row["id"],
                    "site_id": row["site_id"],
                    "method": "online" if row["site_id"] is None else rng.choice(["desk", "kiosk"]),
                    "checked_in_at": at,
                    "checked_out_at": None,
                    "recorded_at": at,
                    "recorded_by_id": None,
                    "is_walk_in": False,
                    "walk_in_organization": None,
                    "stand_in_name": row["stand_in_name"],
                    "stand_in_position": row["stand_in_position"],
                }
            )
        self.insert(Attendance.__table__, attendances)

    # --- actions ---------------------------------------------------------------------------

    def actions(self, staff_id: int | None) -> None:
        from meetcoord.actions.models import Action, ActionUpdate

        n, rng = self.n, self.rng
        today = self.now.date()
        # A few agencies owe most of the work (Bappeda, PUPR, Dinas Kesehatan...).
        weights = [1.0 / (1 + k) ** 0.8 for k in range(len(self.agencies))]
        per_meeting = self._spread(n["actions"], self.past)
        rows = []
        for meeting_id, count in zip(self.past, per_meeting, strict=True):
            met: date = self.meeting_rows[meeting_id]["start_at"].date()
            for org_id in rng.choices(self.agencies, weights=weights, k=count):
                due = met + timedelta(days=rng.randint(14, 150))
                if due < today:
                    status = rng.choices(
                        ["open", "in_progress", "done", "verified", "dropped"],
                        weights=[25, 25, 20, 20, 10],
                    )[0]
                else:
                    status = rng.choices(["open", "in_progress", "done"], weights=[5, 4, 1])[0]
                people = self.people_of.get(org_id) or [None]
                moved = rng.random() < 0.1
                rows.append(
                    {
                        "meeting_id": meeting_id,
                        "decision_id": None,
                        "title": f"Tindak lanjut uji {len(rows):05d}",
                        "organization_id": org_id,
                        "person_id": rng.choice(people),
                        "locus": f"Desa Uji {rng.randint(1, 120):03d}"
                        if rng.random() < 0.7
                        else None,
                        "due_on": due if rng.random() < 0.95 else None,
                        "original_due_on": due - timedelta(days=30) if moved else None,
                        "status": status,
                        "closed_at": self.now if status in ("verified", "dropped") else None,
                        "version": 1,
                        "withdrawn_at": self.now if rng.random() < 0.02 else None,
                        "withdrawn_by": None,
                        "withdrawn_reason": None,
                        **self.stamps(),
                    }
                )
        action_ids = self.insert(Action.__table__, rows)
        updates = []
        spread = self._spread(n["updates"], action_ids)
        rng.shuffle(spread)
        for action_id, row, count in zip(action_ids, rows, spread, strict=True):
            start = self.meeting_rows[row["meeting_id"]]["start_at"]
            for k in range(count):
                last = k == count - 1
                updates.append(
                    {
                        "action_id": action_id,
                        "kind": "status" if last else "progress",
                        "note": f"Perkembangan {k + 1}",
                        "percentage": min(100, 25 * (k + 1)),
                        "milestone": None,
                        "status_before": "in_progress" if last else None,
                        "status_after": row["status"] if last else None,
                        "reason": None,
                        "changes": {"status": ["in_progress", row["status"]]} if last else {},
                        "user_id": staff_id,
                        "invitation_id": None,
                        "by_label": "Sekretariat Uji",
                        "at": start + timedelta(days=3 * (k + 1)),
                    }
                )
        self.insert(ActionUpdate.__table__, updates)


def seed(
    conn: Any, scale: float = 1.0, seed_value: int = 13, staff_id: int | None = None
) -> Seeder:
    """Write the whole data set on ``conn`` (the caller commits); the seeder, for its ids."""
    seeder = Seeder(conn, scale, seed_value, datetime.now(UTC).replace(microsecond=0))
    seeder.directory()
    seeder.forums()
    seeder.meetings(staff_id)
    seeder.invitations()
    seeder.actions(staff_id)
    return seeder
