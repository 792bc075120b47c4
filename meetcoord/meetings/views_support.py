"""The meetings blueprint and what its pages share: choices for selects, zones, the detail.

Handlers parse, check access, call one service and render; the rules live in the
services. A refused action re-renders the page it came from with the service's messages
beside the fields and the service's status (422 or 409), so nothing is lost or changed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from meetcoord.access import permissions
from meetcoord.access.institutions import all_institution_choices, institution_choices
from meetcoord.access.permissions import Permission
from meetcoord.channels.forms import ChannelForm
from meetcoord.channels.labels import AUDIENCE_LABELS as CHANNEL_AUDIENCE_LABELS
from meetcoord.channels.labels import KIND_LABELS as CHANNEL_KIND_LABELS
from meetcoord.channels.models import channels_of
from meetcoord.core.forms import current_actor
from meetcoord.core.outbox import OutboxMessage
from meetcoord.core.pagination import ListQuery
from meetcoord.core.timezones import get_zone, zone_label
from meetcoord.directory import services as directory
from meetcoord.directory.forms import NONE_PAIR, PICK_PAIR, options
from meetcoord.directory.models import Forum, Organization, Person, Venue
from meetcoord.extensions import db
from meetcoord.meetings import forms, labels, sending
from meetcoord.meetings.agenda import agenda_schedule
from meetcoord.meetings.conflicts import find_conflicts
from meetcoord.meetings.invitations import site_counts
from meetcoord.meetings.models import AgendaKind, Meeting, MeetingSite, MeetingStatus
from meetcoord.meetings.usual_site import USUAL
from meetcoord.meetings.workspace import TABS, current_tab, missing_roles, tab_url
from meetcoord.meetings.zones import host_zone
from meetcoord.planning.models import SyncMark

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

CHOICE_LIMIT = 2000  # people, agencies, forums and venues one Bappeda keeps
DETAIL = "meetings/detail.html"

actor = current_actor

USUAL_PAIR = (USUAL, _l("Lokasi biasa masing-masing"))

MAIL_LABELS = {
    "pending": _l("menunggu dikirim"),
    "sent": _l("terkirim"),
    "failed": _l("gagal"),
}


def can_edit(obj: Any = None) -> bool:
    """Whether this request's account arranges meetings (``obj``: this one)."""
    return permissions.allowed(current_actor(), Permission.MEETING_ARRANGE, obj)


def require_editor(obj: Any = None) -> None:
    """Refuse a write page before showing its form (the service refuses the write too):
    ``obj``, the meeting or series it changes, outside the account's reach is not found."""
    permissions.require(current_actor(), Permission.MEETING_ARRANGE, obj)


def _all(model: type) -> list[Any]:
    return directory.list_records(model, ListQuery(per_page=CHOICE_LIMIT), current_actor()).items


def venue_options() -> list[Any]:
    return options(
        [PICK_PAIR] + [(str(v.id), f"{v.name} ({zone_label(v.timezone)})") for v in _all(Venue)]
    )


def person_pairs() -> list[tuple[str, str]]:
    return [
        (str(p.id), f"{p.name} — {p.organization.name}" if p.organization else p.name)
        for p in _all(Person)
    ]


def forum_options(blank: tuple[str, Any] = NONE_PAIR) -> list[Any]:
    return options([blank] + [(str(f.id), f.name) for f in _all(Forum)])


def organization_options() -> list[Any]:
    return options([PICK_PAIR] + [(str(o.id), o.name) for o in _all(Organization)])


def site_options(meeting: Meeting) -> list[Any]:
    return options(
        [forms.ONLINE_PAIR]
        + [
            (str(site.id), f"{site.venue.name} ({zone_label(site.venue.timezone)})")
            for site in meeting.sites
        ]
    )


def meeting_zones(meeting: Meeting) -> list[str]:
    """The zones of the meeting's sites, west to east: "09.00 WIB / 10.00 WITA / 11.00 WIT"."""
    names = {site.venue.timezone for site in meeting.sites}
    if meeting.host_venue is not None:
        names.add(meeting.host_venue.timezone)
    if not names:
        names.add("Asia/Jakarta")

    def offset(name: str) -> timedelta:
        return meeting.start_at.astimezone(get_zone(name)).utcoffset() or timedelta(0)

    return sorted(names, key=lambda name: (offset(name), name))


def local_input(moment: datetime | None, zone: str) -> str:
    """A ``datetime-local`` value: the wall clock at the host venue."""
    if moment is None:
        return ""
    return moment.astimezone(get_zone(zone)).strftime("%Y-%m-%dT%H:%M")


def meeting_form(form: forms.MeetingForm, meeting: Meeting | None = None) -> forms.MeetingForm:
    form.host_venue_id.choices = venue_options()
    form.forum_id.choices = forum_options()
    if isinstance(form, forms.SeriesEditForm):
        return form  # no owner fields (see the form)
    current = meeting.institution_id if meeting is not None else None
    form.institution_id.choices = options(institution_choices(current_actor(), current))
    form.cohost_institution_id.choices = options([NONE_PAIR, *all_institution_choices()])
    return form


def fill_meeting_form(form: forms.MeetingForm, meeting: Meeting) -> None:
    """Show a meeting's values in its form (on GET): times as the host venue's wall clock."""
    zone = host_zone(meeting)
    form.title.data = meeting.title
    form.purpose.data = meeting.purpose or ""
    form.kind.data = meeting.kind.value
    form.host_venue_id.data = str(meeting.host_venue_id or "")
    form.forum_id.data = str(meeting.forum_id or "")
    if not isinstance(form, forms.SeriesEditForm):
        form.institution_id.data = str(meeting.institution_id)
        form.cohost_institution_id.data = str(meeting.cohost_institution_id or "")
    form.online_url.data = meeting.online_url or ""
    form.start_at.data = local_input(meeting.start_at, zone)
    form.end_at.data = local_input(meeting.end_at, zone)
    fill_quorum(form, meeting)


def fill_quorum(form: Any, row: Meeting | MeetingSite) -> None:
    """A meeting's or a site's quorum rule in its form's two fields."""
    form.quorum_kind.data = row.quorum_kind.value if row.quorum_kind else ""
    form.quorum_value.data = str(row.quorum_value or "")


def site_form(form: forms.SiteForm | None = None) -> forms.SiteForm:
    form = form or forms.SiteForm()
    form.venue_id.choices = venue_options()
    form.coordinator_id.choices = options([NONE_PAIR, *person_pairs()])
    return form


def invite_forms(meeting: Meeting, **bound: Any) -> dict[str, Any]:
    """The three ways to invite: a person, a whole organization, a whole forum."""
    by_person = bound.get("invite_person") or forms.InvitePersonForm(prefix="p")
    by_org = bound.get("invite_organization") or forms.InviteOrganizationForm(prefix="o")
    by_forum = bound.get("invite_forum") or forms.InviteForumForm(prefix="f")
    invited = {inv.person_id for inv in meeting.invitations if inv.withdrawn_at is None}
    by_person.person_ids.choices = options(
        [PICK_PAIR] + [pair for pair in person_pairs() if int(pair[0]) not in invited]
    )
    by_org.organization_id.choices = organization_options()
    by_forum.forum_id.choices = forum_options(PICK_PAIR)
    for form in (by_person, by_org, by_forum):
        form.site_id.choices = site_options(meeting)
    for form in (by_org, by_forum):  # a whole group: each member at their usual site
        form.site_id.choices = options([USUAL_PAIR]) + form.site_id.choices
        if not form.is_submitted():
            form.site_id.data = USUAL
    return {"invite_person": by_person, "invite_organization": by_org, "invite_forum": by_forum}


def mail_state(invitation_ids: list[int]) -> tuple[dict[str, int], dict[int, str]]:
    """This meeting's mail in the outbox: a count per status, and each invitee's latest.

    Read only; the outbox page (``outbox.messages``) is where failed mail is sent again.
    """
    if not invitation_ids:
        return {}, {}
    rows = db.session.execute(
        select(OutboxMessage.ref_id, OutboxMessage.status)
        .where(OutboxMessage.ref_type == "invitation", OutboxMessage.ref_id.in_(invitation_ids))
        .order_by(OutboxMessage.id)
    ).all()
    totals: dict[str, int] = {}
    latest: dict[int, str] = {}
    for ref_id, status in rows:
        totals[status.value] = totals.get(status.value, 0) + 1
        latest[ref_id] = status.value
    return totals, latest


def has_sync(meeting: Meeting) -> bool:
    """Whether the page links the synchronisation matrix and its outcome: the meeting has a
    "sync_matrix" item, or rows were marked on it (an item removed later keeps its rows)."""
    if any(item.kind is AgendaKind.SYNC_MATRIX for item in meeting.agenda):
        return True
    return bool(db.session.scalar(select(exists().where(SyncMark.meeting_id == meeting.id))))


FORM_TABS = {
    "site_form": "sites",
    "channel_form": "sites",
    "agenda_form": "agenda",
    "invite_person": "invitees",
    "invite_organization": "invitees",
    "invite_forum": "invitees",
}


def render_detail(meeting: Meeting, status: int = 200, tab: str | None = None, **bound: Any) -> Any:
    """The meeting page at one tab; ``bound`` holds a refused form to show with its messages
    (and, unless ``tab`` says otherwise, picks the tab that form lives on)."""
    tab = current_tab(tab or next((FORM_TABS[k] for k in bound if k in FORM_TABS), None))
    editing = can_edit(meeting)  # a viewer member of its institution only looks
    slots = agenda_schedule(meeting)
    invitations = [inv for inv in meeting.invitations if inv.withdrawn_at is None]
    mail_totals, mail_latest = (
        mail_state([inv.id for inv in meeting.invitations]) if editing else ({}, {})
    )
    context: dict[str, Any] = {
        "meeting": meeting,
        "zones": meeting_zones(meeting),
        "host_zone": host_zone(meeting),
        "conflicts": (
            find_conflicts(meeting) if meeting.status is not MeetingStatus.CANCELLED else []
        ),
        "counts": site_counts(meeting),
        "slots": slots,
        "agenda_end": slots[-1].end_at if slots else None,
        "invitations": invitations,
        "can_edit": editing,
        "has_sync": has_sync(meeting),
        "mail_totals": mail_totals,
        "mail_latest": mail_latest,
        "mail_labels": MAIL_LABELS,
        "confirm": forms.ConfirmForm(),
        "send_job": sending.current_job(meeting) if editing else None,
        "labels": {
            "kind": labels.KIND_LABELS,
            "status": labels.STATUS_LABELS,
            "agenda": labels.AGENDA_KIND_LABELS,
            "role": labels.INVITEE_ROLE_LABELS,
            "rsvp": labels.RSVP_LABELS,
        },
        "channels": channels_of(meeting.id),
        "channel_labels": (CHANNEL_KIND_LABELS, CHANNEL_AUDIENCE_LABELS),
        "tab": tab,
        "tabs": TABS,
        "tab_url": tab_url,
        "missing_roles": missing_roles(meeting),
        "message": bound.pop("message", None),
        "loose_errors": bound.pop("loose_errors", []),
    }
    if editing:
        context["site_form"] = site_form(bound.get("site_form"))
        context["agenda_form"] = bound.get("agenda_form") or forms.AgendaForm()
        context.update(invite_forms(meeting, **bound))
        context["site_choices"] = site_options(meeting)
        context["channel_form"] = bound.get("channel_form") or ChannelForm().set_sites(meeting)
    return render_template(DETAIL, **context), status
