"""The one parse view every extraction step reads: tokens, sentences, quotations, entities."""

from __future__ import annotations

import pytest

from service.extraction.entities import extract_entities
from service.extraction.parsed import parse, quote_pairs


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("«а „б“ в»", [(0, 8)]),  # nested marks: one top-level pair
        ("«а “б” в»", [(0, 8)]),
        ('"а" и "б"', [(0, 2), (6, 8)]),
        ("«а\nб»", []),  # an unclosed mark ends with its paragraph
        ("«а", []),
        ("„а“", [(0, 2)]),
        ('«а "б" в»', [(0, 8)]),
    ],
)
def test_quotation_pairs(text: str, pairs: list[tuple[int, int]]) -> None:
    assert quote_pairs(text) == pairs


def test_tokens_carry_lemma_head_sentence_and_quote() -> None:
    text = "Министр сказал: «Мы придём».\nОн ушёл."
    p = parse(text)
    said = next(t for t in p.toks if t.text == "сказал")
    assert said.lemma == "сказать" and said.pos == "VERB"
    assert p.toks[said.head].text == said.text or said.rel == "root"
    came = next(t for t in p.toks if t.text == "придём")
    assert p.in_quote(came.start) == (16, 26)
    assert p.in_quote(said.start) is None
    left = next(t for t in p.toks if t.text == "ушёл")
    assert left.sent == 1 and p.sents[1].start == text.index("Он")


def test_entity_at_a_token_once_entities_are_attached() -> None:
    text = "Владимир Путин заявил, что встреча состоится."
    p = parse(text)
    p.attach_entities(extract_entities(p, 0), 0)
    putin = p.entity_at(0, 8)
    assert putin is not None and putin.type == "PER"
    assert p.entity_at(15, 21) is None
