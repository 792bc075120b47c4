"""Bounds a PDF must keep before a parser builds its structure; pure, a linear scan.

pyHanko caps how much a single stream may inflate, but a cross-reference stream that
honestly declares a million entries is within those caps: 6 KB of zeros-and-ones that
inflate to 6 MB, from which pyHanko builds a million entries (7 s, 230 MB). What costs a
parser is the number of objects and entries it is made to build, and the structure
streams (``/Type /XRef`` and ``/Type /ObjStm``) it must inflate before it can read any
object. So before parsing, :func:`check_pdf_bounds` reads the raw bytes once and refuses:

- a ``/Size`` (objects declared by a trailer or cross-reference stream) or an ``/Index``
  (the entries a cross-reference stream lists) above :data:`MAX_OBJECTS`;
- cross-reference entries, classic or inflated from streams, above :data:`MAX_OBJECTS`
  in one section or :data:`MAX_ENTRIES` over all revisions;
- an object stream declaring more than :data:`MAX_OBJECTS` objects, or inflating to more
  than :data:`MAX_STRUCTURE_BYTES` (:data:`MAX_STRUCTURE_TOTAL` over the file);
- a structure stream compressed other than with ``/FlateDecode`` (what every writer uses).

Streams are inflated incrementally with a ceiling, so the scan's own work is bounded by
the file's size plus those ceilings. Why 100,000 objects: the minutes this service signs
hold a few hundred; a 500-page report some tens of thousands. The scan does not replace
the sandbox's limits (a file can hide a structure stream from a scan like this one, e.g.
behind a dictionary it cannot follow); it turns the obvious bombs into a clear refusal
before a child has to be killed for them.
"""

from __future__ import annotations

import re
import zlib

MAX_OBJECTS = 100_000
MAX_ENTRIES = 4 * MAX_OBJECTS
MAX_STRUCTURE_BYTES = 16 * 1024 * 1024
MAX_STRUCTURE_TOTAL = 64 * 1024 * 1024
_CHUNK = 64 * 1024

_SIZE = re.compile(rb"/Size\s*(\d{1,30})")
_INDEX = re.compile(rb"/Index\s*\[([\d\s]{0,4096})\]")
_CLASSIC_ENTRY = re.compile(rb"\d{10} \d{5} [fn]")
_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_COMMENT = re.compile(rb"%[^\r\n]*")
_TYPE = re.compile(rb"/Type\s*/(XRef|ObjStm)\b")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_W = re.compile(rb"/W\s*\[\s*(\d{1,3})\s+(\d{1,3})\s+(\d{1,3})\s*\]")
_N = re.compile(rb"/N\s+(\d{1,30})")
_PREDICTOR = re.compile(rb"/Predictor\s+(\d+)")


class PdfBoundsError(ValueError):
    """The file is outside the bounds; ``reason`` is ``too_big`` or ``unreadable``."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def _too_big(detail: str) -> PdfBoundsError:
    return PdfBoundsError("too_big", detail)


def _normalised(dictionary: bytes) -> bytes:
    """Names unescaped (``/X#52ef`` is ``/XRef``) and comments removed, for matching."""
    without_comments = _COMMENT.sub(b" ", dictionary)
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), without_comments)


def inflated_size(data: bytes, start: int, ceiling: int) -> int | None:
    """Bytes that the zlib stream at ``data[start:]`` inflates to, counting at most
    ``ceiling + 1`` of them; None when it is not zlib data (the parser will judge it)."""
    inflater = zlib.decompressobj()
    view = memoryview(data)
    total = 0
    at = start
    try:
        while not inflater.eof and total <= ceiling:
            pending: bytes | memoryview = inflater.unconsumed_tail
            if not pending:
                if at >= len(data):
                    break
                pending, at = view[at : at + _CHUNK], at + _CHUNK
            total += len(inflater.decompress(pending, ceiling + 1 - total))
    except zlib.error:
        return None
    return total


def _filters(dictionary: bytes) -> list[bytes]:
    found = _FILTER.findall(dictionary)
    if not found:
        return []
    return re.findall(rb"/([A-Za-z0-9]+)", found[-1])


def _row_width(dictionary: bytes) -> int:
    widths = _W.findall(dictionary)
    width = sum(int(w) for w in widths[-1]) if widths else 1
    predictor = _PREDICTOR.findall(dictionary)
    if predictor and int(predictor[-1]) >= 10:
        width += 1  # PNG predictors prefix each row with its filter byte
    return max(width, 1)


def _check_sizes(data: bytes) -> int:
    for match in _SIZE.finditer(data):
        if int(match.group(1)) > MAX_OBJECTS:
            raise _too_big(f"/Size {int(match.group(1))} is above {MAX_OBJECTS}")
    for match in _INDEX.finditer(data):
        counts = [int(n) for n in match.group(1).split()[1::2]]
        if sum(counts) > MAX_OBJECTS:
            raise _too_big(f"/Index of {sum(counts)} entries")
    classic = sum(1 for _m in _CLASSIC_ENTRY.finditer(data))
    if classic > MAX_ENTRIES:
        raise _too_big(f"{classic} cross-reference entries")
    return classic


def check_pdf_bounds(data: bytes) -> None:
    """Raise :class:`PdfBoundsError` when ``data`` is outside the bounds above."""
    entries = _check_sizes(data)
    structure_total = 0
    region_start = 0
    for match in _STREAM.finditer(data):
        # This stream's dictionary: after whatever object or stream ended last.
        cut = max(
            data.rfind(b"endobj", region_start, match.start()) + len(b"endobj"),
            data.rfind(b"endstream", region_start, match.start()) + len(b"endstream"),
            region_start,
        )
        dictionary = _normalised(data[cut : match.start()])
        region_start = match.end()
        kinds = _TYPE.findall(dictionary)
        if not kinds:
            continue
        kind = kinds[-1]
        filters = _filters(dictionary)
        if filters not in ([], [b"FlateDecode"]):
            raise PdfBoundsError("unreadable", f"/{kind.decode()} stream filtered by {filters}")
        if kind == b"ObjStm":
            declared = _N.findall(dictionary)
            if declared and int(declared[-1]) > MAX_OBJECTS:
                raise _too_big(f"object stream of {int(declared[-1])} objects")
            ceiling = min(MAX_STRUCTURE_BYTES, MAX_STRUCTURE_TOTAL - structure_total)
        else:
            ceiling = MAX_OBJECTS * _row_width(dictionary)
        if not filters:
            continue  # stored as is: no bigger than the file
        size = inflated_size(data, match.end(), ceiling)
        if size is None:
            continue
        if size > ceiling:
            raise _too_big(f"/{kind.decode()} stream inflates beyond {ceiling} bytes")
        if kind == b"ObjStm":
            structure_total += size
        else:
            entries += size // _row_width(dictionary)
            if entries > MAX_ENTRIES:
                raise _too_big(f"more than {MAX_ENTRIES} cross-reference entries")
