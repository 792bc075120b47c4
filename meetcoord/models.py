"""Every feature's models, imported in one place so the metadata Alembic sees is complete."""

from meetcoord.accounts.models import ApiToken, Role, User
from meetcoord.core.audit import AuditEntry
from meetcoord.directory.models import Forum, ForumMember, Organization, Person, Venue

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Forum",
    "ForumMember",
    "Organization",
    "Person",
    "Role",
    "User",
    "Venue",
]
