"""Entities: natasha NER spans grouped into one entity per referent, with canonical names."""

from __future__ import annotations

from natasha import Doc

from service.extraction.models import Entity, EntityType, TextSpan
from service.extraction.nlp import models


def extract_entities(doc: Doc, offset: int) -> list[Entity]:
    """Group NER spans of ``doc`` (body text) into entities; offsets shifted by ``offset``."""
    vocab = models().morph_vocab
    groups: dict[tuple[str, str], list[tuple[int, int, str, str]]] = {}
    order: list[tuple[str, str]] = []
    for span in doc.spans:
        span.normalize(vocab)
        normal = span.normal or span.text
        key = (span.type, normal.lower())
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((span.start + offset, span.stop + offset, span.text, normal))
    # A single-word PER name (surname) joins the one full name ending with it.
    for key in list(order):
        etype, norm = key
        if etype != "PER" or " " in norm:
            continue
        owners = [k for k in order if k[0] == "PER" and k != key and k[1].endswith(" " + norm)]
        if len(owners) == 1:
            groups[owners[0]].extend(groups.pop(key))
            order.remove(key)
    total = sum(len(g) for g in groups.values()) or 1
    entities: list[Entity] = []
    for i, key in enumerate(order, 1):
        mentions = sorted(groups[key])
        name = max((m[3] for m in mentions), key=len)
        etype: EntityType = key[0]  # type: ignore[assignment]
        entities.append(
            Entity(
                key=f"e{i}",
                type=etype,
                name=name,
                salience=round(len(mentions) / total, 4),
                mention_count=len(mentions),
                roles=[],
                geo=None,
                mentions=[TextSpan(s, e, t) for s, e, t, _ in mentions],
            )
        )
    return entities
