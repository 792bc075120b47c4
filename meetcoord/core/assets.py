"""Static files as a phone on a slow link should get them: minified, content-hashed, compressed.

A participant in Sumba opens a page over 400 kbps with 400 ms round trips. Every static file
therefore gets a name that changes with its content (``js/desk.js`` → ``js/desk.3f2a9c1b.js``)
so the browser may keep it a year without asking again, and is minified and compressed
(gzip and brotli) once, here, not on every request.

This module is pure (no Flask): :func:`build` turns ``static/`` into a :class:`Manifest`,
:func:`write` stores it in a directory (``meetcoord assets build``) and :func:`load` reads it
back. The web side (``core.static_files``) serves from the manifest.

Minifiers: rjsmin and rcssmin (maintained, on PyPI, pure-Python fallbacks). rjsmin only
strips comments and whitespace and keeps template literals intact as long as they are not
nested; every script in static/ was checked with ``node --check`` after minification
(tests/core/test_assets.py repeats the check). Already-minified files (``*.min.js``) are kept.

Bundles: ``static/bundles.json`` names files joined into one (a participant page should need
only HTML + CSS + JS): ``{"js/kiosk.bundle.js": ["vendor/…/socket.io.min.js", "js/kiosk.js"]}``.

ES modules importing each other by relative path (``import … from "./desk-store.js"``) have
the import rewritten to the hashed name, so the importer's hash changes with the imported file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import brotli
import rcssmin
import rjsmin

MANIFEST_NAME = "manifest.json"
BUNDLES_NAME = "bundles.json"
HASH_LENGTH = 8
# Worth sending compressed: text. Images (PNG) and archives are compressed already.
COMPRESSIBLE = frozenset({".js", ".mjs", ".css", ".svg", ".json", ".txt", ".html", ".map"})
# Not served: build inputs and notes for people.
SKIPPED = frozenset({BUNDLES_NAME, "README.md"})
_HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.[A-Za-z0-9]+)$")
# `from "./x.js"`, `import "./x.js"`, `import("./x.js")`, after minification or not.
_RELATIVE_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}/[^"'\s]+)\2""")
_SOURCE_MAP = re.compile(rb"^//# sourceMappingURL=.*$", re.MULTILINE)


@dataclass(frozen=True)
class Asset:
    """One servable file: its current bytes and their pre-compressed forms."""

    logical: str  # "js/desk.js"
    hashed: str  # "js/desk.3f2a9c1b.js"
    digest: str  # the hash in the name; also the ETag
    mimetype: str
    body: bytes
    gzip: bytes | None = None
    br: bytes | None = None


@dataclass(frozen=True)
class Manifest:
    """Every asset by logical name, and the logical name behind each hashed name."""

    assets: Mapping[str, Asset]
    fingerprint: str  # of the sources: a stored build is used only while it matches

    def by_hashed(self) -> dict[str, str]:
        return {a.hashed: a.logical for a in self.assets.values()}

    def lookup(self, filename: str) -> tuple[Asset, bool] | None:
        """The asset a request names, and whether the name was its current hashed one.

        An old or unknown hash of a known file (a page cached before a deploy) resolves to
        the current file but reports ``False``, so the caller caches it only briefly.
        """
        if filename in self.assets:
            return self.assets[filename], False
        asset = self._hashed_index().get(filename)
        if asset is not None:
            return asset, True
        parts = split_hashed(filename)
        if parts is not None and parts[0] in self.assets:
            return self.assets[parts[0]], False
        return None

    def _hashed_index(self) -> dict[str, Asset]:
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = {a.hashed: a for a in self.assets.values()}
            object.__setattr__(self, "_index", cached)
        return cached


def split_hashed(name: str) -> tuple[str, str] | None:
    """``js/desk.3f2a9c1b.js`` → (``js/desk.js``, ``3f2a9c1b``); None when not hashed."""
    match = _HASHED.match(name)
    if match is None:
        return None
    return match["stem"] + match["ext"], match["hash"]


def hashed_name(logical: str, digest: str) -> str:
    stem, ext = posixpath.splitext(logical)
    return f"{stem}.{digest}{ext}"


def _sources(static_dir: Path) -> dict[str, Path]:
    found = {}
    for path in sorted(static_dir.rglob("*")):
        if path.is_file() and path.name not in SKIPPED and not path.name.startswith("."):
            found[path.relative_to(static_dir).as_posix()] = path
    return found


def _bundles(static_dir: Path) -> dict[str, list[str]]:
    path = static_dir / BUNDLES_NAME
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: list(parts) for name, parts in data.items() if not name.startswith("_")}


def fingerprint(static_dir: Path) -> str:
    """A hash over every source's name and bytes (and the bundle list): cheap, exact."""
    h = hashlib.sha256()
    for name, path in _sources(static_dir).items():
        h.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    bundles = static_dir / BUNDLES_NAME
    if bundles.is_file():
        h.update(bundles.read_bytes())
    return h.hexdigest()


def minify(logical: str, data: bytes) -> bytes:
    """Minified bytes for scripts and styles; anything else (and ``*.min.*``) unchanged."""
    if ".min." in posixpath.basename(logical):
        return data
    if logical.endswith((".js", ".mjs")):
        return rjsmin.jsmin(data.decode("utf-8")).encode("utf-8")
    if logical.endswith(".css"):
        return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8")
    return data


def compress(body: bytes) -> tuple[bytes, bytes]:
    """gzip (level 9, no timestamp, so a rebuild gives the same bytes) and brotli (11)."""
    return gzip.compress(body, 9, mtime=0), brotli.compress(body, quality=11)


def _mimetype(logical: str) -> str:
    if logical.endswith((".js", ".mjs")):
        return "text/javascript"
    return mimetypes.guess_type(logical)[0] or "application/octet-stream"


class _Builder:
    def __init__(self, static_dir: Path) -> None:
        self.sources = _sources(static_dir)
        self.bundles = _bundles(static_dir)
        self.done: dict[str, Asset] = {}
        self.active: set[str] = set()

    def asset(self, logical: str) -> Asset:
        if logical in self.done:
            return self.done[logical]
        if logical in self.active:
            raise ValueError(f"static: import cycle through {logical}")
        self.active.add(logical)
        if logical in self.bundles:
            body = self._bundle(logical)
        else:
            body = minify(logical, self.sources[logical].read_bytes())
            if logical.endswith((".js", ".mjs")):
                body = self._rewrite_imports(logical, body)
        digest = hashlib.sha256(body).hexdigest()[:HASH_LENGTH]
        gz = br = None
        if posixpath.splitext(logical)[1] in COMPRESSIBLE:
            gz, br = compress(body)
        hashed = hashed_name(logical, digest)
        asset = Asset(logical, hashed, digest, _mimetype(logical), body, gz, br)
        self.active.discard(logical)
        self.done[logical] = asset
        return asset

    def _bundle(self, logical: str) -> bytes:
        parts = []
        for part in self.bundles[logical]:
            if part not in self.sources:
                raise ValueError(f"static: bundle {logical} names a missing file {part}")
            # A source map comment would point into the middle of the joined file.
            parts.append(_SOURCE_MAP.sub(b"", minify(part, self.sources[part].read_bytes())))
        return b";\n".join(p.strip() for p in parts) + b"\n"

    def _rewrite_imports(self, logical: str, body: bytes) -> bytes:
        base = posixpath.dirname(logical)

        def repl(match: re.Match[str]) -> str:
            target = posixpath.normpath(posixpath.join(base, match[3]))
            if target not in self.sources:
                return match[0]
            relative = posixpath.relpath(self.asset(target).hashed, base or ".")
            if not relative.startswith("."):
                relative = "./" + relative
            return f"{match[1]}{match[2]}{relative}{match[2]}"

        return _RELATIVE_IMPORT.sub(repl, body.decode("utf-8")).encode("utf-8")


def build(static_dir: Path) -> Manifest:
    """Every file under ``static_dir`` (and every bundle), minified, hashed and compressed."""
    builder = _Builder(static_dir)
    for logical in [*builder.sources, *builder.bundles]:
        builder.asset(logical)
    return Manifest(dict(sorted(builder.done.items())), fingerprint(static_dir))


def write(manifest: Manifest, out_dir: Path) -> None:
    """Each asset as ``<hashed>`` (+ ``.gz``, ``.br``) and ``manifest.json`` naming them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = {}
    for asset in manifest.assets.values():
        target = out_dir / asset.hashed
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset.body)
        for suffix, data in ((".gz", asset.gzip), (".br", asset.br)):
            if data is not None:
                Path(f"{target}{suffix}").write_bytes(data)
        entries[asset.logical] = {
            "hashed": asset.hashed,
            "digest": asset.digest,
            "mimetype": asset.mimetype,
            "gzip": asset.gzip is not None,
            "br": asset.br is not None,
        }
    doc = {"fingerprint": manifest.fingerprint, "assets": entries}
    (out_dir / MANIFEST_NAME).write_text(json.dumps(doc, indent=1, sort_keys=True), "utf-8")


def load(out_dir: Path, expected_fingerprint: str | None = None) -> Manifest | None:
    """A stored build, or None when there is none or it was built from other sources."""
    path = out_dir / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text("utf-8"))
        if expected_fingerprint is not None and doc.get("fingerprint") != expected_fingerprint:
            return None
        assets = {}
        for logical, entry in doc["assets"].items():
            target = out_dir / entry["hashed"]
            assets[logical] = Asset(
                logical,
                entry["hashed"],
                entry["digest"],
                entry["mimetype"],
                target.read_bytes(),
                Path(f"{target}.gz").read_bytes() if entry["gzip"] else None,
                Path(f"{target}.br").read_bytes() if entry["br"] else None,
            )
    except (OSError, ValueError, KeyError):
        return None  # a half-written or foreign directory: build in memory instead
    return Manifest(assets, doc["fingerprint"])
