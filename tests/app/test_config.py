"""Configuration fails fast, naming the variable, and has safe defaults."""

from __future__ import annotations

import secrets
import stat
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.config import ConfigError, load_config
from meetcoord.extensions import db
from tests.support import throwaway_app


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MEETCOORD_PORT", "http"),
        ("MEETCOORD_PORT", "70000"),
        ("MEETCOORD_DEPLOYMENT_ID", "bappeda ntt"),
        ("MEETCOORD_ASYNC_MODE", "tornado"),
        ("MEETCOORD_DATABASE_URL", "mysql://root@localhost/meetcoord"),
        ("MEETCOORD_SECRET_KEY", "pendek"),
        ("MEETCOORD_ENV", "staging"),
        ("MEETCOORD_SOCKETIO_QUEUE", "amqp://guest@localhost//"),
        ("MEETCOORD_SESSION_COOKIE_SECURE", "kadang"),
        ("MEETCOORD_INSTITUTION_LOGO", "/tidak/ada/logo.png"),
        ("MEETCOORD_TRUST_ROOTS", "/tidak/ada/ca.pem"),
    ],
)
def test_bad_value_raises_config_error_naming_the_variable(
    tmp_path: Path, variable: str, value: str
) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_config(environ={variable: value}, instance_path=tmp_path)


def test_sqlite_default_lives_in_instance_path_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    config = load_config(environ={"MEETCOORD_ENV": "testing"}, instance_path=instance)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'meetcoord.db'}"

    app = throwaway_app(instance, config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        try:
            with db.engine.connect() as conn:
                assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        finally:
            db.engine.dispose()
    assert (instance / "meetcoord.db").exists()


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_urls_use_psycopg3(tmp_path: Path, scheme: str) -> None:
    config = load_config(
        environ={"MEETCOORD_DATABASE_URL": f"{scheme}://meetcoord:s3cret@db.example:5432/rapat"},
        instance_path=tmp_path,
    )
    assert (
        config["SQLALCHEMY_DATABASE_URI"]
        == "postgresql+psycopg://meetcoord:s3cret@db.example:5432/rapat"
    )


def test_secret_key_file_is_private_and_reused(tmp_path: Path) -> None:
    environ = {"MEETCOORD_ENV": "development"}
    first = load_config(environ=environ, instance_path=tmp_path)
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first["SECRET_KEY"]) >= 32
    second = load_config(environ=environ, instance_path=tmp_path)
    assert second["SECRET_KEY"] == first["SECRET_KEY"]


def test_explicit_secret_key_writes_no_file(tmp_path: Path) -> None:
    key = secrets.token_hex(32)
    config = load_config(
        environ={"MEETCOORD_ENV": "production", "MEETCOORD_SECRET_KEY": key},
        instance_path=tmp_path,
    )
    assert config["SECRET_KEY"] == key
    assert not (tmp_path / "secret_key").exists()


def test_production_defaults_are_safe(tmp_path: Path) -> None:
    config = load_config(environ={}, instance_path=tmp_path)
    assert config["MEETCOORD_ENV"] == "production"
    assert config["SOCKETIO_ASYNC_MODE"] == "eventlet"
    assert (config["SERVER_HOST"], config["SERVER_PORT"]) == ("127.0.0.1", 5000)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["TESTING"] is False


def test_command_reports_config_error_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from meetcoord import cli

    monkeypatch.setenv("MEETCOORD_PORT", "lima-ribu")
    with pytest.raises(SystemExit) as exc_info:
        cli._create_app()
    assert str(exc_info.value) == (
        "meetcoord: configuration error: MEETCOORD_PORT='lima-ribu': expected a whole number"
    )


def test_proxy_count_trusts_forwarded_address(tmp_path: Path) -> None:
    """Behind one nginx, the login rate limit counts the client, not the proxy."""
    app = throwaway_app(tmp_path, f"sqlite:///{tmp_path / 'p.db'}", PROXY_COUNT=1)

    @app.get("/_whoami")
    @requires(Permission.PUBLIC)  # a route that declares nothing is refused (access.declare)
    def whoami() -> str:
        from flask import request

        return request.remote_addr or ""

    client = app.test_client()
    seen = client.get(
        "/_whoami",
        headers={"X-Forwarded-For": "36.85.1.20"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    ).get_data(as_text=True)
    assert seen == "36.85.1.20"


def test_proxy_count_is_validated(monkeypatch, tmp_path):
    monkeypatch.setenv("MEETCOORD_PROXY_COUNT", "lots")
    with pytest.raises(ConfigError, match="MEETCOORD_PROXY_COUNT"):
        load_config(instance_path=tmp_path)


def test_deployment_id_comes_from_the_database_unless_set(tmp_path: Path) -> None:
    """Two installations on one Redis must not share a Socket.IO channel or keys."""
    one = load_config(
        environ={"MEETCOORD_DATABASE_URL": "sqlite:////srv/a.db"}, instance_path=tmp_path
    )
    two = load_config(
        environ={"MEETCOORD_DATABASE_URL": "sqlite:////srv/b.db"}, instance_path=tmp_path
    )
    assert one["DEPLOYMENT_ID"] != two["DEPLOYMENT_ID"]
    named = load_config(
        environ={"MEETCOORD_DATABASE_URL": "sqlite:////srv/a.db", "MEETCOORD_DEPLOYMENT_ID": "ntt"},
        instance_path=tmp_path,
    )
    assert named["DEPLOYMENT_ID"] == "ntt"


def test_ca_passphrase_is_optional_but_not_short(tmp_path: Path) -> None:
    assert load_config(environ={}, instance_path=tmp_path)["CA_PASSPHRASE"] == ""
    with pytest.raises(ConfigError, match="MEETCOORD_CA_PASSPHRASE"):
        load_config(environ={"MEETCOORD_CA_PASSPHRASE": "pendek"}, instance_path=tmp_path)
    config = load_config(
        environ={"MEETCOORD_CA_PASSPHRASE": "cukup-panjang-2026"}, instance_path=tmp_path
    )
    assert config["CA_PASSPHRASE"] == "cukup-panjang-2026"


def test_ca_passphrase_check_fails_fast_when_a_ca_exists(tmp_path: Path) -> None:
    from meetcoord.documents.signing.ca import check_ca_passphrase, create_ca

    check_ca_passphrase(tmp_path, None)  # no CA yet: nothing to open, `meetcoord init` makes it
    create_ca(tmp_path, "sandi-ca-yang-benar", "BAPPEDA Kab. Sumba Barat Daya")
    check_ca_passphrase(tmp_path, "sandi-ca-yang-benar")
    with pytest.raises(ConfigError, match="MEETCOORD_CA_PASSPHRASE: must be set"):
        check_ca_passphrase(tmp_path, "")
    with pytest.raises(ConfigError, match="MEETCOORD_CA_PASSPHRASE: does not open"):
        check_ca_passphrase(tmp_path, "sandi-ca-yang-salah")
    (tmp_path / "ca" / "ca-cert.pem").unlink()
    with pytest.raises(ConfigError, match="incomplete"):
        check_ca_passphrase(tmp_path, "sandi-ca-yang-benar")


def _start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **environ: str) -> Flask:
    """The service as it starts: create_app from the environment (its start-up checks run
    right after the settings are loaded, before anything is bound)."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return throwaway_app(tmp_path, f"sqlite:///{tmp_path / 'x.db'}")


def test_the_service_does_not_start_with_a_wrong_ca_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meetcoord.documents.signing.ca import create_ca

    create_ca(tmp_path, "sandi-ca-yang-benar", "BAPPEDA Kab. Sumba Barat Daya")
    with pytest.raises(ConfigError, match="MEETCOORD_CA_PASSPHRASE: does not open"):
        _start(tmp_path, monkeypatch, MEETCOORD_CA_PASSPHRASE="sandi-ca-yang-salah")
    app = _start(tmp_path, monkeypatch, MEETCOORD_CA_PASSPHRASE="sandi-ca-yang-benar")
    assert app.config["CA_PASSPHRASE"] == "sandi-ca-yang-benar"


@pytest.mark.parametrize(
    "pattern",
    [
        "005/BAPPEDA/{year}",  # no {seq}
        "005/{seq}/{tahun}",  # unknown placeholder
        "005/{seq/{year}",  # unbalanced
    ],
)
def test_the_service_does_not_start_with_a_bad_letter_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pattern: str
) -> None:
    with pytest.raises(ConfigError, match="MEETCOORD_LETTER_NUMBER_PATTERN"):
        _start(tmp_path, monkeypatch, MEETCOORD_LETTER_NUMBER_PATTERN=pattern)


def test_letter_pattern_error_says_what_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError, match=r"MEETCOORD_LETTER_NUMBER_PATTERN: .*\{seq\}"):
        _start(tmp_path, monkeypatch, MEETCOORD_LETTER_NUMBER_PATTERN="005/BAPPEDA/{year}")
    app = _start(
        tmp_path,
        monkeypatch,
        MEETCOORD_LETTER_NUMBER_PATTERN=" B-{seq:04d}/UND/{month_roman}/{year} ",
    )
    assert app.config["LETTER_NUMBER_PATTERN"] == "B-{seq:04d}/UND/{month_roman}/{year}"


def test_trust_roots_must_be_a_pem_file_of_certificates(tmp_path: Path) -> None:
    not_pem = tmp_path / "roots.txt"
    not_pem.write_text("bukan sertifikat")
    with pytest.raises(ConfigError, match="MEETCOORD_TRUST_ROOTS"):
        load_config(environ={"MEETCOORD_TRUST_ROOTS": str(not_pem)}, instance_path=tmp_path)


def test_instance_path_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meetcoord import create_app

    monkeypatch.setenv("MEETCOORD_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("MEETCOORD_ENV", "testing")
    app = create_app()
    assert app.instance_path == str((tmp_path / "elsewhere").resolve())
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("elsewhere/meetcoord.db")


def _example_value(variable: str) -> str:
    example = Path(__file__).resolve().parents[2] / "deploy" / "meetcoord.env.example"
    for line in example.read_text().splitlines():
        if line.startswith(f"{variable}="):
            return line.split("=", 1)[1]
    raise AssertionError(f"{variable} not in {example}")


def test_the_placeholder_ca_passphrase_of_the_env_example_is_refused(tmp_path: Path) -> None:
    """A CA key encrypted with the published example passphrase protects nothing."""
    environ = {"MEETCOORD_CA_PASSPHRASE": _example_value("MEETCOORD_CA_PASSPHRASE")}
    with pytest.raises(ConfigError, match="MEETCOORD_CA_PASSPHRASE: still the placeholder"):
        load_config(environ=environ, instance_path=tmp_path)
    mine = {"MEETCOORD_CA_PASSPHRASE": "tenun ikat sumba barat daya"}
    assert load_config(environ=mine, instance_path=tmp_path)["CA_PASSPHRASE"] == (
        "tenun ikat sumba barat daya"
    )


def test_every_setting_of_the_env_example_loads_once_its_placeholders_are_filled(
    tmp_path: Path,
) -> None:
    """The example stays in step with what the service accepts (a renamed or mistyped
    variable would otherwise only fail on a real server)."""
    example = Path(__file__).resolve().parents[2] / "deploy" / "meetcoord.env.example"
    environ = {}
    for line in example.read_text().splitlines():
        if line and not line.startswith("#"):
            name, value = line.split("=", 1)
            environ[name] = value
    environ["MEETCOORD_SECRET_KEY"] = secrets.token_hex(32)
    environ["MEETCOORD_CA_PASSPHRASE"] = "tenun ikat sumba barat daya"
    environ["MEETCOORD_INSTANCE_PATH"] = str(tmp_path)
    config = load_config(environ=environ, instance_path=tmp_path)
    assert config["BASE_URL"] == "https://rapat.bappeda.ntbprov.go.id"
    assert config["CHECKIN_OPENS_BEFORE_MINUTES"] == 120


def test_the_placeholder_key_of_the_env_example_is_refused_at_start(tmp_path: Path) -> None:
    """Copying deploy/meetcoord.env.example without filling it in must not start."""
    environ = {"MEETCOORD_SECRET_KEY": _example_value("MEETCOORD_SECRET_KEY")}
    with pytest.raises(ConfigError, match="MEETCOORD_SECRET_KEY: looks like a placeholder"):
        load_config(environ=environ, instance_path=tmp_path)


@pytest.mark.parametrize(
    "key",
    [
        "k" * 40,
        "0123456789abcdef" * 2,
        "abcdefghijklmnopqrstuvwxyz0123456789",
        "abab" * 10,
        "your-secret-key-goes-here-0123456789",
        "REPLACE_WITH_64_RANDOM_HEX_CHARACTERS_PLEASE_OK",
        "Kunci-Rahasia-Default-Bappeda-NTB-2026",
        "1111111111111111111111111111111122222222",
    ],
)
def test_placeholder_or_patterned_secret_keys_are_refused(tmp_path: Path, key: str) -> None:
    with pytest.raises(ConfigError, match="MEETCOORD_SECRET_KEY") as caught:
        load_config(environ={"MEETCOORD_SECRET_KEY": key}, instance_path=tmp_path)
    assert "secrets.token_hex(32)" in str(caught.value)  # says how to make a good one


def test_random_keys_as_documented_are_accepted(tmp_path: Path) -> None:
    for key in [secrets.token_hex(32), secrets.token_hex(16), secrets.token_urlsafe(32)] * 50:
        config = load_config(environ={"MEETCOORD_SECRET_KEY": key}, instance_path=tmp_path)
        assert config["SECRET_KEY"] == key


def test_a_placeholder_written_into_the_instance_key_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("CHANGE-ME-64-hex-characters-from-secrets-token-hex")
    with pytest.raises(ConfigError, match="secret_key: looks like a placeholder"):
        load_config(environ={"MEETCOORD_ENV": "development"}, instance_path=tmp_path)


def png_header(path: Path, width: int, height: int) -> Path:
    """A PNG whose header declares ``width`` × ``height`` (all a reader looks at first)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b""))
    return path


def test_the_letterhead_logo_must_be_a_png_or_jpeg_of_sane_size(tmp_path: Path) -> None:
    from PIL import Image

    def load(path: Path) -> dict:
        return load_config(
            environ={"MEETCOORD_INSTITUTION_LOGO": str(path)}, instance_path=tmp_path
        )

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 300), "navy").save(logo)
    assert load(logo)["INSTITUTION_LOGO"] == str(logo)
    text = tmp_path / "bukan-logo.png"
    text.write_text("<html>bukan gambar</html>")
    with pytest.raises(ConfigError, match="not a PNG or JPEG"):
        load(text)
    for side in (5_000, 20_000):  # over the bound; a decompression bomb for Pillow
        with pytest.raises(ConfigError, match="too large; at most 4096 pixels"):
            load(png_header(tmp_path / f"raksasa-{side}.png", side, side))
