"""The secretariat's registration pages of a meeting: settings, the switch, registrants.

- ``/meetings/<id>/registration``: the settings (window, capacity, mode, fields, site);
- ``/meetings/<id>/registration/switch``: turning the public page on or off, its own
  confirmation step (the meeting page links to it);
- ``/meetings/<id>/registrants``: the list (paginated, filtered by status, counted) with
  accept / reject / move-up per row and accept for the ticked rows, the directory match of
  each undecided registrant shown before anyone decides.

Handlers load the meeting (another institution's is not found), call one service, render.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission, allowed
from meetcoord.core.errors import ServiceError, ValidationError
from meetcoord.core.forms import current_actor
from meetcoord.core.timezones import to_zone, zone_label
from meetcoord.core.validation import parse_int
from meetcoord.meetings.services import get_meeting
from meetcoord.meetings.zones import host_zone
from meetcoord.registration import decisions, services
from meetcoord.registration.models import (
    OPTIONAL_FIELDS,
    FieldRule,
    RegistrationSettings,
    RegistrationStatus,
    default_fields,
)

bp = Blueprint("registration", __name__, url_prefix="/meetings")

PER_PAGE = 50
STATUS_LABELS = {
    RegistrationStatus.PENDING: _l("Menunggu keputusan"),
    RegistrationStatus.ACCEPTED: _l("Diterima"),
    RegistrationStatus.WAITLISTED: _l("Daftar tunggu"),
    RegistrationStatus.REJECTED: _l("Ditolak"),
    RegistrationStatus.CANCELLED: _l("Dibatalkan"),
}
FIELD_LABELS = {
    "position": _l("Jabatan"),
    "organization": _l("Instansi / organisasi"),
    "region": _l("Provinsi / kabupaten / kota asal"),
    "phone": _l("Telepon"),
    "gender": _l("Jenis kelamin"),
    "category": _l("Kategori pemangku kepentingan"),
    "disability": _l("Disabilitas dan kebutuhan aksesibilitas"),
}
RULE_LABELS = {
    FieldRule.OFF: _l("Tidak ditanyakan"),
    FieldRule.OPTIONAL: _l("Boleh kosong"),
    FieldRule.REQUIRED: _l("Wajib"),
}
MATCH_LABELS = {"email": _l("surel sama"), "name": _l("nama sama")}


def public_url(settings: RegistrationSettings | None) -> str | None:
    if settings is None or not settings.is_enabled:
        return None
    return url_for("registration_public.page", slug=settings.slug, _external=True)


def _local(moment: Any, zone: str) -> str:
    return f"{to_zone(moment, zone):%Y-%m-%dT%H:%M}" if moment else ""


def _settings_page(meeting_id: int, errors: dict[str, list[Any]] | None = None) -> Any:
    meeting = get_meeting(meeting_id, current_actor())
    settings = services.settings_of(meeting.id)
    zone = host_zone(meeting)
    given = default_fields()
    rules = {
        name: settings.rule(name) if settings else FieldRule(given.get(name, "off"))
        for name in OPTIONAL_FIELDS
    }
    return render_template(
        "registration/settings.html",
        meeting=meeting,
        settings=settings,
        url=public_url(settings),
        zone=zone,
        zone_name=zone_label(zone),
        opens_at=_local(settings.opens_at, zone) if settings else "",
        closes_at=_local(settings.closes_at, zone) if settings else "",
        rules=rules,
        field_labels=FIELD_LABELS,
        rule_labels=RULE_LABELS,
        counts=services.counts(meeting.id),
        can_edit=allowed(current_actor(), Permission.MEETING_ARRANGE, meeting),
        errors={k: [str(m) for m in v] for k, v in (errors or {}).items()},
    ), (422 if errors else 200)


@bp.get("/<int:meeting_id>/registration")
@requires(Permission.MEETING_VIEW)
def settings_page(meeting_id: int) -> Any:
    return _settings_page(meeting_id)


@bp.post("/<int:meeting_id>/registration")
@requires(Permission.MEETING_ARRANGE)
def save_settings(meeting_id: int) -> Any:
    meeting = get_meeting(meeting_id, current_actor())
    form = request.form
    data: dict[str, Any] = {
        "opens_at": form.get("opens_at", ""),
        "closes_at": form.get("closes_at", ""),
        "capacity": form.get("capacity", ""),
        "auto_accept": form.get("auto_accept", "0"),
        "site_id": form.get("site_id", ""),
        "fields": {name: form.get(f"field_{name}", "off") for name in OPTIONAL_FIELDS},
    }
    try:
        services.update_settings(current_actor(), meeting, data)
    except ValidationError as exc:
        flash(str(exc.message), "error")
        return _settings_page(meeting_id, exc.errors)
    flash(_("Pengaturan pendaftaran disimpan."), "success")
    return redirect(url_for(".settings_page", meeting_id=meeting.id), 303)


@bp.route("/<int:meeting_id>/registration/switch", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def switch(meeting_id: int) -> Any:
    """The confirmation step: what turning on or off does, then one button."""
    meeting = get_meeting(meeting_id, current_actor())
    state = request.form.get("state") if request.method == "POST" else None
    if state in ("on", "off"):
        if state == "on":
            services.enable(current_actor(), meeting)
            flash(_("Pendaftaran publik dibuka."), "success")
        else:
            services.disable(current_actor(), meeting)
            flash(_("Pendaftaran publik ditutup."), "success")
        return redirect(url_for(".settings_page", meeting_id=meeting.id), 303)
    settings = services.settings_of(meeting.id)
    refused = request.method == "POST"
    return render_template(
        "registration/switch.html",
        meeting=meeting,
        enabled=bool(settings and settings.is_enabled),
        url=public_url(settings),
        message=_("Pilih membuka atau menutup pendaftaran.") if refused else None,
    ), (400 if refused else 200)


def _status_arg() -> RegistrationStatus | None:
    raw = request.args.get("status", "")
    try:
        return RegistrationStatus(raw) if raw else None
    except ValueError:
        return None


@bp.get("/<int:meeting_id>/registrants")
@requires(Permission.MEETING_VIEW)
def registrants(meeting_id: int) -> Any:
    meeting = get_meeting(meeting_id, current_actor())
    status = _status_arg()
    page = services.registrations_of(
        meeting.id, status, parse_int(request.args.get("page"), minimum=1) or 1, PER_PAGE
    )
    return render_template(
        "registration/registrants.html",
        meeting=meeting,
        page=page,
        status=status.value if status else "",
        args={"meeting_id": meeting.id, "status": status.value if status else ""},
        counts=services.counts(meeting.id),
        labels=STATUS_LABELS,
        matches=decisions.matches(page.items),
        match_labels=MATCH_LABELS,
        can_edit=allowed(current_actor(), Permission.MEETING_ARRANGE, meeting),
    )


ACTIONS = ("accept", "reject", "cancel", "move_up")


@bp.post("/<int:meeting_id>/registrants")
@requires(Permission.MEETING_ARRANGE)
def decide(meeting_id: int) -> Any:
    """``action`` on the ticked ``ids`` (or the one row's ``id``)."""
    actor = current_actor()
    meeting = get_meeting(meeting_id, actor)
    action = request.values.get("action", "")
    # A row's own button names its row; the bulk button takes the ticked ones.
    raw_ids = request.form.getlist("id") or request.form.getlist("ids")
    ids = [n for n in (parse_int(v, minimum=1) for v in raw_ids) if n is not None]
    back = redirect(
        url_for(".registrants", meeting_id=meeting.id, status=request.form.get("status", "")),
        303,
    )
    chosen = decisions.by_ids(meeting, ids)
    if action not in ACTIONS or not chosen:
        flash(_("Pilih pendaftar dan tindakannya."), "error")
        return back
    try:
        if action == "accept":
            result = decisions.accept(actor, meeting, chosen)
            text = _("%(n)d pendaftar diterima.", n=len(result.accepted))
            if result.reused:
                text += " " + _(
                    "%(n)d cocok dengan orang yang sudah ada di direktori.", n=len(result.reused)
                )
        elif action == "move_up":
            for registration in chosen:
                decisions.move_up(actor, meeting, registration)
            text = _("%(n)d pendaftar dipindah dari daftar tunggu.", n=len(chosen))
        elif action == "reject":
            text = _("%(n)d pendaftar ditolak.", n=decisions.reject(actor, meeting, chosen))
        else:
            text = _("%(n)d pendaftar dibatalkan.", n=decisions.cancel(actor, meeting, chosen))
    except ServiceError as exc:
        flash(str(exc.message), "error")
        return back
    flash(text, "success")
    return back


def registration_control(meeting: Any) -> dict[str, Any] | None:
    """For the meeting page: whether registration is on, and where its pages are."""
    if not allowed(current_actor(), Permission.MEETING_ARRANGE, meeting):
        return None
    found = services.settings_of(meeting.id)
    return {
        "enabled": bool(found and found.is_enabled),
        "url": url_for("registration.settings_page", meeting_id=meeting.id),
    }


bp.add_app_template_global(registration_control, "registration_control")
