"""Every route declares the permission it needs, and one gate reads the declarations.

A view (or an API method) says ``@requires(Permission.MEETING_ARRANGE)``; the routes of
``core`` and of the frameworks, which cannot import this package, are declared in
:data:`ELSEWHERE`. Before any view runs, :func:`gate` reads the declaration of the
request's route:

- a route that declares nothing is refused (403) and logged: a new route is never open by
  omission, and ``tests/access/test_access_declarations.py`` fails before it ships;
- a permission only accounts hold sends a signed-out visitor to the sign-in page (the API
  answers 401 itself, ``meetcoord.api``) and refuses an account whose role never holds it,
  before the body is parsed, so a viewer learns nothing from a write form's validation.

Whether *this* object is the actor's (is meeting 41 theirs?) is the service's check, with
:func:`.permissions.require`, once the object is loaded. Links are resolved by the routes
that take them (:mod:`.resolve`): a stranger's token answers 404 there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from meetcoord.access import permissions, resolve
from meetcoord.access.permissions import TABLE, Permission
from meetcoord.core.errors import PermissionDenied
from meetcoord.core.problems import API_PREFIX
from meetcoord.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])

ATTRIBUTE = "meetcoord_permission"

# Routes whose view cannot carry the decorator: core's own pages (core sits below access),
# Flask's static files and the API's OpenAPI document.
ELSEWHERE: dict[str, Permission] = {
    "static": Permission.PUBLIC,
    "api-docs.openapi_json": Permission.PUBLIC,
    "core.index": Permission.PUBLIC,  # sends each visitor where they belong
    "core.healthz": Permission.PUBLIC,
    "core.set_language": Permission.PUBLIC,
}


def requires(permission: Permission) -> Callable[[F], F]:
    """Declare the permission a view, an API method or a whole ``MethodView`` class (for
    each of its methods) needs; the gate enforces it."""

    def declare(view: F) -> F:
        setattr(view, ATTRIBUTE, permission)
        return view

    return declare


def declared(app: Flask, endpoint: str | None, method: str) -> Permission | None:
    """The permission the route ``endpoint`` declares for ``method``, if any."""
    if endpoint is None:
        return None
    if endpoint in ELSEWHERE:
        return ELSEWHERE[endpoint]
    view = app.view_functions.get(endpoint)
    if view is None:
        return None
    found = getattr(view, ATTRIBUTE, None)
    view_class = getattr(view, "view_class", None)
    if found is None and view_class is not None:
        handler = getattr(view_class, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(view_class, "get", None)
        found = getattr(handler, ATTRIBUTE, None) or getattr(view_class, ATTRIBUTE, None)
    return found  # type: ignore[no-any-return]


def gate() -> Any:
    """The first check of every request (``before_request``): see the module's doc."""
    if request.endpoint is None or request.method == "OPTIONS":
        return None  # no route (a 404 follows) or a CORS preflight
    permission = declared(current_app, request.endpoint, request.method)
    if permission is None:
        current_app.logger.error("route %s declares no permission", request.endpoint)
        raise PermissionDenied(TABLE[Permission.ACCOUNT].refusal)
    rule = TABLE[permission]
    if rule.anyone or rule.for_links or not rule.for_accounts:
        return None  # a link's holder is resolved by the route itself
    if not current_user.is_authenticated:
        if request.path.startswith(API_PREFIX):
            return None  # the API's own hook answers 401 with a problem body
        return login_manager.unauthorized()
    role = getattr(current_user.role, "value", current_user.role)
    if role not in rule.accounts:
        raise PermissionDenied(rule.refusal)
    return None


def may(name: str, obj: Any = None) -> bool:
    """For templates: ``{% if may("directory.edit") %}`` asks the table about this
    request's staff account (a menu entry, a button), as the route and the service will."""
    # The signed-in account only: a page's menu is about staff, and on a personal link's
    # error page the link itself may be the thing that was not found.
    return permissions.allowed(resolve.account(), Permission(name), obj)


def init_gate(app: Flask) -> None:
    app.before_request(gate)
    app.jinja_env.globals["may"] = may


def handler_of(app: Flask, endpoint: str, method: str) -> str:
    """``module:function`` (or ``module:Class.method``) that answers ``method`` at
    ``endpoint``: where a newcomer opens the file."""
    view = app.view_functions[endpoint]
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return f"{view_class.__module__}:{view_class.__qualname__}.{method.lower()}"
    inner = getattr(view, "__wrapped__", view)
    return f"{inner.__module__}:{inner.__qualname__}"


def route_table(app: Flask, path: str | None = None) -> list[tuple[str, str, str, str, str]]:
    """(methods, rule, permission, endpoint, handler) of every route, or of the route that
    answers ``path`` (``/meetings/41/edit``, any method)."""
    rows = []
    wanted: set[str] | None = None
    if path is not None:
        adapter = app.url_map.bind("localhost")
        wanted = set()
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            try:
                endpoint, _args = adapter.match(path, method=method)
            except HTTPException:  # no route for this method: 404, 405 or a redirect
                continue
            wanted.add(f"{endpoint} {method}")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if wanted is not None and f"{rule.endpoint} {method}" not in wanted:
                continue
            permission = declared(app, rule.endpoint, method)
            rows.append(
                (
                    method,
                    rule.rule,
                    permission.value if permission else "UNDECLARED",
                    rule.endpoint,
                    handler_of(app, rule.endpoint, method),
                )
            )
    return rows
