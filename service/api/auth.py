"""API keys on every /v1 call: ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from service.api.problems import ProblemError
from service.store import keys


def presented_key(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return connection.headers.get("x-api-key") or None


def requires(scope: keys.Scope) -> Guard:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        state = connection.app.state
        if state.settings.auth == "off":
            return
        key = presented_key(connection)
        if key is None:
            raise ProblemError(
                401,
                "send an API key as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
                " (create one with 'newsmeta keys create --scope read')",
                headers={"WWW-Authenticate": 'Bearer realm="newsmeta"'},
            )
        found = await state.key_cache.find(state.pool, key)
        if found is None:
            raise ProblemError(
                401,
                "this API key is unknown or revoked",
                headers={"WWW-Authenticate": 'Bearer realm="newsmeta", error="invalid_token"'},
            )
        if not keys.allows(found.scope, scope):
            raise ProblemError(
                403, f"this key has scope '{found.scope}'; this call needs '{scope}'"
            )
        connection.scope["state"]["api_key_id"] = str(found.id)

    return guard


READ = requires("read")
WRITE = requires("write")
ADMIN = requires("admin")
