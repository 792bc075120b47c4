"""The child's side of :mod:`meetcoord.core.sandbox`: one request, under limits, then exit.

Started as ``python -c "...child_main()" <task modules>``: it imports the task modules
(pyHanko and all, while nobody waits), writes ``R``, reads one request (a length-prefixed
JSON header and the payload) from stdin, sets its limits, runs the task and writes the
result as JSON to stdout. Nothing it read is trusted by the parent, and it never writes a
file: RLIMIT_FSIZE is 0 from the moment it holds the payload.
"""

from __future__ import annotations

import importlib
import math
import os
import resource
import sys
from typing import Any

from meetcoord.core.sandbox import SandboxError, TooBig, Unreadable, dumps, loads, registered


def _read_exactly(count: int) -> bytes:
    chunks: list[bytes] = []
    while count:
        chunk = os.read(0, min(count, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _limit(cpu_seconds: int, memory_mb: int) -> None:
    """From here on: no core file, no file written, bounded CPU and address space."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a key must never land in a core dump
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = math.ceil(usage.ru_utime + usage.ru_stime)  # the limit counts whole seconds
    resource.setrlimit(resource.RLIMIT_CPU, (used + cpu_seconds, used + cpu_seconds + 1))
    ceiling = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def _say(data: bytes) -> None:
    """Write ``data`` to the parent, or exit quietly when the parent is gone.

    A server stopped with SIGTERM runs no clean-up, so its spare child may still be
    importing, or working, when nobody reads its pipe any more. That is no error of the
    child's: a traceback here would land in the service's log (the child's stderr).
    """
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(1, view) :]
    except BrokenPipeError:
        os._exit(0)


def _answer(result: dict[str, Any]) -> None:
    _say(dumps(result))


def child_main() -> None:
    """Import the task modules, say ready, run one request, answer, exit."""
    for module in sys.argv[1:]:
        importlib.import_module(module)
    _say(b"R")
    try:
        request = loads(_read_exactly(int.from_bytes(_read_exactly(4), "big")))
        payload = _read_exactly(request["size"])
        importlib.import_module(request["module"])
        job = registered(request["module"], request["name"])
    except EOFError:
        os._exit(0)  # the parent went away (a spare at shutdown)
    _limit(request["cpu"], request["memory"])
    try:
        result: dict[str, Any] = {"value": job(payload, request["params"])}
    except SandboxError as exc:
        result = {"error": exc.kind, "detail": exc.detail}
    except MemoryError:
        result = {"error": TooBig.kind, "detail": "memory limit reached"}
    except Exception as exc:  # a parser's complaint about its input
        result = {"error": Unreadable.kind, "detail": f"{type(exc).__name__}: {exc}"[:500]}
    del payload
    try:
        _answer(result)
    except TypeError as exc:  # a task returned something that is not plain data
        _answer({"error": Unreadable.kind, "detail": str(exc)})
    os._exit(0)
