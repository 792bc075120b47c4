"""A place written once: venue name, street address and city joined without repeats; pure.

A venue's address is often typed with its town at the end ("Jl. El Tari No. 52, Kupang")
while the city field says "Kupang" too, so a plain join printed "Jl. El Tari No. 52,
Kupang, Kupang" on letters, minutes and mails (issue 16). Every place a document, a mail
or a page prints is joined here, so the rule is the same everywhere.
"""

from __future__ import annotations


def _key(text: str) -> str:
    return " ".join(text.replace(".", " ").split()).casefold()


def join_place(*parts: str | None) -> str:
    """ "Aula Bappeda, Jl. El Tari No. 52, Kupang": the parts that are set, comma-joined,
    leaving out a part that is already one of the comma-separated pieces before it
    (compared without case, dots and spacing)."""
    seen: set[str] = set()
    out: list[str] = []
    for part in parts:
        text = (part or "").strip().strip(",").strip()
        if not text:
            continue
        if _key(text) in seen:
            continue
        out.append(text)
        seen.update(_key(piece) for piece in text.split(",") if piece.strip())
    return ", ".join(out)
