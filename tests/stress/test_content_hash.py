"""The content hash is stored: a faster normalization must give the very same bytes."""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata

from service.identity import content_hash

_SPACE = re.compile(r"\s+")


def _reference(text: str) -> bytes:
    """The original definition (regex white space, then strip)."""
    normalized = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(normalized.encode("utf-8")).digest()


def test_every_white_space_character_is_treated_as_before() -> None:
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        c = chr(code)
        text = f"{c}Путин{c}{c}в Москве{c}"
        assert content_hash(text) == _reference(text), hex(code)


def test_texts_hash_as_before(seed_text: str) -> None:
    for text in (seed_text, seed_text + "\r\n\t ", "", "   ", "e\u0301 \u00a0 x\u2028y"):
        assert content_hash(text) == _reference(text), text[:40]
