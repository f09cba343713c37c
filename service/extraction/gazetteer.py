"""Names the corpus already knows, found again in new text (registry-aided recognition).

Pure and DB-free: a ``Gazetteer`` is built from ``Known`` entries passed in (the worker and
the API build one from a registry snapshot; the harness from other documents) and handed to
``extract(..., gazetteer=...)``. Matching is a walk over a token trie, linear in the text.

Which names may enter (the precision rule; docs/registry.md, "Registry-aided recognition"):

* the entry is established: seen in ``>= 2`` articles, or placed by an admin (merge,
  split), or a person known by a full personal name (a first name by morphology and a
  surname), which the tagger recognised once and which names nobody else;
* a one-word name is an acronym (matched in capitals only), or has a proper-noun reading in
  the dictionary (first name, surname, place, organisation) or is no dictionary word at all:
  ``Мир``, ``Кремль``, ``Сеть`` never match on their own;
* a name claimed by entries of two types is dropped (ambiguous);
* a name starts with a capital, except a curated (confirmed) organisation of several words
  that news write in lowercase (``кабинет министров``): then lowercase tokens are tried too.

How a match is made (``Gazetteer.find``):

* every word agrees in morphology: its dictionary normal forms (pymorphy3) meet the name
  word's (so ``Путина``/``Путиным`` find ``Путин``, ``Единой России`` finds ``Единая
  Россия``), and in case shape: a capitalised name word needs a capitalised token, an
  acronym the same capitals;
* longest match from each token; a match that overlaps a mention the tagger already has is
  not made (never inside a longer name);
* a match touching an unexplained capitalised word is not made: ``Россия`` in ``Единая
  Россия`` when only ``Россия`` is known (the word before is capitalised mid-sentence), or a
  surname followed by another capitalised word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Protocol

import msgspec

from service.extraction.morph import analyzer, parses

_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&-]{1,7}$")
_WORD = re.compile(r"[\w-]+(?:\.[\w-]+)*|[^\w\s]")
_TERMINAL = ""  # trie key of the payload (no token key is empty)
_MAX_WORDS = 8
_MAX_PATHS = 16  # spellings of one name inserted into the trie (normal-form combinations)


class Known(msgspec.Struct, frozen=True):
    """A registry entry offered to the gazetteer: its type, display name and other names."""

    type: str
    name: str
    aliases: tuple[str, ...] = ()
    articles: int = 0
    confirmed: bool = False  # merged or split by an admin
    # A common word that names this entity when capitalised mid-sentence ("Кремль"): only
    # from curated lexicons, never from the registry.
    capitalised_word: bool = False


class Match(NamedTuple):
    first: int  # token index, inclusive
    last: int  # token index, inclusive
    type: str
    name: str  # display name of the registry entry
    mid_sentence: bool  # only a match that does not open a sentence counts


class _Token(Protocol):
    text: str
    start: int
    stop: int


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


def _shape(word: str) -> str:
    """A: an acronym (all capitals); U: capitalised; l: anything else."""
    if _ACRONYM.match(word) and word.upper() == word:
        return "A"
    return "U" if word[:1].isupper() else "l"


@lru_cache(maxsize=200_000)
def _parses(word: str) -> tuple[tuple[str, frozenset[str]], ...]:
    # through the shared memory of readings: text tokens were mostly read there already
    return tuple((_fold(p.normal_form), frozenset(p.tag.grammemes)) for p in parses(word))


@lru_cache(maxsize=200_000)
def token_keys(word: str) -> frozenset[str]:
    """Keys a text token can match by: its shape plus each dictionary normal form."""
    shape = _shape(word)
    folded = _fold(word)
    if shape == "A":
        return frozenset({"A" + folded})
    forms = {folded} | {n for n, _ in _parses(folded)}
    return frozenset(shape + f for f in forms)


def _name_keys(word: str, person: bool) -> frozenset[str]:
    """Keys of a word of a registry name: the proper-noun readings when there are any (so the
    surname ``Песков`` does not also mean ``песок``), else every reading."""
    shape = _shape(word)
    folded = _fold(word)
    if shape == "A":
        return frozenset({"A" + folded})
    parses = _parses(folded)
    proper = [n for n, g in parses if g & _PROPER and (person or "Surn" not in g)]
    forms = {folded} | set(proper or (n for n, _ in parses))
    return frozenset(shape + f for f in forms)


def _words(name: str) -> list[str]:
    return [w for w in _WORD.findall(name) if w not in "«»\"„“”'"]


def _common_word(word: str) -> bool:
    """A dictionary word with no proper-noun reading: ``Мир``, ``Кремль``, ``Сеть``."""
    if _shape(word) == "A":
        return False
    folded = _fold(word)
    if not analyzer().word_is_known(folded):
        return False
    return not any(g & _PROPER for _, g in _parses(folded))


def _full_person(name: str) -> bool:
    """``Владимир Путин``: a first name (dictionary) followed by a surname-like word."""
    words = _words(name)
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    return any("Name" in g for _, g in _parses(_fold(words[0])))


def _may_open(words: list[str], entry: Known) -> bool:
    """A name starts with a capital, except a curated multi-word name of a body that news
    write in lowercase (``кабинет министров``, ``вооружённые силы``): its words all agree
    in morphology, so a lowercase match is as safe as a capitalised one."""
    if words[0][:1].isupper():
        return True
    return entry.confirmed and entry.type == "ORG" and len(words) >= 2


def admitted(entry: Known) -> bool:
    """Is the entry established enough to be recognised again (see the module docstring)?"""
    if entry.type not in ("PER", "ORG", "LOC"):
        return False
    if entry.articles >= 2 or entry.confirmed:
        return True
    return entry.type == "PER" and _full_person(entry.name)


@dataclass
class _Node:
    children: dict[str, _Node]
    payload: tuple[str, str, bool] | None = None  # (type, name, mid-sentence); type "": ambiguous


class Gazetteer:
    """A token trie of admitted names. Build once per snapshot; ``find`` is read-only, so one
    gazetteer may serve several threads."""

    def __init__(self, root: _Node, size: int) -> None:
        self._root = root
        self.size = size  # names in the trie
        self._lowercase = False  # a curated lowercase name is in the trie: try every token

    @classmethod
    def build(cls, entries: Iterable[Known]) -> Gazetteer:
        gazetteer = cls(_Node({}), 0)
        gazetteer.add(entries)
        return gazetteer

    def add(self, entries: Iterable[Known]) -> None:
        """Insert more entries (a refresh that only saw new names). A reader in another
        thread sees each name either absent or complete enough to match: lookups only."""
        for entry in entries:
            if not admitted(entry):
                continue
            person = entry.type == "PER"
            for name in dict.fromkeys((entry.name, *entry.aliases)):
                words = _words(name)
                if not words or len(words) > _MAX_WORDS or not _may_open(words, entry):
                    continue
                common = len(words) == 1 and _common_word(words[0])
                if common and not entry.capitalised_word:
                    continue
                if len(words) == 1 and len(words[0]) < 3 and _shape(words[0]) != "A":
                    continue
                keys = [_name_keys(w, person) for w in words]
                self._lowercase |= not words[0][:1].isupper()
                self.size += _insert(self._root, keys, (entry.type, entry.name, common))

    def find(
        self, tokens: Sequence[_Token], sentence_starts: set[int], taken: set[int]
    ) -> list[Match]:
        """Longest non-overlapping matches over ``tokens``. ``sentence_starts``: indexes of
        tokens that begin a sentence (their capital says nothing); ``taken``: indexes of
        tokens inside mentions found otherwise (no match overlaps them)."""
        out: list[Match] = []
        n = len(tokens)
        i = 0
        while i < n:
            if i in taken or not (self._lowercase or tokens[i].text[:1].isupper()):
                i += 1
                continue
            best: Match | None = None
            states = [self._root]
            j = i
            while states and j < n and j not in taken:
                keys = token_keys(tokens[j].text)
                states = [c for s in states for k in keys if (c := s.children.get(k))]
                for s in states:
                    if s.payload is not None and (best is None or best.last < j):
                        best = Match(i, j, *s.payload)
                j += 1
            if best is None or not best.type or (best.mid_sentence and i in sentence_starts):
                i += 1
                continue
            out.append(best)
            i = best.last + 1
        return [m for m in out if not _touches_capital(m, tokens, sentence_starts, taken, out)]


def _insert(root: _Node, keys: list[frozenset[str]], payload: tuple[str, str, bool]) -> int:
    paths: list[_Node] = [root]
    for ks in keys:
        nxt: list[_Node] = []
        for node in paths:
            for k in sorted(ks):
                nxt.append(node.children.setdefault(k, _Node({})))
        paths = list({id(n): n for n in nxt}.values())[:_MAX_PATHS]
    for node in paths:
        if node.payload is None:
            node.payload = payload
        elif node.payload[0] != payload[0]:
            node.payload = ("", "", False)  # two types claim this name: never match it
    return 1


def _touches_capital(
    m: Match,
    tokens: Sequence[_Token],
    sentence_starts: set[int],
    taken: set[int],
    matches: list[Match],
) -> bool:
    """A capitalised word right before (mid-sentence) or right after the match that no
    mention or other match explains: the match is probably part of a longer, unknown name."""
    covered = taken | {k for o in matches if o is not m for k in range(o.first, o.last + 1)}
    before = m.first - 1
    if before >= 0 and m.first not in sentence_starts and before not in covered | sentence_starts:
        word = tokens[before].text
        if word[:1].isupper() or word in ("«", '"', "„", "“"):
            return True
    after = m.last + 1
    if not tokens[m.first].text[:1].isupper():
        return False  # "вооружённых сил Таиланда": a lowercase body takes a name after it
    if after < len(tokens) and after not in sentence_starts and after not in covered:
        word = tokens[after].text
        if word[:1].isupper() and word[:1].isalpha():
            return True
    return False


def read_lexicon(text: str, entity_type: str) -> list[Known]:
    """Entries of a lexicon file: ``name | other name | …`` a line, ``#`` comments, a leading
    ``!`` for a common word that is a name when capitalised mid-sentence."""
    out: list[Known] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word = line.startswith("!")
        names = [n.strip() for n in line.removeprefix("!").split("|") if n.strip()]
        out.append(
            Known(entity_type, names[0], tuple(names[1:]), confirmed=True, capitalised_word=word)
        )
    return out
