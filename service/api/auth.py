"""API keys on every /v1 call: ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``."""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from service.api.problems import ProblemError
from service.store import keys


def presented_key(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    # The raw ASGI headers (names are lower case), first of each: what ``connection.headers``
    # would give, without building its multidict on every request.
    authorization: str | None = None
    api_key: str | None = None
    for name, raw in connection.scope["headers"]:
        if name == b"authorization" and authorization is None:
            authorization = raw.decode("latin-1")
        elif name == b"x-api-key" and api_key is None:
            api_key = raw.decode("latin-1")
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return api_key or None


def key_sha256(scope: Any, key: str) -> bytes:
    """The SHA-256 of a presented key, once per request: the rate limit, the key cache and
    the known keys each hashed it."""
    state = scope.setdefault("state", {})
    known = state.get("_key_sha256")
    if known is not None and known[0] == key:
        return known[1]
    digest = hashlib.sha256(key.encode("utf-8", "replace")).digest()
    state["_key_sha256"] = (key, digest)
    return digest


def requires(scope: keys.Scope) -> Guard:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        # state["x"], not state.x: State's __getattr__ costs ~0.5 µs a lookup.
        state = connection.app.state
        if state["settings"].auth == "off":
            return
        key = presented_key(connection)
        if key is None:
            raise ProblemError(
                401,
                "send an API key as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
                " (create one with 'newsmeta keys create --scope read')",
                headers={"WWW-Authenticate": 'Bearer realm="newsmeta"'},
            )
        digest = key_sha256(connection.scope, key)
        pool = state["pool"]
        found = await state["key_cache"].find(pool, key, digest)
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
        # From now on this key has a rate-limit bucket of its own.
        state["known_keys"].add(digest)
        if _touch_due(found.id):  # a plain call: no coroutine a request for a no-op
            await keys.touch(pool, found.id, TOUCH_EVERY)

    return guard


# api_keys.last_used_at: written at most once a minute per key (and per API process).
TOUCH_EVERY = 60.0
_touched: dict[uuid.UUID, float] = {}


def _touch_due(key_id: uuid.UUID) -> bool:
    now = time.monotonic()
    if now - _touched.get(key_id, -TOUCH_EVERY) < TOUCH_EVERY:
        return False
    if len(_touched) > 100_000:
        _touched.clear()
    _touched[key_id] = now
    return True


READ = requires("read")
WRITE = requires("write")
ADMIN = requires("admin")
