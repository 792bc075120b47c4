"""Calling pyHanko's blocking API from a thread that may already run an asyncio loop.

pyHanko's blocking functions (``PdfSigner.sign_pdf``, ``validate_pdf_signature``) wrap its
async core in ``asyncio.run``, which refuses to start inside a running loop: a host that
runs one in the same thread (Playwright's sync API in the browser tests, an asyncio-based
worker) would make every signature fail. There the call goes to a thread of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def call_blocking(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)  # the usual case: no loop here, call it directly
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(fn, *args, **kwargs).result()
