"""What the HTTP attack tests need in the server's database: a signatory and a secretariat.

Runs in its own process (``python -m tests.untrusted_support seed out.json``) with the
server's environment, like ``tests.live_support``: a held and closed Rakor whose minutes
are final and rendered (so the chair may sign them, with a personal link), and an API
token of the secretariat that scheduled it (to make series).
"""

from __future__ import annotations

import json
import sys


def seed_for_server(out_path: str) -> None:
    from meetcoord import create_app
    from meetcoord.accounts.services import create_token
    from meetcoord.extensions import db
    from meetcoord.meetings import links
    from tests.documents_support import ClosedRakor
    from tests.test_documents_workflow import final_minutes  # the workflow's own way there

    app = create_app()
    with app.app_context():
        rakor = ClosedRakor(app)
        minutes = final_minutes(rakor)
        _token, secret = create_token(None, rakor.staff, "uji serangan")  # as the CLI does
        db.session.commit()
        seeded = {
            "meeting": rakor.meeting.id,
            "minutes": minutes.id,
            "chair_token": links.personal_token(rakor.chair),
            "staff_token": secret,
        }
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(seeded, out)


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        seed_for_server(sys.argv[2])
