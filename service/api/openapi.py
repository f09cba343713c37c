"""OpenAPI details Litestar cannot infer: bodies that are JSON *or* text, problem responses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIResponse,
    Operation,
    Reference,
    RequestBody,
    Schema,
)
from litestar.openapi.spec import (
    OpenAPIMediaType as MediaType,
)
from litestar.openapi.spec.enums import OpenAPIType

from service.api.problems import MEDIA_TYPE as PROBLEM_MEDIA_TYPE
from service.schemas import ArticleIn, ExtractIn, Problem

_REF = "#/components/schemas/{name}"


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


def components() -> Components:
    _, defs = msgspec.json.schema_components([ArticleIn, ExtractIn, Problem], ref_template=_REF)
    return Components(schemas={name: _to_schema(s) for name, s in defs.items()})  # type: ignore[misc]


def _raw_text() -> MediaType:
    return MediaType(
        schema=Schema(
            type=OpenAPIType.STRING,
            description="Raw wire format: `date YYYY-MM-DD <body> (outlet.tld)`; both optional.",
        )
    )


def _ref(name: str) -> Reference:
    return Reference(ref=_REF.format(name=name))


@dataclass
class SubmitArticleOperation(Operation):
    def __post_init__(self) -> None:
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
        array = Schema(type=OpenAPIType.ARRAY, items=_ref("ArticleIn"), max_items=1000)
        self.request_body = RequestBody(
            required=True,
            content={
                "application/json": MediaType(schema=array),
                "application/x-ndjson": MediaType(
                    schema=Schema(
                        type=OpenAPIType.STRING, description="One ArticleIn JSON object a line."
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
    for path, item in (openapi.paths or {}).items():
        for method in ("get", "put", "post", "delete", "patch"):
            operation: Operation | None = getattr(item, method, None)
            if operation is None:
                continue
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
