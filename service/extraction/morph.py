"""Russian morphology: one pymorphy3 dictionary per process, for natasha and for our rules.

``MorphVocab`` is natasha's vocabulary (``natasha/morph/vocab.py``) on pymorphy3 instead of
pymorphy2: the same parse results, the same UD ``pos``/``feats`` on each form and natasha's
own lemma choice, so lemmas do not change. It wraps the analyzer ``roles.py`` uses, so the
dictionary is loaded once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cache, lru_cache

import pymorphy3
from natasha.morph.lemma import lemmatize as natasha_lemmatize
from pymorphy3.analyzer import Parse
from pymorphy3.tagset import OpencorporaTag

_lock = threading.Lock()


@cache
def _analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def analyzer() -> pymorphy3.MorphAnalyzer:
    with _lock:  # the first call loads the dictionary; others wait instead of loading twice
        return _analyzer()


# OpenCorpora -> Universal Dependencies, as natasha maps them (from kmike/russian-tagsets);
# super rare parts of speech (PRED, ROMN) become X.
OC_UD_POS = {
    "ADJF": "ADJ",
    "ADJS": "ADJ",
    "ADVB": "ADV",
    "COMP": "ADV",
    "VERB": "VERB",
    "GRND": "VERB",
    "INFN": "VERB",
    "PRTF": "VERB",
    "PRTS": "VERB",
    "NOUN": "NOUN",
    "NPRO": "PRON",
    "NUMR": "NUM",
    "NUMB": "NUM",
    "Apro": "DET",
    "CONJ": "CCONJ",
    "INTJ": "INTJ",
    "PART": "PRCL",
    "PNCT": "PUNCT",
    "PRCL": "PART",
    "PREP": "ADP",
}

# (UD feature, OpenCorpora grammeme, UD value); the order is natasha's: it decides which
# grammeme a UD value maps back to (the first) and which feature a grammeme sets (the last).
OC_UD_FEATS = [
    ("Animacy", "anim", "Anim"),
    ("Animacy", "inan", "Inan"),
    ("Aspect", "impf", "Imp"),
    ("Aspect", "perf", "Perf"),
    ("Case", "ablt", "Ins"),
    ("Case", "accs", "Acc"),
    ("Case", "datv", "Dat"),
    ("Case", "gent", "Gen"),
    ("Case", "gen1", "Gen"),
    ("Case", "gen2", "Gen"),
    ("Case", "loct", "Loc"),
    ("Case", "loc2", "Loc"),
    ("Case", "nomn", "Nom"),
    ("Case", "voct", "Nom"),
    ("Degree", "COMP", "Cmp"),
    ("Degree", "Supr", "Sup"),
    ("Gender", "femn", "Fem"),
    ("Gender", "masc", "Masc"),
    ("Gender", "neut", "Neut"),
    ("Mood", "impr", "Imp"),
    ("Mood", "indc", "Ind"),
    ("Number", "plur", "Plur"),
    ("Number", "sing", "Sing"),
    ("NumForm", "NUMB", "Digit"),
    ("Person", "1per", "1"),
    ("Person", "2per", "2"),
    ("Person", "3per", "3"),
    ("Person", "excl", "2"),
    ("Person", "incl", "1"),
    ("Tense", "futr", "Fut"),
    ("Tense", "past", "Past"),
    ("Tense", "pres", "Pres"),
    ("Variant", "ADJS", "Brev"),
    ("Variant", "PRTS", "Brev"),
    ("VerbForm", "GRND", "Conv"),
    ("VerbForm", "INFN", "Inf"),
    ("VerbForm", "PRTF", "Part"),
    ("VerbForm", "PRTS", "Part"),
    ("VerbForm", "VERB", "Fin"),
    ("Voice", "actv", "Act"),
    ("Voice", "pssv", "Pass"),
    ("Abbr", "Abbr", "Yes"),
]
OC_UD_INDEX = {oc: (key, ud) for key, oc, ud in OC_UD_FEATS}
UD_OC_FEATS: dict[str, str] = {}
for _key, _oc, _ud in OC_UD_FEATS:
    UD_OC_FEATS.setdefault(_ud, _oc)


def _ud_feats(tag: OpencorporaTag) -> Iterator[tuple[str, str]]:
    for gram in tag._grammemes_tuple:
        item = OC_UD_INDEX.get(gram)
        if item:
            yield item


class MorphForm(Parse):
    """A pymorphy3 parse with natasha's UD view of it: ``normal``, ``pos``, ``feats``."""

    normal: str
    pos: str
    feats: dict[str, str]

    def __new__(cls, *args: object) -> MorphForm:
        self = Parse.__new__(cls, *args)
        self.normal = self.normal_form
        self.pos = OC_UD_POS.get(self.tag._POS, "X")
        self.feats = dict(_ud_feats(self.tag))
        return self

    def inflect(self, required_grammemes: set[str]) -> Parse | None:
        """Inflect to UD values (``{"Nom"}``), as natasha's normalisation asks."""
        return _inflect(self, frozenset(UD_OC_FEATS[g] for g in required_grammemes))


@lru_cache(maxsize=1 << 14)
def _inflect(form: Parse, grammemes: frozenset[str]) -> Parse | None:
    """Cached: every entity name is normalised word by word, and names repeat (a parse is a
    tuple of plain values, so an equal parse inflects the same way)."""
    return Parse.inflect(form, set(grammemes))


class MorphVocab:
    """natasha's vocabulary interface (``vocab(word)``, ``parse``, ``lemmatize``) on pymorphy3,
    with parses and lemmas cached: news repeat their words, and several steps ask again."""

    def __init__(self, morph: pymorphy3.MorphAnalyzer) -> None:
        self.analyzer = morph
        # bound to the analyzer the way pymorphy binds its own result type (for inflect)
        self._form = type("MorphForm", (MorphForm,), {"_morph": morph, "_dict": morph.dictionary})
        self.parse = lru_cache(maxsize=1 << 16)(self._parse)
        self._lemma = lru_cache(maxsize=1 << 16)(self._lemma_uncached)

    def __call__(self, word: str) -> tuple[MorphForm, ...]:
        return self.parse(word)

    def _parse(self, word: str) -> tuple[MorphForm, ...]:
        # the analyzer's readings through ``parses``, which the rule steps share
        return tuple(self._form(*p) for p in parses(word))

    def lemmatize(self, word: str, pos: str, feats: dict[str, str]) -> str:
        return self._lemma(word, pos, tuple(sorted(feats.items())) if feats else ())

    def _lemma_uncached(self, word: str, pos: str, feats: tuple[tuple[str, str], ...]) -> str:
        return str(natasha_lemmatize(self, word, pos, dict(feats)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


# Multi-word names in the nominative: ``японского правительства`` → ``японское правительство``.
_OC_CASES = {
    "Nom": "nomn",
    "Gen": "gent",
    "Dat": "datv",
    "Acc": "accs",
    "Ins": "ablt",
    "Loc": "loct",
}
_OC_NUMBERS = {"Sing": "sing", "Plur": "plur"}
_AGREEING = {"ADJF", "PRTF", "NUMR"}


@lru_cache(maxsize=50_000)
def parses(word: str) -> tuple[Parse, ...]:
    """Every dictionary reading of ``word``, cached: the one memory of pymorphy's parses
    that the rule steps, the gazetteer and ``MorphVocab`` (natasha's lookups) share."""
    return tuple(analyzer().parse(word))


def _reading(word: str, pos: set[str], feats: dict[str, str]) -> Parse | None:
    """The reading of ``word`` with one of ``pos`` in the case and number the tagger gave it
    (the first such reading if none agrees)."""
    case = _OC_CASES.get(feats.get("Case", ""))
    number = _OC_NUMBERS.get(feats.get("Number", ""))
    readings = [p for p in parses(word.lower()) if p.tag.POS in pos]
    for p in readings:
        if (case is None or p.tag.case == case) and (number is None or p.tag.number == number):
            return p
    return readings[0] if readings else None


def _as_written(form: str, written: str) -> str:
    return form.capitalize() if written[:1].isupper() else form


def nominative_phrase(words: list[tuple[str, dict[str, str]]], head: int) -> str:
    """``words`` (text, UD feats) with the noun ``words[head]`` put in the nominative, its
    number kept, and the adjectives before it agreeing with it in number and, in the singular,
    gender (``японского правительства`` → ``японское правительство``, ``вооружённых сил
    Украины`` → ``вооружённые силы Украины``); the words after the head stay as written (its
    genitive complement). A word pymorphy cannot inflect stays as written."""
    text, feats = words[head]
    noun = _reading(text, {"NOUN"}, feats)
    if noun is None:
        return " ".join(w for w, _ in words)
    number = noun.tag.number or "sing"
    capitals = len(text) - len(text.lstrip("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ"))
    if capitals > 1:  # ``МИДа``: an acronym keeps its letters, not its ending
        head_word = text[:capitals]
    else:
        form = noun.inflect({"nomn", number}) or noun.inflect({"nomn"})
        head_word = _as_written(form.word, text) if form else text
    gender = noun.tag.gender if noun.tag.gender in ("masc", "femn", "neut") else "masc"
    out = []
    for word, word_feats in words[:head]:
        adj = _reading(word, _AGREEING, word_feats)
        want = {"nomn", number} | ({gender} if number == "sing" else set())
        form = adj.inflect(want) if adj is not None else None
        out.append(_as_written(form.word, word) if form else word)
    return " ".join([*out, head_word, *(w for w, _ in words[head + 1 :])])


def declined_a_stem(word: str) -> str | None:
    """A name the dictionary does not know, ending in ``-а`` and read in an oblique case
    (``Маехары``), in the nominative (``маехара``): foreign surnames ending in
    ``-а`` decline like feminine nouns. The tagger's case is not trusted (it reads unknown
    names as nominative); a word with a nominative singular reading stays as it is."""
    readings = [p for p in parses(word.lower()) if p.tag.POS == "NOUN"]
    if any(p.tag.case == "nomn" and p.tag.number == "sing" for p in readings):
        return None
    for p in readings:
        if p.tag.number == "sing" and p.normal_form[-1:] == "а" and p.normal_form != word.lower():
            return p.normal_form
    return None
