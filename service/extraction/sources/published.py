"""Published information as a source: ``На сайте партии размещена информация о том, что X``,
``В блоге компании появилась запись, что X``. The place of publication (a site, an outlet, an
organisation) is the speaker; without one (``появилась информация``) nothing is attributed."""

from __future__ import annotations

from service.extraction import speech as lx
from service.extraction.parsed import Tok
from service.extraction.sources.base import Cand, Ctx, _bad_form, _content_kind, _span_of
from service.extraction.sources.syntax import _clause_end, _np, _place_source


def _published(ctx: Ctx, taken: set[int]) -> list[Cand]:
    out: list[Cand] = []
    for v in ctx.toks:
        if v.i in taken or v.lemma not in lx.PUBLISH_VERBS or ctx.in_quote(v.start):
            continue
        if not _published_form(v) or _bad_form(ctx, v):
            continue
        noun = _published_noun(ctx, v.i)
        src = _place_source(ctx, v.i) if noun >= 0 else -1
        if src < 0:
            continue
        start = _content_start(ctx, noun)
        if start < 0:
            continue
        sent = ctx.sents[v.sent]
        s, e = _span_of(ctx, start, _clause_end(ctx, start, v.i, sent.last))
        if e - s < 3:
            continue
        kind, s, e = _content_kind(ctx, s, e)
        cue = (v.start, ctx.toks[noun].stop)  # «размещена информация»
        taken.add(v.i)
        out.append(Cand(kind, (s, e), cue, _np(ctx, src), src, v.i))
    return out


def _published_form(v: Tok) -> bool:
    """A finite verb (``появилась``) or a short passive participle (``размещена``)."""
    form, variant = v.feats.get("VerbForm"), v.feats.get("Variant")
    return form == "Fin" or (form == "Part" and variant == "Short")


def _published_noun(ctx: Ctx, v: int) -> int:
    """The subject after the verb when it names information (``информация``, ``сообщение``)."""
    for c in ctx.children[v]:
        t = ctx.toks[c]
        if c > v and t.rel.startswith("nsubj") and t.lemma in lx.PUBLISHED_NOUNS:
            return c
    return -1


def _content_start(ctx: Ctx, n: int) -> int:
    """``информация о том, что X`` / ``запись, что X``: the token where X starts."""
    toks = ctx.toks
    j = n + 1
    if j + 1 < len(toks) and toks[j].low in ("о", "об") and toks[j + 1].low == "том":
        j += 2
    if j + 1 < len(toks) and toks[j].text == "," and toks[j + 1].low in lx.COMPLEMENTIZERS:
        return j + 2
    return -1
