"""From the extractor's structs to the API's: entity keys become registry ids."""

from __future__ import annotations

import uuid

from service.extraction.models import Entity, Event, Extraction, Statement
from service.identity import derived_id, entity_id, entity_key
from service.schemas import (
    DateOut,
    EntityOut,
    EventOut,
    ExtractArticle,
    ExtractOut,
    LocationOut,
    OutletOut,
    ParticipantOut,
    SourcesPage,
    SpeakerOut,
    StatementOut,
)


def registry_ids(entities: list[Entity]) -> dict[str, uuid.UUID]:
    return {e.key: entity_id(e.type, entity_key(e.name)) for e in entities}


def entity_out(entity: Entity, ids: dict[str, uuid.UUID]) -> EntityOut:
    return EntityOut(
        id=ids[entity.key],
        type=entity.type,
        name=entity.name,
        salience=entity.salience,
        mention_count=entity.mention_count,
        roles=entity.roles,
        geo=entity.geo,
        mentions=entity.mentions,
    )


def event_out(event: Event, event_id: uuid.UUID, ids: dict[str, uuid.UUID]) -> EventOut:
    return EventOut(
        id=event_id,
        type=event.type,
        mode=event.mode,
        polarity=event.polarity,
        modality=event.modality,
        trigger=event.trigger,
        participants=[
            ParticipantOut(entity_id=ids[p.entity] if p.entity else None, name=p.name, role=p.role)
            for p in event.participants
            if p.entity is None or p.entity in ids
        ],
        location=LocationOut(entity_id=ids.get(event.location.entity), name=event.location.name)
        if event.location
        else None,
        date=DateOut(text=event.date.text, start=event.date.start, end=event.date.end)
        if event.date
        else None,
        sentence=event.sentence,
    )


def statement_out(
    statement: Statement, statement_id: uuid.UUID, ids: dict[str, uuid.UUID]
) -> StatementOut:
    speaker = statement.speaker
    return StatementOut(
        id=statement_id,
        kind=statement.kind,
        quote=statement.quote,
        cue=statement.cue,
        speaker=SpeakerOut(
            entity_id=ids.get(speaker.entity) if speaker.entity else None,
            name=speaker.name,
            type=speaker.type,
            role=speaker.role,
            mention=speaker.mention,
        ),
    )


def extraction_out(result: Extraction, text_hash: str) -> ExtractOut:
    """The stateless ``/v1/extract`` answer; event and statement ids derive from the text."""
    ids = registry_ids(result.entities)
    outlet = result.sources.outlet
    return ExtractOut(
        article=ExtractArticle(
            published_at=result.article.published_at,
            outlet=result.article.outlet,
            language=result.article.language,
            body=result.article.body,
            extractor_version=result.extractor_version,
        ),
        entities=[entity_out(e, ids) for e in result.entities],
        events=[
            event_out(e, derived_id("event", text_hash, i), ids)
            for i, e in enumerate(result.events)
        ],
        sources=SourcesPage(
            outlet=OutletOut(name=outlet.name, domain=outlet.domain) if outlet else None,
            items=[
                statement_out(s, derived_id("statement", text_hash, i), ids)
                for i, s in enumerate(result.sources.items)
            ],
            next_cursor=None,
        ),
    )
