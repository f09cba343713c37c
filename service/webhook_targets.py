"""Where webhooks may go, and what of their URLs may be shown.

A webhook is a request the service makes on an admin's behalf, and its outcome
(``last_status_code``, ``last_error``) is readable: without a check it would scan the
private network the service sits in. So a target must resolve to public addresses only:
loopback, private, link-local (cloud metadata at 169.254.169.254), multicast, unspecified
and reserved addresses are refused, in every spelling (``2130706433``, ``0x7f000001``,
``[::ffff:127.0.0.1]``, a name), at registration and again at every connection, on the
address actually connected to (so a name that resolves elsewhere later, DNS rebinding,
gains nothing). ``NEWSMETA_WEBHOOK_ALLOW_PRIVATE=on`` lifts the check (local use, tests).

A URL may carry credentials (``user:password@``) or a token in its query: only
``redact(url)`` is ever returned or logged.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpcore
import httpx

RESOLVE_TIMEOUT = 5.0
ALLOW_HINT = "NEWSMETA_WEBHOOK_ALLOW_PRIVATE=on allows it"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(Exception):
    """The target is not a public address; the message says why."""


def redact(url: str) -> str:
    """The URL without credentials or query: ``https://***@host/path?***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(invalid URL)"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=netloc, query="***" if parts.query else ""))


def kind_of(ip: IPAddress) -> str | None:
    """Why the address may not be a target (its kind), or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return kind_of(embedded)
    for kind, hit in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if hit:
            return kind
    return None if ip.is_global else "reserved"


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal, in any form inet_aton takes, too)."""
    lookup = asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    try:
        infos = await asyncio.wait_for(lookup, RESOLVE_TIMEOUT)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"the host {host} does not resolve ({exc})") from None
    except TimeoutError:
        raise TargetRefused(f"the host {host} did not resolve in {RESOLVE_TIMEOUT:g} s") from None
    found: list[IPAddress] = []
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if ip not in found:
            found.append(ip)
    return found


async def public_addresses(host: str, port: int) -> list[IPAddress]:
    """The addresses of ``host``; TargetRefused if any of them is not public."""
    addresses = await resolve(host, port)
    for ip in addresses:
        kind = kind_of(ip)
        if kind is not None:
            named = host.strip("[]")
            said = str(ip) if named == str(ip) else f"{named} ({ip})"
            raise TargetRefused(
                f"{said} is a {kind} address; webhooks go to public addresses only ({ALLOW_HINT})"
            )
    return addresses


async def check_url(url: str) -> None:
    """TargetRefused unless the URL's host resolves to public addresses only."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    await public_addresses(parts.hostname or "", port)


class PublicOnlyBackend(httpcore.AsyncNetworkBackend):
    """Connects only to public addresses: resolves the name itself, checks every address,
    and connects to a checked one (TLS still verifies the name)."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self.inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await public_addresses(host, port)
        except TargetRefused as exc:
            raise httpcore.ConnectError(f"refused: {exc}") from None
        return await self.inner.connect_tcp(
            str(addresses[0]), port, timeout, local_address, socket_options
        )

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("refused: webhooks do not go to unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def client(*, allow_private: bool, **options: Any) -> httpx.AsyncClient:
    """An HTTP client for deliveries: connections to non-public addresses fail unless
    ``allow_private``. Proxy variables are ignored: the check must see the real target."""
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    if not allow_private:
        # httpx has no public hook for the network backend; its pool keeps it here.
        pool = transport._pool
        pool._network_backend = PublicOnlyBackend(pool._network_backend)
    return httpx.AsyncClient(transport=transport, trust_env=False, **options)
