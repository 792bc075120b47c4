"""Message catalogs: extract, check and compile, with Babel's Python API.

The source strings in code and templates are Indonesian (the default language, which
needs no catalog); ``meetcoord/translations/en`` holds the English catalog. The usual
cycle after adding strings (``make i18n``)::

    pybabel extract -F babel.cfg -k _l -k lazy_gettext -o meetcoord/translations/messages.pot .
    pybabel update -i meetcoord/translations/messages.pot -d meetcoord/translations
    # translate every empty or fuzzy msgstr in meetcoord/translations/en/LC_MESSAGES/messages.po
    pybabel compile -d meetcoord/translations

or, without the ``pybabel`` script::

    python -m meetcoord.i18n_tools check     # list msgids in the source without English
    python -m meetcoord.i18n_tools compile   # .po → .mo where the .mo is missing or stale

The tests use :func:`missing_translations` so that no string ships untranslated.
"""

from __future__ import annotations

import argparse
import configparser
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
BABEL_CFG = PROJECT_ROOT / "babel.cfg"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
LANGUAGES = ("en",)


def method_map(cfg: Path = BABEL_CFG) -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    """The ``[method: pattern]`` sections of babel.cfg, as ``extract_from_dir`` wants them."""
    parser = configparser.RawConfigParser()
    parser.read(cfg, encoding="utf-8")
    methods: list[tuple[str, str]] = []
    options: dict[str, dict[str, str]] = {}
    for section in parser.sections():
        method, pattern = (part.strip() for part in section.split(":", 1))
        methods.append((pattern, method))
        options[pattern] = dict(parser.items(section))
    return methods, options


def extract_msgids(root: Path = PROJECT_ROOT) -> dict[str, str]:
    """Every msgid in the source tree → where it first appears ("path:line")."""
    methods, options = method_map(root / "babel.cfg")
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(root), methods, options, keywords=KEYWORDS
    ):
        for msgid in message if isinstance(message, tuple) else (message,):
            if msgid:
                found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def po_path(language: str, directory: Path = TRANSLATIONS) -> Path:
    return directory / language / "LC_MESSAGES" / "messages.po"


def load_catalog(language: str, directory: Path = TRANSLATIONS) -> Catalog:
    with po_path(language, directory).open("rb") as handle:
        return read_po(handle, locale=language)


def missing_translations(language: str, root: Path = PROJECT_ROOT) -> dict[str, str]:
    """msgids used in the source that the catalog lacks, leaves empty or marks fuzzy."""
    catalog = load_catalog(language, root / "meetcoord" / "translations")
    missing = {}
    for msgid, where in extract_msgids(root).items():
        message = catalog.get(msgid)
        strings = message.string if message is not None else ""
        texts = strings if isinstance(strings, tuple | list) else (strings,)
        if message is None or message.fuzzy or not all(texts):
            missing[msgid] = where
    return missing


def _stale(po: Path, mo: Path) -> bool:
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_catalogs(directory: Path = TRANSLATIONS, *, force: bool = False) -> list[Path]:
    """Write ``messages.mo`` beside each ``messages.po`` that is newer; returns those written.

    Fuzzy entries are left out, as ``pybabel compile`` does.
    """
    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if not (force or _stale(po, mo)):
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        errors = [(m.id, err) for m, errs in catalog.check() for err in errs]
        if errors:
            raise ValueError(f"{po}: {errors[0][0]!r}: {errors[0][1]}")
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        tmp.replace(mo)  # atomic, so a concurrently starting server never reads half a file
        written.append(mo)
    return written


def _iter_report(missing: dict[str, str]) -> Iterator[str]:
    for msgid, where in sorted(missing.items(), key=lambda item: item[1]):
        yield f"{where}: {msgid!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m meetcoord.i18n_tools")
    parser.add_argument("command", choices=("check", "compile"))
    parser.add_argument("--force", action="store_true", help="compile even when up to date")
    args = parser.parse_args(argv)
    if args.command == "compile":
        for mo in compile_catalogs(force=args.force):
            print(f"compiled {mo.relative_to(PROJECT_ROOT)}")
        return 0
    status = 0
    for language in LANGUAGES:
        missing = missing_translations(language)
        for line in _iter_report(missing):
            print(f"[{language}] {line}")
        if missing:
            print(f"[{language}] {len(missing)} msgid(s) without a translation", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
