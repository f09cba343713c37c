"""``/v1/articles/{id}/ninjs`` and ``/jsonld``: one processed article in newsroom formats."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal, TypeVar

import asyncpg
from litestar import Controller, Response
from litestar.di import NamedDependency
from litestar.params import FromPath, Parameter

from service.api.auth import READ
from service.api.handlers import get
from service.api.problems import ProblemError
from service.exports import ArticleBundle, jsonld, ninjs
from service.schemas import OutletOut, SourcesPage, StatementOut
from service.store import articles, results

T = TypeVar("T")
_PAGE = 500


async def _every(fetch: Callable[[str | None], Awaitable[tuple[list[T], str | None]]]) -> list[T]:
    items: list[T] = []
    after: str | None = None
    while True:
        page, after = await fetch(after)
        items += page
        if after is None:
            return items


async def load_bundle(pool: asyncpg.Pool, article_id: uuid.UUID) -> ArticleBundle | None:
    """The article and all its results, read in one snapshot (a reprocess cannot mix in)."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        article = await articles.get_detail(conn, article_id)
        if article is None:
            return None
        entities = await _every(
            lambda after: results.entities(conn, article_id, limit=_PAGE, after=after)
        )
        events = await _every(
            lambda after: results.events(conn, article_id, limit=_PAGE, after=after)
        )
        outlet: list[OutletOut | None] = [None]

        async def statements(after: str | None) -> tuple[list[StatementOut], str | None]:
            page = await results.sources(conn, article_id, limit=_PAGE, after=after)
            outlet[0] = page.outlet
            return page.items, page.next_cursor

        items = await _every(statements)
    return ArticleBundle(
        article=article,
        entities=entities,
        events=events,
        sources=SourcesPage(outlet=outlet[0], items=items, next_cursor=None),
    )


async def processed_bundle(pool: asyncpg.Pool, article_id: uuid.UUID) -> ArticleBundle:
    bundle = await load_bundle(pool, article_id)
    if bundle is None:
        raise ProblemError(404, f"no article {article_id}")
    if bundle.article.status != "done":
        raise ProblemError(
            409,
            f"article {article_id} is {bundle.article.status}; exports exist once its status is"
            " done (poll GET /v1/articles/{id}, or submit with 'Prefer: wait=N')",
        )
    return bundle


NinjsVersion = Annotated[
    Literal["3.1", "2.2"],
    Parameter(description="ninjs version: `3.1` (default) or `2.2` (the 2.x property names)."),
]


class ExportController(Controller):
    path = "/v1/articles"
    tags = ("exports",)

    @get(
        "/{article_id:uuid}/ninjs",
        guards=[READ],
        summary="The article as IPTC ninjs (News in JSON)",
        description=(
            "A ninjs 3.1 news item (`?version=2.2` for ninjs 2.2), valid against IPTC's schema "
            "(http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json): `uri` "
            "`urn:newsmeta:article:<id>`, headline, plain-text body with character and word "
            "counts, `people` / `organisations` / `places` (rel `about` for the most salient "
            "entity, else `mentions`; `uri` `urn:newsmeta:entity:<id>`; places carry a GeoJSON "
            "point and their GeoNames id), `events` and `infoSources` (the outlet and every "
            "quoted or cited speaker). `409` until the article is processed."
        ),
    )
    async def as_ninjs(
        self,
        pool: NamedDependency[asyncpg.Pool],
        article_id: FromPath[uuid.UUID],
        version: NinjsVersion = "3.1",
    ) -> dict[str, Any]:
        return ninjs.to_ninjs(await processed_bundle(pool, article_id), version)

    @get(
        "/{article_id:uuid}/jsonld",
        guards=[READ],
        media_type=jsonld.MEDIA_TYPE,
        summary="The article as schema.org NewsArticle JSON-LD",
        description=(
            "`application/ld+json`: a schema.org `NewsArticle` with `datePublished`, "
            "`publisher` (the outlet), `about` (the most salient entity) and `mentions` "
            "(`Person`, `Organization`, `Place` with `geo` and its GeoNames `sameAs`), and "
            "the attributed statements as `Quotation` parts (`text`, the speaker as "
            "`creator`). `409` until the article is processed."
        ),
    )
    async def as_jsonld(
        self, pool: NamedDependency[asyncpg.Pool], article_id: FromPath[uuid.UUID]
    ) -> Response[dict[str, Any]]:
        doc = jsonld.to_jsonld(await processed_bundle(pool, article_id))
        return Response(doc, media_type=jsonld.MEDIA_TYPE)
