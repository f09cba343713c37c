"""Response and request structs of the corpus-wide endpoints: registry, events, sources."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

from service.extraction.models import EntityType, Geo, SpeakerType
from service.schemas import StatementOut

SourceKind = Literal["speakers", "media", "outlets"]


class RegistryEntity(msgspec.Struct):
    """One registry entry: one real-world entity across all articles."""

    id: uuid.UUID
    type: EntityType
    name: str
    aliases: list[str]  # every name variant seen, the canonical name included
    article_count: int
    first_seen: dt.datetime
    last_seen: dt.datetime
    geo: Geo | None


class RegistryEntityDetail(RegistryEntity):
    roles: list[str]  # roles seen with the entity, most frequent first
    merged_from: list[uuid.UUID]  # entries merged into this one by an admin


class EntityArticle(msgspec.Struct):
    """An article mentioning the entity, with how it is named and weighted there."""

    id: uuid.UUID
    title: str | None
    url: str | None
    outlet: str | None
    published_at: dt.date | None
    created_at: dt.datetime
    name: str
    salience: float
    mention_count: int
    roles: list[str]


class EntityQuote(StatementOut):
    """A statement by the entity with the article it appears in."""

    article_id: uuid.UUID
    published_at: dt.date | None
    outlet: str | None


class SourceRank(msgspec.Struct):
    """A speaker, a cited medium or an outlet, and how often it occurs."""

    kind: Literal["speaker", "media", "outlet"]
    name: str
    entity_id: uuid.UUID | None
    speaker_type: SpeakerType | None
    statement_count: int
    article_count: int


class MergeIn(msgspec.Struct, forbid_unknown_fields=True):
    """Merge the entries ``from_ids`` into ``into_id`` (all of one type)."""

    from_ids: Annotated[list[uuid.UUID], msgspec.Meta(min_length=1, max_length=100)]
    into_id: uuid.UUID


class SplitIn(msgspec.Struct, forbid_unknown_fields=True):
    """Move these names (aliases of the entry) and the article links named so to a new entry."""

    names: Annotated[
        list[Annotated[str, msgspec.Meta(min_length=1, max_length=512)]],
        msgspec.Meta(min_length=1, max_length=100),
    ]
