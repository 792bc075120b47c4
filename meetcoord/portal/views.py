"""The invitation page behind ``/i/<token>``, its forms and files, and the calendar feeds.

Participants have no account: the token in the URL is the credential (DESIGN §6), and
``portal.links`` resolves it, limits it and keeps it private for every route here (see
``portal.pages`` for the URL table). A forged or withdrawn token gets the same plain 404.
The page works without JavaScript on a phone over a weak connection: plain forms, one
small stylesheet.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _

from meetcoord.access import permissions, resolve
from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.actions import agency
from meetcoord.calendar import feed_ics, google_calendar_url, invitation_ics, whatsapp_url
from meetcoord.calendar.wording import event_zones
from meetcoord.channels import joining, showing
from meetcoord.channels.labels import KIND_LABELS as CHANNEL_KIND_LABELS
from meetcoord.channels.models import MeetingChannel
from meetcoord.checkin import desk_views, kiosk_views, selfservice
from meetcoord.core.errors import Conflict, ServiceError, ValidationError
from meetcoord.directory.models import Organization, Person
from meetcoord.documents.rules import documents_for
from meetcoord.documents.views_support import KIND_LABELS, STATUS_LABELS
from meetcoord.extensions import db, limiter
from meetcoord.materials import queries as material_queries
from meetcoord.meetings import feeds, invitations, links, mailing, services, zones
from meetcoord.meetings.labels import INVITEE_ROLE_LABELS, RSVP_LABELS
from meetcoord.meetings.models import Invitation, MeetingStatus
from meetcoord.portal.forms import ONLINE, RsvpForm, StandInForm
from meetcoord.portal.links import holder, remember

# Calendar servers poll feeds, and Google's or Microsoft's fetchers poll many people's
# feeds from one address: the feed has limits of its own instead of the personal-link
# budget (a route's own limits replace the blueprint's), higher per address, the same per
# feed.
FEED_OWN_LIMIT = "60 per minute"
feed_limit = limiter.limit("600 per minute")
feed_own_limit = limiter.limit(
    FEED_OWN_LIMIT, key_func=lambda: f"{request.remote_addr}|{request.path}"
)


# --- the personal page ------------------------------------------------------------------


def _page(
    invitation: Invitation,
    rsvp_form: RsvpForm | None = None,
    stand_in_form: StandInForm | None = None,
    message: str | None = None,
    message_for: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    meeting = invitation.meeting
    event = mailing.event_data(meeting)
    recipient = mailing.recipient(invitation, event)
    if rsvp_form is None:
        rsvp_form = RsvpForm(
            formdata=None,
            rsvp=invitation.rsvp.value if invitation.rsvp.value in RSVP_LABELS else None,
            attendance=str(invitation.site_id) if invitation.site_id else ONLINE,
        )
    rsvp_form.set_sites(meeting)
    token = links.personal_token(invitation)
    return render_template(
        "portal/invitation.html",
        invitation=invitation,
        meeting=meeting,
        event=event,
        recipient=recipient,
        zone=recipient.zone,
        zones=list(event_zones(event, recipient.zone)),
        open=meeting.status in (MeetingStatus.DRAFT, *services.ACTIVE),
        cancelled=meeting.status is MeetingStatus.CANCELLED,
        rsvp_form=rsvp_form,
        stand_in_form=stand_in_form or StandInForm(formdata=None),
        message=message,
        message_for=message_for,
        rsvp_labels=RSVP_LABELS,
        role_labels=INVITEE_ROLE_LABELS,
        google_url=google_calendar_url(event, recipient),
        whatsapp_url=whatsapp_url(event, recipient),
        feed_url=links.feed_url(invitations.feed_for(invitation.person)),
        token=token,
        kiosk_sites=kiosk_views.coordinator_sites(invitation),
        credential_qr=desk_views.credential_qr(invitation),
        desk_sites=desk_views.coordinator_sites(invitation),
        documents=documents_for(invitation),
        agency_actions=agency.has_actions(invitation.person.organization_id),
        materials=material_queries.has_any(meeting.id),
        document_labels=(KIND_LABELS, STATUS_LABELS),
        shown=showing.for_invitation(invitation),
        channel_kind_labels=CHANNEL_KIND_LABELS,
        channel_href=lambda channel: channel_href(token, meeting, channel),
    ), status


def channel_href(token: str, meeting: Any, channel: MeetingChannel) -> str:
    """Through meetcoord, so that following it records the join: the meeting's own link
    (``Meeting.online_url``) through ``/join``, any other channel through its id."""
    if channel.id is None or (
        channel.url == meeting.online_url and channel.kind.value == "video_meeting"
    ):
        return url_for("portal.join_online", token=token)
    return url_for("portal.follow_channel", token=token, channel_id=channel.id)


def invitation_page(token: str) -> Any:
    html, status = _page(holder(token))
    response = make_response(html, status)
    # The browser keeps its links: at the venue, the kiosk QR then checks in with one tap.
    remember(request, response, token)
    return response


def join_online(token: str) -> Any:
    """The meeting's online link, through here: following it counts as attending online
    (inside the check-in window; earlier, a page says when it opens)."""
    invitation = holder(token)
    if not invitation.meeting.online_url:
        abort(404)
    result = selfservice.record_online(invitation)
    if result.status == "refused":
        back = url_for("portal.invitation_page", token=token)
        return render_template("checkin/self_result.html", result=result, back=back), 409
    return redirect(invitation.meeting.online_url)


def follow_channel(token: str, channel_id: int) -> Any:
    """A channel's link, through here: an online participant following a live one inside
    the check-in window is recorded as attending (``channels.joining``), then sent on.
    A channel not meant for them, or not shown now, is not found."""
    invitation = holder(token)
    channel = db.session.get(MeetingChannel, channel_id)
    if (
        channel is None
        or channel.meeting_id != invitation.meeting_id
        or channel not in showing.for_invitation(invitation).channels
    ):
        abort(404)
    joining.follow_channel(invitation, channel)  # outside the window: nothing recorded
    return redirect(channel.url)


def _refused(invitation: Invitation, which: str, form: Any, exc: ServiceError) -> Any:
    """The page again with the refused form's errors beside its fields; nothing was kept."""
    db.session.rollback()
    form.apply_errors(exc.errors)
    return _page(
        invitation,
        message=str(exc.message),
        message_for=which,
        status=exc.status,
        **{f"{which}_form": form},
    )


def rsvp(token: str) -> Any:
    invitation = holder(token)
    form = RsvpForm()
    data: dict[str, Any] = {"rsvp": request.form.get("rsvp")}
    where = (request.form.get("attendance") or "").strip()
    if where:  # the form's one select: a site's id or "online"
        data["site_id"] = None if where == ONLINE else where
    try:
        invitations.respond(invitation, data)
    except (ValidationError, Conflict) as exc:
        if "site_id" in (exc.errors or {}):  # the service's name for the form's field
            exc.errors["attendance"] = exc.errors.pop("site_id")
        return _refused(invitation, "rsvp", form, exc)
    flash(_("Jawaban Anda tersimpan"), "success")
    return redirect(url_for("portal.invitation_page", token=token))


def stand_in(token: str) -> Any:
    invitation = holder(token)
    form = StandInForm()
    letter = invitations.read_letter(request.files.get("letter"))
    data = {
        "stand_in_name": request.form.get("stand_in_name"),
        "stand_in_position": request.form.get("stand_in_position"),
    }
    try:
        invitations.nominate_stand_in(invitation, data, letter)
    except (ValidationError, Conflict) as exc:
        return _refused(invitation, "stand_in", form, exc)
    flash(_("Data wakil tersimpan"), "success")
    return redirect(url_for("portal.invitation_page", token=token))


def invitation_calendar(token: str) -> Response:
    invitation = holder(token)
    event = mailing.event_data(invitation.meeting)
    method = "CANCEL" if invitation.meeting.status is MeetingStatus.CANCELLED else "REQUEST"
    body = invitation_ics(event, mailing.recipient(invitation, event), method)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = f"text/calendar; charset=utf-8; method={method}"
    response.headers["Content-Disposition"] = 'attachment; filename="undangan.ics"'
    return response


def letter(token: str) -> Response:
    invitation = holder(token)
    path = invitations.letter_path(invitation)
    if path is None or not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=invitation.stand_in_letter_type or "application/octet-stream",
        as_attachment=True,
        download_name=f"surat-tugas{path.suffix}",
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- a site coordinator's desk ---------------------------------------------------------


def desk_entry(token: str, code: str) -> Response:
    """A coordinator's personal link opens their site's desk (and only theirs): their
    invitation goes into the (signed) session and the desk re-checks it on every request."""
    invitation = holder(token)
    site = selfservice.site_by_code(code)
    if site is None:
        abort(404)
    # Another meeting's link finds no such desk; a participant of this one is refused.
    permissions.require(Actor(invitation=invitation), Permission.CHECKIN_OPERATE, site=site)
    session[desk_views.SESSION_KEY] = invitation.id
    return redirect(url_for("desk.desk_page", code=site.code))


# --- subscribable feeds -----------------------------------------------------------------


@feed_limit
@feed_own_limit
def feed(token: str) -> Response:
    calendar_feed = invitations.feed_by_token(token)
    owner = calendar_feed.person or calendar_feed.organization
    body = feed_ics(
        feeds.feed_events(calendar_feed),
        name=_("Rapat: %(name)s", name=owner.name) if owner else None,
    )
    return Response(body, content_type="text/calendar; charset=utf-8")


def reader_zone_filter(invitation: Invitation) -> str:
    """``invitation|reader_zone`` for any page a participant reads (the live phone too)."""
    return zones.reader_zone(invitation)


def feed_link_helper() -> dict[str, Any]:
    """``calendar_feed_url(person_or_organization)`` for ``portal/_feed_link.html``:
    the secret feed address, for secretariat staff only (None for anyone else).
    """

    def calendar_feed_url(owner: Person | Organization) -> str | None:
        if not permissions.allowed(resolve.account(), Permission.DIRECTORY_EDIT):
            return None
        return links.feed_url(invitations.feed_for(owner))

    return {"calendar_feed_url": calendar_feed_url}
