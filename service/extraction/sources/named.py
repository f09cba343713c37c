"""Speakers NER missed: ``Путин заявил журналистам, что …`` at the start of a short item,
where the tagger sees no PER. A speaker found by the syntax whose words are proper names
becomes an entity like any other: PER when morphology knows the words as surnames or given
names, ORG when an organisation noun introduces the name (``компания SharesPost``)."""

from __future__ import annotations

from service.extraction import speech as lx
from service.extraction.models import Entity, EntityType, TextSpan
from service.extraction.roles import inflect, parse_best
from service.extraction.sources.base import Ctx
from service.extraction.sources.speakers import Resolved

_PERSON_GRAMMEMES = ("Surn", "Name", "Patr")


class SpeakerEntities:
    """Entities made from speakers, one per name; keys continue the NER entities' keys."""

    def __init__(self, first_key: int, offset: int) -> None:
        self.next_key = first_key
        self.offset = offset
        self.by_name: dict[tuple[str, str], Entity] = {}

    def entities(self) -> list[Entity]:
        return list(self.by_name.values())

    def add(self, ctx: Ctx, r: Resolved) -> None:
        """Give ``r`` an entity when its mention is a proper name NER missed."""
        if r.entity is not None or r.span is None or r.type not in ("person", "organization"):
            return
        found = _proper_name(ctx, r.span)
        if found is None:
            return
        etype, name, (s, e) = found
        known = ctx.entity_at(s, e)
        if known is not None:  # NER has it: link (a place speaking is metonymy), never duplicate
            if known.type != "LOC":
                r.entity, r.name = known.key, known.name
            return
        ent = self.by_name.get((etype, name)) or _same_name(ctx, etype, name)
        if ent is None:
            ent = Entity(f"e{self.next_key}", etype, name, 0.0, 0, [], None, [])
            self.next_key += 1
            self.by_name[(etype, name)] = ent
        mention = TextSpan(s + self.offset, e + self.offset, ctx.text[s:e])
        if mention not in ent.mentions:
            ent.mentions = sorted([*ent.mentions, mention], key=lambda m: m.start)
            ent.mention_count = len(ent.mentions)
        if etype == "PER" and r.role and r.role not in ent.roles:
            ent.roles.append(r.role)
        r.entity, r.name = ent.key, name
        r.type = "person" if etype == "PER" else "organization"


def _fold(name: str) -> str:
    return name.lower().replace("ё", "е")


def _same_name(ctx: Ctx, etype: EntityType, name: str) -> Entity | None:
    """An NER entity this name refers to: the same name, or a full name ending in it
    (``Шойгу`` → ``Сергей Шойгу``); its mention then joins that entity."""
    folded = _fold(name)
    for _, _, ent in ctx.mentions:
        full = _fold(ent.name)
        if ent.type == etype and (full == folded or full.endswith(" " + folded)):
            return ent
    return None


def _proper_name(ctx: Ctx, span: tuple[int, int]) -> tuple[EntityType, str, tuple[int, int]] | None:
    toks = ctx.toks[ctx.tok_at(span[0]) : ctx.tok_at(span[1])]
    toks = [t for t in toks if t.stop <= span[1]]
    k = len(toks)
    while k > 0 and toks[k - 1].text[:1].isupper() and toks[k - 1].pos in ("PROPN", "X"):
        k -= 1  # the capitalised tail: ``министр Шойгу`` → ``Шойгу``
    name_toks = toks[k:]
    if not name_toks or len(name_toks) > 3 or ctx.in_quote(name_toks[0].start):
        return None
    s, e = name_toks[0].start, name_toks[-1].stop
    if all(_person_word(t.text) for t in name_toks):
        return "PER", " ".join(_nominative(t.text) for t in name_toks), (s, e)
    introduced = k > 0 and toks[k - 1].lemma in lx.ORG_NOUNS  # «компания SharesPost»
    if introduced and all(t.pos in ("X", "PROPN") for t in name_toks):
        return "ORG", ctx.text[s:e], (s, e)
    return None


def _person_word(word: str) -> bool:
    return any(parse_best(word, g) is not None for g in _PERSON_GRAMMEMES)


def _nominative(word: str) -> str:
    for g in _PERSON_GRAMMEMES:
        p = parse_best(word, g)
        if p is not None:
            form = inflect(p, {"nomn"}) or word
            return form[:1].upper() + form[1:]
    return word
