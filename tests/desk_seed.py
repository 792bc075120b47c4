"""Seed a scheduled meeting with two sites and N invitees in a real server's database.

Run in a subprocess with the server's environment (same database, same secret key, so the
credentials it prints are the ones the server accepts)::

    python -m tests.desk_seed 10   →   {"sites": [...], "credentials": [...], "names": [...]}
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

from tests import factories
from tests.support import PROJECT_ROOT


def seed(n: int) -> dict[str, Any]:
    from meetcoord import create_app
    from meetcoord.accounts.models import Role, User
    from meetcoord.checkin import keys
    from meetcoord.directory.models import Gender, Person, StakeholderCategory, Venue
    from meetcoord.extensions import db
    from meetcoord.meetings import invitations, services

    app = create_app()
    with app.app_context():
        tag = secrets.token_hex(3)
        editor = User(email=f"seed-{tag}@bappeda.example.go.id", name="Seed", role=Role.SECRETARIAT)
        editor.set_password(secrets.token_hex(16))
        wita = Venue(name=f"Aula Bappeda SBD {tag}", timezone="Asia/Makassar", capacity=80)
        wit = Venue(name=f"Kantor Gubernur Maluku {tag}", timezone="Asia/Jayapura", capacity=80)
        people = [
            Person(
                name=f"Peserta Meja {tag} {i:02d}",
                category=StakeholderCategory.GOVERNMENT,
                gender=Gender.FEMALE if i % 2 else Gender.MALE,
                email=f"meja-{tag}-{i}@example.go.id",
                phone="0812-3456-7890",
            )
            for i in range(n)
        ]
        db.session.add_all([editor, wita, wit, *people])
        db.session.flush()
        factories.membership(editor, factories.default_institution(), "secretariat")
        meeting = services.create_meeting(
            editor,
            {
                "title": f"Rakor meja {tag}",
                "kind": "coordination",
                "host_venue_id": wita.id,
                **factories.meeting_times("Asia/Makassar"),  # check-in is open now
            },
        )
        services.add_site(editor, meeting, {"venue_id": wit.id})
        invitations.invite(
            editor, meeting, {"person_ids": [p.id for p in people], "site_id": meeting.sites[0].id}
        )
        services.schedule_meeting(editor, meeting)
        ordered = sorted(meeting.invitations, key=lambda inv: inv.person.name)
        return {
            "meeting_id": meeting.id,
            "sites": [site.code for site in meeting.sites],
            "credentials": [keys.credential_for(inv) for inv in ordered],
            "names": [inv.person.name for inv in ordered],
        }


def seed_server(env: Mapping[str, str], n: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.desk_seed", str(n)],
        env=dict(env),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(seed(int(sys.argv[1]))))
