"""The document says what the request hooks do, for every operation of every feature.

An apispec plugin, run as each path is added: it documents the 400 an unknown query
parameter gets, the 415 of a body in another format, ``Idempotency-Key`` on each POST,
``ETag``/``If-None-Match`` on reads and ``If-Match``/412 on changes (``api.hooks`` and
``api.idempotency`` make them true at run time), marks the operations of blueprints whose
credential is in the URL as needing no security scheme, and gives the problem body its
example.
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin

from meetcoord.api.idempotency import describe as idempotency_parameter
from meetcoord.core.problems import PROBLEM_TYPE

PUBLIC: list[dict[str, Any]] = [{}]  # OpenAPI: no security scheme (the URL holds it)
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

DESCRIPTIONS = {
    400: "Permintaan tidak valid: parameter kueri tidak dikenal, JSON rusak, atau header "
    "Idempotency-Key tidak valid.",
    401: "Autentikasi diperlukan (Bearer token atau sesi).",
    409: "Bentrok: duplikat (dengan `existing_id` dan `Location`), atau Idempotency-Key yang "
    "sama masih diproses.",
    412: "If-Match tidak cocok dengan ETag sekarang: data sudah berubah; tidak ada yang diubah.",
    415: "Format isi tidak didukung (misalnya form-encoded ke operasi JSON).",
    422: "Data tidak valid (skema dan aturan sekaligus), atau Idempotency-Key dipakai ulang "
    "dengan isi lain.",
}

PROBLEM_EXAMPLE = {
    "type": "about:blank",
    "title": "Unprocessable Content",
    "status": 422,
    "code": "validation_error",
    "detail": "Data yang dikirim tidak valid.",
    "errors": {"name": ["Wajib diisi."], "email": ["Alamat e-mail tidak valid."]},
}

ETAG_HEADER = {
    "description": "Versi representasi (hash); kirim kembali dalam If-Match / If-None-Match.",
    "schema": {"type": "string"},
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "ETag dari GET terakhir; bila data sudah berubah sejak itu: 412.",
    "schema": {"type": "string"},
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "ETag yang sudah dimiliki; bila masih sama: 304 tanpa isi.",
    "schema": {"type": "string"},
}


def _problem(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[status],
        "content": {PROBLEM_TYPE: {"schema": dict(PROBLEM_REF)}},
    }


def _add_response(op: dict[str, Any], status: int, response: dict[str, Any]) -> None:
    responses = op.setdefault("responses", {})
    if status not in responses and str(status) not in responses:
        responses[str(status)] = response


def _add_parameter(op: dict[str, Any], parameter: dict[str, Any]) -> None:
    parameters = op.setdefault("parameters", [])
    taken = {(p.get("in"), p.get("name")) for p in parameters if isinstance(p, dict)}
    if (parameter["in"], parameter["name"]) not in taken:
        parameters.append(dict(parameter))


def _success(op: dict[str, Any], status: int) -> dict[str, Any] | None:
    responses = op.get("responses", {})
    return responses.get(status) or responses.get(str(status))


def _has_body(op: dict[str, Any]) -> bool:
    return "requestBody" in op


class RequestRulesPlugin(BasePlugin):
    """Documents the app-wide request rules on each operation as it is added."""

    def __init__(self) -> None:
        self.public = False  # set while a public blueprint is registered

    def schema_helper(self, name: str, definition: Any, **kwargs: Any) -> dict[str, Any] | None:
        if name == "Problem":
            return {"example": PROBLEM_EXAMPLE}
        return None

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        for method, op in (operations or {}).items():
            if not isinstance(op, dict) or method.startswith("x-") or method == "parameters":
                continue
            self._document(method, op)

    def _document(self, method: str, op: dict[str, Any]) -> None:
        if self.public:
            op.setdefault("security", PUBLIC)
        else:
            _add_response(op, 401, _problem(401))
        _add_response(op, 400, _problem(400))  # an unknown query parameter
        if _has_body(op):
            _add_response(op, 415, _problem(415))
            _add_response(op, 422, _problem(422))
        if method == "post":
            _add_parameter(op, idempotency_parameter())
            _add_response(op, 409, _problem(409))
            _add_response(op, 422, _problem(422))
        if method in ("patch", "put", "delete"):
            _add_parameter(op, IF_MATCH)
            _add_response(op, 412, _problem(412))
        ok = _success(op, 200)
        if ok is not None and "application/json" not in ok.get("content", {}):
            ok = None  # a file download: no ETag (api.hooks tags JSON only)
        if method in ("get", "patch", "put") and ok is not None:
            ok.setdefault("headers", {}).setdefault("ETag", dict(ETAG_HEADER))
        if method == "get" and ok is not None:
            _add_parameter(op, IF_NONE_MATCH)
            _add_response(op, 304, {"description": "Tidak berubah sejak ETag yang dikirim."})
