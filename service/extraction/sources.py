"""Attributed statements: direct, indirect and mixed speech with cue and speaker.

Rules follow the quotes-dev annotation guidelines: quotations attributed by a cue after,
before or inside them; dash speech; reported clauses after verbs of saying; attribution
phrases (``по словам X``, ``как сообщает X``, ``согласно X``); anaphoric ``Об этом сообщил X``.
Everything works on the natasha parse of the body; output offsets are shifted by ``offset``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.extraction import speech as lx
from service.extraction.models import Speaker, SpeakerType, Statement, TextSpan
from service.extraction.nlp import models
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


# ---------------------------------------------------------------- small helpers


def _before_blanks(text: str, pos: int) -> int:
    """Position after the last non-blank character before ``pos`` (``len(text[:pos].rstrip(" \t"))``
    without copying the text: called once per quotation)."""
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos


def _is_speech(t: Tok) -> bool:
    return t.pos == "VERB" and (
        t.lemma in lx.SAY_VERBS or t.lemma in lx.DIRECTIVE_VERBS or t.lemma in lx.NAMING_VERBS
    )


def _negated(ctx: Ctx, i: int) -> bool:
    return i > 0 and ctx.toks[i - 1].low == "не"


def _bad_form(ctx: Ctx, t: Tok) -> bool:
    """Future, first-person and imperative forms report nothing (``Напомним``, ``объявит``)."""
    f = t.feats
    if f.get("Person") == "1" or f.get("Mood") == "Imp":
        return True
    if f.get("Tense") == "Fut":
        return True
    if t.i > 0 and ctx.toks[t.i - 1].lemma in ("быть", "мочь", "стать", "собираться"):
        return ctx.toks[t.i - 1].feats.get("Tense") == "Fut" or ctx.toks[t.i - 1].lemma != "быть"
    return False


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


def _subtree(ctx: Ctx, i: int, skip_rels: tuple[str, ...]) -> set[int]:
    out = {i}
    todo = [i]
    while todo:
        j = todo.pop()
        for c in ctx.children[j]:
            if c in out or ctx.toks[c].rel in skip_rels:
                continue
            out.add(c)
            todo.append(c)
    return out


def _np(ctx: Ctx, i: int) -> tuple[int, int]:
    """Character span of the noun phrase headed by token ``i`` (no clauses, no commas)."""
    toks = ctx.toks
    sub = _subtree(ctx, i, ("acl:relcl", "acl", "parataxis", "advcl", "ccomp", "punct"))
    lo = hi = i
    while lo - 1 in sub:
        lo -= 1
    while hi + 1 in sub:
        hi += 1
    last = ctx.sents[toks[i].sent].last
    # A parenthetical abbreviation or original name right after: «ООН (ФАО)».
    while hi + 1 < last and toks[hi + 1].text == "(":
        close = next((k for k in range(hi + 2, min(last, hi + 10)) if toks[k].text == ")"), -1)
        if close < 0:
            break
        hi = close
    seg = ctx.text[toks[lo].start : toks[hi].stop]
    if seg.count("«") > seg.count("»") and hi + 1 < last and toks[hi + 1].text == "»":
        hi += 1
    if seg.count("»") > seg.count("«") and lo > 0 and toks[lo - 1].text == "«":
        lo -= 1
    s, e = toks[lo].start, toks[hi].stop
    seg = ctx.text[s:e]
    if seg[:1] in '«"' and seg[-1:] in '»"' and seg.count("«") <= 1:
        s, e = s + 1, e - 1
    return _trim(ctx.text, s, e)


def _agrees_with(verb: Tok, noun: Tok) -> bool:
    """Number agreement of a finite verb and its subject candidate (coordination allowed)."""
    vn = verb.feats.get("Number")
    nn = noun.feats.get("Number")
    if not vn or not nn or vn == nn:
        return True
    return vn == "Plur"  # «Лидер и премьер заявили»: a singular conjunct


def _nominative(t: Tok) -> bool:
    return t.pos in ("NOUN", "PROPN", "PRON", "X") and t.feats.get("Case", "Nom") == "Nom"


def _np_top(ctx: Ctx, i: int) -> int:
    """Climb name parts and appositions to the head of the noun phrase."""
    for _ in range(4):
        t = ctx.toks[i]
        if (
            t.rel in ("flat:name", "flat", "appos", "flat:foreign")
            and t.head >= 0
            and ctx.toks[t.head].pos in ("NOUN", "PROPN", "X")
            and abs(t.head - i) <= 4
        ):
            i = t.head
            continue
        break
    return i


_BOUNDARY = frozenset({"однако", "а", "но", "хотя", "когда", "если", "где", "который", "чтобы"})


def _subject(ctx: Ctx, v: int, depth: int = 0) -> int:
    """Subject of verb ``v``: an agreeing syntactic subject, else the nearest nominative
    noun phrase in the same clause (left, then right), else the governing verb's subject."""
    t = ctx.toks[v]
    sent = ctx.sents[t.sent]
    if t.feats.get("VerbForm") == "Part":
        for c in ctx.children[v]:
            ct = ctx.toks[c]
            if ct.rel.startswith("obl") and ct.feats.get("Case") == "Ins" and ct.pos != "ADP":
                return c
        if t.rel in ("amod", "acl") and t.head >= 0 and t.feats.get("Voice") != "Pass":
            return t.head
        return -1
    for c in ctx.children[v]:
        ct = ctx.toks[c]
        if (
            ct.rel.startswith("nsubj")
            and ct.sent == t.sent
            and _agrees_with(t, ct)
            and not ctx.in_quote(ct.start)
            and (
                _clause_clear(ctx, v, c) and not _comma_between(ctx, v, c)
                if c > v
                else _clause_clear(ctx, c, v) or _insertion_between(ctx, c, v)
            )
        ):
            if c < v and not _clause_clear(ctx, c, v):
                # «Бывший спикер, Нэнси Пелоси, которая ..., отметила»: the named apposition
                for a in ctx.children[c]:
                    if ctx.toks[a].rel == "appos" and ctx.toks[a].pos == "PROPN" and a < v:
                        return a
            return _relative_antecedent(ctx, c)
    # «Алиев заявил, что ..., и назвал»: the subject of the agreeing verb it is coordinated with.
    if depth < 2 and v > sent.first and ctx.toks[v - 1].low == "и":
        for k in range(v - 2, sent.first - 1, -1):
            kt = ctx.toks[k]
            if kt.text in (".", ";", ":"):
                break
            if (
                kt.pos == "VERB"
                and kt.feats.get("VerbForm") == "Fin"
                and all(kt.feats.get(f) == t.feats.get(f) for f in ("Number", "Gender", "Tense"))
            ):
                return _subject(ctx, k, depth + 1)
    # Positional: leftwards within the clause.
    k = v - 1
    while k >= sent.first:
        kt = ctx.toks[k]
        if kt.text in (".", ";", ":", "!", "?") or kt.low in _BOUNDARY:
            break
        if kt.pos in ("VERB", "AUX") and kt.feats.get("VerbForm") == "Fin":
            coordinated = t.rel == "conj" or ctx.toks[v - 1].low == "и"
            if not coordinated:
                break
            same = all(kt.feats.get(f) == t.feats.get(f) for f in ("Number", "Gender"))
            if same and depth < 2:
                return _subject(ctx, k, depth + 1)
            k -= 1  # a subordinate clause inside the coordination: skip its verb
            continue
        if (
            _nominative(kt)
            and _agrees_with(t, kt)
            and not ctx.in_quote(kt.start)
            and (k == 0 or ctx.toks[k - 1].pos != "ADP")
            and kt.lemma not in ("это", "что", "то", "себя")
        ):
            return _relative_antecedent(ctx, _np_top(ctx, k))
        k -= 1
    if (
        depth < 2
        and t.rel in ("conj", "xcomp", "advcl")
        and t.head >= 0
        and ctx.toks[t.head].pos == "VERB"
    ):
        return _subject(ctx, t.head, depth + 1)
    return -1


def _insertion_between(ctx: Ctx, a: int, b: int) -> bool:
    """Subject ``a`` and verb ``b`` are separated only by a comma-enclosed participial or
    relative insertion (``Врачи, лечащие больную, говорят``; ``Партия, которая ..., обещает``)."""
    if b - a < 3 or ctx.toks[b - 1].text != ",":
        return False
    k = a + 1
    while k < b and ctx.toks[k].rel in ("flat:name", "flat", "appos", "amod", "nmod", "det"):
        k += 1  # the rest of the subject's noun phrase
    if k >= b - 1 or ctx.toks[k].text != ",":
        return False
    return not any(
        ctx.toks[j].text in (".", ";", ":", "!", "?", "«", "»") or ctx.toks[j].text in lx.DASHES
        for j in range(k + 1, b - 1)
    )


def _comma_between(ctx: Ctx, a: int, b: int) -> bool:
    return any(ctx.toks[k].text == "," for k in range(a + 1, b))


def _clause_clear(ctx: Ctx, a: int, b: int) -> bool:
    """No finite verb or clause boundary between tokens ``a`` and ``b``."""
    for k in range(a + 1, b):
        kt = ctx.toks[k]
        if kt.text in (".", ";", ":") or kt.low in _BOUNDARY:
            return False
        if kt.pos in ("VERB", "AUX") and kt.feats.get("VerbForm") == "Fin":
            return False
    return True


def _relative_antecedent(ctx: Ctx, i: int) -> int:
    """``закон, согласно которому`` / ``люди, которые требовали``: the noun, not the pronoun."""
    if ctx.toks[i].lemma != "который":
        return i
    j = i
    for _ in range(4):
        t = ctx.toks[j]
        if t.rel == "acl:relcl" and t.head >= 0:
            return t.head
        if t.head < 0:
            break
        j = t.head
    return i


def _place_source(ctx: Ctx, v: int) -> int:
    """``пояснили в милиции``, ``говорится в докладе``: the named source place."""
    for c in ctx.children[v]:
        ct = ctx.toks[c]
        if not ct.rel.startswith("obl") or ct.pos not in ("NOUN", "PROPN"):
            continue
        preps = [ctx.toks[k].low for k in ctx.children[c] if ctx.toks[k].rel == "case"]
        if any(p in ("в", "на", "из") for p in preps) and _noun_type(ctx, c) is not None:
            return c
    return -1


def _noun_type(ctx: Ctx, i: int) -> SpeakerType | None:
    t = ctx.toks[i]
    lemma = t.lemma
    ent = ctx.entity_at(t.start, t.stop)
    if ent is not None:
        if ent.type == "PER":
            return "person"
        if _is_media_name(ent.name) or _is_media_name(t.text):
            return "media"
        return "organization"
    if lemma in lx.MEDIA_NOUNS or _is_media_name(t.text):
        return "media"
    if lemma in lx.DOCUMENT_NOUNS:
        return "document"
    if lemma in lx.ORG_NOUNS:
        return "organization"
    if lemma in lx.ANONYMOUS_NOUNS:
        return "anonymous"
    if lemma in lx.PERSON_TITLES:
        return "person"
    return None


def _is_media_name(name: str) -> bool:
    low = name.lower().strip('«»"')
    if re.search(r"\.(ru|com|ua|net|org|su|рф)\b", low):
        return True
    for m in lx.MEDIA_NAMES:
        if low == m or low.startswith(m + " ") or (len(m) >= 4 and low.startswith(m)):
            return True
    return False


def _clause_end(ctx: Ctx, start: int, cue: int, stop: int) -> int:
    """Token index where reported content starting at token ``start`` ends (exclusive)."""
    toks = ctx.toks
    j = start
    while j < stop:
        t = toks[j]
        if t.text in (";",):
            return j
        if t.text == ":" and j + 1 < stop and toks[j + 1].text in '«“„"':
            return j
        if t.text == "," or t.text in lx.DASHES:
            k = j + 1
            while k < stop and (toks[k].text in lx.DASHES or toks[k].text == ","):
                k += 1
            if k < stop:
                nt = toks[k]
                # «..., — сказал X», «..., как сообщил X», «..., уточняет газета»
                if _is_speech(nt) and k != cue and _subject_after(ctx, k):
                    return j
                if nt.low == "как" and k + 1 < stop and _is_speech(toks[k + 1]):
                    return j
                if nt.low in ("и", "а") and k + 1 < stop and _conj_of(ctx, k + 1, cue):
                    return j
                if nt.low in _AUTHOR_TURN:
                    return j
        if t.low == "и" and j + 1 < stop and _conj_of(ctx, j + 1, cue):
            return j
        j += 1
    return stop


_AUTHOR_TURN = frozenset({"после", "однако", "хотя", "тогда"})


def _conj_of(ctx: Ctx, i: int, cue: int) -> bool:
    """Token ``i`` is a second predicate of the cue's subject (``заявил, что ..., и назвал``)."""
    t, c = ctx.toks[i], ctx.toks[cue]
    if t.pos != "VERB" or t.feats.get("VerbForm") != "Fin":
        return False
    if t.head == cue and t.rel == "conj":
        return True
    return all(t.feats.get(f) == c.feats.get(f) for f in ("Number", "Gender", "Tense"))


def _subject_after(ctx: Ctx, v: int) -> bool:
    subj = _subject(ctx, v)
    return subj > v or subj < 0


def _sent_content_bounds(ctx: Ctx, sent: Sent) -> tuple[int, int]:
    first = _strip_connectives(ctx, sent.first, sent.last)
    return first, sent.last


def _span_of(ctx: Ctx, a: int, b: int) -> tuple[int, int]:
    """Characters of tokens ``[a, b)``, trimmed of edge punctuation."""
    if b <= a:
        return (0, 0)
    return _trim(ctx.text, ctx.toks[a].start, ctx.toks[b - 1].stop)


# ---------------------------------------------------------------- direct speech


_AFTER_QUOTE = re.compile(r"[ \t]*([,.!?…]*)([ \t\n]*)([—–―-]{1,2})?[ \t]*")
_INSERT = re.compile(
    r"[,!?…][ \t]*(?:[—–―]|-{1,2})[ \t]+([^—–―«»\n]{2,160}?)[.,:;][ \t]*(?:[—–―]|-{1,2})[ \t]+"
)


def _cue_near(ctx: Ctx, i: int, limit: int = 3) -> int:
    """A speech verb among the first tokens from ``i`` (``— сказал он``, ``— также отметил``)."""
    for k in range(i, min(i + limit, len(ctx.toks))):
        t = ctx.toks[k]
        if (_is_speech(t) or t.lemma in lx.DIRECT_ONLY) and not _negated(ctx, k):
            return k
        if t.pos not in ("ADV", "PART", "ADP", "NOUN", "PRON", "ADJ") or t.text in ".!?":
            break
    return -1


def _direct(ctx: Ctx) -> list[Cand]:
    out: list[Cand] = []
    text = ctx.text
    for o, c in ctx.quotes:
        inner_s, inner_e = _trim(text, o + 1, c, " \t\n")
        if inner_e - inner_s < 2 or len(text[inner_s:inner_e].split()) < 2:
            continue
        # 1. interrupted quotation «A, — сказал X. — B»
        m = _INSERT.search(text, inner_s, inner_e)
        if m:
            k = _cue_near(ctx, ctx.tok_at(m.start(1)), 1)
            if k >= 0:
                out.append(_direct_cand(ctx, (inner_s, inner_e), k, after=True))
                continue
        # 2. cue after the closing mark: «...», — сказал он.
        m2 = _AFTER_QUOTE.match(text, c + 1)
        # A paragraph may open with the lowercase cue: «...»\nзаявил он.
        nxt = text[m2.end() : m2.end() + 1] if m2 else ""
        if m2 and (
            m2.group(3) or m2.group(1).startswith(",") or ("\n" in m2.group(2) and nxt.islower())
        ):
            k = _cue_near(ctx, ctx.tok_at(m2.end()))
            if k >= 0 and not _bad_form(ctx, ctx.toks[k]):
                out.append(_direct_cand(ctx, (inner_s, inner_e), k, after=True))
                continue
        # 3. cue before: X сказал: «...» / По словам X, «...» / Как сообщил X, «...»
        before = _before_blanks(text, o)
        if before > 0 and text[before - 1] == ":":
            k = _cue_before(ctx, ctx.tok_at(before - 1))
            if k >= 0:
                out.append(_direct_cand(ctx, (inner_s, inner_e), k, after=False))
            continue
        # 4. a saying verb right before the mark without a colon: сказав «мы ... будущего»
        k = ctx.tok_at(before) - 1
        if 0 <= k < len(ctx.toks) and ctx.toks[k].stop == before:
            t = ctx.toks[k]
            if (
                t.pos == "VERB"
                and t.lemma in lx.SAY_VERBS
                and len(text[inner_s:inner_e].split()) >= 4
                and re.match(r"[ \t]*(?:[.!?…]|\n|$)", text[c + 1 : c + 3]) is not None
                and not (_negated(ctx, k) or _bad_form(ctx, t))
            ):
                out.append(_direct_cand(ctx, (inner_s, inner_e), k, after=False))
    return out


def _colon_list(ctx: Ctx, taken: set[int], direct_spans: list[tuple[int, int]]) -> list[Cand]:
    """``Среди требований, выдвигаемых организаторами: «A», «B», C``: one cue shared by a list
    of items after a colon; quoted items are direct, unquoted ones indirect."""
    out: list[Cand] = []
    text = ctx.text
    for o, _c in ctx.quotes:
        before = _before_blanks(text, o)
        if before == 0 or text[before - 1] != ":":
            continue
        colon = ctx.tok_at(before - 1)
        if colon >= len(ctx.toks) or ctx.toks[colon].text != ":":
            continue
        k = _list_cue(ctx, colon)
        if k < 0 or k in taken:
            continue
        sent = ctx.sents[ctx.toks[colon].sent]
        items = _list_items(ctx, before, ctx.toks[sent.last - 1].stop)
        if len(items) < 2 or not any(q for q, _, _ in items):
            continue
        subj = _subject(ctx, k)
        if subj < 0:
            continue
        t = ctx.toks[k]
        for quoted, s, e in items:
            if any(ds < e and s < de for ds, de in direct_spans):
                continue
            kind = "direct" if quoted else "indirect"
            out.append(Cand(kind, (s, e), (t.start, t.stop), _np(ctx, subj), subj, k))
        taken.add(k)
    return out


def _list_cue(ctx: Ctx, colon: int) -> int:
    """A speech verb or a demand-raising participle in the clause before ``colon``."""
    sent = ctx.sents[ctx.toks[colon].sent]
    for k in range(colon - 1, max(sent.first, colon - 8) - 1, -1):
        t = ctx.toks[k]
        if t.text in (".", "!", "?", ":", ";") or ctx.in_quote(t.start):
            break
        if (_is_speech(t) or t.lemma in lx.LIST_CUE_VERBS) and not (
            _negated(ctx, k) or _bad_form(ctx, t)
        ):
            return k
    return -1


def _list_items(ctx: Ctx, start: int, stop: int) -> list[tuple[bool, int, int]]:
    """Top-level items separated by commas (or a final ``и``) between ``start`` and ``stop``;
    each item is (quoted, span start, span end)."""
    text = ctx.text
    items: list[tuple[bool, int, int]] = []
    pos = start
    while pos < stop:
        while pos < stop and text[pos] in " \t,":
            pos += 1
        if pos >= stop or text[pos] == "\n":
            break
        if text.startswith("и ", pos):
            pos += 2
            continue
        close = ctx.quote_close.get(pos)
        pair = (pos, close) if close is not None else None
        if pair is not None:
            after = text[pair[1] + 1 : pair[1] + 3].lstrip(" \t")
            if after[:1] not in (",", ".", ";", "") and not after.startswith("и"):
                return []  # a quotation inside a longer item: not a plain list
            s, e = _trim(text, pair[0] + 1, pair[1], " \t\n")
            items.append((True, s, e))
            pos = pair[1] + 1
            continue
        end = pos
        while end < stop and text[end] not in ",;\n«" and not text.startswith(" и ", end):
            end += 1
        s, e = _trim(text, pos, end)
        if text[s:e].rstrip(".") in ("др", "пр", "т.д", "т. д", "т.п", "т. п"):
            break  # «... и др.»
        if e - s < 2 or len(text[s:e].split()) < 2:
            return []
        items.append((False, s, e))
        pos = end
        if end < stop and text[end] in ";\n«":
            break
    return items


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


def _cue_before(ctx: Ctx, colon: int) -> int:
    """The speech verb of the clause ending at the colon token ``colon``."""
    if colon >= len(ctx.toks):
        return -1
    sent = ctx.sents[ctx.toks[colon].sent]
    for k in range(colon - 1, sent.first - 1, -1):
        t = ctx.toks[k]
        if t.text in (".", "!", "?", ":", ";"):
            break
        if _is_speech(t) and not _negated(ctx, k) and not _bad_form(ctx, t):
            return k
    return -1


def _direct_cand(ctx: Ctx, quote: tuple[int, int], k: int, *, after: bool) -> Cand:
    t = ctx.toks[k]
    subj = _subject(ctx, k)
    if subj < 0 and after:
        subj = _next_noun(ctx, k)
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


def _dash_speech(ctx: Ctx, taken: set[int]) -> list[Cand]:
    """Unquoted utterances closed by a dash and a cue: ``Текст, — сообщает пресс-служба``."""
    out: list[Cand] = []
    toks = ctx.toks
    for t in toks:
        if t.text not in lx.DASHES or t.i == 0 or toks[t.i - 1].text not in (",", "!", "?", "…"):
            continue
        k = _cue_near(ctx, t.i + 1)
        if k < 0 or k in taken or ctx.in_quote(t.start) or _bad_form(ctx, toks[k]):
            continue
        if toks[t.i - 1].start > 0 and ctx.text[toks[t.i - 1].start - 1] in '»”"':
            continue
        sent = ctx.sents[t.sent]
        # A dash-opened paragraph starts the utterance; otherwise the sentence does.
        start = _strip_connectives(ctx, sent.first, t.i)
        s, e = _span_of(ctx, start, t.i - 1)
        if ctx.text[e : toks[t.i - 1].stop] in "!?…":
            e = toks[t.i - 1].stop
        if e - s < 3:
            continue
        out.append(_direct_cand(ctx, (s, e), k, after=True))
        taken.add(k)
    return out


_TURN = re.compile(r"^([^\n:]{2,60}):[ \t]+(\S[^\n]*)$", re.MULTILINE)


def _interview(ctx: Ctx) -> list[Cand]:
    """Q&A transcripts: ``Имя Фамилия: ответ`` turns are direct speech without a cue; the
    interviewer's questions (turns ending in ``?``) are not statements."""
    out: list[Cand] = []
    for m in _TURN.finditer(ctx.text):
        label_s, label_e = m.span(1)
        if len(m.group(1).split()) > 4 or m.group(2).rstrip().endswith("?"):
            continue
        ent = ctx.entity_at(label_s, label_e)
        if ent is None or ent.type != "PER":
            continue
        head = ctx.tok_at(label_s)
        qs, qe = _trim(ctx.text, *m.span(2), " \t")
        out.append(Cand("direct", (qs, qe), None, (label_s, label_e), head))
    return out


# ---------------------------------------------------------------- attribution phrases


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


# ---------------------------------------------------------------- indirect speech


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


def _cites_source(ctx: Ctx, j: int, stop: int) -> bool:
    """The noun phrase from ``j`` names a source (outlet, agency, person, document)."""
    if j >= len(ctx.toks):
        return False
    for k in range(j, min(stop + 3, ctx.sents[ctx.toks[j].sent].last)):
        t = ctx.toks[k]
        if t.pos in ("NOUN", "PROPN"):
            return _noun_type(ctx, k) is not None
    return False


def _speaker_tok(ctx: Ctx, v: Tok) -> int:
    if v.lemma in lx.REFLEXIVE_CUES:  # «в докладе отмечается»: the place is the source
        return _place_source(ctx, v.i)
    spk = _subject(ctx, v.i)
    if spk < 0:
        spk = _place_source(ctx, v.i)
    return spk


def _fallback_speaker(ctx: Ctx, v: Tok) -> int:
    """Elided subject: the nearest preceding nominative noun subject (this or last sentence)."""
    if v.feats.get("Number") == "Plur" and v.feats.get("Tense") == "Pres":
        return -1  # ``говорят, что``: indefinite-personal, no source
    sent_i = v.sent
    lo = ctx.sents[max(0, sent_i - 1)].first
    for k in range(v.i - 1, lo - 1, -1):
        t = ctx.toks[k]
        if t.rel.startswith("nsubj") and t.pos in ("NOUN", "PROPN", "PRON"):
            if ctx.in_quote(t.start):
                continue
            return _relative_antecedent(ctx, k)
    return -1


def _inverted(ctx: Ctx, v: Tok, sent: Sent, cue: tuple[int, int]) -> Cand | None:
    """``Content, сообщил X.`` / ``Content, — сказал X`` / ``X, уточняет газета, Y``."""
    toks = ctx.toks
    if v.lemma in lx.CLAUSE_ONLY or v.lemma in lx.DIRECTIVE_VERBS or v.lemma in lx.NAMING_VERBS:
        return None
    k = v.i - 1
    if _negated(ctx, v.i):
        k -= 1
    dash = False
    while k >= sent.first and toks[k].text in lx.DASHES:
        dash = True
        k -= 1
    if k < sent.first or toks[k].text != ",":
        return None
    spk = _speaker_tok(ctx, v)
    if spk >= 0 and spk < v.i:
        return None
    if spk < 0:
        spk = _next_noun(ctx, v.i)
    if spk < 0:
        return None
    end_tok = max(_np_end_tok(ctx, spk, sent), v.i)
    quote = _around(ctx, sent, k + 1, end_tok)
    if quote is None:
        return None
    if dash:
        kind, s, e = "direct", quote[0], quote[1]
        s, e = _trim_quote_marks(ctx.text, s, e)
    else:
        kind, s, e = _content_kind(ctx, *quote)
    return Cand(kind, (s, e), cue, _np(ctx, spk), spk, v.i)


# ---------------------------------------------------------------- anaphoric attribution


def _anaphoric(ctx: Ctx, taken: set[int], prior: list[Cand]) -> list[Cand]:
    """``Об этом сообщил X``: the antecedent sentence is the quote."""
    out: list[Cand] = []
    toks = ctx.toks
    for v in toks:
        if v.i in taken or not _is_speech(v) or _bad_form(ctx, v) or _negated(ctx, v.i):
            continue
        sent = ctx.sents[v.sent]
        if v.sent == 0 or ctx.in_quote(v.start):
            continue
        window = [toks[k].low for k in range(max(sent.first, v.i - 3), min(sent.last, v.i + 3))]
        joined = " ".join(window)
        if not re.search(r"\b(об этом|о нем|о ней|это)\b", joined) and not _about_this(ctx, v.i):
            continue
        spk = _speaker_tok(ctx, v)
        if spk < 0:
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


# ---------------------------------------------------------------- speakers


@dataclass(slots=True)
class Resolved:
    entity: str | None
    name: str
    type: SpeakerType
    role: str | None
    span: tuple[int, int] | None
    gender: str
    number: str
    ok: bool = True  # False: the "speaker" cannot be a source (``штраф``, ``вы``)


_PRONOUNS = {"он": ("Masc", "Sing"), "она": ("Fem", "Sing"), "они": ("", "Plur")}
_PRON_FORMS = {
    "он": "он",
    "его": "он",
    "ему": "он",
    "им": "он",
    "нем": "он",
    "она": "она",
    "ее": "она",
    "её": "она",
    "ей": "она",
    "они": "они",
    "их": "они",
    "них": "они",
}


_POSSESSIVES = frozenset({"его", "её", "ее", "их"})


def _title_role(title: str | None, roles: list[str]) -> str | None:
    """The entity's own role (nominative, pronouns resolved) when it is the title written here
    (`Его помощник` → `помощник Путина`); the written title otherwise."""
    if not title:
        return roles[0] if roles else None
    words = title.lower().split()
    head = next((w for w in words if w not in _POSSESSIVES), "")
    for role in roles:
        if head[:4] and role.lower().split()[0][:4] == head[:4]:
            return role
    if _POSSESSIVES.intersection(words) and roles:
        return roles[0]
    return title


def _resolve(ctx: Ctx, c: Cand, history: list[Resolved]) -> Resolved:
    text = ctx.text
    if c.speaker is None or c.head < 0:
        return Resolved(None, "неизвестный источник", "anonymous", None, None, "", "")
    s, e = c.speaker
    head = ctx.toks[c.head]
    pron = _PRON_FORMS.get(head.low)
    if pron is not None and e - s <= len(head.text) + 1:
        return _resolve_pronoun(ctx, c, pron, history)
    # A person named inside the phrase: the name is the mention, the rest is the title.
    per = [(ms, me, ent) for ms, me, ent in ctx.mentions if ms < e and s < me]
    htype = _noun_type(ctx, c.head)
    if htype is None and _named_by_appos(ctx, c.head):
        htype = "media" if _is_media_name(text[s:e]) else "organization"
    # «аналитика банка Ивана Петрова»: a title noun followed by the person's name
    named_title = bool(per) and (
        per[-1][2].type == "PER"
        and htype == "anonymous"
        and head.feats.get("Animacy") == "Anim"
        and head.feats.get("Number") != "Plur"
        and per[-1][0] > head.start
    )
    if per and (
        htype in (None, "person")
        or (per[0][2].type == "PER" and head.lemma in lx.PERSON_TITLES)
        or named_title
    ):
        ms, me, ent = per[-1] if per[-1][2].type == "PER" else per[0]
        if ent.type == "PER":
            role = text[s:ms].strip(" ,") or None
            if role and (role[0].isupper() and len(role.split()) == 1 and ms - s < 3):
                role = None
            role = _title_role(_nominative_title(ctx, c.head, role, s), ent.roles)
            gender = _gender_at(ctx, me)
            return Resolved(ent.key, ent.name, "person", role, (ms, me), gender, "Sing")
        stype: SpeakerType = (
            "media" if _is_media_name(ent.name) or htype == "media" else "organization"
        )
        if ent.type == "LOC":
            stype = "organization"
        return Resolved(ent.key, ent.name, stype, None, (s, e), "", head.feats.get("Number", ""))
    if per and htype in ("organization", "media", "document", "anonymous"):
        ent = per[0][2]
        if ent.type != "PER" and head.start >= per[0][0]:
            stype = "media" if _is_media_name(ent.name) else "organization"
            return Resolved(ent.key, ent.name, stype, None, (s, e), "", "")
    if (
        htype is None
        and not c.extra.get("trusted")
        and (
            head.low in ("вы", "ты", "я", "мы", "это", "что", "который")
            or (head.pos == "NOUN" and head.feats.get("Animacy") != "Anim")
            or head.pos not in ("NOUN", "PROPN", "PRON", "X")
        )
    ):
        return Resolved(None, head.text, "anonymous", None, (s, e), "", "", ok=False)
    stype = htype or ("person" if head.feats.get("Animacy") == "Anim" else "organization")
    if stype == "person" and head.pos != "PROPN" and head.lemma in lx.PERSON_TITLES:
        # ``Президент``, ``Чиновник``: a description of a person mentioned before.
        for r in reversed(history):
            if r.type == "person" and r.entity is not None:
                return Resolved(r.entity, r.name, "person", head.lemma, (s, e), r.gender, "Sing")
    name = _description_name(ctx, c.head, s, e)
    number = head.feats.get("Number", "")
    return Resolved(None, name, stype, None, (s, e), head.feats.get("Gender", ""), number)


def _nominative_title(ctx: Ctx, head: int, role: str | None, s: int) -> str | None:
    """``министра финансов`` → ``министр финансов``: the title's head noun (and its masculine
    adjectives) in the nominative when the attribution puts it in an oblique case."""
    if not role:
        return role
    h = ctx.toks[head]
    case = h.feats.get("Case", "Nom")
    if case == "Nom" or h.pos != "NOUN" or h.feats.get("Number") == "Plur" or h.start < s:
        return role
    if h.stop > s + len(role):
        return role
    words: list[str] = []
    k = ctx.tok_at(s)
    while k < head:
        t = ctx.toks[k]
        if t.pos != "ADJ" or h.feats.get("Gender") != "Masc":
            return role
        words.append(t.lemma)
        k += 1
    lemma = h.lemma
    if role[:1].isupper():
        lemma = lemma[:1].upper() + lemma[1:]
    return " ".join([*words, lemma]) + role[h.stop - s :]


def _named_by_appos(ctx: Ctx, i: int) -> bool:
    """``Международная амнистия (Amnesty International)``: a capitalised inanimate noun phrase
    with a foreign or proper-name apposition names an organisation."""
    t = ctx.toks[i]
    if t.pos != "NOUN" or t.feats.get("Animacy") == "Anim":
        return False
    first = min([i] + [c for c in ctx.children[i] if ctx.toks[c].rel == "amod"])
    if not ctx.toks[first].text[:1].isupper():
        return False
    return any(
        ctx.toks[c].rel == "appos"
        and ctx.toks[c].pos in ("X", "PROPN")
        and ctx.toks[c].text[:1].isupper()
        and c > i
        for c in ctx.children[i]
    )


def _description_name(ctx: Ctx, head: int, s: int, e: int) -> str:
    t = ctx.toks[head]
    if t.feats.get("Case") == "Nom":
        seg = ctx.text[s:e]
        return seg[0].lower() + seg[1:] if seg[:2].istitle() and t.pos != "PROPN" else seg
    if t.feats.get("Number") == "Plur":
        vocab = models().morph_vocab
        feats = dict(t.feats)
        feats["Case"] = "Nom"
        return str(vocab.lemmatize(t.text, t.pos, feats)) if t.pos == "PROPN" else t.lemma
    return t.lemma


def _gender_at(ctx: Ctx, end: int) -> str:
    k = ctx.tok_at(end) - 1
    if 0 <= k < len(ctx.toks):
        return ctx.toks[k].feats.get("Gender", "")
    return ""


def _resolve_pronoun(ctx: Ctx, c: Cand, pron: str, history: list[Resolved]) -> Resolved:
    gender, number = _PRONOUNS[pron]
    span = c.speaker
    pos = span[0] if span else 0
    best: Resolved | None = None
    best_pos = -1
    # Previous speakers and entity mentions before the pronoun compete by distance.
    for r in history:
        if r.span and r.span[0] < pos and _agrees(r, gender, number) and r.span[0] > best_pos:
            best, best_pos = r, r.span[0]
    for ms, me, ent in ctx.mentions:
        if ms >= pos:
            break
        if ent.type == "LOC" or ms <= best_pos:
            continue
        if ctx.in_quote(ms):
            continue
        if number == "Plur":
            continue
        g = _gender_at(ctx, me) if ent.type == "PER" else ""
        if ent.type == "PER" and (not g or g == gender):
            best = Resolved(
                ent.key, ent.name, "person", ent.roles[0] if ent.roles else None, None, g, "Sing"
            )
            best_pos = ms
    if best is None:
        return Resolved(
            None, pron, "person" if number == "Sing" else "anonymous", None, span, gender, number
        )
    return Resolved(best.entity, best.name, best.type, best.role, span, best.gender, best.number)


def _agrees(r: Resolved, gender: str, number: str) -> bool:
    if number == "Plur":
        collective = r.type in ("organization", "anonymous") and r.number != "Sing"
        return r.number == "Plur" or collective
    if r.number == "Plur":
        return False
    if r.type == "person":
        return not r.gender or r.gender == gender
    return r.type == "organization" and gender == "Masc" and r.entity is None


# ---------------------------------------------------------------- entry point


def extract_statements(ctx: Parsed, offset: int) -> list[Statement]:
    """Statements of the body (entities attached to ``ctx``); spans are offsets into the full
    text (the body starts at ``offset``)."""
    if not ctx.text or not ctx.toks:
        return []
    cands = _direct(ctx)
    taken = {c.cue_tok for c in cands if c.cue_tok >= 0}
    cands += _dash_speech(ctx, taken)
    cands += _interview(ctx)
    direct_spans = [c.quote for c in cands]
    cands += _colon_list(ctx, taken, direct_spans)
    direct_spans = [c.quote for c in cands]
    cands += _phrases(ctx, taken)
    cands += _indirect(ctx, taken, direct_spans)
    cands += _noun_cues(ctx, taken)
    cands += _anaphoric(ctx, taken, cands)
    return _finish(ctx, cands, offset)


def _finish(ctx: Ctx, cands: list[Cand], off: int) -> list[Statement]:
    text = ctx.text
    cands.sort(key=lambda c: (c.cue or c.quote)[0])
    history: list[Resolved] = []
    seen: set[tuple[int, int, int, int]] = set()
    out: list[tuple[int, Statement]] = []
    for c in cands:
        qs, qe = _trim(text, *c.quote, " \t\n")
        qs, qe = _trim_lone_marks(text, qs, min(qe, len(text)))
        if qe - qs < 2 or not _WORD.search(text[qs:qe]):
            continue
        r = _resolve(ctx, c, history)
        if not r.ok or r.span is None:  # no source found: not an attributed statement
            continue
        history.append(r)
        key = (qs, qe, *(r.span or (-1, -1)))
        if key in seen:
            continue
        seen.add(key)
        cue = TextSpan(c.cue[0] + off, c.cue[1] + off, text[c.cue[0] : c.cue[1]]) if c.cue else None
        mention = None
        if r.span:
            from service.extraction.models import Span

            mention = Span(r.span[0] + off, r.span[1] + off)
        out.append(
            (
                qs,
                Statement(
                    kind=c.kind,  # type: ignore[arg-type]
                    quote=TextSpan(qs + off, qe + off, text[qs:qe]),
                    cue=cue,
                    speaker=Speaker(
                        entity=r.entity,
                        name=r.name,
                        type=r.type,
                        role=r.role if r.type == "person" else None,
                        mention=mention,
                    ),
                ),
            )
        )
    out.sort(key=lambda p: p[0])
    return [s for _, s in out]
