"""The ``meetcoord`` console command (pyproject's entry point): Flask's CLI over create_app.

The commands are in :mod:`meetcoord.commands`, which ``create_app`` registers on every app.
This module only builds the app for the console script: kept apart from the commands, the
package's ``create_app`` and the CLI do not import each other in a circle (DESIGN §3).
"""

from __future__ import annotations

import warnings

from flask import Flask
from flask.cli import FlaskGroup

# 2026-11-22: eventlet (the brief's default server) announces it is in bugfix-only mode on
# every import; the message is for new projects choosing a server, not for operators.
# Its category (EventletDeprecationWarning) derives from Warning, not DeprecationWarning.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)


def _create_app() -> Flask:
    from meetcoord import create_app
    from meetcoord.core.settings import ConfigError

    try:
        return create_app()
    except ConfigError as exc:
        raise SystemExit(f"meetcoord: configuration error: {exc}") from None


main = FlaskGroup(create_app=_create_app, help="meetcoord: rapat koordinasi lintas lokasi.")


def _add_app_free_commands() -> None:
    """Commands found without loading the app (FlaskGroup looks at its own first): the
    asset build runs in ``make test`` before any configuration exists."""
    from meetcoord.commands import assets_group

    main.add_command(assets_group)


_add_app_free_commands()
