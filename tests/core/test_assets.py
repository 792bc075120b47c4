"""Static files for a 400 kbps link (issue 16): hashed names with a year of caching, minified
and pre-compressed at build, no cookie on them; pages and JSON compressed per request."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import brotli
import pytest

from meetcoord.commands import assets_build
from meetcoord.core import assets
from tests.conftest import skip_or_fail
from tests.helpers import static_names

STATIC = Path(__file__).resolve().parents[2] / "static"
NODE = shutil.which("node")
IMMUTABLE = "public, max-age=31536000, immutable"


def _manifest(client: Any) -> assets.Manifest:
    return client.application.extensions["meetcoord.assets"].get()


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    return root


# --- the build (pure) ---------------------------------------------------------------------


def test_a_changed_file_gets_a_new_hash_and_its_importer_too(tmp_path: Path) -> None:
    root = _tree(
        tmp_path / "static",
        {
            "js/main.js": 'import * as s from "./store.js";\n// a comment\ns.go(  1 );\n',
            "js/store.js": "export function go(n) {\n  return n + 1;\n}\n",
            "vendor/x.min.js": "var  keep =   1;  // as shipped\n",
            "css/a.css": "body {\n  color: red;\n}\n",
        },
    )
    first = assets.build(root)
    store = first.assets["js/store.js"]
    assert re.fullmatch(r"js/store\.[0-9a-f]{8}\.js", store.hashed)
    main = first.assets["js/main.js"]
    # the relative import names the hashed file; comments and spaces are gone
    assert main.body == f'import*as s from"./{store.hashed.split("/")[1]}";s.go(1);'.encode()
    assert first.assets["vendor/x.min.js"].body == b"var  keep =   1;  // as shipped\n"
    assert first.assets["css/a.css"].body == b"body{color:red}"
    assert gzip.decompress(main.gzip) == main.body
    assert brotli.decompress(main.br) == main.body

    (root / "js/store.js").write_text("export function go(n) {\n  return n + 2;\n}\n")
    second = assets.build(root)
    assert second.fingerprint != first.fingerprint
    assert second.assets["js/store.js"].hashed != store.hashed
    assert second.assets["js/main.js"].hashed != main.hashed  # it imports the new name
    assert second.assets["css/a.css"].hashed == first.assets["css/a.css"].hashed


def test_bundles_join_scripts_in_order(tmp_path: Path) -> None:
    root = _tree(
        tmp_path / "static",
        {
            "a.min.js": "var a=1;\n//# sourceMappingURL=a.min.js.map\n",
            "b.js": "var b = a + 1;\n",
            "bundles.json": '{"_comment": "x", "ab.bundle.js": ["a.min.js", "b.js"]}',
        },
    )
    manifest = assets.build(root)
    assert manifest.assets["ab.bundle.js"].body == b"var a=1;;\nvar b=a+1;\n"
    assert "bundles.json" not in manifest.assets


def test_a_stored_build_is_used_only_while_it_matches(tmp_path: Path) -> None:
    root = _tree(tmp_path / "static", {"js/a.js": "var a = 1;\n", "img/x.png": "PNG"})
    built = assets.build(root)
    out = tmp_path / "build"
    assets.write(built, out)
    loaded = assets.load(out, assets.fingerprint(root))
    assert loaded is not None
    assert loaded.assets == built.assets
    assert loaded.assets["img/x.png"].br is None  # images are not compressed again
    (root / "js/a.js").write_text("var a = 2;\n")
    assert assets.load(out, assets.fingerprint(root)) is None  # stale: the app rebuilds
    assert assets.load(tmp_path / "nothing") is None


def test_the_cli_writes_a_manifest(tmp_path: Path) -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(assets_build, ["--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    loaded = assets.load(tmp_path / "out", assets.fingerprint(STATIC))
    assert loaded is not None
    assert "js/desk.js" in loaded.assets


def test_jsqr_is_served_minified() -> None:
    raw = (STATIC / "vendor/jsqr-1.4.0/jsQR.js").stat().st_size
    built = assets.build(STATIC).assets["vendor/jsqr-1.4.0/jsQR.js"]
    assert len(built.body) < raw * 0.7
    assert len(built.br) < 35_000


def test_every_minified_script_still_parses(tmp_path: Path) -> None:
    """rjsmin keeps only unnested template literals intact: node must accept every output.
    CI's machine has Node.js (the capacity bench's clients need it too): missing there, fail."""
    if NODE is None:
        skip_or_fail("node is not installed: the minified scripts are not checked")
    for asset in assets.build(STATIC).assets.values():
        if asset.mimetype != "text/javascript":
            continue
        text = asset.body.decode()
        module = re.search(r"(^|[;}\s])(import|export)[\s*{]", text) is not None
        path = tmp_path / (asset.hashed.replace("/", "_") + (".mjs" if module else ".cjs"))
        path.write_bytes(asset.body)
        result = subprocess.run([NODE, "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{asset.logical}: {result.stderr[:500]}"


# --- serving --------------------------------------------------------------------------------


def test_pages_name_hashed_files_cached_for_a_year(client: Any) -> None:
    html = client.get("/login").get_data(as_text=True)
    [css] = re.findall(r'href="(/static/css/app\.[0-9a-f]{8}\.css)"', html)
    assert "css/app.css" in static_names(html)
    response = client.get(css)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.get_data() == _manifest(client).assets["css/app.css"].body


def test_static_responses_carry_no_cookie(client: Any, auth: Any) -> None:
    auth.login()
    page = client.get("/", follow_redirects=True)
    html = page.get_data(as_text=True)
    [script] = re.findall(r'src="(/static/js/app\.[0-9a-f]{8}\.js)"', html)
    response = client.get(script)
    assert "Set-Cookie" not in response.headers
    assert "cookie" not in response.headers.get("Vary", "").lower()
    # The page itself does depend on the cookie, and says so.
    assert "cookie" in page.headers.get("Vary", "").lower()


@pytest.mark.parametrize(("accept", "encoding"), [("gzip, br", "br"), ("gzip", "gzip"), ("", None)])
def test_static_files_come_precompressed_as_negotiated(client: Any, accept: str, encoding: Any):
    asset = _manifest(client).assets["js/live-client.js"]
    response = client.get(f"/static/{asset.hashed}", headers={"Accept-Encoding": accept})
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    body = response.get_data()
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](body)
    assert decoded == asset.body
    again = client.get(
        f"/static/{asset.hashed}",
        headers={"Accept-Encoding": accept, "If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_old_and_plain_names_get_the_current_file_uncached(client: Any) -> None:
    asset = _manifest(client).assets["js/desk.js"]
    for url in ("/static/js/desk.js", "/static/js/desk.00000000.js"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.get_data() == asset.body
    assert client.get("/static/js/nothing.12345678.js").status_code == 404
    assert client.get("/static/js/nothing.js").status_code == 404


def test_pages_are_compressed_for_browsers_that_accept_it(client: Any) -> None:
    plain = client.get("/login", headers={"Accept-Encoding": ""})
    assert "Content-Encoding" not in plain.headers
    for name, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = client.get("/login", headers={"Accept-Encoding": name})
        assert response.headers["Content-Encoding"] == name
        assert "Accept-Encoding" in response.headers["Vary"]
        # same page (the CSRF token in the form differs per request)
        pattern = rb'value="[^"]*"'
        assert re.sub(pattern, b"", decode(response.get_data())) == re.sub(
            pattern, b"", plain.get_data()
        )


# --- what pages load -----------------------------------------------------------------------


def test_the_desk_page_does_not_load_the_qr_decoder(auth: Any) -> None:
    from tests import factories

    user = auth.login("secretariat")
    meeting = factories.meeting(by=user)
    html = auth.client.get(f"/desk/{meeting.sites[0].code}").get_data(as_text=True)
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert not [s for s in scripts if "jsQR" in s]
    [url] = re.findall(r'data-jsqr-url="([^"]+)"', html)
    assert re.fullmatch(r"/static/vendor/jsqr-1\.4\.0/jsQR\.[0-9a-f]{8}\.js", url)


def test_the_logo_is_inline_not_two_requests(client: Any) -> None:
    html = client.get("/login").get_data(as_text=True)
    assert "img/logo.svg" not in static_names(html)
    assert 'href="data:image/svg+xml,' in html
    assert '<span class="brand-logo" aria-hidden="true"><svg' in html
