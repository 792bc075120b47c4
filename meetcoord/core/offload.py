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
from collections.abc import Callable
from typing import ParamSpec, TypeVar

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
