"""Run the benchmarks: ``make bench`` runs all, ``make bench ONLY=<name>`` one.

A benchmark is a module ``bench/bench_<name>.py`` with a function
``run() -> dict[str, float]`` returning its metrics (see DESIGN.md §10 for the keys and
targets). This runner writes ``bench/out/<name>.json`` as
``{"name": ..., "metrics": {...}, "env": {...}}`` and prints a short table. It never
invents numbers: with no benchmark modules it says so and exits.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"


def discover() -> dict[str, Path]:
    return {path.stem.removeprefix("bench_"): path for path in sorted(BENCH_DIR.glob("bench_*.py"))}


def environment() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def run_one(name: str, path: Path) -> dict[str, object]:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"bench: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "run", None)):
        raise SystemExit(f"bench: {path.name} has no run() function")
    started = time.perf_counter()
    metrics = module.run()
    # A module may describe its setup in a module-level ``ENV`` dict (filled by run()).
    extra = getattr(module, "ENV", None) or {}
    result = {
        "name": name,
        "metrics": metrics,
        "env": environment()
        | dict(extra)
        | {"wall_seconds": round(time.perf_counter() - started, 3)},
    }
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run just this benchmark (bench/bench_<name>.py)")
    args = parser.parse_args(argv)
    found = discover()
    if not found:
        print("bench: no benchmarks exist yet (no bench/bench_*.py); nothing was measured.")
        return 0
    if args.only:
        if args.only not in found:
            print(f"bench: no benchmark named {args.only!r}; have: {', '.join(found)}")
            return 2
        found = {args.only: found[args.only]}
    for name, path in found.items():
        result = run_one(name, path)
        print(f"{name}  ->  bench/out/{name}.json")
        for key, value in result["metrics"].items():
            print(f"  {key:<28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
