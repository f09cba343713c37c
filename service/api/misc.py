"""``POST /v1/extract`` (stateless) and the health probes."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar import Controller, Request, Response
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_200_OK

from service.api import extractpool
from service.api.auth import READ
from service.api.bodies import JSON, TEXT, check_text, decode_json, decode_utf8, media_type
from service.api.handlers import get, post
from service.api.openapi import ExtractOperation
from service.api.problems import ProblemError, field_problem
from service.schemas import ExtractIn, ExtractOut, Health
from service.settings import Settings
from service.worker.known import KnownNames


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
        description=(
            "Runs in one of the server's extraction processes: `503` with `Retry-After` when "
            "all are busy, `422` when the text takes longer than NEWSMETA_API_EXTRACT_TIMEOUT "
            "(submit such texts as articles instead)."
        ),
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
        # CPU-bound and of unbounded length: in a process of its own, bounded in time.
        slots: extractpool.ExtractorPool = request.app.state.extractors
        limit = settings.api_extract_timeout_seconds
        # The names the registry knows, as the workers see them (this process's snapshot).
        known: KnownNames = request.app.state.known
        gazetteer = await known.current(pool)
        try:
            return await slots.run(item, limit, gazetteer)
        except extractpool.Busy:
            raise ProblemError(
                503,
                f"all {slots.size} extraction slots of this server are busy; retry shortly,"
                " or submit the article (POST /v1/articles) to have the workers extract it",
                headers={"Retry-After": str(RETRY_AFTER)},
            ) from None
        except extractpool.TooSlow:
            raise ProblemError(
                422,
                f"extracting this text took longer than {limit:g} s"
                " (NEWSMETA_API_EXTRACT_TIMEOUT) and was stopped; submit it as an article"
                " (POST /v1/articles), where workers allow NEWSMETA_EXTRACT_TIMEOUT",
            ) from None
        except extractpool.Crashed:
            raise ProblemError(
                503,
                "the extraction process stopped unexpectedly; retry shortly",
                headers={"Retry-After": str(RETRY_AFTER)},
            ) from None


RETRY_AFTER = 2  # seconds: most extractions take less


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
