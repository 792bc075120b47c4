"""Run the server in the configured async mode: ``python -m meetcoord.server``.

eventlet and gevent must patch the standard library before anything else imports it, so
this module reads the mode straight from the environment and patches first; only then
does it import the application.
"""

from __future__ import annotations

import gc
import io
import os
import warnings
from collections import deque
from typing import Any

# 2026-11-22: eventlet (the brief's default server) announces it is in bugfix-only mode on
# every import; the message is for new projects choosing a server, not for operators.
# Its category (EventletDeprecationWarning) derives from Warning, not DeprecationWarning.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
# 2026-12-05: cryptography 51 deprecates DSA, and dnspython (under eventlet) and pyHanko
# import their DSA classes at module import. We never make or accept DSA keys; the warning
# tells operators nothing they can act on. (Matched by text: importing cryptography's
# warning class here would import cryptography before the monkey-patching.)
warnings.filterwarnings("ignore", message="DSA is deprecated", category=Warning)

MODE = os.environ.get("MEETCOORD_ASYNC_MODE", "eventlet").strip().lower()

if MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
    # psycopg waits for PostgreSQL with a C poll() unless it sees gevent's patches: under
    # eventlet every query then held the whole hub, and a query waiting for a row lock
    # that another green thread held froze the process for good (the capacity bench's two
    # processes behind Redis stopped answering 5,000 connecting phones). Its select() wait
    # goes through eventlet's green select: the hub's epoll, with no FD_SETSIZE limit.
    os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
elif MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()


class ArrivalOrder:
    """Start requests one per turn of eventlet's hub, in the order they were read.

    eventlet's hub runs every timer that is due in one pass and only then polls the
    sockets. A plain ``sleep(0)`` at the start of each request (so that a keep-alive
    connection whose next request is already there cannot keep the server to itself)
    therefore served requests in passes: a greenthread whose client had answered within
    a fraction of a millisecond read its next request straight away and joined the next
    pass, while a request that arrived a moment later waited for the poll after the
    current pass and went to the end of the next one. In the ``checkin`` bench (50 desks,
    about 2 ms a request) such a request waited for up to 96 others, two full rounds of
    the 50 desks instead of one: p50 about 100 ms, p99 250-300 ms. Here each request
    waits in one queue, and the hub starts one of them per turn, polling the sockets
    between two: a request's place is the order in which it reached the server, within
    one request's time, whatever its client's round trip.

    The turn is only the start: a request that then waits for I/O lets the next one go.
    """

    def __init__(self) -> None:
        self._waiting: deque[Any] = deque()
        self._scheduled = False

    def wait_turn(self) -> None:
        from eventlet import hubs
        from greenlet import getcurrent

        hub, me = hubs.get_hub(), getcurrent()
        if me is hub.greenlet:  # not a request's greenthread: nothing to wait for
            return
        self._waiting.append(me)
        if not self._scheduled:
            self._scheduled = True
            hub.schedule_call_global(0, self._start_next)
        try:
            hub.switch()  # back here when _start_next switches to this greenthread
        except BaseException:
            if me in self._waiting:  # killed while waiting (shutdown)
                self._waiting.remove(me)
            raise

    def _start_next(self) -> None:
        """A timer, in the hub: start the longest-waiting request; the next one next turn."""
        from eventlet import hubs

        self._scheduled = False
        while self._waiting:
            waiter = self._waiting.popleft()
            if waiter.dead:
                continue
            if self._waiting:
                # Timers added while the hub fires timers wait for its next pass, which
                # comes after a poll: requests read meanwhile queue behind this one.
                self._scheduled = True
                hubs.get_hub().schedule_call_global(0, self._start_next)
            waiter.switch()
            return


# Bodies up to this size are read before the request queues (see _yield_first); larger
# ones (staff file uploads) are left to stream as before.
PREREAD_MAX = 1024 * 1024


def _read_body(environ: dict[str, Any]) -> None:
    """Read a small request body from the socket now and hand the app a buffer of it."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if not 0 < length <= PREREAD_MAX or "chunked" in environ.get("HTTP_TRANSFER_ENCODING", ""):
        return
    stream, buffer, left = environ["wsgi.input"], io.BytesIO(), length
    try:
        while left > 0:  # in pieces: memory grows with what arrives, not what is announced
            chunk = stream.read(min(left, 64 * 1024))
            if not chunk:
                break
            buffer.write(chunk)
            left -= len(chunk)
    except (OSError, ValueError):
        pass  # a client gone mid-body: the app sees a short body, as it would have
    buffer.seek(0)
    environ["wsgi.input"] = buffer


def _yield_first(wsgi_app: Any, mode: str = "eventlet") -> Any:
    """Read the request's body, then let every request that is waiting go first.

    A green thread reads the next request of a keep-alive connection without yielding
    when it has already arrived, so a client that answers quickly kept the server to
    itself while other desks' requests waited: in the ``checkin`` bench (50 desks) most
    answers took 10 ms and some two seconds. Under eventlet each request first takes its
    place in :class:`ArrivalOrder`; under gevent it yields once (``sleep(0)``).

    The body is read first, while the request holds nothing: the app looks up the bearer
    token or the session's user (a database turn, ``core.db.Turns``, under SQLite) before
    its view reads the body, so a body still on its way kept every other request out of
    the database. A desk whose headers and body come in two packets did that in the
    ``checkin`` bench (the 50 requests then queued behind it in turns, p99 150-165 ms);
    a slow phone could hold it for seconds.
    """
    from meetcoord.extensions import socketio

    if mode == "eventlet":
        wait_turn = ArrivalOrder().wait_turn
    else:

        def wait_turn() -> None:
            socketio.sleep(0)

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        _read_body(environ)
        wait_turn()
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


def _raise_file_limit(connections: int) -> int:
    """Raise the soft open-file limit toward what ``connections`` sockets need, up to the
    hard limit (a shell's soft limit is often 1,024: ``make run`` would refuse the
    1,000th phone with "Too many open files"). Returns the limit in force."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 256  # the database, log files, the sandbox's pipes
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        soft = wanted
    return soft


def main() -> None:
    from meetcoord import create_app
    from meetcoord.core.settings import ConfigError
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
        app.wsgi_app = _yield_first(app.wsgi_app, mode)  # type: ignore[method-assign]
    # The first stranger's file need not wait for a sandbox child to import pyHanko.
    from meetcoord.core.sandbox import warm_up

    warm_up()
    host, port = app.config["SERVER_HOST"], app.config["SERVER_PORT"]
    connections = app.config["SERVER_MAX_CONNECTIONS"]
    files = _raise_file_limit(connections)
    print(f"meetcoord: serving on http://{host}:{port}/ ({mode})", flush=True)
    if files < connections + 64:
        print(
            f"meetcoord: warning: the open-file limit is {files}, too low for "
            f"{connections} connections (raise the hard limit: ulimit -Hn, LimitNOFILE)",
            flush=True,
        )
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
        # eventlet.wsgi.server caps the greenthreads serving connections at 1,024 by
        # default, and a websocket holds its greenthread for as long as it is open.
        **({"max_size": connections} if mode == "eventlet" else {}),
    )


if __name__ == "__main__":
    main()
