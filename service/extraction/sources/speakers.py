"""Speaker resolution: names, titles, descriptions and pronouns to the entity or group."""

from __future__ import annotations

from dataclasses import dataclass

from service.extraction import pronouns
from service.extraction import speech as lx
from service.extraction.models import Entity, SpeakerType
from service.extraction.nlp import models
from service.extraction.parsed import Tok
from service.extraction.sources.base import Cand, Ctx
from service.extraction.sources.syntax import _is_media_name, _noun_type, _subtree


@dataclass(slots=True)
class Resolved:
    entity: str | None
    name: str
    type: SpeakerType
    role: str | None
    span: tuple[int, int] | None
    gender: str
    number: str
    ok: bool = True  # False: the "speaker" cannot be a source (``штраф``, ``вы``)


_PRON_FORMS = {
    "он": "он",
    "его": "он",
    "ему": "он",
    "им": "он",
    "нем": "он",
    "она": "она",
    "ее": "она",
    "её": "она",
    "ей": "она",
    "они": "они",
    "их": "они",
    "них": "они",
}


_POSSESSIVES = frozenset({"его", "её", "ее", "их"})


def _title_role(title: str | None, roles: list[str]) -> str | None:
    """The entity's own role (nominative, pronouns resolved) when it is the title written here
    (`Его помощник` → `помощник Путина`); the written title otherwise."""
    if not title:
        return roles[0] if roles else None
    words = title.lower().split()
    head = next((w for w in words if w not in _POSSESSIVES), "")
    for role in roles:
        if head[:4] and role.lower().split()[0][:4] == head[:4]:
            return role
    if _POSSESSIVES.intersection(words) and roles:
        return roles[0]
    return title


def _resolve(ctx: Ctx, c: Cand, history: list[Resolved]) -> Resolved:
    text = ctx.text
    if c.speaker is None or c.head < 0:
        return Resolved(None, "неизвестный источник", "anonymous", None, None, "", "")
    s, e = c.speaker
    head = ctx.toks[c.head]
    pron = _PRON_FORMS.get(head.low)
    if pron is not None and e - s <= len(head.text) + 1:
        return _resolve_pronoun(ctx, c, pron, history)
    if head.lemma in lx.GROUP_WORDS and (head.pos != "NOUN" or _of_people(ctx, c.head)):
        return _group(ctx, c, s, e)  # «один из сотрудников», «многие», «часть экспертов»
    if head.lemma in lx.ANAPHORS and head.pos in ("ADJ", "DET", "PRON") and e - s <= len(head.text):
        latest = _resolve_latest(ctx, head, (s, e))
        if latest is not None:
            return latest
    per = [(ms, me, ent) for ms, me, ent in ctx.mentions if ms < e and s < me]
    htype = _noun_type(ctx, c.head)
    if htype is None and head.feats.get("Animacy") != "Anim":
        htype = _conjunct_type(ctx, c.head)  # «Эта группа и жители утверждают»
    if htype is None and _named_by_appos(ctx, c.head):
        htype = "media" if _is_media_name(text[s:e]) else "organization"
    named = _resolve_named(ctx, c, htype, per)
    if named is not None:
        return named
    if (
        htype is None
        and not c.extra.get("trusted")
        and (
            head.low in ("вы", "ты", "я", "мы", "это", "что", "который")
            or (head.pos == "NOUN" and head.feats.get("Animacy") != "Anim")
            or head.pos not in ("NOUN", "PROPN", "PRON", "X")
        )
    ):
        return Resolved(None, head.text, "anonymous", None, (s, e), "", "", ok=False)
    stype = htype or ("person" if head.feats.get("Animacy") == "Anim" else "organization")
    if stype == "person" and head.pos != "PROPN" and head.lemma in lx.PERSON_TITLES:
        # ``Президент``, ``Чиновник``: a description of a person mentioned before.
        for r in reversed(history):
            if r.type == "person" and r.entity is not None:
                return Resolved(r.entity, r.name, "person", head.lemma, (s, e), r.gender, "Sing")
    name = _description_name(ctx, c.head, s, e)
    number = head.feats.get("Number", "")
    return Resolved(None, name, stype, None, (s, e), head.feats.get("Gender", ""), number)


def _conjunct_type(ctx: Ctx, head: int) -> SpeakerType | None:
    """A coordinated speaker takes its type from the first conjunct; when the first is an
    unknown inanimate noun (``группа``), a later conjunct that can speak says it is a source."""
    for k in ctx.children[head]:
        t = ctx.toks[k]
        if k > head and t.rel == "conj" and t.pos in ("NOUN", "PROPN"):
            found = _noun_type(ctx, k)
            if found is not None:
                return found
            if t.feats.get("Animacy") == "Anim":
                return "anonymous"
    return None


def _of_people(ctx: Ctx, head: int) -> bool:
    """A quantity noun of people (``часть экспертов``, ``большинство депутатов``)."""
    for k in ctx.children[head]:
        t = ctx.toks[k]
        if k > head and t.pos == "NOUN" and t.feats.get("Case") == "Gen":
            return _noun_type(ctx, k) in ("anonymous", "person")
    return False


def _group(ctx: Ctx, c: Cand, s: int, e: int) -> Resolved:
    """An unnamed group or one of it: anonymous, unless the group is an institution's
    (``один из представителей министерства``)."""
    stype: SpeakerType = "anonymous"
    for k in _subtree(ctx, c.head, ()):
        if k != c.head and ctx.toks[k].pos in ("NOUN", "PROPN"):
            found = _noun_type(ctx, k)
            if found == "organization":
                stype = found
            break
    name = ctx.text[s:e]
    name = name[0].lower() + name[1:] if name[:1].isupper() and name[1:2].islower() else name
    return Resolved(None, name, stype, None, (s, e), "", "Plur")


def _resolve_named(
    ctx: Ctx, c: Cand, htype: SpeakerType | None, per: list[tuple[int, int, Entity]]
) -> Resolved | None:
    """A person or organisation NER names inside the speaker phrase: the name is the
    mention, the rest of a person's phrase is the title."""
    assert c.speaker is not None
    text = ctx.text
    s, e = c.speaker
    head = ctx.toks[c.head]
    # «аналитика банка Ивана Петрова»: a title noun followed by the person's name
    named_title = bool(per) and (
        per[-1][2].type == "PER"
        and htype == "anonymous"
        and head.feats.get("Animacy") == "Anim"
        and head.feats.get("Number") != "Plur"
        and per[-1][0] > head.start
    )
    if per and (
        htype in (None, "person")
        or (per[0][2].type == "PER" and head.lemma in lx.PERSON_TITLES)
        or named_title
    ):
        ms, me, ent = per[-1] if per[-1][2].type == "PER" else per[0]
        if ent.type != "PER" and htype == "person" and ms > head.start:
            return None  # «глава МЧС»: a person described by the organisation's title
        if ent.type == "PER":
            role = text[s:ms].strip(" ,") or None
            if role and (role[0].isupper() and len(role.split()) == 1 and ms - s < 3):
                role = None
            role = _title_role(_nominative_title(ctx, c.head, role, s), ent.roles)
            gender = _gender_at(ctx, me)
            return Resolved(ent.key, ent.name, "person", role, (ms, me), gender, "Sing")
        stype: SpeakerType = (
            "media" if _is_media_name(ent.name) or htype == "media" else "organization"
        )
        if ent.type == "LOC":
            stype = "organization"
        return Resolved(ent.key, ent.name, stype, None, (s, e), "", head.feats.get("Number", ""))
    if per and htype in ("organization", "media", "document", "anonymous"):
        ent = per[0][2]
        if ent.type != "PER" and head.start >= per[0][0]:
            stype = "media" if _is_media_name(ent.name) else "organization"
            return Resolved(ent.key, ent.name, stype, None, (s, e), "", "")
    return None


def _nominative_title(ctx: Ctx, head: int, role: str | None, s: int) -> str | None:
    """``министра финансов`` → ``министр финансов``: the title's head noun (and its masculine
    adjectives) in the nominative when the attribution puts it in an oblique case."""
    if not role:
        return role
    h = ctx.toks[head]
    case = h.feats.get("Case", "Nom")
    if case == "Nom" or h.pos != "NOUN" or h.feats.get("Number") == "Plur" or h.start < s:
        return role
    if h.stop > s + len(role):
        return role
    words: list[str] = []
    k = ctx.tok_at(s)
    while k < head:
        t = ctx.toks[k]
        if t.pos != "ADJ" or h.feats.get("Gender") != "Masc":
            return role
        words.append(t.lemma)
        k += 1
    lemma = h.lemma
    if role[:1].isupper():
        lemma = lemma[:1].upper() + lemma[1:]
    return " ".join([*words, lemma]) + role[h.stop - s :]


def _named_by_appos(ctx: Ctx, i: int) -> bool:
    """``Международная амнистия (Amnesty International)``: a capitalised inanimate noun phrase
    with a foreign or proper-name apposition names an organisation."""
    t = ctx.toks[i]
    if t.pos != "NOUN" or t.feats.get("Animacy") == "Anim":
        return False
    first = min([i] + [c for c in ctx.children[i] if ctx.toks[c].rel == "amod"])
    if not ctx.toks[first].text[:1].isupper():
        return False
    return any(
        ctx.toks[c].rel == "appos"
        and ctx.toks[c].pos in ("X", "PROPN")
        and ctx.toks[c].text[:1].isupper()
        and c > i
        for c in ctx.children[i]
    )


def _description_name(ctx: Ctx, head: int, s: int, e: int) -> str:
    t = ctx.toks[head]
    if t.feats.get("Case") == "Nom" or t.pos == "VERB":  # a participle: «двое задержанных»
        seg = ctx.text[s:e]
        return seg[0].lower() + seg[1:] if seg[:2].istitle() and t.pos != "PROPN" else seg
    if t.feats.get("Number") == "Plur":
        vocab = models().morph_vocab
        feats = dict(t.feats)
        feats["Case"] = "Nom"
        return str(vocab.lemmatize(t.text, t.pos, feats)) if t.pos == "PROPN" else t.lemma
    return t.lemma


_gender_at = pronouns.gender_at  # the shared rule's reading of a mention's gender


def _resolve_pronoun(ctx: Ctx, c: Cand, pron: str, history: list[Resolved]) -> Resolved:
    gender, number = pronouns.AGREEMENT[pron]
    span = c.speaker
    pos = span[0] if span else 0
    best: Resolved | None = None
    best_pos = -1
    # Previous speakers and entity mentions before the pronoun compete by distance.
    for r in history:
        if r.span and r.span[0] < pos and _agrees(r, gender, number) and r.span[0] > best_pos:
            best, best_pos = r, r.span[0]
    person = pronouns.person_before(ctx, pos, gender) if number == "Sing" else None
    if person is not None and person[0] > best_pos:
        _, ent, g = person
        best = Resolved(
            ent.key, ent.name, "person", ent.roles[0] if ent.roles else None, None, g, "Sing"
        )
    if best is None and number == "Plur":
        best = _group_before(ctx, pos, best_pos)
    if best is None:
        return Resolved(
            None, pron, "person" if number == "Sing" else "anonymous", None, span, gender, number
        )
    return Resolved(best.entity, best.name, best.type, best.role, span, best.gender, best.number)


def _group_before(ctx: Ctx, pos: int, after: int) -> Resolved | None:
    """``Жители протестовали. Как они утверждали, …``: ``они`` names the plural subject of
    this or the previous sentence (a group of people or an institution's people)."""
    k = ctx.tok_at(pos) - 1
    lo = ctx.sents[max(0, ctx.toks[k + 1].sent - 1)].first if k + 1 < len(ctx.toks) else 0
    while k >= lo and ctx.toks[k].start > after:
        t = ctx.toks[k]
        if (
            t.rel.startswith("nsubj")
            and t.pos == "NOUN"
            and t.feats.get("Number") == "Plur"
            and not ctx.in_quote(t.start)
        ):
            animate = t.feats.get("Animacy") == "Anim"
            stype = _noun_type(ctx, k) or ("anonymous" if animate else None)
            if stype in ("anonymous", "organization", "person"):
                kind: SpeakerType = "anonymous" if stype == "person" else stype
                name = _description_name(ctx, k, t.start, t.stop)
                return Resolved(None, name, kind, None, (t.start, t.stop), "", "Plur")
        k -= 1
    return None


def _resolve_latest(ctx: Ctx, head: Tok, span: tuple[int, int]) -> Resolved | None:
    """``Последний заявил``, ``Тот ответил``: the last named person or organisation before it
    (this or the previous sentence) whose gender agrees."""
    lo = ctx.toks[ctx.sents[max(0, head.sent - 1)].first].start
    gender = head.feats.get("Gender", "")
    for ms, me, ent in reversed(ctx.mentions):
        if ms >= head.start or ent.type == "LOC" or _quoted_in_speech(ctx, ms, me):
            continue
        if ms < lo or head.feats.get("Number") == "Plur":
            return None
        g = _gender_at(ctx, me) if ent.type == "PER" else _descriptor_gender(ctx, ms)
        if g and gender and g != gender:
            continue
        kind: SpeakerType = "person" if ent.type == "PER" else "organization"
        if kind == "organization" and _is_media_name(ent.name):
            kind = "media"
        role = ent.roles[0] if ent.roles and kind == "person" else None
        return Resolved(ent.key, ent.name, kind, role, span, g, "Sing")
    return None


def _quoted_in_speech(ctx: Ctx, s: int, e: int) -> bool:
    """Inside a quotation, unless the quotation marks are the name's own (``банк «Восток»``)."""
    opens = ctx.text[s - 1 : s] in ("«", "„", "“", '"')
    own = opens and ctx.text[e : e + 1] in ("»", "“", "”", '"')
    return ctx.in_quote(s) is not None and not own


def _descriptor_gender(ctx: Ctx, start: int) -> str:
    """``компанией «Алтек»``: the noun before an organisation's name carries its gender (a
    bare name's gender is the tagger's guess: none)."""
    k = ctx.tok_at(start) - 1
    while k >= 0 and ctx.toks[k].pos == "PUNCT" and ctx.toks[k].text in '«„“"':
        k -= 1
    t = ctx.toks[k] if k >= 0 else None
    return t.feats.get("Gender", "") if t is not None and t.pos == "NOUN" else ""


def _agrees(r: Resolved, gender: str, number: str) -> bool:
    if number == "Plur":
        collective = r.type in ("organization", "anonymous") and r.number != "Sing"
        return r.number == "Plur" or collective
    if r.number == "Plur":
        return False
    if r.type == "person":
        return not r.gender or r.gender == gender
    return r.type == "organization" and gender == "Masc" and r.entity is None
