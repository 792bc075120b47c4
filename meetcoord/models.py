"""Every feature's models, imported in one place so the metadata Alembic sees is complete."""

from meetcoord.access.models import Institution, Membership
from meetcoord.accounts.models import ApiToken, Role, User
from meetcoord.actions.models import Action, ActionEvidence, ActionUpdate, AgencyLink
from meetcoord.api.models import IdempotencyKey
from meetcoord.channels.models import MeetingChannel
from meetcoord.checkin.models import Attendance, CheckinConflict, CheckinNonce
from meetcoord.checkin.platform_models import PlatformImport, PlatformParticipant
from meetcoord.core.audit import AuditEntry
from meetcoord.core.outbox import OutboxMessage
from meetcoord.directory.models import Forum, ForumMember, Organization, Person, Venue
from meetcoord.documents.models import (
    Document,
    DocumentComment,
    DocumentFile,
    DocumentSignatory,
    DocumentStep,
    LetterSequence,
    SigningCode,
)
from meetcoord.eventreports.models import EventReport
from meetcoord.jobs.models import Job
from meetcoord.live.models import (
    Decision,
    DecisionRevision,
    DecisionTally,
    ItemNote,
    LiveRoom,
    MeetingEvent,
    SpeakerRequest,
)
from meetcoord.materials.models import Material, SpeakerLink
from meetcoord.meetings.models import (
    AgendaItem,
    CalendarFeed,
    Invitation,
    Meeting,
    MeetingSite,
    Series,
)
from meetcoord.planning.models import GuidanceAssignment, Proposal, SyncMark, VillageIndex
from meetcoord.planning.tracking import ProposalTracking
from meetcoord.public.models import Publication
from meetcoord.questions.models import Question, QuestionVote
from meetcoord.registration.models import Registration, RegistrationSettings
from meetcoord.reminders.models import Reminder, ReminderMute
from meetcoord.webhooks.models import WebhookDelivery, WebhookEndpoint

__all__ = [
    "Action",
    "ActionEvidence",
    "ActionUpdate",
    "AgencyLink",
    "AgendaItem",
    "ApiToken",
    "Attendance",
    "AuditEntry",
    "CalendarFeed",
    "CheckinConflict",
    "CheckinNonce",
    "Decision",
    "DecisionRevision",
    "DecisionTally",
    "Document",
    "DocumentComment",
    "DocumentFile",
    "DocumentSignatory",
    "DocumentStep",
    "EventReport",
    "Forum",
    "ForumMember",
    "GuidanceAssignment",
    "IdempotencyKey",
    "Institution",
    "Invitation",
    "ItemNote",
    "Job",
    "LetterSequence",
    "LiveRoom",
    "Material",
    "Meeting",
    "MeetingChannel",
    "MeetingEvent",
    "MeetingSite",
    "Membership",
    "Organization",
    "OutboxMessage",
    "Person",
    "PlatformImport",
    "PlatformParticipant",
    "Proposal",
    "ProposalTracking",
    "Publication",
    "Question",
    "QuestionVote",
    "Registration",
    "RegistrationSettings",
    "Reminder",
    "ReminderMute",
    "Role",
    "Series",
    "SigningCode",
    "SpeakerLink",
    "SpeakerRequest",
    "SyncMark",
    "User",
    "Venue",
    "VillageIndex",
    "WebhookDelivery",
    "WebhookEndpoint",
]
