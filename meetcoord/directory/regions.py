"""Indonesian provinces and their time zones; pure functions, no Flask.

An organization's ``region`` is free text as a secretariat types it ("Kabupaten Sumba
Barat Daya, Nusa Tenggara Timur", "Provinsi Maluku", "DKI Jakarta", "Makassar, Sulawesi
Selatan"). People have no zone unless someone sets one, so the zone their organization's
region lies in is the best default for the times they are shown: a Bappeda officer in
Ambon reads WIT, not the host's WIB. This module finds the province named in such a text
(by its name, its usual abbreviation such as NTB or Sulsel, or its capital) and maps it to
the IANA zone Indonesia uses there.

Only provinces and capitals are known: a regency name alone ("Selong") finds nothing, and
the caller falls back (the parent organization's region, then the meeting's host).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from meetcoord.core.timezones import is_valid_zone

WIB, WIB_KALIMANTAN, WITA, WIT = "Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"

#: The 38 provinces (Permendagri names, lower case) and their zone.
PROVINCE_ZONES: dict[str, str] = {
    "aceh": WIB,
    "sumatera utara": WIB,
    "sumatera barat": WIB,
    "riau": WIB,
    "kepulauan riau": WIB,
    "jambi": WIB,
    "sumatera selatan": WIB,
    "kepulauan bangka belitung": WIB,
    "bengkulu": WIB,
    "lampung": WIB,
    "dki jakarta": WIB,
    "jawa barat": WIB,
    "banten": WIB,
    "jawa tengah": WIB,
    "di yogyakarta": WIB,
    "jawa timur": WIB,
    # West and Central Kalimantan keep WIB; tzdata names their zone after Pontianak.
    "kalimantan barat": WIB_KALIMANTAN,
    "kalimantan tengah": WIB_KALIMANTAN,
    "kalimantan selatan": WITA,
    "kalimantan timur": WITA,
    "kalimantan utara": WITA,
    "bali": WITA,
    "nusa tenggara barat": WITA,
    "nusa tenggara timur": WITA,
    "sulawesi utara": WITA,
    "gorontalo": WITA,
    "sulawesi tengah": WITA,
    "sulawesi barat": WITA,
    "sulawesi selatan": WITA,
    "sulawesi tenggara": WITA,
    "maluku": WIT,
    "maluku utara": WIT,
    "papua": WIT,
    "papua barat": WIT,
    "papua barat daya": WIT,
    "papua selatan": WIT,
    "papua tengah": WIT,
    "papua pegunungan": WIT,
}

#: Other ways a region text names a province: abbreviations, older spellings, capitals.
PROVINCE_ALIASES: dict[str, str] = {
    # abbreviations
    "nad": "aceh",
    "sumut": "sumatera utara",
    "sumbar": "sumatera barat",
    "kepri": "kepulauan riau",
    "sumsel": "sumatera selatan",
    "babel": "kepulauan bangka belitung",
    "bangka belitung": "kepulauan bangka belitung",
    "dki": "dki jakarta",
    "jakarta": "dki jakarta",
    "jabar": "jawa barat",
    "jateng": "jawa tengah",
    "diy": "di yogyakarta",
    "yogyakarta": "di yogyakarta",
    "jogja": "di yogyakarta",
    "jogjakarta": "di yogyakarta",
    "jatim": "jawa timur",
    "kalbar": "kalimantan barat",
    "kalteng": "kalimantan tengah",
    "kalsel": "kalimantan selatan",
    "kaltim": "kalimantan timur",
    "kaltara": "kalimantan utara",
    "ntb": "nusa tenggara barat",
    "ntt": "nusa tenggara timur",
    "sulut": "sulawesi utara",
    "sulteng": "sulawesi tengah",
    "sulbar": "sulawesi barat",
    "sulsel": "sulawesi selatan",
    "sultra": "sulawesi tenggara",
    "malut": "maluku utara",
    "pabar": "papua barat",
    "pbd": "papua barat daya",
    # capitals, which are often all a region text says
    "banda aceh": "aceh",
    "medan": "sumatera utara",
    "padang": "sumatera barat",
    "pekanbaru": "riau",
    "tanjungpinang": "kepulauan riau",
    "tanjung pinang": "kepulauan riau",
    "palembang": "sumatera selatan",
    "pangkalpinang": "kepulauan bangka belitung",
    "bandung": "jawa barat",
    "serang": "banten",
    "semarang": "jawa tengah",
    "surabaya": "jawa timur",
    "pontianak": "kalimantan barat",
    "palangka raya": "kalimantan tengah",
    "palangkaraya": "kalimantan tengah",
    "banjarmasin": "kalimantan selatan",
    "banjarbaru": "kalimantan selatan",
    "samarinda": "kalimantan timur",
    "tanjung selor": "kalimantan utara",
    "denpasar": "bali",
    "mataram": "nusa tenggara barat",
    "kupang": "nusa tenggara timur",
    "manado": "sulawesi utara",
    "palu": "sulawesi tengah",
    "mamuju": "sulawesi barat",
    "makassar": "sulawesi selatan",
    "kendari": "sulawesi tenggara",
    "ambon": "maluku",
    "sofifi": "maluku utara",
    "ternate": "maluku utara",
    "jayapura": "papua",
    "manokwari": "papua barat",
    "sorong": "papua barat daya",
    "merauke": "papua selatan",
    "nabire": "papua tengah",
    "wamena": "papua pegunungan",
    "jayawijaya": "papua pegunungan",
}

#: What a person or a CSV may write for a zone besides its IANA name.
ZONE_LABELS: dict[str, str] = {"wib": WIB, "wita": WITA, "wit": WIT}


def _normalise(text: str) -> str:
    """Lower case, punctuation as spaces, single spaces: "D.I. Yogyakarta" → "d i yogyakarta"."""
    words = re.sub(r"[^\w]+", " ", text.lower()).split()
    joined = " ".join(words)
    # "D.I." and "D.K.I." lose their dots above; put the abbreviations back together.
    return re.sub(r"\bd k i\b", "dki", re.sub(r"\bd i\b", "di", joined))


@cache
def _pattern() -> re.Pattern[str]:
    # Longest names first, so "papua barat daya" wins over "papua barat" and "papua".
    names = sorted({*PROVINCE_ZONES, *PROVINCE_ALIASES}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(name) for name in names) + r")\b")


@lru_cache(maxsize=1024)
def province_of(region: str | None) -> str | None:
    """The province a region text names (its canonical lower-case name), or None.

    When the text names several, the last one wins: Indonesian addresses run from the
    small to the large ("Kota Ambon, Maluku"; "Kabupaten Jayapura, Papua").
    """
    if not region:
        return None
    found = _pattern().findall(_normalise(region))
    if not found:
        return None
    last = found[-1]
    return PROVINCE_ALIASES.get(last, last)


_UPPER_WORDS = {"dki": "DKI", "di": "DI"}


def province_label(province: str | None) -> str:
    """A canonical province name as documents print it ("DKI Jakarta", "Sulawesi Tengah")."""
    if not province:
        return ""
    return " ".join(_UPPER_WORDS.get(word, word.capitalize()) for word in province.split())


def zone_for_region(region: str | None) -> str | None:
    """The IANA zone of the province a region text names, or None when it names none."""
    province = province_of(region)
    return PROVINCE_ZONES[province] if province else None


def parse_zone(text: str) -> str | None:
    """A zone as people write it: an IANA name ("Asia/Makassar") or WIB / WITA / WIT.

    Returns the IANA name, or None when the text is neither.
    """
    value = text.strip()
    named = ZONE_LABELS.get(value.lower())
    if named:
        return named
    return value if is_valid_zone(value) else None
