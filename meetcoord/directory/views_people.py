"""Directory pages for people, including the CSV import and its template."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from meetcoord.core.forms import save_form
from meetcoord.directory import services
from meetcoord.directory.csvimport import TEMPLATE_HEADER, CsvImportError, import_people
from meetcoord.directory.forms import (
    CATEGORY_LABELS,
    GENDER_LABELS,
    ConfirmForm,
    ImportForm,
    PersonForm,
)
from meetcoord.directory.models import Gender, Person, StakeholderCategory
from meetcoord.directory.views_support import (
    actor,
    bp,
    delete_or_refuse,
    list_context,
    list_query,
    organization_list,
    organization_options,
    render_form,
    require_editor,
)

FORM = "form.html"


@bp.get("/people")
@login_required
def people() -> Any:
    query = list_query(
        Person,
        ints=("organization_id",),
        enums={"category": StakeholderCategory, "gender": Gender},
    )
    page = services.list_records(Person, query)
    return render_template(
        "directory/people.html",
        page=page,
        categories=CATEGORY_LABELS,
        genders=GENDER_LABELS,
        organizations=organization_list(),
        **list_context(query),
    )


def _person_form(person: Person | None) -> Any:
    require_editor()
    form = PersonForm(obj=person)
    form.organization_id.choices = organization_options()
    status, message, loose = 200, None, []
    if form.is_submitted():
        saved, message, loose, status = save_form(form, services.save_person, person)
        if saved is not None:
            flash(_("Data %(name)s tersimpan.", name=saved.name), "success")
            return redirect(url_for("directory.people"))
    return render_form(
        FORM,
        form,
        status,
        title=_("Ubah data orang") if person else _("Tambah orang"),
        message=message,
        loose_errors=loose,
        cancel_url=url_for("directory.people"),
        delete_url=url_for("directory.person_delete", person_id=person.id) if person else None,
    )


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def person_new() -> Any:
    return _person_form(None)


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def person_edit(person_id: int) -> Any:
    return _person_form(services.get_record(Person, person_id))


@bp.route("/people/<int:person_id>/delete", methods=["GET", "POST"])
@login_required
def person_delete(person_id: int) -> Any:
    require_editor()
    person = services.get_record(Person, person_id)
    if request.method == "POST":
        return delete_or_refuse(
            person,
            done="directory.people",
            refused="directory.person_edit",
            message=_("Data %(name)s dihapus.", name=person.name),
            person_id=person.id,
        )
    return render_template(
        "directory/confirm_delete.html",
        obj=person,
        form=ConfirmForm(),
        cancel_url=url_for("directory.person_edit", person_id=person.id),
    )


@bp.route("/people/import", methods=["GET", "POST"])
@login_required
def people_import() -> Any:
    """Upload a CSV; all rows are created, or none and the report says which rows to fix."""
    require_editor()
    form = ImportForm()
    limits = {
        "max_bytes": current_app.config["CSV_MAX_BYTES"],
        "max_rows": current_app.config["CSV_MAX_ROWS"],
    }
    report, status = None, 200
    if form.is_submitted():
        upload = request.files.get("file")
        raw = upload.read() if upload else b""
        try:
            done = import_people(actor(), raw, **limits)
        except CsvImportError as exc:
            report, status = exc.report, exc.status
        else:
            flash(_("%(n)d orang berhasil diimpor.", n=done.created), "success")
            return redirect(url_for("directory.people"))
    return render_template(
        "directory/people_import.html",
        form=form,
        report=report,
        header=TEMPLATE_HEADER,
        max_kb=limits["max_bytes"] // 1024,
        max_rows=limits["max_rows"],
    ), status


@bp.get("/people/import/template.csv")
@login_required
def people_import_template() -> Response:
    """An empty sheet with the expected columns, ``;``-separated as Indonesian Excel writes.

    The byte-order mark makes Excel read the file as UTF-8 (names with diacritics survive).
    """
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(TEMPLATE_HEADER)
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="template-orang.csv"'},
    )
