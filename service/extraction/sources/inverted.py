"""Reporting clause after the content: ``Y, сообщил X``, ``Y, — сказал X``,
``Y, уточняет X, Z``."""

from __future__ import annotations

import re

from service.extraction import speech as lx
from service.extraction.parsed import Sent, Tok
from service.extraction.sources.base import Cand, Ctx, _content_kind, _negated, _trim_quote_marks
from service.extraction.sources.direct import _next_noun
from service.extraction.sources.phrases import _around, _np_end_tok
from service.extraction.sources.syntax import _np_titled, _place_source, _speaker_tok

_ABOUT_THAT = re.compile(r"(?i)(?:о|об|обо)\s+том\s*,\s*(?:что|как|чтобы)\s+")


def _inverted(ctx: Ctx, v: Tok, sent: Sent, cue: tuple[int, int]) -> Cand | None:
    """``Content, сообщил X.`` / ``Content, — сказал X`` / ``X, уточняет газета, Y``."""
    toks = ctx.toks
    directive_only = v.lemma in lx.DIRECTIVE_VERBS and v.lemma not in lx.SAY_VERBS
    if v.lemma in lx.CLAUSE_ONLY or directive_only or v.lemma in lx.NAMING_VERBS:
        return None  # «…, пообещал мэр» is content; «…, призвал мэр» is not
    k = v.i - 1
    if _negated(ctx, v.i):
        k -= 1
    dash = False
    while k >= sent.first and toks[k].text in lx.DASHES:
        dash = True
        k -= 1
    if k < sent.first or toks[k].text != ",":
        return None
    spk = _speaker_tok(ctx, v)
    if 0 <= spk < v.i:
        if ctx.toks[spk].head == v.i:
            return None  # its own subject before it: not inverted
        spk = _place_source(ctx, v.i)  # «Решение окончательное, заверили в ведомстве»
    if spk < 0:
        spk = _next_noun(ctx, v.i)
    if spk < 0:
        return None
    end_tok = max(_np_end_tok(ctx, spk, sent), v.i)
    if not _clause_after(ctx, end_tok, sent):
        end_tok = sent.last - 1  # «…, пишет газета со ссылкой на источники»: all attribution
    quote = _around(ctx, sent, k + 1, end_tok)
    if quote is None:
        return None
    lead = _ABOUT_THAT.match(ctx.text, quote[0], quote[1])
    if lead is not None:  # «О том, что Y, сообщил X»: the content is Y
        quote = (lead.end(), quote[1])
    if dash:
        kind, s, e = "direct", quote[0], quote[1]
        s, e = _trim_quote_marks(ctx.text, s, e)
    else:
        kind, s, e = _content_kind(ctx, *quote)
    return Cand(kind, (s, e), cue, _np_titled(ctx, spk), spk, v.i)


def _clause_after(ctx: Ctx, end: int, sent: Sent) -> bool:
    """Content resumes after the speaker (``X, уточняет газета, Y``): a finite verb follows."""
    return any(
        t.pos in ("VERB", "AUX") and t.feats.get("VerbForm") == "Fin"
        for t in ctx.toks[end + 1 : sent.last]
    )
