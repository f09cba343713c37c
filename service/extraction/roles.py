"""Roles: titles and jobs written next to a person's name, in the nominative.

Two shapes cover most news prose:

* descriptor before the name, agreeing with it in case: "спикер Кремля Дмитрий Песков",
  "с премьером Армении Николом Пашиняном", "Президенты Азербайджана и России Ильхам Алиев
  и Владимир Путин" (a plural head with as many coordinated genitives as coordinated names
  is distributed pairwise), "Его помощник Юрий Ушаков" (``его`` resolved to the last person
  who was a grammatical subject: "помощник Путина");
* apposition after the name between commas: "Дмитрий Песков, пресс-секретарь президента,".

The head must be an animate common noun (pymorphy) that is not a kinship or generic person
word: that is what separates "спикер" from "встречу" or "братья".
"""

from __future__ import annotations

import bisect
from functools import lru_cache
from typing import NamedTuple

import pymorphy3
from natasha import Doc
from natasha.doc import DocToken

from service.extraction.morph import analyzer


@lru_cache(maxsize=50_000)
def _parses(word: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    return tuple(analyzer().parse(word))


def parse_best(word: str, grammeme: str | None = None) -> pymorphy3.analyzer.Parse | None:
    """The first pymorphy parse of ``word`` carrying ``grammeme`` (any parse if None)."""
    for p in _parses(word):
        if grammeme is None or grammeme in p.tag:
            return p
    return None


def inflect(parse: pymorphy3.analyzer.Parse, grammemes: set[str]) -> str | None:
    form = parse.inflect(grammemes)
    return form.word if form else None


class RoleMention(NamedTuple):
    start: int  # body offsets
    stop: int
    type: str
    group: int
    name: str  # canonical name of the group


_NOT_ROLES = {
    "брат",
    "сестра",
    "сын",
    "дочь",
    "жена",
    "муж",
    "отец",
    "мать",
    "вдова",
    "человек",
    "господин",
    "госпожа",
    "гражданин",
    "гражданка",
    "мужчина",
    "женщина",
    "друг",
    "коллега",
    "житель",
    "участник",
    "сторонник",
    "автор",
    "герой",
    "персонаж",
}
_SKIP_ADJ = {"известный", "знаменитый", "небезызвестный", "так называемый"}
_POSSESSIVE = {"его", "её", "ее", "их"}
_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}


def _case(tok: DocToken) -> str | None:
    return (tok.feats or {}).get("Case")


def _head_parse(tok: DocToken) -> pymorphy3.analyzer.Parse | None:
    """An animate common-noun reading of ``tok`` (not a name), matching its case if known."""
    want = _CASES.get(_case(tok) or "")
    best = None
    for p in _parses(tok.text.lower()):
        tag = p.tag
        if (
            tag.POS != "NOUN"
            or "anim" not in tag
            or {"Name", "Surn", "Patr", "Geox"} & set(tag.grammemes)
        ):
            continue
        if want and tag.case == want:
            return p
        best = best or p
    return best


def _nominative_head(p: pymorphy3.analyzer.Parse) -> str:
    return (inflect(p, {"nomn", "sing"}) or p.normal_form).lower()


def _nominative_adj(tok: DocToken, head: pymorphy3.analyzer.Parse) -> str:
    for p in _parses(tok.text.lower()):
        if p.tag.POS in ("ADJF", "PRTF"):
            gender = head.tag.gender or "masc"
            return (inflect(p, {"nomn", "sing", gender}) or p.normal_form).lower()
    return tok.text.lower()


def _genitive(name: str) -> str:
    words = name.split()
    if not words:
        return name
    p = parse_best(words[-1].lower(), "Surn")
    form = inflect(p, {"gent"}) if p else None
    return form.capitalize() if form else words[-1]


def _is_chain(tok: DocToken) -> bool:
    """A word of a genitive complement: "Кремля", "Азербайджана и России", "МИД"."""
    if tok.text == "и":
        return True
    if tok.pos in ("NOUN", "PROPN", "ADJ"):
        case = _case(tok)
        return case == "Gen" or (case is None and tok.text.isupper())
    return False


class _Context(NamedTuple):
    tokens: list[DocToken]
    pos_of: dict[int, int]  # token start -> position
    sent_of: list[int]
    mentions: list[RoleMention]
    starts: list[int]  # token starts, in order


def _agrees(head_tok: DocToken, name_tok: DocToken, sentence_initial: bool) -> bool:
    """Apposition agrees in case; the tagger's case for a capitalised noun is a poor guess."""
    if sentence_initial:
        return True
    a, b = _case(head_tok), _case(name_tok)
    if a is None or b is None or a == b:
        return True
    want = _CASES.get(b)
    return (
        any(
            p.tag.POS == "NOUN" and "anim" in p.tag and p.tag.case == want
            for p in _parses(head_tok.text.lower())
        )
        and head_tok.text[:1].isupper()
    )


def is_plural_surname(tok: DocToken) -> bool:
    """ "Сафаровы", "Сафаровых": a surname in the plural (a family or several people)."""
    if (tok.feats or {}).get("Number") == "Plur":
        return True
    surn = [p for p in _parses(tok.text.lower()) if "Surn" in p.tag]
    return bool(surn) and all("plur" in p.tag for p in surn)


def _before(ctx: _Context, m: RoleMention, mi: int) -> list[tuple[int, str]]:
    """Descriptor left of the name: [(group, role)], distributed over coordinated names."""
    toks = ctx.tokens
    i = ctx.pos_of.get(m.start)
    if i is None or i == 0:
        return []
    j = i - 1
    while j >= 0 and i - j <= 6 and _is_chain(toks[j]) and ctx.sent_of[j] == ctx.sent_of[i]:
        j -= 1
    if j < 0 or ctx.sent_of[j] != ctx.sent_of[i] or toks[j].text == "и":
        return []
    head_tok = toks[j]
    initial = j == 0 or ctx.sent_of[j - 1] != ctx.sent_of[j]
    head = _head_parse(head_tok)
    if head is None or not _agrees(head_tok, toks[i], initial):
        return []
    lemma = head.normal_form
    if lemma in _NOT_ROLES:
        return []
    chain = [t for t in toks[j + 1 : i]]
    while chain and chain[0].text == "и":
        chain = chain[1:]
    while chain and chain[-1].text == "и":
        chain = chain[:-1]
    words = [_nominative_head(head)]
    k = j - 1
    adjs: list[str] = []
    while k >= 0 and ctx.sent_of[k] == ctx.sent_of[j] and toks[k].pos == "ADJ":
        adj = _nominative_adj(toks[k], head)
        if adj not in _SKIP_ADJ:
            adjs.insert(0, adj)
        k -= 1
    owner = ""
    if k >= 0 and toks[k].text.lower() in _POSSESSIVE and not chain:
        owner = _antecedent(ctx, toks[k].start, mi)
    base = " ".join(adjs + words)
    names = _coordinated(ctx, mi)
    items = _split_items(chain)
    plural = "plur" in head.tag or (head_tok.feats or {}).get("Number") == "Plur"
    out: list[tuple[int, str]] = []
    if plural and len(items) == len(names) > 1:
        for g, item in zip(names, items, strict=True):
            out.append((g, f"{base} {item}"))
        return out
    tail = " ".join(t.text for t in chain)
    role = f"{base} {tail}".strip()
    if owner:
        role = f"{role} {owner}"
    targets = names if plural else names[:1]
    return [(g, role) for g in targets]


def _split_items(chain: list[DocToken]) -> list[str]:
    items: list[list[str]] = [[]]
    for t in chain:
        if t.text == "и":
            items.append([])
        else:
            items[-1].append(t.text)
    return [" ".join(x) for x in items if x]


def _coordinated(ctx: _Context, mi: int) -> list[int]:
    """The group of mention ``mi`` and of persons joined to it by "и" or commas."""
    out = [ctx.mentions[mi].group]
    toks, cur = ctx.tokens, ctx.mentions[mi]
    for nxt in ctx.mentions[mi + 1 :]:
        if nxt.type != "PER":
            break
        a, b = ctx.pos_of.get(cur.stop), ctx.pos_of.get(nxt.start)
        between = [t.text for t in toks if cur.stop <= t.start < nxt.start]
        if a is None and b is None and between not in (["и"], [","]):
            break
        if between not in (["и"], [","]):
            break
        out.append(nxt.group)
        cur = nxt
    return out


def _antecedent(ctx: _Context, pos: int, mi: int) -> str:
    """The last person before ``pos`` that was a subject, else the last person; genitive."""
    toks = ctx.tokens
    last = ""
    sent_here = ctx.sent_of[ctx.pos_of[pos]] if pos in ctx.pos_of else 0
    for m in ctx.mentions[:mi]:
        if m.type != "PER" or m.start >= pos:
            continue
        i = ctx.pos_of.get(m.start)
        if i is None or sent_here - ctx.sent_of[i] > 2:
            continue
        rels = {toks[k].rel for k in range(i, len(toks)) if toks[k].start < m.stop}
        if rels & {"nsubj", "nsubj:pass"}:
            last = m.name
    return _genitive(last) if last else ""


def _after(ctx: _Context, m: RoleMention) -> str | None:
    """ ", пресс-секретарь президента," right after the name."""
    toks = ctx.tokens
    # The last token starting before the mention's end (tokens are in order): a bisection,
    # not a scan of every token per mention, which made long articles quadratic.
    before = bisect.bisect_left(ctx.starts, m.stop)
    last = before - 1 if before else None
    if last is None or last + 2 >= len(toks) or toks[last + 1].text != ",":
        return None
    j = last + 2
    adjs: list[DocToken] = []
    while j < len(toks) and toks[j].pos == "ADJ":
        adjs.append(toks[j])
        j += 1
    if j >= len(toks) or toks[j].pos != "NOUN":
        return None
    head = _head_parse(toks[j])
    name_tok = toks[ctx.pos_of.get(m.start, last)]
    if head is None or head.normal_form in _NOT_ROLES or not _agrees(toks[j], name_tok, False):
        return None
    k = j + 1
    while k < len(toks) and k - j <= 5 and _is_chain(toks[k]) and toks[k].text != "и":
        k += 1
    if k < len(toks) and toks[k].text not in (",", ".", ")", "—", "–", ";"):
        return None
    words = [_nominative_adj(a, head) for a in adjs if a.text.lower() not in _SKIP_ADJ]
    words.append(_nominative_head(head))
    words += [t.text for t in toks[j + 1 : k]]
    return " ".join(words)


def find_roles(doc: Doc, mentions: list[RoleMention], n_groups: int) -> list[list[str]]:
    """Roles per entity group, deduplicated, in order of appearance."""
    tokens = list(doc.tokens)
    sent_of: list[int] = []
    for k, sent in enumerate(doc.sents):
        sent_of += [k] * len(sent.tokens)
    ctx = _Context(
        tokens,
        {t.start: i for i, t in enumerate(tokens)},
        sent_of,
        mentions,
        [t.start for t in tokens],
    )
    out: list[list[str]] = [[] for _ in range(n_groups)]
    for mi, m in enumerate(mentions):
        if m.type != "PER":
            continue
        found = _before(ctx, m, mi)
        after = _after(ctx, m)
        if after:
            found.append((m.group, after))
        for g, role in found:
            if role and role not in out[g]:
                out[g].append(role)
    return out
