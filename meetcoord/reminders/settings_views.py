"""The page where an institution's staff choose how its follow-up actions are reminded
(``/institutions/<id>/reminder-settings``).

Parse, call one ``.settings`` function, render: who may read (any member) and who may
change (admin or secretariat of the institution) is the service's check, so another
institution's page is not found and a viewer is told they may only look.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField

from meetcoord.access.declare import requires
from meetcoord.access.models import Institution
from meetcoord.access.permissions import Permission
from meetcoord.core.forms import ServiceForm, current_actor, save_form
from meetcoord.extensions import db
from meetcoord.reminders import settings

bp = Blueprint("reminder_settings", __name__, url_prefix="/institutions")
NUMBER = {"inputmode": "numeric", "maxlength": 2, "required": True}


class SettingsForm(ServiceForm):
    days_before = StringField(_l("Pengingat sebelum tenggat (hari)"), render_kw=NUMBER)
    overdue_every_days = StringField(
        _l("Ulangi pengingat selama lewat tenggat setiap (hari)"), render_kw=NUMBER
    )
    forum_summary = BooleanField(
        _l("Ringkasan mingguan tindak lanjut lewat tenggat per forum untuk sekretariat")
    )


def _page(row: Any, form: SettingsForm, message: str | None = None, loose: Any = ()) -> Any:
    institution = db.session.get(Institution, row.institution_id)
    return render_template(
        "reminders/settings.html",
        form=form,
        institution=institution,
        message=message,
        loose_errors=list(loose),
    )


@bp.get("/<int:institution_id>/reminder-settings")
@requires(Permission.MEETING_VIEW)
def edit(institution_id: int) -> Any:
    row = settings.get_settings(current_actor(), institution_id)
    return _page(row, SettingsForm(obj=row))


@bp.post("/<int:institution_id>/reminder-settings")
@requires(Permission.MEETING_ARRANGE)
def save(institution_id: int) -> Any:
    row = settings.get_settings(current_actor(), institution_id)
    form = SettingsForm()
    saved, message, loose, status = save_form(
        form, lambda actor, values: settings.save_settings(actor, institution_id, values)
    )
    if saved is not None:
        flash(_("Pengaturan pengingat tersimpan."), "success")
        return redirect(url_for("reminder_settings.edit", institution_id=institution_id))
    return _page(row, form, message, loose), status
