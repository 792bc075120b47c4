"""A real HTTP receiver on loopback for the webhook tests, and an endpoint registered to it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from meetcoord.access.models import Institution
from meetcoord.accounts.models import Role, User
from meetcoord.webhooks import services
from meetcoord.webhooks.models import WebhookEndpoint
from tests import factories


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with the next status of ``answers`` (then 200) and keeps it."""

    answers: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks/meetcoord"


def start_receiver() -> Receiver:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            status = receiver.answers.pop(0) if receiver.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    return receiver


def receiver_fixture() -> Iterator[Receiver]:
    receiver = start_receiver()
    try:
        yield receiver
    finally:
        assert receiver.server is not None
        receiver.server.shutdown()
        receiver.server.server_close()


def institution_admin(institution: Institution | None = None) -> User:
    """A secretariat account that is an admin of ``institution`` (the default one)."""
    account = factories.user(Role.SECRETARIAT, member=False)
    factories.membership(account, institution or factories.default_institution(), "admin")
    return account


def register(
    url: str, events: list[str], institution: Institution | None = None
) -> tuple[WebhookEndpoint, str]:
    admin = institution_admin(institution)
    return services.create_endpoint(admin, {"url": url, "events": events})
