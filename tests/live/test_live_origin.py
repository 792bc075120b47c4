"""Who may open a socket to the service, and how large a message may be (issue 11, point 5).

Socket.IO accepted any ``Origin`` (``cors_allowed_origins=[]`` switched Engine.IO's check
off), so any web page a participant visited could open the live room in their name. Now
only the service's own origin: ``MEETCOORD_BASE_URL``'s, or the request's own host as the
trusted proxies (``MEETCOORD_PROXY_COUNT``) forwarded it. Clients that send no Origin (the
Python client, the benchmarks' Node client) are not browsers and connect.
"""

from __future__ import annotations

from typing import Any

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def environ(host: str = "rapat.example.go.id", scheme: str = "http", **headers: str) -> dict:
    env = {"HTTP_HOST": host, "wsgi.url_scheme": scheme}
    env.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    return env


def test_origin_policy_allows_the_services_own_origin_only() -> None:
    from meetcoord.core.sockets import origin_policy

    allowed = origin_policy("https://rapat.example.go.id", 0)
    assert allowed(None, environ())  # no Origin: not a browser
    assert allowed("https://rapat.example.go.id", environ())  # MEETCOORD_BASE_URL
    assert allowed("HTTPS://Rapat.Example.go.id:443", environ())  # the same, spelt otherwise
    assert allowed("http://rapat.example.go.id", environ())  # the request's own host
    assert allowed("http://10.0.0.5:5000", environ("10.0.0.5:5000"))
    for origin in (
        "https://evil.example",
        "https://rapat.example.go.id.evil.example",
        "https://rapat.example.go.id:8443",
        "http://10.0.0.5:5001",
        "null",
        "file://",
        "javascript:alert(1)",
    ):
        assert not allowed(origin, environ("10.0.0.5:5000")), origin


def test_forwarded_headers_count_only_behind_trusted_proxies() -> None:
    """nginx (deploy/nginx.conf) passes Host and sets X-Forwarded-Proto; TLS ends there."""
    from meetcoord.core.sockets import origin_policy

    behind = environ("rapat.internal:5000", **{"X_FORWARDED_PROTO": "https"})
    forged = environ(
        "10.0.0.5:5000",
        **{"X_FORWARDED_HOST": "evil.example", "X_FORWARDED_PROTO": "https"},
    )
    direct = origin_policy("http://10.0.0.5:5000", 0)
    assert not direct("https://rapat.internal:5000", behind)
    assert not direct("https://evil.example", forged)  # nobody vouches for those headers
    one_proxy = origin_policy("http://127.0.0.1:5000", 1)
    assert one_proxy("https://rapat.internal:5000", behind)
    proxied = environ(
        "127.0.0.1:5000",
        **{"X_FORWARDED_HOST": "evil.example, rapat.example.go.id", "X_FORWARDED_PROTO": "https"},
    )
    # The last value is the one our proxy wrote; what the client sent before it is not.
    assert one_proxy("https://rapat.example.go.id", proxied)
    assert not one_proxy("https://evil.example", proxied)


def test_a_browser_on_another_site_cannot_open_a_socket(client: Any, app: Any) -> None:
    refused = client.get(HANDSHAKE, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 400
    assert b"Not an accepted origin" in refused.data
    own = client.get(HANDSHAKE, headers={"Origin": "http://localhost"})  # the test host
    assert own.status_code == 200, own.data
    assert own.headers["Access-Control-Allow-Origin"] == "http://localhost"
    base = client.get(HANDSHAKE, headers={"Origin": app.config["BASE_URL"]})
    assert base.status_code == 200, base.data
    assert client.get(HANDSHAKE).status_code == 200  # no Origin: a script or a server


def test_messages_are_bounded_by_the_transport(app: Any) -> None:
    """Above this bound a frame is refused before it is parsed (websocket close 1009,
    polling 413); below it the command's schema answers (see test_live_server)."""
    from meetcoord.core.sockets import MAX_MESSAGE_BYTES
    from meetcoord.extensions import socketio

    assert socketio.server.eio.max_http_buffer_size == MAX_MESSAGE_BYTES
    assert 300_000 < MAX_MESSAGE_BYTES < 1_000_000  # the longest notes fit; 1 MB does not
