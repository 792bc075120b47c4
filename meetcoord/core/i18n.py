"""Language choice and the date/time filters templates use.

Indonesian is the default; English is offered. Indonesian stays the default whatever the
browser's Accept-Language: a browser in Indonesia is often set to English by the shop that sold
it, so its header is not the person's choice. The language is chosen, in order, by an explicit
switch in this session, the signed-in user's preference, the switch remembered in a long-lived
cookie (anonymous participants have no account to keep it), and only for a programme calling
the API, its Accept-Language.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, Response, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from meetcoord.core.problems import API_PREFIX
from meetcoord.core.timezones import (
    format_across_zones,
    format_long_date,
    format_time_in_zone,
    zone_label,
)
from meetcoord.extensions import babel

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
LANG_COOKIE = "lang"
LANG_COOKIE_AGE = 365 * 24 * 3600  # a participant comes back for next year's meeting


def _is_programme() -> bool:
    """A client calling the API itself, whose Accept-Language is a deliberate choice.

    A page's own scripts also call the API, and their browser sends its Accept-Language
    unasked: ``Sec-Fetch-Site: same-origin`` marks them, and they follow the page.
    """
    if not request.path.startswith(API_PREFIX):
        return False
    return request.headers.get("Sec-Fetch-Site") != "same-origin"


def select_locale() -> str:
    if not has_request_context():  # CLI commands, background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
        return current_user.locale
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in LANGUAGES:
        return remembered
    if _is_programme() and request.accept_languages:
        best = request.accept_languages.best_match(list(LANGUAGES))
        if best:
            return best
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language(response: Response, code: str) -> Response:
    """Keep the person's choice across visits, for a year, on this device."""
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=LANG_COOKIE_AGE,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
    return response


def current_language() -> str:
    return str(get_locale() or "id")


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.template_filter("long_date")
    def long_date(moment: datetime, zone: str | None = None) -> str:
        return format_long_date(moment, zone, current_language())

    @app.template_filter("time_in_zone")
    def time_in_zone(moment: datetime, zone: str) -> str:
        return format_time_in_zone(moment, zone, current_language())

    @app.template_filter("across_zones")
    def across_zones(moment: datetime, zones: list[str]) -> str:
        return format_across_zones(moment, zones, current_language())

    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES, current_language=current_language, zone_label=zone_label
    )
