"""Events over the dependency parse, typed with PLOVER through a curated lemma lexicon."""

from __future__ import annotations

from natasha import Doc

from service.extraction.models import DateValue, Entity, Event


def extract_events(
    doc: Doc, offset: int, entities: list[Entity], dates: list[DateValue]
) -> list[Event]:
    """Events of ``doc`` (the body); ``entities``/``dates`` carry offsets into the full text."""
    return []
