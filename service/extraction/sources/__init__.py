"""Attributed statements (who said what), one module per construction family.

Each family scans the parse view (``service.extraction.parsed``) for one construction and
proposes candidates (``base.Cand``: quote, cue, speaker span); ``speakers`` resolves every
candidate's speaker to an entity, a description or a group; ``extract_statements`` runs the
families in order (earlier families take their cue verbs, later ones skip them) and keeps
the attributed ones. Words live in ``service.extraction.speech`` (lexicon data files).
See docs/sources.md for the families and how to add one."""

from __future__ import annotations

from service.extraction.models import Entity, Span, Speaker, Statement, TextSpan
from service.extraction.parsed import Parsed
from service.extraction.sources.anaphoric import _anaphoric
from service.extraction.sources.base import (
    _WORD,
    Cand,
    Ctx,
    _trim,
    _trim_house_marks,
    _trim_lone_marks,
)
from service.extraction.sources.dash import _dash_speech
from service.extraction.sources.direct import _direct
from service.extraction.sources.interview import _interview
from service.extraction.sources.known import _became_known
from service.extraction.sources.lists import _colon_list
from service.extraction.sources.named import SpeakerEntities
from service.extraction.sources.nouns import _noun_cues
from service.extraction.sources.phrases import _phrases
from service.extraction.sources.published import _published
from service.extraction.sources.quoting import _quoting
from service.extraction.sources.reported import _indirect
from service.extraction.sources.signed import _signed
from service.extraction.sources.speakers import Resolved, _resolve


def extract_statements(ctx: Parsed, offset: int) -> list[Statement]:
    """Statements of the body (entities attached to ``ctx``); spans are offsets into the full
    text (the body starts at ``offset``)."""
    return extract_sources(ctx, offset, 0)[0]


def extract_sources(
    ctx: Parsed, offset: int, first_key: int
) -> tuple[list[Statement], list[Entity]]:
    """Statements, and the entities made of speakers NER missed (keys ``e{first_key}``…)."""
    if not ctx.text or not ctx.toks:
        return [], []
    cands = _direct(ctx)
    taken = {c.cue_tok for c in cands if c.cue_tok >= 0}
    cands += _dash_speech(ctx, taken)
    cands += _interview(ctx)
    direct_spans = [c.quote for c in cands]
    cands += _colon_list(ctx, taken, direct_spans)
    direct_spans = [c.quote for c in cands]
    cands += _phrases(ctx, taken)
    cands += _became_known(ctx, taken)
    cands += _indirect(ctx, taken, direct_spans)
    cands += _noun_cues(ctx, taken)
    cands += _published(ctx, taken)
    cands += _anaphoric(ctx, taken, cands)
    cands += _quoting(ctx, cands)
    cands = _signed(ctx, cands)
    named = SpeakerEntities(first_key, offset)
    return _finish(ctx, cands, offset, named), named.entities()


def _finish(ctx: Ctx, cands: list[Cand], off: int, named: SpeakerEntities) -> list[Statement]:
    text = ctx.text
    cands.sort(key=lambda c: (c.cue or c.quote)[0])
    history: list[Resolved] = []
    seen: set[tuple[int, int, int, int]] = set()
    out: list[tuple[int, Statement]] = []
    for c in cands:
        qs, qe = _trim(text, *c.quote, " \t\n")
        while qs < qe - 1 and text[qs] in "—–-" and text[qs + 1] in " \t":
            qs, qe = _trim(text, qs + 1, qe, " \t")  # a paragraph opened by a dialogue dash
        qs, qe = _trim_lone_marks(text, qs, min(qe, len(text)))
        kind = c.kind
        if (qs, qe) != (hs_he := _trim_house_marks(text, qs, qe)):
            qs, qe = hs_he
            kind = "mixed" if kind == "indirect" else kind
        if qe - qs < 2 or not _WORD.search(text[qs:qe]):
            continue
        r = _resolve(ctx, c, history)
        if not r.ok or r.span is None:  # no source found: not an attributed statement
            continue
        named.add(ctx, r)
        history.append(r)
        key = (qs, qe, *(r.span or (-1, -1)))
        if key in seen:
            continue
        seen.add(key)
        cue = TextSpan(c.cue[0] + off, c.cue[1] + off, text[c.cue[0] : c.cue[1]]) if c.cue else None
        mention = None
        if r.span:
            mention = Span(r.span[0] + off, r.span[1] + off)
        out.append(
            (
                qs,
                Statement(
                    kind=kind,  # type: ignore[arg-type]
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
