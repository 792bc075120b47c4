"""Seed a webinar hosted in Jakarta with public registration on, in a real server's
database; prints ``{"slug": ..., "start_utc": ...}``. Run with the server's environment::

    python -m tests.registration.browser_seed
"""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import Any

from tests import factories


def seed() -> dict[str, Any]:
    from meetcoord import create_app
    from meetcoord.accounts.models import Role, User
    from meetcoord.directory.models import Venue
    from meetcoord.extensions import db
    from meetcoord.meetings import services
    from meetcoord.registration import services as registration

    app = create_app()
    with app.app_context():
        tag = secrets.token_hex(3)
        editor = User(email=f"reg-{tag}@bappenas.example.go.id", name="Seed", role=Role.SECRETARIAT)
        editor.set_password(secrets.token_hex(16))
        host = Venue(name=f"Gedung Bappenas {tag}", timezone="Asia/Jakarta", capacity=300)
        db.session.add_all([editor, host])
        db.session.flush()
        factories.membership(editor, factories.default_institution(), "secretariat")
        times = factories.meeting_times("Asia/Jakarta", starts_in=timedelta(days=3), hours=2)
        meeting = services.create_meeting(
            editor,
            {
                "title": f"Webinar berbagi praktik baik {tag}",
                "kind": "knowledge_sharing",
                "host_venue_id": host.id,
                **times,
            },
        )
        services.schedule_meeting(editor, meeting)
        registration.enable(editor, meeting)
        settings = registration.update_settings(
            editor, meeting, {"fields": {"region": "required", "gender": "optional"}}
        )
        return {"slug": settings.slug, "start_utc": meeting.start_at.isoformat()}


if __name__ == "__main__":
    print(json.dumps(seed()))
