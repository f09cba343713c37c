"""The whole extractor on hostile text: it never fails, whatever the text, and its time grows
linearly with the text's length, however the text mixes quotes, dashes, colons and words.

Both are properties checked by ``hypothesis`` over random texts, seeded (``derandomize``)
and bounded, so a run is repeatable and takes well under a minute. Time is CPU time of the
extracting thread, compared within one run (a 4x longer text may cost at most 8x, where a
quadratic step costs 16x); no wall-clock threshold.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import hypothesis
from hypothesis import strategies as st

from service.extraction import extract, parsed
from tests.conftest import SEED

QUOTES = ["«", "»", '"', "„", "“", "”", "'", "‘", "’"]
DASHES = ["-", "–", "—"]
MARKS = [":", ",", ".", "!", "?", "…", "(", ")", " ", " ", " ", "\n", "\n\n"]
WORDS = [
    "а",
    "Я",
    "Да",
    "Он",
    "не",
    "что",
    "по",
    "словам",
    "Путин",
    "Владимир Путин",
    "сказал",
    "заявил",
    "сообщил",
    "ТАСС",
    "Москве",
    "в",
    "2024 года",
    "МИД России",
    "«Газпром»",
]
PIECES = QUOTES + DASHES + MARKS + WORDS

hostile = st.lists(st.sampled_from(PIECES), min_size=1, max_size=80).map("".join)
anything = st.text(max_size=300)


def check_spans(text: str, result: Any) -> None:
    for entity in result.entities:
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text, (entity.name, m)
    for s in result.sources.items:
        assert text[s.quote.start : s.quote.end] == s.quote.text, s
    for event in result.events:
        assert text[event.trigger.start : event.trigger.end] == event.trigger.text, event


@hypothesis.settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
@hypothesis.given(st.one_of(hostile, anything))
@hypothesis.example("Он сказал: «Да")
@hypothesis.example("Он сказал: «Да!")
@hypothesis.example('Иванов заявил: "Нет')
@hypothesis.example("«" * 50 + "»" * 3 + '"' * 7)
@hypothesis.example("— : — «\n» — :")
def test_the_extractor_never_fails(text: str) -> None:
    check_spans(text, extract(text))


# --- time --------------------------------------------------------------------------------

SMALL, BIG = 2_500, 10_000


def repeat(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


@contextmanager
def timed_nlp() -> Iterator[list[float]]:
    """CPU seconds spent in the models (``parsed.analyze``, natasha) while the block runs."""
    spent = [0.0]
    original = parsed.analyze

    def analyze(text: str) -> Any:
        started = time.thread_time()
        try:
            return original(text)
        finally:
            spent[0] += time.thread_time() - started

    parsed.analyze = analyze
    try:
        yield spent
    finally:
        parsed.analyze = original


def cpu_seconds(text: str) -> tuple[float, float]:
    """(everything, the rules alone: everything but the models) for one extraction. The
    garbage collector is paused meanwhile: its passes over the models' many objects would
    add noise that grows with the heap, not with the step measured."""
    gc.collect()
    gc.disable()
    try:
        with timed_nlp() as nlp:
            started = time.thread_time()
            extract(text)
            total = time.thread_time() - started
    finally:
        gc.enable()
    return total, total - nlp[0]


_ordinary: list[float] = []


def ordinary_seconds() -> float:
    """Extraction time of ordinary news text of the big length (once per run)."""
    if not _ordinary:
        body = SEED.read_text(encoding="utf-8").split("\n", 1)[1]
        _ordinary.append(cpu_seconds(repeat(body, BIG))[0])
    return _ordinary[0]


unit = (
    st.lists(st.sampled_from(QUOTES + DASHES + MARKS + WORDS[:8]), min_size=1, max_size=10)
    .map("".join)
    .filter(lambda u: u.strip() != "")
)


@hypothesis.settings(
    max_examples=2,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
@hypothesis.given(unit)
@hypothesis.example('"')
@hypothesis.example("«»")
@hypothesis.example("Он сказал: «Да — ")
def test_extraction_time_grows_linearly_with_hostile_text(unit: str) -> None:
    extract(repeat(unit, 200))  # models loaded, caches warm
    small_total, small_rules = cpu_seconds(repeat(unit, SMALL))
    big_total, big_rules = cpu_seconds(repeat(unit, BIG))
    # 4x the text: linear steps cost ~4x, a quadratic one ~16x; a little slack for noise.
    assert big_rules <= 8 * small_rules + 0.1, (
        f"the rules took {small_rules:.2f} s for {SMALL} characters of {unit!r} and "
        f"{big_rules:.2f} s for {BIG}: not linear"
    )
    assert big_total <= 8 * small_total + 0.5, (
        f"extraction took {small_total:.2f} s for {SMALL} characters of {unit!r} and "
        f"{big_total:.2f} s for {BIG}: not linear"
    )
    # Per character, within a generous factor of ordinary news text of the same length
    # (a character of hostile text is often a token of its own, ~6x a Russian word's share).
    assert big_total <= 30 * ordinary_seconds() + 0.5, (big_total, ordinary_seconds())
