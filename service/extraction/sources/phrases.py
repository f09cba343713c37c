"""Attribution phrases: ``по словам X``, ``по данным X``, ``как сообщает X``, ``согласно X``."""

from __future__ import annotations

from dataclasses import dataclass

from service.extraction import speech as lx
from service.extraction.parsed import Sent, Tok
from service.extraction.sources.base import (
    Cand,
    Ctx,
    _bad_form,
    _content_kind,
    _is_speech,
    _needs_place,
    _negated,
    _sent_content_bounds,
    _span_of,
    _trim,
)
from service.extraction.sources.direct import _next_noun
from service.extraction.sources.syntax import (
    _np,
    _place_source,
    _relative_antecedent,
    _speaker_tok,
)

_PO_FORMS = lx.words(
    "словам данным мнению сведениям сообщению сообщениям прогнозам прогнозу информации "
    "оценкам оценке подсчетам расчетам утверждению версии свидетельству свидетельствам"
)


@dataclass(slots=True)
class _Phrase:
    """An attribution phrase found at a token: its cue, the source's head and last token."""

    cue: tuple[int, int]
    spk: int
    spk_end: int
    trusted: bool  # the phrase itself makes its genitive a source (``по прогнозам майя``)


def _phrases(ctx: Ctx, taken: set[int]) -> list[Cand]:
    """``по словам X``, ``согласно X`` / ``в соответствии с X``, ``как сообщает X``: the
    content is the rest of the sentence around the phrase."""
    out: list[Cand] = []
    for t in ctx.toks:
        if ctx.in_quote(t.start):
            continue
        sent = ctx.sents[t.sent]
        if t.low == "по":
            ph = _po_phrase(ctx, t, sent)
        elif t.low == "согласно" or _v_sootvetstvii(ctx, t, sent):
            ph = _soglasno_phrase(ctx, t, sent)
        elif t.low == "как":
            ph = _kak_phrase(ctx, t, sent, taken)
        else:
            continue
        if ph is not None and ph.spk >= 0:
            cand = _phrase_cand(ctx, t, sent, ph)
            if cand is not None:
                out.append(cand)
    return out


def _v_sootvetstvii(ctx: Ctx, t: Tok, sent: Sent) -> bool:
    toks = ctx.toks
    return (
        t.low == "в"
        and t.i + 2 < sent.last
        and toks[t.i + 1].low == "соответствии"
        and toks[t.i + 2].low == "с"
    )


def _po_phrase(ctx: Ctx, t: Tok, sent: Sent) -> _Phrase | None:
    toks = ctx.toks
    j = t.i + 1
    poss = -1
    if j < sent.last and toks[j].low in ("его", "ее", "их", "её"):
        poss, j = j, j + 1
    if j < sent.last and poss < 0 and toks[j].low.replace("ё", "е") not in _PO_FORMS:
        return _po_document(ctx, t, j, sent)
    if j >= sent.last or toks[j].low.replace("ё", "е") not in _PO_FORMS:
        return None
    cue = (t.start, toks[j].stop)
    if poss >= 0:
        return _Phrase(cue, poss, poss, True)
    return _Phrase(cue, *_author_after(ctx, j, sent), True)


def _po_document(ctx: Ctx, t: Tok, j: int, sent: Sent) -> _Phrase | None:
    """``По договору между странами, X``: a sentence-opening ``по`` with a document (the
    source; ``по`` alone is the cue), set off by a comma. Not ``по итогам``, ``по решению``:
    those nouns are not in the ``po_document`` class."""
    toks = ctx.toks
    if t.i != _sent_content_bounds(ctx, sent)[0]:
        return None
    k = j
    while k < sent.last and toks[k].pos == "ADJ":
        k += 1
    if k >= sent.last or toks[k].lemma not in lx.PO_DOCUMENT_NOUNS:
        return None
    if toks[k].feats.get("Case") != "Dat":
        return None
    end = _phrase_end(ctx, _np_end_tok(ctx, k, sent), sent)
    if end + 1 >= sent.last or toks[end + 1].text != ",":
        return None
    return _Phrase((t.start, t.stop), k, end, True)


def _soglasno_phrase(ctx: Ctx, t: Tok, sent: Sent) -> _Phrase | None:
    toks = ctx.toks
    j = t.i + 1 if t.low == "согласно" else t.i + 3
    cue_end = toks[j - 1].stop
    poss = -1
    if j < sent.last and toks[j].low in ("его", "ее", "их", "её"):
        poss, j = j, j + 1
    if j >= sent.last or toks[j].pos not in ("NOUN", "PROPN", "ADJ", "PRON", "X"):
        return None
    noun = j
    while noun < sent.last and toks[noun].pos == "ADJ":
        noun += 1
    if noun >= sent.last:
        return None
    if toks[noun].lemma in lx.SOGLASNO_CUE_NOUNS:  # «согласно расчетам X»
        cue = (t.start, toks[noun].stop)
        if poss >= 0:
            return _Phrase(cue, poss, poss, True)
        return _Phrase(cue, *_author_after(ctx, noun, sent), True)
    spk = _relative_antecedent(ctx, noun)
    spk_end = noun  # «закон, согласно которому»
    if spk == noun:  # «согласно опросу «Левада-центра»»: the quoted name belongs to it
        spk_end = _past_quoted_name(ctx, _np_end_tok(ctx, noun, sent))
    return _Phrase((t.start, cue_end), spk, spk_end, False)


def _kak_phrase(ctx: Ctx, t: Tok, sent: Sent, taken: set[int]) -> _Phrase | None:
    k = _kak_cue(ctx, t.i, sent)
    if k < 0:
        return None
    v = ctx.toks[k]
    if _negated(ctx, k) or _bad_form(ctx, v) or k in taken:
        return None
    spk = _speaker_tok(ctx, v)
    if spk < 0:
        spk = _next_noun(ctx, k)
    if spk < 0:
        return None
    taken.add(k)
    spk_end = _past_citation(ctx, _past_quoted_name(ctx, _np_end_tok(ctx, spk, sent)), sent)
    return _Phrase((v.start, v.stop), spk, spk_end, False)


def _past_citation(ctx: Ctx, end: int, sent: Sent) -> int:
    """``как сообщает X со ссылкой на источники,`` / ``ссылаясь на Y,``: the citation is part
    of the attribution, up to its comma."""
    toks = ctx.toks
    j = end + 1
    while j < sent.last and toks[j].text in ("»", '"', "“", "”"):
        j += 1  # past the closing mark of a quoted name
    if j + 1 < sent.last and toks[j].text == "," and toks[j + 1].lemma == "ссылаться":
        j += 1
    cites = j + 1 < sent.last and toks[j].low in ("со", "с") and toks[j + 1].lemma == "ссылка"
    if not (cites or (j < sent.last and toks[j].lemma == "ссылаться")):
        return end
    for k in range(j + 1, sent.last):
        if toks[k].text in ",;:" or toks[k].text in lx.DASHES:
            return k - 1
    return end


def _phrase_cand(ctx: Ctx, t: Tok, sent: Sent, ph: _Phrase) -> Cand | None:
    spk_end = ph.spk_end
    if t.low == "по" and t.i == _sent_content_bounds(ctx, sent)[0]:
        spk_end = _phrase_end(ctx, spk_end, sent)
    clause_end = max(spk_end, ctx.tok_at(ph.cue[1]) - 1)
    quote = _around(ctx, sent, t.i, clause_end)
    if quote is None:
        return None
    kind, qs, qe = _content_kind(ctx, *quote)
    # ``По словам X, «целая фраза»`` is direct.
    starts = t.i == _sent_content_bounds(ctx, sent)[0]
    if kind == "mixed" and ctx.text[quote[0]] in '«“„"' and starts:
        kind = "direct"
    sp = _np(ctx, ph.spk)
    if t.low == "по" and spk_end > ph.spk and ctx.toks[spk_end].stop > sp[1]:
        sp = _trim(ctx.text, sp[0], ctx.toks[spk_end].stop, " ,")
    cand = Cand(kind, (qs, qe), ph.cue, sp, ph.spk)
    if ph.trusted:
        cand.extra["trusted"] = "1"
    return cand


def _past_quoted_name(ctx: Ctx, end: int) -> int:
    """``издание «Город»``: a name in quotation marks right after the noun belongs to it."""
    nxt = end + 1
    if nxt < len(ctx.toks) and ctx.toks[nxt].start in ctx.quote_close:
        return ctx.tok_at(ctx.quote_close[ctx.toks[nxt].start])
    return end


def _kak_cue(ctx: Ctx, i: int, sent: Sent) -> int:
    """``Как (ранее / уже / недавно) сообщало X``: the speech verb after ``как`` and at most
    two adverbs or particles."""
    for k in range(i + 1, min(i + 4, sent.last)):
        t = ctx.toks[k]
        if _is_speech(t) or _needs_place(t):  # «как говорится в сообщении»
            return k
        if t.lemma in lx.CLAUSE_VERBS and _finding(ctx, k):  # «как показал опрос»
            return k
        if t.pos == "PRON" and t.feats.get("Case") == "Nom" and t.low not in ("это", "что"):
            continue  # «как они утверждали»: the subject before the verb
        if t.pos not in ("ADV", "PART"):
            break
    return -1


def _finding(ctx: Ctx, k: int) -> bool:
    """The subject of a finding verb is a document (``опрос``, ``исследование``)."""
    spk = _speaker_tok(ctx, ctx.toks[k])
    return spk >= 0 and ctx.toks[spk].lemma in lx.DOCUMENT_NOUNS


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


def _author_after(ctx: Ctx, j: int, sent: Sent) -> tuple[int, int]:
    """The genitive author of a phrase noun, else the place that published it
    (``согласно информации, опубликованной в «КП»``)."""
    spk, end = _genitive_after(ctx, j, sent)
    if spk >= 0:
        return spk, end
    for c in ctx.children[j]:
        ct = ctx.toks[c]
        if ct.lemma in lx.PUBLISH_VERBS and ct.feats.get("VerbForm") == "Part":
            src = _place_source(ctx, c)
            if src >= 0:
                return src, _past_quoted_name(ctx, _np_end_tok(ctx, src, sent))
    return -1, -1


def _genitive_after(ctx: Ctx, j: int, sent: Sent) -> tuple[int, int]:
    """Head and last token of the genitive author after a phrase noun (``словам X``)."""
    toks = ctx.toks
    deps = [c for c in ctx.children[j] if c > j and toks[c].rel in ("nmod", "appos", "flat")]
    group = bool(deps) and toks[min(deps)].lemma in lx.GROUP_WORDS  # «одного из очевидцев»
    if deps and (toks[min(deps)].pos in ("NOUN", "PROPN", "PRON", "X") or group):
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
        while s < last and ctx.toks[s].text in (",", "—", "–", ":", "»", "”"):
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
