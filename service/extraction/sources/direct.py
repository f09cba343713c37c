"""Direct speech in quotation marks: the cue after, before (colon) or inside the quotation."""

from __future__ import annotations

import re

from service.extraction import speech as lx
from service.extraction.sources.base import (
    Cand,
    Ctx,
    _bad_form,
    _before_blanks,
    _is_speech,
    _negated,
    _state_cue,
    _trim,
)
from service.extraction.sources.syntax import _fallback_speaker, _np, _speaker_tok

_AFTER_QUOTE = re.compile(r"[ \t]*([,.!?…]*)([ \t\n]*)([—–―-]{1,2})?[ \t]*")


_INSERT = re.compile(
    r"[,!?…][ \t]*(?:[—–―]|-{1,2})[ \t]+([^—–―«»\n]{2,160}?)[.,:;][ \t]*(?:[—–―]|-{1,2})[ \t]+"
)


def _quotes_words(ctx: Ctx, k: int) -> int:
    """``приводит (его) слова X``: the token of the words' author (-1 if not this frame)."""
    if ctx.toks[k].lemma not in lx.QUOTING_WORDS_VERBS:
        return -1
    j = k + 1
    poss = j < len(ctx.toks) and ctx.toks[j].low in ("его", "ее", "её", "их")
    j += poss
    if j >= len(ctx.toks) or ctx.toks[j].lemma != "слово":
        return -1
    if poss:
        return j - 1
    for c in ctx.children[j]:
        if ctx.toks[c].rel == "nmod" and ctx.toks[c].pos in ("NOUN", "PROPN"):
            return c
    return j + 1 if j + 1 < len(ctx.toks) and ctx.toks[j + 1].pos in ("NOUN", "PROPN") else -1


def _cue_near(ctx: Ctx, i: int, limit: int = 3) -> int:
    """A speech verb among the first tokens from ``i`` (``— сказал он``, ``— также отметил``)."""
    for k in range(i, min(i + limit, len(ctx.toks))):
        t = ctx.toks[k]
        direct_cue = _is_speech(t) or t.lemma in lx.DIRECT_ONLY or t.lemma in lx.REFLEXIVE_CUES
        direct_cue = direct_cue or _state_cue(t)  # «Цены вырастут», — уверен экономист
        direct_cue = direct_cue or _quotes_words(ctx, k) >= 0  # — приводит слова X агентство
        if direct_cue and not _negated(ctx, k):
            return k
        if t.pos not in ("ADV", "PART", "ADP", "NOUN", "PRON", "ADJ") or t.text in ".!?":
            break
    return -1


def _direct(ctx: Ctx) -> list[Cand]:
    out: list[Cand] = []
    text = ctx.text
    chain = (-1, -1)  # (closing mark, cue) of the last colon quotation: «A!», «B!» share its cue
    for o, c in _paragraph_quotes(ctx):
        inner = _trim(text, o + 1, c, " \t\n")
        if inner[1] - inner[0] < 2 or not _utterance(text, *inner):
            continue
        if chain[0] >= 0 and _LIST_GAP.fullmatch(text, chain[0] + 1, o):
            out.append(_direct_cand(ctx, inner, chain[1], after=False))
            chain = (c, chain[1])
            continue
        found = _interrupted(ctx, inner)
        if found is None:
            found = _cue_after(ctx, inner, c)
        if found is not None:
            out.append(found)
            continue
        colon = _colon_quote(ctx, inner, o, c)
        if colon is not None:
            cands, k = colon
            out += cands
            if k >= 0:
                chain = (c, k)
            continue
        found = _saying_verb_before(ctx, inner, o, c)
        if found is not None:
            out.append(found)
    return out


def _interrupted(ctx: Ctx, inner: tuple[int, int]) -> Cand | None:
    """An interrupted quotation «A, — сказал X. — B»: the cue inside it."""
    m = _INSERT.search(ctx.text, *inner)
    if not m:
        return None
    k = _cue_near(ctx, ctx.tok_at(m.start(1)), 1)
    return _direct_cand(ctx, inner, k, after=True) if k >= 0 else None


def _cue_after(ctx: Ctx, inner: tuple[int, int], c: int) -> Cand | None:
    """The cue after the closing mark: «...», — сказал он. / «…» — такое заявление сделал X."""
    text = ctx.text
    m = _AFTER_QUOTE.match(text, c + 1)
    if not m:
        return None
    # A paragraph may open with the lowercase cue: «...»\nзаявил он.
    nxt = text[m.end() : m.end() + 1]
    # «Почему?» спросил он: a question or a cry needs no comma or dash before the cue.
    cry = text[inner[1] - 1] in "!?…" and nxt.islower()
    newline = "\n" in m.group(2) and nxt.islower()
    if not (m.group(3) or m.group(1).startswith(",") or newline or cry):
        return None
    k = _cue_near(ctx, ctx.tok_at(m.end()))
    if k >= 0 and not _bad_form(ctx, ctx.toks[k]):
        return _direct_cand(ctx, inner, k, after=True)
    noun, k = _noun_cue_after(ctx, ctx.tok_at(m.end()))
    if k < 0 or not m.group(3):
        return None
    cand = _direct_cand(ctx, inner, k, after=True)  # «…» — такое заявление сделал X
    cand.cue = (ctx.toks[noun].start, ctx.toks[k].stop)
    return cand


def _colon_quote(ctx: Ctx, inner: tuple[int, int], o: int, c: int) -> tuple[list[Cand], int] | None:
    """The cue before a colon: X сказал: «...» (also «сказал:\n«…»», the quotation as a
    paragraph). Returns (statements, cue token or -1), or None when no colon precedes."""
    text = ctx.text
    colon = _before_blanks(text, _before_blanks(text, o), " \t\n")
    if colon <= 0 or text[colon - 1] != ":":
        return None
    k = _cue_before(ctx, ctx.tok_at(colon - 1))
    noun = -1 if k >= 0 else _noun_cue_before(ctx, ctx.tok_at(colon - 1))
    if noun >= 0:  # «выступил со специальным заявлением: «…»»
        k = _light_verb_before(ctx, noun)
    if k >= 0:
        cand = _direct_cand(ctx, inner, k, after=False)
        if noun >= 0 and cand.cue is not None:
            cand.cue = (cand.cue[0], ctx.toks[noun].stop)
        return [cand], k
    if _closes_sentence(text, c) and len(text[inner[0] : inner[1]].split()) >= 4:
        return _person_colon(ctx, inner, ctx.tok_at(colon - 1)), -1
    return [], -1


def _saying_verb_before(ctx: Ctx, inner: tuple[int, int], o: int, c: int) -> Cand | None:
    """A saying verb right before the mark without a colon: сказав «мы ... будущего»."""
    text = ctx.text
    before = _before_blanks(text, o)
    k = ctx.tok_at(before) - 1
    if not (0 <= k < len(ctx.toks) and ctx.toks[k].stop == before):
        return None
    t = ctx.toks[k]
    if (
        t.pos == "VERB"
        and t.lemma in lx.SAY_VERBS
        and len(text[inner[0] : inner[1]].split()) >= 4
        and re.match(r"[ \t]*(?:[.!?…]|\n|$)", text[c + 1 : c + 3]) is not None
        and not (_negated(ctx, k) or _bad_form(ctx, t))
    ):
        return _direct_cand(ctx, inner, k, after=False)
    return None


def _paragraph_quotes(ctx: Ctx) -> list[tuple[int, int]]:
    """Quotation pairs, a quotation continued over paragraphs joined into one: a long
    quotation may open each paragraph with its mark and close only the last
    (``«A.\n\n«B», — сказал X``)."""
    out: list[tuple[int, int]] = []
    for o, c in ctx.quotes:
        s = _continued_from(ctx, o)
        out.append((s if not out or s > out[-1][1] else o, c))
    return out


def _continued_from(ctx: Ctx, o: int) -> int:
    """The opening mark of the first paragraph of a quotation whose mark ``o`` opens a
    paragraph: earlier paragraphs that open with the same mark and never close it."""
    text = ctx.text
    start = o
    while True:
        line = text.rfind("\n", 0, start)
        if line < 0 or text[line + 1 : start].strip():
            return start  # the mark does not open a paragraph
        j = _before_blanks(text, line, " \t\n")
        para = text.rfind("\n", 0, j) + 1
        first = _trim(text, para, j, " \t")[0]
        if j == 0 or text[first] != text[o] or first in ctx.quote_close:
            return start
        start = first


_LIST_GAP = re.compile(r"[ \t]*(?:,|и)[ \t]*")


def _utterance(text: str, s: int, e: int) -> bool:
    """Two words, or one exclaimed or asked (a chant «Свободу!», a cry «Почему?»)."""
    return len(text[s:e].split()) >= 2 or text[e - 1] in "!?"


def _cue_before(ctx: Ctx, colon: int) -> int:
    """The speech verb of the clause ending at the colon token ``colon``."""
    if colon >= len(ctx.toks):
        return -1
    sent = ctx.sents[ctx.toks[colon].sent]
    for k in range(colon - 1, sent.first - 1, -1):
        t = ctx.toks[k]
        if t.text in (".", "!", "?", ":", ";"):
            break
        cue = _is_speech(t) or t.lemma in lx.DIRECT_ONLY
        if cue and not _negated(ctx, k) and not _bad_form(ctx, t):
            return k
    return -1


def _closes_sentence(text: str, c: int) -> bool:
    return re.match(r"[ \t]*(?:[.!?…]|\n|$)", text[c + 1 : c + 3]) is not None


def _person_colon(ctx: Ctx, quote: tuple[int, int], colon: int) -> list[Cand]:
    """``Белов оказался более дипломатичным: «…»``: a colon quotation after a clause whose
    subject is a named person, without a speech word: direct speech, no cue."""
    if colon >= len(ctx.toks) or not ctx.text[quote[0]].isupper():
        return []
    first = ctx.sents[ctx.toks[colon].sent].first
    for k in range(first, colon):
        t = ctx.toks[k]
        ent = ctx.entity_at(t.start, t.stop)
        if t.rel == "nsubj" and ent is not None and ent.type == "PER" and t.pos == "PROPN":
            return [Cand("direct", quote, None, _np(ctx, k), k)]
    return []


def _noun_cue_before(ctx: Ctx, colon: int) -> int:
    """A speech noun (``заявлением``, ``обращением``) among the last words before the colon."""
    if colon >= len(ctx.toks):
        return -1
    first = ctx.sents[ctx.toks[colon].sent].first
    for k in range(colon - 1, max(first, colon - 4) - 1, -1):
        t = ctx.toks[k]
        if t.text in ".!?:;,":
            break
        if t.pos == "NOUN" and t.lemma in lx.LIGHT_NOUNS:
            return k
    return -1


def _noun_cue_after(ctx: Ctx, i: int) -> tuple[int, int]:
    """``— (такое / с таким) заявление сделал X``: a speech noun, then its finite verb."""
    for n in range(i, min(i + 3, len(ctx.toks) - 1)):
        t = ctx.toks[n]
        if t.pos == "NOUN" and t.lemma in lx.LIGHT_NOUNS:
            v = ctx.toks[n + 1]
            fin = v.pos == "VERB" and v.feats.get("VerbForm") == "Fin"
            return (n, v.i) if fin and not _bad_form(ctx, v) else (-1, -1)
        if t.pos not in ("DET", "ADP", "ADJ"):
            break
    return -1, -1


def _light_verb_before(ctx: Ctx, noun: int) -> int:
    """The verb that governs the speech noun: ``выступил (сегодня) со (специальным)
    заявлением``, ``сделал заявление``, ``выразил надежду``."""
    first = ctx.sents[ctx.toks[noun].sent].first
    for k in range(noun - 1, max(first, noun - 5) - 1, -1):
        t = ctx.toks[k]
        if t.text in ".!?:;,":
            break
        if t.pos == "VERB":
            ok = t.feats.get("VerbForm") == "Fin" and not (_negated(ctx, k) or _bad_form(ctx, t))
            return k if ok else -1
    return -1


def _direct_cand(ctx: Ctx, quote: tuple[int, int], k: int, *, after: bool) -> Cand:
    t = ctx.toks[k]
    subj = _speaker_tok(ctx, t)  # the subject, else the place («— уверяют в мэрии»)
    if subj < 0 and after:
        subj = _next_noun(ctx, k)
    if subj < 0:  # elided: «Петров сказал: «…». И добавил: «…»»
        subj = _fallback_speaker(ctx, t)
    return Cand("direct", quote, (t.start, t.stop), _np(ctx, subj) if subj >= 0 else None, subj, k)


def _next_noun(ctx: Ctx, k: int) -> int:
    """Inverted subject right after the cue: ``сказал он``, ``заявил после встречи Петров``."""
    sent = ctx.sents[ctx.toks[k].sent]
    for j in range(k + 1, min(sent.last, k + 14)):
        t = ctx.toks[j]
        if t.text in ",.;:!?":
            break
        if t.pos in ("PRON", "PROPN", "NOUN") and t.feats.get("Case") == "Nom":
            return j
    return -1
