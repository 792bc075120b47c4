"""Passwords: how they are stored and checked, and which ones are refused.

Pure functions, no Flask. Every place that sets a password (``create-admin``,
``create-user``, the administrator's pages, a person changing their own, the demo) goes
through :func:`password_problems`, so the rule cannot differ between doors.

The rule: at least :data:`MIN_LENGTH` characters, at most :data:`MAX_LENGTH` (hashing
cost must stay bounded), and not a common password. "Common" means in the lists under
``data/`` (see ``data/SOURCES.md``: 19,640 passwords from leaks, and the 150 most common
Indonesian ones), either as typed or once the digits and symbols around a word are taken
off, since "bismillah2026!" is guessed right after "bismillah".
"""

from __future__ import annotations

import gzip
import string
from functools import cache
from pathlib import Path

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 200
MIN_DISTINCT = 4  # "aaaaaaaaaa" and "ababababab" are in no list but guessed at once
DATA = Path(__file__).parent / "data"
_AROUND_WORDS = string.digits + string.punctuation + string.whitespace


@cache
def common_passwords() -> frozenset[str]:
    """The deny list, lower case, read once per process."""
    with gzip.open(DATA / "common-passwords.txt.gz", "rt", encoding="utf-8") as handle:
        words = {line.strip().lower() for line in handle}
    text = (DATA / "common-passwords-id.txt").read_text(encoding="utf-8")
    words.update(line.strip().lower() for line in text.splitlines())
    words.discard("")
    return frozenset(words)


def is_common(password: str) -> bool:
    lowered = password.lower()
    words = common_passwords()
    core = lowered.strip(_AROUND_WORDS)
    return lowered in words or (bool(core) and core in words)


def password_problems(password: str | None) -> list[LazyString]:
    """What is wrong with ``password`` as a new password (none: nothing).

    ``None`` is a form or request without the field at all: too short, not a 500.
    """
    password = password or ""
    if len(password) < MIN_LENGTH:
        return [_l("Kata sandi minimal %(n)d karakter.", n=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_l("Paling banyak %(n)d karakter.", n=MAX_LENGTH)]
    if is_common(password) or len(set(password)) < MIN_DISTINCT:
        return [
            _l(
                "Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain, misalnya "
                "beberapa kata yang tidak berhubungan."
            )
        ]
    return []


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@cache
def dummy_hash() -> str:
    """A hash of no one's password, made like every real one (same method and cost).

    Checked when a sign-in names no account (or an inactive one), so that such an attempt
    takes as long as a wrong password for a real account: the answer's time must not tell
    which e-mail addresses have accounts.
    """
    return generate_password_hash("no account has this password: " + string.ascii_letters)
