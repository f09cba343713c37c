"""The Litestar application: controllers, dependencies, problem details, OpenAPI, metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import structlog
from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.routes import HTTPRoute

from service import __version__
from service.api import extractpool, reference
from service.api.articles import ArticleController
from service.api.bodies import JSONRequest
from service.api.corpus import (
    EntityController,
    EventController,
    RegistryAdminController,
    SourceController,
)
from service.api.edge import Edge
from service.api.exports import ExportController
from service.api.feed import ChangeController, WebhookController
from service.api.keycache import KeyCache
from service.api.misc import ExtractController, HealthController
from service.api.observability import MetricsController
from service.api.openapi import complete
from service.api.problems import EXCEPTION_HANDLERS
from service.api.ratelimit import KnownKeys, RateLimit
from service.api.ui import template_config, ui_router
from service.api.waiter import Waiter
from service.db import create_pool
from service.settings import Settings
from service.worker.known import KnownNames

log = structlog.get_logger("newsmeta.api")


def _providers(state: State) -> dict[str, Provide]:
    """The pool, settings and waiter from the app's state. Without parameters: a provider
    that takes ``state`` has it built and validated for every request (~8 µs a read)."""

    def pool() -> asyncpg.Pool:
        return state["pool"]

    def settings() -> Settings:
        return state["settings"]

    def waiter() -> Waiter:
        return state["waiter"]

    return {f.__name__: Provide(f, sync_to_thread=False) for f in (pool, settings, waiter)}


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="newsmeta",
        version=__version__,
        description=(
            "Entities, events and sources from Russian news articles. Errors are RFC 9457 "
            "problem documents. Every /v1 call needs an API key unless the server runs with "
            "NEWSMETA_AUTH=off."
        ),
        path="/schema",
        render_plugins=reference.render_plugins(),
        openapi_router=reference.router(),
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(type="http", scheme="bearer"),
                "apiKey": SecurityScheme(
                    type="apiKey", name="X-API-Key", security_scheme_in="header"
                ),
            },
        ),
        security=[{"bearer": []}, {"apiKey": []}],
    )


def _fix_allow_headers(app: Litestar) -> None:
    """``OPTIONS`` lists every method of the path. Litestar builds the automatic ``OPTIONS``
    handler with the first handler registered at a path and keeps it when more are added
    (``GET`` and ``DELETE`` of ``/v1/articles/{id}``), so its ``Allow`` would miss some."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "OPTIONS" not in route.route_handler_map:
            continue
        handler, _ = route.route_handler_map["OPTIONS"]
        if handler.handler_name == "options_handler":
            handler._fn = route.create_options_handler(route.path).fn


def create_app(
    settings: Settings, database_url: str, *, pool: asyncpg.Pool | None = None
) -> Litestar:
    """The app; it opens its own pool on start-up unless one is given (tests share theirs)."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        own = pool is None
        if own:
            app.state.pool = await create_pool(
                database_url, min_size=settings.pool_min, max_size=settings.pool_max
            )
            app.state.waiter = Waiter(app.state.pool)
        if settings.auth == "on":
            await app.state.key_cache.start()  # cached key lookups, only while it listens
        if settings.auth == "off":
            log.warning(
                "NEWSMETA_AUTH=off: every /v1 call is allowed without a key; local use only"
            )
        try:
            yield
        finally:
            await app.state.waiter.close()
            await app.state.key_cache.close()
            app.state.extractors.close()
            if own:
                await app.state.pool.close()

    # A given pool is ready now; otherwise the lifespan opens one.
    state = State(
        {
            "settings": settings,
            # Without a lifespan (tests give their pool) it never listens: no caching.
            "key_cache": KeyCache(database_url),
            "known_keys": KnownKeys(),
            "extractors": extractpool.shared(settings.api_extract_concurrency),
            # The registry's names for /v1/extract, as the workers see them.
            "known": KnownNames(settings.gazetteer_refresh_seconds),
            **({"pool": pool, "waiter": Waiter(pool)} if pool else {}),
        }
    )
    app = Litestar(
        route_handlers=[
            ArticleController,
            ExportController,
            ChangeController,
            WebhookController,
            EntityController,
            EventController,
            SourceController,
            RegistryAdminController,
            ExtractController,
            HealthController,
            MetricsController,
            ui_router(),
            reference.static_router(),
        ],
        dependencies=_providers(state),
        state=state,
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=JSONRequest,
        openapi_config=openapi_config(),
        template_config=template_config(),
        request_max_body_size=2 * 1024 * 1024,
        debug=False,
        # Logging is ours (service/logs.py): Litestar's default config would replace the root
        # handler and print library lines (uvicorn, asyncpg) in its own non-JSON format.
        logging_config=None,
    )
    # Built now (it is cached), so the served and the exported document are completed.
    complete(app.plugins.get(OpenAPIPlugin).provide_openapi())
    _fix_allow_headers(app)
    # Around the router (so unknown paths get them too): request id, rate limit, HTTP
    # metrics, access line.
    limit = None
    if settings.rate_limit:
        known = app.state.known_keys if settings.auth == "on" else None
        limit = RateLimit(settings.rate_limit, known)
    app.asgi_handler = Edge(app.asgi_handler, limit)
    assert app.state is state  # the providers read it
    return app
