"""Request bodies: JSON, NDJSON or the raw text format, decoded strictly, with clear errors."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
from litestar import Request

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


def decode_json(body: bytes, kind: Any, where: str = "body") -> Any:
    try:
        return msgspec.json.decode(body, type=kind)
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
