"""Anaphoric attribution: ``Об этом сообщил X`` takes the previous sentence."""

from __future__ import annotations

import re

from service.extraction import speech as lx
from service.extraction.parsed import Tok
from service.extraction.sources.base import (
    Cand,
    Ctx,
    _bad_form,
    _is_speech,
    _needs_place,
    _negated,
    _span_of,
    _strip_connectives,
    _trim_quote_marks,
)
from service.extraction.sources.syntax import _np, _speaker_tok


def _anaphoric(ctx: Ctx, taken: set[int], prior: list[Cand]) -> list[Cand]:
    """``Об этом сообщил X``: the antecedent sentence is the quote."""
    out: list[Cand] = []
    toks = ctx.toks
    for v in toks:
        speech = _is_speech(v) or _needs_place(v)  # «Об этом говорится в сообщении»
        speech = speech or (v.lemma in lx.CLAUSE_VERBS and _document_subject(ctx, v))
        if v.i in taken or not speech or _bad_form(ctx, v) or _negated(ctx, v.i):
            continue
        sent = ctx.sents[v.sent]
        if ctx.in_quote(v.start):
            continue
        window = [toks[k].low for k in range(max(sent.first, v.i - 3), min(sent.last, v.i + 3))]
        joined = " ".join(window)
        if not (
            re.search(r"\b(об этом|о нем|о ней|это)\b", joined)
            or _about_this(ctx, v.i)
            or _so_said(ctx, v.i, sent.first)
        ):
            continue
        spk = _speaker_tok(ctx, v)
        if spk < 0:
            continue
        inner = _same_sentence(ctx, v.i)
        if inner is not None:  # «Y, об этом сообщает X», «Y (об этом пишет X)»
            taken.add(v.i)
            out.append(Cand("indirect", inner, (v.start, v.stop), _np(ctx, spk), spk, v.i))
            continue
        if v.sent == 0:
            continue
        prev = ctx.sents[v.sent - 1]
        quote: tuple[int, int] | None = None
        for c in prior:
            if prev.start <= c.quote[0] < prev.stop and c.kind != "direct":
                quote = c.quote
                break
        kind = "indirect"
        if quote is None:
            first = _strip_connectives(ctx, prev.first, prev.last)
            quote = _span_of(ctx, first, prev.last)
            q2 = _trim_quote_marks(ctx.text, *quote)
            if q2 != quote:
                kind, quote = "direct", q2
        if quote[1] - quote[0] < 3:
            continue
        taken.add(v.i)
        out.append(Cand(kind, quote, (v.start, v.stop), _np(ctx, spk), spk, v.i))
    return out


def _same_sentence(ctx: Ctx, v: int) -> tuple[int, int] | None:
    """``Y, об этом сообщает X`` / ``Y (об этом пишет X)``: ``об этом`` right after a comma
    or an opening bracket in the cue's own sentence points at the words before it."""
    sent = ctx.sents[ctx.toks[v].sent]
    for k in range(max(sent.first + 2, v - 4), v):
        if ctx.toks[k].low in ("об", "о") and ctx.toks[k + 1].low in ("этом", "нем", "ней"):
            if ctx.toks[k - 1].text not in (",", "(", "—", "–"):
                return None
            first = _strip_connectives(ctx, sent.first, k - 1)
            span = _span_of(ctx, first, k - 1)
            return span if span[1] - span[0] >= 3 else None
    return None


def _about_this(ctx: Ctx, v: int) -> bool:
    """``Об этом активистам сообщили жители``: the anaphoric ``об этом`` depends on the cue
    further than the word window, with no clause boundary in between."""
    for c in ctx.children[v]:
        ct = ctx.toks[c]
        if c >= v or v - c > 6 or ct.low not in ("этом", "нем", "ней"):
            continue
        if c == 0 or ctx.toks[c - 1].low not in ("об", "о"):
            continue
        if all(ctx.toks[k].text not in ",.;:" for k in range(c, v)):
            return True
    return False


def _so_said(ctx: Ctx, v: int, first: int) -> bool:
    """``«…». Так заявил X.`` / ``Так считает X.``: a sentence opened by ``так`` and the cue
    (not the connective ``Так, X заявил``)."""
    return v - 1 == first and ctx.toks[first].low == "так"


def _document_subject(ctx: Ctx, v: Tok) -> bool:
    """``Об этом свидетельствуют данные опроса``: a finding verb speaks for a document."""
    spk = _speaker_tok(ctx, v)
    return spk >= 0 and ctx.toks[spk].lemma in lx.DOCUMENT_NOUNS
