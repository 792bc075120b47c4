"""gzip and brotli for dynamic responses (pages, JSON), negotiated by ``Accept-Encoding``.

A personal page is 45 KB of HTML over a 400 kbps link; compressed it is a fifth of that.
Flask-Compress (maintained) does the negotiation and ``Vary: Accept-Encoding``. Left alone:
static files (``core.static_files`` sends bytes compressed once at build), streamed
responses (compressing would buffer them), and downloads that are compressed already
(PDF, XLSX, DOCX, PNG: not in the list of types). Socket.IO and engine.io never reach Flask's
response hooks (python-socketio answers them in its WSGI middleware).
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

MIMETYPES = (
    "text/html",
    "application/json",
    "application/problem+json",
    "text/css",
    "text/javascript",
    "application/javascript",
    "image/svg+xml",
)


def init_compression(app: Flask) -> None:
    """Compress dynamic text responses: brotli (quality 4: cheap on the request path), gzip."""
    app.config.setdefault("COMPRESS_MIMETYPES", list(MIMETYPES))
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    Compress(app)
