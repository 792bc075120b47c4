"""A small forum with a series: held and future meetings, invitations, attendance with a
stand-in, actions in every state, and another institution's meeting of the same forum."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from meetcoord.accounts.models import Role
from meetcoord.actions.models import ActionStatus
from meetcoord.directory.models import Gender, StakeholderCategory
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting, Series
from tests import factories
from tests.actions import support as actions

NOW = datetime.now(UTC)
TODAY = NOW.date()
PAST = TODAY - timedelta(days=20)
FUTURE = TODAY + timedelta(days=20)


def move(meeting: Meeting, start: datetime) -> Meeting:
    meeting.start_at, meeting.end_at = start, start + timedelta(hours=2)
    db.session.flush()
    return meeting


class Seeded:
    def __init__(self) -> None:
        self.staff = factories.user(Role.SECRETARIAT)
        self.forum = factories.forum()
        inst = factories.default_institution()
        self.series = Series(
            title="Evaluasi Triwulan Uji",
            rrule="FREQ=MONTHLY;INTERVAL=3",
            timezone="Asia/Makassar",
            institution_id=inst.id,
            forum_id=self.forum.id,
        )
        db.session.add(self.series)
        self.a = factories.organization(name="Dinas Alpha & <Uji>")
        self.b = factories.organization(name="Dinas Beta Uji")
        self.pa = factories.person(
            organization_id=self.a.id, gender=Gender.FEMALE, category=StakeholderCategory.GOVERNMENT
        )
        self.pb = factories.person(
            organization_id=self.b.id, gender=Gender.MALE, category=StakeholderCategory.GOVERNMENT
        )
        self.pn = factories.person(gender=None, category=StakeholderCategory.NGO)  # no agency
        # m1: the forum's own, 10 days ago; m2: of its series, 3 days ago; m3: next week.
        self.m1 = factories.meeting(by=self.staff, forum_id=self.forum.id, title="Rakor Satu")
        self.m2 = factories.meeting(by=self.staff, title="Evaluasi Dua")
        self.m2.series_id = self.series.id
        self.m3 = factories.meeting(by=self.staff, forum_id=self.forum.id, title="Rakor Tiga")
        self.other = factories.meeting(by=self.staff, title="Rapat lain")
        inv = {
            (m, p): factories.invitation(m, person=p)
            for m in (self.m1, self.m2)
            for p in (self.pa, self.pb)
        }
        online = factories.invitation(self.m2, person=self.pn, online=True)
        factories.invitation(self.m3, person=self.pa)
        factories.attendance(inv[self.m1, self.pa])
        factories.attendance(inv[self.m2, self.pa], stand_in_name="Wakil Alpha")
        factories.attendance(inv[self.m2, self.pb])
        factories.attendance(online)
        move(self.m1, NOW - timedelta(days=10))
        move(self.m2, NOW - timedelta(days=3))
        move(self.m3, NOW + timedelta(days=7))
        move(self.other, NOW - timedelta(days=5))
        # Another institution's meeting of the same forum: its staff's, not ours.
        elsewhere = factories.institution()
        self.stranger = factories.user(Role.SECRETARIAT, institution=elsewhere)
        self.foreign = factories.meeting(by=self.stranger, forum_id=self.forum.id)
        move(self.foreign, NOW - timedelta(days=4))
        foreign_inv = factories.invitation(self.foreign, person=self.pb)
        factories.attendance(foreign_inv)
        actions.action(self.foreign, organization_id=self.b.id, due_on=PAST)
        # Actions.
        actions.action(self.m1, organization_id=self.a.id, due_on=PAST, locus="Desa Wee")
        actions.action(self.m1, organization_id=self.a.id, due_on=PAST, status=ActionStatus.DONE)
        actions.action(
            self.m2,
            organization_id=self.b.id,
            due_on=PAST,
            status=ActionStatus.IN_PROGRESS,
            locus="Desa Wee",
        )
        actions.action(self.m3, organization_id=self.b.id, due_on=FUTURE)
        actions.action(self.other, organization_id=self.b.id, due_on=PAST)
        actions.action(self.m1, organization_id=self.b.id, due_on=PAST, withdrawn_at=NOW)
        db.session.flush()
