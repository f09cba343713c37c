"""One cue shared by a list of items after a colon (``Среди требований: «A», «B», C``)."""

from __future__ import annotations

from service.extraction import speech as lx
from service.extraction.sources.base import (
    Cand,
    Ctx,
    _bad_form,
    _before_blanks,
    _is_speech,
    _negated,
    _trim,
)
from service.extraction.sources.syntax import _np, _subject


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
