"""The webhook delivery loop every worker runs beside extraction.

Each round: fan new feed changes out to deliveries, claim the due ones (``FOR UPDATE SKIP
LOCKED``, with a lease), POST them, and record the outcome. A 2xx is delivered; anything
else (an error status, a refused connection, a timeout) is retried with exponential
backoff, capped, and given up only after ``max_attempts`` tries, which the delivery then
shows. Deliveries are at least once: a receiver should deduplicate on
``X-Newsmeta-Delivery`` (or the change ``id``).

The signature is ``X-Newsmeta-Signature: sha256=HEX`` where ``HEX`` is the HMAC-SHA256,
keyed with the webhook's secret, of ``f"{timestamp}.{body}"``, ``timestamp`` being the
``X-Newsmeta-Timestamp`` header (Unix seconds) and ``body`` the exact request body.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import random
import time

import asyncpg
import httpx
import msgspec
import structlog

from service import __version__, webhook_targets
from service.settings import Settings
from service.store import webhooks

log = structlog.get_logger("newsmeta.webhooks")
# httpx logs every request at INFO with its full URL, credentials and query included: only
# its warnings are let through (our own lines name the host alone).
logging.getLogger("httpx").setLevel(logging.WARNING)


class RetryPolicy(msgspec.Struct, frozen=True):
    """Retry after base, 2 x base, 4 x base, ... seconds, at most ``cap``; give up after
    ``max_attempts`` attempts (the defaults keep trying for about 42 hours)."""

    base_seconds: float = 10.0
    cap_seconds: float = 3600.0
    max_attempts: int = 50
    timeout_seconds: float = 10.0  # one HTTP attempt, connect to last byte
    lease_seconds: float = 60.0  # a sender that died: retried after this

    def delay(self, attempts: int) -> float | None:
        """Seconds before the next attempt after ``attempts`` failed ones; None: give up."""
        if attempts >= self.max_attempts:
            return None
        delay = min(self.base_seconds * 2 ** min(attempts - 1, 30), self.cap_seconds)
        return delay * random.uniform(0.9, 1.1)  # spread retries of a receiver that was down


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Newsmeta-Signature`` value for this body."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does (docs/feed.md); also used by the tests."""
    try:
        expected = sign(secret, int(timestamp), body)
    except ValueError:
        return False
    return hmac.compare_digest(expected, signature)


class DeliveryLoop:
    def __init__(
        self,
        pool: asyncpg.Pool,
        settings: Settings,
        *,
        policy: RetryPolicy | None = None,
        batch: int = 20,
    ) -> None:
        self.pool = pool
        self.settings = settings
        self.policy = policy or RetryPolicy()
        self.batch = batch
        self.delivered = 0
        self.failed_attempts = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop`` is set; database trouble waits and retries, it never ends the loop."""
        backoff = 0.5
        async with self._client() as client:
            while not stop.is_set():
                try:
                    sent = await self.run_once(client)
                    backoff = 0.5
                except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                    log.warning("database unavailable, retrying", error=str(exc), wait=backoff)
                    await _wait(stop, backoff)
                    backoff = min(backoff * 2, 10.0)
                    continue
                except Exception as exc:  # a bug must not stop extraction beside it
                    log.error("delivery round failed", exc_info=exc)
                    await _wait(stop, self.settings.poll_seconds)
                    continue
                if sent < self.batch:
                    await _wait(stop, self.settings.poll_seconds)

    async def run_once(self, client: httpx.AsyncClient | None = None) -> int:
        """One round: fan out, claim, send; how many deliveries were attempted."""
        async with self.pool.acquire() as conn, conn.transaction():
            await webhooks.fan_out(conn)
        due = await webhooks.claim(self.pool, self.batch, self.policy.lease_seconds)
        if not due:
            return 0
        if client is None:
            async with self._client() as own:
                await asyncio.gather(*(self._send(own, item) for item in due))
        else:
            await asyncio.gather(*(self._send(client, item) for item in due))
        return len(due)

    def _client(self) -> httpx.AsyncClient:
        return webhook_targets.client(
            allow_private=self.settings.webhook_allow_private == "on",
            timeout=self.policy.timeout_seconds,
            follow_redirects=False,
            headers={"User-Agent": f"newsmeta-webhooks/{__version__}"},
        )

    async def _send(self, client: httpx.AsyncClient, item: webhooks.Outgoing) -> None:
        body = msgspec.json.encode(item.change)
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "X-Newsmeta-Event": item.change.type,
            "X-Newsmeta-Delivery": str(item.id),
            "X-Newsmeta-Attempt": str(item.attempts),
            "X-Newsmeta-Timestamp": str(timestamp),
            "X-Newsmeta-Signature": sign(item.secret, timestamp, body),
        }
        # The secret is never logged; the URL may carry credentials, so only its host is.
        bound = log.bind(
            delivery_id=str(item.id),
            change_id=item.change.id,
            host=httpx.URL(item.url).host,
            attempt=item.attempts,
        )
        status_code: int | None = None
        try:
            response = await client.post(item.url, content=body, headers=headers)
            status_code = response.status_code
            error = "" if response.is_success else f"the receiver answered {status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        except Exception as exc:  # never let one delivery take the loop down
            error = f"{type(exc).__name__}: {exc}"
        error = error.replace(item.url, webhook_targets.redact(item.url))
        if not error and status_code is not None:
            if await webhooks.delivered(self.pool, item, status_code):
                self.delivered += 1
                bound.info("webhook delivered", status_code=status_code)
            return
        self.failed_attempts += 1
        retry_in = self.policy.delay(item.attempts)
        outcome = await webhooks.attempt_failed(
            self.pool, item, status_code=status_code, error=error, retry_in=retry_in
        )
        if outcome == "failed":
            bound.error("webhook delivery given up", error=error, status_code=status_code)
        elif outcome is not None:
            bound.warning(
                "webhook delivery failed; will retry",
                error=error,
                status_code=status_code,
                retry_in=round(retry_in or 0, 1),
            )


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def join(task: asyncio.Task[None], stop: asyncio.Event, grace: float = 15.0) -> None:
    """End the loop's task: when ``stop`` is set it finishes its round (at most ``grace``
    seconds; an unfinished send is retried by another worker once its lease expires)."""
    if stop.is_set():
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(task), grace)
    if not task.done():
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
