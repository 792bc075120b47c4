"""The channel form on the meeting page; its rules are ``channels.services``'."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

from meetcoord.channels.labels import KIND_LABELS
from meetcoord.channels.models import (
    LABEL_MAX,
    PASSCODE_MAX,
    URL_MAX,
    ChannelAudience,
    MeetingChannel,
)
from meetcoord.core.forms import ServiceForm
from meetcoord.core.timezones import zone_label
from meetcoord.directory.forms import options
from meetcoord.meetings.models import Meeting

SITE_PREFIX = "site-"


class ChannelForm(ServiceForm):
    kind = SelectField(
        _l("Jenis saluran"), choices=options([(k.value, v) for k, v in KIND_LABELS.items()])
    )
    label = StringField(_l("Nama saluran"), render_kw={"required": True, "maxlength": LABEL_MAX})
    url = StringField(
        _l("Tautan (https://)"),
        render_kw={"required": True, "maxlength": URL_MAX, "type": "url", "inputmode": "url"},
    )
    audience = SelectField(_l("Untuk siapa"))
    passcode = StringField(_l("Kode sandi (bila ada)"), render_kw={"maxlength": PASSCODE_MAX})

    def set_sites(self, meeting: Meeting) -> ChannelForm:
        """The audience choices: everyone, the online participants, or one site."""
        self.audience.choices = options(
            [
                ("", _l("Semua peserta")),
                (ChannelAudience.ONLINE.value, _l("Peserta daring")),
            ]
            + [
                (
                    f"{SITE_PREFIX}{site.id}",
                    f"{site.venue.name} ({zone_label(site.venue.timezone)})",
                )
                for site in meeting.sites
            ]
        )
        return self

    def fill(self, channel: MeetingChannel) -> None:
        self.kind.data = channel.kind.value
        self.label.data = channel.label
        self.url.data = channel.url
        self.passcode.data = channel.passcode or ""
        if channel.audience is ChannelAudience.SITE:
            self.audience.data = f"{SITE_PREFIX}{channel.audience_site_id}"
        else:
            self.audience.data = channel.audience.value if channel.audience else ""

    def values(self) -> dict[str, Any]:
        """One select names the audience and its site; the service takes them apart."""
        values = super().values()
        audience = str(values.get("audience") or "")
        if audience.startswith(SITE_PREFIX):
            values["audience"] = ChannelAudience.SITE.value
            values["audience_site_id"] = audience[len(SITE_PREFIX) :]
        else:
            values["audience_site_id"] = None
        return values
