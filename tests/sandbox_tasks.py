"""Tasks for the sandbox's own tests: each misbehaves in one way a hostile file could cause."""

from __future__ import annotations

import os
import resource
from typing import Any

from meetcoord.core import sandbox


@sandbox.task
def echo(payload: bytes, params: dict[str, Any]) -> Any:
    return {"payload": payload, "params": params, "pid": os.getpid()}


@sandbox.task
def spin(payload: bytes, params: dict[str, Any]) -> Any:
    while True:
        pass


@sandbox.task
def hog(payload: bytes, params: dict[str, Any]) -> Any:
    held = []
    while True:
        held.append(bytearray(16 * 1024 * 1024))


@sandbox.task
def sleep(payload: bytes, params: dict[str, Any]) -> Any:
    import time

    time.sleep(float(params["seconds"]))
    return "awake"


@sandbox.task
def crash(payload: bytes, params: dict[str, Any]) -> Any:
    os.abort()


@sandbox.task
def refuse(payload: bytes, params: dict[str, Any]) -> Any:
    raise sandbox.TooBig("declared size over the bound")


@sandbox.task
def write_file(payload: bytes, params: dict[str, Any]) -> Any:
    with open(params["path"], "wb") as handle:
        handle.write(payload)
    return "written"


@sandbox.task
def limits(payload: bytes, params: dict[str, Any]) -> Any:
    return {
        name: list(resource.getrlimit(getattr(resource, name)))
        for name in ("RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_CORE")
    } | {"env": sorted(os.environ)}


@sandbox.task
def not_plain(payload: bytes, params: dict[str, Any]) -> Any:
    return object()
