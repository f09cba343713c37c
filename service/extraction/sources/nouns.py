"""A speech noun as the cue when no verb governs the content: ``Требования X заключаются
в том, что``."""

from __future__ import annotations

from service.extraction import speech as lx
from service.extraction.sources.base import Cand, Ctx, _content_kind, _span_of
from service.extraction.sources.speakers import _POSSESSIVES
from service.extraction.sources.syntax import _clause_end, _np


def _noun_cues(ctx: Ctx, taken: set[int]) -> list[Cand]:
    """A speech noun as the cue when no verb governs the content: ``Требования X заключаются
    в том, чтобы Y`` (X the genitive or possessive author) and ``(петиции) с требованием
    вернуть Y`` (the author is the subject of the clause)."""
    out: list[Cand] = []
    toks = ctx.toks
    for t in toks:
        if t.pos != "NOUN" or t.lemma not in lx.CUE_NOUNS or ctx.in_quote(t.start):
            continue
        sent = ctx.sents[t.sent]
        start, spk = -1, -1
        # 1. «Требования ЕС заключаются в том, чтобы ...»
        for k in range(t.i + 1, min(sent.last - 4, t.i + 6)):
            kt = toks[k]
            if kt.text in ",.;:" or (kt.pos == "VERB" and kt.lemma not in lx.CONSIST_VERBS):
                break
            if kt.lemma in lx.CONSIST_VERBS:
                if (
                    toks[k + 1].low == "в"
                    and toks[k + 2].low == "том"
                    and toks[k + 3].text == ","
                    and toks[k + 4].low in lx.COMPLEMENTIZERS
                ):
                    start = k + 5
                    spk = _noun_author(ctx, t.i, k)
                break
        # 2. «с требованием вернуть ...», «с призывом отказаться от ...»
        if (
            start < 0
            and t.i > sent.first
            and toks[t.i - 1].low == "с"
            and t.i + 1 < sent.last
            and toks[t.i + 1].feats.get("VerbForm") == "Inf"
        ):
            start = t.i + 1
            spk = _clause_subject(ctx, t.i)
        if start < 0 or spk < 0:
            continue
        end = _clause_end(ctx, start, t.i, sent.last)
        s, e = _span_of(ctx, start, end)
        if e - s < 2:
            continue
        kind, s, e = _content_kind(ctx, s, e)
        cand = Cand(kind, (s, e), (t.start, t.stop), _np(ctx, spk), spk, t.i)
        if toks[spk].pos == "ADJ" and toks[spk].feats.get("Case") == "Nom":
            cand.extra["trusted"] = "1"
        out.append(cand)
    return out


def _noun_author(ctx: Ctx, n: int, stop: int) -> int:
    """The genitive or possessive author of a speech noun (``требования ЕС``, ``его позиция``)."""
    toks = ctx.toks
    if n > 0 and toks[n - 1].low in _POSSESSIVES:
        return n - 1
    k = n + 1
    while k < stop and toks[k].pos == "ADJ":
        k += 1
    if k < stop and toks[k].pos in ("NOUN", "PROPN") and toks[k].feats.get("Case") == "Gen":
        return k
    return -1


def _clause_subject(ctx: Ctx, n: int) -> int:
    """The subject of the nearest preceding finite verb of the sentence (``собрались ...,
    зачитывая петиции с требованием``), quotation-marked mentions included."""
    toks = ctx.toks
    sent = ctx.sents[toks[n].sent]
    for k in range(n - 1, sent.first - 1, -1):
        kt = toks[k]
        if kt.pos == "VERB" and kt.feats.get("VerbForm") == "Fin":
            for c in ctx.children[k]:
                if toks[c].rel.startswith("nsubj") and toks[c].pos in ("NOUN", "PROPN", "ADJ"):
                    return c  # ADJ: a substantivised group (``ультраправые``)
            return -1
    return -1
