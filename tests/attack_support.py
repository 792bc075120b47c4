"""The attacks of issue 11 over HTTP: the server process and what its database holds.

:func:`seed_for_server` runs in its own process (``python -m tests.attack_support seed
out.json``) with the server's environment, like ``tests.live_support``, so that personal
tokens, kiosk codes and check-in credentials derive from the server's key. It writes:

- ``meeting``/``minutes``/``chair_token``: a held and closed Rakor whose minutes are final
  and rendered, the chair's turn to sign (refusals only: it is never signed);
- ``signing``: a second closed Rakor whose chair does sign, once the code is read from
  the outbox (the path the refusals guard must still work);
- ``live``: a Rakor starting in 30 minutes (check-in open, the live room opened by its
  chair), its invitees' tokens, its sites' kiosk secrets, a phone owner's invitation and
  last four digits, and a desk credential;
- ``accounts``: an administrator and secretariat accounts (one per scene, since the scenes
  end sign-ins, reset a password or lock an account), all with ``password``;
- ``staff_token`` (the Rakor's secretariat), ``revocable`` (a token that revokes itself)
  and ``reset_token`` (one a password reset must kill).

:func:`running` starts it all for the test module (clients: ``tests.attack_clients``).
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from tests.attack_clients import AttackServer, Database
from tests.documents_support import CA_PASSPHRASE
from tests.support import ServerProcess, run_seed, server_env, throwaway_postgres

INSTITUTION = "Bappeda Kabupaten Sumba Barat Daya"


# --- the seed (in the server's environment) -----------------------------------------------


def seed_for_server(out_path: str) -> None:
    from flask_migrate import upgrade

    from meetcoord import create_app
    from meetcoord.accounts.services import create_token
    from meetcoord.checkin import keys
    from meetcoord.extensions import db
    from meetcoord.meetings import links
    from tests import factories
    from tests.documents_support import ClosedRakor, ensure_ca, final_minutes
    from tests.live_support import LiveRakor, command, connect

    app = create_app()
    with app.app_context():
        upgrade()  # what `meetcoord db upgrade` does, without starting another process
        ensure_ca(app)  # the deployment's CA, opened by MEETCOORD_CA_PASSPHRASE
        rakor = ClosedRakor(app)
        minutes = final_minutes(rakor)
        signing = ClosedRakor(app, "Rakor Tanda Tangan")
        signed_minutes = final_minutes(signing)
        room = LiveRakor("Rakor Serangan")
        room.add_items("Pembukaan", "Ketahanan pangan")
        assert command(connect(app, room.chair), "open")["ok"]
        roles = ("chair", "minute_taker", "coordinator", "participant", "ambon_participant")

        accounts = {"staff": room.staff, "admin": factories.user("admin")}
        for scene in ("leaver", "remembered", "reset", "locked", "redirected"):
            accounts[scene] = factories.user("secretariat", name=f"Staf {scene}")
        _token, staff_secret = create_token(None, rakor.staff, "uji serangan")  # as the CLI
        revocable, revocable_secret = create_token(None, accounts["leaver"], "dicabut")
        _token, reset_secret = create_token(None, accounts["reset"], "sinkron")
        db.session.commit()
        meetings = (rakor.meeting, signing.meeting, room.meeting)
        guessed, checker = room.invitee(1), room.invitee(0)
        seeded = {
            "meeting": rakor.meeting.id,
            "minutes": minutes.id,
            "chair_token": links.personal_token(rakor.chair),
            "staff_token": staff_secret,
            "signing": {
                "meeting": signing.meeting.id,
                "minutes": signed_minutes.id,
                "chair_token": links.personal_token(signing.chair),
                "chair_email": signing.chair.person.email,
            },
            "live": {
                "meeting": room.meeting.id,
                "tokens": {role: links.personal_token(getattr(room, role)) for role in roles},
                "sites": [
                    {"id": site.id, "code": site.code, "secret": keys.site_secret(site).hex()}
                    for site in room.meeting.sites
                ],
                "guessed": {"id": guessed.id, "last_four": guessed.person.phone[-4:]},
                "checker": {"id": checker.id, "last_four": checker.person.phone[-4:]},
                "desk": {
                    "id": room.invitee(2).id,
                    "credential": keys.credential_for(room.invitee(2)),
                },
            },
            "personal_tokens": [
                links.personal_token(inv) for meeting in meetings for inv in meeting.invitations
            ],
            "accounts": {
                name: {"id": user.id, "email": user.email} for name, user in accounts.items()
            },
            "password": factories.PASSWORD,
            "revocable": {"id": revocable.id, "secret": revocable_secret},
            "reset_token": reset_secret,
        }
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(seeded, out)


# --- the server, for the test module --------------------------------------------------------


@contextmanager
def running(folder: Path, **settings: str) -> Iterator[AttackServer]:
    """A seeded eventlet server on its own database; its whole log must stay clean.

    SQLite under ``folder``, or a throw-away PostgreSQL database beside
    ``MEETCOORD_TEST_DATABASE_URL`` when ``MEETCOORD_TEST_BACKEND=postgres``.
    """
    from meetcoord.documents.signing.ca import create_ca

    with _database(folder) as url:
        instance = folder / "instance"
        create_ca(instance, CA_PASSPHRASE, INSTITUTION)  # as `meetcoord init` does
        env = server_env(
            url,
            MEETCOORD_WORKER="off",  # the mail stays in the outbox, where the tests read it
            MEETCOORD_ASYNC_MODE="eventlet",
            MEETCOORD_INSTANCE_PATH=str(instance),
            MEETCOORD_INSTITUTION_NAME=INSTITUTION,
            MEETCOORD_CA_PASSPHRASE=CA_PASSPHRASE,
            **settings,
        )
        # The seed migrates and fills the database while the server starts.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            seeding = pool.submit(run_seed, env, "tests.attack_support", folder / "seeded.json")
            server = ServerProcess(env, folder / "server.log")
            try:
                server.start()
            finally:
                seeded = seeding.result()
        database = Database(url)
        try:
            yield AttackServer(server, seeded, database)
        finally:
            server.stop()
            database.close()
        log = server.log_path.read_text(errors="replace")
        assert "Traceback" not in log, log[-4000:]


def _database(folder: Path) -> AbstractContextManager[str]:
    base = os.environ.get("MEETCOORD_TEST_DATABASE_URL")
    if os.environ.get("MEETCOORD_TEST_BACKEND") == "postgres" and base:
        return throwaway_postgres(base)
    return nullcontext(f"sqlite:///{folder / 'attack.db'}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        seed_for_server(sys.argv[2])
