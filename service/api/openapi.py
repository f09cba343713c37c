"""OpenAPI details Litestar cannot infer, so the document tells the truth about what the server
accepts: request bodies that are JSON *or* text, the checks made in code (blank text, NUL
characters, language), cursor grammars, public operations, problem responses.

``complete`` runs once on the built document (it is cached, so the served and the exported
document are the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.openapi.spec import (
    OpenAPI,
    OpenAPIResponse,
    Operation,
    Parameter,
    Reference,
    RequestBody,
    Schema,
)
from litestar.openapi.spec import (
    OpenAPIMediaType as MediaType,
)
from litestar.openapi.spec.enums import OpenAPIType

from service.api.problems import MEDIA_TYPE as PROBLEM_MEDIA_TYPE
from service.schemas import NO_NUL, TEXT_PATTERN, ArticleIn, ExtractIn, Problem
from service.store import cursor

_REF = "#/components/schemas/{name}"
MAX_TEXT = 2 * 1024 * 1024  # NEWSMETA_MAX_ARTICLE_BYTES' default, in bytes of UTF-8

# The list behind each operation's ``cursor`` (and ``after``) parameter: its grammar is
# ``cursor.pattern(kind)``.
CURSOR_KINDS = {
    "/v1/articles": "articles",
    "/v1/articles/{article_id}/entities": "entities",
    "/v1/articles/{article_id}/events": "events",
    "/v1/articles/{article_id}/sources": "sources",
    "/v1/entities": "registry",
    "/v1/entities/{entity_id}/articles": "entity-articles",
    "/v1/entities/{entity_id}/events": "corpus-events",
    "/v1/entities/{entity_id}/quotes": "quotes",
    "/v1/events": "corpus-events",
    "/v1/sources": "ranking",
    "/v1/webhooks": "webhooks",
    "/v1/webhooks/{webhook_id}/deliveries": "deliveries",
    "/v1/changes": "changes",
}
PUBLIC_PREFIXES = ("/health/", "/metrics", "/schema")
CURSORS = ("cursor", "after")
STRICT_BODIES = ("MergeIn", "SplitIn", "WebhookIn")


def _to_schema(value: Any) -> Schema | Reference:
    """A JSON-schema dict (from msgspec) as Litestar's spec objects."""
    if "$ref" in value:
        return Reference(ref=value["$ref"])
    kwargs: dict[str, Any] = {}
    for key, item in value.items():
        if key == "type":
            kwargs["type"] = OpenAPIType(item)
        elif key == "properties":
            kwargs["properties"] = {k: _to_schema(v) for k, v in item.items()}
        elif key == "items":
            kwargs["items"] = _to_schema(item)
        elif key in ("anyOf", "oneOf", "allOf"):
            kwargs[{"anyOf": "any_of", "oneOf": "one_of", "allOf": "all_of"}[key]] = [
                _to_schema(v) for v in item
            ]
        elif key in ("required", "title", "description", "format", "pattern", "enum", "default"):
            kwargs[key] = item
        elif key in ("minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems"):
            snake = "".join("_" + c.lower() if c.isupper() else c for c in key)
            kwargs[snake] = item
        elif key == "additionalProperties":
            kwargs["additional_properties"] = item if isinstance(item, bool) else _to_schema(item)
    return Schema(**kwargs)


def text_schema(description: str) -> Schema:
    return Schema(
        type=OpenAPIType.STRING,
        min_length=1,
        max_length=MAX_TEXT,
        pattern=TEXT_PATTERN,
        description=description,
    )


def _optional(schema: Schema) -> Schema:
    return Schema(one_of=[schema, Schema(type=OpenAPIType.NULL)])


def _input_schemas() -> dict[str, Schema]:
    """``ArticleIn`` and ``ExtractIn``, with the checks ``bodies.py`` makes in code."""
    _, defs = msgspec.json.schema_components([ArticleIn, ExtractIn], ref_template=_REF)
    out: dict[str, Schema] = {}
    for name, raw in defs.items():
        schema = _to_schema(raw)
        assert isinstance(schema, Schema) and schema.properties is not None
        props = schema.properties
        props["text"] = text_schema(
            "The article. Not blank, no U+0000, at most NEWSMETA_MAX_ARTICLE_BYTES (default "
            "2 MiB) of UTF-8 (413 beyond). A raw-format header (`date YYYY-MM-DD`) and "
            "trailer (`(outlet.tld)`) fill `published_at` and `outlet` when those are absent."
        )
        props["language"] = Schema(
            type=OpenAPIType.STRING, enum=["ru"], default="ru", description="Only `ru` for now."
        )
        # No U+0000 in any string of a JSON body (bodies.py refuses it: Postgres text cannot
        # hold it, and extract answers with the same policy as submission).
        for field in ("title", "url", "outlet", "external_id"):
            if field in props:
                length = 512 if field == "external_id" else 2048
                props[field] = _optional(
                    Schema(
                        type=OpenAPIType.STRING,
                        min_length=1,
                        max_length=length,
                        pattern=NO_NUL,
                    )
                )
        out[name] = schema
    return out


def _raw_text() -> MediaType:
    return MediaType(
        schema=text_schema(
            "Raw wire format, UTF-8: `date YYYY-MM-DD <body> (outlet.tld)`; header and "
            "trailer optional. Not blank, no U+0000."
        )
    )


def _ref(name: str) -> Reference:
    return Reference(ref=_REF.format(name=name))


def _prefer() -> Parameter:
    return Parameter(
        name="Prefer",
        param_in="header",
        required=False,
        schema=Schema(type=OpenAPIType.STRING),
        description=(
            "`wait=N` (seconds, at most 30): answer once extraction finished or N seconds "
            "passed (RFC 7240; `Preference-Applied` echoes it). Other preferences are ignored."
        ),
    )


@dataclass
class SubmitArticleOperation(Operation):
    def __post_init__(self) -> None:
        self.parameters = [*(self.parameters or []), _prefer()]
        self.request_body = RequestBody(
            required=True,
            content={
                "application/json": MediaType(schema=_ref("ArticleIn")),
                "text/plain": _raw_text(),
            },
        )
        accepted = (self.responses or {}).get("202")
        if isinstance(accepted, OpenAPIResponse):
            # The same body: 200 for a text or external_id already known, 201 when
            # `Prefer: wait` saw a new article finish.
            self.responses = {
                **(self.responses or {}),
                "200": OpenAPIResponse(
                    "The article already existed.", accepted.headers, accepted.content
                ),
                "201": OpenAPIResponse(
                    "Created and finished within `Prefer: wait`.",
                    accepted.headers,
                    accepted.content,
                ),
            }


@dataclass
class BatchOperation(Operation):
    def __post_init__(self) -> None:
        # Each item is checked alone: one that is no ArticleIn gets its own 4xx result.
        item = Schema(any_of=[_ref("ArticleIn"), Schema(description="Rejected in its result.")])
        array = Schema(type=OpenAPIType.ARRAY, items=item, min_items=1, max_items=1000)
        self.request_body = RequestBody(
            required=True,
            content={
                "application/json": MediaType(schema=array),
                "application/x-ndjson": MediaType(
                    schema=Schema(
                        type=OpenAPIType.STRING,
                        # at least one line that is not blank (ASCII white space)
                        pattern=r"[^\t\n\u000b\u000c\r ]",
                        description="One ArticleIn JSON object a line (1 to 1,000 lines); a "
                        "line that is no ArticleIn gets its own 4xx result.",
                    )
                ),
            },
        )


@dataclass
class ExtractOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                "application/json": MediaType(schema=_ref("ExtractIn")),
                "text/plain": _raw_text(),
            },
        )


def _operations(openapi: OpenAPI) -> list[tuple[str, str, Operation]]:
    found = []
    for path, item in (openapi.paths or {}).items():
        for method in ("get", "put", "post", "delete", "patch"):
            operation: Operation | None = getattr(item, method, None)
            if operation is not None:
                found.append((path, method, operation))
    return found


def _document_cursors(path: str, operation: Operation) -> None:
    kind = CURSOR_KINDS.get(path)
    for param in operation.parameters or []:
        if kind is None or not isinstance(param, Parameter) or param.name not in CURSORS:
            continue
        if kind == "changes":
            description = (
                "`cursor` of the previous response."
                if param.name == "after"
                else "Alias of `after` (which wins if both are given)."
            )
        else:
            description = "`next_cursor` of the previous page."
        param.description = description
        param.schema = Schema(
            type=OpenAPIType.STRING,
            pattern=cursor.pattern(kind),
            max_length=cursor.max_length(kind),
            description=description
            + " An opaque token: pass it back exactly as returned (any other value is a 400).",
        )


def _document_no_nul(operation: Operation, names: tuple[str, ...]) -> None:
    for param in operation.parameters or []:
        if isinstance(param, Parameter) and param.name in names:
            schema = param.schema if isinstance(param.schema, Schema) else Schema()
            param.schema = Schema(
                type=OpenAPIType.STRING,
                pattern=NO_NUL,
                max_length=schema.max_length,
                min_length=schema.min_length,
                description=schema.description,
            )


def complete(openapi: OpenAPI) -> None:
    """Everything the generated document lacks; see the module docstring."""
    components = openapi.components
    schemas = components.schemas if components.schemas is not None else {}
    schemas.update(_input_schemas())
    problem = msgspec.json.schema_components([Problem], ref_template=_REF)[1]
    for name, raw in problem.items():
        schemas.setdefault(name, _to_schema(raw))  # type: ignore[arg-type]
    for name in STRICT_BODIES:  # msgspec's forbid_unknown_fields, which Litestar omits
        strict = schemas.get(name)
        if isinstance(strict, Schema):
            strict.additional_properties = False
    split = schemas.get("SplitIn")
    if isinstance(split, Schema) and split.properties:
        names = split.properties["names"]
        if isinstance(names, Schema):
            names.items = Schema(
                type=OpenAPIType.STRING, min_length=1, max_length=512, pattern=NO_NUL
            )
    components.schemas = schemas
    for path, _, operation in _operations(openapi):
        if path.startswith(PUBLIC_PREFIXES):
            operation.security = []
        _document_cursors(path, operation)
        if path == "/v1/articles":
            _document_no_nul(operation, ("outlet", "q"))
        elif path == "/v1/entities":
            _document_no_nul(operation, ("q",))
    document_problems(openapi)


def document_problems(openapi: OpenAPI) -> None:
    """Errors as they are sent: ``application/problem+json`` ``Problem`` documents.

    Litestar documents only a ``400`` with its own JSON shape; every ``/v1`` operation
    really answers errors (400, 401, 403, 404, 413, 415, 422, 429, 503 …) as problem
    documents, so each gets those under ``400`` and ``default``. ``/health/ready`` answers
    ``503`` with the same ``Health`` document as its ``200``.
    """
    problem = OpenAPIResponse(
        description="An RFC 9457 problem document (any 4xx or 5xx).",
        content={PROBLEM_MEDIA_TYPE: MediaType(schema=_ref("Problem"))},
    )
    for path, _, operation in _operations(openapi):
        responses = operation.responses if operation.responses is not None else {}
        if path.startswith("/v1/"):
            responses["400"] = problem
            responses["default"] = problem
        elif path == "/health/ready" and "200" in responses:
            ok = responses["200"]
            if isinstance(ok, OpenAPIResponse):
                responses["503"] = OpenAPIResponse(
                    description="The database does not answer.", content=ok.content
                )
        operation.responses = responses
