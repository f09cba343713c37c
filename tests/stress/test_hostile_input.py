"""Hostile input: each gets a clear 4xx or a correct result, never a 500, a hang or a
worker that dies on it."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import asyncpg
import httpx
import pytest

from service.extraction.nlp import MAX_SENTENCE_TOKENS
from service.worker.runner import Worker
from tests.api.conftest import assert_problem

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
