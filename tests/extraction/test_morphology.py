"""Morphology: one pymorphy3 dictionary per process; no pymorphy2 (it breaks on Python 3.12+)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from service.extraction.morph import analyzer, declined_a_stem, nominative_phrase
from service.extraction.nlp import analyze, models
from service.extraction.roles import parse_best

from .conftest import SEED


@pytest.mark.skipif(
    platform.machine() not in ("x86_64", "AMD64") and sys.platform != "darwin",
    reason="DAWG2 ships wheels for x86-64 and macOS; elsewhere the pure reader gives the same",
)
def test_the_dictionary_is_read_by_the_c_extension_where_it_has_a_wheel() -> None:
    # The pure-Python reader gives the same readings ~5x slower: most of a fresh worker's
    # cost on new words (docs/performance.md).
    import pymorphy3.dawg

    assert pymorphy3.dawg.EXTENSION_AVAILABLE, "install DAWG2 (pyproject.toml lists it)"


def test_extraction_never_imports_pymorphy2_or_pkg_resources() -> None:
    # A fresh interpreter: what the worker or `newsmeta extract` loads, and nothing else.
    # pymorphy2 imports pkg_resources, which Python 3.12+ venvs do not have.
    code = (
        "import pathlib, sys\n"
        "from service.extraction import extract\n"
        f"result = extract(pathlib.Path({str(SEED)!r}).read_text(encoding='utf-8'))\n"
        "assert result.entities and result.sources.items, 'extraction found nothing'\n"
        "banned = ('pymorphy2', 'pkg_resources')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in banned))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    assert out.stdout.strip() == "[]"


def test_natasha_vocabulary_and_roles_share_one_dictionary() -> None:
    assert models().morph_vocab.analyzer is analyzer()
    assert parse_best("спикер", "anim") is not None


def test_lemma_follows_the_part_of_speech_the_tagger_chose() -> None:
    vocab = models().morph_vocab
    verb = {"Mood": "Ind", "Number": "Plur", "Tense": "Past", "VerbForm": "Fin"}
    assert vocab.lemmatize("стали", "VERB", verb) == "стать"
    assert vocab.lemmatize("стали", "NOUN", {"Case": "Gen", "Number": "Sing"}) == "сталь"
    assert vocab.lemmatize("Ёлки", "NOUN", {"Case": "Nom", "Number": "Plur"}) == "елка"


def test_tokens_get_lemmas_and_names_their_nominative() -> None:
    doc = analyze("Встреча с премьером Армении Николом Пашиняном прошла в Баку.")
    vocab = models().morph_vocab
    for token in doc.tokens:
        token.lemmatize(vocab)
    assert [t.lemma for t in doc.tokens] == [
        "встреча", "с", "премьер", "армения", "никол", "пашинян", "пройти", "в", "баку", ".",
    ]  # fmt: skip
    for span in doc.spans:
        span.normalize(vocab)
    assert [s.normal for s in doc.spans] == ["Армения", "Никол Пашинян", "Баку"]


@pytest.mark.parametrize(
    ("words", "head", "expected"),
    [
        (
            [("японского", "Gen", "Sing"), ("правительства", "Gen", "Sing")],
            1,
            "японское правительство",
        ),
        (
            [("вооружённых", "Gen", "Plur"), ("сил", "Gen", "Plur"), ("Украины", "Gen", "Sing")],
            1,
            "вооружённые силы Украины",
        ),
        ([("мэрии", "Gen", "Sing"), ("Москвы", "Gen", "Sing")], 0, "мэрия Москвы"),
        ([("российского", "Gen", "Sing"), ("МИДа", "Gen", "Sing")], 1, "российский МИД"),
        ([("турецкими", "Ins", "Plur"), ("властями", "Ins", "Plur")], 1, "турецкие власти"),
        ([("Европейской", "Dat", "Sing"), ("комиссии", "Dat", "Sing")], 1, "Европейская комиссия"),
    ],
)
def test_a_multiword_name_agrees_in_the_nominative(
    words: list[tuple[str, str, str]], head: int, expected: str
) -> None:
    phrase = [(w, {"Case": case, "Number": number}) for w, case, number in words]
    assert nominative_phrase(phrase, head) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Маехары", "маехара"),  # a foreign surname in -а the dictionary does not know
        ("Такахары", "такахара"),
        ("Маехара", None),  # already nominative
        ("Сейджи", None),  # indeclinable
        ("Нетребко", None),  # indeclinable, has a nominative reading
    ],
)
def test_an_unknown_surname_in_a_declines_back(word: str, expected: str | None) -> None:
    assert declined_a_stem(word) == expected
