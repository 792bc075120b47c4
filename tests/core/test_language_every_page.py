"""No English in the Indonesian interface (issue 16, point 6): every page, walked.

Every GET page of ``app.url_map`` is rendered in Indonesian — from a browser that asks for
English (Accept-Language: en-US), as most browsers sold in Indonesia do — as an
administrator for the staff pages and signed out for the participant and public pages,
with the demo data filling the addresses. Any English translation from the catalog, or a
word of the English list, in a page's text fails the test with the page and the string.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from meetcoord.access.models import Institution
from meetcoord.accounts.models import Role, User
from meetcoord.actions import agency
from meetcoord.actions.models import Action, ActionEvidence
from meetcoord.channels.models import MeetingChannel
from meetcoord.checkin.platform_models import PlatformImport
from meetcoord.demo import load_demo
from meetcoord.demo.meetings import find_cohosted_meeting, find_demo_meeting
from meetcoord.demo.past_meeting import find_past_meeting
from meetcoord.demo.webinar import find_webinar
from meetcoord.directory.models import Forum, Organization, Person, Venue
from meetcoord.documents.models import Document
from meetcoord.extensions import db
from meetcoord.materials import services as materials
from meetcoord.materials.models import Material
from meetcoord.meetings.links import personal_token
from meetcoord.meetings.models import AgendaItem, Invitation, Meeting, Series
from meetcoord.planning.models import Proposal, VillageIndex
from meetcoord.planning.tracking import ProposalTracking
from meetcoord.public.models import Publication
from meetcoord.registration.models import RegistrationSettings
from meetcoord.reminders.mute import mute_token
from tests import factories
from tests.conftest import AuthActions
from tests.core.language_walk import (
    SIGNED_OUT,
    Walk,
    english_phrases,
    find_leaks,
    first_id,
    page_text,
    paths,
)
from tests.smtp_support import make_message

BROWSER_IN_ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def _common(admin: User) -> dict[str, Any]:
    """Values that do not depend on the meeting."""
    evidence = db.session.scalar(select(ActionEvidence).order_by(ActionEvidence.id).limit(1))
    organization = db.session.get(Organization, first_id(Organization))
    _link, agency_token = agency.issue(admin, organization, None)
    item = db.session.get(AgendaItem, first_id(AgendaItem))
    _speaker, speaker_token = materials.issue_link(admin, item, {"name": "Pembicara Uji"})
    person = db.session.get(Person, first_id(Person))
    for n, kind in enumerate(("invitation", "reminder_meeting_morning", "address_changed")):
        mail = make_message(n, None)  # the outbox page shows each kind in words
        mail.kind, mail.ref_type, mail.ref_id = kind, "person", person.id
    db.session.commit()
    return {
        "action_id": evidence.action_id if evidence else first_id(Action),
        "evidence_id": evidence.id if evidence else None,
        "agency_token": agency_token,
        "speaker_token": speaker_token,
        "institution_id": first_id(Institution),
        "user_id": first_id(User),
        "org_id": organization.id,
        "person_id": person.id,
        "venue_id": first_id(Venue),
        "forum_id": first_id(Forum),
        "proposal_id": first_id(Proposal),
        "village_id": db.session.scalar(select(VillageIndex.village_id).limit(1)),
        "mute_token": mute_token(person),
        "publication_slug": db.session.scalar(select(Publication.slug).limit(1)),
        "registration_slug": db.session.scalar(select(RegistrationSettings.slug).limit(1)),
        "tracking_slug": db.session.scalar(select(ProposalTracking.slug).limit(1)),
        "key": "all",
        "fmt": "csv",
    }


def _of_meeting(meeting: Meeting) -> dict[str, Any]:
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.meeting_id == meeting.id).order_by(Invitation.id)
    )
    site = meeting.sites[0] if meeting.sites else None
    series = meeting.series_id or first_id(Series)
    return {
        "meeting_id": meeting.id,
        "item_id": first_id(AgendaItem, AgendaItem.meeting_id == meeting.id),
        "invitation_id": invitation.id if invitation else None,
        "token": personal_token(invitation) if invitation else None,
        "site_id": site.id if site else None,
        "site_code": site.code if site else None,
        "code": site.code if site else None,
        "channel_id": first_id(MeetingChannel, MeetingChannel.meeting_id == meeting.id),
        "material_id": first_id(Material, Material.meeting_id == meeting.id),
        "import_id": first_id(PlatformImport, PlatformImport.meeting_id == meeting.id),
        "document_id": first_id(Document, Document.meeting_id == meeting.id),
        "series_id": series,
        "subject_id": meeting.id,
    }


def _with_route_values(rule: str, values: dict[str, Any]) -> dict[str, Any]:
    """Where one parameter name means different things on different routes."""
    if rule.startswith("/reminders/mute/"):
        return values | {"token": values["mute_token"]}
    if rule.startswith("/planning/proposals/import/"):
        return values | {"token": "tidak-ada"}  # a forgotten import: its own page
    if rule.startswith("/publication/series/"):
        return values | {"subject_id": values["series_id"]}
    if rule.startswith("/publication/forum/"):
        return values | {"subject_id": values["forum_id"]}
    slug = {"/p/": "publication_slug", "/r/": "registration_slug", "/t/": "tracking_slug"}
    for prefix, name in slug.items():
        if rule.startswith(prefix):
            return values | {"slug": values[name]}
    return values | {"slug": None}


def _signed_out(path: str) -> bool:
    return any(path == p.rstrip("/") or path.startswith(p.rstrip("/") + "/") for p in SIGNED_OUT)


def _walk(app: Flask, staff: Any, public: Any, passes: list[dict[str, Any]]) -> Walk:
    walk, phrases = Walk(), english_phrases()
    for path in paths(app, passes, _with_route_values):
        client = public if _signed_out(path) else staff
        response = client.get(path, headers=BROWSER_IN_ENGLISH, buffered=True)
        response.close()  # a download's file, read whole (buffered)
        if response.status_code >= 500:
            walk.other.append((path, response.status_code))
            continue
        if response.mimetype != "text/html" or 300 <= response.status_code < 400:
            continue
        html = response.get_data(as_text=True)
        assert '<html lang="id"' in html, path
        walk.rendered.append(path)
        walk.leaks += find_leaks(path, page_text(html), phrases)
    return walk


def test_no_english_in_indonesian_pages(app: Flask, client: Any) -> None:
    load_demo()
    admin = factories.user(Role.ADMIN, member=False)
    meetings = [find_past_meeting(), find_webinar(), find_demo_meeting(), find_cohosted_meeting()]
    common = _common(admin)
    passes = [common | _of_meeting(m) for m in meetings if m is not None]
    staff = app.test_client()
    AuthActions(staff).login(user=admin)

    walk = _walk(app, staff, client, passes)

    report = "\n".join(f"  {leak.path}: {leak.english!r} ({leak.source})" for leak in walk.leaks)
    assert not walk.leaks, f"English in {len(walk.leaks)} place(s) of Indonesian pages:\n{report}"
    assert not walk.other, walk.other
    assert len(walk.rendered) > 100, len(walk.rendered)  # the walk really walked


def test_signed_out_visitor_is_asked_to_sign_in_in_indonesian(client: Any) -> None:
    """Flask-Login's own "Please log in to access this page." never shows."""
    page = client.get("/home", headers=BROWSER_IN_ENGLISH, follow_redirects=True)
    text = page_text(page.get_data(as_text=True))
    assert "Silakan masuk untuk membuka halaman ini." in text
    assert not find_leaks("/login", text, english_phrases())
    client.set_cookie("lang", "en")  # a visitor who chose English reads it in English
    page = client.get("/home", follow_redirects=True).get_data(as_text=True)
    assert "Please sign in to open this page." in page
    assert "Please log in to access this page." not in page


def test_the_walk_finds_english() -> None:
    """The detector itself: a catalog string, a raw word, and Indonesian left alone."""
    html = (
        '<html lang="id"><body><p>Please sign in to open this page.</p>'
        '<button title="Submit">Kirim</button><script>var the = "Error";</script>'
        "<p>Rapat koordinasi</p></body></html>"
    )
    found = {
        (leak.english, leak.source) for leak in find_leaks("/x", page_text(html), english_phrases())
    }
    assert ("Please sign in to open this page", "Silakan masuk untuk membuka halaman ini.") in found
    assert ("Submit", "word list") in found
    assert ("Please", "word list") in found
    codes = page_text(
        "<td>create</td><td>reminder_meeting_morning</td><td><code>asal_daerah</code>"
    )
    assert {leak.english for leak in find_leaks("/z", codes, {})} == {
        "create",
        "reminder_meeting_morning",
    }
    assert not any(english == "Error" for english, _source in found)  # script code is not text
    indonesian = page_text('<p>Rapat koordinasi</p><p title="Simpan">Batal</p>')
    assert not find_leaks("/y", indonesian, english_phrases())
