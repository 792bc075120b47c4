"""Parse untrusted bytes in a child process with CPU, memory and time limits.

A 6 KB PDF whose cross-reference stream claims a million entries keeps pyHanko busy for
7 s and 230 MB; a PKCS#12 file with 20 million key-derivation rounds keeps OpenSSL busy
for 6 s. In the server process that time is taken from every request (one OS thread
serves them all under eventlet), and memory is taken from the whole service. So a parser
fed by strangers runs here: :func:`run` hands a named :func:`task` the bytes in a child
process that may spend ``cpu_seconds`` of CPU and ``memory_mb`` more address space, is
killed after a wall-clock timeout, and sends back plain data (JSON with tagged bytes,
never a pickle: the child may have been subverted by what it read). Overruns come back
as :class:`TooSlow`, :class:`TooBig` or :class:`Unreadable`, service errors with a clear
message that callers may replace by one naming their input.

Why children that are started ahead: importing pyHanko takes 1-2 s, far more than most
checks. One spare child (per server process) has already imported every task's module
and waits for its one request; each child serves exactly one request and exits, so
nothing a hostile file did to one parser's state can reach the next, and a killed child
costs nothing but its replacement, which starts as soon as the spare is taken.

The parent's waits are ``select`` calls on the pipes, which eventlet and gevent make
cooperative: other requests are served while a child works. At most
:data:`MAX_CHILDREN` children work at once; the next caller waits for a slot (up to its
timeout), so a burst of hostile uploads costs bounded memory.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from meetcoord.core.errors import ServiceError

logger = logging.getLogger(__name__)

DEFAULT_CPU_SECONDS = 5
DEFAULT_MEMORY_MB = 512
MAX_CHILDREN = max(2, os.cpu_count() or 2)
SPARES = 1
STARTUP_SECONDS = 60.0  # a cold child imports pyHanko; a loaded machine is slow at it
MAX_RESULT_BYTES = 32 * 1024 * 1024
_CHUNK = 64 * 1024


class SandboxError(ServiceError):
    """A task did not produce an answer; ``detail`` says why in English (for the log)."""

    status = 422
    kind = code = "unreadable"
    default_message: Any = _l("Berkas tidak dapat dibaca.")

    def __init__(self, detail: str = "", message: Any = None):
        super().__init__(message if message is not None else self.default_message)
        self.detail = detail


class Unreadable(SandboxError):
    """The parser refused the input, or the child died of it."""


class TooSlow(SandboxError):
    kind = code = "too_slow"
    default_message = _l("Berkas terlalu rumit untuk diperiksa dalam batas waktu.")


class TooBig(SandboxError):
    kind = code = "too_big"
    default_message = _l("Isi berkas terlalu besar untuk diperiksa.")


class Busy(SandboxError):
    """Every child is busy and none came free in time: try again in a moment."""

    status = 503
    kind = code = "busy"
    default_message = _l("Layanan sedang memeriksa berkas lain. Coba lagi sebentar lagi.")


_KINDS: dict[str, type[SandboxError]] = {
    cls.kind: cls for cls in (Unreadable, TooSlow, TooBig, Busy)
}


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = DEFAULT_CPU_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB  # address space the task may add to the child's

    @property
    def wall_seconds(self) -> float:
        """Room for a loaded machine: the CPU limit is what really bounds the work."""
        return 3.0 * self.cpu_seconds + 2.0

    @classmethod
    def configured(cls) -> Limits:
        """``MEETCOORD_SANDBOX_*`` of the running app; the defaults outside one."""
        if not has_app_context():
            return cls()
        config = current_app.config
        return cls(
            cpu_seconds=config.get("SANDBOX_CPU_SECONDS", DEFAULT_CPU_SECONDS),
            memory_mb=config.get("SANDBOX_MEMORY_MB", DEFAULT_MEMORY_MB),
        )


# --- tasks ---------------------------------------------------------------------------------

TaskFunction = Callable[[bytes, dict[str, Any]], Any]


@dataclass(frozen=True)
class Task:
    """A pure function ``(payload, params) -> plain data``, runnable in a child by name."""

    module: str
    name: str
    fn: TaskFunction

    def __call__(self, payload: bytes, params: dict[str, Any]) -> Any:
        return self.fn(payload, params)


_TASKS: dict[tuple[str, str], Task] = {}


def task(fn: TaskFunction) -> Task:
    """Register ``fn`` (a module-level function) so that a child can run it by name."""
    registered = Task(fn.__module__, fn.__qualname__, fn)
    _TASKS[(registered.module, registered.name)] = registered
    return registered


def registered(module: str, name: str) -> Task:
    """The task ``name`` of ``module`` (imported by then); KeyError for anything else."""
    return _TASKS[(module, name)]


# --- plain data on the wire: JSON, bytes as {"$bytes": base64} ---------------------------


def _tag_bytes(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"not plain data: {type(value).__name__}")


def _untag_bytes(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and "$bytes" in obj:
        encoded = obj["$bytes"]
        if not isinstance(encoded, str):
            raise ValueError("bad bytes tag")
        return base64.b64decode(encoded, validate=True)
    return obj


def dumps(value: Any) -> bytes:
    return json.dumps(value, default=_tag_bytes, separators=(",", ":")).encode()


def loads(data: bytes) -> Any:
    return json.loads(data, object_hook=_untag_bytes)


# --- the parent's side ---------------------------------------------------------------------


def _read_ready(fd: int, count: int, deadline: float) -> bytes:
    """Up to ``count`` bytes from ``fd`` before ``deadline``; less only at end of file."""
    chunks: list[bytes] = []
    got = 0
    while got < count:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        readable, _w, _x = select.select([fd], [], [], remaining)
        if not readable:
            continue
        chunk = os.read(fd, min(_CHUNK, count - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes, deadline: float) -> None:
    view = memoryview(data)
    while view:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        _r, writable, _x = select.select([], [fd], [], remaining)
        if writable:
            try:
                written = os.write(fd, view[:_CHUNK])
            except BlockingIOError:
                continue
            view = view[written:]


def _child_env() -> dict[str, str]:
    """Only what Python needs: the child never sees the service's secrets."""
    paths = [os.path.abspath(p or os.curdir) for p in sys.path]
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": os.pathsep.join(p for p in paths if os.path.isdir(p)),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
    }


class _Child:
    """One started child: its process and the parent's ends of its two pipes."""

    def __init__(self, modules: list[str]):
        child_in, self.to_child = os.pipe()
        self.from_child, child_out = os.pipe()
        try:
            self.proc = subprocess.Popen(  # noqa: S603 - our interpreter, our code, module names
                [sys.executable, "-c", _CHILD_CODE, *modules],
                stdin=child_in,
                stdout=child_out,
                env=_child_env(),
                cwd="/",
                start_new_session=True,  # a ^C to the server is not the child's to handle
            )
        except BaseException:
            for fd in (self.to_child, self.from_child):
                os.close(fd)
            raise
        finally:
            os.close(child_in)
            os.close(child_out)
        os.set_blocking(self.to_child, False)
        self.ready = False

    def wait_ready(self) -> bool:
        """Until the child has imported its modules and said so (``R``); False if it died."""
        if not self.ready:
            try:
                said = _read_ready(self.from_child, 1, time.monotonic() + STARTUP_SECONDS)
            except TimeoutError:
                said = b""
            self.ready = said == b"R"
        return self.ready

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.close()

    def close(self) -> None:
        for fd in (self.to_child, self.from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.to_child = self.from_child = -1
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


_CHILD_CODE = "from meetcoord.core.sandbox_child import child_main; child_main()"


class _Pool:
    def __init__(self) -> None:
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.spares: list[_Child] = []
        self.slots = threading.BoundedSemaphore(MAX_CHILDREN)

    def modules(self) -> list[str]:
        return sorted({module for module, _name in _TASKS})

    def take(self) -> _Child:
        with self.lock:
            found = None
            while self.spares and found is None:
                child = self.spares.pop(0)
                if child.alive():
                    found = child
                else:
                    child.close()
        child = found or _Child(self.modules())
        self.refill()
        return child

    def refill(self) -> None:
        with self.lock:
            while len(self.spares) < SPARES:
                self.spares.append(_Child(self.modules()))

    def shutdown(self) -> None:
        with self.lock:
            spares, self.spares = self.spares, []
        for child in spares:
            child.kill()


_pool: _Pool | None = None


def _the_pool() -> _Pool:
    global _pool
    if _pool is None or _pool.pid != os.getpid():  # a forked server: its own children
        _pool = _Pool()
    return _pool


@atexit.register
def _shutdown() -> None:
    if _pool is not None and _pool.pid == os.getpid():
        _pool.shutdown()


def warm_up(*, wait: bool = False) -> None:
    """Start the spare child now rather than at the first upload (server start); with
    ``wait``, until it is ready (tests that time a task, not a child's start)."""
    pool = _the_pool()
    pool.refill()
    if wait:
        for child in list(pool.spares):
            child.wait_ready()


def run(
    job: Task,
    payload: bytes,
    params: dict[str, Any] | None = None,
    *,
    limits: Limits | None = None,
) -> Any:
    """``job(payload, params)`` in a child process; its plain result, or a SandboxError."""
    limits = limits or Limits.configured()
    request = dumps(
        {
            "module": job.module,
            "name": job.name,
            "params": params or {},
            "size": len(payload),
            "cpu": limits.cpu_seconds,
            "memory": limits.memory_mb,
        }
    )
    pool = _the_pool()
    if not pool.slots.acquire(timeout=limits.wall_seconds):
        raise Busy(f"no free child within {limits.wall_seconds:.0f} s")
    try:
        child = pool.take()
        try:
            return _exchange(child, request, payload, limits)
        finally:
            child.kill()  # one request per child: ended, or killed when it overran
    finally:
        pool.slots.release()


def _exchange(child: _Child, request: bytes, payload: bytes, limits: Limits) -> Any:
    started = time.monotonic()
    if not child.wait_ready():
        raise Busy("the child did not start")  # its error went to the server's log
    try:
        deadline = time.monotonic() + limits.wall_seconds
        _write_all(child.to_child, len(request).to_bytes(4, "big") + request + payload, deadline)
        answer = _read_ready(child.from_child, MAX_RESULT_BYTES + 1, deadline)
    except TimeoutError:
        child.kill()
        raise TooSlow(f"no answer within {limits.wall_seconds:.0f} s") from None
    except BrokenPipeError:
        answer = b""
    if len(answer) > MAX_RESULT_BYTES:
        child.kill()
        raise Unreadable("the answer was too long")
    child.close()
    status = child.proc.returncode
    if status in (-signal.SIGXCPU, -signal.SIGKILL):
        raise TooSlow(f"CPU limit of {limits.cpu_seconds} s reached")
    try:
        result = loads(answer)
    except ValueError:
        raise Unreadable(f"no answer (child exit status {status})") from None
    if not isinstance(result, dict):
        raise Unreadable("malformed answer")
    if "error" in result:
        error = _KINDS.get(str(result.get("error")), Unreadable)
        detail = str(result.get("detail", ""))[:500]
        logger.info("sandboxed task refused its input: %s", detail)
        raise error(detail)
    if "value" not in result:
        raise Unreadable("malformed answer")
    logger.debug("sandboxed task took %.3f s", time.monotonic() - started)
    return result["value"]
