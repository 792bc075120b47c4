"""What the registration tests share: an open registration, a filled form, a post."""

from __future__ import annotations

import itertools
import time
from datetime import timedelta
from typing import Any

from flask import current_app
from flask.testing import FlaskClient

from meetcoord.meetings.models import Meeting
from meetcoord.registration import guard, services
from meetcoord.registration.models import RegistrationSettings
from tests import factories

_ips = itertools.count(1)
ALL_FIELDS = {
    "position": "optional",
    "organization": "optional",
    "region": "required",
    "phone": "optional",
    "gender": "optional",
    "category": "optional",
    "disability": "optional",
}


def fresh_ip() -> str:
    n = next(_ips)
    return f"172.{16 + n // 65536 % 16}.{n // 256 % 256}.{n % 256}"


def open_registration(
    *, capacity: int | None = None, auto_accept: bool = False, schedule: bool = True, **fields: Any
) -> tuple[Meeting, RegistrationSettings]:
    """A webinar hosted in Jakarta (check-in tomorrow), its registration on."""
    host = factories.venue(timezone="Asia/Jakarta", name="Gedung Bappenas Uji")
    meeting = factories.meeting(
        venue=host,
        title="Webinar Berbagi Praktik Baik Uji",
        kind="knowledge_sharing",
        **factories.meeting_times("Asia/Jakarta", starts_in=timedelta(days=2), hours=2),
    )
    meeting.online_url = "https://meet.example.org/webinar"
    if schedule:
        factories.schedule(meeting)
    editor = meeting.created_by
    services.enable(editor, meeting)
    settings = services.update_settings(
        editor,
        meeting,
        {"capacity": capacity, "auto_accept": auto_accept, "fields": fields or ALL_FIELDS},
    )
    return meeting, settings


def token(slug: str, age: float = 10) -> str:
    return guard.issue(current_app.config["SECRET_KEY"], slug, time.time() - age)


def form(n: int = 1, **extra: Any) -> dict[str, Any]:
    data = {
        "name": f"Siti Rahma {n}",
        "email": f"siti{n}@example.org",
        "region": "DKI Jakarta",
        "position": "Analis Perencana",
        "organization": "Bappeda Uji",
        "gender": "female",
        "category": "government",
        "zone": "Asia/Jakarta",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def post(
    client: FlaskClient,
    slug: str,
    data: dict[str, Any],
    *,
    ip: str | None = None,
    age: float = 10,
    lang: str = "id",
    **kwargs: Any,
) -> Any:
    payload = {"form_token": token(slug, age), **data}
    return client.post(
        f"/r/{slug}?lang={lang}",
        data=payload,
        environ_base={"REMOTE_ADDR": ip or fresh_ip()},
        **kwargs,
    )
