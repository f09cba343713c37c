"""Places the tagger types or bounds wrongly (LOC recall and exact spans).

* ``place_lexicon``: names in ``data/places.txt`` are places even where the tagger says ORG
  (``МКС``): a tagger mention with a lexicon span is retyped, a missed one is added.
* ``facilities``: the quoted name after a building or site noun (``data/facilities.txt``)
  is a place: ``аэропорту «Домодедово»``, ``бизнес-центра «Демидов»``.
* ``facility_names``: a capitalised organisation headed by a facility noun is the
  building: ``во Дворце спорта``, ``Космического центра Годдарда`` (not ``Белый дом``).
* ``chain_places``: a place named by a lowercase division noun takes the genitive place
  it belongs to, as factRuEval marks it: ``Партизанского района`` + ``(города) Минска``,
  ``Южного округа`` + ``Нью-Йорка``; the inner place stays a mention of its own.
* ``skipped_places``: a capitalised word the tagger skipped that is a place noun in every
  dictionary reading (``чемпионат Европы``); ``only_place`` also retypes a one-word PER.
* ``places_in_names``: the genitive place inside an organisation's name (``Банка Москвы``).
* ``monuments``: ``памятник Юрию Долгорукому`` is a place named with a person.
* ``domain_zone``: ``в зоне .РФ`` is part of a web address, not a place.

Pure functions over the mention list of ``entities.py`` (any object with ``type``,
``start``, ``stop`` and ``tokens``), so this module does not import it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Protocol

from natasha import Doc
from natasha.doc import DocToken

from service.extraction.gazetteer import Gazetteer, read_lexicon
from service.extraction.morph import analyzer, parses


class _Mention(Protocol):
    type: str
    start: int
    stop: int
    tokens: list[DocToken]


def _data(name: str) -> str:
    return resources.files("service.extraction").joinpath(f"data/{name}").read_text()


@cache
def _places() -> Gazetteer:
    return Gazetteer.build(read_lexicon(_data("places.txt"), "LOC"))


@cache
def _facility_lines() -> tuple[str, ...]:
    lines = (ln.split("#", 1)[0].strip() for ln in _data("facilities.txt").splitlines())
    return tuple(ln for ln in lines if ln)


@cache
def facility_nouns() -> frozenset[str]:
    """Nouns before a quoted place name (``аэропорт``, ``торговый центр``)."""
    return frozenset(ln for ln in _facility_lines() if not ln.endswith("*"))


@cache
def facility_heads() -> frozenset[str]:
    """Nouns heading a place name: all of the file, the starred ones too (``дом``)."""
    return frozenset(ln.removesuffix("*").strip() for ln in _facility_lines())


def place_lexicon(doc: Doc, mentions: Sequence[_Mention]) -> list[tuple[int, int]]:
    """Retype the mentions the lexicon names; return the spans (token index, inclusive) of
    lexicon names no mention touches, for the caller to add."""
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    sentence_starts = {index[s.tokens[0].start] for s in doc.sents if s.tokens}
    for m in mentions:  # the mention alone: "МКС Владимир Соловьев" hides it in the text
        whole = _places().find(m.tokens, {0}, set())
        if whole and (whole[0].first, whole[0].last) == (0, len(m.tokens) - 1):
            m.type = "LOC"
    covered = {index[t.start] for m in mentions for t in m.tokens if t.start in index}
    missed: list[tuple[int, int]] = []
    for f in _places().find(tokens, sentence_starts, set()):
        if not covered & set(range(f.first, f.last + 1)):
            missed.append((f.first, f.last))
    return missed


_OPENING = '«"„“'


def facilities(doc: Doc, mentions: Sequence[_Mention], lemma: Callable[[DocToken], str]) -> None:
    """A quoted name right after a facility noun (one word, or adjective + noun as in
    ``торговый центр``) is a LOC: retype the mention of the name."""
    text = doc.text
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    nouns = facility_nouns()
    for m in mentions:
        if m.type == "LOC" or m.start < 2 or text[m.start - 1] not in _OPENING:
            continue
        i = index.get(m.start - 1)  # the opening quote is a token of its own
        if i is None or i == 0:
            continue
        noun = tokens[i - 1]
        if noun.pos not in ("NOUN", "PROPN") or not noun.text.islower():
            continue
        pair = f"{lemma(tokens[i - 2])} {lemma(noun)}" if i >= 2 else ""
        if lemma(noun) in nouns or pair in nouns:
            m.type = "LOC"


def facility_names(
    mentions: Sequence[_Mention],
    lemma: Callable[[DocToken], str],
    known: Callable[[list[DocToken]], bool],
) -> None:
    """A capitalised ORG headed (after its adjectives) by a facility noun is the building:
    ``Дворце спорта``, ``Центральном доме журналиста``, ``Космического центра Годдарда``;
    retype it LOC unless ``known`` says it is an organisation's name (``Белый дом``)."""
    heads = facility_heads()
    for m in mentions:
        if m.type != "ORG" or not m.tokens[0].text[:1].isupper():
            continue
        k = 0
        while k < len(m.tokens) - 1 and m.tokens[k].pos == "ADJ":
            k += 1
        head = lemma(m.tokens[k])
        pair = f"{lemma(m.tokens[k - 1])} {head}" if k else ""
        if (head in heads or pair in heads) and not known(m.tokens):
            m.type = "LOC"


# Lowercase nouns of an administrative division and the genitive noun that may stand
# between it and its place ("района города Минска").
_DIVISIONS = {
    "район",
    "округ",
    "область",
    "автономия",
    "провинция",
    "штат",
    "край",
    "уезд",
    "графство",
    "волость",
    "префектура",
}
_LINKS = {"город", "область", "республика", "штат", "провинция", "край", "столица"}
_GAP = re.compile(r"[ \t]+")


def chain_places(doc: Doc, mentions: Sequence[_Mention], lemma: Callable[[DocToken], str]) -> None:
    """Extend ``<adjective> <division>`` places over the genitive place after them."""
    text = doc.text
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    by_start = {m.start: m for m in mentions if m.type == "LOC"}
    for m in sorted(mentions, key=lambda m: -m.start):  # right to left: chains build up
        last = m.tokens[-1]
        if m.type != "LOC" or len(m.tokens) < 2 or not last.text.islower():
            continue
        if lemma(last) not in _DIVISIONS:
            continue
        gap = _GAP.match(text, m.stop)
        i = index.get(gap.end()) if gap else None
        if i is None:
            continue
        link = tokens[i]
        if link.text.islower() and _genitive(link) and lemma(link) in _LINKS:
            gap = _GAP.match(text, link.stop)
            i = index.get(gap.end()) if gap else None
        nxt = by_start.get(tokens[i].start) if i is not None else None
        if nxt is None or nxt is m or not _genitive(nxt.tokens[0]):
            continue
        m.tokens = [
            *m.tokens,
            *tokens[index[m.tokens[-1].start] + 1 : index[nxt.tokens[-1].start] + 1],
        ]
        m.stop = nxt.stop


def _genitive(tok: DocToken) -> bool:
    return (tok.feats or {}).get("Case") == "Gen"


@lru_cache(maxsize=50_000)
def _tags(word: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(p.tag.grammemes) for p in parses(word))


@lru_cache(maxsize=50_000)
def only_place(word: str) -> bool:
    """Every dictionary reading of ``word`` is a place name (``Европы``, ``Царицыно``)."""
    tags = _tags(word)
    known = analyzer().word_is_known(word)
    return known and bool(tags) and all("Geox" in t and "NOUN" in t for t in tags)


def skipped_places(doc: Doc, mentions: Sequence[_Mention]) -> list[int]:
    """Indexes of capitalised tokens outside every mention that are place names in every
    reading (``чемпионат Европы``, which the tagger skipped), standing alone (the words
    around them are not capitalised mid-sentence) and not in quotes."""
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    covered = {index[t.start] for m in mentions for t in m.tokens if t.start in index}
    sentence_starts = {index[s.tokens[0].start] for s in doc.sents if s.tokens}
    out: list[int] = []
    for i, tok in enumerate(tokens):
        if i in covered or not tok.text[:1].isupper() or tok.text.isupper():
            continue
        if i > 0 and tokens[i - 1].text in _OPENING:
            continue  # «Таврия»: a quoted name is a product's or a firm's
        if _capital_next_to(tokens, i, sentence_starts) or not only_place(tok.text):
            continue
        out.append(i)
    return out


def _capital_next_to(tokens: Sequence[DocToken], i: int, sentence_starts: set[int]) -> bool:
    """A capitalised word just before (not opening the sentence) or just after token i."""
    mid = i > 0 and not {i, i - 1} & sentence_starts
    before = mid and tokens[i - 1].text[:1].isupper()
    after = i + 1 < len(tokens) and tokens[i + 1].text[:1].isupper()
    return bool(before or after)


def places_in_names(doc: Doc, mentions: Sequence[_Mention]) -> list[int]:
    """Indexes of the place words inside organisation names (``«Голоса Америки»``, ``Банк
    Москвы``, ``Новый регион — Екатеринбург``): factRuEval marks the place a name is of
    as a place of its own. A word past the name's first one, capitalised, a place in every
    dictionary reading, in the genitive or after a dash; not a word the name agrees with
    (``Единая Россия`` is a party's name, not a place)."""
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    spans = {(m.start, m.stop) for m in mentions}
    out: list[int] = []
    for m in mentions:
        if m.type != "ORG" or len(m.tokens) < 2:
            continue
        for prev, tok in itertools.pairwise(m.tokens):
            of = (tok.feats or {}).get("Case") == "Gen" or prev.text in ("—", "–", "-")
            if not of or not tok.text[:1].isupper() or (tok.start, tok.stop) in spans:
                continue
            if tok.start in index and only_place(tok.text):
                out.append(index[tok.start])
    return sorted(set(out))


_MONUMENTS = {"памятник", "монумент", "мемориал", "бюст"}


def monuments(
    doc: Doc, mentions: Sequence[_Mention], lemma: Callable[[DocToken], str]
) -> list[tuple[int, int]]:
    """``памятник Юрию Долгорукому``, ``памятник первому президенту России Борису
    Ельцину``: a monument to a person is a place named with the person (who stays a PER).
    Token spans (inclusive) from the monument noun to the dative name; between them only
    lowercase words and places."""
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    owner = {index[t.start]: m for m in mentions for t in m.tokens if t.start in index}
    out: list[tuple[int, int]] = []
    for i, tok in enumerate(tokens):
        if not tok.text.islower() or lemma(tok) not in _MONUMENTS:
            continue
        j = i + 1
        while j < len(tokens) and j - i <= 6:
            m = owner.get(j)
            if m is not None and m.type == "PER":
                if (m.tokens[0].feats or {}).get("Case") == "Dat":
                    out.append((i, index[m.tokens[-1].start]))
                break
            between_ok = tokens[j].text.islower() if m is None else m.type == "LOC"
            if not between_ok:
                break
            j += 1
    return out


def domain_zone(text: str, start: int) -> bool:
    """A name written right after a dot that follows a space or a word is part of a web
    address (``в доменной зоне .РФ``, ``сайт президент.рф``), not a place."""
    return start >= 2 and text[start - 1] == "." and not text[start - 2].isdigit()
