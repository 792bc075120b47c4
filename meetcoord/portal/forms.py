"""Forms of the participant's personal page: fields, labels and CSRF only.

The rules live in ``invitations.respond`` and ``invitations.nominate_stand_in``; their
field maps come back beside these fields (``ServiceForm.apply_errors``). Field names equal
the services' field names.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, SubmitField

from meetcoord.core.forms import ServiceForm
from meetcoord.core.places import join_place
from meetcoord.directory.forms import options
from meetcoord.meetings.labels import RSVP_LABELS
from meetcoord.meetings.models import Meeting, Rsvp

RSVP_CHOICES = [(r.value, RSVP_LABELS[r]) for r in (Rsvp.ACCEPTED, Rsvp.DECLINED, Rsvp.TENTATIVE)]

ONLINE = "online"


class RsvpForm(ServiceForm):
    rsvp = RadioField(_l("Kehadiran"), choices=options(RSVP_CHOICES), validate_choice=False)
    attendance = SelectField(_l("Tempat hadir"), validate_choice=False)
    submit = SubmitField(_l("Kirim jawaban"))

    def set_sites(self, meeting: Meeting) -> None:
        """Each linked site (venue, city, zone label), then online."""
        self.attendance.choices = options(
            [
                (
                    str(site.id),
                    join_place(site.venue.name, site.venue.city) + f" ({site.venue.zone_label})",
                )
                for site in meeting.sites
            ]
            + [(ONLINE, _l("Daring (online)"))]
        )


class StandInForm(ServiceForm):
    stand_in_name = StringField(_l("Nama wakil"))
    stand_in_position = StringField(_l("Jabatan wakil"))
    letter = FileField(_l("Surat tugas (PDF, PNG atau JPEG)"))
    submit = SubmitField(_l("Kirim data wakil"))
