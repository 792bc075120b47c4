"""Which API operation does what each state-changing page does (issue 17: "everything a page
can do, the API can do").

An integrator must never have to scrape a page or post a browser form, so every HTML route
that changes state names its twin here, or the reason it has none. ``tests/api/test_api_twins``
enumerates the app's HTML routes and fails when one is missing from all three maps, and
checks that every twin exists in the API's URL map with that method.

A twin is ``"<METHOD> <api endpoint>"`` (the Flask endpoint name of the API view, as
``flask routes`` shows it), or a tuple of them when a page's one form covers several
operations (a document's workflow steps, a registrant's decisions).
"""

from __future__ import annotations

Twin = str | tuple[str, ...]

TWINS: dict[str, Twin] = {
    # accounts and institutions
    "institution_admin.new": "POST institutions.Institutions",
    "institution_admin.edit": "PATCH institutions.InstitutionItem",
    "institution_admin.delete": "DELETE institutions.InstitutionItem",
    "institution_admin.member_add": "POST institutions.Members",
    "institution_admin.member_role": "PATCH institutions.MemberItem",
    "institution_admin.member_remove": "DELETE institutions.MemberItem",
    "reminder_settings.save": "PUT reminder_settings_api.ReminderSettingsItem",
    "admin.user_new": "POST accounts_api.Accounts",
    "admin.user_edit": "PATCH accounts_api.AccountItem",
    "admin.user_password": "POST accounts_api.AccountPassword",
    "admin.user_sessions_end": "POST accounts_api.AccountSessionsEnd",
    "admin.user_token_new": "POST tokens.Tokens",
    "admin.user_token_revoke": "DELETE tokens.TokenItem",
    "outbox.retry": "POST outbox_api.OutboxRetry",
    "attendance.manual_checkin": "POST checkin_staff_api.ManualCheckin",
    "attendance.checkout": "POST checkin_staff_api.StaffCheckout",
    "portal.stand_in": "POST portal_api.ParticipantStandIn",
    # directory
    "directory.organization_new": "POST organizations.OrganizationsCollection",
    "directory.organization_edit": "PATCH organizations.OrganizationsItem",
    "directory.organization_delete": "DELETE organizations.OrganizationsItem",
    "directory.person_new": "POST people.PeopleCollection",
    "directory.person_edit": "PATCH people.PeopleItem",
    "directory.person_delete": "DELETE people.PeopleItem",
    "directory.people_import": "POST people.PeopleImport",
    "directory.venue_new": "POST venues.VenuesCollection",
    "directory.venue_edit": "PATCH venues.VenuesItem",
    "directory.venue_delete": "DELETE venues.VenuesItem",
    "directory.forum_new": "POST forums.ForumsCollection",
    "directory.forum_edit": "PATCH forums.ForumsItem",
    "directory.forum_delete": "DELETE forums.ForumsItem",
    "directory.forum_member_add": "POST forums.ForumMembers",
    "directory.forum_member_remove": "DELETE forums.ForumMemberItem",
    # meetings
    "meetings.new": "POST meetings_api.Meetings",
    "meetings.edit": "PATCH meetings_api.MeetingItem",
    "meetings.schedule": "POST meetings_api.MeetingSchedule",
    "meetings.cancel": "POST meetings_api.MeetingCancel",
    "meetings.delete": "DELETE meetings_api.MeetingItem",
    "meetings.clone": "POST meetings_api.MeetingClone",
    "meetings.make_series": "POST meetings_api.MeetingSeries",
    "meetings.edit_series": "PATCH series_api.SeriesItem",
    "meetings.site_add": "POST meetings_api.Sites",
    "meetings.site_edit": "PATCH meetings_api.SiteItem",
    "meetings.site_remove": "DELETE meetings_api.SiteItem",
    "meetings.agenda_add": "POST meetings_api.Agenda",
    "meetings.agenda_edit": "PATCH meetings_api.AgendaItemView",
    "meetings.agenda_remove": "DELETE meetings_api.AgendaItemView",
    "meetings.agenda_move": "PUT meetings_api.AgendaOrder",
    "meetings.agenda_reorder": "PUT meetings_api.AgendaOrder",
    "meetings.invite": "POST meeting_invitations_api.Invitations",
    "meetings.invitation_edit": "PATCH meeting_invitations_api.InvitationItem",
    "meetings.invitation_withdraw": "DELETE meeting_invitations_api.InvitationItem",
    "meetings.invitation_resend_link": "POST invitation_links_api.ResendLink",
    "channels.channel_add": "POST meeting_channels_api.Channels",
    "channels.channel_edit": "PATCH meeting_channels_api.ChannelItem",
    "channels.channel_remove": "DELETE meeting_channels_api.ChannelItem",
    "registration.save_settings": "PUT registration_api.RegistrationSettingsView",
    "registration.switch": "PUT registration_api.RegistrationSettingsView",
    "registration.decide": (
        "POST registration_api.RegistrantsAccept",
        "POST registration_api.RegistrantsReject",
        "POST registration_api.RegistrantsCancel",
        "POST registration_api.RegistrantsMoveUp",
    ),
    "registration_public.submit": "POST registration_public_api.PublicRegistration",
    "public.manage_forum": (
        "PUT publication_api.ForumPublication",
        "DELETE publication_api.ForumPublication",
    ),
    "public.manage_meeting": (
        "PUT publication_api.MeetingPublication",
        "DELETE publication_api.MeetingPublication",
    ),
    "public.manage_series": (
        "PUT publication_api.SeriesPublication",
        "DELETE publication_api.SeriesPublication",
    ),
    "materials.upload": "POST materials_api.Materials",
    "materials.delete": "DELETE materials_api.MaterialFile",
    "materials.issue_link": "POST speaker_links_api.ItemSpeakerLinks",
    "materials.revoke_link": "DELETE speaker_links_api.SpeakerLinkItem",
    "eventreports.start": "POST eventreports_api.EventReportResource",
    "eventreports.save": "PUT eventreports_api.EventReportResource",
    # check-in and attendance
    "desk.scan": "POST checkin_api.Redeem",
    "desk.offline": "POST checkin_api.Offline",
    "desk.checkout": "POST checkin_api.Checkout",
    "attendance.resolve": "POST attendance_api.ResolveConflict",
    "platform_import.upload": "POST platform_import_api.PlatformImports",
    "platform_import.confirm": "POST platform_import_api.PlatformImportConfirm",
    "platform_import.discard": "DELETE platform_import_api.PlatformImportItem",
    "platform_import.match": "POST platform_import_api.PlatformMatch",
    "platform_import.dismiss": "POST platform_import_api.PlatformDismiss",
    # documents
    "documents.create": "POST documents_api.MeetingDocuments",
    "documents.step": (
        "PATCH documents_api.DocumentItem",
        "POST documents_api.DocumentRender",
        "POST documents_api.DocumentCirculate",
        "POST documents_api.DocumentFinalise",
        "POST documents_api.DocumentAddenda",
    ),
    "verify.upload": "POST verify_api.VerifyUpload",
    # actions
    "actions.update": "POST actions_api.ActionUpdates",
    "actions.due": "PATCH actions_api.ActionItem",
    "actions.verify": "PATCH actions_api.ActionItem",
    "actions.drop": "PATCH actions_api.ActionItem",
    "actions.issue_agency_link": "POST actions_api.AgencyLinks",
    "actions.revoke_agency_link": "POST actions_api.AgencyLinkRevoke",
    # planning
    "planning.proposal_new": "POST proposals_api.Proposals",
    "planning.proposal_edit": "PATCH proposals_api.ProposalItem",
    "planning.proposal_merge": "POST proposals_api.ProposalMerge",
    "planning.proposal_import": "POST proposals_api.ProposalImport",
    # The page's second step maps columns of an uploaded file; the API takes the mapping
    # in the same one request.
    "planning.proposal_import_map": "POST proposals_api.ProposalImport",
    "planning_tracking.manage": (
        "PUT tracking_api.TrackingSwitch",
        "DELETE tracking_api.TrackingSwitch",
    ),
    "matrix.add": "POST matrix_api.Matrix",
    "planning_outcome.create_actions": "POST planning_outcome_api.MatrixActions",
    "villages.record_idm": "POST villages_api.VillageIdm",
    "villages.idm_import": "POST villages_api.VillageIdmImport",
    "villages.guidance_new": "POST guidance_api.Assignments",
    "villages.guidance_end": "POST guidance_api.AssignmentEnd",
    # what a personal link (/i/<token>, /a/<token>) can do
    "portal.rsvp": "POST portal_api.ParticipantRsvp",
    "portal.personal_update": "POST portal_agency_api.PersonalAgencyUpdate",
    "portal.agency_update": "POST portal_agency_api.StandingAgencyUpdate",
    "portal.speaker_upload": "POST portal_speaker_api.SpeakerMaterials",
    "portal.document_step": (
        "PATCH portal_api.PersonalDocument",
        "POST portal_api.PersonalCirculate",
        "POST portal_api.PersonalFinalise",
        "POST portal_api.PersonalComments",
        "POST portal_api.PersonalNoComment",
        "POST portal_api.PersonalSignCode",
        "POST portal_api.PersonalSign",
    ),
}

NO_TWIN: dict[str, str] = {
    "accounts.login": "A password sign-in starts a browser session; API clients authenticate "
    "with a bearer token instead and never send a password.",
    "accounts.logout": "Ends a browser session; a bearer token is revoked with "
    "DELETE /tokens/{id}.",
    "accounts.change_password": "A person's own password is a browser credential, changed after "
    "re-entering the current one; a token holder must not be able to take over the account.",
    "core.set_language": "Stores the interface language in the browser session; API clients "
    "choose per request with Accept-Language.",
    "selfcheckin.check_in": "A phone in the room proves presence with the kiosk's rotating code "
    "turned into a scan pass held in that browser's cookie; a check-in device or system "
    "redeems a credential with POST /checkin/sites/{site_code}/redeem.",
    "selfcheckin.manual": "The same phone-in-the-room flow as selfcheckin.check_in, with the "
    "code typed instead of scanned.",
    "reminders.mute_now": "The one-click link in a reminder e-mail, for its recipient; the "
    "institution's reminder settings are PUT /institutions/{id}/reminder-settings.",
    "reminders.unmute_now": "The undo of reminders.mute_now, from the same e-mail link.",
}

# Pages whose twin is promised but not built yet (expected operation described). The test
# fails while one is here: a page without its API twin is a gap, not a plan.
PENDING: dict[str, str] = {}
