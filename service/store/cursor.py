"""Opaque keyset cursors: the sort key of the last row served, base64url-encoded JSON."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import msgspec


class CursorError(ValueError):
    """The cursor was not made by this service (or by another list)."""


def encode(kind: str, *key: Any) -> str:
    raw = msgspec.json.encode([kind, *key])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, kind: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = msgspec.json.decode(raw)
    except (binascii.Error, ValueError, msgspec.DecodeError) as exc:
        raise CursorError("cursor is not valid: pass next_cursor exactly as returned") from exc
    if not isinstance(value, list) or len(value) < 2 or value[0] != kind:
        raise CursorError("cursor belongs to another list: pass next_cursor exactly as returned")
    return value[1:]
