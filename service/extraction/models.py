"""The extractor's output model: plain msgspec structs, no database ids.

Every offset is a code-point index into the text exactly as submitted (header included),
end exclusive, so ``text[start:end]`` returns the span. Entities are referred to inside one
result by ``key`` (``"e1"``, ``"e2"``, ...); the service maps keys to registry ids on write.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

EntityType = Literal["PER", "ORG", "LOC"]
EventType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
ParticipantRole = Literal["agent", "patient", "other"]
Polarity = Literal["positive", "negative"]
Modality = Literal["asserted", "reported", "hypothetical"]
StatementKind = Literal["direct", "indirect", "mixed"]
SpeakerType = Literal["person", "organization", "media", "anonymous", "document"]


class Span(msgspec.Struct, frozen=True):
    start: int
    end: int


class TextSpan(msgspec.Struct, frozen=True):
    start: int
    end: int
    text: str


class Geo(msgspec.Struct, frozen=True):
    geonameid: int | None
    country_code: str | None
    lat: float | None
    lon: float | None
    feature: str | None = None  # "country", "city", "region", ...


class Entity(msgspec.Struct):
    key: str
    type: EntityType
    name: str  # canonical nominative form
    salience: float
    mention_count: int
    roles: list[str]
    geo: Geo | None
    mentions: list[TextSpan]
    aliases: list[str] = []  # other surface names seen (nominative), e.g. "ШОС"


class Trigger(msgspec.Struct, frozen=True):
    start: int
    end: int
    text: str
    lemma: str


class Participant(msgspec.Struct, frozen=True):
    """An event participant: a named entity (``entity`` = its key), or a described group that
    is no entity (``полиция``, ``протестующие``): ``entity`` None, ``name`` the nominative
    phrase."""

    entity: str | None  # Entity.key, None for a described group
    name: str
    role: ParticipantRole


class EventLocation(msgspec.Struct, frozen=True):
    entity: str  # Entity.key
    name: str


class DateValue(msgspec.Struct, frozen=True):
    text: str
    start: dt.date | None
    end: dt.date | None
    span: Span | None = None  # where the expression stands in the text


class Event(msgspec.Struct):
    type: EventType
    mode: str | None
    polarity: Polarity
    modality: Modality
    trigger: Trigger
    participants: list[Participant]
    location: EventLocation | None
    date: DateValue | None
    sentence: Span


class Speaker(msgspec.Struct):
    entity: str | None  # Entity.key when the speaker is a known entity
    name: str
    type: SpeakerType
    role: str | None
    mention: Span | None


class Statement(msgspec.Struct):
    kind: StatementKind
    quote: TextSpan
    cue: TextSpan | None
    speaker: Speaker


class Outlet(msgspec.Struct, frozen=True):
    name: str
    domain: str | None


class Sources(msgspec.Struct):
    outlet: Outlet | None
    items: list[Statement]


class ArticleMeta(msgspec.Struct):
    """What the raw wire format said, and where the body lies in the submitted text."""

    published_at: dt.date | None
    outlet: str | None
    body: Span
    language: str = "ru"


class Extraction(msgspec.Struct):
    article: ArticleMeta
    entities: list[Entity]
    events: list[Event]
    sources: Sources
    dates: list[DateValue] = []
    extractor_version: str = ""
