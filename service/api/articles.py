"""``/v1/articles``: submit, list, read, delete, reprocess, and per-article results."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import Controller, Request, Response
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.params import FromPath, FromQuery, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from service.api.auth import READ, WRITE
from service.api.bodies import (
    JSON,
    NDJSON,
    TEXT,
    decode_json,
    decode_utf8,
    media_type,
    split_array,
    split_lines,
    to_new_article,
)
from service.api.handlers import delete, get, post
from service.api.openapi import BatchOperation, SubmitArticleOperation
from service.api.problems import ProblemError, field_problem
from service.api.waiter import FINISHED, Waiter
from service.schemas import (
    Article,
    ArticleDetail,
    ArticleIn,
    ArticleStatus,
    BatchItemResult,
    BatchResult,
    EntityOut,
    EventOut,
    Page,
    SourcesPage,
    StatementOut,
)
from service.settings import Settings
from service.store import articles, results

Limit = Annotated[int, Parameter(ge=1, le=500, description="Page size (default 50, max 500).")]
Cursor = Annotated[
    str | None, Parameter(description="`next_cursor` of the previous page.", max_length=512)
]
_PREFER_WAIT = re.compile(r"(?:^|[,;\s])wait\s*=\s*(\d+(?:\.\d+)?)", re.IGNORECASE)
MAX_WAIT = 30.0


class SubmittedArticle(Article, omit_defaults=True):
    """The article; when ``Prefer: wait`` saw it finish, its results are included too."""

    entities: list[EntityOut] | None = None
    events: list[EventOut] | None = None
    sources: list[StatementOut] | None = None


def prefer_wait(request: Request[Any, Any, Any]) -> float | None:
    match = _PREFER_WAIT.search(request.headers.get("prefer", ""))
    return min(float(match[1]), MAX_WAIT) if match else None


class ArticleController(Controller):
    path = "/v1/articles"
    tags = ("articles",)

    @post(
        "/",
        guards=[WRITE],
        status_code=HTTP_202_ACCEPTED,
        operation_class=SubmitArticleOperation,
        request_max_body_size=8 * 1024 * 1024,
        summary="Submit one article",
        description=(
            "JSON `ArticleIn` or `text/plain` in the raw wire format. `202` with the queued "
            "article and `Location`; the same text or `external_id` again gives `200` with the "
            "existing article. `Prefer: wait=N` (N ≤ 30) answers once extraction finished or "
            "N seconds passed; a finished article then carries its entities, events and sources "
            "(`201` when it was new)."
        ),
    )
    async def submit(
        self,
        request: Request[Any, Any, Any],
        pool: NamedDependency[asyncpg.Pool],
        settings: NamedDependency[Settings],
        waiter: NamedDependency[Waiter],
    ) -> Response[SubmittedArticle]:
        kind = media_type(request, (JSON, TEXT))
        body = await request.body()
        item = ArticleIn(text=decode_utf8(body)) if kind == TEXT else decode_json(body, ArticleIn)
        new = to_new_article(item, settings.max_article_bytes)
        async with pool.acquire() as conn, conn.transaction():
            ((article, created),) = await articles.submit_many(conn, [new])
        headers = {"Location": f"/v1/articles/{article.id}"}
        wait = prefer_wait(request)
        status = HTTP_202_ACCEPTED if created else HTTP_200_OK
        if wait is not None:
            headers["Preference-Applied"] = f"wait={wait:g}"
            if article.status not in FINISHED and wait > 0:
                await waiter.wait(article.id, wait)
                article = await articles.get(pool, article.id) or article
        out = msgspec.convert(msgspec.to_builtins(article), SubmittedArticle)
        if wait is not None and article.status == "done":
            if created:
                status = 201
            out.entities, _ = await results.entities(pool, article.id, limit=10_000, after=None)
            out.events, _ = await results.events(pool, article.id, limit=10_000, after=None)
            out.sources = (await results.sources(pool, article.id, limit=10_000, after=None)).items
        return Response(out, status_code=status, headers=headers)

    @post(
        "/batch",
        guards=[WRITE],
        status_code=HTTP_200_OK,
        operation_class=BatchOperation,
        request_max_body_size=64 * 1024 * 1024,
        summary="Submit up to 1,000 articles",
        description=(
            "A JSON array of `ArticleIn` or NDJSON (one object a line). The answer lists one "
            "result per item in input order: `202` created, `200` already known, or a 4xx "
            "problem for that item alone."
        ),
    )
    async def batch(
        self,
        request: Request[Any, Any, Any],
        pool: NamedDependency[asyncpg.Pool],
        settings: NamedDependency[Settings],
    ) -> BatchResult:
        kind = media_type(request, (JSON, NDJSON))
        body = await request.body()
        # Items are found and counted without decoding the body whole; each is decoded alone.
        split = split_lines if kind == NDJSON else split_array
        raws = split(body, settings.max_batch_items)
        if not raws:
            raise ProblemError(422, "the batch is empty; send 1 to 1,000 articles")
        outcomes: list[BatchItemResult] = []
        valid: list[tuple[int, articles.NewArticle]] = []
        for index, raw in enumerate(raws):
            try:
                item = decode_json(bytes(raw), ArticleIn, where=f"item {index}")
                valid.append((index, to_new_article(item, settings.max_article_bytes)))
                outcomes.append(BatchItemResult(index=index, status=0))
            except ProblemError as exc:
                outcomes.append(
                    BatchItemResult(index=index, status=exc.problem.status, error=exc.problem)
                )
        accepted = duplicates = 0
        if valid:
            async with pool.acquire() as conn, conn.transaction():
                stored = await articles.submit_many(conn, [new for _, new in valid])
            for (index, _), (article, created) in zip(valid, stored, strict=True):
                outcomes[index] = BatchItemResult(
                    index=index,
                    status=HTTP_202_ACCEPTED if created else HTTP_200_OK,
                    article=article,
                )
                accepted += created
                duplicates += not created
        return BatchResult(
            items=outcomes,
            accepted=accepted,
            duplicates=duplicates,
            rejected=len(raws) - len(valid),
        )

    @get("/", guards=[READ], summary="List articles, newest first")
    async def list_articles(
        self,
        pool: NamedDependency[asyncpg.Pool],
        outlet: FromQuery[str | None] = None,
        status: FromQuery[ArticleStatus | None] = None,
        published_from: FromQuery[dt.date | None] = None,
        published_to: FromQuery[dt.date | None] = None,
        entity_id: FromQuery[uuid.UUID | None] = None,
        q: Annotated[
            str | None, Parameter(description="Full-text search (web syntax).", max_length=1000)
        ] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Page[Article]:
        if outlet is not None and "\x00" in outlet:
            raise field_problem("outlet", "outlet contains a NUL character (U+0000); remove it")
        if q is not None and "\x00" in q:
            raise ProblemError(400, "q contains a NUL character (U+0000); remove it")
        flt = articles.ArticleFilter(
            outlet=outlet,
            status=status,
            published_from=published_from,
            published_to=published_to,
            entity_id=entity_id,
            q=q or None,
        )
        return await articles.list_articles(pool, flt, limit=limit, after=cursor)

    @get("/{article_id:uuid}", guards=[READ], summary="One article with its status and text")
    async def get_article(
        self, pool: NamedDependency[asyncpg.Pool], article_id: FromPath[uuid.UUID]
    ) -> ArticleDetail:
        found = await articles.get_detail(pool, article_id)
        if found is None:
            raise ProblemError(404, f"no article {article_id}")
        return found

    @delete(
        "/{article_id:uuid}",
        guards=[WRITE],
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete an article and everything extracted from it",
    )
    async def delete_article(
        self, pool: NamedDependency[asyncpg.Pool], article_id: FromPath[uuid.UUID]
    ) -> None:
        if not await articles.delete(pool, article_id):
            raise ProblemError(404, f"no article {article_id}")

    @post(
        "/{article_id:uuid}/reprocess",
        guards=[WRITE],
        status_code=HTTP_202_ACCEPTED,
        summary="Queue the article again",
    )
    async def reprocess(
        self, pool: NamedDependency[asyncpg.Pool], article_id: FromPath[uuid.UUID]
    ) -> Article:
        async with pool.acquire() as conn, conn.transaction():
            found = await articles.reprocess(conn, article_id)
        if found is None:
            raise ProblemError(404, f"no article {article_id}")
        return found

    @get("/{article_id:uuid}/entities", guards=[READ], summary="Entities of one article")
    async def entities(
        self,
        request: Request[Any, Any, Any],
        article_id: FromPath[uuid.UUID],
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Page[EntityOut]:
        pool = _pool(request)
        stored = await results.stored_page(pool, article_id, "entities", limit=limit, after=cursor)
        if stored is not None:
            return _body(stored)
        items, next_cursor = await results.entities(pool, article_id, limit=limit, after=cursor)
        if not items:  # none, or no such article: only then is it worth a second query
            await _exists(pool, article_id)
        return Page(items=items, next_cursor=next_cursor)

    @get("/{article_id:uuid}/events", guards=[READ], summary="Events of one article")
    async def events(
        self,
        request: Request[Any, Any, Any],
        article_id: FromPath[uuid.UUID],
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Page[EventOut]:
        pool = _pool(request)
        stored = await results.stored_page(pool, article_id, "events", limit=limit, after=cursor)
        if stored is not None:
            return _body(stored)
        items, next_cursor = await results.events(pool, article_id, limit=limit, after=cursor)
        if not items:  # none, or no such article: only then is it worth a second query
            await _exists(pool, article_id)
        return Page(items=items, next_cursor=next_cursor)

    @get(
        "/{article_id:uuid}/sources",
        guards=[READ],
        summary="The outlet and the attributed statements of one article",
    )
    async def sources(
        self,
        request: Request[Any, Any, Any],
        article_id: FromPath[uuid.UUID],
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> SourcesPage:
        pool = _pool(request)
        stored = await results.stored_page(pool, article_id, "sources", limit=limit, after=cursor)
        if stored is not None:
            return _body(stored)
        await _exists(pool, article_id)
        return await results.sources(pool, article_id, limit=limit, after=cursor)


def _pool(request: Request[Any, Any, Any]) -> asyncpg.Pool:
    """The pool the ``pool`` dependency gives, read directly by the per-article reads: a
    handler without dependencies skips Litestar's resolution and its cleanup stack."""
    return request.app.state["pool"]


def _body(stored: bytes) -> Any:
    """A stored page (already the JSON of the declared type) is sent as it is, as a
    ``Response`` of bytes: the same headers as the declared type would get, without a pass
    through the encoder and the data handler (~8 µs a read)."""
    return Response(stored, media_type=MediaType.JSON)


async def _exists(pool: asyncpg.Pool, article_id: uuid.UUID) -> None:
    if not await pool.fetchval("SELECT 1 FROM articles WHERE id = $1", article_id):
        raise ProblemError(404, f"no article {article_id}")
