"""Directory pages: organizations and venues here; people and forums in their own modules.

Handlers parse the request, check access, call one service and render — the rules live in
``services``. All four entities share the same shape: a list with search, filters, sort and
pages here, and create/edit/delete pages declared as an ``Editing`` (``views_editing``).
The other modules register their routes on the same ``bp`` when imported at the end.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.forms import current_actor
from meetcoord.directory import services
from meetcoord.directory.forms import (
    KIND_LABELS,
    LEVEL_LABELS,
    ConfirmForm,
    OrganizationForm,
    VenueForm,
)
from meetcoord.directory.models import Organization, OrgKind, OrgLevel, Venue
from meetcoord.directory.views_editing import Editing, register_editing
from meetcoord.directory.views_support import (
    bp,
    list_context,
    list_query,
    organization_options,
)

__all__ = ["bp"]


# --- organizations ----------------------------------------------------------------------


@bp.get("/organizations")
@requires(Permission.DIRECTORY_VIEW)
def organizations() -> Any:
    """The directory's front page: agencies and other stakeholder organizations."""
    query = list_query(
        Organization, ints=("parent_id",), enums={"kind": OrgKind, "level": OrgLevel}
    )
    page = services.list_records(Organization, query, current_actor())
    return render_template(
        "directory/organizations.html",
        page=page,
        kinds=KIND_LABELS,
        levels=LEVEL_LABELS,
        **list_context(query),
    )


@bp.get("/organizations/<int:org_id>")
@requires(Permission.DIRECTORY_VIEW)
def organization_detail(org_id: int) -> Any:
    org = services.get_record(Organization, org_id, current_actor())
    return render_template(
        "directory/organization_detail.html",
        org=org,
        kinds=KIND_LABELS,
        levels=LEVEL_LABELS,
        confirm=ConfirmForm(),
    )


register_editing(
    Editing(
        name="organization",
        path="organizations",
        id_arg="org_id",
        model=Organization,
        form=OrganizationForm,
        save=services.save_organization,
        title_new=_l("Tambah organisasi"),
        title_edit=_l("Ubah organisasi"),
        saved=lambda org: _("Organisasi %(name)s tersimpan.", name=org.name),
        deleted=lambda org: _("Organisasi %(name)s dihapus.", name=org.name),
        after_save=lambda org: url_for("directory.organization_detail", org_id=org.id),
        home=lambda org: (
            url_for("directory.organization_detail", org_id=org.id)
            if org
            else url_for("directory.organizations")
        ),
        # an organization cannot be its own parent: leave it out of its parent choices
        prepare=lambda form, org: setattr(
            form.parent_id, "choices", organization_options(exclude=org.id if org else None)
        ),
    )
)


# --- venues -----------------------------------------------------------------------------


@bp.get("/venues")
@requires(Permission.DIRECTORY_VIEW)
def venues() -> Any:
    query = list_query(Venue, ints=("organization_id",))
    page = services.list_records(Venue, query, current_actor())
    return render_template("directory/venues.html", page=page, **list_context(query))


register_editing(
    Editing(
        name="venue",
        path="venues",
        id_arg="venue_id",
        model=Venue,
        form=VenueForm,
        save=services.save_venue,
        title_new=_l("Tambah tempat"),
        title_edit=_l("Ubah tempat"),
        saved=lambda venue: _(
            "Tempat %(name)s tersimpan (%(zone)s).", name=venue.name, zone=venue.zone_label
        ),
        deleted=lambda venue: _("Tempat %(name)s dihapus.", name=venue.name),
        after_save=lambda venue: url_for("directory.venues"),
        home=lambda venue: (
            url_for("directory.venue_edit", venue_id=venue.id)
            if venue
            else url_for("directory.venues")
        ),
        prepare=lambda form, venue: setattr(
            form.organization_id, "choices", organization_options()
        ),
    )
)


# Registered on the same blueprint; imported for their side effect.
from meetcoord.directory import views_forums, views_people  # noqa: E402, F401
