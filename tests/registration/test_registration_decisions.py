"""The secretariat's decisions: approval, auto-accept, the waiting list, directory matches."""

from __future__ import annotations

from email import message_from_bytes

from sqlalchemy import func, select

from meetcoord.core.outbox import OutboxMessage
from meetcoord.directory.models import Person
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation
from meetcoord.registration import decisions, services
from meetcoord.registration.models import Registration, RegistrationStatus
from tests import factories
from tests.registration.support import form, open_registration, post


def _regs(meeting_id: int) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.meeting_id == meeting_id)
            .order_by(Registration.id)
        )
    )


def _mails(email: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)))


def test_approval_flow_person_invitation_and_one_mail(client, auth) -> None:
    meeting, settings = open_registration()
    people_before = db.session.scalar(select(func.count(Person.id)))
    post(client, settings.slug, form(1, region="Kota Ambon, Maluku", phone="0812-3456-7890"))
    (reg,) = _regs(meeting.id)
    assert reg.status is RegistrationStatus.PENDING
    assert reg.person_id is None
    assert db.session.scalar(select(func.count(Person.id))) == people_before  # not yet
    assert _mails(reg.email) == []

    auth.login(user=meeting.created_by)
    page = client.get(f"/meetings/{meeting.id}/registrants?status=pending")
    assert page.status_code == 200
    assert "Siti Rahma 1" in page.get_data(as_text=True)
    answer = auth.post(f"/meetings/{meeting.id}/registrants?action=accept", {"id": str(reg.id)})
    assert answer.status_code == 303
    db.session.refresh(reg)
    assert reg.status is RegistrationStatus.ACCEPTED
    assert reg.matched_by == "new"
    person = reg.person
    assert person.region == "Kota Ambon, Maluku"
    assert person.zone == "Asia/Jayapura"
    assert person.phone == "+6281234567890"
    assert person.category.value == "government"
    invitation = decisions.invitation_of(reg)
    assert invitation is not None
    assert invitation.site_id is None
    (mail,) = _mails(reg.email)
    body = message_from_bytes(mail.message).as_string()
    assert "WIT" in body
    assert "text/calendar" in body


def test_reject_frees_a_seat_for_the_next_waiting(client) -> None:
    meeting, settings = open_registration(capacity=1)
    for n in range(3):
        post(client, settings.slug, form(n))
    first, second, third = _regs(meeting.id)
    assert [r.status.value for r in (first, second, third)] == [
        "pending",
        "waitlisted",
        "waitlisted",
    ]
    decisions.reject(meeting.created_by, meeting, [first])
    assert [r.status.value for r in _regs(meeting.id)] == ["rejected", "pending", "waitlisted"]
    decisions.move_up(meeting.created_by, meeting, third)  # over capacity by choice
    assert third.status is RegistrationStatus.PENDING


def test_rejecting_an_accepted_registrant_withdraws_the_invitation(client) -> None:
    meeting, settings = open_registration(capacity=1)
    post(client, settings.slug, form(1))
    post(client, settings.slug, form(2))
    first, second = _regs(meeting.id)
    decisions.accept(meeting.created_by, meeting, [first])
    invitation = decisions.invitation_of(first)
    decisions.cancel(meeting.created_by, meeting, [first])
    assert invitation.withdrawn_at is not None
    assert second.status is RegistrationStatus.PENDING


def test_auto_accept_invites_at_once_and_the_waiting_move_up_accepted(client) -> None:
    meeting, settings = open_registration(capacity=1, auto_accept=True)
    post(client, settings.slug, form(1, region="Kota Makassar, Sulawesi Selatan"))
    post(client, settings.slug, form(2))
    first, second = _regs(meeting.id)
    assert first.status is RegistrationStatus.ACCEPTED
    assert len(_mails(first.email)) == 1
    assert "WITA" in message_from_bytes(_mails(first.email)[0].message).as_string()
    assert second.status is RegistrationStatus.WAITLISTED
    decisions.reject(meeting.created_by, meeting, [first])
    db.session.refresh(second)
    assert second.status is RegistrationStatus.ACCEPTED
    assert len(_mails(second.email)) == 1


def test_duplicate_person_by_email_then_by_name(client) -> None:
    meeting, settings = open_registration()
    by_mail = factories.person(name="Orang Lain", email="Budi.Santoso@Example.org")
    by_name = factories.person(name="Wa Ode  NURHAYATI", email=None)
    same_name_other_mail = factories.person(name="Andi Saputra", email="andi@lain.example")
    post(client, settings.slug, form(1, name="Budi Santoso", email="budi.santoso@example.org"))
    post(client, settings.slug, form(2, name="wa ode nurhayati", email="wa.ode@example.org"))
    post(client, settings.slug, form(3, name="Andi Saputra", email="andi@baru.example"))
    regs = _regs(meeting.id)
    shown = decisions.matches(regs)
    assert shown[regs[0].id].person.id == by_mail.id
    assert shown[regs[0].id].how == "email"
    assert shown[regs[1].id].person.id == by_name.id
    assert shown[regs[1].id].how == "name"
    assert regs[2].id not in shown
    result = decisions.accept(meeting.created_by, meeting, regs)
    assert len(result.accepted) == 3
    assert len(result.reused) == 2
    assert regs[0].person_id == by_mail.id
    assert by_mail.name == "Orang Lain"
    assert regs[1].person_id == by_name.id
    assert by_name.email == "wa.ode@example.org"
    assert regs[2].person_id not in (same_name_other_mail.id, None)
    invited = {
        i.person_id
        for i in db.session.scalars(select(Invitation).where(Invitation.meeting_id == meeting.id))
    }
    assert {by_mail.id, by_name.id, regs[2].person_id} <= invited


def test_staff_pages_and_switch_need_confirmation_and_are_audited(app, client, auth) -> None:
    from meetcoord.core.audit import AuditEntry

    meeting = factories.meeting()
    auth.login(user=meeting.created_by)
    detail = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"/meetings/{meeting.id}/registration" in detail
    ask = client.get(f"/meetings/{meeting.id}/registration/switch")
    assert ask.status_code == 200
    assert services.settings_of(meeting.id) is None
    assert auth.post(f"/meetings/{meeting.id}/registration/switch", {}).status_code == 400
    on = auth.post(f"/meetings/{meeting.id}/registration/switch", {"state": "on"})
    assert on.status_code == 303
    assert services.settings_of(meeting.id).is_enabled
    saved = auth.post(
        f"/meetings/{meeting.id}/registration",
        {"capacity": "0", "auto_accept": "1", "field_phone": "required"},
    )
    assert saved.status_code == 422
    assert services.settings_of(meeting.id).capacity is None
    saved = auth.post(
        f"/meetings/{meeting.id}/registration",
        {"capacity": "150", "auto_accept": "1", "field_phone": "required"},
    )
    assert saved.status_code == 303
    found = services.settings_of(meeting.id)
    assert found.capacity == 150
    assert found.auto_accept
    assert found.rule("phone").value == "required"
    actions = set(
        db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == meeting.id))
    )
    assert {"registration.enable", "registration.settings"} <= actions
    viewer = factories.user("viewer")
    other = auth.__class__(app.test_client())
    other.login(user=viewer)
    assert other.post(
        f"/meetings/{meeting.id}/registration/switch", {"state": "off"}
    ).status_code in (403, 404)
    assert services.settings_of(meeting.id).is_enabled
