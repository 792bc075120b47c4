"""A signatory's own certificate: trusted roots only, in the signatory's own name (issue 11).

Pure checks of ``documents.signing.trust``: the name rule (Indonesian titles and degrees, case and
accents) and the chain to our CA or a configured root, with real certificates.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from meetcoord.core.errors import ValidationError
from meetcoord.documents.signing.ca import CertificateAuthority, create_ca, issue_signer
from meetcoord.documents.signing.trust import (
    chains_to,
    check_own_certificate,
    name_words,
    names_match,
)
from tests.documents_support import self_signed

PASSPHRASE = "kata-sandi-ca-uji-2026"


@pytest.mark.parametrize(
    ("signatory", "certificate"),
    [
        ("Dr. Ir. Ahmad Yani, M.Si.", "AHMAD YANI"),
        ("Ir. Yohanes Bili, M.Si.", "Yohanes Bili"),
        ("H. Muhammad Ali, S.E., M.M.", "MUHAMMAD ALI"),
        ("Prof. Dr. Ir. Siti Nurhaliza, M.Sc., Ph.D.", "siti nurhaliza"),
        ("Ahmad Yani S.T.", "AHMAD YANI"),
        ("Ahmad Yani SE", "Ahmad Yani"),
        ("Théo D'Souza", "THEO D’SOUZA"),
        ("Ni Luh Putu Ayu D’Souza", "NI LUH PUTU AYU DSOUZA"),
        ("Hj. Siti Aminah", "Dra. SITI AMINAH, M.Pd."),
        ("Maria Kaka' Lede", "MARIA KAKA LEDE"),
        ("Andi Lolo-Ranteallo", "ANDI LOLO RANTEALLO"),
    ],
)
def test_names_that_denote_the_same_person_match(signatory: str, certificate: str) -> None:
    assert names_match(signatory, certificate)


@pytest.mark.parametrize(
    ("signatory", "certificate"),
    [
        ("Ir. Yohanes Bili, M.Si.", "Ketua Rapat"),
        ("Ahmad Yani", "A. Yani"),
        ("Ahmad Yani", "Ahmad Yani Putra"),
        ("Ahmad Yani", "Yani Ahmad"),
        ("Maria Kaka", "Maria Kaka Bili"),
        ("", ""),
        ("Dr.", "Dr."),
    ],
)
def test_other_names_do_not_match(signatory: str, certificate: str) -> None:
    assert not names_match(signatory, certificate)


def test_name_words_drop_titles_and_degrees_only_at_the_edges() -> None:
    assert name_words("Dr. Ir. Ahmad Yani, M.Si.") == ("ahmad", "yani")
    # A title word in the middle of a name is part of the name.
    assert name_words("Ahmad Ir Yani") == ("ahmad", "ir", "yani")
    # A one-word name is never emptied.
    assert name_words("Soekarno") == ("soekarno",)


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return create_ca(tmp_path_factory.mktemp("ours"), PASSPHRASE, "Bappeda Uji")


@pytest.fixture(scope="module")
def stranger(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return create_ca(tmp_path_factory.mktemp("stranger"), PASSPHRASE, "Lembaga Lain")


def test_a_certificate_chains_only_to_the_roots_it_was_issued_under(
    ours: CertificateAuthority, stranger: CertificateAuthority, tmp_path: Path
) -> None:
    issued = issue_signer(ours, name="AHMAD YANI", institution="Bappeda Uji")
    assert chains_to(issued.certificate, issued.chain, [ours.certificate])
    assert not chains_to(issued.certificate, issued.chain, [stranger.certificate])
    assert not chains_to(issued.certificate, issued.chain, [])
    # A root given as a PEM file's bytes (MEETCOORD_TRUST_ROOTS), among others.
    from cryptography.hazmat.primitives import serialization

    pem = b"".join(
        c.public_bytes(serialization.Encoding.PEM) for c in (stranger.certificate, ours.certificate)
    )
    assert chains_to(issued.certificate, (), [pem])
    # Judged at a moment after it expired, it no longer chains.
    assert not chains_to(
        issued.certificate, (), [ours.certificate], datetime.now(UTC) + timedelta(days=800)
    )


def test_a_self_signed_ketua_rapat_is_refused_as_untrusted(ours: CertificateAuthority) -> None:
    forged, _key = self_signed("Ketua Rapat")
    with pytest.raises(ValidationError, match="penerbitnya tidak termasuk") as caught:
        check_own_certificate(
            forged, [], signatory_name="Ir. Yohanes Bili, M.Si.", roots=[ours.certificate]
        )
    assert "certificate" in caught.value.errors
    # Even when it claims the right name and offers itself as its own chain.
    named, _key = self_signed("YOHANES BILI")
    with pytest.raises(ValidationError, match="penerbitnya tidak termasuk"):
        check_own_certificate(
            named, [named], signatory_name="Ir. Yohanes Bili, M.Si.", roots=[ours.certificate]
        )


def test_a_trusted_certificate_in_another_name_is_refused(ours: CertificateAuthority) -> None:
    issued = issue_signer(ours, name="Ketua Rapat", institution="Bappeda Uji")
    with pytest.raises(ValidationError, match="tidak sama dengan nama") as caught:
        check_own_certificate(
            issued.certificate,
            issued.chain,
            signatory_name="Ir. Yohanes Bili, M.Si.",
            roots=[ours.certificate],
        )
    assert "Ketua Rapat" in str(caught.value.message)
    assert "certificate" in caught.value.errors


def test_a_trusted_certificate_in_the_signatorys_name_passes(ours: CertificateAuthority) -> None:
    issued = issue_signer(ours, name="YOHANES BILI", institution="Bappeda Uji")
    check_own_certificate(
        issued.certificate,
        issued.chain,
        signatory_name="Ir. Yohanes Bili, M.Si.",
        roots=[ours.certificate],
    )
