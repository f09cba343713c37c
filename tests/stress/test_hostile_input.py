"""Hostile input: each gets a clear 4xx or a correct result, never a 500, a hang or a
worker that dies on it."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest

from service.api.app import create_app
from service.extraction.nlp import MAX_SENTENCE_TOKENS
from service.settings import Settings
from service.store import keys
from service.worker.runner import Worker
from tests.api.conftest import assert_problem
from tests.conftest import REPO
from tests.feed.conftest import Receiver, eventually
from tests.feed.conftest import free_port as feed_free_port
from tests.ops.conftest import NEWSMETA, cli_env
from tests.stress.conftest import served

PLAIN = {"Content-Type": "text/plain; charset=utf-8"}
NDJSON = {"Content-Type": "application/x-ndjson"}
SENTENCE = "Президент России Владимир Путин провёл переговоры в Москве с премьером Индии. "
ANSWER_WITHIN = 20.0  # seconds; generous for a loaded 2-core machine


async def timed(coro: Any) -> httpx.Response:
    """The response, failing if it took longer than ``ANSWER_WITHIN`` (a hang)."""
    started = time.monotonic()
    r: httpx.Response = await asyncio.wait_for(coro, ANSWER_WITHIN)
    assert time.monotonic() - started < ANSWER_WITHIN
    return r


def assert_clear_4xx(r: httpx.Response, *statuses: int) -> dict[str, Any]:
    assert r.status_code in statuses, f"{r.status_code}: {r.text[:500]}"
    return assert_problem(r, r.status_code)


async def process_all(worker: Worker, pool: asyncpg.Pool, timeout: float = 120) -> None:
    """Run the in-process worker until the queue is empty; fails on a hang."""

    async def drain() -> None:
        while await worker.run_once():
            pass

    await asyncio.wait_for(drain(), timeout)
    left = await pool.fetchval("SELECT count(*) FROM articles WHERE status <> 'done'")
    assert left == 0, await pool.fetch("SELECT id, status, error FROM articles")


# --- invalid UTF-8 -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/v1/articles", "/v1/extract"])
async def test_invalid_utf8_in_text_plain_is_a_400(client: httpx.AsyncClient, path: str) -> None:
    body = "Владимир Путин ".encode() + b"\xff\xfe\xc3(" + " в Москве.".encode()
    r = await timed(client.post(path, content=body, headers=PLAIN))
    assert_problem(r, 400, "UTF-8")


@pytest.mark.parametrize("path", ["/v1/articles", "/v1/extract", "/v1/articles/batch"])
async def test_invalid_utf8_inside_json_is_a_4xx(client: httpx.AsyncClient, path: str) -> None:
    item = b'{"text": "\xd0\x92\xff\xfe \xc3("}'
    body = b"[" + item + b"]" if path.endswith("batch") else item
    r = await timed(client.post(path, content=body, headers={"Content-Type": "application/json"}))
    if path.endswith("batch"):  # the array is fine; its one item is not
        assert r.status_code == 200, r.text
        (item,) = r.json()["items"]
        assert item["status"] == 400 and "UTF-8" in item["error"]["detail"], item
    else:
        assert_problem(r, 400, "UTF-8")


async def test_invalid_utf8_in_one_ndjson_line_fails_that_item_alone(
    client: httpx.AsyncClient,
) -> None:
    body = b'{"text": "\xff\xfe"}\n' + json.dumps({"text": SENTENCE}).encode() + b"\n"
    r = await timed(client.post("/v1/articles/batch", content=body, headers=NDJSON))
    assert r.status_code == 200, r.text
    first, second = r.json()["items"]
    assert first["status"] == 400 and first["error"]["status"] == 400, first
    assert second["status"] == 202, second


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud83d x"])
async def test_a_lone_surrogate_escape_in_json_is_a_4xx(
    client: httpx.AsyncClient, escape: str
) -> None:
    # Valid JSON, but no UTF-8 can encode it (nor can Postgres store it).
    body = ('{"text": "Владимир Путин ' + escape + ' в Москве."}').encode()
    for path in ("/v1/articles", "/v1/extract"):
        r = await timed(
            client.post(path, content=body, headers={"Content-Type": "application/json"})
        )
        assert_clear_4xx(r, 400, 422)


# --- sizes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/v1/articles", "/v1/extract"])
async def test_a_10_mb_body_is_a_413(client: httpx.AsyncClient, path: str) -> None:
    text = "а" * (5 * 1024 * 1024)  # 10 MiB of UTF-8
    r = await timed(client.post(path, content=text.encode(), headers=PLAIN))
    assert_problem(r, 413)
    r = await timed(client.post(path, json={"text": text}))
    assert_problem(r, 413)


async def test_a_10_mb_batch_item_is_rejected_alone(client: httpx.AsyncClient) -> None:
    big = {"text": "а" * (5 * 1024 * 1024)}
    r = await timed(client.post("/v1/articles/batch", json=[big, {"text": SENTENCE}]))
    assert r.status_code == 200, r.text
    first, second = r.json()["items"]
    assert first["status"] == 413, first
    assert second["status"] == 202, second


async def test_a_100_000_item_batch_is_refused_with_the_limit(
    client: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    items = [{"text": f"{SENTENCE} {i}"} for i in range(100_000)]
    r = await timed(client.post("/v1/articles/batch", json=items))
    assert_problem(r, 422, "1000")
    ndjson = "\n".join(json.dumps(i) for i in items).encode()
    r = await timed(client.post("/v1/articles/batch", content=ndjson, headers=NDJSON))
    assert_problem(r, 422, "1000")
    assert await pool.fetchval("SELECT count(*) FROM articles") == 0


# --- structure -------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("path", ["/v1/articles", "/v1/extract", "/v1/articles/batch"])
async def test_deeply_nested_json_is_a_4xx(
    client: httpx.AsyncClient, path: str, depth: int
) -> None:
    headers = {"Content-Type": "application/json"}
    nested = b"[" * depth + b"]" * depth
    for body in (
        nested,
        b'{"text": "x", "title": ' + nested + b"}",
        b'{"text": "x", "unknown": ' + nested + b"}",
        b'[{"text": ' + nested + b"}]",
        b"[" + nested + b"]",
    ):
        r = await timed(client.post(path, content=body, headers=headers))
        if path.endswith("batch") and r.status_code == 200:
            # An item-level problem for each malformed item is a clear answer too.
            assert all(400 <= i["status"] < 500 for i in r.json()["items"]), r.text[:500]
        else:
            assert_clear_4xx(r, 400, 413, 422)


async def test_deeply_nested_ndjson_lines_fail_alone(client: httpx.AsyncClient) -> None:
    nested = b"[" * 100_000 + b"]" * 100_000
    body = nested + b"\n" + json.dumps({"text": SENTENCE}).encode()
    r = await timed(client.post("/v1/articles/batch", content=body, headers=NDJSON))
    assert r.status_code == 200, r.text[:500]
    first, second = r.json()["items"]
    assert 400 <= first["status"] < 500 and second["status"] == 202, r.text[:500]


# --- characters ------------------------------------------------------------------------------


async def test_nul_bytes_are_a_422_everywhere(client: httpx.AsyncClient) -> None:
    r = await timed(
        client.post("/v1/articles", content=f"{SENTENCE}\x00 ещё".encode(), headers=PLAIN)
    )
    assert_problem(r, 422, "NUL")
    for field in ("text", "title", "url", "outlet", "external_id"):
        body = {"text": SENTENCE, field: "a\x00b"}
        r = await timed(client.post("/v1/articles", json=body))
        assert_problem(r, 422, field)
    r = await timed(client.post("/v1/extract", json={"text": "a\x00b Путин"}))
    assert_problem(r, 422, "NUL")
    r = await timed(client.post("/v1/articles/batch", json=[{"text": "\x00"}]))
    assert r.status_code == 200 and r.json()["items"][0]["status"] == 422, r.text


@pytest.mark.parametrize(
    "path",
    [
        "/v1/articles?outlet=a%00b",
        "/v1/articles?q=a%00b",
        "/v1/articles?cursor=a%00b",
        "/v1/entities?q=a%00b",
        "/v1/entities?cursor=%00",
        "/v1/events?cursor=%00",
        "/v1/sources?cursor=%00",
    ],
)
async def test_nul_in_a_query_parameter_is_never_a_500(
    client: httpx.AsyncClient, path: str
) -> None:
    r = await timed(client.get(path))
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert_problem(r, r.status_code)


CONTROL = "".join(chr(c) for c in range(1, 32)) + "\x7f\x85\u2028\u2029\ufeff\u200b\u202e\ufffe"


async def test_control_characters_are_stored_and_extracted(
    client: httpx.AsyncClient, worker: Worker, pool: asyncpg.Pool
) -> None:
    text = f"{CONTROL}{SENTENCE}{CONTROL}Путин\x0b\x0cзаявил\x1b[31m, что{CONTROL}.\r\n"
    r = await timed(client.post("/v1/articles", json={"text": text, "title": CONTROL}))
    assert r.status_code == 202, r.text
    article = r.json()
    raw = await timed(client.post("/v1/articles", content=("x" + text).encode(), headers=PLAIN))
    assert raw.status_code == 202, raw.text
    extracted = await timed(client.post("/v1/extract", json={"text": text}))
    assert extracted.status_code == 200, extracted.text
    await process_all(worker, pool)
    stored = (await client.get(f"/v1/articles/{article['id']}")).json()
    assert stored["text"] == text and stored["status"] == "done", stored
    entities = (await client.get(f"/v1/articles/{article['id']}/entities")).json()["items"]
    for e in entities:
        for m in e["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"], m


async def test_a_control_character_only_text_is_a_422(client: httpx.AsyncClient) -> None:
    r = await timed(client.post("/v1/articles", json={"text": " \t\r\n\x0b\x0c\u2028 "}))
    assert_problem(r, 422)


# --- a long line -----------------------------------------------------------------------------


async def test_a_1_mb_single_line_text_is_accepted_without_blocking_the_api(
    client: httpx.AsyncClient,
) -> None:
    text = (SENTENCE.rstrip(". ") + " ") * (1024 * 1024 // len(SENTENCE.encode()))
    assert "\n" not in text and len(text.encode()) > 1_000_000
    r = await timed(client.post("/v1/articles", content=text.encode(), headers=PLAIN))
    assert r.status_code == 202, r.text[:500]
    article = r.json()
    assert article["length"] == len(text), article
    stored = (await timed(client.get(f"/v1/articles/{article['id']}"))).json()
    assert stored["text"] == text
    again = await timed(client.post("/v1/articles", json={"text": text}))
    assert again.status_code == 200 and again.json()["id"] == article["id"]


async def test_a_long_line_without_punctuation_is_extracted_in_bounded_memory(
    client: httpx.AsyncClient, worker: Worker, pool: asyncpg.Pool
) -> None:
    """One "sentence" far beyond what the syntax parser scores in one piece (its memory
    grows with the square of the length): the worker finishes it and its spans hold."""
    words = SENTENCE.replace(".", "").split()
    n = MAX_SENTENCE_TOKENS * 8
    text = " ".join(words[i % len(words)] for i in range(n))
    r = await timed(client.post("/v1/articles", content=text.encode(), headers=PLAIN))
    assert r.status_code == 202, r.text
    await process_all(worker, pool)
    entities = (await client.get(f"/v1/articles/{r.json()['id']}/entities")).json()["items"]
    assert any(e["name"] == "Владимир Путин" for e in entities), entities
    for e in entities:
        for m in e["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"], m


# --- POST /v1/extract: its own processes, a bound in time and in number ------------------

HOSTILE_QUOTES = '"' * 40_000  # costs seconds of CPU to extract: a slow request


def _app_with(settings: Settings, database_url: str, pool: asyncpg.Pool, **changes: Any) -> Any:
    return create_app(msgspec.structs.replace(settings, **changes), database_url, pool=pool)


def _asgi(app: Any, key: str | None = None, host: str = "127.0.0.1") -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(host, 5000)),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {key}"} if key else {},
        timeout=300,
    )


async def test_a_slow_extraction_blocks_nobody_and_a_second_one_is_told_to_retry(
    settings: Settings, database_url: str, pool: asyncpg.Pool, admin_key: str
) -> None:
    app = _app_with(
        settings, database_url, pool, api_extract_concurrency=1, api_extract_timeout_seconds=600
    )
    async with _asgi(app, admin_key) as c:
        slow = asyncio.create_task(
            c.post("/v1/extract", content=HOSTILE_QUOTES[:20_000].encode(), headers=PLAIN)
        )
        await asyncio.sleep(0.5)  # the slow one holds the only extraction slot now
        health = await timed(c.get("/health/live"))
        assert health.status_code == 200
        listed = await timed(c.get("/v1/articles"))
        assert listed.status_code == 200
        busy = await timed(c.post("/v1/extract", content=SENTENCE.encode(), headers=PLAIN))
        assert not slow.done(), "the slow extraction finished before the others answered"
        assert_problem(busy, 503, "busy")
        assert 1 <= int(busy.headers["retry-after"]) <= 60
        first = await slow
        assert first.status_code == 200, first.text[:500]
        again = await timed(c.post("/v1/extract", content=SENTENCE.encode(), headers=PLAIN))
        assert again.status_code == 200, again.text[:500]


async def test_an_extraction_past_its_time_is_stopped_and_the_next_one_runs(
    settings: Settings, database_url: str, pool: asyncpg.Pool, admin_key: str
) -> None:
    app = _app_with(settings, database_url, pool, api_extract_timeout_seconds=1.0)
    async with _asgi(app, admin_key) as c:
        r = await c.post("/v1/extract", content=HOSTILE_QUOTES.encode(), headers=PLAIN)
        assert_problem(r, 422, "NEWSMETA_API_EXTRACT_TIMEOUT")
    # The same extraction processes (a replacement for the one stopped), a usual time limit.
    async with _asgi(create_app(settings, database_url, pool=pool), admin_key) as c:
        r = await c.post("/v1/extract", content=SENTENCE.encode(), headers=PLAIN)
        assert r.status_code == 200, r.text[:500]
        assert any(e["name"] == "Владимир Путин" for e in r.json()["entities"]), r.text


@pytest.mark.parametrize(
    "text", ["Он сказал: «Да", "Он сказал: «Да\n", 'Иванов заявил: "Нет', "Он сказал: «Да!"]
)
async def test_an_unclosed_quote_at_the_end_extracts_and_stores(
    client: httpx.AsyncClient, worker: Worker, pool: asyncpg.Pool, text: str
) -> None:
    r = await timed(client.post("/v1/extract", content=text.encode(), headers=PLAIN))
    assert r.status_code == 200, r.text[:500]
    r = await timed(client.post("/v1/articles", content=text.encode(), headers=PLAIN))
    assert r.status_code == 202, r.text
    await process_all(worker, pool)


# --- rate limits cannot be dodged ----------------------------------------------------------


async def test_made_up_keys_share_the_budget_of_their_client_address(
    settings: Settings, database_url: str, pool: asyncpg.Pool, admin_key: str
) -> None:
    app = _app_with(settings, database_url, pool, rate_limit=3)
    statuses = []
    for i in range(6):
        async with _asgi(app, f"nm_made_up_key_number_{i:04d}_xxxxxxxxxxxxxxxxxxxx") as c:
            statuses.append((await c.get("/v1/articles")).status_code)
    assert statuses == [401, 401, 401, 429, 429, 429]
    async with _asgi(app) as c:  # no key at all: the same address, the same budget
        assert (await c.get("/v1/articles")).status_code == 429
    async with _asgi(app, admin_key, host="10.0.0.9") as c:  # a real key elsewhere: fine
        assert [(await c.get("/v1/articles")).status_code for _ in range(3)] == [200] * 3
        assert (await c.get("/v1/articles")).status_code == 429  # then its own bucket is empty
    async with _asgi(app, admin_key, host="10.0.0.10") as c:
        assert (await c.get("/v1/articles")).status_code == 429  # per key, not per address


async def test_with_auth_off_a_key_header_buys_no_fresh_budget(
    settings: Settings, database_url: str, pool: asyncpg.Pool
) -> None:
    app = _app_with(settings, database_url, pool, rate_limit=2, auth="off")
    statuses = []
    for i in range(3):
        async with _asgi(app) as c:
            r = await c.get("/v1/articles", headers={"X-API-Key": f"random-{i}"})
            statuses.append(r.status_code)
    assert statuses == [200, 200, 429]


def test_forwarded_addresses_count_only_from_trusted_proxies(
    database_url: str, own_tmp: Path
) -> None:
    env = {"NEWSMETA_RATE_LIMIT": "2", "NEWSMETA_AUTH": "off"}
    with served(database_url, own_tmp / "untrusted.log", workers=0, env=env) as (base, _):
        statuses = [
            httpx.get(f"{base}/v1/articles", headers={"X-Forwarded-For": f"203.0.113.{i}"})
            for i in range(3)
        ]
        assert [r.status_code for r in statuses] == [200, 200, 429]
    env["NEWSMETA_TRUSTED_PROXIES"] = "127.0.0.1"
    with served(database_url, own_tmp / "trusted.log", workers=0, env=env) as (base, _):
        statuses = [
            httpx.get(f"{base}/v1/articles", headers={"X-Forwarded-For": f"203.0.113.{i}"})
            for i in range(3)
        ]
        assert [r.status_code for r in statuses] == [200, 200, 200]


# --- webhook URLs: no secrets shown, no private targets -------------------------------------


async def test_webhook_url_credentials_and_query_are_never_shown_or_logged(
    settings: Settings,
    database_url: str,
    pool: asyncpg.Pool,
    admin_key: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    local = msgspec.structs.replace(settings, webhook_allow_private="on")
    receiver = Receiver(feed_free_port())
    await receiver.start()
    try:
        url = f"http://desk:s3cr3t-pass@127.0.0.1:{receiver.port}/hook?token=t0k3n-value"
        async with _asgi(create_app(local, database_url, pool=pool), admin_key) as c:
            created = await c.post("/v1/webhooks", json={"url": url})
            assert created.status_code == 201, created.text
            hook = created.json()
            assert hook["url"] == f"http://***@127.0.0.1:{receiver.port}/hook?***"
            r = await c.post("/v1/articles", content=SENTENCE.encode(), headers=PLAIN)
            assert r.status_code == 202
            worker = Worker(pool, local)
            assert await worker.run_once()
            # The feed shows a change once no older transaction on the server is open.
            await eventually(worker.deliveries.run_once, timeout=120, what="a delivery")
            shown = [
                created.text,
                (await c.get("/v1/webhooks")).text,
                (await c.get(f"/v1/webhooks/{hook['id']}")).text,
                (await c.get(f"/v1/webhooks/{hook['id']}/deliveries")).text,
            ]
        (request,) = receiver.requests  # the real URL was used
        assert request.path == "/hook?token=t0k3n-value"
        assert request.headers["authorization"].startswith("Basic ")
        out, err = capsys.readouterr()
        for text in [*shown, caplog.text, out, err]:
            assert "s3cr3t" not in text and "t0k3n" not in text, text
    finally:
        await receiver.stop()
        await pool.execute("TRUNCATE webhooks CASCADE")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.1/", "private"),
        ("http://192.168.0.1:8080/hook", "private"),
        ("http://2130706433/", "loopback"),
        ("http://0x7f000001/", "loopback"),
        ("http://127.1/", "loopback"),
        ("http://localhost:8000/", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.0.1/", "reserved"),
    ],
)
async def test_webhooks_to_private_targets_are_refused(
    client: httpx.AsyncClient, url: str, kind: str
) -> None:
    r = await timed(client.post("/v1/webhooks", json={"url": url}))
    problem = assert_problem(r, 422, "url", kind, "NEWSMETA_WEBHOOK_ALLOW_PRIVATE")
    assert problem["errors"][0]["field"] == "url"


@pytest.mark.parametrize("url", ["http://[::ffff:169.254.169.254]/", "http://[::1]/"])
async def test_webhooks_to_ipv6_literals_are_refused(client: httpx.AsyncClient, url: str) -> None:
    """The documented URL pattern takes host names and IPv4 addresses only."""
    r = await timed(client.post("/v1/webhooks", json={"url": url}))
    problem = assert_problem(r, 422, "url")
    assert problem["errors"][0]["field"] == "url"


async def test_webhooks_to_public_addresses_and_allowed_private_ones_are_registered(
    client: httpx.AsyncClient, settings: Settings, database_url: str, pool: asyncpg.Pool
) -> None:
    r = await timed(client.post("/v1/webhooks", json={"url": "https://93.184.215.14/hook"}))
    assert r.status_code == 201, r.text
    local = msgspec.structs.replace(settings, webhook_allow_private="on")
    async with _asgi(create_app(local, database_url, pool=pool)) as c:
        c.headers.update(client.headers)
        r = await timed(c.post("/v1/webhooks", json={"url": "http://10.0.0.1/hook"}))
        assert r.status_code == 201, r.text
    await pool.execute("TRUNCATE webhooks CASCADE")


async def test_a_delivery_to_a_private_address_is_refused_when_it_connects(
    settings: Settings, database_url: str, pool: asyncpg.Pool, admin_key: str
) -> None:
    """Registered while allowed (or when the name still pointed elsewhere): the delivery
    checks the address it connects to again, and never reaches the receiver."""
    local = msgspec.structs.replace(settings, webhook_allow_private="on")
    receiver = Receiver(feed_free_port())
    await receiver.start()
    try:
        async with _asgi(create_app(local, database_url, pool=pool), admin_key) as c:
            url = f"http://localhost:{receiver.port}/hook"
            hook = (await c.post("/v1/webhooks", json={"url": url})).json()
            r = await c.post("/v1/articles", content=SENTENCE.encode(), headers=PLAIN)
            assert r.status_code == 202
            worker = Worker(pool, settings)  # private targets not allowed
            assert await worker.run_once()
            # The feed shows a change once no older transaction on the server is open.
            await eventually(worker.deliveries.run_once, timeout=120, what="a delivery")
            (delivery,) = (await c.get(f"/v1/webhooks/{hook['id']}/deliveries")).json()["items"]
        assert receiver.requests == []
        assert delivery["last_status_code"] is None
        assert "loopback" in delivery["last_error"], delivery
    finally:
        await receiver.stop()
        await pool.execute("TRUNCATE webhooks CASCADE")


# --- one JSON policy for every body ---------------------------------------------------------

DEEP = b"[" * 50_000 + b"]" * 50_000
ENTITY_ID = "00000000-0000-4000-8000-0000000000a1"


@pytest.mark.parametrize(
    "path",
    ["/v1/webhooks", "/v1/admin/entities/merge", f"/v1/admin/entities/{ENTITY_ID}/split"],
)
@pytest.mark.parametrize(
    "body", [DEEP, b'{"url": "https://93.184.215.14/", "description": ' + DEEP + b"}"]
)
async def test_deeply_nested_json_to_any_endpoint_is_a_400(
    client: httpx.AsyncClient, path: str, body: bytes
) -> None:
    r = await timed(client.post(path, content=body, headers={"Content-Type": "application/json"}))
    assert_problem(r, 400, "nested too deeply")


@pytest.mark.parametrize("field", ["description", "secret"])
async def test_nul_in_a_webhook_field_is_a_422_naming_it(
    client: httpx.AsyncClient, field: str
) -> None:
    body = {"url": "https://93.184.215.14/hook", field: "sixteen chars or more\x00 here"}
    r = await timed(client.post("/v1/webhooks", json=body))
    problem = assert_problem(r, 422, field, "NUL")
    assert problem["errors"][0]["field"] == field


async def test_nul_in_an_admin_body_is_a_422(client: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    await pool.execute(
        "INSERT INTO entities (id, type, key, name) VALUES ($1, 'PER', 'тест', 'Тест')", ENTITY_ID
    )
    r = await timed(client.post(f"/v1/admin/entities/{ENTITY_ID}/split", json={"names": ["a\x00"]}))
    assert_problem(r, 422, "names.0", "NUL")


async def test_text_to_a_json_endpoint_is_a_415(client: httpx.AsyncClient) -> None:
    for path in ("/v1/webhooks", "/v1/admin/entities/merge"):
        r = await timed(client.post(path, content=b'{"url": "x"}', headers=PLAIN))
        assert_problem(r, 415, "application/json")


# --- batches: refused cheaply, items fail alone ---------------------------------------------


def _peak_rss(pid: int) -> int:
    """VmHWM: the most resident memory the process ever had, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def test_a_60_mib_batch_of_zeros_is_refused_without_decoding_it(
    database_url: str, own_tmp: Path
) -> None:
    body = b"[" + b"0," * (30 * 1024 * 1024 - 1) + b"0]"
    assert 60 * 1024 * 1024 <= len(body) < 64 * 1024 * 1024
    env = {"NEWSMETA_AUTH": "off"}
    with served(database_url, own_tmp / "batch.log", workers=0, env=env) as (base, proc):
        before = _peak_rss(proc.pid)
        r = httpx.post(
            f"{base}/v1/articles/batch",
            content=body,
            headers={"Content-Type": "application/json"},
            timeout=120,
        )
        assert_problem(r, 422, "1000")
        grown = _peak_rss(proc.pid) - before
        assert grown < 300 * 1024 * 1024, f"peak RSS grew by {grown / 2**20:.0f} MiB"


async def test_one_too_deep_item_fails_alone(client: httpx.AsyncClient) -> None:
    deep = b'{"text": "x", "extra": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    body = b"[" + json.dumps({"text": SENTENCE}).encode() + b", " + deep + b"]"
    r = await timed(
        client.post(
            "/v1/articles/batch", content=body, headers={"Content-Type": "application/json"}
        )
    )
    assert r.status_code == 200, r.text[:500]
    first, second = r.json()["items"]
    assert first["status"] == 202, first
    assert 400 <= second["status"] < 500 and second["error"]["status"] == second["status"], second


# --- smaller points -------------------------------------------------------------------------


def test_revoking_a_malformed_key_id_says_so_in_one_line(database_url: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [*NEWSMETA, "keys", "revoke", "not-a-uuid"],
        cwd=REPO,
        env=cli_env(database_url, tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0 and "not-a-uuid" in done.stderr, done.stderr


async def test_a_key_records_when_it_was_last_used_at_most_once_a_minute(
    anonymous: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    key, secret = await keys.create(pool, "read")
    assert key.last_used_at is None
    headers = {"Authorization": f"Bearer {secret}"}
    assert (await anonymous.get("/v1/articles", headers=headers)).status_code == 200
    first = await pool.fetchval("SELECT last_used_at FROM api_keys WHERE id = $1", key.id)
    assert first is not None
    assert (await anonymous.get("/v1/articles", headers=headers)).status_code == 200
    second = await pool.fetchval("SELECT last_used_at FROM api_keys WHERE id = $1", key.id)
    assert second == first


async def test_merging_an_id_merged_before_resolves_it(
    client: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    a, b, c = (f"00000000-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))
    for eid, name in ((a, "Первый"), (b, "Второй"), (c, "Третий")):
        await pool.execute(
            "INSERT INTO entities (id, type, key, name) VALUES ($1, 'PER', $2, $2)", eid, name
        )
        await pool.execute(
            "INSERT INTO entity_aliases (type, key, entity_id, name) VALUES ('PER', $2, $1, $2)",
            eid,
            name,
        )
    merge = "/v1/admin/entities/merge"
    r = await client.post(merge, json={"from_ids": [a], "into_id": b})
    assert r.status_code == 200, r.text
    r = await client.post(merge, json={"from_ids": [a], "into_id": b})  # again: nothing to do
    assert r.status_code == 200 and r.json()["id"] == b, r.text
    r = await client.post(merge, json={"from_ids": [c], "into_id": a})  # a lives in b now
    assert r.status_code == 200 and r.json()["id"] == b, r.text
    assert (await client.get(f"/v1/entities/{c}")).json()["id"] == b


@pytest.mark.parametrize("path", ["/v1/articles?q=%00", "/v1/entities?q=a%00b"])
async def test_nul_in_a_search_is_a_400_not_an_unfiltered_list(
    client: httpx.AsyncClient, path: str
) -> None:
    assert_problem(await timed(client.get(path)), 400, "NUL")
