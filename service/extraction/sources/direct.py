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
from service.extraction.sources.syntax import _np, _speaker_tok

_AFTER_QUOTE = re.compile(r"[ \t]*([,.!?…]*)([ \t\n]*)([—–―-]{1,2})?[ \t]*")


_INSERT = re.compile(
    r"[,!?…][ \t]*(?:[—–―]|-{1,2})[ \t]+([^—–―«»\n]{2,160}?)[.,:;][ \t]*(?:[—–―]|-{1,2})[ \t]+"
)


def _cue_near(ctx: Ctx, i: int, limit: int = 3) -> int:
    """A speech verb among the first tokens from ``i`` (``— сказал он``, ``— также отметил``)."""
    for k in range(i, min(i + limit, len(ctx.toks))):
        t = ctx.toks[k]
        direct_cue = _is_speech(t) or t.lemma in lx.DIRECT_ONLY or t.lemma in lx.REFLEXIVE_CUES
        if direct_cue and not _negated(ctx, k):
            return k
        if t.pos not in ("ADV", "PART", "ADP", "NOUN", "PRON", "ADJ") or t.text in ".!?":
            break
    return -1


def _direct(ctx: Ctx) -> list[Cand]:
    out: list[Cand] = []
    text = ctx.text
    chain = (-1, -1)  # (closing mark, cue) of the last colon quotation: «A!», «B!» share its cue
    for o, c in ctx.quotes:
        inner_s, inner_e = _trim(text, o + 1, c, " \t\n")
        if inner_e - inner_s < 2 or not _utterance(text, inner_s, inner_e):
            continue
        if chain[0] >= 0 and _LIST_GAP.fullmatch(text, chain[0] + 1, o):
            out.append(_direct_cand(ctx, (inner_s, inner_e), chain[1], after=False))
            chain = (c, chain[1])
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
        colon = _before_blanks(text, before, " \t\n")
        if colon > 0 and text[colon - 1] == ":":  # «сказал:\n«…»»: the quotation as a paragraph
            before = colon
            k = _cue_before(ctx, ctx.tok_at(before - 1))
            if k >= 0:
                out.append(_direct_cand(ctx, (inner_s, inner_e), k, after=False))
                chain = (c, k)
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


_LIST_GAP = re.compile(r"[ \t]*(?:,|и)[ \t]*")


def _utterance(text: str, s: int, e: int) -> bool:
    """Two words, or one exclaimed or asked (a chant «Свободу!», a cry «Почему?»)."""
    return len(text[s:e].split()) >= 2 or text[e - 1] in "!?"


def _cue_before(ctx: Ctx, colon: int) -> int:
    """The speech verb of the clause ending at the colon token ``colon``."""
    if colon >= len(ctx.toks):
        return -1
    sent = ctx.sents[ctx.toks[colon].sent]
    for k in range(colon - 1, sent.first - 1, -1):
        t = ctx.toks[k]
        if t.text in (".", "!", "?", ":", ";"):
            break
        cue = _is_speech(t) or t.lemma in lx.DIRECT_ONLY
        if cue and not _negated(ctx, k) and not _bad_form(ctx, t):
            return k
    return -1


def _direct_cand(ctx: Ctx, quote: tuple[int, int], k: int, *, after: bool) -> Cand:
    t = ctx.toks[k]
    subj = _speaker_tok(ctx, t)  # the subject, else the place («— уверяют в мэрии»)
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
