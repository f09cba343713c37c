"""Quoting outlets as second sources: ``«…», — цитирует ИА Regnum Минченко`` and ``«…», —
сказал X, которого цитирует «Росбалт»`` credit the statement to the speaker and to the outlet
that quotes them (one record per source, same quote)."""

from __future__ import annotations

from service.extraction import speech as lx
from service.extraction.sources.base import Cand, Ctx
from service.extraction.sources.direct import _quotes_words
from service.extraction.sources.syntax import _noun_type, _np, _subject


def _quoting(ctx: Ctx, cands: list[Cand]) -> list[Cand]:
    out: list[Cand] = []
    for c in cands:
        if c.cue_tok >= 0 and ctx.toks[c.cue_tok].lemma in lx.QUOTING_VERBS:
            args = [_subject(ctx, c.cue_tok), *_quoting_args(ctx, c.cue_tok)]
            sources = list(dict.fromkeys(args))
            if not any(h >= 0 and _noun_type(ctx, h) == "media" for h in sources):
                sources.append(_outlet_after(ctx, c))  # the parse missed the outlet
            out += [_with_source(ctx, c, h, c.cue_tok) for h in sources if h not in (-1, c.head)]
        elif c.cue_tok >= 0 and (author := _quotes_words(ctx, c.cue_tok)) not in (-1, c.head):
            out.append(_with_source(ctx, c, author, c.cue_tok))  # «приводит слова X агентство»
        elif c.head >= 0 and c.speaker is not None:
            k = _quoting_clause(ctx, c.speaker)
            outlet = _child(ctx, k, "nsubj") if k >= 0 else -1  # the outlet may be «quoted»
            if outlet >= 0 and ctx.toks[outlet].lemma != "который":
                out.append(_with_source(ctx, c, outlet, k))
    return out


def _quoting_clause(ctx: Ctx, speaker: tuple[int, int]) -> int:
    """``X, которого цитирует Y``: a relative clause of quoting on a word of the speaker."""
    for i in range(ctx.tok_at(speaker[0]), ctx.tok_at(speaker[1])):
        for k in ctx.children[i]:
            if ctx.toks[k].rel == "acl:relcl" and ctx.toks[k].lemma in lx.QUOTING_VERBS:
                return k
    return -1


def _outlet_after(ctx: Ctx, c: Cand) -> int:
    """``— цитирует ИА Regnum Минченко``, ``— цитирует Хвана Чжан Епа Lenta.ru``: the outlet
    named in the words after the quoting verb, outside the speaker's phrase."""
    v = c.cue_tok
    sent = ctx.sents[ctx.toks[v].sent]
    spk = c.speaker or (-1, -1)
    for k in range(v + 1, min(sent.last, v + 12)):
        t = ctx.toks[k]
        if t.text in ".;!?" or spk[0] <= t.start < spk[1]:
            continue
        if t.pos in ("NOUN", "PROPN", "X") and _noun_type(ctx, k) == "media":
            return k
    return -1


def _quoting_args(ctx: Ctx, v: int) -> list[int]:
    """The nominal arguments of ``цитирует``: the parser may take the outlet or the quoted
    person for a second subject or an indirect object (``цитирует ИА Regnum Минченко``,
    ``цитирует Хвана Lenta.ru``); both are sources."""
    toks = ctx.toks
    rels = ("nsubj", "obj", "iobj")
    return [k for k in ctx.children[v] if toks[k].rel in rels and toks[k].pos in _NOMINAL]


_NOMINAL = ("NOUN", "PROPN", "X")


def _child(ctx: Ctx, v: int, rel: str) -> int:
    for k in ctx.children[v]:
        t = ctx.toks[k]
        if t.rel == rel and t.pos in ("NOUN", "PROPN"):
            return k
    return -1


def _with_source(ctx: Ctx, c: Cand, head: int, cue: int) -> Cand:
    t = ctx.toks[cue]
    head = _titled_name(ctx, head)
    return Cand(c.kind, c.quote, (t.start, t.stop), _np(ctx, head), head, cue)


def _titled_name(ctx: Ctx, head: int) -> int:
    """``цитирует X директора по стратегии Philips в России, на Украине и в Казахстане Елену
    Сябренко``: a title whose name comes after a long complement (commas included) in the
    same case (or hung on the title); the name is the speaker."""
    h = ctx.toks[head]
    if h.lemma not in lx.PERSON_TITLES:
        return head
    case = h.feats.get("Case")
    for k in range(head + 1, ctx.sents[h.sent].last):
        t = ctx.toks[k]
        if t.text in ".;:!?" or t.text in lx.DASHES:
            break
        ent = ctx.entity_at(t.start, t.stop)
        agrees = t.head == head or t.feats.get("Case") == case  # the parser's appos, or case
        if t.pos == "PROPN" and agrees and ent and ent.type == "PER":
            return k
    return head
