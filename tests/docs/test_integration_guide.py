"""docs/integration.md is run as written (issue 17: the guide "is run as a test").

Each fenced ``sh`` block of the guide is one curl request with its expected status in a
``# → NNN`` line, optionally capturing a value as ``NAME=$(curl … | jq -r .path)``. The
requests go through the WSGI test client (no network, no curl or jq needed): the command is
parsed (``-X``, ``-H``, ``-d``, the URL) after ``$BASE``/``$TOKEN``/captured names are
expanded, and the small jq path subset the guide uses (``.a.b``, ``.items[0].id``) is read
in Python. A guide that drifts from the API fails here before an integrator copies it.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient

from meetcoord.accounts.models import Role

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "integration.md"
BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
EXPECT = re.compile(r"^# → (\d{3})$", re.MULTILINE)
CAPTURE = re.compile(r"^(\w+)=\$\((.*) \| jq -r '?([^' ]+)'?\)$", re.DOTALL)
VARIABLE = re.compile(r"\$\{?(\w+)\}?")


def steps(text: str) -> list[tuple[int, str]]:
    """(expected status, the command on one line) of every ``sh`` block, in order."""
    found = []
    for block in BLOCK.findall(text):
        expected = EXPECT.search(block)
        assert expected, f"a step without its '# → status' line:\n{block}"
        command = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        found.append((int(expected.group(1)), command.replace("\\\n", " ").strip()))
    return found


def jq(document: Any, path: str) -> str:
    """The subset of ``jq -r`` the guide uses: ``.key``, ``.key[0].key``."""
    value = document
    for key, index in re.findall(r"\.(\w+)|\[(\d+)\]", path):
        value = value[key] if key else value[int(index)]
    return str(value)


def request_of(command: str, env: dict[str, str]) -> dict[str, Any]:
    def expand(match: re.Match[str]) -> str:
        assert match.group(1) in env, f"${match.group(1)} is used before it is set"
        return env[match.group(1)]

    args = shlex.split(VARIABLE.sub(expand, command))
    assert args[0] == "curl", command
    method, headers, body, url = "GET", {}, None, None
    it = iter(args[1:])
    for arg in it:
        if arg == "-X":
            method = next(it)
        elif arg == "-H":
            name, value = next(it).split(":", 1)
            headers[name.strip()] = value.strip()
        elif arg == "-d":
            body = next(it)
        elif arg == "-s":
            continue
        else:
            assert not arg.startswith("-"), f"unknown curl option {arg}"
            assert url is None, f"two URLs in one step: {url} {arg}"
            url = arg
    if body is not None:
        json.loads(body)  # the guide's bodies are JSON an integrator can paste
    return {"method": method, "path": url, "headers": headers, "data": body}


def test_the_guide_has_the_whole_walk_through() -> None:
    found = steps(GUIDE.read_text(encoding="utf-8"))
    assert len(found) >= 10
    joined = "\n".join(command for _status, command in found)
    for path in ("/organizations", "/people", "/meetings", "/invitations", "/proposals", "/matrix"):
        assert path in joined


def test_every_step_of_the_guide_answers_as_documented(
    client: FlaskClient, api_token: Callable[..., Any]
) -> None:
    _staff, auth = api_token(Role.SECRETARIAT)
    # The meeting starts in half an hour (Mataram, WITA), so its check-in window is open and
    # the walk-through can open it in the live room as the secretariat would on the day.
    start = datetime.now(ZoneInfo("Asia/Makassar")).replace(second=0, microsecond=0)
    start += timedelta(minutes=30)
    env = {
        "BASE": "/api/v1",
        "TOKEN": auth["Authorization"].removeprefix("Bearer "),
        "START": start.strftime("%Y-%m-%dT%H:%M"),
        "END": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
    }
    for number, (expected, command) in enumerate(steps(GUIDE.read_text(encoding="utf-8")), 1):
        captured = CAPTURE.match(command)
        request = request_of(captured.group(2) if captured else command, env)
        response = client.open(**request)
        assert response.status_code == expected, (number, command, response.get_data(True))
        if captured:
            env[captured.group(1)] = jq(response.get_json(), captured.group(3))
    assert env["MARK_ID"].isdigit()
    result = client.get(
        f"/api/v1/meetings/{env['MEETING_ID']}/matrix",
        headers={"Authorization": f"Bearer {env['TOKEN']}"},
    ).get_json()
    row = next(r for r in result["items"] if str(r["id"]) == env["MARK_ID"])
    assert row["proposal_id"] == int(env["PROPOSAL_ID"])
    assert row["outcome"] == "accommodated", row
