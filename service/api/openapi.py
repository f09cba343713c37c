"""OpenAPI details Litestar cannot infer: bodies that are JSON *or* text, problem responses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.openapi.spec import (
    Components,
    Operation,
    Reference,
    RequestBody,
    Schema,
)
from litestar.openapi.spec import (
    OpenAPIMediaType as MediaType,
)
from litestar.openapi.spec.enums import OpenAPIType

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
