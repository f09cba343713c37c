"""Opaque keyset cursors: the sort key of the last row served, base64url-encoded JSON."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import msgspec


class CursorError(ValueError):
    """The cursor was not made by this service (or by another list)."""


def encode(kind: str, *key: Any) -> str:
    raw = msgspec.json.encode([kind, *key])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


_INVALID = "cursor is not valid: pass next_cursor exactly as returned"


def decode(cursor: str, kind: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = msgspec.json.decode(raw)
    except (binascii.Error, ValueError, msgspec.DecodeError) as exc:
        raise CursorError(_INVALID) from exc
    if not isinstance(value, list) or len(value) < 2 or value[0] != kind:
        raise CursorError("cursor belongs to another list: pass next_cursor exactly as returned")
    return value[1:]


def decode_as(cursor: str, kind: str, *parts: Callable[[Any], Any]) -> list[Any]:
    """``decode``, then convert each part of the key; a key that does not convert (a cursor
    edited by hand) is a ``CursorError`` too, not a crash further down."""
    key = decode(cursor, kind)
    if len(key) != len(parts):
        raise CursorError(_INVALID)
    try:
        return [convert(value) for convert, value in zip(parts, key, strict=True)]
    except (TypeError, ValueError, OverflowError) as exc:
        raise CursorError(_INVALID) from exc


def ordinal(value: Any) -> int:
    """A position in a list: an int that fits a Postgres ``integer``."""
    if type(value) is not int or not -1 <= value < 2**31:
        raise ValueError(f"not a position: {value!r}")
    return value


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not a string: {value!r}")
    return value


def bigint(value: Any) -> int:
    """A sequence number or id that fits a Postgres ``bigint``."""
    if type(value) is not int or not 0 <= value < 2**63:
        raise ValueError(f"not a sequence number: {value!r}")
    return value


def timestamp(value: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(text(value))


def uid(value: Any) -> uuid.UUID:
    return uuid.UUID(text(value))
