"""A person's name at the end of a sentence; pure.

Indonesian names often end in a degree with its own period ("Dr. Umbu Ndaha, M.Si."),
and a message that closes with the name ("Selamat datang, %(name)s.") then printed
"M.Si.." on the kiosk, the desk and the documents' pages (issue 16). Messages pass the
name through :func:`before_period` so the sentence's period and the name's are one.
"""

from __future__ import annotations


def before_period(name: str | None) -> str:
    """The name without its own closing period(s), for a message that adds one."""
    return (name or "").rstrip().rstrip(".")
