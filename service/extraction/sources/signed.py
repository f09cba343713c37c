"""Quotations signed below: a quoted paragraph followed by a paragraph that opens with a dash
and a person's name (``«…».\n\n— Анна Петрова, пресс-секретарь завода``). The signature names
who said it, whatever clause introduced the quotation."""

from __future__ import annotations

import re

from service.extraction.sources.base import Cand, Ctx

_SIGNATURE = re.compile(r"[»“\"'.!?…]*[ \t]*\n\s*[—–-][ \t]+")


def _signed(ctx: Ctx, cands: list[Cand]) -> list[Cand]:
    return [_with_signature(ctx, c) for c in cands]


def _with_signature(ctx: Ctx, c: Cand) -> Cand:
    if c.kind != "direct":
        return c
    m = _SIGNATURE.match(ctx.text, c.quote[1])
    if m is None:
        return c
    for ms, me, ent in ctx.mentions:
        # the name alone or followed by its title after a comma, nothing else on the line
        if ms == m.end() and ent.type == "PER" and ctx.text[me : me + 1] in (",", "\n", ".", ""):
            return Cand(c.kind, c.quote, c.cue, (ms, me), ctx.tok_at(me - 1), c.cue_tok)
    return c
