"""Run CPU-bound work (PDF rendering, signing) off the green-thread hub.

Under eventlet or gevent every request and every websocket shares one OS thread: 50–300
ms of reportlab or pyHanko there would freeze the live room at every site for that long.
:func:`off_hub` hands such a call to a real OS thread of the server's own pool
(``eventlet.tpool``, gevent's thread pool) and lets the other green threads run while it
works; in plain threading mode (tests, the CLI) it simply calls the function. Only pure
work may go there: nothing that touches the database session or the request.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def _eventlet_patched() -> bool:
    patcher = sys.modules.get("eventlet.patcher")
    return bool(patcher and patcher.is_monkey_patched("thread"))


def _gevent_patched() -> bool:
    monkey = sys.modules.get("gevent.monkey")
    return bool(monkey and monkey.is_module_patched("threading"))


def off_hub(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` in a real thread when green threads share this one."""
    if _eventlet_patched():
        from eventlet import tpool

        return tpool.execute(fn, *args, **kwargs)  # type: ignore[no-any-return]
    if _gevent_patched():
        import gevent

        return gevent.get_hub().threadpool.apply(fn, args, kwargs)  # type: ignore[no-any-return]
    return fn(*args, **kwargs)


# --- large bodies: let the others run between slices -------------------------------------

SLICE = 256 * 1024


def let_others_run() -> None:
    """Yield to the other green threads (patched ``time.sleep``); a no-op in threads."""
    time.sleep(0)


class PacedInput:
    """A request body (``wsgi.input``) that yields every :data:`SLICE` bytes read.

    On loopback or a fast LAN a 20 MB upload never makes its socket wait, so parsing it
    would otherwise run start to end without the hub switching once, and every desk's
    check-in would wait behind it. The bytes and their order are untouched.
    """

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._since = 0

    def _count(self, n: int | None) -> None:
        self._since += n or 0
        if self._since >= SLICE:
            self._since = 0
            let_others_run()

    def read(self, *args: Any) -> bytes:
        data: bytes = self._raw.read(*args)
        self._count(len(data))
        return data

    def readline(self, *args: Any) -> bytes:
        data: bytes = self._raw.readline(*args)
        self._count(len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        if hasattr(self._raw, "readinto"):
            n: int = self._raw.readinto(buffer)
        else:
            data = self._raw.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        self._count(n)
        return n

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class PacedOutput:
    """A response body (a file wrapper) that yields every :data:`SLICE` bytes sent, and
    passes ``close`` on (the file is closed when the server is done with it)."""

    def __init__(self, inner: Iterable[bytes]) -> None:
        self._inner = inner

    def __iter__(self) -> Iterator[bytes]:
        since = 0
        for chunk in self._inner:
            yield chunk
            since += len(chunk)
            if since >= SLICE:
                since = 0
                let_others_run()

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()


def large_file_wrapper(file: Any, buffer_size: int = 8192) -> Any:
    """``wsgi.file_wrapper`` for large downloads: reads of :data:`SLICE` bytes.

    Werkzeug's default reads 8 KB at a time: 2,560 reads and socket writes for 20 MB,
    each a round through the hub; 256 KB slices cut that overhead 32-fold (wrap the
    response in :class:`PacedOutput` as well, so the others run between slices).
    """
    from werkzeug.wsgi import FileWrapper

    return FileWrapper(file, max(buffer_size, SLICE))
