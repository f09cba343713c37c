"""Corpus-wide queries: ``/v1/entities`` (the registry), ``/v1/events``, ``/v1/sources``, and
the admin endpoints that merge or split registry entries by hand."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import asyncpg
from litestar import Controller
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from service.api.articles import Cursor, Limit
from service.api.auth import ADMIN, READ
from service.api.handlers import get, post
from service.api.problems import ProblemError
from service.corpus_schemas import (
    EntityArticle,
    EntityQuote,
    MergeIn,
    RegistryEntity,
    RegistryEntityDetail,
    SourceKind,
    SourceRank,
    SplitIn,
)
from service.extraction.models import EntityType, EventType, Polarity
from service.schemas import EventOut, Page
from service.store import registry

Query = Annotated[
    str | None,
    Parameter(
        description="Part of any name or alias, case-insensitive (substring from 3 letters, "
        "prefix below).",
        min_length=1,
        max_length=200,
    ),
]


async def _entry(pool: asyncpg.Pool, entity_id: uuid.UUID) -> uuid.UUID:
    found = await registry.current_id(pool, entity_id)
    if found is None:
        raise ProblemError(404, f"no registry entry {entity_id}")
    return found


class EntityController(Controller):
    path = "/v1/entities"
    tags = ("registry",)

    @get("/", guards=[READ], summary="Search the entity registry, most frequent first")
    async def search(
        self,
        pool: NamedDependency[asyncpg.Pool],
        q: Query = None,
        type: FromQuery[EntityType | None] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Page[RegistryEntity]:
        if q is not None and "\x00" in q:
            raise ProblemError(400, "q contains a NUL character (U+0000); remove it")
        q = q.strip() if q else None
        items, nxt = await registry.search_entities(
            pool, q=q or None, etype=type, limit=limit, after=cursor
        )
        return Page(items=items, next_cursor=nxt)

    @get(
        "/{entity_id:uuid}",
        guards=[READ],
        summary="One registry entry: names, article count, roles, geo",
        description="An id merged away by an admin answers with the entry it was merged into.",
    )
    async def get_entity(
        self, pool: NamedDependency[asyncpg.Pool], entity_id: FromPath[uuid.UUID]
    ) -> RegistryEntityDetail:
        found = await registry.get_entity(pool, await _entry(pool, entity_id))
        if found is None:
            raise ProblemError(404, f"no registry entry {entity_id}")
        return found

    @get("/{entity_id:uuid}/articles", guards=[READ], summary="Articles naming the entity")
    async def articles(
        self,
        pool: NamedDependency[asyncpg.Pool],
        entity_id: FromPath[uuid.UUID],
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Page[EntityArticle]:
        eid = await _entry(pool, entity_id)
        items, nxt = await registry.entity_articles(pool, eid, limit=limit, after=cursor)
        return Page(items=items, next_cursor=nxt)

    @get(
        "/{entity_id:uuid}/events",
        guards=[READ],
        summary="Events with the entity as participant or location, newest first",
    )
    async def events(
        self,
        pool: NamedDependency[asyncpg.Pool],
        entity_id: FromPath[uuid.UUID],
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Page[EventOut]:
        eid = await _entry(pool, entity_id)
        items, nxt = await registry.list_events(
            pool, registry.EventFilter(entity_id=eid), limit=limit, after=cursor
        )
        return Page(items=items, next_cursor=nxt)

    @get(
        "/{entity_id:uuid}/quotes",
        guards=[READ],
        summary="Every statement by the entity, with its article and date, newest first",
    )
    async def quotes(
        self,
        pool: NamedDependency[asyncpg.Pool],
        entity_id: FromPath[uuid.UUID],
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Page[EntityQuote]:
        eid = await _entry(pool, entity_id)
        items, nxt = await registry.entity_quotes(pool, eid, limit=limit, after=cursor)
        return Page(items=items, next_cursor=nxt)


class EventController(Controller):
    path = "/v1/events"
    tags = ("events",)

    @get(
        "/",
        guards=[READ],
        summary="Events across articles, newest first",
        description=(
            "Filters combine. `entity_id`: as participant or location. `date_from`/`date_to`: "
            "events whose date (the article's publication date when the text gives none) "
            "overlaps the range."
        ),
    )
    async def list_events(
        self,
        pool: NamedDependency[asyncpg.Pool],
        type: FromQuery[EventType | None] = None,
        date_from: FromQuery[dt.date | None] = None,
        date_to: FromQuery[dt.date | None] = None,
        entity_id: FromQuery[uuid.UUID | None] = None,
        location_id: FromQuery[uuid.UUID | None] = None,
        polarity: FromQuery[Polarity | None] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Page[EventOut]:
        if date_from and date_to and date_from > date_to:
            return Page(items=[], next_cursor=None)  # an empty range: nothing happened in it
        if entity_id:
            entity_id = await registry.current_id(pool, entity_id) or entity_id
        if location_id:
            location_id = await registry.current_id(pool, location_id) or location_id
        flt = registry.EventFilter(
            type=type,
            date_from=date_from,
            date_to=date_to,
            entity_id=entity_id,
            location_id=location_id,
            polarity=polarity,
        )
        items, nxt = await registry.list_events(pool, flt, limit=limit, after=cursor)
        return Page(items=items, next_cursor=nxt)


WINDOW = dt.timedelta(days=30)


class SourceController(Controller):
    path = "/v1/sources"
    tags = ("sources",)

    @get(
        "/",
        guards=[READ],
        summary="Who is quoted or cited, and how often; outlets",
        description=(
            "`kind=speakers` (default): speakers ranked by statements; `media`: media cited; "
            "`outlets`: outlets ranked by articles, or with `speaker_id` by articles quoting "
            "that speaker (with `speakers` or `media`, `speaker_id` keeps that speaker alone). "
            "Within `date_from`..`date_to` by article date (the publication date; the day it "
            "was submitted for an article without one). Without dates: the 30 days up to the "
            "newest article's publication date, so an imported archive ranks as of its own "
            "time; `date_from` alone: from then on; `date_to` alone: the 30 days up to it. An "
            "empty range (`date_from` after `date_to`) ranks nothing."
        ),
    )
    async def rank(
        self,
        pool: NamedDependency[asyncpg.Pool],
        kind: FromQuery[SourceKind] = "speakers",
        date_from: FromQuery[dt.date | None] = None,
        date_to: FromQuery[dt.date | None] = None,
        speaker_id: FromQuery[uuid.UUID | None] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Page[SourceRank]:
        if date_to is None:
            if date_from is None:  # the corpus' last 30 days, not the clock's
                date_to = await registry.newest_published(pool) or dt.date.today()
            else:
                date_to = dt.date.max
        if date_from is None:
            date_from = date_to - WINDOW if date_to > dt.date.min + WINDOW else dt.date.min
        if date_from > date_to:
            return Page(items=[], next_cursor=None)  # an empty range: nobody was quoted in it
        if speaker_id:
            speaker_id = await registry.current_id(pool, speaker_id) or speaker_id
        items, nxt = await registry.rank_sources(
            pool,
            kind=kind,
            date_from=date_from,
            date_to=date_to,
            speaker_id=speaker_id,
            limit=limit,
            after=cursor,
        )
        return Page(items=items, next_cursor=nxt)


class RegistryAdminController(Controller):
    path = "/v1/admin/entities"
    tags = ("registry",)

    @post(
        "/merge",
        guards=[ADMIN],
        status_code=HTTP_200_OK,
        summary="Merge registry entries into one",
        description=(
            "Moves every article link, event role and statement of `from_ids` to `into_id`, "
            "with their names. The merge is recorded: reprocessed or new articles naming any "
            "of those names resolve to `into_id`. Old ids answer with the merged entry."
        ),
    )
    async def merge(
        self, data: JSONBody[MergeIn], pool: NamedDependency[asyncpg.Pool]
    ) -> RegistryEntityDetail:
        body = data
        # Ids merged away earlier stand for the entry they live in now (as GET resolves
        # them); one that already lives in the target is merged already and skipped.
        into_id = await _entry(pool, body.into_id)
        from_ids = [await registry.current_id(pool, i) or i for i in body.from_ids]
        from_ids = list(dict.fromkeys(i for i in from_ids if i != into_id))
        async with pool.acquire() as conn, conn.transaction():
            try:
                if from_ids:
                    await registry.merge(conn, from_ids, into_id)
            except registry.RegistryError as exc:
                raise ProblemError(exc.status, str(exc)) from None
        found = await registry.get_entity(pool, into_id)
        assert found is not None
        return found

    @post(
        "/{entity_id:uuid}/split",
        guards=[ADMIN],
        status_code=HTTP_201_CREATED,
        summary="Split names off a registry entry into a new one",
        description=(
            "The given names (aliases of the entry) and the article links that named the "
            "entity so move to a new entry; recorded, so later resolutions keep them apart."
        ),
    )
    async def split(
        self,
        data: JSONBody[SplitIn],
        pool: NamedDependency[asyncpg.Pool],
        entity_id: FromPath[uuid.UUID],
    ) -> RegistryEntityDetail:
        body = data
        entity_id = await _entry(pool, entity_id)
        async with pool.acquire() as conn, conn.transaction():
            try:
                new_id = await registry.split(conn, entity_id, list(body.names))
            except registry.RegistryError as exc:
                raise ProblemError(exc.status, str(exc)) from None
        found = await registry.get_entity(pool, new_id)
        assert found is not None
        return found
