"""Reported clauses after a verb of saying: ``X заявил, что Y``, nominal and infinitive content."""

from __future__ import annotations

import re

from service.extraction import speech as lx
from service.extraction.parsed import Sent, Tok
from service.extraction.sources.base import (
    _WORD,
    Cand,
    Ctx,
    _bad_form,
    _content_kind,
    _is_speech,
    _needs_place,
    _negated,
    _span_of,
    _state_cue,
    _trim,
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
        if v.i in taken or not (v.pos == "VERB" or _state_cue(v)):
            continue
        lem = v.lemma
        light = lem in lx.LIGHT_VERBS
        reflexive = _needs_place(v)
        if not (
            _is_speech(v)
            or _state_cue(v)
            or light
            or reflexive
            or lem in lx.NEGATIVE_ONLY
            or lem in lx.CLAUSE_VERBS
            or lem in lx.APPEARANCE_VERBS
            or lem in lx.DIRECT_ONLY  # only inverted: «Y, продолжал он, Z»
        ):
            continue
        if ctx.in_quote(v.start) or not _reporting_form(ctx, v):
            continue
        if reflexive and _speaker_tok(ctx, v) < 0:
            continue  # «сообщается»: impersonal, no source
        if any(s <= v.start < e for s, e in direct_spans):
            continue
        neg = _negated(ctx, v.i)
        polarity_ok = lem in lx.ANY_POLARITY or (lem in lx.NEGATIVE_ONLY) == neg
        if not polarity_ok or _bad_form(ctx, v):
            continue
        sent = ctx.sents[v.sent]
        cand = _indirect_one(ctx, v, sent, light)
        if cand is None:
            continue
        taken.add(v.i)
        out.append(cand)
        out += _colon_paragraph(ctx, cand)
    return out


_COLON_BREAK = re.compile(r"[ \t]*:[ \t]*\n\s*")


def _colon_paragraph(ctx: Ctx, cand: Cand) -> list[Cand]:
    """``Он отметил, что решение окончательное:\nПересматривать его не будут.``: a reported
    clause closed by a colon, then an unquoted paragraph: that paragraph is direct speech of
    the same speaker (a quoted one is the direct family's)."""
    text = ctx.text
    m = _COLON_BREAK.match(text, cand.quote[1])
    if m is None or m.end() >= len(text) or text[m.end()] in "«“„\"'":
        return []
    e = text.find("\n", m.end())
    s, e = _trim(text, m.end(), len(text) if e < 0 else e, " \t\n")
    if e - s < 3 or not _WORD.search(text[s:e]):
        return []
    return [Cand("direct", (s, e), cand.cue, cand.speaker, cand.head, cand.cue_tok)]


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
            return _place_source(ctx, v.i) >= 0 or any(
                ctx.toks[c].feats.get("Case") == "Ins" and ctx.toks[c].pos in ("NOUN", "PROPN")
                for c in ctx.children[v.i]
            )
    return True


_REJECT = -2  # the scan found the verb is not reporting here (``ссылаясь на источники``)


def _indirect_one(ctx: Ctx, v: Tok, sent: Sent, light: bool) -> Cand | None:
    """The content after the cue ``v``: a clause, a colon, an infinitive, a nominal;
    else the content before it (inverted)."""
    toks = ctx.toks
    cue_s = toks[v.i - 1].start if _negated(ctx, v.i) else v.start
    cue_e = v.stop
    j = v.i + 1
    limit = min(sent.last, v.i + 10)
    no_clause = not (_is_speech(v) or _state_cue(v) or light or _needs_place(v))
    if no_clause and v.lemma in lx.DIRECT_ONLY:
        limit = j  # «парировал», «продолжал»: no clause of their own, only inverted
    if light:  # ``выразил (в этой связи) надежду, что``
        k = next((k for k in range(j, min(sent.last, v.i + 5)) if _light_noun(toks[k])), -1)
        if k < 0:
            k = _stance(ctx, v, sent)  # «выступил против того, чтобы …»
        if k < 0:
            return None
        cue_e, j = toks[k].stop, k + 1
    if v.lemma in lx.NAMING_VERBS:
        limit = j  # «обвинил X в том, что Y»: the material after the verb
    start, kind_hint = _scan_content(ctx, v, j, limit, light)
    if start == _REJECT:
        return None
    start = _start_without_marker(ctx, v, sent, start)
    if start == _REJECT:
        return None
    if start >= 0:
        return _content_cand(ctx, v, sent, _skip_that(ctx, start), kind_hint, (cue_s, cue_e))
    return _inverted(ctx, v, sent, (cue_s, cue_e))


def _stance(ctx: Ctx, v: Tok, sent: Sent) -> int:
    """``выступил против того, чтобы X`` / ``выступает за то, что X``: the preposition of
    the stance is the end of the cue (the content follows ``того, чтобы``)."""
    k = v.i + 1 if v.i + 1 < sent.last and ctx.toks[v.i + 1].pos == "ADV" else v.i
    k += 1
    if k < sent.last and ctx.toks[k].low in ("против", "за") and _skip_that(ctx, k + 1) > k + 1:
        return k
    return -1


def _light_noun(t: Tok) -> bool:
    return t.lemma in lx.LIGHT_NOUNS


def _scan_content(ctx: Ctx, v: Tok, j: int, limit: int, light: bool) -> tuple[int, str]:
    """Where the content starts after the cue (a token index, -1 if no marker is found
    before the clause ends) and how it is introduced (``colon``, ``nominal`` or "")."""
    toks, lem = ctx.toks, v.lemma
    while j < limit:
        t = toks[j]
        if t.low in lx.COMPLEMENTIZERS or (t.low == "как" and j > 0 and toks[j - 1].text == ","):
            return j + 1, ""
        if t.text == ":":
            return j + 1, "colon"
        if t.text in ".;!?" or t.text in lx.DASHES:
            break
        if t.text == "," and not _comma_continues(ctx, j, limit):
            break
        if t.pos in ("VERB", "AUX") and t.feats.get("VerbForm") not in ("Inf",) and j > v.i + 1:
            break
        if t.feats.get("VerbForm") == "Inf" and (lem in lx.DIRECTIVE_VERBS):
            start = j - 1 if toks[j - 1].low == "не" else j
            return (start - 1 if toks[start - 1].text in '«"' else start), ""
        if t.low in ("о", "об", "в", "на") and _skip_that(ctx, j + 1) > j + 1:
            return _skip_that(ctx, j + 1), ""  # «оповестил всех партнёров о том, что X»
        if light and t.low in ("о", "об", "обо", "в", "против", "с", "на"):
            return j + 1, ""
        if t.low in lx.NOMINAL_PREPS.get(lem, ()) and j <= v.i + 3:
            if lem in lx.CITING_VERBS and _cites_source(ctx, j + 1, limit):
                return _REJECT, ""  # «ссылаясь на источники»: a source, not content
            return j + 1, ""
        if lem in lx.NOMINAL_O_VERBS and t.low in ("о", "об", "обо") and j <= v.i + 4:
            return j + 1, "nominal"
        j += 1
    return -1, ""


def _comma_continues(ctx: Ctx, j: int, limit: int) -> bool:
    """A comma after the cue that still leads to the content (``, что``, ``, как``,
    ``, о том``, a comma-set addressee)."""
    toks = ctx.toks
    return j + 1 < limit and (
        toks[j + 1].low in lx.COMPLEMENTIZERS
        or toks[j + 1].low == "как"
        or (
            toks[j + 1].low in ("о", "в", "на", "к", "под")
            and j + 2 < limit
            and toks[j + 2].lemma != "который"  # «, в котором …»: a relative clause, own cue
        )
        or _apposed_addressee(ctx, j + 1, limit)
    )


def _after_comma(ctx: Ctx, v: Tok) -> bool:
    k = v.i - 1
    while k > 0 and ctx.toks[k].text in lx.DASHES:
        k -= 1
    return k > 0 and ctx.toks[k].text == ","


def _start_without_marker(ctx: Ctx, v: Tok, sent: Sent, start: int) -> int:
    """Verbs that need a marker, and those whose content follows without one."""
    toks, lem = ctx.toks, v.lemma
    if start < 0 and (lem in lx.CLAUSE_VERBS or lem in lx.APPEARANCE_VERBS):
        return _REJECT
    if start < 0 and _state_cue(v) and not _after_comma(ctx, v):
        return _REJECT  # «уверен в успехе»; but «Цены снизятся, уверен глава ассоциации»
    if lem in lx.APPEARANCE_VERBS and (
        start < 1 or toks[start - 1].low not in ("как", "что") or not _shows_recording(ctx, v)
    ):
        return _REJECT
    if start < 0 and lem in lx.REFLEXIVE_CUES and v.i + 1 < sent.last:
        nxt = toks[v.i + 1]
        # «отмечается рост цен»; not «говорится в сообщении» (the place, nothing said)
        start = v.i + 1 if nxt.text not in ",." and nxt.pos != "ADP" else -1
    if start < 0 and lem in lx.NAMING_VERBS:
        start = v.i + 1
    if start < 0 and lem in lx.EXPLAIN_VERBS:
        start = _instrumental_reason(ctx, v, sent)
    if start < 0 and lem in lx.NOUN_OBJ_VERBS:
        k = v.i + 1
        while k < sent.last and toks[k].feats.get("Case") == "Dat":
            k += 1  # the addressee: «предложил Путину пост»
        nominal = k < sent.last and toks[k].pos in ("NOUN", "ADJ", "DET")
        if nominal and toks[k].feats.get("Case") in ("Acc", "Gen") and not _deed(ctx, k, sent):
            start = k
    return start


def _instrumental_reason(ctx: Ctx, v: Tok, sent: Sent) -> int:
    """``объяснил задержку плохой погодой``: the reason is the instrumental noun phrase (its
    first modifier included) a few words after the verb; -1 when there is none."""
    toks = ctx.toks
    for k in range(v.i + 1, min(sent.last, v.i + 6)):
        t = toks[k]
        if t.text in ",.;:!?" or t.pos in ("VERB", "ADP"):
            return -1
        if t.pos == "NOUN" and t.feats.get("Case") == "Ins":
            while (
                k - 1 > v.i and toks[k - 1].pos == "ADJ" and toks[k - 1].feats.get("Case") == "Ins"
            ):
                k -= 1
            return k
    return -1


def _deed(ctx: Ctx, k: int, sent: Sent) -> bool:
    """The object is a deed or an occasion, not a proposition: «допустил ошибку», «отметили
    юбилей» (the first noun of the object phrase, past its modifiers)."""
    while k < sent.last and ctx.toks[k].pos in ("ADJ", "DET", "NUM"):
        k += 1
    return k < sent.last and ctx.toks[k].lemma in lx.DEED_NOUNS


def _apposed_addressee(ctx: Ctx, j: int, limit: int) -> bool:
    """``пообещали горожанам, любителям велосипедов, что X``: a comma-set apposition (nouns
    and their modifiers only) closed by a comma before the complementizer."""
    for k in range(j, limit - 1):
        t = ctx.toks[k]
        if t.text == ",":
            return k > j and ctx.toks[k + 1].low in lx.COMPLEMENTIZERS
        if t.pos not in ("NOUN", "PROPN", "ADJ", "DET", "ADP", "NUM"):
            return False
    return False


def _skip_that(ctx: Ctx, start: int) -> int:
    """``в том, что X`` / ``на то, что X``: the content is X."""
    toks = ctx.toks
    if (
        start + 2 < len(toks)
        and toks[start].low in ("то", "том", "тем", "того", "тому")
        and toks[start + 1].text == ","
        and (toks[start + 2].low in lx.COMPLEMENTIZERS or toks[start + 2].low == "как")
    ):
        return start + 3
    return start


def _content_cand(
    ctx: Ctx, v: Tok, sent: Sent, start: int, kind_hint: str, cue: tuple[int, int]
) -> Cand | None:
    if kind_hint == "colon" and _reports_itself(ctx, start, sent):
        return None  # «выступил с заявлением: он сообщил, что …»: the inner verb reports
    if kind_hint == "colon" and start >= sent.last:
        span = _next_paragraph(ctx, start)  # «сказал журналистам:\nТекст»
        if span is None:
            return None
        s, e = span
    else:
        s, e = _span_of(ctx, start, _clause_end(ctx, start, v.i, sent.last))
    if e - s < 2:
        return None
    if kind_hint == "colon":
        kind = "direct"
        close = ctx.quote_close.get(s, -1)
        if s < close < e and not ctx.text[close + 1 : e].strip(" .!?…"):
            s, e = _trim(ctx.text, s + 1, close, " \t\n")  # «говорится:\n«Текст».»
        else:
            s, e = _trim_quote_marks(ctx.text, s, e)
            closing = ctx.text[e : e + 1]  # empty at the end of the text
            if closing and closing in "!?.":
                e += 1
    else:
        kind, s, e = _content_kind(ctx, s, e)
    spk = _speaker_tok(ctx, v)
    if spk < 0:
        spk = _fallback_speaker(ctx, v)
    return Cand(kind, (s, e), cue, _np(ctx, spk) if spk >= 0 else None, spk, v.i)


def _reports_itself(ctx: Ctx, start: int, sent: Sent) -> bool:
    """Colon content without marks that opens with its own reporting clause."""
    return any(
        _is_speech(t)
        and t.feats.get("VerbForm") == "Fin"
        and not _bad_form(ctx, t)
        and not ctx.in_quote(t.start)
        for t in ctx.toks[start : min(start + 4, sent.last)]
    )


def _next_paragraph(ctx: Ctx, k: int) -> tuple[int, int] | None:
    """The paragraph starting at token ``k``, when a line break precedes it: a colon quote
    without marks in house styles that set the speech as its own paragraph."""
    if k >= len(ctx.toks) or "\n" not in ctx.text[ctx.toks[k - 1].stop : ctx.toks[k].start]:
        return None
    s = ctx.toks[k].start
    e = ctx.text.find("\n", s)
    e = len(ctx.text) if e < 0 else e
    return _trim(ctx.text, s, e, " \t\n")
