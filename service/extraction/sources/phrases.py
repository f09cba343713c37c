"""Attribution phrases: ``по словам X``, ``по данным X``, ``как сообщает X``, ``согласно X``."""

from __future__ import annotations

from service.extraction import speech as lx
from service.extraction.parsed import Sent
from service.extraction.sources.base import (
    Cand,
    Ctx,
    _bad_form,
    _content_kind,
    _is_speech,
    _negated,
    _sent_content_bounds,
    _span_of,
    _trim,
)
from service.extraction.sources.direct import _next_noun
from service.extraction.sources.syntax import _np, _place_source, _relative_antecedent, _subject

_PO_FORMS = lx.words(
    "словам данным мнению сведениям сообщению сообщениям прогнозам прогнозу информации "
    "оценкам оценке подсчетам расчетам утверждению версии"
)


def _phrases(ctx: Ctx, taken: set[int]) -> list[Cand]:
    out: list[Cand] = []
    toks = ctx.toks
    for t in toks:
        if ctx.in_quote(t.start):
            continue
        sent = ctx.sents[t.sent]
        cue: tuple[int, int] | None = None
        spk = -1
        spk_end = -1
        trusted = True  # the phrase itself makes its genitive a source (``по прогнозам майя``)
        if t.low == "по":
            j = t.i + 1
            poss = -1
            if j < sent.last and toks[j].low in ("его", "ее", "их", "её"):
                poss, j = j, j + 1
            if j >= sent.last or toks[j].low.replace("ё", "е") not in _PO_FORMS:
                continue
            cue = (t.start, toks[j].stop)
            if poss >= 0:
                spk, spk_end = poss, poss
            else:
                spk, spk_end = _genitive_after(ctx, j, sent)
        elif t.low == "согласно" or (
            t.low == "в"
            and t.i + 2 < sent.last
            and toks[t.i + 1].low == "соответствии"
            and toks[t.i + 2].low == "с"
        ):
            j = t.i + 1 if t.low == "согласно" else t.i + 3
            cue_end = toks[j - 1].stop
            poss = -1
            if j < sent.last and toks[j].low in ("его", "ее", "их", "её"):
                poss, j = j, j + 1
            if j >= sent.last or toks[j].pos not in ("NOUN", "PROPN", "ADJ", "PRON"):
                continue
            noun = j
            while noun < sent.last and toks[noun].pos == "ADJ":
                noun += 1
            if noun >= sent.last:
                continue
            if toks[noun].lemma in lx.SOGLASNO_CUE_NOUNS:
                cue = (t.start, toks[noun].stop)
                if poss >= 0:
                    spk, spk_end = poss, poss
                else:
                    spk, spk_end = _genitive_after(ctx, noun, sent)
            else:
                trusted = False
                cue = (t.start, cue_end)
                spk = _relative_antecedent(ctx, noun)
                spk_end = _np_end_tok(ctx, noun, sent)
                if spk != noun:  # «закон, согласно которому»
                    spk_end = noun
        elif t.low == "как" and t.i + 1 < sent.last and _is_speech(toks[t.i + 1]):
            k = t.i + 1
            v = toks[k]
            if _negated(ctx, k) or _bad_form(ctx, v) or k in taken:
                continue
            cue = (v.start, v.stop)
            spk = _subject(ctx, k)
            if spk < 0:
                spk = _place_source(ctx, k)
            if spk < 0:
                spk = _next_noun(ctx, k)
            if spk < 0:
                continue
            spk_end = _np_end_tok(ctx, spk, sent)
            trusted = False
            taken.add(k)
        else:
            continue
        if spk < 0 or cue is None:
            continue
        if t.low == "по" and t.i == _sent_content_bounds(ctx, sent)[0]:
            spk_end = _phrase_end(ctx, spk_end, sent)
        clause_end = max(spk_end, ctx.tok_at(cue[1]) - 1)
        quote = _around(ctx, sent, t.i, clause_end)
        if quote is None:
            continue
        kind, qs, qe = _content_kind(ctx, *quote)
        # ``По словам X, «целая фраза»`` is direct.
        if (
            kind == "mixed"
            and ctx.text[quote[0]] in '«“„"'
            and t.i == _sent_content_bounds(ctx, sent)[0]
        ):
            kind = "direct"
        sp = _np(ctx, spk)
        if t.low == "по" and spk_end > spk and toks[spk_end].stop > sp[1]:
            sp = _trim(ctx.text, sp[0], toks[spk_end].stop, " ,")
        cand = Cand(kind, (qs, qe), cue, sp, spk)
        if trusted:
            cand.extra["trusted"] = "1"
        out.append(cand)
    return out


def _phrase_end(ctx: Ctx, end: int, sent: Sent) -> int:
    """A sentence-opening ``По словам X, ...`` runs to its comma: the author's noun phrase may
    continue past the parsed one (``аналитика банка «Открытие» Ивана Петрова``)."""
    for k in range(end + 1, min(sent.last, end + 10)):
        t = ctx.toks[k]
        if t.text == ",":
            return k - 1
        if t.pos in ("VERB", "AUX") or t.text in ".;:!?" or t.text in lx.DASHES:
            break
        if t.low in lx.COMPLEMENTIZERS or t.low == "как":
            break
    return end


def _genitive_after(ctx: Ctx, j: int, sent: Sent) -> tuple[int, int]:
    """Head and last token of the genitive author after a phrase noun (``словам X``)."""
    toks = ctx.toks
    deps = [c for c in ctx.children[j] if c > j and toks[c].rel in ("nmod", "appos", "flat")]
    if deps and toks[min(deps)].pos in ("NOUN", "PROPN", "PRON", "X"):
        k = min(deps)
        return k, _np_end_tok(ctx, k, sent)
    k = j + 1
    while k < sent.last and toks[k].pos in ("ADJ", "DET", "NUM", "CCONJ"):
        k += 1
    if k >= sent.last or toks[k].pos not in ("NOUN", "PROPN", "PRON", "X"):
        return -1, -1
    # The first noun may be a title before a name: take the name when NER has it.
    return k, _np_end_tok(ctx, k, sent)


def _np_end_tok(ctx: Ctx, i: int, sent: Sent) -> int:
    e = _np(ctx, i)[1]
    j = i
    while j + 1 < sent.last and ctx.toks[j + 1].start < e:
        j += 1
    return j


def _around(ctx: Ctx, sent: Sent, a: int, b: int) -> tuple[int, int] | None:
    """Content of a sentence around an attribution clause occupying tokens ``[a, b]``."""
    first, last = _sent_content_bounds(ctx, sent)
    while last > first and ctx.toks[last - 1].text in ".!?…;":
        last -= 1
    if a <= first:
        s = b + 1
        while s < last and ctx.toks[s].text in (",", "—", "–", ":"):
            s += 1
        span = _span_of(ctx, s, last)
    elif b >= last - 1:
        e = a
        while e > first and ctx.toks[e - 1].text in (",", "—", "–"):
            e -= 1
        span = _span_of(ctx, first, e)
    else:
        span = _span_of(ctx, first, last)
    if span[1] - span[0] < 3:
        return None
    return span
