"""Direct speech in quotation marks: the cue after, before (colon) or inside the quotation."""

from __future__ import annotations

import re

from service.extraction import speech as lx
from service.extraction.sources.base import (
    Cand,
    Ctx,
    _bad_form,
    _before_blanks,
    _is_speech,
    _negated,
    _trim,
)
from service.extraction.sources.syntax import _np, _subject

_AFTER_QUOTE = re.compile(r"[ \t]*([,.!?…]*)([ \t\n]*)([—–―-]{1,2})?[ \t]*")


_INSERT = re.compile(
    r"[,!?…][ \t]*(?:[—–―]|-{1,2})[ \t]+([^—–―«»\n]{2,160}?)[.,:;][ \t]*(?:[—–―]|-{1,2})[ \t]+"
)


def _cue_near(ctx: Ctx, i: int, limit: int = 3) -> int:
    """A speech verb among the first tokens from ``i`` (``— сказал он``, ``— также отметил``)."""
    for k in range(i, min(i + limit, len(ctx.toks))):
        t = ctx.toks[k]
        if (_is_speech(t) or t.lemma in lx.DIRECT_ONLY) and not _negated(ctx, k):
            return k
        if t.pos not in ("ADV", "PART", "ADP", "NOUN", "PRON", "ADJ") or t.text in ".!?":
            break
    return -1


def _direct(ctx: Ctx) -> list[Cand]:
    out: list[Cand] = []
    text = ctx.text
    for o, c in ctx.quotes:
        inner_s, inner_e = _trim(text, o + 1, c, " \t\n")
        if inner_e - inner_s < 2 or len(text[inner_s:inner_e].split()) < 2:
            continue
        # 1. interrupted quotation «A, — сказал X. — B»
        m = _INSERT.search(text, inner_s, inner_e)
        if m:
            k = _cue_near(ctx, ctx.tok_at(m.start(1)), 1)
            if k >= 0:
                out.append(_direct_cand(ctx, (inner_s, inner_e), k, after=True))
                continue
        # 2. cue after the closing mark: «...», — сказал он.
        m2 = _AFTER_QUOTE.match(text, c + 1)
        # A paragraph may open with the lowercase cue: «...»\nзаявил он.
        nxt = text[m2.end() : m2.end() + 1] if m2 else ""
        if m2 and (
            m2.group(3) or m2.group(1).startswith(",") or ("\n" in m2.group(2) and nxt.islower())
        ):
            k = _cue_near(ctx, ctx.tok_at(m2.end()))
            if k >= 0 and not _bad_form(ctx, ctx.toks[k]):
                out.append(_direct_cand(ctx, (inner_s, inner_e), k, after=True))
                continue
        # 3. cue before: X сказал: «...» / По словам X, «...» / Как сообщил X, «...»
        before = _before_blanks(text, o)
        if before > 0 and text[before - 1] == ":":
            k = _cue_before(ctx, ctx.tok_at(before - 1))
            if k >= 0:
                out.append(_direct_cand(ctx, (inner_s, inner_e), k, after=False))
            continue
        # 4. a saying verb right before the mark without a colon: сказав «мы ... будущего»
        k = ctx.tok_at(before) - 1
        if 0 <= k < len(ctx.toks) and ctx.toks[k].stop == before:
            t = ctx.toks[k]
            if (
                t.pos == "VERB"
                and t.lemma in lx.SAY_VERBS
                and len(text[inner_s:inner_e].split()) >= 4
                and re.match(r"[ \t]*(?:[.!?…]|\n|$)", text[c + 1 : c + 3]) is not None
                and not (_negated(ctx, k) or _bad_form(ctx, t))
            ):
                out.append(_direct_cand(ctx, (inner_s, inner_e), k, after=False))
    return out


def _cue_before(ctx: Ctx, colon: int) -> int:
    """The speech verb of the clause ending at the colon token ``colon``."""
    if colon >= len(ctx.toks):
        return -1
    sent = ctx.sents[ctx.toks[colon].sent]
    for k in range(colon - 1, sent.first - 1, -1):
        t = ctx.toks[k]
        if t.text in (".", "!", "?", ":", ";"):
            break
        if _is_speech(t) and not _negated(ctx, k) and not _bad_form(ctx, t):
            return k
    return -1


def _direct_cand(ctx: Ctx, quote: tuple[int, int], k: int, *, after: bool) -> Cand:
    t = ctx.toks[k]
    subj = _subject(ctx, k)
    if subj < 0 and after:
        subj = _next_noun(ctx, k)
    return Cand("direct", quote, (t.start, t.stop), _np(ctx, subj) if subj >= 0 else None, subj, k)


def _next_noun(ctx: Ctx, k: int) -> int:
    """Inverted subject right after the cue: ``сказал он``, ``заявил после встречи Петров``."""
    sent = ctx.sents[ctx.toks[k].sent]
    for j in range(k + 1, min(sent.last, k + 14)):
        t = ctx.toks[j]
        if t.text in ",.;:!?":
            break
        if t.pos in ("PRON", "PROPN", "NOUN") and t.feats.get("Case") == "Nom":
            return j
    return -1
