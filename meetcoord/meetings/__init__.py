"""Meetings across linked venues: sites, agenda, series, invitees and invitations."""
