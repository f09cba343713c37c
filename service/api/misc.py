"""``POST /v1/extract`` (stateless) and the health probes."""

from __future__ import annotations

import hashlib
from typing import Any

import anyio.to_thread
import asyncpg
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_200_OK

from service import extraction
from service.api.auth import READ
from service.api.bodies import JSON, TEXT, check_text, decode_json, decode_utf8, media_type
from service.api.openapi import ExtractOperation
from service.api.problems import field_problem
from service.extraction.gazetteer import Gazetteer
from service.outputs import extraction_out
from service.schemas import ExtractIn, ExtractOut, Health
from service.settings import Settings
from service.worker.known import KnownNames


def run_extraction(item: ExtractIn, gazetteer: Gazetteer | None = None) -> ExtractOut:
    result = extraction.extract(
        item.text, published_at=item.published_at, outlet=item.outlet, gazetteer=gazetteer
    )
    digest = hashlib.sha256(item.text.encode("utf-8")).hexdigest()
    return extraction_out(result, digest)


class ExtractController(Controller):
    path = "/v1/extract"
    tags = ("extract",)

    @post(
        "/",
        guards=[READ],
        status_code=HTTP_200_OK,
        operation_class=ExtractOperation,
        request_max_body_size=8 * 1024 * 1024,
        summary="Extract from a text without storing anything",
    )
    async def extract(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        pool: NamedDependency[asyncpg.Pool],
    ) -> ExtractOut:
        kind = media_type(request, (JSON, TEXT))
        body = await request.body()
        item = ExtractIn(text=decode_utf8(body)) if kind == TEXT else decode_json(body, ExtractIn)
        check_text(item.text, settings.max_article_bytes)
        if item.language != "ru":
            raise field_problem(
                "language", f"language {item.language!r} is not supported; only 'ru' is"
            )
        # The names the registry knows, as the worker sees them (this process's snapshot).
        gazetteer = await _known(request, settings).current(pool)
        # CPU-bound: off the event loop, so other requests are still served meanwhile.
        return await anyio.to_thread.run_sync(run_extraction, item, gazetteer, limiter=_limiter())


def _known(request: Request[Any, Any, Any], settings: Settings) -> KnownNames:
    state = request.app.state
    if getattr(state, "known", None) is None:
        state.known = KnownNames(settings.gazetteer_refresh_seconds)
    known: KnownNames = state.known
    return known


_limiters: list[anyio.CapacityLimiter] = []


def _limiter() -> anyio.CapacityLimiter:
    # One extraction at a time per API process: more would only contend for the GIL.
    if not _limiters:
        _limiters.append(anyio.CapacityLimiter(1))
    return _limiters[0]


class HealthController(Controller):
    path = "/health"
    tags = ("health",)
    include_in_schema = True

    @get("/live", summary="The process is up")
    async def live(self) -> Health:
        return Health(status="ok", database="not checked")

    @get("/ready", summary="Ready to serve: the database answers")
    async def ready(self, pool: NamedDependency[asyncpg.Pool]) -> Response[Health]:
        try:
            async with pool.acquire(timeout=2) as conn:
                await conn.fetchval("SELECT 1", timeout=2)
        except Exception:
            return Response(Health(status="unavailable", database="unavailable"), status_code=503)
        return Response(Health(status="ok", database="ok"))
