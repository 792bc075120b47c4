"""Language choice and the date/time filters templates use.

Indonesian is the default; English is offered. The choice is made, in order, by an explicit
switch (kept in the session), the signed-in user's preference, then the browser's
Accept-Language.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from meetcoord.core.timezones import (
    format_across_zones,
    format_long_date,
    format_time_in_zone,
    zone_label,
)
from meetcoord.extensions import babel

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}


def select_locale() -> str:
    from flask import current_app

    if not has_request_context():  # CLI commands, background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
        return current_user.locale
    if request.accept_languages:
        best = request.accept_languages.best_match(list(LANGUAGES))
        if best:
            return best
    return current_app.config["BABEL_DEFAULT_LOCALE"]


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
