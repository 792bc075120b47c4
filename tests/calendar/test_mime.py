"""Pre-encoded MIME (meetcoord.calendar.mime): written fast, and as compat32 would write it.

:data:`WIRE` writes a header value that is already fit for the wire as it is instead of
folding it again; the claim that compat32 would have given back the same bytes is checked
here on generated values, and the invitation's headers are shown to skip the refolding.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from email.errors import HeaderParseError
from email.generator import BytesGenerator
from email.header import Header
from email.message import EmailMessage
from email.policy import SMTP, compat32

import pytest

from meetcoord.calendar import Contact, InvitationMail, compose_invitation
from meetcoord.calendar.mime import WIRE, _wire_text, encode_header
from tests.calendar.test_calendar import make_event, make_recipient
from tests.calendar.test_compose import make_mail

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


def tricky_mails() -> list[InvitationMail]:
    """Invitations whose text puts line ends, "From " lines, long and accented words in
    every header and body the writer handles."""
    purpose = "From the minister:\nbaris dua\r\nbaris tiga\rFrom é — 😀 " + "panjang " * 30
    return [
        make_mail(),
        make_mail("Asia/Jayapura", method="CANCEL", sequence=2),
        make_mail(title="Évaluasi — Zoë Ñañez; 漢字 😀 " * 5, purpose=purpose),
        InvitationMail(
            make_event(),
            make_recipient(name="Zoë Ñañez-Sitompul " * 6, email="zoe@opd.example.id"),
            Contact("Sekretariat Bappéda " * 5, "undangan@bappeda.example.id"),
            "BAPPEDA",
            reply_to=Contact("Balasan", "balas@bappeda.example.id"),
            extra_headers=(("X-Note", "catatan " * 30), ("References", "<a@b> " * 20)),
        ),
    ]


@pytest.mark.parametrize("index", range(4))
def test_invitations_are_written_as_the_generator_writes_them(
    index: int, monkeypatch: pytest.MonkeyPatch
):
    message = compose_invitation(tricky_mails()[index])
    expected = message.as_bytes(policy=WIRE)  # an explicit policy: the stdlib generator
    assert expected == message.as_bytes(policy=COMPAT32)

    def no_generator(*args: object, **kwargs: object) -> None:
        raise AssertionError("the invitation went through the stdlib generator")

    monkeypatch.setattr(BytesGenerator, "flatten", no_generator)
    assert message.as_bytes() == expected
    assert bytes(message) == expected


def unusual(change: str) -> EmailMessage:
    message = compose_invitation(make_mail())
    alternative, attachment = message.get_payload()
    if change == "modern header":
        message["X-Outbox-Id"] = "Nomor 7 — lampiran"
    elif change == "preamble":
        message.preamble = "This is a MIME message."
    elif change == "epilogue":
        alternative.epilogue = ""
    elif change == "8-bit payload":
        attachment.set_payload("Berkas é\n")
    elif change == "boundary parameter":
        alternative.set_param("charset", "utf-8")
    elif change == "no parts":
        alternative.set_payload([])
    elif change == "message part":
        attachment.replace_header("Content-Type", "message/rfc822")
    elif change == "8-bit header":
        message.set_raw("X-Raw", "é")
    return message


@pytest.mark.parametrize(
    "change",
    [
        "modern header",
        "preamble",
        "epilogue",
        "8-bit payload",
        "boundary parameter",
        "no parts",
        "message part",
        "8-bit header",
    ],
)
def test_other_trees_are_left_to_the_generator(change: str):
    message = unusual(change)
    assert not _wire_text(message, [])
    if change == "8-bit payload":  # no charset, no encoding: the generator refuses it too
        with pytest.raises(UnicodeEncodeError):
            message.as_bytes()
        return
    policy = SMTP if change == "modern header" else WIRE
    assert message.as_bytes() == EmailMessage.as_bytes(message, policy=policy)
