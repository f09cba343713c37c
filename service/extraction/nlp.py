"""natasha/slovnet models, loaded once per process (the weights ship inside the wheels)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache

from natasha import (
    Doc,
    MorphVocab,
    NewsEmbedding,
    NewsMorphTagger,
    NewsNERTagger,
    NewsSyntaxParser,
    Segmenter,
)


@dataclass(frozen=True)
class Models:
    segmenter: Segmenter
    morph_vocab: MorphVocab
    morph: NewsMorphTagger
    syntax: NewsSyntaxParser
    ner: NewsNERTagger


_lock = threading.Lock()


@cache
def _load() -> Models:
    embedding = NewsEmbedding()
    return Models(
        segmenter=Segmenter(),
        morph_vocab=MorphVocab(),
        morph=NewsMorphTagger(embedding),
        syntax=NewsSyntaxParser(embedding),
        ner=NewsNERTagger(embedding),
    )


def models() -> Models:
    with _lock:  # the first call loads; others wait instead of loading twice
        return _load()


def analyze(text: str) -> Doc:
    """Segment, tag morphology, parse syntax and tag NER; offsets are into ``text``."""
    m = models()
    doc = Doc(text)
    doc.segment(m.segmenter)
    doc.tag_morph(m.morph)
    doc.parse_syntax(m.syntax)
    doc.tag_ner(m.ner)
    return doc
