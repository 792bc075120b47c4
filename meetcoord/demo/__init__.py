"""Demo data from the seed meetings: ``meetcoord demo load`` and ``meetcoord demo logins``.

Everything is created through the account and directory services, so the same validation
and audit trail apply as for data a secretariat types in. Loading is meant for an empty
database (``make run`` calls ``meetcoord demo load --if-empty``), but it is also safe to
repeat: rows that already exist (same e-mail, name or membership) are reused, not doubled,
and the summary counts only what this run created.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from meetcoord.access import services as access
from meetcoord.access.institutions import member_role_for
from meetcoord.access.models import Institution, Membership
from meetcoord.accounts import services as accounts
from meetcoord.accounts.models import Role, User
from meetcoord.demo.planning import load_planning
from meetcoord.directory import services as directory
from meetcoord.directory.models import Forum, ForumMember, Organization, Person, Venue
from meetcoord.extensions import db

__all__ = ["DEMO_LOGINS", "DemoLogin", "directory_is_empty", "load_demo"]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    name: str
    note: str = ""
    institution: str = ""  # key in demo.institutions; the staff account works for it


# Published on purpose (README, `meetcoord demo logins`): never use them on a real server.
DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin(
        "admin", "admin@meetcoord.example", "Admin-Demo-2026", "Administrator Demo", "all rights"
    ),
    DemoLogin(
        "secretariat",
        "bappeda.sbd@meetcoord.example",
        "Tambolaka-2026",
        "Rambu Yuliana Kaka",
        "Sekretariat Forum BangKIT, Bappeda Sumba Barat Daya",
        "sbd",
    ),
    DemoLogin(
        "secretariat",
        "bappeda.ntb@meetcoord.example",
        "Mataram-2026",
        "Baiq Laila Hidayati",
        "Sekretariat BAPPEDA Provinsi NTB",
        "ntb",
    ),
    DemoLogin(
        "viewer",
        "pemantau@meetcoord.example",
        "Pemantau-2026",
        "Dimas Prasetyo",
        "read-only, Bappenas",
        "bappenas",
    ),
]


def directory_is_empty() -> bool:
    """True when no organization, person, forum or venue exists yet."""
    for model in (Organization, Person, Forum, Venue):
        if db.session.scalar(select(model.id).limit(1)) is not None:
            return False
    return True


def _existing(model: type, column: Any, value: str) -> Any:
    return db.session.scalar(select(model).where(func.lower(column) == value.lower()))


def _people_count() -> int:
    return db.session.scalar(select(func.count(Person.id))) or 0


class _Loader:
    def __init__(self) -> None:
        self.created: dict[str, int] = {
            "institutions": 0,
            "memberships": 0,
            "users": 0,
            "organizations": 0,
            "people": 0,
            "forums": 0,
            "forum members": 0,
            "venues": 0,
            "meetings": 0,
            "documents": 0,
            "action updates": 0,
            "public pages": 0,
        }
        self.orgs: dict[str, Organization] = {}
        self.domains: dict[str, str] = {}
        self.forums: dict[str, Forum] = {}
        self.institutions: dict[str, Institution] = {}
        self.actor: User | None = None

    def institutions_(self) -> None:
        """Before the accounts: with several institutions, a new account joins none by
        itself (``access.institutions.join_only_institution``); ``memberships`` places it."""
        from meetcoord.demo.institutions import INSTITUTIONS

        for entry in INSTITUTIONS:
            inst = _existing(Institution, Institution.name, entry["name"])
            if inst is None:
                data = {k: v for k, v in entry.items() if k not in ("key", "organization")}
                inst = access.save_institution(None, data)  # the installation itself
                self.created["institutions"] += 1
            self.institutions[entry["key"]] = inst

    def link_institutions(self) -> None:
        """Each institution points at the same body in the directory."""
        from meetcoord.demo.institutions import INSTITUTIONS

        for entry in INSTITUTIONS:
            inst = self.institutions[entry["key"]]
            org = self.orgs[entry["organization"]]
            if inst.organization_id is None:
                access.save_institution(self.actor, {"organization_id": org.id}, inst)

    def memberships(self) -> None:
        for login in DEMO_LOGINS:
            user = accounts.find_by_email(login.email)
            if user is None or not login.institution:
                continue
            inst = self.institutions[login.institution]
            exists = db.session.scalar(
                select(Membership.id).where(
                    Membership.user_id == user.id, Membership.institution_id == inst.id
                )
            )
            if exists is None:
                role = member_role_for(login.role).value
                access.add_member(self.actor, inst, {"user_id": user.id, "role": role})
                self.created["memberships"] += 1

    def users(self) -> None:
        for login in DEMO_LOGINS:
            user = accounts.find_by_email(login.email)
            if user is None:
                user = accounts.create_user(
                    self.actor,
                    email=login.email,
                    name=login.name,
                    password=login.password,
                    role=login.role,
                )
                self.created["users"] += 1
            if self.actor is None and user.role is Role.ADMIN:
                self.actor = user

    def organizations(self) -> None:
        from meetcoord.demo.organizations import ORGANIZATIONS

        for entry in ORGANIZATIONS:
            data = {k: v for k, v in entry.items() if k not in ("key", "parent", "domain")}
            if entry.get("parent"):
                data["parent_id"] = self.orgs[entry["parent"]].id
            self.domains[entry["key"]] = entry["domain"]
            org = _existing(Organization, Organization.name, data["name"])
            if org is None:
                org = directory.save_organization(self.actor, data)
                self.created["organizations"] += 1
            self.orgs[entry["key"]] = org

    def forums_(self) -> None:
        from meetcoord.demo.forums import FORUMS
        from meetcoord.demo.institutions import FORUM_OWNERS

        for entry in FORUMS:
            data = {k: v for k, v in entry.items() if k not in ("key", "organization")}
            data["organization_id"] = self.orgs[entry["organization"]].id
            data["institution_id"] = self.institutions[FORUM_OWNERS[entry["key"]]].id
            forum = _existing(Forum, Forum.name, data["name"])
            if forum is None:
                forum = directory.save_forum(self.actor, data)
                self.created["forums"] += 1
            self.forums[entry["key"]] = forum

    def people(self) -> None:
        from meetcoord.demo.people import PEOPLE, email_for

        for row in PEOPLE:
            email = email_for(row.name, self.domains[row.org])
            person = _existing(Person, Person.email, email)
            if person is None:
                person = directory.save_person(
                    self.actor,
                    {
                        "name": row.name,
                        "position": row.position,
                        "organization_id": self.orgs[row.org].id,
                        "email": email,
                        "phone": row.phone,
                        "gender": row.gender,
                        "category": row.category,
                        "has_disability": row.disability,
                    },
                )
                self.created["people"] += 1
            if row.forum is not None:
                self.member(self.forums[row.forum], person, row.role)

    def member(self, forum: Forum, person: Person, role: str) -> None:
        exists = db.session.scalar(
            select(ForumMember.id).where(
                ForumMember.forum_id == forum.id, ForumMember.person_id == person.id
            )
        )
        if exists is None:
            directory.add_forum_member(self.actor, forum, person.id, role)
            self.created["forum members"] += 1

    def venues(self) -> None:
        from meetcoord.demo.venues import VENUES

        for entry in VENUES:
            data: Mapping[str, Any] = {
                **{k: v for k, v in entry.items() if k != "organization"},
                "organization_id": self.orgs[entry["organization"]].id,
            }
            if _existing(Venue, Venue.name, entry["name"]) is None:
                directory.save_venue(self.actor, data)
                self.created["venues"] += 1

    def meeting(self) -> None:
        from meetcoord.demo.meetings import create_demo_meeting, find_demo_meeting

        if find_demo_meeting() is None and self.actor is not None:
            create_demo_meeting(self.actor, self.forums["bangkit"])
            self.created["meetings"] += 1

    def cohosted_meeting(self) -> None:
        from meetcoord.demo.meetings import create_cohosted_meeting, find_cohosted_meeting

        staff = accounts.find_by_email("bappeda.ntb@meetcoord.example")
        if staff is not None and find_cohosted_meeting() is None:
            ntb, lotim = self.institutions["ntb"], self.institutions["lotim"]
            create_cohosted_meeting(staff, ntb.id, lotim.id)
            self.created["meetings"] += 1

    def past_meeting(self) -> None:
        from meetcoord.demo.past_meeting import (
            SECRETARIAT_EMAIL,
            find_past_meeting,
            hold_past_meeting,
            minutes_of,
            start_draft,
        )
        from meetcoord.meetings.models import MeetingStatus

        staff = accounts.find_by_email(SECRETARIAT_EMAIL)
        if staff is None:
            return
        meeting = find_past_meeting()
        if meeting is None:
            meeting = hold_past_meeting(staff, self.forums["bangkit"])
            self.created["meetings"] += 1
        if meeting.status is MeetingStatus.CLOSED and minutes_of(meeting) is None:
            start_draft(staff, meeting)
            self.created["documents"] += 1
        self.followup(staff, meeting)

    def followup(self, staff: User, meeting: Any) -> None:
        """After last week's meeting: its actions move, today's meeting carries them, the
        forum's page is public (``demo.followup``)."""
        from meetcoord.demo import followup
        from meetcoord.demo.meetings import find_demo_meeting

        self.created["action updates"] += followup.move_actions(staff, meeting)
        followup.carry_over(staff, find_demo_meeting())
        self.created["public pages"] += followup.publish_forum(staff, self.forums["bangkit"])

    def webinar(self) -> None:
        """Bappenas' knowledge-sharing webinar (seed 004), held, with its final event
        report on its public page (``demo.webinar``)."""
        from meetcoord.demo.webinar import find_webinar, hold_webinar

        if self.actor is not None and find_webinar() is None:
            people = db.session.scalar(select(func.count(Person.id))) or 0
            hold_webinar(self.actor, self.institutions["bappenas"].id)
            self.created["people"] += (
                db.session.scalar(select(func.count(Person.id))) or 0
            ) - people
            self.created["meetings"] += 1
            self.created["public pages"] += 1


def load_demo() -> dict[str, int]:
    """Create the demo accounts, directory and meeting; returns how many of each were made."""
    loader = _Loader()
    loader.institutions_()
    loader.users()
    loader.organizations()
    loader.link_institutions()
    loader.memberships()
    loader.forums_()
    loader.people()
    loader.venues()
    loader.meeting()
    loader.cohosted_meeting()
    loader.past_meeting()
    loader.webinar()
    load_planning(loader.actor, loader.institutions, loader.orgs, loader.forums, loader.created)
    return loader.created
