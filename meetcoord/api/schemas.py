"""Pieces every API endpoint shares: typed fields, list arguments, page envelopes, problems.

Schemas here declare *types* so the OpenAPI document is useful and a wrong type is refused
before any service runs; the domain rules (required values, lengths, known zones, unique
names) stay in the services, which give the same message whichever door a change comes
through. Marshmallow's own messages are English, so the fields below carry Indonesian
source strings (translated by the catalog) and render them in the reader's language when
the error is made, not when the module is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from flask_smorest.utils import prepare_response
from marshmallow import INCLUDE, RAISE, Schema, ValidationError, fields, validate
from webargs.flaskparser import FlaskParser, abort

from meetcoord.api.messages import localize
from meetcoord.core.errors import ServiceError
from meetcoord.core.problems import PROBLEM_TYPE
from meetcoord.core.validation import INT_MAX, INT_MIN

# --- fields with Indonesian messages ----------------------------------------------------

COMMON_MESSAGES: dict[str, Any] = {
    "required": _l("Wajib diisi."),
    "null": _l("Tidak boleh kosong (null)."),
    "validator_failed": _l("Nilai tidak valid."),
}


class IndonesianMessages:
    """Mixin: Indonesian defaults, formatted at error time so the request's locale applies."""

    default_error_messages: dict[str, Any] = COMMON_MESSAGES

    error_messages: dict[str, Any]

    def make_error(self, key: str, **kwargs: Any) -> ValidationError:
        return ValidationError(str(self.error_messages[key]).format(**kwargs))


class Text(IndonesianMessages, fields.String):
    default_error_messages = {
        **COMMON_MESSAGES,
        "invalid": _l("Harus berupa teks."),
        "invalid_utf8": _l("Bukan teks UTF-8 yang valid."),
    }


class Int(IndonesianMessages, fields.Integer):
    """Strict integer: ``"5"``, ``5.5`` and ``true`` are wrong types in JSON, not numbers.

    Every one is bounded to what an INTEGER column holds (documented as its minimum and
    maximum): an id of 2**63 is a 422 here, not an overflow in the database.
    """

    default_error_messages = {
        **COMMON_MESSAGES,
        "invalid": _l("Harus berupa bilangan bulat."),
        "too_large": _l("Angka terlalu besar."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strict", True)
        super().__init__(**kwargs)
        self.validators.append(
            validate.Range(min=INT_MIN, max=INT_MAX, error=_l("Harus antara {min} dan {max}."))
        )

    def _validated(self, value: Any) -> Any:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class QueryInt(Int):
    """Query strings are text by nature, so ``?page=2`` is accepted there."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["strict"] = False
        super().__init__(**kwargs)


class Bool(IndonesianMessages, fields.Boolean):
    default_error_messages = {**COMMON_MESSAGES, "invalid": _l("Harus true atau false.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("truthy", {True})
        kwargs.setdefault("falsy", {False})
        super().__init__(**kwargs)


class Day(IndonesianMessages, fields.Date):
    default_error_messages = {
        **COMMON_MESSAGES,
        "invalid": _l("Tanggal tidak valid; gunakan format TTTT-BB-HH."),
        "format": _l("Tanggal tidak bisa diformat."),
    }


class File(IndonesianMessages, Upload):
    """A multipart file part (documented as binary)."""


class ApiSchema(Schema):
    """Base for request and response bodies: unknown fields are refused, in Indonesian."""

    error_messages = {
        "unknown": _l("Kolom tidak dikenal."),
        "type": _l("Isi permintaan harus berupa objek JSON."),
    }


def choice_of(values: list[str], **kwargs: Any) -> Text:
    """A text field whose allowed values the document lists, checked by the service.

    The services also accept Indonesian aliases ("perempuan", "lsm"), so the schema only
    documents the canonical values instead of refusing the aliases itself.
    """
    metadata = dict(kwargs.pop("metadata", {}))
    metadata["enum"] = list(values) + ([None] if kwargs.get("allow_none") else [])
    return Text(metadata=metadata, **kwargs)


# --- lists -----------------------------------------------------------------------------


def _default_page_size() -> int:
    return int(current_app.config.get("PAGE_SIZE", 25))


class PageArgsSchema(ApiSchema):
    """Page and order: what every collection takes, a sub-collection's whole arguments
    (``api.lists.page_args_schema`` adds its sort)."""

    order = Text(
        load_default="asc",
        validate=validate.OneOf(["asc", "desc"], error=_l("Pilih asc atau desc.")),
    )
    page = QueryInt(load_default=1, validate=validate.Range(min=1, error=_l("Paling kecil 1.")))
    per_page = QueryInt(
        load_default=_default_page_size,
        validate=validate.Range(min=1, max=200, error=_l("Antara 1 dan 200.")),
        metadata={"description": "Banyak data per halaman (bawaan dari konfigurasi: 25)."},
    )


class ListArgsSchema(PageArgsSchema):
    """Search, sort and page for every list; features subclass it to add their filters."""

    q = Text(load_default="", metadata={"description": "Kata kunci pencarian (tanpa beda huruf)."})
    sort = Text(load_default="name", metadata={"description": "Kolom pengurutan."})


def list_args_schema(
    name: str, sorts: list[str], filters: Mapping[str, fields.Field] | None = None
) -> type[ListArgsSchema]:
    """A list-arguments schema whose ``sort`` names only columns the service can sort by."""
    attrs: dict[str, Any] = {
        "sort": Text(
            load_default="name",
            validate=validate.OneOf(sorts, error=_l("Kolom pengurutan tidak dikenal.")),
        ),
        **dict(filters or {}),
    }
    return type(f"{name}ListArgsSchema", (ListArgsSchema,), attrs)


_page_schemas: dict[type[Schema], type[Schema]] = {}


def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """``{items: [...], page, per_page, total, pages}`` around ``item_schema`` (one class each).

    Accepts a ``meetcoord.core.pagination.Page`` or a mapping with the same keys.
    """
    if item_schema not in _page_schemas:
        base = item_schema.__name__.removesuffix("Schema")
        _page_schemas[item_schema] = type(
            f"{base}PageSchema",
            (ApiSchema,),
            {
                "items": fields.List(fields.Nested(item_schema), required=True),
                "page": fields.Integer(required=True),
                "per_page": fields.Integer(required=True),
                "total": fields.Integer(required=True),
                "pages": fields.Integer(required=True),
            },
        )
    return _page_schemas[item_schema]


def query_params(**descriptions: str) -> list[dict[str, Any]]:
    """OpenAPI query parameters for an operation that reads ``request.args`` itself.

    Pass them as ``@blp.doc(parameters=query_params(lang="..."))``: an undeclared query
    parameter is refused app-wide (``api.hooks``), so a parameter read without a schema
    must still be declared, and is then documented too.
    """
    return [
        {
            "in": "query",
            "name": name,
            "required": False,
            "description": text,
            "schema": {"type": "string"},
        }
        for name, text in descriptions.items()
    ]


# --- problems --------------------------------------------------------------------------


class ProblemSchema(ApiSchema):
    """RFC 9457 ``application/problem+json``: the one error body of the whole API.

    Open to extension members (RFC 9457 §3.2), as the services add facts a client acts on
    (``rows`` of an import, ``duplicates``, ``version``): a client must not be told a
    problem with one of them breaks the document.
    """

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"example": "Unprocessable Content"})
    status = fields.Integer(required=True, metadata={"example": 422})
    code = fields.String(
        required=True,
        metadata={"description": "Kode mesin yang stabil.", "example": "validation_error"},
    )
    detail = fields.String(
        required=True, metadata={"description": "Pesan untuk manusia, dalam bahasa pembaca."}
    )
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={
            "description": "Pesan per kolom; baris impor CSV sebagai 'row N.kolom'.",
            "example": {"name": ["Wajib diisi."]},
        },
    )
    existing_id = fields.Integer(
        metadata={"description": "Pada 409 karena nama ganda: id data yang sudah ada."}
    )
    rows = fields.List(
        fields.Dict(),
        metadata={
            "description": "Pada 422 impor: masalah per baris (line, column, value, message)."
        },
    )
    duplicates = fields.List(
        fields.Dict(),
        metadata={"description": "Pada 409 impor: baris yang mirip data lain, untuk diputuskan."},
    )


PROBLEM_DESCRIPTIONS: dict[int, str] = {
    400: "Permintaan tidak valid (misalnya JSON rusak atau token CSRF tidak ada).",
    401: "Autentikasi diperlukan (Bearer token atau sesi).",
    403: "Peran pengguna tidak berhak melakukan perubahan ini.",
    404: "Data tidak ditemukan.",
    409: "Bentrok dengan data lain: duplikat, atau masih dirujuk data lain.",
    412: "If-Match tidak cocok dengan ETag sekarang: data sudah berubah; tidak ada yang diubah.",
    413: "Berkas terlalu besar.",
    415: "Format isi tidak didukung (misalnya form-encoded ke operasi JSON).",
    422: "Data tidak valid; `errors` memetakan kolom ke pesannya.",
    503: "Layanan tidak tersedia untuk sementara (sibuk, atau belum disiapkan di server ini; "
    "`code` dan `detail` menyebut sebabnya). Tidak ada yang diubah.",
}


def problems(blp: Blueprint, *codes: int) -> Callable[[Any], Any]:
    """Document each status in ``codes`` as an ``application/problem+json`` response."""

    def decorator(func: Any) -> Any:
        for code in codes:
            func = blp.alt_response(
                code,
                schema=ProblemSchema,
                content_type=PROBLEM_TYPE,
                description=PROBLEM_DESCRIPTIONS.get(code),
            )(func)
        return func

    return decorator


# --- domain checks beside the schema ---------------------------------------------------

# ``check(data, partial)`` raises ``core.errors.ValidationError`` with its field map; the
# services run the same checks (their ``clean_*`` functions) when the schema passes.
DomainCheck = Callable[[Mapping[str, Any], bool], None]
_domain_checks: dict[type[Schema], DomainCheck] = {}


def domain_check(schema: type[Schema], check: DomainCheck) -> None:
    """Have ``schema``'s refusals also name what the domain rules refuse.

    A client fixing a request wants every problem at once: when the schema refuses some
    fields, ``check`` still runs on the fields that parsed and its messages join the same
    422 ``errors`` map (a field the schema already refused keeps the schema's message).
    Subclasses (the PATCH schemas) inherit the check, run as partial.
    """
    _domain_checks[schema] = check


def _check_for(schema: Schema) -> DomainCheck | None:
    for cls in type(schema).__mro__:
        check = _domain_checks.get(cls)  # type: ignore[arg-type]
        if check is not None:
            return check
    return None


def _domain_errors(schema: Schema, error: ValidationError, refused: Mapping[str, Any]) -> dict:
    check = _check_for(schema)
    parsed = error.valid_data
    if check is None or not isinstance(parsed, Mapping):
        return {}
    try:
        check(parsed, bool(schema.partial))
    except ServiceError as exc:
        return {
            key: [str(m) for m in messages]
            for key, messages in exc.errors.items()
            if key not in refused
        }
    return {}


class _Parser(FlaskParser):
    """webargs' parser: an unknown query parameter is refused (not silently dropped), the
    messages are in the reader's language, and schema and domain errors come together."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE}

    def _handle_invalid_json_error(
        self, error: Exception, req: Any, *args: Any, **kwargs: Any
    ) -> NoReturn:
        abort(400, exc=error, messages={"json": [str(_l("Isi permintaan bukan JSON yang valid."))]})

    def handle_error(
        self,
        error: ValidationError,
        req: Any,
        schema: Schema,
        *,
        error_status_code: int | None,
        error_headers: Mapping[str, str] | None,
    ) -> NoReturn:
        messages = localize(error.messages)
        if isinstance(messages, dict) and isinstance(messages.get("json"), dict):
            body = messages["json"]
            messages["json"] = {**_domain_errors(schema, error, body), **body}
        abort(
            error_status_code or self.DEFAULT_VALIDATION_STATUS,
            exc=error,
            messages=messages,
            schema=schema,
            headers=error_headers,
        )


class ApiBlueprint(Blueprint):
    """A flask-smorest blueprint that speaks problems in the document and in Indonesian.

    flask-smorest documents a ``default`` error with its own JSON ``Error`` schema; our
    errors never take that shape, so the document would lie. This swaps it for ours.
    """

    ARGUMENTS_PARSER = _Parser()

    @staticmethod
    def _prepare_response_doc(
        doc: dict[str, Any], doc_info: dict[str, Any], *, api: Any, spec: Any, **kwargs: Any
    ) -> dict[str, Any]:
        doc = Blueprint._prepare_response_doc(doc, doc_info, api=api, spec=spec, **kwargs)
        responses = doc.get("responses")
        if responses is not None and "default" in responses:
            default: dict[str, Any] = {
                "description": "Kesalahan lain, dalam format yang sama.",
                "schema": ProblemSchema,
            }
            prepare_response(default, spec, PROBLEM_TYPE)
            responses["default"] = default
        return doc


def load_json(schema: Schema) -> dict[str, Any]:
    """The request's JSON body loaded by ``schema``, as an API endpoint's arguments are.

    For a JSON view outside the API (the desk's page posting a scan) that must refuse
    what the API refuses with the same 400 or 422 problem: the same parser, the same
    messages, the same ``errors`` map.
    """
    return ApiBlueprint.ARGUMENTS_PARSER.parse(schema, location="json")
