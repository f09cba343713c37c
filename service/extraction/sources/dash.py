"""Unquoted utterances closed by a dash and a cue: ``Текст, — сообщает пресс-служба``."""

from __future__ import annotations

import re

from service.extraction import speech as lx
from service.extraction.sources.base import (
    Cand,
    Ctx,
    _bad_form,
    _span_of,
    _strip_connectives,
    _trim,
)
from service.extraction.sources.direct import _cue_near, _direct_cand


def _dash_speech(ctx: Ctx, taken: set[int]) -> list[Cand]:
    """Unquoted utterances closed by a dash and a cue: ``Текст, — сообщает пресс-служба``."""
    out: list[Cand] = []
    toks = ctx.toks
    for t in toks:
        if t.text not in lx.DASHES or t.i == 0 or not _closes_utterance(ctx, t.i - 1):
            continue
        k = _cue_near(ctx, t.i + 1)
        if k < 0 or k in taken or ctx.in_quote(t.start) or _bad_form(ctx, toks[k]):
            continue
        if toks[t.i - 1].start > 0 and ctx.text[toks[t.i - 1].start - 1] in '»”"':
            continue
        sent = ctx.sents[t.sent]
        # A dash-opened paragraph starts the utterance; otherwise the sentence does.
        start = _strip_connectives(ctx, sent.first, t.i)
        last = t.i - 1 if toks[t.i - 1].pos == "PUNCT" else t.i  # «Мы не уйдем - сказал он»
        if last == t.i and any(x.text in lx.DASHES for x in toks[k + 1 : sent.last]):
            continue  # «Главное - сказал он - не сдаваться»: an insert, not a closing cue
        s, e = _span_of(ctx, start, last)
        if ctx.text[e : toks[t.i - 1].stop] in "!?…":
            e = toks[t.i - 1].stop
        if e - s < 3:
            continue
        e = max(e, _continued_after_cue(ctx, k, s))
        out.append(_direct_cand(ctx, (s, e), k, after=True))
        taken.add(k)
    return out


def _closes_utterance(ctx: Ctx, i: int) -> bool:
    """``,`` ``!`` ``?`` ``…`` before the dash, or (house styles without the comma) a word
    that can end a sentence: ``Мы не уйдем - сказал он``."""
    t = ctx.toks[i]
    if t.text in (",", "!", "?", "…"):
        return True
    return t.pos in ("VERB", "NOUN", "PROPN", "ADJ", "ADV", "PRON", "NUM")


_GO_ON = re.compile(r"[.,][ \t]*(?:[—–―]|-{1,2})[ \t]+(?=\w)")


def _continued_after_cue(ctx: Ctx, k: int, s: int) -> int:
    """``— A, — сказал он. — B.``: a dialogue paragraph (opened by a dash) that goes on after
    the cue clause with another dash: one utterance, to the paragraph end."""
    text = ctx.text
    line = text.rfind("\n", 0, s) + 1
    if text[line:s].strip() not in lx.DASHES:
        return -1
    end = text.find("\n", s)
    end = len(text) if end < 0 else end
    m = _GO_ON.search(text, ctx.toks[k].stop, end)
    if m is None or any(ch in text[ctx.toks[k].stop : m.start()] for ch in "!?;—–«»"):
        return -1
    return _trim(text, m.end(), end)[1]
