"""The API reference pages (Scalar, Swagger UI, ReDoc) with every asset served from here.

Litestar's render plugins load their scripts, styles, fonts and favicon from CDNs by
default, which leaves the pages blank on a closed network. The files are vendored under
``static/`` (see its README for versions and licences) and served at versioned URLs.
"""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader, ResponseHeader
from litestar.openapi.plugins import (
    OpenAPIRenderPlugin,
    RedocRenderPlugin,
    ScalarRenderPlugin,
    SwaggerRenderPlugin,
)
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

STATIC = Path(__file__).parent / "static"
URL = "/schema/static"
SWAGGER = f"{URL}/swagger-ui-5.35.0"
REDOC = f"{URL}/redoc-2.5.4"
SCALAR = f"{URL}/scalar-1.76.0"
# No favicon request at all (Litestar's default points at a CDN).
FAVICON = "<link rel='icon' href='data:,'>"
# Scalar would fetch its fonts, report telemetry and offer its hosted AI agent otherwise.
SCALAR_OPTIONS = {
    "withDefaultFonts": False,
    "telemetry": False,
    "agent": {"disabled": True},
    "showDeveloperTools": "never",
    "hideClientButton": True,  # it opens Scalar's hosted client
}


# Belt and braces: should a bundled script still name another host (ReDoc's side menu shows
# a logo from its CDN), the browser refuses to fetch it.
CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)


def router() -> Router:
    """Where Litestar puts the pages and ``openapi.json``; every answer carries ``CSP``."""
    return Router(
        "/schema",
        route_handlers=[],
        include_in_schema=False,
        response_headers=[ResponseHeader(name="Content-Security-Policy", value=CSP)],
    )


def render_plugins() -> list[OpenAPIRenderPlugin]:
    """``/schema`` (Scalar), ``/schema/swagger`` and ``/schema/redoc``."""
    return [
        ScalarRenderPlugin(
            js_url=f"{SCALAR}/standalone.js",
            css_url=f"{URL}/reference.css",
            options=SCALAR_OPTIONS,
            favicon=FAVICON,
        ),
        SwaggerRenderPlugin(
            js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            css_url=f"{SWAGGER}/swagger-ui.css",
            standalone_preset_js_url=f"{SWAGGER}/swagger-ui-standalone-preset.js",
            favicon=FAVICON,
        ),
        RedocRenderPlugin(
            js_url=f"{REDOC}/redoc.standalone.js", google_fonts=False, favicon=FAVICON
        ),
    ]


def static_router() -> ControllerRouterHandler:
    """The vendored files; versioned paths, so browsers may keep them for a year."""
    return create_static_files_router(
        path=URL,
        directories=[STATIC],
        include_in_schema=False,
        cache_control=CacheControlHeader(max_age=365 * 24 * 3600, public=True),
        name="reference-assets",
    )
