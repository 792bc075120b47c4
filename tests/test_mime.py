"""Pre-encoded MIME (meetcoord.calendar.mime): written fast, and as compat32 would write it.

:data:`WIRE` writes a header value that is already fit for the wire as it is instead of
folding it again; the claim that compat32 would have given back the same bytes is checked
here on generated values, and the invitation's headers are shown to skip the refolding.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from email.errors import HeaderParseError
from email.header import Header
from email.policy import compat32

import pytest

from meetcoord.calendar import compose_invitation
from meetcoord.calendar.mime import WIRE, encode_header
from tests.test_compose import make_mail

COMPAT32 = compat32.clone(linesep="\r\n")
NAMES = ("Subject", "To", "X-Meetcoord-Uid", "Content-Type", "References")
TOKENS = (
    *("a", "bc", "word", " ", "  ", "\t", ";", ",", ":", "(c)", "\\", '"q"', "<a@b.id>"),
    *("=?utf-8?q?x_y?=", "=?utf-8?b?QUJD?=", "\r\n ", "\r\n\t", "\r\n", "\n", "é"),
)


def generated_values(count: int, seed: int) -> list[tuple[str, str]]:
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    return [
        (rnd.choice(NAMES), "".join(rnd.choice(TOKENS) for _ in range(rnd.randint(0, 32))))
        for _ in range(count)
    ]


def outcome(fold: Callable[[str, str], object], name: str, value: str) -> object:
    try:
        return fold(name, value)
    except HeaderParseError as exc:  # compat32 refuses a value with an embedded header
        return type(exc)


def test_wire_writes_every_header_as_compat32_does():
    passed = 0
    for name, value in generated_values(6_000, seed=2047):
        for method in ("fold", "fold_binary"):
            ours = outcome(getattr(WIRE, method), name, value)
            assert ours == outcome(getattr(COMPAT32, method), name, value), (name, value)
        passed += WIRE._fit(name, value)
    assert passed > 500  # the pass-through was exercised, not only the fallback


@pytest.mark.parametrize("name", ["Subject", "X-Note"])
@pytest.mark.parametrize(
    "title",
    ["Rapat Koordinasi " * 12, "Évaluasi — Zoë Ñañez; 漢字 😀 " * 4, "Rapat", "a" * 200],
)
def test_encoded_headers_pass_through_unchanged(name: str, title: str):
    value = encode_header(name, title)
    if len(max(title.split(), key=len)) < 70:  # a longer word cannot be folded to fit
        assert WIRE._fit(name, value)
        assert WIRE.fold_binary(name, value) == f"{name}: {value}\r\n".encode()
    assert WIRE.fold_binary(name, value) == COMPAT32.fold_binary(name, value)


@pytest.mark.parametrize("value", ["abc\r\n", "abc\r\n\r\nBcc: x@y", "abc\r\nBcc: x@y", "a\rb"])
def test_a_value_that_could_end_or_add_headers_is_left_to_compat32(value: str):
    assert not WIRE._fit("Subject", value)


def test_invitation_headers_are_not_folded_again(monkeypatch: pytest.MonkeyPatch):
    message = compose_invitation(make_mail())
    expected = message.as_bytes(policy=COMPAT32)
    calls = []
    original = Header.encode

    def counting(self: Header, *args: object, **kwargs: object) -> str:
        calls.append(str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Header, "encode", counting)
    assert message.as_bytes() == expected
    assert calls == []
