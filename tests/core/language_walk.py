"""Walk every GET page of the application in Indonesian and find the English left in it.

Used by ``test_no_english_in_indonesian_pages``. The routes come from ``app.url_map`` (a page
added tomorrow is walked tomorrow, as in ``tests/access/test_institution_scope.py``); their
parameters are filled from the demo data (``load_demo``), one pass per demo meeting, and a
route whose parameter this table does not know fails the walk ("add it here").

English is found two ways:

* the catalog: every English ``msgstr`` of two words or more (the literal parts around its
  placeholders) that shows in an Indonesian page is a string the page did not translate;
* a list of words no Indonesian page says (Please, Submit, Cancel...), for English that was
  never in the catalog (Flask-Login's "Please log in", a raw enum or code).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from sqlalchemy import select

from meetcoord.i18n_tools import load_catalog

PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sd]|\{\w+\}")
# Served to a browser but not a page: files, feeds, downloads, JSON.
NOT_PAGES = re.compile(r"\.(<fmt>|pdf|csv|ics|json|docx|xlsx)$|/pdf$")
# Pages a participant, a speaker, an agency or the public opens: walked signed out.
SIGNED_OUT = ("/i", "/a", "/s", "/p", "/r", "/t", "/reminders", "/c", "/verify", "/login")
# Words no Indonesian page says; whole words, case as written. "No" (nomor), "Status",
# "Forum", "Online" and the like are Indonesian too and are left out on purpose.
ENGLISH_WORDS = (
    "Please",
    "please",
    "Submit",
    "Cancel",
    "Save",
    "Delete",
    "Loading",
    "Error",
    "Search",
    "Previous",
    "Edit",
    "Close",
    "Password",
    "Required",
    "required",
    "Invalid",
    "invalid",
    "Upload",
    "Download",
    "Settings",
    "Welcome",
    "Remove",
    "Sign in",
    "Log in",
    "log in",
    "the",
    "The",
    "your",
    "Your",
    "this page",
    "not found",
    "Not Found",
    "failed",
    # Codes shown raw: an audit action, a table, an outbox kind, a status.
    "create",
    "update",
    "delete",
    "invitation",
    "cancellation",
    "reminder",
    "meetings",
    "organizations",
    "users",
    "venues",
    "pending",
)
_WORDS = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r"|[a-z]+_[a-z_]+)(?![\w-])"
)
# A data-* attribute a script shows: its name says so, or it is a sentence or JSON.
_SHOWN_DATA = re.compile(r"label|msg|message|text|title|error|empty|confirm|help|hint|status")
# Data for a script, not words: the live room's snapshot (its codes are put in words by
# the script through data-strings, whose values are walked) and the socket's credentials.
DATA_ONLY = {"data-initial", "data-auth"}
# Attributes a person reads (or hears) as well as the text.
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description"}


def _strings(value: str) -> list[str]:
    """The strings a person may read in an attribute or a JSON island: a JSON object's
    values (its keys are codes for the script), else the value itself."""
    try:
        data = json.loads(value)
    except ValueError:
        return [value]
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


class _Text(HTMLParser):
    """The text a person reads: text nodes, read attributes, data-* messages and JSON
    islands for scripts; not script code or styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._json = False
        self._code = 0  # <code>, <kbd>: a column name or a key to type, shown as it is

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "style" or (tag == "script" and "json" not in (values.get("type") or "")):
            self._skip += 1
        self._json = tag == "script" and "json" in (values.get("type") or "")
        self._code += tag in ("code", "kbd", "samp")
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES:
                self.parts.append(value)
            elif value and name.startswith("data-") and name not in DATA_ONLY:
                strings = _strings(value)
                shown = _SHOWN_DATA.search(name) or " " in value or strings != [value]
                self.parts += strings if shown else []
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1
        if tag in ("code", "kbd", "samp") and self._code:
            self._code -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._code and data.strip():
            self.parts += _strings(data) if self._json else [data]


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ¦ ".join(" ".join(part.split()) for part in parser.parts)


def english_phrases() -> dict[str, str]:
    """English phrase -> its Indonesian msgid, for every translation of two words or more
    that differs from its msgid (a proper noun reads the same in both)."""
    found: dict[str, str] = {}
    for message in load_catalog("en"):
        if not message.id or not message.string or isinstance(message.id, tuple):
            continue
        english, indonesian = str(message.string), str(message.id)
        if english == indonesian:
            continue
        for piece in PLACEHOLDER.split(english):
            piece = " ".join(re.sub(r"<[^>]+>", " ", piece).split()).strip(" .,:;()—-")
            if len(piece.split()) >= 2 and re.search(r"[a-z]", piece) and piece not in indonesian:
                found.setdefault(piece, indonesian)
    return found


@dataclass
class Leak:
    path: str
    english: str
    source: str  # the msgid it translates, or "word list"


@dataclass
class Walk:
    rendered: list[str] = field(default_factory=list)
    other: list[tuple[str, int]] = field(default_factory=list)
    leaks: list[Leak] = field(default_factory=list)


def find_leaks(path: str, text: str, phrases: dict[str, str]) -> list[Leak]:
    leaks = [Leak(path, english, msgid) for english, msgid in phrases.items() if english in text]
    words = PLACEHOLDER.sub(" ", text)  # "{required}": a script's slot, not a word
    leaks += [Leak(path, word, "word list") for word in sorted(set(_WORDS.findall(words)))]
    return leaks


def page_routes(app: Flask) -> list[str]:
    rules = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/static")):
            continue
        if rule.endpoint == "static" or NOT_PAGES.search(rule.rule):
            continue
        rules.append(rule.rule)
    return sorted(set(rules))


def fill(rule: str, values: dict[str, Any]) -> str | None:
    """The path for ``rule``; None when the value is known not to exist in this pass."""
    missing = [name for name in PARAM.findall(rule) if name not in values]
    assert not missing, f"{rule}: the walk has no value for {missing} (add it to the table)"
    filled = {name: values[name] for name in PARAM.findall(rule)}
    if any(value is None for value in filled.values()):
        return None
    return PARAM.sub(lambda m: str(filled[m.group(1)]), rule)


def paths(
    app: Flask,
    passes: list[dict[str, Any]],
    per_route: Callable[[str, dict[str, Any]], dict[str, Any]],
) -> Iterator[str]:
    """Each route once per pass (a pass is one demo meeting's values), without repeats;
    ``per_route`` adjusts the values for a route where a name means something else."""
    seen: set[str] = set()
    for values in passes:
        for rule in page_routes(app):
            path = fill(rule, per_route(rule, values))
            if path is not None and path not in seen:
                seen.add(path)
                yield path


def first_id(model: Any, *where: Any) -> int | None:
    from meetcoord.extensions import db

    stmt = select(model.id)
    for clause in where:
        stmt = stmt.where(clause)
    return db.session.scalar(stmt.order_by(model.id).limit(1))
