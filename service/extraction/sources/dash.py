"""Unquoted utterances closed by a dash and a cue: ``Текст, — сообщает пресс-служба``."""

from __future__ import annotations

from service.extraction import speech as lx
from service.extraction.sources.base import Cand, Ctx, _bad_form, _span_of, _strip_connectives
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
