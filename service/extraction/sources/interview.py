"""Q&A transcripts: ``Имя Фамилия: ответ`` turns."""

from __future__ import annotations

import re

from service.extraction.sources.base import Cand, Ctx, _trim

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
        if ent is None or ent.type != "PER" or _has_predicate(ctx, label_s, label_e):
            continue
        head = ctx.tok_at(label_s)
        qs, qe = _trim(ctx.text, *m.span(2), " \t")
        out.append(Cand("direct", (qs, qe), None, (label_s, label_e), head))
    return out


def _has_predicate(ctx: Ctx, s: int, e: int) -> bool:
    """``Иван Петров сказал: «…»``, ``Петров уверен: …``: a clause with a colon, not a label."""
    toks = ctx.toks[ctx.tok_at(s) : ctx.tok_at(e)]
    return any(t.pos in ("VERB", "AUX") or t.feats.get("Variant") == "Short" for t in toks)
