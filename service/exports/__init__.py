"""Exports of one processed article to newsroom standards: IPTC ninjs and schema.org JSON-LD.

Pure mapping: an ``ArticleBundle`` (what the API serves for the article) in, plain dicts out.
"""

from __future__ import annotations

import re
import uuid

import msgspec

from service.extraction.rawformat import parse_raw
from service.schemas import ArticleDetail, EntityOut, EventOut, SourcesPage

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


class ArticleBundle(msgspec.Struct):
    """One article with every entity, event and statement extracted from it."""

    article: ArticleDetail
    entities: list[EntityOut]
    events: list[EventOut]
    sources: SourcesPage


def article_uri(article_id: uuid.UUID) -> str:
    return f"urn:newsmeta:article:{article_id}"


def entity_uri(entity_id: uuid.UUID) -> str:
    return f"urn:newsmeta:entity:{entity_id}"


def event_uri(event_id: uuid.UUID) -> str:
    return f"urn:newsmeta:event:{event_id}"


def statement_uri(statement_id: uuid.UUID) -> str:
    return f"urn:newsmeta:statement:{statement_id}"


def geonames_uri(geonameid: int) -> str:
    return f"https://sws.geonames.org/{geonameid}/"


def body_text(text: str) -> str:
    """The body without the raw format's ``date …`` header and ``(outlet)`` trailer."""
    span = parse_raw(text).body
    return text[span.start : span.end]


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def most_salient(entities: list[EntityOut]) -> uuid.UUID | None:
    """The entity the article is about: the highest salience, the first one on a tie."""
    best: EntityOut | None = None
    for e in entities:
        if best is None or e.salience > best.salience:
            best = e
    return best.id if best else None


def event_name(event: EventOut) -> str:
    """``CONSULT «проводили» (negated)``: the PLOVER type, mode, trigger and qualifiers."""
    kind = f"{event.type}/{event.mode}" if event.mode else event.type
    qualifiers = []
    if event.polarity == "negative":
        qualifiers.append("negated")
    if event.modality == "hypothetical":
        qualifiers.append("hypothetical")
    suffix = f" ({', '.join(qualifiers)})" if qualifiers else ""
    return f"{kind} «{event.trigger.text}»{suffix}"
