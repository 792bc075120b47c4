"""The IDM classes by the ministry's thresholds, at and around each boundary, and the
movement between two years (pure: no app)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from meetcoord.planning import idm
from meetcoord.planning.models import IdmStatus


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("0", IdmStatus.VERY_UNDERDEVELOPED),
        ("0.4907", IdmStatus.VERY_UNDERDEVELOPED),
        ("0.4908", IdmStatus.UNDERDEVELOPED),
        ("0.5989", IdmStatus.UNDERDEVELOPED),
        ("0.5990", IdmStatus.DEVELOPING),
        ("0.7072", IdmStatus.DEVELOPING),
        ("0.7073", IdmStatus.ADVANCED),
        ("0.8155", IdmStatus.ADVANCED),
        ("0.8156", IdmStatus.INDEPENDENT),
        ("1", IdmStatus.INDEPENDENT),
    ],
)
def test_classes_follow_the_official_thresholds(score: str, expected: IdmStatus) -> None:
    assert idm.classify(Decimal(score)) is expected


def test_scores_are_read_with_either_decimal_mark_and_rounded() -> None:
    assert idm.parse_score("0,61234") == Decimal("0.6123")
    assert idm.parse_score(" 0.5 ") == Decimal("0.5000")
    assert idm.parse_score(0.7) == Decimal("0.7000")
    for bad in ("", "tinggi", "nan", "inf", None):
        assert idm.parse_score(bad) is None
    assert not idm.in_range(Decimal("1.0001"))
    assert not idm.in_range(Decimal("-0.1"))


def test_statuses_are_read_in_indonesian_and_english() -> None:
    assert idm.parse_status("Sangat Tertinggal") is IdmStatus.VERY_UNDERDEVELOPED
    assert idm.parse_status("MANDIRI") is IdmStatus.INDEPENDENT
    assert idm.parse_status("developing") is IdmStatus.DEVELOPING
    assert idm.parse_status("very_underdeveloped") is IdmStatus.VERY_UNDERDEVELOPED
    assert idm.parse_status("kaya") is None


def test_a_contradicting_status_is_detected() -> None:
    assert idm.contradicts(IdmStatus.ADVANCED, Decimal("0.6000"))
    assert not idm.contradicts(IdmStatus.DEVELOPING, Decimal("0.6000"))


def test_movement_and_class_steps() -> None:
    assert idm.movement(Decimal("0.6"), Decimal("0.65")) is idm.Movement.UP
    assert idm.movement(Decimal("0.6"), Decimal("0.55")) is idm.Movement.DOWN
    assert idm.movement(Decimal("0.6"), Decimal("0.6")) is idm.Movement.SAME
    assert idm.movement(None, Decimal("0.6")) is idm.Movement.UNKNOWN
    assert idm.class_steps(IdmStatus.UNDERDEVELOPED, IdmStatus.ADVANCED) == 2
    assert idm.class_steps(IdmStatus.ADVANCED, IdmStatus.DEVELOPING) == -1
