"""Browser tests: Debian's chromium, headless, driven by Playwright, against a real server.

``live`` is ``newsmeta serve`` (API + one worker, keys on) on a free local port with its own
fresh database; ``open_page`` opens a URL in a fresh headless chromium page and records
every request the page makes. Requests to anything but 127.0.0.1 are aborted and listed in
``outside`` so a test can assert that nothing left the machine.

Chromium comes from the system (``apt-get install chromium``; ``.ci/run`` installs it):
Playwright only drives it (``executable_path``); its own browser download is never used.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import httpx
import msgspec
import pytest
from playwright.async_api import Browser, Page, Request, Route, async_playwright

from service.store import keys
from tests.conftest import SEED, scratch_database
from tests.ops.conftest import Server

CHROMIUM = (
    os.environ.get("NEWSMETA_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Live(msgspec.Struct):
    url: str
    read_key: str
    write_key: str
    seed_id: str


class Opened(msgspec.Struct):
    page: Page
    requests: list[str]
    outside: list[str]  # URLs the page tried to reach beyond 127.0.0.1 (aborted)
    failed: list[str]  # "status URL" of every answer >= 400


@pytest.fixture(scope="module")
def live_database(server_url: str) -> Iterator[str]:
    with scratch_database(server_url, f"newsmeta_ui_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="module")
async def live(live_database: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Live]:
    """A real server and worker with keys on; the seed article submitted and processed."""
    conn = await asyncpg.connect(live_database)
    try:
        _, read_key = await keys.create(conn, "read", "browser tests")
        _, write_key = await keys.create(conn, "write", "browser tests")
    finally:
        await conn.close()
    server = await asyncio.to_thread(
        Server,
        live_database,
        tmp_path_factory.mktemp("ui-serve"),
        1,
        NEWSMETA_AUTH="on",
        NEWSMETA_RATE_LIMIT="0",
    )
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
            r = await client.post(
                "/v1/articles",
                content=SEED.read_bytes(),
                headers={
                    "Content-Type": "text/plain; charset=utf-8",
                    "Prefer": "wait=30",
                    "Authorization": f"Bearer {write_key}",
                },
            )
            assert r.status_code == 201, r.text
            assert r.json()["status"] == "done", r.text
            yield Live(server.url, read_key, write_key, r.json()["id"])
    finally:
        await asyncio.to_thread(server.stop)


@pytest.fixture(scope="module")
async def chromium() -> AsyncIterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no chromium at {CHROMIUM}: install Debian's (apt-get install -y chromium)"
            " or set NEWSMETA_TEST_CHROMIUM"
        )
    async with async_playwright() as p:
        # Playwright gives each launch a fresh temporary --user-data-dir, headless.
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        await browser.close()


OpenPage = Callable[..., Awaitable[Opened]]


@pytest.fixture
async def open_page(chromium: Browser) -> AsyncIterator[OpenPage]:
    """``await open_page(url, key=None)``: a new page (own context, so own sessionStorage)
    at ``url``; with ``key``, the key is put in sessionStorage first, as a user would."""
    contexts: list[Any] = []

    async def opener(url: str, key: str | None = None, **context_options: Any) -> Opened:
        context = await chromium.new_context(**context_options)
        contexts.append(context)
        requests: list[str] = []
        outside: list[str] = []

        async def gate(route: Route, request: Request) -> None:
            requests.append(request.url)
            host = urlsplit(request.url).hostname
            if request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
                await route.continue_()
            else:
                outside.append(request.url)
                await route.abort()

        await context.route("**/*", gate)
        if key is not None:
            await context.add_init_script(
                f"sessionStorage.setItem('newsmeta.key', {msgspec.json.encode(key).decode()})"
            )
        page = await context.new_page()
        failed: list[str] = []
        page.on(
            "response",
            lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        await page.goto(url)
        return Opened(page=page, requests=requests, outside=outside, failed=failed)

    yield opener
    for context in contexts:
        await context.close()
