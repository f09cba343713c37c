"""Shared pieces of the source families: the candidate record, span trimming, verb forms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from service.extraction import speech as lx
from service.extraction.morph import parses
from service.extraction.parsed import QUOTE_PAIRS, Parsed, Sent, Tok

Ctx = Parsed  # the rules' name for the parse view


_PUNCT_TRIM = " \t\n.,;:—–-―"


_QUOTE_CHARS = "«»“”„\"'"


_WORD = re.compile(r"\w", re.UNICODE)


@dataclass(slots=True)
class Cand:
    """A statement before resolution: body-relative spans."""

    kind: str
    quote: tuple[int, int]
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    head: int  # speaker head token index, -1 when unknown
    cue_tok: int = -1
    extra: dict[str, str] = field(default_factory=dict)


def _before_blanks(text: str, pos: int, blanks: str = " \t") -> int:
    """Position after the last non-blank character before ``pos`` (``len(text[:pos].rstrip(" \t"))``
    without copying the text: called once per quotation)."""
    while pos > 0 and text[pos - 1] in blanks:
        pos -= 1
    return pos


def _is_speech(t: Tok) -> bool:
    return t.pos == "VERB" and (
        t.lemma in lx.SAY_VERBS or t.lemma in lx.DIRECTIVE_VERBS or t.lemma in lx.NAMING_VERBS
    )


def _needs_place(t: Tok) -> bool:
    """Impersonal cues that speak only with a named source place or agent: reflexive
    ``в докладе отмечается``, short passive ``в указе отмечено``, ``контрактом подтверждено``."""
    if t.lemma in lx.REFLEXIVE_CUES:
        return True
    f = t.feats
    short_passive = f.get("VerbForm") == "Part" and f.get("Variant") == "Short"
    return short_passive and f.get("Voice") == "Pass" and t.lemma in lx.SAY_VERBS


def _state_cue(t: Tok) -> bool:
    """``уверены, что``: a short adjective of conviction with a clause."""
    return t.pos == "ADJ" and t.feats.get("Variant") == "Short" and t.lemma in lx.STATE_ADJECTIVES


def _negated(ctx: Ctx, i: int) -> bool:
    return i > 0 and ctx.toks[i - 1].low == "не"


def _bad_form(ctx: Ctx, t: Tok) -> bool:
    """Future, first-person and imperative forms report nothing (``Напомним``, ``объявит``)."""
    f = t.feats
    if f.get("Person") == "1" or f.get("Mood") == "Imp":
        return True
    if f.get("Tense") == "Fut" and _future_form(t.low):
        return True
    if t.i > 0 and ctx.toks[t.i - 1].lemma in _AUX_BEFORE:
        # «будет говорить», «может сказать»: not said; «стали кричать»: said
        aux = ctx.toks[t.i - 1]
        return aux.feats.get("Tense") == "Fut" or aux.lemma in _MODAL_BEFORE
    return False


@lru_cache(maxsize=4096)
def _future_form(word: str) -> bool:
    """The dictionary reads the word as a future form too (the tagger calls the present of
    some imperfective verbs future: «клянутся»)."""
    return any("futr" in p.tag for p in parses(word) if p.tag.POS == "VERB")


_PHASE_BEFORE = frozenset({"стать", "начать", "начинать", "продолжать", "продолжить"})
_MODAL_BEFORE = frozenset({"мочь", "собираться"})
_AUX_BEFORE = frozenset({"быть"}) | _PHASE_BEFORE | _MODAL_BEFORE


def _trim(text: str, s: int, e: int, chars: str = _PUNCT_TRIM) -> tuple[int, int]:
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def _trim_lone_marks(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop an opening mark at the start (or a closing one at the end) that the span does not
    pair: an unclosed quotation runs to its paragraph end without its mark."""
    seg = text[s:e]
    first, last = seg[:1], seg[-1:]
    if first in ("«", "„", '"') and _unpaired(seg, first, QUOTE_PAIRS[first]):
        s += 1
        seg = text[s:e]
    if last in ("»", '"') and _unpaired(seg, last, {"»": "«"}.get(last, last)):
        e -= 1
    return _trim(text, s, e, " \t\n")


_HOUSE_MARKS = (("<<", ">>"), ("‘", "’"), ("‹", "›"))


def _trim_house_marks(text: str, s: int, e: int) -> tuple[int, int]:
    """A span wrapped in marks the quotation pairs do not know (``<<…>>``, ``‘…’``) loses
    them, with a full stop after the closing mark."""
    seg = text[s:e].rstrip(".")
    for left, right in _HOUSE_MARKS:
        inner = seg[len(left) : -len(right)]
        if seg.startswith(left) and seg.endswith(right) and left not in inner:
            return _trim(text, s + len(left), s + len(seg) - len(right), " \t\n")
    return s, e


def _unpaired(seg: str, mark: str, partner: str) -> bool:
    """``mark`` occurs in ``seg`` more often than the marks that would pair it."""
    if mark == partner:
        return seg.count(mark) % 2 == 1
    return seg.count(mark) > seg.count(partner)


def _trim_quote_marks(text: str, s: int, e: int) -> tuple[int, int]:
    if e - s > 2 and text[s] in '«“„"' and text[e - 1] in '»”“"' and "«" not in text[s + 1 : e - 1]:
        return s + 1, e - 1
    return s, e


def _strip_connectives(ctx: Ctx, i: int, stop: int) -> int:
    """Skip sentence-initial connectives (``Однако``, ``При этом``, ``Вместе с тем``), dashes
    and commas from token ``i``."""
    while i < stop:
        for n in (3, 2, 1):
            words = " ".join(t.low for t in ctx.toks[i : min(i + n, stop)])
            if words in lx.CONNECTIVES:
                i += n
                break
        else:
            if ctx.toks[i].text in (",",) or ctx.toks[i].text in lx.DASHES:
                i += 1
                continue
            break
    return i


def _content_kind(ctx: Ctx, s: int, e: int) -> tuple[str, int, int]:
    """Indirect, or mixed when a verbatim (non-title) quotation sits inside ``[s, e)``."""
    text = ctx.text
    s2, e2 = _trim_quote_marks(text, s, e)
    if (s2, e2) != (s, e):
        return "mixed", s2, e2
    for o, c in ctx.quotes_within(s, e):
        if c < e:
            inner = text[o + 1 : c].strip()
            if not inner:
                continue
            words = inner.split()
            if inner[0].islower() or len(words) >= 4:
                return "mixed", s, e
    return "indirect", s, e


def _sent_content_bounds(ctx: Ctx, sent: Sent) -> tuple[int, int]:
    first = _strip_connectives(ctx, sent.first, sent.last)
    return first, sent.last


def _span_of(ctx: Ctx, a: int, b: int) -> tuple[int, int]:
    """Characters of tokens ``[a, b)``, trimmed of edge punctuation."""
    if b <= a:
        return (0, 0)
    return _trim(ctx.text, ctx.toks[a].start, ctx.toks[b - 1].stop)
