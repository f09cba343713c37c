"""Settings from environment variables, validated by one msgspec struct.

A bad value stops start-up with one line that names the variable (see ``SettingsError``).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from typing import Annotated, Literal

import msgspec

NonNegative = Annotated[int, msgspec.Meta(ge=0)]
Positive = Annotated[int, msgspec.Meta(ge=1)]
PositiveFloat = Annotated[float, msgspec.Meta(gt=0)]
NonNegativeFloat = Annotated[float, msgspec.Meta(ge=0)]


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None
    data_dir: str = ".newsmeta"
    auth: Literal["on", "off"] = "on"
    rate_limit: NonNegative = 600  # requests per minute per key/client; 0 disables
    max_article_bytes: Positive = 2 * 1024 * 1024
    max_batch_items: Positive = 1000
    max_attempts: Positive = 3
    lease_seconds: PositiveFloat = 60.0
    # One article may take this long; then the worker gives up on it and exits (a spinning
    # extraction thread cannot be stopped otherwise) and its supervisor starts a new one.
    extract_timeout_seconds: PositiveFloat = 300.0
    # POST /v1/extract runs in its own processes (each loads the models, ~350 MB): at most
    # this many at once per API process, each bounded in time.
    api_extract_concurrency: Positive = 1
    api_extract_timeout_seconds: PositiveFloat = 30.0
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: comma-separated
    # addresses or networks, "*" for any. Empty: the socket peer is the client.
    trusted_proxies: str = ""
    # Webhooks to loopback, private, link-local, multicast or reserved addresses.
    webhook_allow_private: Literal["on", "off"] = "off"
    retry_base_seconds: PositiveFloat = 5.0
    poll_seconds: PositiveFloat = 2.0
    # Age after which the gazetteer of known names is rebuilt from the registry (before the
    # next extraction); 0 rebuilds before every one (tests).
    gazetteer_refresh_seconds: NonNegativeFloat = 30.0
    pool_min: NonNegative = 1
    pool_max: Positive = 10
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["json", "console"] = "json"


class SettingsError(Exception):
    """A variable has a value the service cannot use; the message names it."""


# Environment variable -> field. DATABASE_URL is the conventional unprefixed name.
ENV = {
    "DATABASE_URL": "database_url",
    "NEWSMETA_DATA_DIR": "data_dir",
    "NEWSMETA_AUTH": "auth",
    "NEWSMETA_RATE_LIMIT": "rate_limit",
    "NEWSMETA_MAX_ARTICLE_BYTES": "max_article_bytes",
    "NEWSMETA_MAX_BATCH_ITEMS": "max_batch_items",
    "NEWSMETA_MAX_ATTEMPTS": "max_attempts",
    "NEWSMETA_LEASE_SECONDS": "lease_seconds",
    "NEWSMETA_EXTRACT_TIMEOUT": "extract_timeout_seconds",
    "NEWSMETA_API_EXTRACT_CONCURRENCY": "api_extract_concurrency",
    "NEWSMETA_API_EXTRACT_TIMEOUT": "api_extract_timeout_seconds",
    "NEWSMETA_TRUSTED_PROXIES": "trusted_proxies",
    "NEWSMETA_WEBHOOK_ALLOW_PRIVATE": "webhook_allow_private",
    "NEWSMETA_RETRY_BASE_SECONDS": "retry_base_seconds",
    "NEWSMETA_POLL_SECONDS": "poll_seconds",
    "NEWSMETA_GAZETTEER_REFRESH": "gazetteer_refresh_seconds",
    "NEWSMETA_POOL_MIN": "pool_min",
    "NEWSMETA_POOL_MAX": "pool_max",
    "NEWSMETA_LOG_LEVEL": "log_level",
    "NEWSMETA_LOG_FORMAT": "log_format",
}


_LOWERED = {"auth", "webhook_allow_private", "log_level", "log_format"}


def trusted_networks(value: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network] | None:
    """The networks of ``NEWSMETA_TRUSTED_PROXIES``; None for "*" (any); ValueError if bad."""
    items = [item.strip() for item in value.split(",") if item.strip()]
    if items == ["*"]:
        return None
    return [ipaddress.ip_network(item, strict=False) for item in items]


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    raw: dict[str, str] = {}
    for var, field in ENV.items():
        value = env.get(var, "").strip()
        if value:
            raw[field] = value.lower() if field in _LOWERED else value
    for var, field in ENV.items():
        if field not in raw:
            continue
        try:
            # strict=False lets "600" become 600; each variable is checked alone so the
            # message can name it.
            msgspec.convert({field: raw[field]}, Settings, strict=False)
        except msgspec.ValidationError as exc:
            detail = str(exc).split(" - at ")[0]
            raise SettingsError(f"{var}={raw[field]!r} is not valid: {detail}") from None
    settings = msgspec.convert(raw, Settings, strict=False)
    if settings.pool_min > settings.pool_max:
        raise SettingsError("NEWSMETA_POOL_MIN must not exceed NEWSMETA_POOL_MAX")
    if settings.database_url and not settings.database_url.startswith(
        ("postgres://", "postgresql://")
    ):
        raise SettingsError("DATABASE_URL must start with postgresql:// or postgres://")
    try:
        trusted_networks(settings.trusted_proxies)
    except ValueError as exc:
        raise SettingsError(
            f"NEWSMETA_TRUSTED_PROXIES={settings.trusted_proxies!r} is not valid: {exc};"
            " give comma-separated addresses or networks (10.0.0.0/8), or *"
        ) from None
    return settings
