"""Integers too big for the database are refused at the door, on every route.

An id or a count of 2**63 used to reach SQLite (``OverflowError``) or PostgreSQL
(``NumericValueOutOfRange``) and answer 500 on about thirty operations. These tests do not
list the routes by hand: they walk ``app.url_map`` and the OpenAPI document and put each
huge number into every integer a route reads — the path, the query string, every numeric
field of every form a page offers (submitted as a browser would, with the page's own
values otherwise), every integer property of a JSON body (the rest of the body valid) —
and require a clear answer: never a 500; a 4xx from the API.

Each page or operation gets a fresh set of rows (:class:`World`), so a request that
succeeds cannot change what the next check finds. Run on PostgreSQL as well:
``MEETCOORD_TEST_BACKEND=postgres MEETCOORD_TEST_DATABASE_URL=…``.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from meetcoord.checkin import selfservice
from meetcoord.extensions import db
from meetcoord.meetings import agenda, invitations, links, series, services
from meetcoord.meetings.models import Meeting
from tests import factories
from tests.conftest import AuthActions

API = "/api/v1"
HUGE = (2**63, 2**64, -(2**63) - 1)
START = datetime(2030, 3, 15, 1, 0, tzinfo=UTC)
# Query parameters a page may read as a number (others are ignored, so sending them is free).
QUERY_INTS = ("page", "per_page", "revision", "actor_id", "organization_id", "parent_id")
QUERY_INTS += ("forum_id", "site_id", "person_id", "who")
_NUMBER = re.compile(r"-?[0-9]+")
_worlds = itertools.count(1)


class World:
    """One of everything a route can name, so every other part of a request is valid."""

    def __init__(self, staff: Any, other_user: Any) -> None:
        n = next(_worlds)
        self.staff, self.other_user = staff, other_user
        self.org = factories.organization(name=f"Bappeda Kabupaten Uji Batas {n}")
        self.person = factories.person(name="Maria Kaka", organization_id=self.org.id)
        self.forum = factories.forum(members=1, organization_id=self.org.id)
        self.member = self.forum.members[0]
        self.venue = factories.venue(name=f"Aula Uji Batas {n}", timezone="Asia/Makassar")
        self.venue2 = factories.venue(name=f"Kantor Uji Batas {n}", timezone="Asia/Jayapura")
        self.meeting = self._meeting("Rapat Uji Batas")
        services.add_site(staff, self.meeting, {"venue_id": self.venue2.id})
        item = {"title": "Pembukaan", "planned_minutes": 15, "kind": "discussion"}
        self.item = agenda.add_agenda_item(staff, self.meeting, item)
        invite = {"person_ids": [self.person.id], "site_id": self.meeting.sites[0].id}
        invitations.invite(staff, self.meeting, invite)
        services.schedule_meeting(staff, self.meeting)
        self.invitation = self.meeting.invitations[0]
        rule = "FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=2"
        self.series = series.create_series(staff, self._meeting("Rapat Seri Uji Batas"), rule)
        self.token = links.personal_token(self.invitation)
        self.site_code = self.meeting.sites[0].code

    def _meeting(self, title: str) -> Meeting:
        return services.create_meeting(
            self.staff,
            {
                "title": title,
                "kind": "coordination",
                "host_venue_id": self.venue.id,
                "start_at": START,
                "end_at": START + timedelta(hours=3),
            },
        )

    def path_value(self, path: str, name: str) -> Any:
        """A value that names a real row for ``name`` in ``path`` (or a plausible word)."""
        if name == "id":
            segment = path.removeprefix(API).strip("/").split("/")[0]
            by_collection = {
                "organizations": self.org.id,
                "people": self.person.id,
                "forums": self.forum.id,
                "venues": self.venue.id,
                "meetings": self.meeting.id,
                "series": self.series.id,
            }
            return by_collection.get(segment, 1)
        return {
            "org_id": self.org.id,
            "person_id": self.person.id,
            "forum_id": self.forum.id,
            "member_id": self.member.id,
            "venue_id": self.venue.id,
            "meeting_id": self.meeting.id,
            "site_id": self.meeting.sites[0].id,
            "item_id": self.item.id,
            "invitation_id": self.invitation.id,
            "series_id": self.series.id,
            "user_id": self.other_user.id,
            "token": self.token,
            "site_code": self.site_code,
            "code": (
                selfservice.kiosk_codes(self.meeting.sites[0])["url_code"]  # a kiosk's QR
                if path.startswith("/c/")
                else self.site_code
            ),
            "source": "person",
            "kind": "minutes",
            "step": "edit",
            "key": "all",
            "fmt": "csv",
        }.get(name, 1)

    def field_value(self, name: str) -> Any:
        """A valid value for a JSON property of that name (None: leave it out)."""
        return {
            "name": "Nama Uji Baru",
            "title": "Judul Uji",
            "kind": "coordination",
            "level": "regency",
            "category": "government",
            "timezone": "Asia/Makassar",
            "start_at": "2030-04-01T09:00",
            "end_at": "2030-04-01T11:00",
            "rrule": "FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=2",
            "role": "participant",
            "host_venue_id": self.venue.id,
            "venue_id": self.venue2.id,
            "forum_id": self.forum.id,
            "coordinator_id": self.person.id,
            "person_id": self.person.id,
            "person_ids": [self.person.id],
            "organization_id": self.org.id,
            "parent_id": self.org.id,
            "site_id": self.meeting.sites[0].id,
            "ids": [self.item.id],
            "capacity": 10,
            "planned_minutes": 15,
        }.get(name)


def _path(template: str, values: dict[str, Any]) -> str:
    """Fill a Flask rule (``<int:id>``) or an OpenAPI path (``{id}``) with values."""
    out = template
    for name, value in values.items():
        out = re.sub(rf"<(?:[^:<>]+:)?{name}>|\{{{name}\}}", str(value), out)
    return out


def _ask(client: Any, method: str, url: str, **kwargs: Any) -> int:
    status = client.open(url, method=method, **kwargs).status_code
    db.session.expire_all()  # the request committed through its own view of the rows
    return status


# --- pages ------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The POST forms of a page: action, and each field with the value a browser sends."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.forms.append({"action": a.get("action", ""), "fields": {}, "numeric": set()})
            else:
                self.forms.append({"action": None, "fields": {}, "numeric": set()})
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "option" and self._select and _NUMBER.fullmatch(a.get("value", "")):
            form["numeric"].add(self._select)
            form["fields"][self._select] = form["fields"][self._select] or a["value"]
        if not a.get("name"):
            return
        if tag == "input" and a.get("type") not in ("submit", "file", "checkbox", "radio"):
            form["fields"][a["name"]] = a.get("value", "")
            if a.get("type") == "number" or _NUMBER.fullmatch(a.get("value", "")):
                form["numeric"].add(a["name"])
        elif tag == "textarea":
            form["fields"][a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
            form["fields"].setdefault(a["name"], "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _post_forms(html: str, page_url: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    forms = [f for f in parser.forms if f["action"] is not None and f["numeric"]]
    for form in forms:
        form["action"] = form["action"] or page_url
    return forms


def test_every_page_refuses_huge_integers(app: Flask, client: Any) -> None:
    auth = AuthActions(client)
    staff = auth.login("admin")
    other_user = factories.user("viewer")
    failures: list[str] = []
    fields_checked: set[tuple[str, str]] = set()
    checked = 0

    def check(method: str, url: str, label: str, **kwargs: Any) -> None:
        nonlocal checked
        checked += 1
        status = _ask(client, method, url, **kwargs)
        if status >= 500:
            failures.append(f"{method} {url} [{label}] → {status}")

    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API) or rule.endpoint in ("static", "accounts.logout"):
            continue
        world = World(staff, other_user)
        base = {name: world.path_value(rule.rule, name) for name in rule.arguments}
        url = _path(rule.rule, base)
        ints = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for huge, name in itertools.product(HUGE, ints):
                check(method, _path(rule.rule, {**base, name: huge}), f"{name}={huge}")
        if "GET" not in rule.methods:
            continue
        for huge in HUGE:
            check("GET", f"{url}?" + "&".join(f"{q}={huge}" for q in QUERY_INTS), f"?{huge}")
        page = client.get(url)
        if page.status_code != 200 or page.mimetype != "text/html":
            continue
        # Every numeric field of every form on the page, one at a time, the rest as given.
        for form in _post_forms(page.get_data(as_text=True), url):
            for name, huge in itertools.product(sorted(form["numeric"]), HUGE):
                fields_checked.add((rule.endpoint, name))
                data = {**form["fields"], name: str(huge)}
                check("POST", form["action"], f"{name}={huge}", data=data)
        # The checks above mean nothing once the session is gone (every page a redirect).
        assert client.get("/meetings/").status_code == 200, f"{rule} ended the session"
    assert checked > 500
    assert len(fields_checked) > 30, sorted(fields_checked)
    assert failures == [], "\n".join(failures)


# --- the API, from its own document -----------------------------------------------------


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is(schema: dict[str, Any], kind: str) -> bool:
    declared = schema.get("type")
    return declared == kind or (isinstance(declared, list) and kind in declared)


def _body(spec: dict[str, Any], schema: dict[str, Any], world: World) -> tuple[dict, list[str]]:
    """A valid body for ``schema`` and the names of its integer properties."""
    schema = _resolve(spec, schema)
    body: dict[str, Any] = {}
    ints: list[str] = []
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        prop = _resolve(spec, prop)
        if prop.get("readOnly"):
            continue
        items = _resolve(spec, prop.get("items", {}))
        is_int = _is(prop, "integer") or (_is(prop, "array") and _is(items, "integer"))
        if is_int:
            ints.append(name)
        value = world.field_value(name)
        if value is None and name in required:
            value = ([1] if _is(prop, "array") else 1) if is_int else "Uji"
        if value is not None:
            body[name] = value
    return body, ints


def test_every_api_operation_refuses_huge_integers(client: Any, api_token: Any) -> None:
    staff, headers = api_token("admin")
    other_user = factories.user("viewer")
    spec = client.get(f"{API}/openapi.json").get_json()
    failures: list[str] = []
    checked = 0
    for path, operations in spec["paths"].items():
        shared = operations.get("parameters", [])
        for method, operation in operations.items():
            if method == "parameters":
                continue
            world = World(staff, other_user)
            params = shared + operation.get("parameters", [])
            in_path = {p["name"]: world.path_value(path, p["name"]) for p in params}
            in_path = {k: v for k, v in in_path.items() if f"{{{k}}}" in path}
            int_params = [p for p in params if _is(p.get("schema", {}), "integer")]
            schema = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            body, body_ints = _body(spec, schema, world) if schema else ({}, [])
            send = {"json": body} if schema else {}
            tries: list[tuple[str, str, dict[str, Any]]] = []
            for huge in HUGE:
                for param in int_params:
                    if param["in"] == "path":
                        url = _path(path, {**in_path, param["name"]: huge})
                    else:
                        url = f"{_path(path, in_path)}?{param['name']}={huge}"
                    tries.append((f"{param['name']}={huge}", url, send))
                for name in body_ints:
                    value = [huge] if isinstance(body.get(name), list) else huge
                    tries.append(
                        (f"{name}={huge}", _path(path, in_path), {"json": {**body, name: value}})
                    )
            for label, url, kwargs in tries:
                status = _ask(client, method.upper(), url, headers=headers, **kwargs)
                checked += 1
                if not 400 <= status < 500:
                    failures.append(f"{method.upper()} {url} [{label}] → {status}")
    assert checked > 200
    assert failures == [], "\n".join(failures)
