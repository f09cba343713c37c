"""Reporting clause after the content: ``Y, сообщил X``, ``Y, — сказал X``,
``Y, уточняет X, Z``."""

from __future__ import annotations

from service.extraction import speech as lx
from service.extraction.parsed import Sent, Tok
from service.extraction.sources.base import Cand, Ctx, _content_kind, _negated, _trim_quote_marks
from service.extraction.sources.direct import _next_noun
from service.extraction.sources.phrases import _around, _np_end_tok
from service.extraction.sources.syntax import _np, _speaker_tok


def _inverted(ctx: Ctx, v: Tok, sent: Sent, cue: tuple[int, int]) -> Cand | None:
    """``Content, сообщил X.`` / ``Content, — сказал X`` / ``X, уточняет газета, Y``."""
    toks = ctx.toks
    if v.lemma in lx.CLAUSE_ONLY or v.lemma in lx.DIRECTIVE_VERBS or v.lemma in lx.NAMING_VERBS:
        return None
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
    if spk >= 0 and spk < v.i:
        return None
    if spk < 0:
        spk = _next_noun(ctx, v.i)
    if spk < 0:
        return None
    end_tok = max(_np_end_tok(ctx, spk, sent), v.i)
    quote = _around(ctx, sent, k + 1, end_tok)
    if quote is None:
        return None
    if dash:
        kind, s, e = "direct", quote[0], quote[1]
        s, e = _trim_quote_marks(ctx.text, s, e)
    else:
        kind, s, e = _content_kind(ctx, *quote)
    return Cand(kind, (s, e), cue, _np(ctx, spk), spk, v.i)
