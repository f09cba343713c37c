"""Attributed statements, one case table per construction family (tests/extraction/cases/sources).

A row is ``text, quote, cue, speaker, kind, speaker type`` separated by tabs (``\\n`` in a
cell is a line break, ``-`` means "not checked"). The extractor must return a statement
with that quote text, and it must have that cue, that speaker (its name or the mention in
the text), that kind and that speaker type. ``none.tsv`` lists texts that attribute nothing.
To add a case, add a line; to add a family, add a file and a test below.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from service.extraction import extract
from service.extraction.models import Statement

CASES = Path(__file__).parent / "cases" / "sources"


class Case(NamedTuple):
    text: str
    quote: str
    cue: str
    speaker: str
    kind: str
    type: str


def _cell(s: str) -> str:
    return s.replace("\\n", "\n").strip()


def cases(family: str) -> list[pytest.param]:
    out = []
    for n, line in enumerate((CASES / f"{family}.tsv").read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [_cell(c) for c in line.split("\t")]
        case = Case(*cells) if len(cells) == 6 else Case(cells[0], "-", "-", "-", "-", "-")
        out.append(pytest.param(case, id=f"{family}:{n}"))
    return out


def check(case: Case) -> None:
    items = extract(case.text).sources.items
    for st in items:  # every span slices back out of the text
        assert case.text[st.quote.start : st.quote.end] == st.quote.text
        if st.cue:
            assert case.text[st.cue.start : st.cue.end] == st.cue.text
    if case.quote == "-":
        assert items == [], f"expected nothing, got {[s.quote.text for s in items]}"
        return
    found = [s for s in items if s.quote.text == case.quote]
    got = [(s.quote.text, s.cue and s.cue.text, s.speaker.name) for s in items]
    assert found, f"no statement {case.quote!r}; got {got}"
    assert any(_agrees(case, st, _mention(case.text, st)) for st in found), got


def _agrees(case: Case, st: Statement, mention: str | None) -> bool:
    """One statement has every expected field (a quote may have several sources)."""
    return (
        (case.cue == "-" or (st.cue is not None and st.cue.text == case.cue))
        and (case.speaker == "-" or _same_speaker(case.speaker, st.speaker.name, mention))
        and (case.kind == "-" or st.kind == case.kind)
        and (case.type == "-" or st.speaker.type == case.type)
    )


def _same_speaker(expected: str, name: str, mention: str | None) -> bool:
    """The name or the mention contains the expected words (``Reuters`` in ``агентство
    Reuters``), or the other way round (``Путин`` for ``Владимир Путин``)."""
    want = expected.lower()
    return any(want in got.lower() or got.lower() in want for got in (name, mention) if got)


def _mention(text: str, st: Statement) -> str | None:
    m = st.speaker.mention
    return text[m.start : m.end] if m else None


@pytest.mark.parametrize("case", cases("direct"))
def test_direct_quotations(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", cases("reported"))
def test_reported_clauses(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", cases("inverted"))
def test_reporting_clause_after_the_content(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", cases("phrases"))
def test_attribution_phrases(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", cases("documents"))
def test_documents_sites_and_findings(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", cases("anaphoric"))
def test_anaphoric_attribution(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", cases("speakers"))
def test_speaker_resolution(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", cases("none"))
def test_text_that_attributes_nothing(case: Case) -> None:
    check(case)
