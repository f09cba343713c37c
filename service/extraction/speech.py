"""Lexicon of Russian reported speech, loaded once from ``data/speech/``.

Everything is keyed by lemma (natasha/pymorphy lemmas, ``ё`` folded to ``е``) so every
inflected form, participle and gerund of a verb counts as the same cue. The files:

* ``verbs.tsv`` — verbs of saying and the frames they take (``say``, ``directive``,
  ``naming``, ``nominal_o``, ``prep:на`` …; the header of the file explains each frame);
* ``nouns.tsv`` — cue nouns (``po``: ``по словам``, ``soglasno``, ``light``, ``cue``) and
  speaker head nouns by type (``media``, ``document``, ``org``, ``anonymous``, ``title``);
* ``media_names.txt`` — outlet names that are media even when NER says ORG;
* ``connectives.txt`` — sentence-initial connectives left out of reported content.

Adding a word is adding a line; docs/sources.md says which frame a construction reads.
"""

from __future__ import annotations

from collections import defaultdict
from importlib.resources import files


def _lines(name: str) -> list[str]:
    text = files("service.extraction").joinpath("data", "speech", name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _classes(name: str) -> dict[str, frozenset[str]]:
    """``LEMMA<TAB>CLASS CLASS`` lines as class -> lemmas."""
    by_class: dict[str, set[str]] = defaultdict(set)
    for line in _lines(name):
        lemma, _, classes = line.partition("\t")
        for c in classes.split():
            by_class[c].add(lemma.strip())
    return defaultdict(frozenset, {c: frozenset(v) for c, v in by_class.items()})


def words(block: str) -> frozenset[str]:
    """A small inline word list written as a whitespace-separated block."""
    return frozenset(block.split())


_VERBS = _classes("verbs.tsv")
_NOUNS = _classes("nouns.tsv")

SAY_VERBS = _VERBS["say"]
DIRECTIVE_VERBS = _VERBS["directive"]
NAMING_VERBS = _VERBS["naming"]
NOMINAL_O_VERBS = _VERBS["nominal_o"]
LIGHT_VERBS = _VERBS["light"]
NEGATIVE_ONLY = _VERBS["negative_only"]
CLAUSE_ONLY = _VERBS["clause_only"]
DIRECT_ONLY = _VERBS["direct_only"]
REFLEXIVE_CUES = _VERBS["reflexive"]
FROM_DOCUMENT = _VERBS["from_document"]
NOUN_OBJ_VERBS = _VERBS["noun_obj"]
CLAUSE_VERBS = _VERBS["clause"]
APPEARANCE_VERBS = _VERBS["appearance"]
LIST_CUE_VERBS = _VERBS["list_cue"]
CONSIST_VERBS = _VERBS["consist"]
CITING_VERBS = _VERBS["citing"]
STATE_ADJECTIVES = _VERBS["state"]
QUOTING_VERBS = _VERBS["quoting"]
EXPLAIN_VERBS = _VERBS["explain"]
ANY_POLARITY = _VERBS["any_polarity"]
QUOTING_WORDS_VERBS = _VERBS["quoting_words"]
PUBLISH_VERBS = _VERBS["publish"]
# Prepositions that introduce a nominal content, per verb (``указывал на трудности``).
NOMINAL_PREPS: dict[str, tuple[str, ...]] = {}
for _frame, _lemmas in _VERBS.items():
    if _frame.startswith("prep:"):
        for _lemma in _lemmas:
            NOMINAL_PREPS[_lemma] = (*NOMINAL_PREPS.get(_lemma, ()), _frame[5:])

PO_NOUNS = _NOUNS["po"]
SOGLASNO_CUE_NOUNS = _NOUNS["soglasno"]
PO_DOCUMENT_NOUNS = _NOUNS["po_document"]
PUBLISHED_NOUNS = _NOUNS["published"]
LIGHT_NOUNS = _NOUNS["light"]
CUE_NOUNS = _NOUNS["cue"]
MEDIA_NOUNS = _NOUNS["media"]
DOCUMENT_NOUNS = _NOUNS["document"]
ORG_NOUNS = _NOUNS["org"]
ANONYMOUS_NOUNS = _NOUNS["anonymous"]
PERSON_TITLES = _NOUNS["title"]
RECORDING_NOUNS = _NOUNS["recording"]
GROUP_WORDS = _NOUNS["group"]
DEED_NOUNS = _NOUNS["deed"]
CROWD_PARTICIPLES = _NOUNS["crowd"]
ANAPHORS = _NOUNS["anaphor"]

MEDIA_NAMES: tuple[str, ...] = tuple(_lines("media_names.txt"))
CONNECTIVES: frozenset[str] = frozenset(_lines("connectives.txt"))

# Grammar, not vocabulary: these stay in code.
COMPLEMENTIZERS: frozenset[str] = frozenset({"что", "чтобы", "будто", "якобы"})
DASHES: frozenset[str] = frozenset({"—", "–", "-", "―"})
