"""Directory pages: organizations and venues here; people and forums in their own modules.

Handlers parse the request, check access, call one service and render — the rules live in
``services``. All four entities share the same shape: a list with search, filters, sort and
pages; one form page for create and edit; a confirmation page before a delete. The other
modules register their routes on the same ``bp`` when imported at the end of this file.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from meetcoord.core.forms import save_form
from meetcoord.directory import services
from meetcoord.directory.forms import (
    KIND_LABELS,
    LEVEL_LABELS,
    ConfirmForm,
    OrganizationForm,
    VenueForm,
)
from meetcoord.directory.models import Organization, OrgKind, OrgLevel, Venue
from meetcoord.directory.views_support import (
    bp,
    delete_or_refuse,
    list_context,
    list_query,
    organization_options,
    render_form,
    require_editor,
)

__all__ = ["bp"]

FORM = "form.html"
CONFIRM = "directory/confirm_delete.html"


# --- organizations ----------------------------------------------------------------------


@bp.get("/organizations")
@login_required
def organizations() -> Any:
    """The directory's front page: agencies and other stakeholder organizations."""
    query = list_query(
        Organization, ints=("parent_id",), enums={"kind": OrgKind, "level": OrgLevel}
    )
    page = services.list_records(Organization, query)
    return render_template(
        "directory/organizations.html",
        page=page,
        kinds=KIND_LABELS,
        levels=LEVEL_LABELS,
        **list_context(query),
    )


@bp.get("/organizations/<int:org_id>")
@login_required
def organization_detail(org_id: int) -> Any:
    org = services.get_record(Organization, org_id)
    return render_template(
        "directory/organization_detail.html",
        org=org,
        kinds=KIND_LABELS,
        levels=LEVEL_LABELS,
        confirm=ConfirmForm(),
    )


def _organization_form(org: Organization | None) -> Any:
    require_editor()
    form = OrganizationForm(obj=org)
    form.parent_id.choices = organization_options(exclude=org.id if org else None)
    status, message, loose = 200, None, []
    if form.is_submitted():
        saved, message, loose, status = save_form(form, services.save_organization, org)
        if saved is not None:
            flash(_("Organisasi %(name)s tersimpan.", name=saved.name), "success")
            return redirect(url_for("directory.organization_detail", org_id=saved.id))
    title = _("Ubah organisasi") if org else _("Tambah organisasi")
    return render_form(
        FORM,
        form,
        status,
        title=title,
        message=message,
        loose_errors=loose,
        cancel_url=url_for("directory.organizations"),
        delete_url=url_for("directory.organization_delete", org_id=org.id) if org else None,
    )


@bp.route("/organizations/new", methods=["GET", "POST"])
@login_required
def organization_new() -> Any:
    return _organization_form(None)


@bp.route("/organizations/<int:org_id>/edit", methods=["GET", "POST"])
@login_required
def organization_edit(org_id: int) -> Any:
    return _organization_form(services.get_record(Organization, org_id))


@bp.route("/organizations/<int:org_id>/delete", methods=["GET", "POST"])
@login_required
def organization_delete(org_id: int) -> Any:
    """GET asks for confirmation (works without JavaScript); POST deletes or explains why not."""
    require_editor()
    org = services.get_record(Organization, org_id)
    if request.method == "POST":
        return delete_or_refuse(
            org,
            done="directory.organizations",
            refused="directory.organization_detail",
            message=_("Organisasi %(name)s dihapus.", name=org.name),
            org_id=org.id,
        )
    return render_template(
        CONFIRM,
        obj=org,
        form=ConfirmForm(),
        cancel_url=url_for("directory.organization_detail", org_id=org.id),
    )


# --- venues -----------------------------------------------------------------------------


@bp.get("/venues")
@login_required
def venues() -> Any:
    query = list_query(Venue, ints=("organization_id",))
    page = services.list_records(Venue, query)
    return render_template("directory/venues.html", page=page, **list_context(query))


def _venue_form(venue: Venue | None) -> Any:
    require_editor()
    form = VenueForm(obj=venue)
    form.organization_id.choices = organization_options()
    status, message, loose = 200, None, []
    if form.is_submitted():
        saved, message, loose, status = save_form(form, services.save_venue, venue)
        if saved is not None:
            flash(
                _("Tempat %(name)s tersimpan (%(zone)s).", name=saved.name, zone=saved.zone_label),
                "success",
            )
            return redirect(url_for("directory.venues"))
    return render_form(
        FORM,
        form,
        status,
        title=_("Ubah tempat") if venue else _("Tambah tempat"),
        message=message,
        loose_errors=loose,
        cancel_url=url_for("directory.venues"),
        delete_url=url_for("directory.venue_delete", venue_id=venue.id) if venue else None,
    )


@bp.route("/venues/new", methods=["GET", "POST"])
@login_required
def venue_new() -> Any:
    return _venue_form(None)


@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
@login_required
def venue_edit(venue_id: int) -> Any:
    return _venue_form(services.get_record(Venue, venue_id))


@bp.route("/venues/<int:venue_id>/delete", methods=["GET", "POST"])
@login_required
def venue_delete(venue_id: int) -> Any:
    require_editor()
    venue = services.get_record(Venue, venue_id)
    if request.method == "POST":
        return delete_or_refuse(
            venue,
            done="directory.venues",
            refused="directory.venue_edit",
            message=_("Tempat %(name)s dihapus.", name=venue.name),
            venue_id=venue.id,
        )
    return render_template(
        CONFIRM,
        obj=venue,
        form=ConfirmForm(),
        cancel_url=url_for("directory.venue_edit", venue_id=venue.id),
    )


# Registered on the same blueprint; imported for their side effect.
from meetcoord.directory import views_forums, views_people  # noqa: E402, F401
