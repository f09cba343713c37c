"""Personal pronouns to the person they refer to, shared by events and sources.

One rule for both wings: ``он``/``она`` refers to the person whose mention ends last before
the pronoun, outside quotations (a quoted name is someone the speaker talks about), whose
gender agrees; the gender is read off the mention's last token. ``они`` is not resolved here:
the callers know their own plural antecedents (earlier speakers, groups)."""

from __future__ import annotations

from .models import Entity
from .parsed import Parsed

# pronoun lemma -> (gender, number) it demands of its antecedent
AGREEMENT: dict[str, tuple[str, str]] = {
    "он": ("Masc", "Sing"),
    "она": ("Fem", "Sing"),
    "они": ("", "Plur"),
}


def gender_at(parsed: Parsed, end: int) -> str:
    """Grammatical gender of the token ending a mention at ``end`` (``""`` when unknown)."""
    k = parsed.tok_at(end) - 1
    if 0 <= k < len(parsed.toks):
        return parsed.toks[k].feats.get("Gender", "")
    return ""


def person_before(parsed: Parsed, position: int, gender: str) -> tuple[int, Entity, str] | None:
    """``(start, entity, gender)`` of the person a singular pronoun at ``position`` refers to,
    or ``None`` when no person agreeing in ``gender`` was named before it."""
    for start, end, entity in reversed(parsed.mentions):
        if entity.type != "PER" or end > position or parsed.in_quote(start):
            continue
        found = gender_at(parsed, end)
        if not gender or not found or found == gender:
            return start, entity, found
    return None
