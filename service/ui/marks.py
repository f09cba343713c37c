"""Possibly overlapping spans of a text as properly nested marks.

HTML elements nest; spans of a text need not (an entity mention can cross a quote's end).
``nest`` turns spans into a tree whose marks nest, keeping each span whole unless it crosses
another one: then it is cut at the boundary it would cross, and its pieces carry
``part``/``parts``. Pure and deterministic.
"""

from __future__ import annotations

import heapq
from collections import Counter

import msgspec


class MarkSpan(msgspec.Struct, frozen=True):
    """One thing to mark: ``text[start:end]``. On equal spans a lower ``rank`` is outside."""

    start: int
    end: int
    key: str  # unique per span: it names the span's pieces
    rank: int = 0


class Text(msgspec.Struct, frozen=True):
    text: str


class Mark(msgspec.Struct):
    span: MarkSpan
    start: int
    end: int
    children: list[Text | Mark]
    part: int = 1  # this piece's number, 1-based; pieces in text order
    parts: int = 1  # pieces the span was cut into (1: it is whole)


Node = Text | Mark


class _Open(msgspec.Struct):
    end: int
    children: list[Mark]


def nest(text: str, spans: list[MarkSpan]) -> list[Node]:
    """The text as a sequence of text runs and marks; concatenating every run gives ``text``.

    Spans are taken by start, longer first, then by rank: a span starting inside an open mark
    goes inside it; if it ends past that mark's end it is cut there and the rest taken up
    again at that position. Raises ``ValueError`` for an empty or out-of-range span or a key
    used twice.
    """
    keys = Counter(s.key for s in spans)
    if keys and keys.most_common(1)[0][1] > 1:
        raise ValueError(f"span key {keys.most_common(1)[0][0]!r} is used twice")
    for s in spans:
        if not 0 <= s.start < s.end <= len(text):
            raise ValueError(f"span {s.key!r} [{s.start}, {s.end}) is empty or outside the text")
    pending = [(s.start, -s.end, s.rank, i) for i, s in enumerate(spans)]
    heapq.heapify(pending)
    root = _Open(end=len(text), children=[])
    stack: list[_Open | Mark] = [root]
    while pending:
        start, neg_end, rank, i = heapq.heappop(pending)
        end = -neg_end
        while stack[-1].end <= start:
            stack.pop()
        parent = stack[-1]
        if end > parent.end:  # crosses the end of the mark it starts in
            heapq.heappush(pending, (parent.end, neg_end, rank, i))
            end = parent.end
        piece = Mark(span=spans[i], start=start, end=end, children=[])
        parent.children.append(piece)
        stack.append(piece)
    pieces = Counter(m.span.key for m in _walk(root.children))
    seen: Counter[str] = Counter()
    for m in _walk(root.children):  # document order: pieces numbered left to right
        seen[m.span.key] += 1
        m.part, m.parts = seen[m.span.key], pieces[m.span.key]
    return _with_text(text, 0, len(text), root.children)


def _walk(marks: list[Mark]) -> list[Mark]:
    out: list[Mark] = []
    todo = list(reversed(marks))
    while todo:
        m = todo.pop()
        out.append(m)
        todo.extend(reversed([c for c in m.children if isinstance(c, Mark)]))
    return out


def _with_text(text: str, start: int, end: int, children: list[Mark]) -> list[Node]:
    out: list[Node] = []
    pos = start
    for child in children:
        if child.start > pos:
            out.append(Text(text[pos : child.start]))
        child.children = _with_text(
            text, child.start, child.end, [c for c in child.children if isinstance(c, Mark)]
        )
        out.append(child)
        pos = child.end
    if pos < end:
        out.append(Text(text[pos:end]))
    return out
