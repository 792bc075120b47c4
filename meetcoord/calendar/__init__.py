"""Calendar files, calendar links and invitation e-mails, rendered from plain data.

Pure modules (no Flask, no database): the meeting services build the records in
:mod:`meetcoord.calendar.data` and call :func:`invitation_ics`, :func:`feed_ics`,
:func:`compose_invitation`, :func:`google_calendar_url` and :func:`whatsapp_url`.
"""

from meetcoord.calendar.compose import compose_invitation
from meetcoord.calendar.data import (
    AgendaLine,
    Contact,
    EventData,
    InvitationMail,
    Recipient,
)
from meetcoord.calendar.ics import feed_ics, invitation_ics
from meetcoord.calendar.links import google_calendar_url, whatsapp_text, whatsapp_url

__all__ = [
    "AgendaLine",
    "Contact",
    "EventData",
    "InvitationMail",
    "Recipient",
    "compose_invitation",
    "feed_ics",
    "google_calendar_url",
    "invitation_ics",
    "whatsapp_text",
    "whatsapp_url",
]
