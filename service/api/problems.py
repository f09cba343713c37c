"""Every error is RFC 9457 ``application/problem+json``: type, title, status, detail."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

import asyncpg
import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

from service.schemas import FieldError, Problem
from service.store.cursor import CursorError

log = structlog.get_logger("newsmeta.api")
MEDIA_TYPE = "application/problem+json"

_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "rate-limited",
    500: "internal-error",
    503: "unavailable",
}


def problem_type(status: int) -> str:
    return f"urn:newsmeta:problem:{_SLUGS.get(status, str(status))}"


class ProblemError(Exception):
    """Raised by handlers to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.problem = Problem(
            type=problem_type(status),
            title=title or HTTPStatus(status).phrase,
            status=status,
            detail=detail,
            errors=errors,
        )
        self.headers = headers or {}


_NAMED_FIELD = re.compile(r"Object (?:missing required|contains unknown) field `([^`]+)`")
SCHEMA_TITLE = "The request does not match the schema"


def _field_of(error: str, where: str) -> tuple[str, str]:
    """(field, message) of a msgspec message: 'Expected `str`, got `int` - at `$.text`' names
    the field in the path, 'Object missing required field `text`' in the message."""
    message, _, path = error.partition(" - at `")
    field = re.sub(r"\[(\d+)\]", r".\1", path.rstrip("`").removeprefix("$")).strip(".")
    named = _NAMED_FIELD.match(message)
    if named:
        field = f"{field}.{named[1]}" if field else named[1]
    return field or where, message


def validation_problem(exc: msgspec.ValidationError, where: str = "body") -> ProblemError:
    field, message = _field_of(str(exc), where)
    return ProblemError(
        422,
        f"{field}: {message}",
        title=SCHEMA_TITLE,
        errors=[FieldError(field=field, message=message)],
    )


def field_problem(field: str, detail: str) -> ProblemError:
    """A 422 about one field that the schema alone cannot check (NUL, language, blank)."""
    return ProblemError(
        422, detail, title=SCHEMA_TITLE, errors=[FieldError(field=field, message=detail)]
    )


def _response(problem: Problem, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        msgspec.json.encode(problem),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def _on_problem(_: Request[Any, Any, Any], exc: ProblemError) -> Response[Any]:
    return _response(exc.problem, exc.headers)


def _on_validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            key, message = str(item.get("key", "")), str(item.get("message", ""))
            if key == "data":  # a typed request body: the field is inside msgspec's message
                key, message = _field_of(message, "body")
            errors.append(FieldError(field=key, message=message))
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors) or str(exc.detail)
    problem = Problem(
        type=problem_type(422),
        title="The request does not match the schema",
        status=422,
        detail=detail,
        errors=errors or None,
    )
    return _response(problem)


def _on_cursor(_: Request[Any, Any, Any], exc: CursorError) -> Response[Any]:
    """Every list takes ``cursor``; a mangled or foreign one is the client's mistake."""
    problem = Problem(type=problem_type(400), title="Bad Request", status=400, detail=str(exc))
    return _response(problem)


def _on_http(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    detail = str(exc.detail)
    if status == 413:
        detail = "the request body is larger than this endpoint accepts"
    elif status == 404 and detail == "Not Found":
        detail = "no such resource"
    elif status == 405:
        detail = "this method is not allowed on this path"
    problem = Problem(
        type=problem_type(status),
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
    )
    return _response(problem, exc.headers)


def _on_database(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.warning("database unavailable", error=str(exc))
    problem = Problem(
        type=problem_type(503),
        title="Service Unavailable",
        status=503,
        detail="the database is unavailable; retry shortly",
    )
    return _response(problem, {"Retry-After": "5"})


def _on_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if isinstance(exc, _UNAVAILABLE):
        return _on_database(request, exc)
    log.error("unhandled error", path=request.url.path, exc_info=exc)
    problem = Problem(
        type=problem_type(500),
        title="Internal Server Error",
        status=500,
        detail="an unexpected error occurred; it has been logged",
    )
    return _response(problem)


_UNAVAILABLE = (
    OSError,
    asyncpg.CannotConnectNowError,
    asyncpg.PostgresConnectionError,  # class 08, ConnectionDoesNotExistError among them
    asyncpg.InterfaceError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    # A connection cut mid-protocol by a server shutdown: "cannot switch to state ..."
    asyncpg.InternalClientError,
    TimeoutError,
)

EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ProblemError: _on_problem,
    CursorError: _on_cursor,
    ValidationException: _on_validation,
    HTTPException: _on_http,
    Exception: _on_error,
}
