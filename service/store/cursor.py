"""Keyset cursors: the sort key of the last row served, written as ``kind.field.field``.

Each list has a fixed grammar (``KINDS``): digits for numbers and timestamps (microseconds
since 1970), 32 hex digits for ids, base64url for text. Every string that matches a list's
``pattern(kind)`` is a position in that list, so the OpenAPI document can state exactly which
cursors the server accepts; anything else is a ``CursorError`` (400).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Regexes end with ``$(?!\n)``: ``$`` alone would also match before a final newline.
END = r"$(?!\n)"
MAX_LENGTH = 512


class CursorError(ValueError):
    """The cursor was not made by this service (or by another list)."""


class Part(NamedTuple):
    """One field of a sort key: its regex, how a value is written and read back."""

    pattern: str
    width: int  # longest written form; 0: unbounded
    write: Callable[[Any], str]
    read: Callable[[str], Any]


def _micros(value: Any) -> str:
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    delta = when - EPOCH
    return str((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)


def _b64(value: Any) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def _unb64(value: str) -> str:
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    # A hand-made cursor may hold any bytes: it is still a position, just not one we wrote.
    return raw.decode("utf-8", "replace").replace("\x00", "")


ordinal = Part(r"[0-9]{1,9}", 9, lambda v: str(int(v)), int)  # fits a Postgres integer
bigint = Part(r"[0-9]{1,18}", 18, lambda v: str(int(v)), int)  # fits a Postgres bigint
xid8 = Part(r"[0-9]{1,19}", 19, lambda v: str(int(v)), int)  # a transaction id (64 bits)
uid = Part(r"[0-9a-f]{32}", 32, lambda v: uuid.UUID(str(v)).hex, lambda s: uuid.UUID(hex=s))
timestamp = Part(r"[0-9]{1,17}", 17, _micros, lambda s: EPOCH + dt.timedelta(microseconds=int(s)))
text = Part(r"(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2,3})?", 0, _b64, _unb64)

KINDS: dict[str, tuple[Part, ...]] = {
    "articles": (timestamp, uid),
    "entities": (ordinal,),  # the results of one article
    "events": (ordinal,),
    "sources": (ordinal,),
    "registry": (ordinal, uid),
    "entity-articles": (timestamp, uid),
    "corpus-events": (bigint,),
    "quotes": (timestamp, bigint),
    "ranking": (bigint, text),
    "webhooks": (timestamp, uid),
    "deliveries": (timestamp, uid),
    "changes": (xid8, bigint),
}


def pattern(kind: str) -> str:
    """The regex (ECMA and Python alike) of every cursor of list ``kind``; empty is allowed
    and means the first page, like no cursor."""
    return "^(?:" + kind + "".join(r"\." + p.pattern for p in KINDS[kind]) + ")?" + END


def max_length(kind: str) -> int:
    widths = [p.width for p in KINDS[kind]]
    if 0 in widths:
        return MAX_LENGTH
    return len(kind) + sum(widths) + len(widths)


_COMPILED = {
    kind: re.compile("^" + kind + "".join(r"\.(" + p.pattern + ")" for p in parts) + END)
    for kind, parts in KINDS.items()
}


def encode(kind: str, *key: Any) -> str:
    parts = KINDS[kind]
    if len(parts) != len(key):
        raise TypeError(f"a {kind} cursor has {len(parts)} fields, not {len(key)}")
    return ".".join([kind, *(p.write(v) for p, v in zip(parts, key, strict=True))])


def decode_as(cursor: str, kind: str, *parts: Part) -> list[Any]:
    """The sort key of a ``kind`` cursor; ``parts`` must be the list's grammar (``KINDS``)."""
    if parts != KINDS[kind]:
        raise TypeError(f"{kind} cursors are read as {KINDS[kind]}")
    match = _COMPILED[kind].match(cursor)
    if match is None:
        head = cursor.split(".", 1)[0]
        if head != kind and head in KINDS:
            raise CursorError(
                "cursor belongs to another list: pass next_cursor exactly as returned"
            )
        raise CursorError("cursor is not valid: pass next_cursor exactly as returned")
    return [p.read(v) for p, v in zip(parts, match.groups(), strict=True)]
