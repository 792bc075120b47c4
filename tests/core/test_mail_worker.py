"""The outbox worker as processes: `meetcoord worker`, the in-process worker of the server
started like `make run`, two workers on PostgreSQL, and the mail settings.
"""

from __future__ import annotations

import secrets
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session as DbSession

from meetcoord.config import ConfigError, load_config
from meetcoord.core.outbox import OutboxMessage, OutboxStatus
from tests.conftest import postgres_url, skip_or_fail
from tests.smtp_support import (
    SmtpServer,
    message_fields,
    queue,
    rows,
)
from tests.support import (
    PROJECT_ROOT,
    ServerProcess,
    free_port,
    meetcoord_command,
    psycopg_url,
    run_cli,
    server_env,
    throwaway_postgres,
)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer(free_port()) as server:
        yield server


def test_worker_command_once_delivers_what_is_due(
    runner: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    queue(2)
    result = runner.invoke(args=["worker", "--once"])  # testing config: console transport
    assert result.exit_code == 0, result.output
    assert "sent 2, retrying 0, failed 0" in result.output
    assert "Undangan Rapat Koordinasi #1" in result.output
    assert {row.status for row in rows()} == {OutboxStatus.SENT}


# --- real processes: the in-process worker of `meetcoord serve`, and `meetcoord worker` ----


@pytest.fixture
def queued_database(tmp_path: Path) -> Callable[[int], dict[str, str]]:
    """A migrated SQLite database holding ``count`` queued messages; returns its env."""

    def make(count: int, **settings: str) -> dict[str, str]:
        url = f"sqlite:///{tmp_path / 'worker.db'}"
        env = server_env(url, **settings)
        run_cli(env, "db", "upgrade")
        # Its own engine: ``db.session`` belongs to this test's rolled-back transaction.
        engine = create_engine(url)
        try:
            with DbSession(engine) as session:
                session.add_all(OutboxMessage(**message_fields(n)) for n in range(count))
                session.commit()
        finally:
            engine.dispose()
        return env

    return make


def wait_for(condition: Callable[[], bool], timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_server_started_like_make_run_delivers_mail_in_process(
    queued_database: Callable[..., dict[str, str]], smtp_server: SmtpServer, tmp_path: Path
) -> None:
    env = queued_database(
        3,
        MEETCOORD_MAIL_TRANSPORT="smtp",
        MEETCOORD_SMTP_PORT=str(smtp_server.port),
        MEETCOORD_WORKER_INTERVAL="1",
    )
    server = ServerProcess(env, tmp_path / "server.log").start()
    try:
        assert wait_for(lambda: len(smtp_server.handler.messages) == 3), server.log()
        assert "mail worker running in-process (smtp)" in server.log()
    finally:
        server.stop()
    assert len(set(smtp_server.handler.message_ids())) == 3


def test_worker_process_delivers_and_stops_cleanly_on_sigterm(
    queued_database: Callable[..., dict[str, str]], smtp_server: SmtpServer, tmp_path: Path
) -> None:
    env = queued_database(
        5,
        MEETCOORD_MAIL_TRANSPORT="smtp",
        MEETCOORD_SMTP_PORT=str(smtp_server.port),
        MEETCOORD_WORKER="off",
        MEETCOORD_WORKER_INTERVAL="1",
    )
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            meetcoord_command("worker"),
            env=env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        assert wait_for(lambda: len(smtp_server.handler.messages) == 5), log_path.read_text()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0, log_path.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    output = log_path.read_text()
    assert "SIGTERM" in output
    assert "worker: stopped" in output


@pytest.mark.postgres
def test_postgres_worker_skips_a_message_another_worker_holds(smtp_server: SmtpServer) -> None:
    """``FOR UPDATE SKIP LOCKED``: a row another worker holds is skipped, not waited for."""
    base = postgres_url()
    if not base:
        skip_or_fail("MEETCOORD_TEST_DATABASE_URL is not set")
    with throwaway_postgres(base) as url:
        env = server_env(
            url,
            MEETCOORD_MAIL_TRANSPORT="smtp",
            MEETCOORD_SMTP_PORT=str(smtp_server.port),
            MEETCOORD_WORKER="off",
        )
        run_cli(env, "db", "upgrade")
        engine = create_engine(psycopg_url(url))
        try:
            with DbSession(engine) as session:
                session.add_all(OutboxMessage(**message_fields(n)) for n in range(3))
                session.commit()
            with DbSession(engine) as holder:
                # "Another worker" is in the middle of sending the first message.
                held = holder.scalars(
                    select(OutboxMessage).order_by(OutboxMessage.id).limit(1).with_for_update()
                ).one()
                output = run_cli(env, "worker", "--once", timeout=30)
                assert "sent 2," in output
                assert held.recipient not in smtp_server.handler.recipients()
                holder.rollback()
            assert "sent 1," in run_cli(env, "worker", "--once", timeout=30)
            assert sorted(smtp_server.handler.recipients()) == sorted(
                f"peserta{n}@opd.example.go.id" for n in range(3)
            )
        finally:
            engine.dispose()


# --- settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MEETCOORD_MAIL_TRANSPORT", "sendmail"),
        ("MEETCOORD_SMTP_SECURITY", "tls"),
        ("MEETCOORD_SMTP_PORT", "smtp"),
        ("MEETCOORD_SMTP_TIMEOUT", "0"),
        ("MEETCOORD_MAIL_FROM", "sekretariat bappeda"),
        ("MEETCOORD_MAIL_MAX_ATTEMPTS", "0"),
        ("MEETCOORD_WORKER", "thread"),
        ("MEETCOORD_WORKER_INTERVAL", "-1"),
    ],
)
def test_bad_mail_setting_names_the_variable(tmp_path: Path, variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_config(environ={"MEETCOORD_ENV": "testing", variable: value}, instance_path=tmp_path)


def test_smtp_login_needs_a_password(tmp_path: Path) -> None:
    environ = {"MEETCOORD_ENV": "testing", "MEETCOORD_SMTP_USERNAME": "bappeda"}
    with pytest.raises(ConfigError, match="MEETCOORD_SMTP_PASSWORD"):
        load_config(environ=environ, instance_path=tmp_path)


def test_worker_runs_in_process_by_default_but_never_in_tests_unasked(tmp_path: Path) -> None:
    def worker(**environ: str) -> str:
        environ.setdefault("MEETCOORD_SECRET_KEY", secrets.token_hex(32))
        return load_config(environ=environ, instance_path=tmp_path)["WORKER"]

    assert worker(MEETCOORD_ENV="development") == "inprocess"
    assert worker(MEETCOORD_ENV="production") == "inprocess"
    assert worker(MEETCOORD_ENV="testing") == "off"
    assert worker(MEETCOORD_ENV="testing", MEETCOORD_WORKER="inprocess") == "inprocess"
    assert worker(MEETCOORD_ENV="production", MEETCOORD_WORKER="off") == "off"
    config = load_config(environ={"MEETCOORD_ENV": "testing"}, instance_path=tmp_path)
    assert (config["MAIL_TRANSPORT"], config["MAIL_FROM"]) == ("console", "meetcoord@localhost")
