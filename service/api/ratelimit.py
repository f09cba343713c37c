"""Per-key rate limiting: ``NEWSMETA_RATE_LIMIT`` requests a minute (``0`` disables).

A token bucket per client: it holds up to ``limit`` requests and refills at ``limit`` a
minute, so a client may burst up to the limit and then goes at the steady rate. Over it the
answer is ``429`` problem+json with ``Retry-After`` (whole seconds until the next request is
allowed). Every limited response carries ``RateLimit-Limit`` and ``RateLimit-Remaining``.

Checked before the auth guard (``service/api/edge.py``). A key this process has accepted
before gets a bucket of its own (by a SHA-256 of the key); any other request (no key, an
unknown or mistyped key, every request while ``NEWSMETA_AUTH=off``) is counted by its client
address, so rotating made-up keys buys no fresh buckets. The address is the socket peer, or
what a proxy listed in ``NEWSMETA_TRUSTED_PROXIES`` forwarded (uvicorn resolves that before
us). ``/health``, ``/metrics`` and ``/schema`` are not limited. Buckets live in the API
process: with several API replicas each enforces the limit separately.
"""

from __future__ import annotations

import math
import time

import msgspec
from litestar.types import Scope, Send
from prometheus_client import Counter

from service.api.auth import key_sha256
from service.api.problems import MEDIA_TYPE, problem_type
from service.schemas import Problem

EXEMPT = ("/health", "/metrics", "/schema")
MAX_CLIENTS = 100_000
REFUSED = Counter("newsmeta_rate_limited", "Requests refused with 429 by the rate limit")


class TokenBuckets:
    """``limit`` requests a minute per identity; ``take`` says whether one may go now."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens a second
        self._buckets: dict[str, tuple[float, float]] = {}  # id -> (tokens, at)
        self._swept = time.monotonic()

    def take(self, identity: str, now: float | None = None) -> tuple[bool, float, int]:
        """(allowed, seconds until the next token if refused, tokens left)."""
        now = time.monotonic() if now is None else now
        tokens, at = self._buckets.get(identity, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.rate)
        if tokens >= 1.0:
            tokens -= 1.0
            self._buckets[identity] = (tokens, now)
            if now - self._swept >= 60.0 or len(self._buckets) >= MAX_CLIENTS:
                self._sweep(now)
            return True, 0.0, int(tokens)
        self._buckets[identity] = (tokens, now)
        return False, (1.0 - tokens) / self.rate, 0

    def _sweep(self, now: float) -> None:
        """Forget full buckets (idle for a minute or more): they behave as new ones. Called
        once a minute, or when there are too many."""
        self._swept = now
        for identity, (tokens, at) in list(self._buckets.items()):
            if tokens + (now - at) * self.rate >= self.capacity or now - at > 60.0:
                del self._buckets[identity]


class KnownKeys:
    """Digests of the keys the auth guard accepted in this process (at most ``MAX_CLIENTS``,
    oldest forgotten first: a forgotten key is counted by address until its next success)."""

    def __init__(self) -> None:
        self._digests: dict[str, None] = {}

    def add(self, sha256: bytes) -> None:
        """``sha256``: the accepted key's SHA-256 (``auth.key_sha256``)."""
        digest = bucket_digest(sha256)
        if digest in self._digests:
            return
        if len(self._digests) >= MAX_CLIENTS:
            del self._digests[next(iter(self._digests))]
        self._digests[digest] = None

    def __contains__(self, digest: str) -> bool:
        return digest in self._digests


def bucket_digest(sha256: bytes) -> str:
    """A key's bucket name: the first 32 hex digits of its SHA-256."""
    return sha256.hex()[:32]


def client_identity(scope: Scope, known: KnownKeys | None = None) -> tuple[str, str | None]:
    """(``key:<sha256 prefix>`` for a key in ``known``, else ``addr:<host>``; the digest of
    a presented key that is not known yet, if any)."""
    if known is None:
        return _address(scope), None
    key = None
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, rest = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and rest.strip():
                key = rest.strip()
        elif name == b"x-api-key" and value and key is None:
            key = value.decode("latin-1")
    if key:
        digest = bucket_digest(key_sha256(scope, key))  # hashed once a request
        if digest in known:
            return "key:" + digest, None
        return _address(scope), digest
    return _address(scope), None


def _address(scope: Scope) -> str:
    client = scope.get("client")
    return f"addr:{client[0] if client else 'unknown'}"


class RateLimit:
    """The limit as the outermost middleware (``service/api/edge.py``) applies it."""

    def __init__(self, per_minute: int, known: KnownKeys | None) -> None:
        """``known``: the keys the auth guard accepted; None when auth is off (every request
        is then counted by address)."""
        self.per_minute = per_minute
        self.known = known
        self.buckets = TokenBuckets(per_minute)
        self.limit_header = (b"ratelimit-limit", str(per_minute).encode())

    def admit(self, scope: Scope) -> tuple[bool, float, int, str | None]:
        """(allowed, seconds to wait if not, tokens left, the digest of a presented key not
        known yet: pass it to ``settle`` once the request is answered)."""
        identity, unproven = client_identity(scope, self.known)
        allowed, wait, left = self.buckets.take(identity)
        if not allowed:
            REFUSED.inc()
        return allowed, wait, left, unproven

    def settle(self, unproven: str | None) -> None:
        if unproven is not None and self.known is not None and unproven in self.known:
            # The key's first request here (counted on the address): its own budget
            # starts with that request spent too.
            self.buckets.take("key:" + unproven)

    async def refuse(self, send: Send, wait: float) -> None:
        retry_after = max(1, math.ceil(wait))
        body = msgspec.json.encode(
            Problem(
                type=problem_type(429),
                title="Too Many Requests",
                status=429,
                detail=(
                    f"more than {self.per_minute} requests a minute from this client;"
                    f" retry in {retry_after} s"
                ),
            )
        )
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(retry_after).encode()),
                    (b"ratelimit-limit", str(self.per_minute).encode()),
                    (b"ratelimit-remaining", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": False})
