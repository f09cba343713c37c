"""Reported clauses after a verb of saying: ``X заявил, что Y``, nominal and infinitive content."""

from __future__ import annotations

from service.extraction import speech as lx
from service.extraction.parsed import Sent, Tok
from service.extraction.sources.base import (
    Cand,
    Ctx,
    _bad_form,
    _content_kind,
    _is_speech,
    _negated,
    _span_of,
    _trim_quote_marks,
)
from service.extraction.sources.inverted import _inverted
from service.extraction.sources.syntax import (
    _cites_source,
    _clause_end,
    _fallback_speaker,
    _np,
    _place_source,
    _speaker_tok,
)


def _indirect(ctx: Ctx, taken: set[int], direct_spans: list[tuple[int, int]]) -> list[Cand]:
    out: list[Cand] = []
    toks = ctx.toks
    for v in toks:
        if v.i in taken or v.pos != "VERB":
            continue
        lem = v.lemma
        light = lem in lx.LIGHT_VERBS
        reflexive = lem in lx.REFLEXIVE_CUES
        if not (
            _is_speech(v)
            or light
            or reflexive
            or lem in lx.NEGATIVE_ONLY
            or lem in lx.CLAUSE_VERBS
            or lem in lx.APPEARANCE_VERBS
        ):
            continue
        if ctx.in_quote(v.start) or not _reporting_form(ctx, v):
            continue
        if reflexive and _place_source(ctx, v.i) < 0:
            continue  # «сообщается»: impersonal, no source
        if any(s <= v.start < e for s, e in direct_spans):
            continue
        neg = _negated(ctx, v.i)
        if (lem in lx.NEGATIVE_ONLY) != neg or _bad_form(ctx, v):
            continue
        sent = ctx.sents[v.sent]
        cand = _indirect_one(ctx, v, sent, light)
        if cand is None:
            continue
        taken.add(v.i)
        out.append(cand)
    return out


def _shows_recording(ctx: Ctx, v: Tok) -> bool:
    """The subject of ``появилось`` is a recording (``видео``), not ``информация``."""
    spk = _speaker_tok(ctx, v)
    return spk >= 0 and ctx.toks[spk].lemma in lx.RECORDING_NOUNS


def _reporting_form(ctx: Ctx, v: Tok) -> bool:
    """Forms that report a statement: not infinitives under modal/refusal verbs, not agentless
    passive participles (``обвинённые``, ``связанных с``), not naming participles."""
    form = v.feats.get("VerbForm")
    if form == "Inf":
        head = ctx.toks[v.head] if v.head >= 0 else None
        # «дало повод аналитикам заявлять, что»: an infinitive with a clause still reports.
        nxt = ctx.toks[v.i + 1 : v.i + 5]
        has_clause = any(t.low in lx.COMPLEMENTIZERS for t in nxt)
        return has_clause and not (head and head.lemma in ("отказываться", "отказаться"))
    if form == "Part":
        if v.lemma in lx.NAMING_VERBS:
            return False
        if v.feats.get("Voice") == "Pass":
            return any(
                ctx.toks[c].feats.get("Case") == "Ins" and ctx.toks[c].pos in ("NOUN", "PROPN")
                for c in ctx.children[v.i]
            )
    return True


def _indirect_one(ctx: Ctx, v: Tok, sent: Sent, light: bool) -> Cand | None:
    toks = ctx.toks
    lem = v.lemma
    cue_s = toks[v.i - 1].start if _negated(ctx, v.i) else v.start
    cue_e = v.stop
    start = -1
    kind_hint = ""
    j = v.i + 1
    limit = min(sent.last, v.i + 10)
    # Light verbs: ``выразил (в этой связи) надежду, что``.
    if light:
        for k in range(j, min(sent.last, v.i + 5)):
            if toks[k].lemma in lx.LIGHT_NOUNS:
                cue_e = toks[k].stop
                j = k + 1
                break
        else:
            return None
    if lem in lx.NAMING_VERBS:
        limit = j  # «обвинил X в том, что Y»: the material after the verb
    while j < limit:
        t = toks[j]
        if t.low in lx.COMPLEMENTIZERS or (t.low == "как" and j > 0 and toks[j - 1].text == ","):
            start = j + 1
            break
        if t.text == ":":
            start = j + 1
            kind_hint = "colon"
            break
        if t.text in ".;!?" or t.text in lx.DASHES:
            break
        if t.text == "," and not (
            j + 1 < limit
            and (
                toks[j + 1].low in lx.COMPLEMENTIZERS
                or toks[j + 1].low == "как"
                or (toks[j + 1].low in ("о", "в", "на", "к", "под") and j + 2 < limit)
            )
        ):
            break
        if t.pos in ("VERB", "AUX") and t.feats.get("VerbForm") not in ("Inf",) and j > v.i + 1:
            break
        if t.feats.get("VerbForm") == "Inf" and (lem in lx.DIRECTIVE_VERBS):
            start = j - 1 if toks[j - 1].low == "не" else j
            if toks[start - 1].text in '«"':
                start -= 1
            break
        if light and t.low in ("о", "об", "обо", "в", "против", "с"):
            start = j + 1
            break
        if t.low in lx.NOMINAL_PREPS.get(lem, ()) and j <= v.i + 3:
            if lem in lx.CITING_VERBS and _cites_source(ctx, j + 1, limit):
                return None  # «ссылаясь на источники»: a source, not content
            start = j + 1
            break
        if lem in lx.NOMINAL_O_VERBS and t.low in ("о", "об", "обо") and j <= v.i + 4:
            start = j + 1
            kind_hint = "nominal"
            break
        j += 1
    if start < 0 and (lem in lx.CLAUSE_VERBS or lem in lx.APPEARANCE_VERBS):
        return None
    if lem in lx.APPEARANCE_VERBS and (
        start < 1 or toks[start - 1].low not in ("как", "что") or not _shows_recording(ctx, v)
    ):
        return None
    if start < 0 and lem in lx.REFLEXIVE_CUES and v.i + 1 < sent.last:
        start = v.i + 1 if toks[v.i + 1].text not in ",." else -1
    if start < 0 and lem in lx.NAMING_VERBS:
        start = v.i + 1
    if start < 0 and lem in lx.NOUN_OBJ_VERBS:
        k = v.i + 1
        if (
            k < sent.last
            and toks[k].pos in ("NOUN", "ADJ", "DET")
            and toks[k].feats.get("Case") in ("Acc", "Gen")
        ):
            start = k
    if start >= 0:
        end = _clause_end(ctx, start, v.i, sent.last)
        s, e = _span_of(ctx, start, end)
        if e - s < 2:
            return None
        if kind_hint == "colon":
            kind = "direct"
            s, e = _trim_quote_marks(ctx.text, s, e)
            closing = ctx.text[e : e + 1]  # empty at the end of the text
            if closing and closing in "!?.":
                e += 1
        else:
            kind, s, e = _content_kind(ctx, s, e)
        spk = _speaker_tok(ctx, v)
        if spk < 0:
            spk = _fallback_speaker(ctx, v)
        return Cand(kind, (s, e), (cue_s, cue_e), _np(ctx, spk) if spk >= 0 else None, spk, v.i)
    return _inverted(ctx, v, sent, (cue_s, cue_e))
