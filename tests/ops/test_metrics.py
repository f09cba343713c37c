"""``GET /metrics`` over the real app, and request ids; a worker in this process."""

from __future__ import annotations

import re

import asyncpg
import httpx
from litestar import Litestar

from service.api.observability import request_id_from
from service.logs import redact_keys
from service.worker.runner import Worker
from tests.conftest import devset_texts


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus text format (labels must all match)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.partition(" ")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


async def test_metrics_cover_requests_queue_pool_and_workers(
    client: httpx.AsyncClient, app: Litestar, worker: Worker, pool: asyncpg.Pool
) -> None:
    texts = devset_texts(3)
    for text in texts:
        assert (await client.post("/v1/articles", json={"text": text})).status_code == 202
    assert (await client.get("/v1/articles/00000000-0000-0000-0000-000000000000")).status_code
    before = (await client.get("/metrics")).text
    processed_before = sample(before, "newsmeta_worker_articles_total", outcome="processed") or 0.0
    extractions_before = sample(before, "newsmeta_extraction_duration_seconds_count") or 0.0

    assert await worker.run_once()
    # Queue depth is cached for a second; a fresh controller state reads it anew.
    app.state.pop("queue_depth", None)

    r = await client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    m = r.text
    # Requests by route template and status, with a latency histogram.
    assert (
        sample(m, "newsmeta_requests_total", method="POST", path="/v1/articles", status_code="202")
        or 0
    ) >= 3
    # Paths are route templates, not one series per article id.
    assert 'path="/v1/articles/{article_id}",status_code="404"' in m
    assert "00000000-0000" not in m
    assert (
        sample(
            m,
            "newsmeta_request_duration_seconds_bucket",
            path="/v1/articles",
            status_code="202",
            le="+Inf",
        )
        or 0
    ) >= 3
    # Queue depth by status, from the database.
    assert sample(m, "newsmeta_queue_articles", status="queued") == 2
    assert sample(m, "newsmeta_queue_articles", status="done") == 1
    assert sample(m, "newsmeta_queue_articles", status="failed") == 0
    assert sample(m, "newsmeta_queue_articles", status="processing") == 0
    # The pool.
    size = sample(m, "newsmeta_db_pool_size")
    idle = sample(m, "newsmeta_db_pool_idle")
    assert size is not None and idle is not None and 0 <= idle <= size
    assert sample(m, "newsmeta_db_pool_in_use") == size - idle
    assert sample(m, "newsmeta_db_pool_max") == pool.get_max_size()
    # The worker: one article processed and timed.
    assert sample(m, "newsmeta_worker_articles_total", outcome="processed") == processed_before + 1
    assert sample(m, "newsmeta_extraction_duration_seconds_count") == extractions_before + 1


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/articles", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    made = (await client.get("/v1/articles")).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    # Unknown paths (no route) and errors get one too; odd ids are replaced, not echoed.
    r = await client.get("/nowhere", headers={"X-Request-ID": "bad id\twith spaces"})
    assert r.status_code == 404
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])
    assert request_id_from("x" * 129) != "x" * 129


def test_keys_are_masked_in_any_log_field() -> None:
    key = "nm_" + "A1b2C3d4" * 5 + "xyz"
    event = redact_keys(
        None, "info", {"event": f"Authorization: Bearer {key}", "exception": f"... {key} ..."}
    )
    assert key not in str(event)
    assert "nm_A1b2…" in event["event"]
