"""Our own administrative commands, which ``create_app`` adds to the app's CLI.

``meetcoord db upgrade`` (Flask-Migrate), ``meetcoord create-admin``,
``meetcoord create-token``, ``meetcoord tokens list|revoke``, ``meetcoord demo load``,
``meetcoord serve``,
``meetcoord worker``, ``meetcoord send-reminders``, ``meetcoord audit verify <meeting>``,
``meetcoord init`` (signing CA), ``meetcoord where [PATH]`` (where a URL is handled, and the
permission it declares).

Registered on every app (so ``flask --app meetcoord:create_app`` and a test's CLI runner
have them); the ``meetcoord`` console script itself is :mod:`meetcoord.cli`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext

from meetcoord.core.errors import ServiceError


def _fail(exc: ServiceError) -> None:
    click.echo(f"error: {exc.message}", err=True)
    for field, messages in exc.errors.items():
        for message in messages:
            click.echo(f"  {field}: {message}", err=True)
    raise SystemExit(2)


def _prompt_password() -> str:
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", default="Administrator")
@click.option(
    "--password",
    envvar="MEETCOORD_ADMIN_PASSWORD",
    default=None,
    help="Read from MEETCOORD_ADMIN_PASSWORD or prompted when not given.",
)
@with_appcontext
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create an administrator account."""
    _create_user(email, name, password, "admin")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["admin", "secretariat", "viewer"]), required=True)
@click.option("--password", envvar="MEETCOORD_USER_PASSWORD", default=None)
@with_appcontext
def create_user(email: str, name: str, role: str, password: str | None) -> None:
    """Create a staff account with a role."""
    _create_user(email, name, password, role)


def _create_user(email: str, name: str, password: str | None, role: str) -> None:
    from meetcoord.accounts import services

    try:
        user = services.create_user(
            None, email=email, name=name, password=password or _prompt_password(), role=role
        )
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"created {user.role.value} {user.email} (id {user.id})")


def _account(email: str) -> Any:
    from meetcoord.accounts import services

    user = services.find_by_email(email)
    if user is None:
        click.echo(f"error: no account with email {email}", err=True)
        raise SystemExit(2)
    return user


@click.command("create-token")
@click.option("--email", required=True, help="The account the token acts as.")
@click.option("--name", required=True, help="What the token is for, e.g. 'sync script'.")
@click.option(
    "--days",
    type=int,
    default=None,
    help="Valid this many days (default: MEETCOORD_API_TOKEN_DEFAULT_DAYS, 90).",
)
@with_appcontext
def create_token(email: str, name: str, days: int | None) -> None:
    """Issue an API token; it is printed once and only its hash is stored."""
    from meetcoord.accounts import services

    try:
        _token, secret = services.create_token(None, _account(email), name, days=days)
    except ServiceError as exc:
        _fail(exc)
    click.echo(secret)


@click.group("tokens")
def tokens() -> None:
    """List and revoke API tokens."""


@tokens.command("list")
@click.option("--email", default=None, help="Only this account's tokens.")
@with_appcontext
def tokens_list(email: str | None) -> None:
    """Every token (or one account's): id, prefix, account, state, expiry, last use (UTC)."""
    from sqlalchemy import select

    from meetcoord.accounts.models import ApiToken
    from meetcoord.extensions import db

    stmt = select(ApiToken).order_by(ApiToken.id)
    if email is not None:
        stmt = stmt.where(ApiToken.user_id == _account(email).id)

    def when(moment: Any) -> str:
        return f"{moment:%Y-%m-%d %H:%M}" if moment is not None else "-"

    rows = list(db.session.scalars(stmt))
    click.echo(
        f"{'id':>5}  {'prefix':<12} {'account':<32} {'state':<8} {'expires (UTC)':<17} "
        f"{'last used (UTC)':<17} name"
    )
    for token in rows:
        click.echo(
            f"{token.id:>5}  {token.prefix + '…':<12} {token.user.email:<32} {token.state:<8} "
            f"{when(token.expires_at):<17} {when(token.last_used_at):<17} {token.name}"
        )
    click.echo(f"{len(rows)} tokens")


@tokens.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def tokens_revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID (see `tokens list`): it stops working at once."""
    from meetcoord.accounts import services
    from meetcoord.accounts.models import ApiToken
    from meetcoord.extensions import db

    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"no token {token_id}")
    services.revoke_token(None, token)
    click.echo(f"revoked token {token.id} ({token.prefix}…) of {token.user.email}")


@click.group("demo")
def demo() -> None:
    """Demo data from the seed meetings (Sumba Barat Daya, NTB, Maluku, Bappenas)."""


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the directory has data.")
@with_appcontext
def demo_load(if_empty: bool) -> None:
    from meetcoord.demo import directory_is_empty, load_demo

    if if_empty and not directory_is_empty():
        click.echo("demo: database already has data; left as it is")
        return
    summary = load_demo()
    click.echo("demo loaded: " + ", ".join(f"{count} {what}" for what, count in summary.items()))


@demo.command("logins")
@with_appcontext
def demo_logins() -> None:
    """Print the demo accounts and their passwords."""
    from flask import current_app

    from meetcoord.demo import DEMO_LOGINS

    host, port = current_app.config["SERVER_HOST"], current_app.config["SERVER_PORT"]
    click.echo(f"Demo logins (http://{host}:{port}/login):")
    for login in DEMO_LOGINS:
        click.echo(f"  {login.role:<12} {login.email:<32} {login.password}")
    from meetcoord.demo.followup import public_page

    page = public_page()
    if page is not None:
        base = f"http://{host}:{port}"
        click.echo(f"Public page (no login): {base}/p/{page.slug}")
    from meetcoord.demo.meetings import find_demo_meeting, invitation_with
    from meetcoord.meetings import links
    from meetcoord.meetings.models import InviteeRole

    meeting = find_demo_meeting()
    if meeting is None:
        return
    base = f"http://{host}:{port}"
    click.echo(f"Demo meeting: {meeting.title} ({base}/meetings/{meeting.id})")
    for role, label, page in (
        (InviteeRole.CHAIR, "chair's console", "/console"),
        (InviteeRole.PARTICIPANT, "a participant's phone", "/live"),
    ):
        invitation = invitation_with(meeting, role)
        if invitation is not None:
            click.echo(f"  {label:<22} {base}/i/{links.personal_token(invitation)}{page}")
    from meetcoord.demo.past_meeting import find_past_meeting, minutes_of

    past = find_past_meeting()
    minutes = minutes_of(past) if past is not None else None
    if past is None or minutes is None:
        return
    click.echo(f"Past meeting, draft minutes (notulen draf): {past.title}")
    label = "secretariat documents"
    click.echo(f"  {label:<22} {base}/meetings/{past.id}/documents")
    for role, label in (
        (InviteeRole.MINUTE_TAKER, "minute-taker's minutes"),
        (InviteeRole.CHAIR, "chair, once circulated"),  # reads, then signs first
    ):
        invitation = invitation_with(past, role)
        if invitation is not None:
            token = links.personal_token(invitation)
            click.echo(f"  {label:<22} {base}/i/{token}/documents/{minutes.id}")
    click.echo(
        "  Finalising before the comment deadline: as the secretariat, with a reason.\n"
        "  Signing asks for a one-time code mailed to the signatory; with the console mail\n"
        "  transport (make run's default) the mail, code included, is printed in the\n"
        "  server's output."
    )


@click.command("serve")
def serve() -> None:
    """Serve with the configured async mode (eventlet by default) and Socket.IO."""
    # A fresh interpreter, so that eventlet/gevent can monkey-patch before anything imports.
    os.execv(sys.executable, [sys.executable, "-m", "meetcoord.server"])  # noqa: S606


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit (tests, cron).")
@click.option("--limit", default=50, show_default=True, help="Messages per pass.")
@with_appcontext
def worker(once: bool, limit: int) -> None:
    """Deliver the mail outbox and render documents as its own process.

    Set MEETCOORD_WORKER=off on the web servers when this runs.

    SIGTERM and SIGINT let the message being sent finish, then the worker exits.
    """
    import signal
    import threading
    import time

    from flask import current_app

    from meetcoord.core.worker import run_worker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stopping = threading.Event()
    if not once:

        def request_stop(signum: int, _frame: object) -> None:
            click.echo(f"worker: {signal.Signals(signum).name}, finishing the current message")
            stopping.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        transport = app.config["MAIL_TRANSPORT"]
        click.echo(f"worker: delivering mail via {transport}; stop with SIGTERM or Ctrl-C")
    # Plain time.sleep: this process is not monkey-patched, and nothing else runs in it.
    report = run_worker(app, stop=stopping.is_set, sleep=time.sleep, once=once, limit=limit)
    if once:
        click.echo(
            f"worker: sent {report.sent}, retrying {report.retrying}, failed {report.failed}, "
            f"postponed {report.postponed}"
            + (f" (connection: {report.connection_error})" if report.connection_error else "")
        )
    else:
        click.echo("worker: stopped")


@click.command("send-reminders")
@click.option(
    "--now",
    "now_text",
    default=None,
    help="Act as if it were this instant (ISO 8601 with offset); default: now.",
)
@with_appcontext
def send_reminders(now_text: str | None) -> None:
    """Queue the reminders due now: meetings, follow-up actions, forum summaries (for cron;
    idempotent: run it as often as you like).

    The mail itself leaves through the outbox worker (in-process, or `meetcoord worker`).
    """
    from datetime import datetime

    from meetcoord.reminders.run import send_all

    now = None
    if now_text is not None:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            raise click.BadParameter("not an ISO 8601 instant", param_hint="--now") from None
        if now.tzinfo is None:
            raise click.BadParameter("give the offset, e.g. +08:00 or Z", param_hint="--now")
    click.echo(send_all(now).line())


@click.command("sweep-evidence")
@click.option(
    "--grace",
    default=3600,
    show_default=True,
    help="Leave files younger than this many seconds (an upload may still be committing).",
)
@with_appcontext
def sweep_evidence(grace: int) -> None:
    """Remove evidence files that no follow-up action names any more (for cron)."""
    from flask import current_app

    from meetcoord.actions.leftovers import sweep

    removed = sweep(current_app.instance_path, grace=float(grace))
    click.echo(f"evidence: removed {removed} file(s) without a row")


@click.group("audit")
def audit() -> None:
    """Check the records a meeting leaves behind."""


@audit.command("verify")
@click.argument("meeting_id", type=int)
@with_appcontext
def audit_verify(meeting_id: int) -> None:
    """Check a meeting's event log: seq without gaps, every hash linked and intact."""
    from meetcoord.extensions import db
    from meetcoord.live.log import verify_chain
    from meetcoord.meetings.models import Meeting

    if db.session.get(Meeting, meeting_id) is None:
        raise click.ClickException(f"no meeting {meeting_id}")
    report = verify_chain(meeting_id)
    if report.ok:
        click.echo(f"meeting {meeting_id}: {report.count} events, chain intact")
        return
    click.echo(f"meeting {meeting_id}: BROKEN at seq {report.seq}: {report.problem}", err=True)
    sys.exit(1)


@click.command("init")
@with_appcontext
def init() -> None:
    """Create what a new installation needs that is not in the database: the signing CA.

    Idempotent: an existing CA is left as it is (and its passphrase checked).
    """
    from cryptography.hazmat.primitives import hashes
    from flask import current_app

    from meetcoord.documents.signing.ca import CAError, ca_dir, ca_exists, create_ca, load_ca

    config = current_app.config
    instance = config["INSTANCE_PATH"]
    passphrase = config.get("CA_PASSPHRASE")
    try:
        if ca_exists(instance):
            authority = load_ca(instance, passphrase)
            action = "exists, left as it is"
        else:
            authority = create_ca(instance, passphrase, config["INSTITUTION_NAME"])
            action = "created"
    except CAError as exc:
        raise click.ClickException(str(exc)) from None
    cert = authority.certificate
    fingerprint = cert.fingerprint(hashes.SHA256()).hex(":").upper()
    click.echo(f"signing CA {action}: {ca_dir(instance)}")
    click.echo(f"  subject  {cert.subject.rfc4514_string()}")
    click.echo(f"  valid    until {cert.not_valid_after_utc:%Y-%m-%d} (UTC)")
    click.echo(f"  SHA-256  {fingerprint}")
    if action == "created":
        click.echo("  keep MEETCOORD_CA_PASSPHRASE safe: without it nothing can be signed")


@click.command("where")
@click.argument("path", required=False)
@with_appcontext
def where(path: str | None) -> None:
    """Where each URL is handled and the permission it declares.

    ``meetcoord where /i/TOKEN/live`` names the function that answers that address; without
    a path, every route.
    """
    from flask import current_app

    from meetcoord.access.declare import route_table

    found = route_table(current_app, path)
    if not found:
        click.echo(f"no route answers {path}", err=True)
        raise SystemExit(1)
    for method, rule, permission, _endpoint, handler in found:
        click.echo(f"{method:6} {rule:60} {permission:18} {handler}")


@click.group("assets")
def assets_group() -> None:
    """Static files: minified, content-hashed, pre-compressed (issue 16)."""


@assets_group.command("build")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write (default build/assets, which the app reads at start).",
)
def assets_build(out: Path | None) -> None:
    """Write every static file minified, hashed, gzip- and brotli-compressed, with a manifest.

    Needs no app and no configuration (the console script has it without loading one), so
    ``make run`` and ``make test`` run it before anything else.
    """
    from meetcoord.config import PROJECT_ROOT
    from meetcoord.core import assets
    from meetcoord.core.static_files import BUILD_DIR

    target = out or BUILD_DIR
    manifest = assets.build(PROJECT_ROOT / "static")
    assets.write(manifest, target)
    raw = sum(len(a.body) for a in manifest.assets.values())
    br = sum(len(a.br or a.body) for a in manifest.assets.values())
    click.echo(f"assets: {len(manifest.assets)} files, {raw} bytes ({br} brotli) in {target}")


def register_commands(app: Flask) -> None:
    for command in (
        assets_group,
        where,
        create_admin,
        create_user,
        create_token,
        tokens,
        demo,
        serve,
        worker,
        send_reminders,
        sweep_evidence,
        audit,
        init,
    ):
        app.cli.add_command(command)
