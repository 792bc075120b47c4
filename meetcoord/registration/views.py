"""The public registration page ``/r/<slug>``: no login, no session, no cookie.

The meeting is shown in the visitor's zone: the browser detects it
(``Intl.DateTimeFormat().resolvedOptions().timeZone``, ``static/js/registration.js``) into
the page's ``zone`` field and reloads with ``?zone=``; a WIB/WITA/WIT select changes it.
The server renders every time in the chosen zone with its label. The language is in the
address (``?lang=en``), as on the other public pages.

Bots are kept out without a third party: limits per address (flask-limiter), the timed
HMAC form token and the honeypot (:mod:`.guard`) — checked before the form is read. The
answer to an accepted form is one "check your mail" page, whatever was there before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.errors import Conflict, NotFound, ValidationError
from meetcoord.core.i18n import LANGUAGES
from meetcoord.core.timezones import (
    PRIMARY_ZONES,
    format_long_date,
    format_time_in_zone,
    is_valid_zone,
    zone_label,
)
from meetcoord.directory.forms import CATEGORY_LABELS, GENDER_LABELS
from meetcoord.extensions import csrf, limiter
from meetcoord.meetings.zones import host_zone
from meetcoord.registration import guard, services
from meetcoord.registration.models import FieldRule, RegistrationSettings

bp = Blueprint("registration_public", __name__)

PAGE_LIMIT = "60 per minute;600 per hour"
# Per address: a family or an office behind one NAT registers a few people, a bot cannot.
REGISTER_LIMIT = "10 per minute;60 per hour"
NO_STORE = {"Cache-Control": "no-store"}
REFUSED = _l("Formulir tidak dapat diterima. Muat ulang halaman lalu isi kembali.")
TOO_FAST = _l("Formulir dikirim terlalu cepat. Tunggu beberapa detik lalu kirim lagi.")
STALE = _l("Formulir sudah terlalu lama dibuka. Muat ulang halaman lalu isi kembali.")
RECEIVED = _l(
    "Pendaftaran Anda sudah kami terima. Periksa surel Anda: bila pendaftaran diterima, "
    "konfirmasi dengan tautan pribadi dan berkas kalender dikirim ke alamat yang Anda isi."
)
# Shared by the page's form and the API's POST: one budget per address for both doors.
register_limit = limiter.shared_limit(REGISTER_LIMIT, scope="registration-submit", methods=["POST"])
GUARD_MESSAGES = {"forged": REFUSED, "fast": TOO_FAST, "stale": STALE, "honeypot": REFUSED}


def language() -> str:
    chosen = request.values.get("lang", "id")
    return chosen if chosen in LANGUAGES else "id"


def chosen_zone(settings: RegistrationSettings) -> str:
    """``?zone=`` (or the form's ``zone``) when it is a real zone; else the host's."""
    zone = request.values.get("zone", "")
    if zone and len(zone) <= 64 and is_valid_zone(zone):
        return zone
    return host_zone(settings.meeting)


def meeting_in_zone(settings: RegistrationSettings, zone: str, lang: str) -> dict[str, Any]:
    """The facts a visitor sees, in their zone, nothing personal."""
    meeting = settings.meeting
    start = format_time_in_zone(meeting.start_at, zone, lang).rsplit(" ", 1)[0]
    end = format_time_in_zone(meeting.end_at, zone, lang).rsplit(" ", 1)[0]
    label = zone_label(zone, meeting.start_at)
    return {
        "title": meeting.title,
        "purpose": meeting.purpose,
        "institution": meeting.institution.name,
        "date_label": format_long_date(meeting.start_at, zone, lang),
        "time_label": f"{start}–{end} {label}",
        "zone": zone,
        "zone_label": label,
        "online": settings.site_id is None,
        "site": settings.site.venue.name if settings.site else None,
    }


def zone_options(current: str) -> list[tuple[str, str]]:
    options = [(z, f"{zone_label(z)} — {z}") for z in PRIMARY_ZONES]
    if current not in PRIMARY_ZONES:
        options.insert(0, (current, f"{zone_label(current)} — {current}"))
    return options


def render(
    settings: RegistrationSettings,
    lang: str,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[Any]] | None = None,
    message: Any = None,
    token: str | None = None,
    status: int = 200,
) -> Any:
    zone = chosen_zone(settings)
    html = render_template(
        "registration/page.html",
        lang=lang,
        slug=settings.slug,
        meeting=meeting_in_zone(settings, zone, lang),
        state=services.window(settings),
        settings=settings,
        rules={name: settings.rule(name).value for name in settings.asked()},
        required=FieldRule.REQUIRED.value,
        zones=zone_options(zone),
        genders=GENDER_LABELS,
        categories=CATEGORY_LABELS,
        values=values or {},
        errors={k: [str(m) for m in v] for k, v in (errors or {}).items()},
        message=str(message) if message else None,
        token=token or new_token(settings),
        honeypot=guard.HONEYPOT,
    )
    return html, status, NO_STORE


def not_found(lang: str) -> Any:
    return render_template("public/not_found.html", lang=lang), 404, NO_STORE


def new_token(settings: RegistrationSettings) -> str:
    return guard.issue(current_app.config["SECRET_KEY"], settings.slug)


def refusal(slug: str, form: Mapping[str, Any]) -> str | None:
    """Why the guard refuses this submission (``honeypot``, ``forged``, ``fast``,
    ``stale``), or None. The API asks the same."""
    if guard.caught(form.get(guard.HONEYPOT)):
        return "honeypot"
    return guard.check(current_app.config["SECRET_KEY"], slug, form.get("form_token"))


@bp.get("/r/<slug>")
@requires(Permission.PUBLIC)
@limiter.limit(PAGE_LIMIT)
def page(slug: str) -> Any:
    lang = language()
    with force_locale(lang):
        try:
            settings = services.open_settings(slug)
        except NotFound:
            return not_found(lang)
        return render(settings, lang)


@bp.post("/r/<slug>")
@requires(Permission.PUBLIC)  # the timed form token stands in for the session's CSRF token
@csrf.exempt
@register_limit
def submit(slug: str) -> Any:
    lang = language()
    with force_locale(lang):
        try:
            settings = services.open_settings(slug)
        except NotFound:
            return not_found(lang)
        form = request.form
        why = refusal(settings.slug, form)
        if why is not None:
            keep = form.get("form_token") if why == "fast" else None
            return render(
                settings, lang, values=form, message=GUARD_MESSAGES[why], token=keep, status=400
            )
        try:
            services.register(settings, form)
        except ValidationError as exc:
            return render(
                settings, lang, values=form, errors=exc.errors, message=exc.message, status=422
            )
        except Conflict as exc:
            return render(settings, lang, values=form, message=exc.message, status=409)
        return redirect(url_for(".done", slug=slug, lang=lang), 303)


@bp.get("/r/<slug>/done")
@requires(Permission.PUBLIC)
@limiter.limit(PAGE_LIMIT)
def done(slug: str) -> Any:
    """The same answer for every accepted form: nothing about earlier registrations."""
    lang = language()
    with force_locale(lang):
        try:
            settings = services.open_settings(slug)
        except NotFound:
            return not_found(lang)
        html = render_template(
            "registration/done.html",
            lang=lang,
            slug=slug,
            title=settings.meeting.title,
            heading=_("Terima kasih"),
            message=str(RECEIVED),
        )
        return html, 200, NO_STORE
