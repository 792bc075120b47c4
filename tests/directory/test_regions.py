"""Provinces named in an organization's free-text region, and their zones: pure, no app."""

from __future__ import annotations

import pytest

from meetcoord.core.timezones import zone_label
from meetcoord.directory.regions import (
    PROVINCE_ALIASES,
    PROVINCE_ZONES,
    parse_zone,
    province_of,
    zone_for_region,
)


@pytest.mark.parametrize(
    ("region", "province", "label"),
    [
        # as the demo directory and the seed reports write them
        ("Kabupaten Sumba Barat Daya, Nusa Tenggara Timur", "nusa tenggara timur", "WITA"),
        ("Provinsi Nusa Tenggara Barat", "nusa tenggara barat", "WITA"),
        ("Kabupaten Lombok Timur, Nusa Tenggara Barat", "nusa tenggara barat", "WITA"),
        ("Makassar, Sulawesi Selatan", "sulawesi selatan", "WITA"),
        ("Provinsi Maluku", "maluku", "WIT"),
        ("DKI Jakarta", "dki jakarta", "WIB"),
        ("Jakarta", "dki jakarta", "WIB"),
        # longest name wins: not Papua Barat, not Papua
        ("Kota Sorong, Papua Barat Daya", "papua barat daya", "WIT"),
        ("Maluku Utara", "maluku utara", "WIT"),
        ("Kepulauan Riau", "kepulauan riau", "WIB"),
        # abbreviations, dots, case, capitals alone
        ("Kab. Bima, NTB", "nusa tenggara barat", "WITA"),
        ("D.I. Yogyakarta", "di yogyakarta", "WIB"),
        ("D.K.I. JAKARTA", "dki jakarta", "WIB"),
        ("Kota Ambon", "maluku", "WIT"),
        ("Sulsel", "sulawesi selatan", "WITA"),
        # Kalimantan is split: west and central keep WIB
        ("Kota Pontianak, Kalimantan Barat", "kalimantan barat", "WIB"),
        ("Kalimantan Timur", "kalimantan timur", "WITA"),
        # from the small to the large: the province, named last, decides
        ("Kabupaten Jayapura, Papua", "papua", "WIT"),
    ],
)
def test_region_text_names_its_province_and_zone(region, province, label):
    assert province_of(region) == province
    assert zone_label(zone_for_region(region)) == label


@pytest.mark.parametrize("region", [None, "", "Selong", "Sumba Barat Daya", "Balikpapan?"])
def test_no_province_named_gives_no_zone(region):
    # "Sumba" is not "Sumbar" (Sumatera Barat): words are matched whole
    assert province_of(region) is None
    assert zone_for_region(region) is None


def test_every_province_and_alias_has_a_zone():
    assert len(PROVINCE_ZONES) == 38
    assert set(PROVINCE_ZONES.values()) == {
        "Asia/Jakarta",
        "Asia/Pontianak",
        "Asia/Makassar",
        "Asia/Jayapura",
    }
    assert set(PROVINCE_ALIASES.values()) <= set(PROVINCE_ZONES)
    for name in PROVINCE_ZONES:
        assert province_of(name.title()) == name


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("WIB", "Asia/Jakarta"),
        ("wita", "Asia/Makassar"),
        (" WIT ", "Asia/Jayapura"),
        ("Asia/Makassar", "Asia/Makassar"),
        ("Europe/Amsterdam", "Europe/Amsterdam"),
        ("Mars/Olympus", None),
        ("WITT", None),
        ("../etc/passwd", None),
    ],
)
def test_parse_zone_takes_iana_names_and_indonesian_labels(text, zone):
    assert parse_zone(text) == zone
