"""Meeting forms: fields and CSRF only.

As in the directory, the rules live in the services (``cleaning``): every field is a plain
text or select field whose raw value goes to the service, and the service's field map
comes back beside the fields. Field names equal the service's field names on purpose.
Start and end are ``datetime-local`` wall-clock times, read in the host venue's zone.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from meetcoord.core.forms import ServiceForm
from meetcoord.directory.forms import NONE_PAIR, PICK_PAIR, enum_choices, options
from meetcoord.meetings.labels import (
    AGENDA_KIND_LABELS,
    INVITEE_ROLE_LABELS,
    KIND_LABELS,
    QUORUM_KIND_LABELS,
)
from meetcoord.meetings.models import (
    AGENDA_MINUTES_MAX,
)

NO_QUORUM_PAIR = ("", _l("Tanpa aturan kuorum"))
QUORUM_HINT = _l("Orang, atau persen dari undangan (yang tidak ditarik) yang hadir.")
ONLINE_PAIR = ("", _l("Daring (online)"))
WHEN_HINT = _l("Waktu setempat di tempat tuan rumah (zona waktunya), bukan waktu Anda.")

# The rule builder of a series: "setiap [N] bulan pada [Selasa] ke-[2]".
FREQ_LABELS = {"MONTHLY": _l("bulan"), "WEEKLY": _l("minggu")}
WEEKDAY_LABELS = {
    "MO": _l("Senin"),
    "TU": _l("Selasa"),
    "WE": _l("Rabu"),
    "TH": _l("Kamis"),
    "FR": _l("Jumat"),
    "SA": _l("Sabtu"),
    "SU": _l("Minggu"),
}
ORDINAL_LABELS = {
    "1": _l("pertama"),
    "2": _l("kedua"),
    "3": _l("ketiga"),
    "4": _l("keempat"),
    "-1": _l("terakhir"),
}

WHEN_KW = {"type": "datetime-local", "step": 60}


def _quorum_kind() -> SelectField:
    return SelectField(
        _l("Kuorum"), choices=enum_choices(QUORUM_KIND_LABELS, blank=NO_QUORUM_PAIR), default=""
    )


def _quorum_value() -> StringField:
    return StringField(
        _l("Angka kuorum"), render_kw={"type": "number", "min": 1, "inputmode": "numeric"}
    )


class MeetingForm(ServiceForm):
    title = StringField(_l("Judul"), render_kw={"required": True, "maxlength": 200})
    purpose = TextAreaField(_l("Maksud dan tujuan"), render_kw={"rows": 3})
    kind = SelectField(_l("Jenis rapat"), choices=enum_choices(KIND_LABELS))
    host_venue_id = SelectField(_l("Tempat tuan rumah"), choices=options([PICK_PAIR]))
    start_at = StringField(_l("Mulai"), render_kw=WHEN_KW)
    end_at = StringField(_l("Waktu selesai"), render_kw=WHEN_KW)
    forum_id = SelectField(_l("Forum (opsional)"), choices=options([NONE_PAIR]))
    institution_id = SelectField(_l("Penyelenggara"), choices=[])
    cohost_institution_id = SelectField(
        _l("Penyelenggara bersama (opsional)"), choices=options([NONE_PAIR])
    )
    online_url = StringField(
        _l("Tautan daring"), render_kw={"type": "url", "placeholder": "https://"}
    )
    quorum_kind = _quorum_kind()
    quorum_value = _quorum_value()


class SeriesEditForm(MeetingForm):
    """The same fields; only filled ones are sent, so the series keeps the rest. Its owner
    is not changed here: a select always sends a value, which would move the series."""

    institution_id = None
    cohost_institution_id = None


class SiteForm(ServiceForm):
    venue_id = SelectField(_l("Tempat"), choices=options([PICK_PAIR]))
    coordinator_id = SelectField(_l("Koordinator lokasi"), choices=options([NONE_PAIR]))
    capacity = StringField(
        _l("Kapasitas (kursi)"), render_kw={"type": "number", "min": 1, "inputmode": "numeric"}
    )
    quorum_kind = _quorum_kind()
    quorum_value = _quorum_value()


class SiteEditForm(ServiceForm):
    coordinator_id = SelectField(_l("Koordinator lokasi"), choices=options([NONE_PAIR]))
    capacity = StringField(
        _l("Kapasitas (kursi)"), render_kw={"type": "number", "min": 1, "inputmode": "numeric"}
    )
    quorum_kind = _quorum_kind()
    quorum_value = _quorum_value()


class AgendaForm(ServiceForm):
    title = StringField(_l("Butir agenda"), render_kw={"required": True, "maxlength": 300})
    presenter = StringField(_l("Penyaji"), render_kw={"maxlength": 200})
    planned_minutes = StringField(
        _l("Durasi (menit)"),
        default="15",
        render_kw={"type": "number", "min": 1, "max": AGENDA_MINUTES_MAX, "inputmode": "numeric"},
    )
    kind = SelectField(
        _l("Jenis"), choices=enum_choices(AGENDA_KIND_LABELS, blank=None), default="discussion"
    )


class _InviteBase(ServiceForm):
    role = SelectField(
        _l("Peran"), choices=enum_choices(INVITEE_ROLE_LABELS, blank=None), default="participant"
    )
    site_id = SelectField(_l("Lokasi"), choices=options([ONLINE_PAIR]))


class InvitePersonForm(_InviteBase):
    person_ids = SelectField(_l("Orang"), choices=options([PICK_PAIR]))

    def values(self) -> dict[str, Any]:
        chosen = self.person_ids.data
        return {
            "person_ids": [chosen] if chosen else [],
            "role": self.role.data,
            "site_id": self.site_id.data or None,
        }


class InviteOrganizationForm(_InviteBase):
    organization_id = SelectField(_l("Organisasi"), choices=options([PICK_PAIR]))

    def values(self) -> dict[str, Any]:
        return {
            "organization_id": self.organization_id.data,
            "role": self.role.data,
            "site_id": self.site_id.data or None,
        }


class InviteForumForm(_InviteBase):
    forum_id = SelectField(_l("Forum"), choices=options([PICK_PAIR]))

    def values(self) -> dict[str, Any]:
        return {
            "forum_id": self.forum_id.data,
            "role": self.role.data,
            "site_id": self.site_id.data or None,
        }


class InvitationForm(_InviteBase):
    """Change one person's role or site (empty site: online)."""

    def values(self) -> dict[str, Any]:
        return {"role": self.role.data, "site_id": self.site_id.data or None}


class CloneForm(ServiceForm):
    start_at = StringField(_l("Mulai rapat baru"), render_kw=WHEN_KW)


class SeriesForm(ServiceForm):
    """``FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;COUNT=4`` built from a few plain choices."""

    interval = StringField(
        _l("Setiap"), default="3", render_kw={"type": "number", "min": 1, "max": 24}
    )
    freq = SelectField(_l("Satuan"), choices=options(FREQ_LABELS.items()), default="MONTHLY")
    ordinal = SelectField(_l("Minggu ke-"), choices=options(ORDINAL_LABELS.items()), default="2")
    weekday = SelectField(_l("Hari"), choices=options(WEEKDAY_LABELS.items()), default="TU")
    count = StringField(
        _l("Jumlah rapat (termasuk rapat ini)"),
        default="4",
        render_kw={"type": "number", "min": 2, "max": 60},
    )

    def rule(self) -> str:
        """The RFC 5545 rule; the service checks it (bounded, readable, not too long)."""
        interval = (self.interval.data or "").strip() or "1"
        count = (self.count.data or "").strip()
        parts = [f"FREQ={self.freq.data}", f"INTERVAL={interval}"]
        if self.freq.data == "MONTHLY":
            parts.append(f"BYDAY={self.ordinal.data}{self.weekday.data}")
        else:
            parts.append(f"BYDAY={self.weekday.data}")
        parts.append(f"COUNT={count}")
        return ";".join(parts)


class ConfirmForm(FlaskForm):
    """A POST with only a CSRF token: schedule, cancel, remove, withdraw."""
