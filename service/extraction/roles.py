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
import itertools
from typing import NamedTuple

import pymorphy3
from natasha import Doc
from natasha.doc import DocToken

from service.extraction.morph import parses


def parse_best(word: str, grammeme: str | None = None) -> pymorphy3.analyzer.Parse | None:
    """The first pymorphy parse of ``word`` carrying ``grammeme`` (any parse if None)."""
    for p in parses(word):
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
    for p in parses(tok.text.lower()):
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
    for p in parses(tok.text.lower()):
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


# Prepositions inside a title's complement: "посол Японии в России", "министр по делам
# разведки", "представитель комитета при прокуратуре", "депутат от партии".
_CHAIN_PREPS = {"в", "во", "при", "по", "от", "на"}
_QUOTES = {"«", "»", '"', "„", "“", "”"}
_MAX_CHAIN = 8


def _chain_end(
    toks: list[DocToken],
    k: int,
    stop: int,
    step: int,
    named: frozenset[int] | set[int] = frozenset(),
) -> int:
    """From ``k`` walk the complement of a title in direction ``step`` (at most
    ``_MAX_CHAIN`` tokens, not past ``stop``): genitives, "и", quoted names and short
    prepositional phrases. Returns the first token that is not part of it."""
    start = k
    quoted = False
    while k != stop and abs(k - start) < _MAX_CHAIN:
        t = toks[k]
        if t.text in _QUOTES:
            quoted = not quoted
        elif (
            quoted
            or k in named
            or _is_chain(t)
            or (t.pos == "ADP" and t.text.lower() in _CHAIN_PREPS)
            or (
                t.pos in ("NOUN", "PROPN", "ADJ")
                and _case(t) in ("Loc", "Dat")
                and (
                    0 <= k - 1 < len(toks) and toks[k - 1 if step > 0 else k].pos in ("ADP", "ADJ")
                )
            )
        ):
            pass
        else:
            break
        k += step
    while k != start and toks[k - step].pos == "ADP":  # "кандидат в" + an unknown word
        k -= step
    return k


class _Context(NamedTuple):
    tokens: list[DocToken]
    pos_of: dict[int, int]  # token start -> position
    sent_of: list[int]
    mentions: list[RoleMention]
    starts: list[int]  # token starts, in order
    named: set[int]  # positions of tokens inside ORG/LOC mentions ("Ассошиэйтед Пресс")


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
            for p in parses(head_tok.text.lower())
        )
        and head_tok.text[:1].isupper()
    )


def is_plural_surname(tok: DocToken) -> bool:
    """ "Сафаровы", "Сафаровых": a surname in the plural (a family or several people)."""
    if (tok.feats or {}).get("Number") == "Plur":
        return True
    surn = [p for p in parses(tok.text.lower()) if "Surn" in p.tag]
    return bool(surn) and all("plur" in p.tag for p in surn)


def _complement_start(ctx: _Context, i: int) -> int:
    """Leftwards from the name over its complement ("Москвы", "Японии в России"), stopping at
    the first animate noun: when the name is genitive its title is too ("мэра Москвы Юрия
    Лужкова"). Returns the index of the first token left of the complement."""
    toks, sent = ctx.tokens, ctx.sent_of[i]
    j = i - 1
    while j >= 0 and i - j <= _MAX_CHAIN and ctx.sent_of[j] == sent:
        if _nounish(toks[j]) and _role_head(toks[j]) is not None:
            break
        if toks[j].text == "»":  # a quoted name inside the complement
            opening = next(
                (k for k in range(j - 1, max(j - 7, -1), -1) if toks[k].text == "«"), None
            )
            if opening is None:
                break
            j = opening - 1
            continue
        if j not in ctx.named and not _left_chain(toks, j):
            break
        j -= 1
    return j


def _title_head(
    ctx: _Context, j: int, i: int
) -> tuple[int, DocToken, pymorphy3.analyzer.Parse] | None:
    """The title noun at ``j`` agreeing with the name at ``i``, climbed to the outermost title
    ("первый заместитель министра"): (index, token, parse), or None when ``j`` is no title."""
    toks, sent = ctx.tokens, ctx.sent_of[i]
    if j < 0 or ctx.sent_of[j] != sent or toks[j].text == "и":
        return None
    head_tok = toks[j]
    initial = j == 0 or ctx.sent_of[j - 1] != ctx.sent_of[j]
    head = _head_parse(head_tok) if _nounish(head_tok) and len(head_tok.text) > 2 else None
    if head is not None and not _agrees(head_tok, toks[i], initial) and _outer_title(ctx, j, i):
        j -= 1  # the title is the one the genitive title depends on
        head_tok, head = toks[j], _role_head(toks[j])
        initial = j == 0 or ctx.sent_of[j - 1] != sent
    if head is None or not _agrees(head_tok, toks[i], initial):
        return None
    if head.normal_form in _NOT_ROLES:
        return None
    # "заместитель начальника", "первый заместитель министра": titles of titles
    while j > 0 and ctx.sent_of[j - 1] == sent and _case(toks[j]) == "Gen":
        outer = _role_head(toks[j - 1]) if toks[j - 1].pos == "NOUN" else None
        if outer is None or not _agrees(toks[j - 1], toks[i], j - 1 == 0):
            break
        j -= 1
        head_tok, head = toks[j], outer
    return j, head_tok, head


def _strip_and(chain: list[DocToken]) -> list[DocToken]:
    """The complement without a leading or trailing "и" (coordination, not part of it)."""
    while chain and chain[0].text == "и":
        chain = chain[1:]
    while chain and chain[-1].text == "и":
        chain = chain[:-1]
    return chain


def _adjectives_before(
    ctx: _Context, j: int, head: pymorphy3.analyzer.Parse
) -> tuple[list[str], int]:
    """The adjectives left of the title at ``j`` in the nominative (bar praise such as
    "известный"), and the index of the first token left of them."""
    toks = ctx.tokens
    k = j - 1
    adjs: list[str] = []
    while k >= 0 and ctx.sent_of[k] == ctx.sent_of[j] and toks[k].pos == "ADJ":
        adj = _nominative_adj(toks[k], head)
        if adj not in _SKIP_ADJ:
            adjs.insert(0, adj)
        k -= 1
    return adjs, k


def _before(ctx: _Context, m: RoleMention, mi: int) -> list[tuple[int, str]]:
    """Descriptor left of the name: [(group, role)], distributed over coordinated names."""
    toks = ctx.tokens
    i = ctx.pos_of.get(m.start)
    if i is None or i == 0:
        return []
    title = _title_head(ctx, _complement_start(ctx, i), i)
    if title is None:
        return []
    j, head_tok, head = title
    chain = _strip_and(list(toks[j + 1 : i]))
    adjs, k = _adjectives_before(ctx, j, head)
    owner = ""
    if k >= 0 and toks[k].text.lower() in _POSSESSIVE and not chain:
        owner = _antecedent(ctx, toks[k].start, mi)
    base = " ".join([*adjs, _nominative_head(head)])
    names = _coordinated(ctx, mi)
    items = _split_items(chain)
    plural = "plur" in head.tag or (head_tok.feats or {}).get("Number") == "Plur"
    if plural and len(items) == len(names) > 1:
        return [(g, f"{base} {item}") for g, item in zip(names, items, strict=True)]
    role = f"{base} {_join(chain)}".strip()
    if owner:
        role = f"{role} {owner}"
    found = [(g, role) for g in (names if plural else names[:1])]
    if not plural and k > 0 and toks[k].text == "," and ctx.sent_of[k - 1] == ctx.sent_of[i]:
        # "лидер Меджлиса крымско-татарского народа, народный депутат Украины Мустафа
        # Джемилев": an earlier title of the same person, before a comma
        earlier = _title_ending_at(ctx, k - 1, i)
        if earlier:
            found.append((names[0], earlier))
    return found


def _outer_title(ctx: _Context, j: int, name: int) -> bool:
    """A genitive title inside the title: "полпред президента РФ в … округе Александр
    Хлопонин", "заместителем министра … Александром Налбандовым"."""
    toks = ctx.tokens
    if j == 0 or _case(toks[j]) != "Gen" or ctx.sent_of[j - 1] != ctx.sent_of[j]:
        return False
    if not _nounish(toks[j - 1]) or _role_head(toks[j - 1]) is None:
        return False
    return _agrees(toks[j - 1], toks[name], j - 1 == 0 or ctx.sent_of[j - 2] != ctx.sent_of[j])


def _title_ending_at(ctx: _Context, end: int, name: int) -> str | None:
    """A title (adjectives, animate head agreeing with the name, complement) whose last
    token is ``toks[end]``."""
    toks = ctx.tokens
    sent = ctx.sent_of[name]
    j = end
    while j >= 0 and end - j < _MAX_CHAIN and ctx.sent_of[j] == sent:
        if toks[j].pos == "NOUN" and _role_head(toks[j]) is not None:
            break
        if j not in ctx.named and not _left_chain(toks, j):
            return None
        j -= 1
    if j < 0 or ctx.sent_of[j] != sent or toks[j].pos != "NOUN":
        return None
    head = _role_head(toks[j])
    if head is None or not _agrees(toks[j], toks[name], False):
        return None
    if j < end and _chain_end(toks, j + 1, end + 1, 1, ctx.named) != end + 1:
        return None
    adjs: list[str] = []
    k = j - 1
    while k >= 0 and ctx.sent_of[k] == sent and toks[k].pos == "ADJ":
        adj = _nominative_adj(toks[k], head)
        if adj not in _SKIP_ADJ:
            adjs.insert(0, adj)
        k -= 1
    words = [*adjs, _nominative_head(head)]
    if j < end:
        words.append(_join(toks[j + 1 : end + 1]))
    return " ".join(words)


def _left_chain(toks: list[DocToken], j: int) -> bool:
    """Is ``toks[j]`` part of a title's complement, seen from its right end?"""
    t = toks[j]
    if _is_chain(t) or (t.pos == "ADP" and t.text.lower() in _CHAIN_PREPS):
        return True
    if t.pos in ("NOUN", "PROPN", "ADJ") and _case(t) in ("Loc", "Dat"):
        k = j - 1
        while k >= 0 and j - k <= 3 and toks[k].pos in ("ADJ", "NOUN", "PROPN"):
            k -= 1
        return k >= 0 and toks[k].pos == "ADP" and toks[k].text.lower() in _CHAIN_PREPS
    return False


def _nounish(tok: DocToken) -> bool:
    """A noun, or a capitalised title the tagger took for a name or an adjective
    ("Председатель Правительства", "Президента США", "Экс-председатель")."""
    if tok.pos == "NOUN":
        return True
    if tok.pos not in ("PROPN", "ADJ") or not tok.text[:1].isupper():
        return False
    # not when it may be a name: "Волков" (a surname, also "of wolves")
    names = {"Name", "Surn", "Patr", "Geox"}
    return not any(names & set(p.tag.grammemes) for p in parses(tok.text.lower()))


def _role_head(tok: DocToken) -> pymorphy3.analyzer.Parse | None:
    head = _head_parse(tok)
    if head is None or head.normal_form in _NOT_ROLES:
        return None
    return head


def _join(tokens: list[DocToken]) -> str:
    """Words as written: the gap between two tokens is kept only if there was one."""
    out = ""
    for a, b in itertools.pairwise(tokens):
        out += a.text + (" " if b.start > a.stop else "")
    return out + (tokens[-1].text if tokens else "")


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
    # ", пресс-секретарь президента," and "— бывший заместитель министра …"
    if last is None or last + 2 >= len(toks) or toks[last + 1].text not in (",", "—", "–"):
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
    k = _chain_end(toks, j + 1, len(toks), 1, ctx.named)
    if k < len(toks) and toks[k].text not in (",", ".", ")", "—", "–", ";"):
        return None
    words = [_nominative_adj(a, head) for a in adjs if a.text.lower() not in _SKIP_ADJ]
    words.append(_nominative_head(head))
    if k > j + 1:
        words.append(_join(toks[j + 1 : k]))
    return " ".join(words)


# "X является депутатом парламента", "X стал премьер-министром", "X назначен послом".
_COPULAS = {
    "являться",
    "стать",
    "становиться",
    "назначить",
    "назначать",
    "избрать",
    "избирать",
    "работать",
    "служить",
    "остаться",
    "оставаться",
}


def _predicate(ctx: _Context, m: RoleMention) -> str | None:
    """A title in the instrumental after a copula whose subject is the name."""
    toks = ctx.tokens
    i = ctx.pos_of.get(m.start)
    if i is None:
        return None
    subject = next(
        (t for t in toks[i : i + 4] if t.start < m.stop and t.rel in ("nsubj", "nsubj:pass")),
        None,
    )
    if subject is None:
        return None
    sent = ctx.sent_of[i]
    lo = i
    while lo > 0 and ctx.sent_of[lo - 1] == sent:
        lo -= 1
    hi = i
    while hi + 1 < len(toks) and ctx.sent_of[hi + 1] == sent:
        hi += 1
    verb = next((t for t in toks[lo : hi + 1] if t.id == subject.head_id), None)
    if verb is None or verb.pos not in ("VERB", "AUX"):
        return None
    if _lem_of(verb) not in _COPULAS:
        return None
    for j in range(lo, hi + 1):
        t = toks[j]
        if t.head_id != verb.id or t.rel not in ("xcomp", "obl") or t.pos != "NOUN":
            continue
        if _case(t) != "Ins":
            continue
        head = _role_head(t)
        if head is None:
            continue
        k = _chain_end(toks, j + 1, hi + 1, 1, ctx.named)
        words = [_nominative_head(head)]
        if k > j + 1:
            words.append(_join(toks[j + 1 : k]))
        return " ".join(words)
    return None


def _lem_of(tok: DocToken) -> str:
    p = parse_best(tok.text.lower(), "VERB") or parse_best(tok.text.lower(), "INFN")
    p = p or parse_best(tok.text.lower(), "PRTS") or parse_best(tok.text.lower())
    return p.normal_form if p else tok.text.lower()


def _named_positions(tokens: list[DocToken], mentions: list[RoleMention]) -> set[int]:
    starts = [t.start for t in tokens]
    out: set[int] = set()
    for m in mentions:
        if m.type in ("ORG", "LOC"):
            i = bisect.bisect_left(starts, m.start)
            while i < len(tokens) and tokens[i].start < m.stop:
                out.add(i)
                i += 1
    return out


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
        _named_positions(tokens, mentions),
    )
    out: list[list[str]] = [[] for _ in range(n_groups)]
    for mi, m in enumerate(mentions):
        if m.type != "PER":
            continue
        found = _before(ctx, m, mi)
        after = _after(ctx, m)
        if after:
            found.append((m.group, after))
        predicate = _predicate(ctx, m)
        if predicate:
            found.append((m.group, predicate))
        for g, role in found:
            if role and role not in out[g]:
                out[g].append(role)
    return out
