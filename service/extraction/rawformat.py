"""The raw wire format: ``date YYYY-MM-DD <body> (outlet.tld)``; both parts optional."""

from __future__ import annotations

import datetime as dt
import re

import msgspec

from service.extraction.models import Span

_HEADER = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})(?=\s|\Z)\s*", re.IGNORECASE)
# A host name: labels of letters/digits/hyphens joined by dots, alphabetic top-level label.
_HOST = re.compile(r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}", re.IGNORECASE)
_MAX_HOST = 253


class RawArticle(msgspec.Struct, frozen=True):
    published_at: dt.date | None
    outlet: str | None
    body: Span


def parse_raw(text: str) -> RawArticle:
    """Find the optional date header and outlet trailer; the body is what lies between.

    A header whose date does not exist (``date 2025-02-30``) is not a header: it stays in
    the body rather than being guessed at.
    """
    published_at: dt.date | None = None
    start = 0
    header = _HEADER.match(text)
    if header:
        try:
            published_at = dt.date(int(header[1]), int(header[2]), int(header[3]))
            start = header.end()
        except ValueError:
            published_at = None
    end = len(text)
    outlet: str | None = None
    # Look only at the tail, so a long text costs nothing here.
    tail_end = len(text.rstrip())
    if tail_end > start and text[tail_end - 1] == ")":
        opening = text.rfind("(", max(start, tail_end - _MAX_HOST - 8), tail_end)
        host = text[opening + 1 : tail_end - 1].strip() if opening >= 0 else ""
        if host and _HOST.fullmatch(host):
            outlet = host.lower()
            end = opening
    # Trim whitespace so the body span starts and ends on text.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return RawArticle(published_at=published_at, outlet=outlet, body=Span(start, end))
