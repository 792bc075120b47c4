"""``Idempotency-Key``: a POST sent again after a lost answer creates nothing twice.

The client names its attempt with a key. The first request with it runs and, when it
succeeds (2xx), its answer (status, body, ``Location``) is kept for 24 hours; the same
key with the same request (actor, method, path and body) answers that first response
without running the handler again; the same key with another request is a 422; the
same key while the first is still running is a 409. An error is not kept: a retry of a
refused request is judged again, on the data as it is then.

The key is claimed by inserting its row before the handler runs, so two concurrent
requests cannot both run: the unique (actor, key) lets only one insert.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from flask import Response, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from meetcoord.api.models import IdempotencyKey
from meetcoord.core.db import utcnow
from meetcoord.core.problems import problem_response
from meetcoord.extensions import db

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
KEPT_FOR = timedelta(hours=24)
# A claim whose request never finished (the process died) is released after this.
ABANDONED_AFTER = timedelta(minutes=10)
PURGE_BATCH = 500
# Headers of the first answer that a replay repeats.
REPLAYED_HEADERS = ("Location", "Content-Type")

_G_KEY = "idempotency_key_id"


def _sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def _actor() -> str:
    """Who the key belongs to: the account, or (no account: a personal link) a hash of
    the path holding the link's token and the caller's address, never the secret."""
    if getattr(current_user, "is_authenticated", False):
        return f"user:{current_user.id}"
    return "anon:" + _sha256(f"{request.path}\n{request.remote_addr}")


def _bad_key() -> Response:
    return problem_response(
        400,
        "bad_idempotency_key",
        _l("Header Idempotency-Key tidak valid."),
        errors={HEADER: [_l("Isi 1 sampai 255 karakter ASCII yang terlihat (misalnya UUID).")]},
    )


def _valid(key: str) -> bool:
    return 0 < len(key) <= MAX_LENGTH and key.isascii() and key.isprintable()


def _replay(row: IdempotencyKey) -> Response:
    response = Response(row.response_body or "", status=row.status)
    for name, value in (row.response_headers or {}).items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    return response


def begin() -> Response | None:
    """Before the handler: claim the key, or answer from the first request."""
    if request.method != "POST" or HEADER not in request.headers:
        return None
    key = request.headers[HEADER]
    if not _valid(key):
        return _bad_key()
    actor = _actor()
    path_hash = _sha256(request.path)
    body_hash = _sha256(request.get_data(cache=True))
    now = utcnow()
    row = db.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.actor == actor, IdempotencyKey.key == key)
    )
    if row is not None:
        expired = row.created_at < now - KEPT_FOR
        abandoned = row.status is None and row.created_at < now - ABANDONED_AFTER
        if not (expired or abandoned):
            return _answer(row, path_hash, body_hash)
        db.session.delete(row)
        db.session.flush()
    claim = IdempotencyKey(
        actor=actor,
        key=key,
        method=request.method,
        path_sha256=path_hash,
        body_sha256=body_hash,
        created_at=now,
    )
    db.session.add(claim)
    try:
        db.session.commit()
    except IntegrityError:  # claimed by a concurrent request a moment ago
        db.session.rollback()
        return _in_flight()
    g.setdefault(_G_KEY, claim.id)
    return None


def _answer(row: IdempotencyKey, path_hash: str, body_hash: str) -> Response:
    if row.status is None:  # the first is still running: whatever this one is, wait
        return _in_flight()
    same = (row.method, row.path_sha256, row.body_sha256) == (
        request.method,
        path_hash,
        body_hash,
    )
    if not same:
        return problem_response(
            422,
            "idempotency_key_reused",
            _l("Idempotency-Key ini sudah dipakai untuk permintaan lain; pakai kunci baru."),
            errors={HEADER: [_l("Sudah dipakai dengan isi atau alamat yang berbeda.")]},
        )
    return _replay(row)


def _in_flight() -> Response:
    return problem_response(
        409,
        "idempotency_key_in_use",
        _l("Permintaan dengan Idempotency-Key ini masih diproses; coba lagi sebentar lagi."),
        errors={HEADER: [_l("Masih diproses.")]},
        headers={"Retry-After": "1"},
    )


def _storable(response: Response) -> bool:
    if not 200 <= response.status_code < 300 or response.direct_passthrough:
        return False
    if response.is_streamed:
        return False
    mimetype = response.mimetype or ""
    return response.status_code == 204 or mimetype.endswith("json") or mimetype.startswith("text/")


def finish(response: Response) -> Response:
    """After the handler: keep a successful answer; release the key after an error."""
    claim_id = g.pop(_G_KEY, None)
    if claim_id is None:
        return response
    if _storable(response):
        claim = db.session.get(IdempotencyKey, claim_id)
        if claim is not None:
            claim.status = response.status_code
            claim.response_body = response.get_data(as_text=True)
            claim.response_headers = {
                name: response.headers[name]
                for name in REPLAYED_HEADERS
                if name in response.headers
            }
    else:
        # The refused request's half-done work must not be committed with the release.
        db.session.rollback()
        db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == claim_id))
    db.session.commit()
    return response


def purge_expired(limit: int = PURGE_BATCH) -> int:
    """Worker job: forget up to ``limit`` keys older than 24 hours; returns how many."""
    cutoff = utcnow() - KEPT_FOR
    ids = db.session.scalars(
        select(IdempotencyKey.id).where(IdempotencyKey.created_at < cutoff).limit(limit)
    ).all()
    if ids:
        db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id.in_(ids)))
    db.session.commit()
    return len(ids)


def describe() -> dict[str, Any]:
    """The header as an OpenAPI parameter, added to every POST operation."""
    return {
        "name": HEADER,
        "in": "header",
        "required": False,
        "description": "Kunci unik per percobaan (misalnya UUID). Permintaan yang sama "
        "dengan kunci yang sama dalam 24 jam menjawab jawaban pertama tanpa membuat data "
        "lagi; kunci yang sama dengan isi lain: 422; masih diproses: 409.",
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH},
    }
