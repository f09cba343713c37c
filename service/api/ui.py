"""``/ui``: the article viewer for people. Not part of the API (left out of the OpenAPI schema).

The pages themselves carry no data and need no key; the browser fetches the data with the key
the user typed (kept in the tab's sessionStorage), so every data read passes the same READ
guard as ``/v1``. The fragment is server-rendered HTML; everything is served from here (the
CSP forbids any other origin).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import asyncpg
from litestar import Controller, Router
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from service.api.auth import READ
from service.api.exports import load_bundle
from service.api.handlers import get
from service.api.problems import ProblemError
from service.ui import view

UI = Path(view.__file__).parent
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    def engine_callback(engine: JinjaTemplateEngine) -> None:
        engine.engine.globals["place"] = view.place

    return TemplateConfig(
        directory=UI / "templates", engine=JinjaTemplateEngine, engine_callback=engine_callback
    )


class ViewerController(Controller):
    path = "/ui"
    include_in_schema = False

    @get("/", media_type="text/html")
    async def index(self) -> Template:
        return Template("index.html", headers=HEADERS)

    @get("/articles/{article_id:uuid}", media_type="text/html")
    async def article(self, article_id: FromPath[uuid.UUID]) -> Template:
        return Template("article.html", context={"article_id": article_id}, headers=HEADERS)

    @get("/articles/{article_id:uuid}/fragment", guards=[READ], media_type="text/html")
    async def fragment(
        self, pool: NamedDependency[asyncpg.Pool], article_id: FromPath[uuid.UUID]
    ) -> Template:
        bundle = await load_bundle(pool, article_id)
        if bundle is None:
            raise ProblemError(404, f"no article {article_id}")
        return Template(
            "fragment.html",
            context=view.context(bundle),
            headers={**HEADERS, "Cache-Control": "no-store"},
        )


def ui_router() -> Router:
    static = create_static_files_router(
        path="/ui/static", directories=[UI / "static"], include_in_schema=False
    )
    return Router(path="/", route_handlers=[ViewerController, static], include_in_schema=False)
