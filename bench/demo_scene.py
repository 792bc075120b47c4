"""A real meetcoord server with the demo data, for the browser benches and the screenshots.

What ``make run`` does on a fresh machine (``db upgrade``, ``init``, ``demo load``), on a
scratch database and instance folder and a free port — the three commands run in one
process, this file as a script (``--scene out.json``) with the server's environment, as
each interpreter start costs seconds on a loaded machine — then the demo meeting's live
room opened by its chair (so a phone can ask for the floor), and what a browser needs
to reach each page — a participant's personal token, the host site's code, the demo
secretariat's login. Tokens come from the server's own secret key, so they are accepted.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))  # loaded by path from the runner or a test
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import support  # noqa: E402

CA_PASSPHRASE = "bench-pages-demo-only-passphrase"  # noqa: S105 - a scratch CA, deleted after


def write_scene(out: Path) -> None:
    """In the server's environment: the database, the CA and the demo (``make run``'s
    commands), the demo meeting's room opened; the addresses as JSON."""
    from meetcoord import create_app
    from meetcoord.access.actors import Actor
    from meetcoord.demo import DEMO_LOGINS
    from meetcoord.demo.meetings import find_demo_meeting, invitation_with
    from meetcoord.demo.past_meeting import find_past_meeting
    from meetcoord.live import services as live
    from meetcoord.meetings import links
    from meetcoord.meetings.models import InviteeRole

    app = create_app()
    runner = app.test_cli_runner()
    for command in (["db", "upgrade"], ["init"], ["demo", "load"]):
        result = runner.invoke(args=command)
        if result.exit_code != 0:
            raise SystemExit(f"meetcoord {' '.join(command)} failed:\n{result.output}")
    with app.app_context():
        meeting = find_demo_meeting()
        if meeting is None:
            raise SystemExit("demo meeting missing: did `meetcoord demo load` run?")
        chair = invitation_with(meeting, InviteeRole.CHAIR)
        participant = invitation_with(meeting, InviteeRole.PARTICIPANT)
        if chair is None or participant is None:
            raise SystemExit("the demo meeting has no chair or no participant")
        live.open_meeting(Actor(invitation=chair), meeting.id, "bench-pages-open")
        staff = next(login for login in DEMO_LOGINS if login.institution == "sbd")
        past = find_past_meeting()
        out.write_text(
            json.dumps(
                {
                    "meeting_id": meeting.id,
                    "past_meeting_id": past.id if past is not None else None,
                    "token": links.personal_token(participant),
                    "site": meeting.sites[0].code,
                    "email": staff.email,
                    "password": staff.password,
                }
            )
        )


@contextmanager
def demo_server(tmp: Path, deadline: float) -> Iterator[tuple[support.Server, dict[str, Any]]]:
    """Yield the running server and its scene; the server is always terminated."""
    port = support.free_port()
    env = support.server_env(tmp / "demo.db", port)
    env["MEETCOORD_INSTANCE_PATH"] = str(tmp / "instance")
    env["MEETCOORD_CA_PASSPHRASE"] = CA_PASSPHRASE
    scene_file = tmp / "scene.json"
    me = str(Path(__file__).resolve())
    support.run_checked([sys.executable, me, "--scene", str(scene_file)], env, deadline, "scene")
    scene = json.loads(scene_file.read_text())
    server = support.meetcoord_server(env, tmp / "server.log")
    try:
        server.start(deadline)
        scene["base_url"] = f"http://127.0.0.1:{port}"
        yield server, scene
    finally:
        server.stop()


def sign_in(context: Any, scene: dict[str, Any]) -> None:
    """Sign a browser context in as the demo secretariat through its request client, so
    no page (and none of its static files) is loaded into the browser's cache."""
    base = scene["base_url"]
    form = context.request.get(f"{base}/login").text()
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    if found is None:
        raise RuntimeError("no csrf_token on /login")
    answer = context.request.post(
        f"{base}/login",
        form={"csrf_token": found.group(1), "email": scene["email"], "password": scene["password"]},
        max_redirects=0,
    )
    if answer.status != 302:
        raise RuntimeError(f"sign-in answered {answer.status}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--scene":
        write_scene(Path(sys.argv[2]))
    else:
        raise SystemExit("usage: demo_scene.py --scene OUT.json")
