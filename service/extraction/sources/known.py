"""What became known to an outlet: ``Как стало известно «Известиям», Y`` and ``«Известиям»
стало известно, что Y``: the dative is the source (an outlet, a newspaper, an agency)."""

from __future__ import annotations

from service.extraction.parsed import Sent
from service.extraction.sources.base import Cand, Ctx, _content_kind, _span_of
from service.extraction.sources.phrases import _around, _np_end_tok, _past_quoted_name
from service.extraction.sources.syntax import _clause_end, _noun_type, _np


def _became_known(ctx: Ctx, taken: set[int]) -> list[Cand]:
    out: list[Cand] = []
    for t in ctx.toks:
        if t.low != "известно" or t.i in taken or t.i == 0 or ctx.in_quote(t.start):
            continue
        if ctx.toks[t.i - 1].lemma != "стать":
            continue
        sent = ctx.sents[t.sent]
        spk = _dative_source(ctx, t.i, sent)
        if spk < 0:
            continue
        cand = _known_cand(ctx, t.i, spk, sent)
        if cand is not None:
            taken.add(t.i)
            out.append(cand)
    return out


def _dative_source(ctx: Ctx, k: int, sent: Sent) -> int:
    """The dative noun next to ``стало известно`` that names a source (not ``ему``)."""
    after = []
    for j in range(k + 1, min(sent.last, k + 4)):
        if ctx.toks[j].text in ",.;:!?":
            break
        after.append(j)
    for j in (*after, *range(k - 2, max(sent.first, k - 5) - 1, -1)):
        t = ctx.toks[j]
        if t.pos in ("NOUN", "PROPN") and t.feats.get("Case") == "Dat":
            return j if _noun_type(ctx, j) in ("media", "organization", "anonymous") else -1
    return -1


def _known_cand(ctx: Ctx, k: int, spk: int, sent: Sent) -> Cand | None:
    toks = ctx.toks
    cue = (toks[k - 1].start, toks[k].stop)
    start = k - 2 if k >= 2 and toks[k - 2].low == "как" else -1
    if start >= 0:  # «Как стало известно X, Y»
        end = _past_quoted_name(ctx, _np_end_tok(ctx, spk, sent))  # «газете «Ведомости»»
        quote = _around(ctx, sent, start, max(k, end))
    else:  # «X стало известно, что Y»
        j = next((j for j in range(k + 1, min(sent.last, k + 6)) if toks[j].low == "что"), -1)
        if j < 0:
            return None
        quote = _span_of(ctx, j + 1, _clause_end(ctx, j + 1, k, sent.last))
    if quote is None or quote[1] - quote[0] < 3:
        return None
    kind, s, e = _content_kind(ctx, *quote)
    return Cand(kind, (s, e), cue, _np(ctx, spk), spk, k)
