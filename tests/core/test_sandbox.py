"""The sandbox for parsing untrusted bytes (core.sandbox, issue 11 point 2).

Real child processes, with the tasks of ``tests.sandbox_tasks`` that misbehave the way a
hostile file makes a parser misbehave: spin, eat memory, crash, sleep, write a file.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from meetcoord.core import sandbox
from tests import sandbox_tasks as tasks

TIGHT = sandbox.Limits(cpu_seconds=1, memory_mb=64)


def test_bytes_and_params_make_the_round_trip_as_plain_data() -> None:
    payload = bytes(range(256)) * 10
    answer = sandbox.run(tasks.echo, payload, {"passphrase": "ü", "n": [1, 2]}, limits=TIGHT)
    assert answer["payload"] == payload
    assert answer["params"] == {"passphrase": "ü", "n": [1, 2]}
    assert answer["pid"] != os.getpid()


def test_each_request_gets_a_fresh_child() -> None:
    first = sandbox.run(tasks.echo, b"", limits=TIGHT)["pid"]
    second = sandbox.run(tasks.echo, b"", limits=TIGHT)["pid"]
    assert first != second


def test_a_task_that_spins_is_killed_at_its_cpu_limit() -> None:
    started = time.monotonic()
    with pytest.raises(sandbox.TooSlow) as caught:
        sandbox.run(tasks.spin, b"", limits=TIGHT)
    # SIGXCPU; on a machine too loaded to give it its second, the wall clock.
    assert caught.value.detail in ("CPU limit of 1 s reached", "no answer within 5 s")
    assert caught.value.status == 422
    assert time.monotonic() - started < TIGHT.wall_seconds


def test_a_task_that_sleeps_is_killed_at_the_wall_clock_limit() -> None:
    with pytest.raises(sandbox.TooSlow) as caught:
        sandbox.run(tasks.sleep, b"", {"seconds": 60}, limits=TIGHT)
    assert "no answer within" in caught.value.detail


def test_a_task_that_eats_memory_is_stopped_at_its_limit() -> None:
    with pytest.raises(sandbox.TooBig):
        sandbox.run(tasks.hog, b"", limits=TIGHT)


def test_a_crash_is_unreadable_and_a_refusal_keeps_its_kind() -> None:
    with pytest.raises(sandbox.Unreadable) as crashed:
        sandbox.run(tasks.crash, b"", limits=TIGHT)
    assert "exit status -6" in crashed.value.detail
    with pytest.raises(sandbox.TooBig) as refused:
        sandbox.run(tasks.refuse, b"", limits=TIGHT)
    assert refused.value.detail == "declared size over the bound"
    with pytest.raises(sandbox.Unreadable):
        sandbox.run(tasks.not_plain, b"", limits=TIGHT)


def test_the_child_writes_no_file_dumps_no_core_and_sees_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEETCOORD_SECRET_KEY", "x" * 40)
    target = tmp_path / "kunci.der"
    with pytest.raises(sandbox.Unreadable) as caught:
        sandbox.run(tasks.write_file, b"rahasia", {"path": str(target)}, limits=TIGHT)
    assert "File too large" in caught.value.detail
    assert not target.exists() or target.read_bytes() == b""
    seen = sandbox.run(tasks.limits, b"", limits=TIGHT)
    assert seen["RLIMIT_FSIZE"] == [0, 0]
    assert seen["RLIMIT_CORE"] == [0, 0]
    assert seen["RLIMIT_CPU"][0] > 0
    assert seen["RLIMIT_AS"][0] > 64 * 1024 * 1024
    assert not any(name.startswith("MEETCOORD_") for name in seen["env"])


def test_a_killed_spare_is_replaced() -> None:
    sandbox.warm_up()
    pool = sandbox._the_pool()
    for child in pool.spares:
        os.kill(child.proc.pid, signal.SIGKILL)
        child.proc.wait()
    assert sandbox.run(tasks.echo, b"ok", limits=TIGHT)["payload"] == b"ok"


def test_callers_wait_for_a_free_child_and_give_up_with_busy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pool = sandbox._the_pool()
    monkeypatch.setattr(pool, "slots", threading.BoundedSemaphore(1))
    done: list[object] = []
    sleeper = threading.Thread(
        target=lambda: done.append(sandbox.run(tasks.sleep, b"", {"seconds": 2.5}))
    )
    sleeper.start()
    time.sleep(0.5)
    with pytest.raises(sandbox.Busy) as caught:
        sandbox.run(tasks.echo, b"", limits=sandbox.Limits(cpu_seconds=0, memory_mb=64))
    assert caught.value.status == 503
    sleeper.join()
    assert done == ["awake"]


def test_plain_data_refuses_what_json_cannot_say() -> None:
    assert sandbox.loads(sandbox.dumps({"k": b"\x00\xff"})) == {"k": b"\x00\xff"}
    with pytest.raises(TypeError):
        sandbox.dumps({"k": object()})
    with pytest.raises(ValueError, match=r"base64|Incorrect padding|Non-base64"):
        sandbox.loads(b'{"$bytes": "not base64!"}')


def _orphan(request: bytes | None) -> tuple[int, bytes]:
    """A child whose server went away (stopped with SIGTERM, which runs no clean-up) while
    the child was starting (``request`` None) or working on ``request``: nobody reads what
    it writes. Its exit status and what it wrote to stderr, which is the service's log."""
    import subprocess
    import sys

    from_child, child_out = os.pipe()
    if request is None:
        os.close(from_child)  # gone before the child could say it is ready
    proc = subprocess.Popen(
        [sys.executable, "-c", sandbox._CHILD_CODE, "tests.sandbox_tasks"],
        stdin=subprocess.PIPE,
        stdout=child_out,
        stderr=subprocess.PIPE,
        env=sandbox._child_env(),
        cwd="/",
    )
    os.close(child_out)
    assert proc.stdin is not None
    if request is not None:
        assert os.read(from_child, 1) == b"R"
        proc.stdin.write(len(request).to_bytes(4, "big") + request)
        proc.stdin.flush()
        os.close(from_child)  # gone while the task runs
    _out, err = proc.communicate(timeout=60)
    return proc.returncode, err


def test_a_child_whose_server_went_away_exits_quietly() -> None:
    """Found by the HTTP attack tests: stopping the server while its spare child was still
    importing left a BrokenPipeError traceback in the service's log."""
    assert _orphan(None) == (0, b"")
    request = sandbox.dumps(
        {
            "module": tasks.sleep.module,
            "name": tasks.sleep.name,
            "params": {"seconds": 0.5},
            "size": 0,
            "cpu": 5,
            "memory": 256,
        }
    )
    assert _orphan(request) == (0, b"")
