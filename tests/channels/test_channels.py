"""A meeting's online channels (issue 15): staff add, change and remove them (page and
API, audited, scoped to the institution), each participant's page shows the one for their
mode at the right moment, and joining online inside the check-in window is attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest

from meetcoord.channels import joining, services, showing
from meetcoord.channels.models import ChannelKind, MeetingChannel, channels_of
from meetcoord.checkin.counts import presence
from meetcoord.checkin.models import Attendance, CheckinMethod
from meetcoord.core.audit import AuditEntry
from meetcoord.core.errors import NotFound, PermissionDenied, ValidationError
from meetcoord.core.timezones import format_long_date, format_time_in_zone
from meetcoord.extensions import db
from meetcoord.meetings import links
from meetcoord.meetings import services as meetings
from tests import factories
from tests.helpers import count, reads, text
from tests.kiosk_support import Rakor, phone

ZOOM = "https://zoom.example.com/j/123"
YOUTUBE = "https://www.youtube.com/live/abc"
REPLAY = "https://www.youtube.com/watch?v=rekaman"
API = "/api/v1"


def webinar(starts_in: timedelta) -> Rakor:
    """The Rakor (a video link, three invitees at the host site) with an online invitee,
    a livestream for everyone and a recording."""
    rakor = Rakor(starts_in=starts_in)
    rakor.online = factories.invitation(rakor.meeting, online=True)
    services.add_channel(
        rakor.staff, rakor.meeting, {"kind": "livestream", "label": "YouTube", "url": YOUTUBE}
    )
    services.add_channel(
        rakor.staff, rakor.meeting, {"kind": "recording", "label": "Rekaman", "url": REPLAY}
    )
    return rakor


def urls(invitation, **kw) -> list[str]:
    return [c.url for c in showing.for_invitation(invitation, **kw).channels]


# --- the channels themselves -----------------------------------------------------------


def test_the_meeting_link_is_its_first_video_channel_and_follows_both_ways(app):
    rakor = Rakor()
    (first,) = channels_of(rakor.meeting.id)
    assert (first.kind, first.url) == (ChannelKind.VIDEO_MEETING, ZOOM)
    sequence = rakor.meeting.sequence
    # The channel section changes the link: invitations and calendars follow (an update).
    services.update_channel(rakor.staff, first, {"url": "https://meet.example.com/abc"})
    assert rakor.meeting.online_url == "https://meet.example.com/abc"
    assert rakor.meeting.sequence == sequence + 1
    # The meeting form changes it: the channel follows.
    meetings.update_meeting(rakor.staff, rakor.meeting, {"online_url": ZOOM})
    assert channels_of(rakor.meeting.id)[0].url == ZOOM
    services.remove_channel(rakor.staff, channels_of(rakor.meeting.id)[0])
    assert rakor.meeting.online_url is None
    actions = {e.action for e in AuditEntry.query.filter_by(entity_type="meetings")}
    assert {"update_channel", "remove_channel"} <= actions


def test_a_link_without_its_channel_row_is_kept_when_channels_are_added(app):
    """A series occurrence is cloned with ``online_url`` and no channel row."""
    rakor = Rakor()
    db.session.delete(channels_of(rakor.meeting.id)[0])
    db.session.commit()
    assert urls(rakor.invitee(0)) == [ZOOM]  # shown all the same
    services.add_channel(
        rakor.staff, rakor.meeting, {"kind": "livestream", "label": "YouTube", "url": YOUTUBE}
    )
    assert rakor.meeting.online_url == ZOOM
    assert [c.kind for c in channels_of(rakor.meeting.id)] == [
        ChannelKind.VIDEO_MEETING,
        ChannelKind.LIVESTREAM,
    ]


@pytest.mark.parametrize(
    "url",
    [
        "http://zoom.example.com/j/1",
        "javascript:alert(1)//https://x",
        "JavaScript:alert(1)",
        "https:///nohost",
        "https://zoom.example.com/j/1 2",
        "https://user:pw@zoom.example.com/",
        "https://zoom.example.com/" + "a" * 500,
        "",
    ],
)
def test_a_channel_link_is_https_bounded_and_nothing_else(app, url):
    rakor = Rakor()
    before = count(MeetingChannel)
    with pytest.raises(ValidationError) as refused:
        services.add_channel(
            rakor.staff, rakor.meeting, {"kind": "livestream", "label": "Siaran", "url": url}
        )
    assert "url" in refused.value.errors
    assert count(MeetingChannel) == before


def test_one_site_audience_names_a_site_of_this_meeting(app):
    rakor, other = Rakor(), Rakor("Rakor Lain")
    data = {"kind": "livestream", "label": "Ambon", "url": YOUTUBE, "audience": "site"}
    with pytest.raises(ValidationError) as missing:
        services.add_channel(rakor.staff, rakor.meeting, data)
    assert "audience_site_id" in missing.value.errors
    with pytest.raises(ValidationError):
        services.add_channel(
            rakor.staff, rakor.meeting, {**data, "audience_site_id": other.site.id}
        )
    channel = services.add_channel(
        rakor.staff, rakor.meeting, {**data, "audience_site_id": rakor.other_site.id}
    )
    assert channel.audience_site_id == rakor.other_site.id


def test_only_the_meetings_own_staff_change_its_channels(app):
    rakor = Rakor()
    stranger = factories.user("secretariat", institution=factories.institution())
    viewer = factories.user("viewer")
    data = {"kind": "livestream", "label": "YouTube", "url": YOUTUBE}
    with pytest.raises(NotFound):
        services.list_channels(stranger, rakor.meeting.id)
    with pytest.raises((NotFound, PermissionDenied)):
        services.add_channel(stranger, rakor.meeting, data)
    with pytest.raises(PermissionDenied):
        services.add_channel(viewer, rakor.meeting, data)
    assert len(services.list_channels(viewer, rakor.meeting.id)) == 1


# --- the staff page and the API ----------------------------------------------------------


def test_staff_add_edit_and_remove_a_channel_on_the_meeting_page(app, client, auth):
    rakor = Rakor()
    auth.login(user=rakor.staff)
    page = f"/meetings/{rakor.meeting.id}"
    assert 'id="channels"' in text(client.get(f"{page}?tab=sites"))
    bad = auth.post(
        f"{page}/channels", {"kind": "livestream", "label": "YouTube", "url": "http://x.y"}
    )
    assert bad.status_code == 422
    assert "Tautan harus diawali https://" in text(bad)
    reads(auth.client, "en")
    english = auth.post(
        f"{page}/channels",
        {"kind": "livestream", "label": "YouTube", "url": "javascript:alert(1)"},
    )
    assert "The link must start with https://" in text(english)
    reads(auth.client, "id")
    assert count(MeetingChannel) == 1
    added = auth.post(
        f"{page}/channels",
        {"kind": "livestream", "label": "YouTube", "url": YOUTUBE, "passcode": "rakor"},
    )
    assert added.status_code == 302
    channel = channels_of(rakor.meeting.id)[1]
    assert channel.passcode == "rakor"
    edit = f"{page}/channels/{channel.id}/edit"
    assert YOUTUBE in text(client.get(edit))
    saved = auth.post(
        edit,
        {
            "kind": "livestream",
            "label": "Siaran Ambon",
            "url": YOUTUBE,
            "audience": f"site-{rakor.other_site.id}",
        },
    )
    assert saved.status_code == 302
    assert (channel.label, channel.audience_site_id) == ("Siaran Ambon", rakor.other_site.id)
    remove = f"{page}/channels/{channel.id}/remove"
    assert "Hapus saluran ini?" in text(client.get(remove))
    assert count(MeetingChannel) == 2  # asking changes nothing
    assert auth.post(remove).status_code == 302
    assert count(MeetingChannel) == 1


def test_the_api_twin_lists_adds_changes_and_removes(app, client, api_token):
    rakor = Rakor()
    _user, headers = api_token("secretariat")
    base = f"{API}/meetings/{rakor.meeting.id}/channels"
    listed = client.get(base, headers=headers).get_json()
    assert [(c["kind"], c["url"], c["reaches"]) for c in listed["items"]] == [
        ("video_meeting", ZOOM, "everyone")
    ]
    refused = client.post(
        base, json={"kind": "recording", "label": "R", "url": "http://x.y"}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    made = client.post(
        base, json={"kind": "recording", "label": "Rekaman", "url": REPLAY}, headers=headers
    )
    assert made.status_code == 201
    by_kind = client.get(f"{base}?sort=kind&per_page=1", headers=headers).get_json()
    assert (by_kind["total"], by_kind["pages"]) == (2, 2)
    assert [c["kind"] for c in by_kind["items"]] == ["recording"]
    item = made.headers["Location"]
    patched = client.patch(item, json={"audience": "online"}, headers=headers)
    assert patched.get_json()["reaches"] == "online"
    assert client.delete(item, headers=headers).status_code == 204
    assert client.get(item, headers=headers).status_code == 404
    # Another meeting's channel through this meeting's URL is not found.
    other = Rakor("Rakor Lain")
    foreign = f"{base}/{channels_of(other.meeting.id)[0].id}"
    assert client.get(foreign, headers=headers).status_code == 404
    # Another institution's staff do not see this meeting's channels at all.
    outsider = factories.user("secretariat", institution=factories.institution())
    from meetcoord.accounts.services import create_token

    _t, secret = create_token(None, outsider, "t")
    assert client.get(base, headers={"Authorization": f"Bearer {secret}"}).status_code == 404


# --- what each participant sees, when ------------------------------------------------------


def test_before_the_window_a_line_says_when_the_link_appears_in_the_readers_zone(app):
    rakor = webinar(timedelta(hours=3))
    inv = rakor.online
    assert urls(inv) == []
    shown = showing.for_invitation(inv)
    opens = rakor.meeting.start_at - timedelta(hours=2)
    assert shown.available_at == opens
    html = text(phone(app).get(f"/i/{links.personal_token(inv)}"))
    zone = "Asia/Makassar"  # the online invitee reads in the host's zone
    when = f"{format_long_date(opens, zone)} pukul {format_time_in_zone(opens, zone)}"
    assert f"Tautan tersedia mulai {when}." in html
    assert ZOOM not in html
    assert YOUTUBE not in html


def test_each_participant_sees_their_channel_during_and_the_recording_after(app):
    rakor = webinar(timedelta(minutes=30))
    online, at_site = rakor.online, rakor.invitee(0)
    meeting = rakor.meeting
    # Check-in open, not started: the video link only.
    assert urls(online) == [ZOOM]
    # During: the video link and the livestream.
    during = meeting.start_at + timedelta(minutes=10)
    assert urls(online, now=during) == [ZOOM, YOUTUBE]
    # A livestream for one site: the other site's participants do not see it.
    stream = channels_of(meeting.id)[1]
    services.update_channel(
        rakor.staff, stream, {"audience": "site", "audience_site_id": rakor.other_site.id}
    )
    assert urls(at_site, now=during) == [ZOOM]
    ambon = factories.invitation(meeting, site=rakor.other_site)
    assert urls(ambon, now=during) == [ZOOM, YOUTUBE]
    assert urls(online, now=during) == [ZOOM]
    # After the end: the recording, for everyone.
    after = meeting.end_at + timedelta(minutes=1)
    assert urls(online, now=after) == [REPLAY]
    assert urls(at_site, now=after) == [REPLAY]


def test_the_personal_page_and_the_phone_show_the_links_through_meetcoord(app):
    rakor = webinar(timedelta(minutes=-30))  # started half an hour ago
    token = links.personal_token(rakor.online)
    html = text(phone(app).get(f"/i/{token}"))
    stream = channels_of(rakor.meeting.id)[1]
    assert f"/i/{token}/join" in html
    assert f"/i/{token}/channels/{stream.id}" in html
    assert REPLAY not in html
    live = text(phone(app).get(f"/i/{token}/live"))
    assert f"/i/{token}/channels/{stream.id}" in live


# --- online attendance ---------------------------------------------------------------------


def test_opening_the_live_view_inside_the_window_records_attendance_once(app):
    rakor = webinar(timedelta(minutes=30))
    token = links.personal_token(rakor.online)
    first = phone(app).get(f"/i/{token}/live")
    assert first.status_code == 200
    assert "Kehadiran daring tercatat pukul" in text(first)
    attendance = Attendance.query.one()
    assert (attendance.site_id, attendance.method) == (None, CheckinMethod.LIVE_VIEW)
    joined_at = attendance.checked_in_at
    phone(app).get(f"/i/{token}/live")
    phone(app).get(f"/i/{token}/join")
    assert count(Attendance) == 1
    assert Attendance.query.one().checked_in_at == joined_at  # the first join time stays
    online = next(s for s in presence(rakor.meeting).sites if s.site_id is None)
    assert online.present == 1
    assert joining.online_attendances(rakor.meeting) == [attendance]


def test_a_site_participant_opening_the_live_view_is_not_an_online_attendee(app):
    rakor = webinar(timedelta(minutes=-30))
    token = links.personal_token(rakor.invitee(0))
    response = phone(app).get(f"/i/{token}/live")
    assert response.status_code == 200
    assert "Kehadiran daring" not in text(response)
    assert count(Attendance) == 0
    # The room is there: their phone carries only a channel meant for their site by name.
    assert f"/i/{token}/join" not in text(response)
    stream = channels_of(rakor.meeting.id)[1]
    services.update_channel(
        rakor.staff, stream, {"audience": "site", "audience_site_id": rakor.site.id}
    )
    assert f"/i/{token}/channels/{stream.id}" in text(phone(app).get(f"/i/{token}/live"))
    assert count(Attendance) == 0


def test_outside_the_window_nothing_is_recorded_and_the_page_says_so(app):
    rakor = webinar(timedelta(hours=3))
    token = links.personal_token(rakor.online)
    live = text(phone(app).get(f"/i/{token}/live"))
    assert "Registrasi kehadiran baru dibuka pada" in live
    assert "Kehadiran belum dicatat." in live
    assert phone(app).get(f"/i/{token}/join").status_code == 409
    stream = channels_of(rakor.meeting.id)[1]
    assert phone(app).get(f"/i/{token}/channels/{stream.id}").status_code == 404  # not yet
    assert count(Attendance) == 0


def test_following_the_livestream_records_the_join_and_sends_on(app):
    rakor = webinar(timedelta(minutes=-30))
    token = links.personal_token(rakor.online)
    stream = channels_of(rakor.meeting.id)[1]
    go = phone(app).get(f"/i/{token}/channels/{stream.id}")
    assert (go.status_code, go.headers["Location"]) == (302, YOUTUBE)
    attendance = Attendance.query.one()
    assert (attendance.site_id, attendance.method) == (None, CheckinMethod.ONLINE)
    # A site's participant watching the livestream is not counted online.
    phone(app).get(f"/i/{links.personal_token(rakor.invitee(1))}/channels/{stream.id}")
    assert count(Attendance) == 1


def test_the_recording_after_the_end_is_shown_and_records_nothing(app):
    rakor = webinar(timedelta(hours=-5))  # three hours long: ended two hours ago
    token = links.personal_token(rakor.online)
    recording = channels_of(rakor.meeting.id)[2]
    html = text(phone(app).get(f"/i/{token}"))
    assert f"/i/{token}/channels/{recording.id}" in html
    assert ZOOM not in html
    go = phone(app).get(f"/i/{token}/channels/{recording.id}")
    assert (go.status_code, go.headers["Location"]) == (302, REPLAY)
    assert count(Attendance) == 0
    db.session.rollback()
