"""Screens that fit (issue 16, point 5): the minutes and people pages on a 390 px phone,
the kiosk's QR and typed code on a projector, the site header on one line at 1366 px,
the RSVP within the personal page's first screen on a phone.

Chromium lays out what the Flask test client answers (``test_pages_width.measure``), with
unbroken words longer than a phone is wide in the names the pages show, in both languages.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from meetcoord.accounts.models import Role
from meetcoord.checkin import selfservice
from meetcoord.documents import workflow
from meetcoord.extensions import db
from meetcoord.live.models import Decision
from meetcoord.meetings.links import personal_token
from meetcoord.meetings.models import AgendaItem
from meetcoord.webhooks import services as webhook_services
from meetcoord.webhooks.emit import emit
from meetcoord.webhooks.models import DeliveryStatus
from tests import factories
from tests.browser.test_actions_width import LONG
from tests.browser.test_pages_width import MENU_LINES, VIEWPORTS, measure
from tests.conftest import AuthActions
from tests.documents_support import ClosedRakor, ensure_ca, final_minutes
from tests.kiosk_support import Rakor


def long_names(rakor: Rakor) -> None:
    """A participant, their agency and the venue with words longer than a phone."""
    invitation = rakor.invitee(0)
    invitation.person.name = f"Drs. {LONG} Bili, M.Si."
    invitation.person.position = f"Kepala Bidang {LONG}"
    invitation.person.organization.name = f"Dinas {LONG} Daerah"
    invitation.person.email = (
        "sekretariat.bidang.perencanaan.pembangunan@bappeda-sumbabaratdaya.go.id"
    )
    rakor.site.venue.address = f"Jl. {LONG} No. 1, Tambolaka"
    for decision in db.session.query(Decision).filter(Decision.meeting_id == rakor.meeting.id):
        decision.text = f"Setiap OPD menetapkan {LONG} lihat https://ppid.example.go.id/{LONG}"
    for note in db.session.query(AgendaItem).filter(AgendaItem.meeting_id == rakor.meeting.id):
        note.title = f"Pembahasan {LONG}"
    db.session.commit()


def staff_paths(app: Flask) -> tuple[AuthActions, list[str], list[str]]:
    """(the secretariat's client, its pages, the participant's pages) of a closed rakor
    whose minutes are circulated for comments."""
    ensure_ca(app)
    rakor = ClosedRakor(app)
    long_names(rakor)
    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    workflow.circulate(rakor.staff_actor, doc, datetime.now(UTC) + timedelta(days=3))
    final = final_minutes(ClosedRakor(app, title=f"Rakor {LONG}"))
    staff = AuthActions(app.test_client())
    staff.login(user=rakor.staff)
    meeting = rakor.meeting.id
    token = personal_token(rakor.invitee(0))
    return (
        staff,
        [
            "/directory/people",
            "/directory/organizations",
            "/directory/venues",
            "/directory/forums",
            f"/meetings/{meeting}/documents",
            f"/documents/{doc.id}",
            f"/documents/{final.id}",
            f"/verify/{final.verify_code}",
            f"/meetings/{meeting}/attendance",
            f"/meetings/{meeting}/live",
            f"/meetings/{meeting}/questions",
            f"/meetings/{meeting}/materials",
            f"/meetings/{meeting}/report",
            f"/projector/{rakor.site.code}",
        ],
        [
            f"/i/{token}",
            f"/i/{token}/documents/{doc.id}",
            f"/i/{token}/live",
            f"/i/{token}/questions",
            f"/i/{token}/materials",
            f"/i/{personal_token(rakor.chair)}/console",
            f"/i/{personal_token(rakor.minute_taker)}/console",
        ],
    )


def test_the_minutes_people_and_participant_pages_fit_a_phone_and_a_projector(
    app: Flask, browser: Any
) -> None:
    staff, paths, participant_paths = staff_paths(app)
    anonymous = app.test_client()
    visits = [(staff.client, p) for p in paths] + [(anonymous, p) for p in participant_paths]
    failures = []
    for viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        try:
            for lang in ("id", "en"):
                for who, path in visits:
                    scroll, visible, bad = measure(tab, who, path, lang)
                    if scroll > visible or bad:
                        failures.append((viewport["width"], lang, path, scroll, visible, bad))
        finally:
            context.close()
    assert not failures, "\n".join(map(str, failures))


# The element's box: [top, bottom, left, right] in the viewport, or None when not shown.
BOX = """(selector) => {
  const el = document.querySelector(selector);
  if (!el || !el.getClientRects().length) return null;
  const r = el.getBoundingClientRect();
  return [r.top, r.bottom, r.left, r.right];
}"""


def within(box: list[float] | None, viewport: dict[str, int]) -> bool:
    if box is None:
        return False
    top, bottom, left, right = box
    return top >= 0 and left >= 0 and bottom <= viewport["height"] and right <= viewport["width"]


def test_the_kiosk_shows_its_qr_and_typed_code_on_a_projector_and_a_screen(
    app: Flask, browser: Any
) -> None:
    rakor = Rakor(f"Rapat Koordinasi {LONG} Kabupaten Sumba Barat Daya")
    staff = AuthActions(app.test_client())
    staff.login(user=rakor.staff)
    path = f"/kiosk/{rakor.site.code}"
    failures = []
    for viewport in ({"width": 1280, "height": 720}, {"width": 1920, "height": 1080}):
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        try:
            for lang in ("id", "en"):
                measure(tab, staff.client, path, lang)
                for selector in ("#kiosk-qr", "#kiosk-typed", ".kiosk-typed-label"):
                    box = tab.evaluate(BOX, selector)
                    if not within(box, viewport):
                        failures.append((viewport, lang, selector, box))
                qr = tab.evaluate(BOX, "#kiosk-qr")
                # Read from the back of a room: at least a third of the screen's height.
                if qr and qr[1] - qr[0] < viewport["height"] / 3:
                    failures.append((viewport, lang, "QR under a third of the height", qr))
        finally:
            context.close()
    assert not failures, "\n".join(map(str, failures))
    assert selfservice.kiosk_codes(rakor.site)["url_code"]


def test_the_rsvp_is_on_the_personal_page_s_first_screen_on_a_phone(
    app: Flask, browser: Any
) -> None:
    rakor = Rakor()
    long_names(rakor)
    phone = app.test_client()
    path = f"/i/{personal_token(rakor.invitee(0))}"
    viewport = {"width": 390, "height": 844}
    context = browser.new_context(viewport=viewport)
    tab = context.new_page()
    boxes = []
    try:
        for lang in ("id", "en"):
            measure(tab, phone, path, lang)
            boxes.append((lang, tab.evaluate(BOX, "form[action$='/rsvp'] button[type=submit]")))
    finally:
        context.close()
    assert all(within(box, viewport) for _, box in boxes), boxes


def test_the_site_header_stays_on_one_line_at_1366_on_these_pages(app: Flask, browser: Any) -> None:
    staff, paths, _ = staff_paths(app)
    admin = AuthActions(app.test_client())
    admin.login(role=Role.ADMIN)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    tab = context.new_page()
    lines = []
    try:
        for lang in ("id", "en"):
            for who in (staff, admin):
                for path in paths[:2]:
                    measure(tab, who.client, path, lang)
                    lines.append((lang, path, *tab.evaluate(MENU_LINES)))
    finally:
        context.close()
    assert all(n > 5 and rows == 1 for *_, n, rows in lines), lines


def test_the_pages_issue_17_added_fit_a_phone_and_a_projector(app: Flask, browser: Any) -> None:
    """The webhooks page (a long endpoint address, a failed delivery) and a draft meeting's
    delete confirmation, in both languages, on a 390 px phone and a 1280×720 projector."""
    admin = factories.user(Role.ADMIN)
    endpoint, _secret = webhook_services.create_endpoint(
        admin,
        {
            "url": f"http://127.0.0.1:9/{LONG}/meetcoord-webhook",
            "description": f"Sinkronisasi {LONG} e-Musrenbang",
            "events": ["meeting.scheduled", "decision.recorded"],
        },
    )
    for delivery in emit(endpoint.institution_id, "meeting.scheduled", {"meeting_id": 1}):
        delivery.status = DeliveryStatus.FAILED
        delivery.attempts = 8
        delivery.last_error = f"ConnectionRefusedError: {LONG}"
    secretariat = factories.user(Role.SECRETARIAT)
    draft = factories.meeting(by=secretariat, title=f"Rakor {LONG} Forum BangKIT")
    db.session.commit()
    admin_pages, staff_pages = AuthActions(app.test_client()), AuthActions(app.test_client())
    admin_pages.login(user=admin)
    staff_pages.login(user=secretariat)
    visits = [
        (admin_pages.client, "/settings/webhooks"),
        (staff_pages.client, f"/meetings/{draft.id}/delete"),
        (staff_pages.client, f"/meetings/{draft.id}"),
    ]
    failures = []
    for viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        try:
            for lang in ("id", "en"):
                for who, path in visits:
                    scroll, visible, bad = measure(tab, who, path, lang)
                    if scroll > visible or bad:
                        failures.append((viewport["width"], lang, path, scroll, visible, bad))
        finally:
            context.close()
    assert not failures, "\n".join(map(str, failures))
