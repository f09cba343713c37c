"""Request bodies: JSON, NDJSON or the raw text format, decoded strictly, with clear errors."""

from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec
from litestar import Request
from litestar.types import Empty

from service.api.problems import ProblemError, field_problem, validation_problem
from service.extraction.rawformat import parse_raw
from service.schemas import ArticleIn
from service.store.articles import NewArticle

T = TypeVar("T")
JSON = "application/json"
TEXT = "text/plain"
NDJSON = "application/x-ndjson"


def media_type(request: Request[Any, Any, Any], accepted: tuple[str, ...]) -> str:
    value, params = request.content_type
    value = value.lower()
    if value.endswith("+json"):
        value = JSON
    if value not in accepted:
        raise ProblemError(
            415,
            f"Content-Type {value or '(none)'!r} is not accepted here; send one of: "
            + ", ".join(accepted),
        )
    charset = params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProblemError(415, f"charset {charset!r} is not accepted; send UTF-8")
    return value


def decode_utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProblemError(
            400, f"the body is not valid UTF-8 (byte {exc.start}); send UTF-8 text"
        ) from None


# The JSON policy of every body (typed ones here, Litestar's ``data`` through JSONRequest):
# malformed, not UTF-8 or nested deeper than the decoder's limit is 400; a NUL character
# (``\u0000``; Postgres cannot store it) in any string is 422 naming the field; sizes are the
# route's ``request_max_body_size`` (413).
def decode_json(body: bytes, kind: Any = Any, where: str = "body") -> Any:
    try:
        value = msgspec.json.decode(body, type=kind)
    except msgspec.ValidationError as exc:
        raise validation_problem(exc, where) from None
    except msgspec.DecodeError as exc:
        raise ProblemError(400, f"malformed JSON in {where}: {exc}") from None
    except UnicodeDecodeError as exc:  # msgspec raises it for bad bytes inside a string
        raise ProblemError(
            400, f"{where} is not valid UTF-8 (byte {exc.start}); send UTF-8 JSON"
        ) from None
    except RecursionError:
        raise ProblemError(400, f"malformed JSON in {where}: nested too deeply") from None
    if b"\\u0000" in body:  # rare: only then is the value walked
        _refuse_nul(msgspec.to_builtins(value), where)
    return value


def _refuse_nul(value: Any, where: str) -> None:
    """422 naming the first string (or key) of ``value`` that holds a NUL character."""
    todo: list[tuple[str, Any]] = [("", value)]
    while todo:
        path, item = todo.pop()
        if isinstance(item, str):
            nul = item.find("\x00")
            if nul >= 0:
                field = path.lstrip(".") or where
                raise field_problem(
                    field, f"{field} contains a NUL character (U+0000) at offset {nul}; remove it"
                )
        elif isinstance(item, dict):
            for key, sub in item.items():
                todo.append((f"{path}.{key}", key if "\x00" in str(key) else sub))
        elif isinstance(item, list):
            todo.extend((f"{path}.{i}", sub) for i, sub in enumerate(item))


class JSONRequest(Request[Any, Any, Any]):
    """Litestar's request with the JSON policy above for typed ``data`` bodies: 415 unless
    the body is JSON, 400/422 (never a 500) for what the decoder refuses."""

    async def json(self) -> Any:
        if self._json is Empty:
            media_type(self, (JSON,))
            self._json = decode_json(await self.body() or b"null")
        return self._json


_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[{][\[{\s]*|[\]}][\]}\s]*|,')
MAX_STRUCTURE = 200_000  # brackets and commas in a whole batch: far above 1,000 articles


def split_array(body: bytes, max_items: int) -> list[bytes]:
    """The items of a JSON array, found without decoding them: counted as they are found
    (so ``[0,0,…]`` of 60 MiB costs nothing past a few times ``max_items``), each item
    decoded later on its own, so a malformed or too deeply nested one fails alone."""
    start = len(body) - len(body.lstrip())
    if body[start : start + 1] != b"[":
        decode_json(body, list[msgspec.Raw])  # not an array: the decoder says what it is
        raise ProblemError(400, "malformed JSON in body: a batch is a JSON array of articles")
    items: list[bytes] = []
    count = 0  # items so far; past max_items they are only counted
    depth = 0  # inside the array's items
    item_start = start + 1
    seen = 0
    for match in _TOKEN.finditer(body, start + 1):
        seen += 1
        if seen > MAX_STRUCTURE:
            raise ProblemError(
                413,
                f"the batch holds more than {MAX_STRUCTURE:,} JSON brackets and commas, far"
                " more than its articles need; send objects of strings",
            )
        token = match[0]
        first = token[:1]
        if first == b'"':
            continue
        if first in b"[{":
            depth += token.count(b"[") + token.count(b"{")
            continue
        if first in b"]}":
            closing = token.count(b"]") + token.count(b"}")
            if closing > depth:  # the array's own end
                end = match.start() + _nth(token, depth)
                if body[end + 1 :].strip():
                    raise ProblemError(400, "malformed JSON in body: data after the array")
                count += 1
                if count > max_items:
                    raise _too_many(count, max_items)
                items.append(body[item_start:end])
                return _nonempty(items)
            depth -= closing
            continue
        if depth == 0:  # a comma between items
            count += 1
            if count <= max_items:
                items.append(body[item_start : match.start()])
                item_start = match.end()
            elif count >= COUNT_UP_TO * max_items:
                raise _too_many(None, max_items)
    if count > max_items:
        raise _too_many(None, max_items)
    raise ProblemError(400, "malformed JSON in body: the array is not closed")


COUNT_UP_TO = 10  # a batch over the limit is counted up to 10x the limit, for the message


def _nth(token: bytes, depth: int) -> int:
    """Offset in a run of closing brackets of the one that closes the array."""
    seen = 0
    for i, byte in enumerate(token):
        if byte in b"]}":
            if seen == depth:
                return i
            seen += 1
    return len(token) - 1


def _nonempty(items: list[bytes]) -> list[bytes]:
    if len(items) == 1 and not items[0].strip():
        return []  # "[]"
    if any(not item.strip() for item in items):
        raise ProblemError(400, "malformed JSON in body: an empty item between commas")
    return items


def _too_many(count: int | None, max_items: int) -> ProblemError:
    has = f"{count}" if count is not None else f"at least {COUNT_UP_TO * max_items}"
    return ProblemError(
        422,
        f"the batch has {has} items; the limit is {max_items}. Split it into several requests",
    )


_NONBLANK_LINE = re.compile(rb"[^\n]*[^\s][^\n]*")


def split_lines(body: bytes, max_items: int) -> list[bytes]:
    """The non-blank lines of an NDJSON body, counted as they are found."""
    lines: list[bytes] = []
    count = 0
    for match in _NONBLANK_LINE.finditer(body):
        count += 1
        if count <= max_items:
            lines.append(match[0])
        elif count >= COUNT_UP_TO * max_items:
            raise _too_many(None, max_items)
    if count > max_items:
        raise _too_many(count, max_items)
    return lines


def check_text(text: str, max_bytes: int, field: str = "text") -> None:
    """No NUL characters (Postgres cannot store them) and no more than ``max_bytes``."""
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise ProblemError(
            413,
            f"{field} is {size} bytes of UTF-8; the limit is {max_bytes} bytes per article."
            " Split the article or raise NEWSMETA_MAX_ARTICLE_BYTES",
        )
    nul = text.find("\x00")
    if nul >= 0:
        raise field_problem(
            field, f"{field} contains a NUL character (U+0000) at offset {nul}; remove it"
        )
    if not text.strip():
        raise field_problem(field, f"{field} is empty or only white space")


def to_new_article(item: ArticleIn, max_bytes: int) -> NewArticle:
    """Explicit fields win; the raw format's header and trailer fill what is missing."""
    check_text(item.text, max_bytes)
    if item.language != "ru":
        raise field_problem(
            "language", f"language {item.language!r} is not supported; only 'ru' is (for now)"
        )
    for name in ("title", "url", "outlet", "external_id"):
        value = getattr(item, name)
        if value is not None and "\x00" in value:
            raise field_problem(name, f"{name} contains a NUL character (U+0000); remove it")
    raw = parse_raw(item.text)
    return NewArticle(
        text=item.text,
        title=item.title,
        url=item.url,
        outlet=item.outlet or raw.outlet,
        published_at=item.published_at or raw.published_at,
        language=item.language,
        external_id=item.external_id,
    )
