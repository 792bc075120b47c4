"""Run the server in the configured async mode: ``python -m meetcoord.server``.

eventlet and gevent must patch the standard library before anything else imports it, so
this module reads the mode straight from the environment and patches first; only then
does it import the application.
"""

from __future__ import annotations

import gc
import os
import warnings
from typing import Any

# 2026-11-22: eventlet (the brief's default server) announces it is in bugfix-only mode on
# every import; the message is for new projects choosing a server, not for operators.
# Its category (EventletDeprecationWarning) derives from Warning, not DeprecationWarning.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)

MODE = os.environ.get("MEETCOORD_ASYNC_MODE", "eventlet").strip().lower()

if MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()


def _yield_first(wsgi_app: Any) -> Any:
    """Let every connection that is waiting go first: requests served in arrival order.

    A green thread reads the next request of a keep-alive connection without yielding
    when it has already arrived, so a client that answers quickly kept the server to
    itself while other desks' requests waited: in the ``checkin`` bench (50 desks) most
    answers took 10 ms and some two seconds. One switch at the start of each request
    puts it behind the ones already waiting; it costs microseconds.
    """
    from meetcoord.extensions import socketio

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        socketio.sleep(0)
        return wsgi_app(environ, start_response)

    return middleware


def _no_websocket_compression(wsgi_app: Any) -> Any:
    """Decline permessage-deflate on Socket.IO websockets, as Node's socket.io does.

    The websocket layers (eventlet's, simple-websocket under gevent) compress each frame
    separately for each client: a decision broadcast to 1,000 phones was compressed 1,000
    times (30% of the server's time in the ``fanout`` bench) and each connection kept its
    own compressor (about 95 KB of its 160 KB). Live messages are a few hundred bytes, so
    compression saved almost nothing on the wire. Dropping the offer makes both layers
    answer without the extension.
    """

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO", "").startswith("/socket.io/"):
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return middleware


def main() -> None:
    from meetcoord import create_app
    from meetcoord.config import ConfigError
    from meetcoord.extensions import socketio

    try:
        app = create_app()
    except ConfigError as exc:
        raise SystemExit(f"meetcoord: configuration error: {exc}") from None
    mode = app.config["SOCKETIO_ASYNC_MODE"]
    # Everything built so far (modules, the app, mappers, compiled templates) lives as long
    # as the process: keep it out of the collector's full passes, which otherwise walk it
    # all and pause every request in flight (checkin bench: p99 about 350 -> 230 ms).
    gc.collect()
    gc.freeze()
    # And make full passes rare: one took 100-130 ms and, landing inside one decision's
    # broadcast to 1,000 clients, set the fanout bench's p99 by itself.
    gc.set_threshold(50_000, 20, 20)
    app.wsgi_app = _no_websocket_compression(app.wsgi_app)  # type: ignore[method-assign]
    if mode in ("eventlet", "gevent"):
        app.wsgi_app = _yield_first(app.wsgi_app)  # type: ignore[method-assign]
    host, port = app.config["SERVER_HOST"], app.config["SERVER_PORT"]
    print(f"meetcoord: serving on http://{host}:{port}/ ({mode})", flush=True)
    if app.config["WORKER"] == "inprocess":
        # Here and not in create_app: tests and CLI commands build apps too and must not
        # start a worker. socketio's task is a green thread under eventlet/gevent.
        from meetcoord.core.worker import run_worker

        socketio.start_background_task(run_worker, app)
        transport = app.config["MAIL_TRANSPORT"]
        print(f"meetcoord: mail worker running in-process ({transport})", flush=True)
    socketio.run(
        app,
        host=host,
        port=port,
        log_output=app.config["MEETCOORD_ENV"] != "production",
        allow_unsafe_werkzeug=mode == "threading",
    )


if __name__ == "__main__":
    main()
