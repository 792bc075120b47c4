"""The JSON API under ``/api/v1``, documented by an OpenAPI 3 document built from schemas.

flask-smorest generates the document from the marshmallow schemas the endpoints declare;
this package adds the pieces every endpoint shares: authentication (bearer token or a
session with CSRF header), one error format (``application/problem+json``) and list
arguments and envelopes.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from flask_login import current_user
from flask_smorest import Api, Blueprint

from meetcoord.api import hooks, idempotency
from meetcoord.api.openapi import RequestRulesPlugin
from meetcoord.core.problems import API_PREFIX, unauthorized
from meetcoord.extensions import csrf

__all__ = ["API_PREFIX", "current_api", "register_api_blueprint", "register_public_api_blueprint"]


class _Api(Api):
    def _register_error_handlers(self) -> None:
        """Errors are handled app-wide by ``core.views`` (JSON under /api, HTML elsewhere)."""

    def register_public(self, blp: Blueprint, url_prefix: str) -> None:
        """Register ``blp`` with its operations documented as needing no security scheme."""
        plugin = self.spec.plugins[-1]
        assert isinstance(plugin, RequestRulesPlugin)
        plugin.public = True
        try:
            self.register_blueprint(blp, url_prefix=url_prefix)
        finally:
            plugin.public = False


def _require_auth() -> Any:
    if not current_user.is_authenticated:
        return unauthorized()
    uses_bearer = request.headers.get("Authorization", "").lower().startswith("bearer ")
    if request.method not in ("GET", "HEAD", "OPTIONS") and not uses_bearer:
        csrf.protect()  # a browser session calling the API must prove it is our page
    return None


def _attach(blp: Blueprint, *hooks_in_order: Any) -> None:
    # Blueprints are module-level objects: attach each hook once, so that a second app in
    # the same process (tests, the CLI) can register them again.
    for hook in hooks_in_order:
        if hook not in blp.before_request_funcs.get(None, []):
            blp.before_request(hook)


def register_api_blueprint(blp: Blueprint) -> None:
    """Attach a feature's API blueprint: documented, authenticated, CSRF by header.

    After authentication, the actor known: ``If-Match`` is checked and an
    ``Idempotency-Key`` claimed or answered (``api.hooks``, ``api.idempotency``).
    """
    csrf.exempt(blp)
    _attach(blp, _require_auth, hooks.blueprint_checks, idempotency.begin)
    current_api().register_blueprint(blp, url_prefix=API_PREFIX + (blp.url_prefix or ""))


def register_public_api_blueprint(blp: Blueprint) -> None:
    """Attach a blueprint whose credential is in the URL (a personal token), not a login.

    Still CSRF-exempt (no session is used) and documented; the blueprint must check its
    own credential and should be rate limited.
    """
    csrf.exempt(blp)
    _attach(blp, hooks.blueprint_checks, idempotency.begin)
    current_api().register_public(blp, url_prefix=API_PREFIX + (blp.url_prefix or ""))


def current_api() -> Api:
    return current_app.extensions["meetcoord_api"]


def init_api(app: Flask) -> None:
    """The documented API object of ``app``; ``create_app`` then registers the features'
    blueprints with :func:`register_api_blueprint` (it is the only registry, DESIGN §3)."""
    the_api = _Api(
        app,
        spec_kwargs={
            "info": {
                "description": "meetcoord: rapat koordinasi lintas lokasi. "
                "Errors are application/problem+json with a field-level `errors` map.",
            },
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer"},
                    "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session"},
                }
            },
            "security": [{"bearerAuth": []}, {"sessionCookie": []}],
            "extra_plugins": [RequestRulesPlugin()],
        },
    )
    app.extensions["meetcoord_api"] = the_api
    hooks.install(app)
    app.after_request(idempotency.finish)
