"""Browser fixtures: the real server (as `make run` starts it) and Debian's Chromium
driven through Playwright's Python package.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (Debian's
``chromium`` package, which ``make test`` installs when it runs as root). Without it the
tests skip, or fail under ``MEETCOORD_TEST_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import skip_or_fail
from tests.support import PROJECT_ROOT, ServerProcess, run_cli, server_env

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",  # the closed network refuses Google's hosts
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

SECRETARIAT_EMAIL = "sekretariat.uji@bappeda-sbd.go.id"
SECRETARIAT_PASSWORD = "rahasia-peramban-123"
CA_PASSPHRASE = "kata-sandi-ca-peramban-2026"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """An eventlet server on a fresh SQLite database with one secretariat account."""
    tmp = tmp_path_factory.mktemp("browser")
    env = server_env(
        f"sqlite:///{tmp / 'browser.db'}",
        MEETCOORD_ASYNC_MODE="eventlet",
        MEETCOORD_INSTANCE_PATH=str(tmp / "instance"),
        MEETCOORD_CA_PASSPHRASE=CA_PASSPHRASE,
    )
    run_cli(env, "db", "upgrade")
    run_cli(env, "init")  # the signing CA, as a new installation makes it
    run_cli(
        env,
        *("create-user", "--email", SECRETARIAT_EMAIL, "--name", "Maria Kaka Bili"),
        *("--role", "secretariat", "--password", SECRETARIAT_PASSWORD),
    )
    server = ServerProcess(env, tmp / "server.log")
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do. The suite shares two cores with the server,
    # its worker and up to four browser contexts: a resync that takes 2 s on a quiet
    # machine (test_live_room) took over 5 s, expect's default, in a loaded CI run.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser: Any, live_server: ServerProcess, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.base_url, locale="id-ID")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            (ARTIFACTS / f"{name}.server.log").write_text(live_server.log())
        context.close()


def seed_server(server: ServerProcess, module: str) -> dict[str, Any]:
    """Run ``python -m <module>`` against the server's database; its last line is JSON.

    A browser test seeds its scene in a process of its own with the server's environment
    (same database, same secret key), so the personal links it prints are the ones the
    server accepts.
    """
    result = subprocess.run(
        [sys.executable, "-m", module],
        env=dict(server.env),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def newest_mail(server: ServerProcess, kind: str, recipient: str | None = None) -> EmailMessage:
    """The newest outbox message of ``kind`` (to ``recipient``) in the server's database.

    A personal link or a signing code is shown on no page (issue 11); a test reads it the
    way its recipient does, from the mail (the console transport prints the same bytes).
    """
    path = server.env["MEETCOORD_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT message FROM outbox_messages WHERE kind = ? AND (? IS NULL OR recipient = ?)"
            " ORDER BY id DESC LIMIT 1",
            (kind, recipient, recipient),
        ).fetchone()
    assert row is not None, f"no {kind} mail to {recipient or 'anyone'}"
    message = message_from_bytes(row[0], policy=default_policy)
    assert isinstance(message, EmailMessage)
    return message


def mail_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def sign_in(page: Any) -> None:
    """Sign the page in as the shared secretariat account, as a person does it."""
    page.goto("/login")
    page.fill("#email", SECRETARIAT_EMAIL)
    page.fill("#password", SECRETARIAT_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/login" not in url)
