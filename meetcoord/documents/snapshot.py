"""Dataclass snapshots ↔ JSON, so a document's content can be stored, edited and frozen.

A document prints a snapshot (``MinutesData``, ``AgreementData`` …), not the live tables:
the words must not change when someone edits the meeting after the minutes were signed.
The snapshot is kept as JSON in ``documents.content`` and turned back into the same
frozen dataclasses for rendering. Only what those dataclasses use is supported: nested
dataclasses, lists, dicts, optionals, ``datetime`` (aware, ISO 8601) and ``date``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from datetime import date, datetime
from typing import Any, TypeVar

T = TypeVar("T")


def to_json(value: Any) -> Any:
    """A JSON-ready copy of a dataclass snapshot (dates as ISO strings)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def _convert(kind: Any, raw: Any) -> Any:
    if raw is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _convert(options[0], raw)
    if origin is list:
        (item,) = typing.get_args(kind)
        return [_convert(item, v) for v in raw]
    if origin is dict:
        _key, item = typing.get_args(kind)
        return {k: _convert(item, v) for k, v in raw.items()}
    if kind is datetime:
        return datetime.fromisoformat(raw)
    if kind is date:
        return date.fromisoformat(raw)
    if dataclasses.is_dataclass(kind):
        return from_json(kind, raw)  # type: ignore[arg-type]
    return raw


def from_json(cls: type[T], raw: dict[str, Any]) -> T:
    """Rebuild ``cls`` from :func:`to_json`'s output; unknown keys are ignored."""
    hints = typing.get_type_hints(cls)
    values = {
        f.name: _convert(hints[f.name], raw[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in raw
    }
    return cls(**values)


def canonical(value: Any) -> bytes:
    """One byte string per content: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(*parts: Any) -> str:
    """SHA-256 of the canonical JSON of ``parts``: the frozen content's name."""
    return hashlib.sha256(canonical(list(parts))).hexdigest()
