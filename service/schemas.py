"""Request and response structs of the HTTP API (shared by the store, which fills them)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Generic, Literal, TypeVar

import msgspec

from service.extraction.models import (
    EntityType,
    EventType,
    Geo,
    Modality,
    ParticipantRole,
    Polarity,
    Span,
    SpeakerType,
    StatementKind,
    TextSpan,
    Trigger,
)

T = TypeVar("T")
ArticleStatus = Literal["queued", "processing", "done", "failed"]

# Regexes for checks made in code, stated in the OpenAPI document (ECMA and Python alike;
# ``$`` alone would also match before a final newline). TEXT: some character that is not
# white space, and no U+0000 (Postgres text cannot hold it); written so that no engine
# backtracks. NO_NUL: anything but U+0000.
END = r"$(?!\n)"
TEXT_PATTERN = r"^\s*[^\s\u0000][^\u0000]*" + END
NO_NUL = r"^[^\u0000]*" + END

NonEmptyText = Annotated[str, msgspec.Meta(min_length=1)]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]
ExternalId = Annotated[str, msgspec.Meta(min_length=1, max_length=512)]
Language = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2}$")]


class ArticleIn(msgspec.Struct, forbid_unknown_fields=True):
    """One article to submit. Only ``text`` is required; ``language`` must be ``ru``."""

    text: NonEmptyText
    title: ShortText | None = None
    url: ShortText | None = None
    outlet: ShortText | None = None
    published_at: dt.date | None = None
    language: Language = "ru"
    external_id: ExternalId | None = None


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    next_cursor: str | None


class Article(msgspec.Struct):
    id: uuid.UUID
    status: ArticleStatus
    title: str | None
    url: str | None
    outlet: str | None
    published_at: dt.date | None
    language: str
    external_id: str | None
    error: str | None
    attempts: int
    extractor_version: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    processed_at: dt.datetime | None
    length: int  # code points of the submitted text


class ArticleDetail(Article):
    text: str


class BatchItemResult(msgspec.Struct, omit_defaults=True):
    index: int
    status: int  # the HTTP status this item would have had alone: 202, 200 or 4xx
    article: Article | None = None
    error: Problem | None = None


class BatchResult(msgspec.Struct):
    items: list[BatchItemResult]
    accepted: int
    duplicates: int
    rejected: int


class Problem(msgspec.Struct, omit_defaults=True):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class FieldError(msgspec.Struct):
    field: str
    message: str


class EntityOut(msgspec.Struct):
    id: uuid.UUID
    type: EntityType
    name: str
    salience: float
    mention_count: int
    roles: list[str]
    geo: Geo | None
    mentions: list[TextSpan]


class ParticipantOut(msgspec.Struct):
    entity_id: uuid.UUID | None  # null: a described group (``полиция``), no registry entity
    name: str
    role: ParticipantRole


class LocationOut(msgspec.Struct):
    entity_id: uuid.UUID | None
    name: str


class DateOut(msgspec.Struct):
    text: str
    start: dt.date | None
    end: dt.date | None


class EventOut(msgspec.Struct):
    id: uuid.UUID
    type: EventType
    mode: str | None
    polarity: Polarity
    modality: Modality
    trigger: Trigger
    participants: list[ParticipantOut]
    location: LocationOut | None
    date: DateOut | None
    sentence: Span
    article_id: uuid.UUID | None = None


class SpeakerOut(msgspec.Struct):
    entity_id: uuid.UUID | None
    name: str
    type: SpeakerType
    role: str | None
    mention: Span | None


class StatementOut(msgspec.Struct):
    id: uuid.UUID
    kind: StatementKind
    quote: TextSpan
    cue: TextSpan | None
    speaker: SpeakerOut


class OutletOut(msgspec.Struct):
    name: str
    domain: str | None


class SourcesPage(msgspec.Struct):
    outlet: OutletOut | None
    items: list[StatementOut]
    next_cursor: str | None


class ExtractIn(msgspec.Struct, forbid_unknown_fields=True):
    text: NonEmptyText
    published_at: dt.date | None = None
    outlet: ShortText | None = None
    language: Language = "ru"


class ExtractArticle(msgspec.Struct):
    published_at: dt.date | None
    outlet: str | None
    language: str
    body: Span
    extractor_version: str


class ExtractOut(msgspec.Struct):
    """What ``POST /v1/extract`` and ``newsmeta extract`` return; ids are stable per text."""

    article: ExtractArticle
    entities: list[EntityOut]
    events: list[EventOut]
    sources: SourcesPage


class Health(msgspec.Struct):
    status: Literal["ok", "unavailable"]
    database: Literal["ok", "unavailable", "not checked"]
