"""Calendar components to bytes: icalendar's content lines, folded here.

icalendar (≥ 7) folds each content line character by character, encoding every character
on its own to count octets; for the 500 invitations of one meeting that was a quarter of
the time spent composing them. The values are still encoded by icalendar
(``Component.content_lines()``: escaping, parameters, dates); only the folding and joining
are done here, to the same rules, so the bytes are those of ``Component.to_ical()``:

- RFC 5545 §3.1: a line is cut before the character that would make it reach 75 octets,
  so a physical line holds at most 74 octets of content (plus, after a fold, the one
  leading space), and lines end in CRLF;
- a cut never falls inside a UTF-8 sequence: the line is cut as bytes, stepping back over
  continuation bytes (``10xxxxxx``) to the start of the character;
- a cut never leaves a backslash (TEXT escape, ``\\n``) or a caret (RFC 6868 parameter
  escape, ``^n``) at the end of a line: it moves to the next line with what it escapes,
  because some clients do not unfold across an escape (icalendar issue #1501).

``tests/calendar/test_calendar_folding.py`` checks these against icalendar's own ``_foldline`` on
generated lines, so an icalendar upgrade that changes its rules shows up there.
"""

from __future__ import annotations

from collections.abc import Mapping

from icalendar.cal.component import Component
from icalendar.caselessdict import canonsort_keys

#: Octets of content a physical line may hold (RFC 5545: lines < 75 octets, as icalendar).
LINE_OCTETS = 74
_FOLD = b"\r\n "
_ESCAPES = b"\\^"


def fold(line: str) -> bytes:
    """One content line as UTF-8, folded; the usual short ASCII line is returned as is."""
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return data
    pieces = []
    start, size = 0, len(data)
    while size - start > LINE_OCTETS:
        end = start + LINE_OCTETS
        while data[end] & 0xC0 == 0x80:  # inside a UTF-8 sequence: cut before it
            end -= 1
        if data[end - 1] in _ESCAPES:  # keep an escape with what it escapes
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return _FOLD.join(pieces)


def to_ical(component: Component) -> bytes:
    """``component.to_ical()``, byte for byte, with the folding above."""
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)


def property_lines(component: Component) -> dict[str, bytes]:
    """The component's own properties (not its subcomponents) as :func:`to_ical` writes
    them, by name, in icalendar's order; a property given several times has all its lines.
    """
    lines: dict[str, bytes] = {}
    for name, value in component.property_items(recursive=False)[1:-1]:  # not BEGIN, END
        lines[name] = lines.get(name, b"") + fold(component.content_line(name, value)) + b"\r\n"
    return lines


def head(component: Component) -> bytes:
    """The component's BEGIN line and its own properties as :func:`to_ical` writes them,
    without its subcomponents and END: for a caller that writes those itself (e.g. a
    subcomponent shared by many files, serialised once).
    """
    return f"BEGIN:{component.name}\r\n".encode() + b"".join(property_lines(component).values())


def component_ical(kind: type[Component], lines: Mapping[str, bytes]) -> bytes:
    """What :func:`to_ical` writes for a ``kind`` component (without subcomponents) whose
    properties, serialised by :func:`property_lines`, are ``lines``: so the lines of one
    component can be put together from parts serialised at different times.
    """
    order = canonsort_keys(lines, kind.canonical_order)  # icalendar's own property order
    body = b"".join(lines[name] for name in order)
    return f"BEGIN:{kind.name}\r\n".encode() + body + f"END:{kind.name}\r\n".encode()
