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
from litestar.openapi.plugins import RedocRenderPlugin, ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusConfig

from service import __version__
from service.api import extractpool
from service.api.articles import ArticleController
from service.api.bodies import JSONRequest
from service.api.corpus import (
    EntityController,
    EventController,
    RegistryAdminController,
    SourceController,
)
from service.api.feed import ChangeController, WebhookController
from service.api.misc import ExtractController, HealthController
from service.api.observability import MetricsController, RequestIdMiddleware
from service.api.openapi import components, document_problems
from service.api.problems import EXCEPTION_HANDLERS
from service.api.ratelimit import KnownKeys, RateLimitMiddleware
from service.api.waiter import Waiter
from service.db import create_pool
from service.settings import Settings

log = structlog.get_logger("newsmeta.api")


def _provide_pool(state: State) -> asyncpg.Pool:
    return state.pool


def _provide_settings(state: State) -> Settings:
    return state.settings


def _provide_waiter(state: State) -> Waiter:
    return state.waiter


def openapi_config() -> OpenAPIConfig:
    extra = components()
    return OpenAPIConfig(
        title="newsmeta",
        version=__version__,
        description=(
            "Entities, events and sources from Russian news articles. Errors are RFC 9457 "
            "problem documents. Every /v1 call needs an API key unless the server runs with "
            "NEWSMETA_AUTH=off."
        ),
        path="/schema",
        render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(), RedocRenderPlugin()],
        components=Components(
            schemas=extra.schemas,
            security_schemes={
                "bearer": SecurityScheme(type="http", scheme="bearer"),
                "apiKey": SecurityScheme(
                    type="apiKey", name="X-API-Key", security_scheme_in="header"
                ),
            },
        ),
        security=[{"bearer": []}, {"apiKey": []}],
    )


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
        if settings.auth == "off":
            log.warning(
                "NEWSMETA_AUTH=off: every /v1 call is allowed without a key; local use only"
            )
        try:
            yield
        finally:
            await app.state.waiter.close()
            app.state.extractors.close()
            if own:
                await app.state.pool.close()

    prometheus = PrometheusConfig(
        app_name="newsmeta", prefix="newsmeta", group_path=True, exclude=["/metrics"]
    )
    app = Litestar(
        route_handlers=[
            ArticleController,
            ChangeController,
            WebhookController,
            EntityController,
            EventController,
            SourceController,
            RegistryAdminController,
            ExtractController,
            HealthController,
            MetricsController,
        ],
        dependencies={
            "pool": Provide(_provide_pool, sync_to_thread=False),
            "settings": Provide(_provide_settings, sync_to_thread=False),
            "waiter": Provide(_provide_waiter, sync_to_thread=False),
        },
        # A given pool is ready now; otherwise the lifespan opens one.
        state=State(
            {
                "settings": settings,
                "known_keys": KnownKeys(),
                "extractors": extractpool.shared(settings.api_extract_concurrency),
                **({"pool": pool, "waiter": Waiter(pool)} if pool else {}),
            }
        ),
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=JSONRequest,
        openapi_config=openapi_config(),
        middleware=[prometheus.middleware],
        request_max_body_size=2 * 1024 * 1024,
        debug=False,
        # Logging is ours (service/logs.py): Litestar's default config would replace the root
        # handler and print library lines (uvicorn, asyncpg) in its own non-JSON format.
        logging_config=None,
    )
    # Built now (it is cached), so the served and the exported schema document problems.
    document_problems(app.plugins.get(OpenAPIPlugin).provide_openapi())
    # Around the router (so unknown paths get them too), outermost first: the request id
    # and access line, then the rate limit.
    handler = app.asgi_handler
    if settings.rate_limit:
        known = app.state.known_keys if settings.auth == "on" else None
        handler = RateLimitMiddleware(handler, settings.rate_limit, known)
    app.asgi_handler = RequestIdMiddleware(handler)
    return app
