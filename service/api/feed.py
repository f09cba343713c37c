"""``/v1/changes`` (the change feed) and ``/v1/webhooks`` (pushed deliveries of it).

See ``docs/feed.md`` for how to consume both and verify signatures.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Annotated
from urllib.parse import urlsplit

import asyncpg
import msgspec
from litestar import Controller, Response
from litestar.di import NamedDependency
from litestar.params import Body, FromPath, FromQuery, Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from service import webhook_targets
from service.api.auth import ADMIN, READ
from service.api.handlers import delete, get, post
from service.api.problems import ProblemError
from service.schemas import NO_NUL, TEXT_PATTERN, FieldError, Page
from service.settings import Settings
from service.store import changes, webhooks
from service.store.changes import CHANGE_TYPES, Change, ChangeType
from service.store.webhooks import Delivery, DeliveryStatus, Webhook

Limit = Annotated[int, Parameter(ge=1, le=500, description="Page size (default 50, max 500).")]
Cursor = Annotated[
    str | None, Parameter(description="`next_cursor` of the previous page.", max_length=512)
]
MAX_URL = 2048
# An absolute http(s) URL with an ASCII host (a name or IPv4 address; no IPv6 literal), an
# optional port 1-65535 and no fragment, white space or control character. Enforced by
# decoding and stated in the OpenAPI document; ``check_url`` then parses it.
_PORT = r"(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
URL_PATTERN = (
    r"^[Hh][Tt][Tt][Pp][Ss]?://"
    r"(?:[A-Za-z0-9._~%!$&'()*+,;=:-]*@)?"
    r"[A-Za-z0-9._~%!$&'()*+,;=-]+"
    rf"(?::{_PORT})?"
    r"(?:[/?][^\s#\u0000-\u001f\u007f]*)?$(?!\n)"
)


class ChangesPage(msgspec.Struct):
    """Changes in feed order. ``cursor`` is where to continue from next time (always set);
    ``next_cursor`` is the same value while more changes are available right now, and null
    once you are caught up: poll again later with ``after=cursor``."""

    items: list[Change]
    next_cursor: str | None
    cursor: str


class WebhookIn(msgspec.Struct, forbid_unknown_fields=True):
    """A receiver: ``url`` (http or https), and optionally the ``secret`` deliveries are
    signed with (16-256 characters; one is generated when omitted), the event types wanted
    (default: all) and a description."""

    url: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_URL, pattern=URL_PATTERN)]
    secret: (
        Annotated[str, msgspec.Meta(min_length=16, max_length=256, pattern=TEXT_PATTERN)] | None
    ) = None
    event_types: (
        Annotated[list[ChangeType], msgspec.Meta(min_length=1, max_length=len(CHANGE_TYPES))] | None
    ) = None
    description: Annotated[str, msgspec.Meta(max_length=1000, pattern=NO_NUL)] | None = None


class WebhookCreated(Webhook):
    """The new webhook with its ``secret``: shown this once, never again."""

    secret: str


def _invalid(field: str, message: str) -> ProblemError:
    return ProblemError(
        422,
        f"{field}: {message}",
        title="The request does not match the schema",
        errors=[FieldError(field=field, message=message)],
    )


def check_url(url: str) -> str:
    """An absolute http(s) URL with a host; anything else is a 422 naming ``url``."""
    if url != url.strip() or any(c.isspace() or ord(c) < 32 for c in url):
        raise _invalid("url", "must not contain white space or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise _invalid("url", f"is not a valid URL: {exc}") from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise _invalid("url", "must be an http:// or https:// URL")
    if not parts.hostname:
        raise _invalid("url", "must name a host")
    if port == 0:
        raise _invalid("url", "port 0 is not a valid port")
    if parts.fragment:
        raise _invalid("url", "must not carry a #fragment")
    return url


class ChangeController(Controller):
    path = "/v1/changes"
    tags = ("feed",)

    @get(
        "/",
        guards=[READ],
        summary="The change feed: articles processed and deleted, in commit order",
        description=(
            "Every `article.processed` (extraction finished, also after a reprocess) and "
            "`article.deleted`, once each, in an order that never changes and never gains a "
            "change before a position already served, however many workers commit at once. "
            "Start without `after` (from the beginning), keep `cursor` and pass it as "
            "`after` next time; `next_cursor` is null once you are caught up."
        ),
    )
    async def changes(
        self,
        pool: NamedDependency[asyncpg.Pool],
        after: Annotated[
            str | None,
            Parameter(description="`cursor` of the previous response.", max_length=512),
        ] = None,
        cursor: Annotated[
            str | None,
            Parameter(
                description="Alias of `after` (which wins if both are given).", max_length=512
            ),
        ] = None,
        limit: Limit = 50,
    ) -> ChangesPage:
        position = changes.Position.decode(after or cursor)
        items, last, more = await changes.read(pool, position, limit)
        encoded = last.encode()
        return ChangesPage(items=items, next_cursor=encoded if more else None, cursor=encoded)


class WebhookController(Controller):
    path = "/v1/webhooks"
    tags = ("feed",)

    @post(
        "/",
        guards=[ADMIN],
        status_code=HTTP_201_CREATED,
        summary="Register a webhook",
        description=(
            "Changes committed from now on are POSTed to `url`, signed with `secret` "
            "(`X-Newsmeta-Signature: sha256=HMAC-SHA256(secret, timestamp + '.' + body)`), "
            "and retried with backoff until the receiver answers 2xx. The answer shows the "
            "secret this once. `url` must resolve to public addresses only (`422` otherwise, "
            "unless the server runs with NEWSMETA_WEBHOOK_ALLOW_PRIVATE=on); credentials and "
            "query of `url` are shown as `***` in every answer."
        ),
    )
    async def create(
        self,
        pool: NamedDependency[asyncpg.Pool],
        settings: NamedDependency[Settings],
        data: Annotated[WebhookIn, Body(title="Webhook")],
    ) -> Response[WebhookCreated]:
        url = check_url(data.url)
        if settings.webhook_allow_private != "on":
            try:
                await webhook_targets.check_url(url)
            except webhook_targets.TargetRefused as exc:
                raise _invalid("url", str(exc)) from None
        if data.secret is not None and not data.secret.strip():
            raise _invalid("secret", "must not be blank")
        secret = data.secret if data.secret is not None else "whsec_" + secrets.token_urlsafe(32)
        wanted = list(dict.fromkeys(data.event_types or CHANGE_TYPES))
        hook = await webhooks.create(pool, url, secret, wanted, data.description)
        created = WebhookCreated(**msgspec.structs.asdict(hook), secret=secret)
        return Response(
            created, status_code=HTTP_201_CREATED, headers={"Location": f"{self.path}/{hook.id}"}
        )

    @get("/", guards=[ADMIN], summary="List webhooks, newest first (never their secrets)")
    async def list_webhooks(
        self, pool: NamedDependency[asyncpg.Pool], cursor: Cursor = None, limit: Limit = 50
    ) -> Page[Webhook]:
        items, next_cursor = await webhooks.list_webhooks(pool, limit=limit, after=cursor)
        return Page(items=items, next_cursor=next_cursor)

    @get("/{webhook_id:uuid}", guards=[ADMIN], summary="One webhook (never its secret)")
    async def get_webhook(
        self, pool: NamedDependency[asyncpg.Pool], webhook_id: FromPath[uuid.UUID]
    ) -> Webhook:
        found = await webhooks.get(pool, webhook_id)
        if found is None:
            raise ProblemError(404, f"no webhook {webhook_id}")
        return found

    @delete(
        "/{webhook_id:uuid}",
        guards=[ADMIN],
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a webhook; its pending deliveries are dropped",
    )
    async def delete_webhook(
        self, pool: NamedDependency[asyncpg.Pool], webhook_id: FromPath[uuid.UUID]
    ) -> None:
        if not await webhooks.delete(pool, webhook_id):
            raise ProblemError(404, f"no webhook {webhook_id}")

    @get(
        "/{webhook_id:uuid}/deliveries",
        guards=[ADMIN],
        summary="Deliveries of one webhook, newest first",
        description=(
            "`pending` (with `next_attempt_at`), `delivered`, or `failed` after the last retry; "
            "`attempts`, `last_status_code` and `last_error` tell what happened."
        ),
    )
    async def deliveries(
        self,
        pool: NamedDependency[asyncpg.Pool],
        webhook_id: FromPath[uuid.UUID],
        status: FromQuery[DeliveryStatus | None] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Page[Delivery]:
        if await webhooks.get(pool, webhook_id) is None:
            raise ProblemError(404, f"no webhook {webhook_id}")
        items, next_cursor = await webhooks.list_deliveries(
            pool, webhook_id, status=status, limit=limit, after=cursor
        )
        return Page(items=items, next_cursor=next_cursor)
