"""Directory pages for people, including the CSV import and its template."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from typing import Any

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.forms import current_actor
from meetcoord.core.timezones import zone_label
from meetcoord.directory import services
from meetcoord.directory.csvimport import TEMPLATE_HEADER, CsvImportError, import_people
from meetcoord.directory.forms import (
    CATEGORY_LABELS,
    GENDER_LABELS,
    ImportForm,
    PersonForm,
)
from meetcoord.directory.models import Gender, Person, StakeholderCategory
from meetcoord.directory.regions import (
    PROVINCE_ZONES,
    province_label,
    province_of,
    zone_for_region,
)
from meetcoord.directory.views_editing import Editing, register_editing
from meetcoord.directory.views_support import (
    actor,
    bp,
    list_context,
    list_query,
    organization_list,
    organization_options,
    require_editor,
)


@bp.get("/people")
@requires(Permission.DIRECTORY_VIEW)
def people() -> Any:
    query = list_query(
        Person,
        ints=("organization_id",),
        enums={"category": StakeholderCategory, "gender": Gender},
    )
    province = request.args.get("province", "")
    if province in PROVINCE_ZONES:  # anything else shows the plain list, as other filters
        query = replace(query, filters={**(query.filters or {}), "province": province})
    page = services.list_records(Person, query, current_actor())
    return render_template(
        "directory/people.html",
        page=page,
        categories=CATEGORY_LABELS,
        genders=GENDER_LABELS,
        organizations=organization_list(),
        provinces=[(name, province_label(name)) for name in sorted(PROVINCE_ZONES)],
        province_label=province_label,
        **list_context(query),
    )


def region_hint(person: Person | None) -> dict[str, str]:
    """What the directory found in the saved region: the province and its zone, so the
    secretariat sees at once whether "Poso" alone was understood (it is not: no province)."""
    region = person.region if person is not None else None
    if not region:
        hint = _("Kosong = wilayah organisasinya. Contoh: Kabupaten Poso, Sulawesi Tengah.")
    elif (province := province_of(region)) is None:
        hint = _(
            "Provinsi tidak dikenali dari teks ini; tuliskan provinsinya, "
            "mis. Kabupaten Poso, Sulawesi Tengah."
        )
    else:
        zone = zone_for_region(region) or ""
        hint = _(
            "Provinsi: %(province)s · zona waktu %(zone)s.",
            province=province_label(province),
            zone=zone_label(zone),
        )
    return {"region": hint}


register_editing(
    Editing(
        name="person",
        path="people",
        id_arg="person_id",
        model=Person,
        form=PersonForm,
        save=services.save_person,
        title_new=_l("Tambah orang"),
        title_edit=_l("Ubah data orang"),
        saved=lambda person: _("Data %(name)s tersimpan.", name=person.name),
        deleted=lambda person: _("Data %(name)s dihapus.", name=person.name),
        after_save=lambda person: url_for("directory.people"),
        home=lambda person: (
            url_for("directory.person_edit", person_id=person.id)
            if person
            else url_for("directory.people")
        ),
        prepare=lambda form, person: setattr(
            form.organization_id, "choices", organization_options()
        ),
        hints=region_hint,
    )
)


@bp.route("/people/import", methods=["GET", "POST"])
@requires(Permission.DIRECTORY_EDIT)
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
@requires(Permission.DIRECTORY_EDIT)
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
