"""The event lexicon: Russian lemmas typed with PLOVER's sixteen event types and modes.

The words are data (``data/events.toml``), read once at import into plain dicts and
frozensets. Keys are natasha/pymorphy lemmas (infinitive for verbs and participles,
nominative singular for nouns, ``переговоры`` as a plurale tantum); a lemma written with
``ё`` is also entered with ``е``. See docs/events.md for how to extend it.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any, Final, cast

import msgspec

from service.extraction.models import EventType


class Sense(msgspec.Struct, frozen=True):
    type: EventType
    mode: str | None = None
    on_dependent: bool = False  # a phrase whose trigger is its dependent (``в тюрьме``)


def words(text: str) -> frozenset[str]:
    return frozenset(w for t in text.split() for w in {t, t.replace("ё", "е")})


def _sense(value: str) -> Sense | None:
    """``"TYPE mode [@dep]"`` (``_`` for no mode) or ``"-"``: no event."""
    if value.strip() == "-":
        return None
    type_, mode, *flags = value.split()
    return Sense(cast(EventType, type_), None if mode == "_" else mode, "@dep" in flags)


def _load() -> dict[str, Any]:
    data = resources.files("service.extraction").joinpath("data/events.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


_DATA: Final = _load()


def _triggers(table: dict[str, dict[str, str]]) -> dict[str, Sense]:
    out: dict[str, Sense] = {}
    for type_, modes in table.items():
        for mode, lemmas in modes.items():
            sense = Sense(cast(EventType, type_), None if mode == "_" else mode)
            for lemma in words(lemmas):
                if lemma in out:
                    raise ValueError(f"events.toml: {lemma!r} is listed twice")
                out[lemma] = sense
    return out


def _set(name: str) -> frozenset[str]:
    return words(_DATA["sets"][name])


# Verbs and nouns that are event triggers on their own (both aspects, deverbal nouns).
TRIGGERS: Final[dict[str, Sense]] = _triggers(_DATA["triggers"])
# A verb + dependent lemma that together mean something other than the verb alone.
PHRASES: Final[dict[tuple[str, str], Sense | None]] = {
    cast(tuple[str, str], tuple(k.split())): _sense(v) for k, v in _DATA["phrases"].items()
}
# Mode refinements by a dependent lemma: ``удар беспилотника`` is a drone strike.
MODE_HINTS: Final[dict[str, tuple[EventType, str]]] = {
    k: (cast(EventType, v.split()[0]), v.split()[1]) for k, v in _DATA["mode_hints"].items()
}
# Verbs that lend their clause to an event noun object (``провести переговоры``).
LIGHT_VERBS: Final = _set("light_verbs")
# ... or to an event noun subject (``встреча не состоялась``).
LIGHT_SUBJECT_VERBS: Final = _set("light_subject_verbs")
# Light verbs that deny the noun's event (``встреча сорвалась``).
NEGATING_VERBS: Final = _set("negating_verbs")
# Nouns/prepositions whose complement did not happen: ``отсутствие контактов``.
NEGATING_HEADS: Final = _set("negating_heads")
# Verbs of saying: their complement is reported, not asserted by the outlet.
SPEECH_VERBS: Final = _set("speech_verbs")
# ... and of belief or hearsay (``считает, что``): a frame, never an event of its own.
BELIEF_VERBS: Final = _set("belief_verbs")
# Words anywhere in the sentence that make its acts reported (D27), as lowercase word
# sequences; a trailing ``*`` matches any ending (``сообщ*``).
REPORTED_CUES: Final[tuple[str, ...]] = tuple(
    line.strip() for line in _DATA["sets"]["reported_cues"].splitlines() if line.strip()
)
# Heads that make their complement hypothetical: intentions, hopes, plans, possibilities.
INTENT_WORDS: Final = _set("intent_words")
# Heads whose content is part of their own event (D3): what is requested, condemned, ...
FRAMING_TYPES: Final = _set("framing_types")
# Nouns that stand for a group of people though no entity names it (``полиция``).
GROUP_NOUNS: Final = _set("group_nouns")
# Nouns never taken as a group participant though animate/collective (``человек`` alone).
NOT_GROUPS: Final = _set("not_groups")
# What ``назвать X Y`` must call X to be an evaluation (D2/D26): acts and policies.
ACT_NOUNS: Final = _set("act_nouns")
# Nouns that wrap an event noun (``попытка покушения``).
WRAPPER_NOUNS: Final = _set("wrapper_nouns")
# Verbs whose object must be a person or group for an event (``ликвидировать реформу``).
PERSON_OBJECT_VERBS: Final = _set("person_object_verbs")
# Objects that make a seizure an assault on territory (D24).
TERRITORY_NOUNS: Final = _set("territory_nouns")
# Partners that make a talk an interview (D19).
PRESS_NOUNS: Final = _set("press_nouns")
# Kind nouns kept before a quoted name (``газета «Правда»``).
NAME_DESCRIPTORS: Final = _set("name_descriptors")
# Heads that stand for a count of people (``тысячи сторонников``).
QUANTITY_NOUNS: Final = _set("quantity_nouns")
# Subjects that make their clause a protest (D30).
PROTESTER_NOUNS: Final = _set("protester_nouns")
# Objects of a denial that make it a statement, not REJECT (D14).
CLAIM_NOUNS: Final = _set("claim_nouns")
# Non-actor targets of a block (``заблокировал сайт``).
BLOCKABLE_NOUNS: Final = _set("blockable_nouns")
# Heads of a count (D20).
COUNT_HEADS: Final = _set("count_heads")
# Supply words that are AID only for military or humanitarian goods (D23).
SUPPLY_LEMMAS: Final = _set("supply_lemmas")
AID_GOODS: Final = _set("aid_goods")
# Determiners that make an event noun a reference back (D17).
ANAPHORIC_DETS: Final = _set("anaphoric_dets")
# People nouns that take part in the event noun they govern (``участники митинга``).
PARTICIPANT_HEADS: Final = _set("participant_heads")
# Labels that make ``назвать X Y`` praise (SUPPORT) rather than criticism (ACCUSE).
PRAISE_WORDS: Final = _set("praise_words")
# Firing verbs and nouns (D6): a counted group let go without an actor is a layoff.
FIRING_LEMMAS: Final = _set("firing_lemmas")
# Verbs whose subject is the victim of the violent cause they name (D12).
DEATH_VERBS: Final = _set("death_verbs")
# Verbs announcing one's own act (``объявил о введении санкций``, ``заявил о поддержке``) and
# nouns of a decision (``принял решение о высылке``): their subject does the act.
ANNOUNCE_VERBS: Final = _set("announce_verbs")
DECISION_NOUNS: Final = _set("decision_nouns")
# What a case is about (``по делу X``): not a participant of the arrest or charge.
CASE_NOUNS: Final = _set("case_nouns")
# Prepositions that make an event noun a setting of its clause (``накануне визита``);
# a multi-word preposition is written with ``_`` (``в_ходе``).
SETTING_PREPS: Final = frozenset(w.replace("_", " ") for w in _set("setting_preps"))
# Titles written two ways, folded to the first word of their line (``премьер-министр``).
TITLE_SYNONYMS: Final[dict[str, str]] = {
    w.replace("_", " "): line.split()[0]
    for line in _DATA["sets"]["title_synonyms"].splitlines()
    if line.strip()
    for w in line.split()
}
