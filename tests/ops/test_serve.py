"""The real ``newsmeta serve`` with a worker process: metrics from every process on the API's
``/metrics`` (multiprocess mode), and JSON log lines with request and article ids that never
contain a key or an article text."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import asyncpg
import httpx

from service.store import keys
from tests.conftest import devset_texts
from tests.ops.conftest import Server
from tests.ops.test_metrics import sample


async def test_serve_metrics_and_logs(
    database_url: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    _, secret = await keys.create(pool, "write", "serve-test")
    text = devset_texts(1)[0]
    marker = "Редкая фраза для проверки журнала: 7f3a9c."
    text = f"{text}\n{marker}"
    server = Server(database_url, tmp_path, workers=1)
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as c:
            c.headers["Authorization"] = f"Bearer {secret}"
            r = await c.post(
                "/v1/articles", json={"text": text}, headers={"X-Request-ID": "req-serve-1"}
            )
            assert r.status_code == 202, r.text
            assert r.headers["x-request-id"] == "req-serve-1"
            article_id = r.json()["id"]
            # A failing call with the key in another header must not leak it either.
            assert (await c.get("/v1/nowhere", headers={"X-API-Key": secret})).status_code == 404
            deadline = time.monotonic() + 120
            while (await c.get(f"/v1/articles/{article_id}")).json()["status"] != "done":
                assert time.monotonic() < deadline, server.log()
                await asyncio.sleep(0.3)
            m = (await c.get("/metrics")).text
        # The worker's counters and histogram reach the API's /metrics (another process).
        processed = [
            line
            for line in m.splitlines()
            if line.startswith("newsmeta_worker_articles_total{") and 'outcome="processed"' in line
        ]
        assert processed, m
        worker_pid = processed[0].split('worker="')[1].split('"')[0]
        assert worker_pid != str(server.proc.pid)
        assert (sample(m, "newsmeta_extraction_duration_seconds_count") or 0) >= 1
        assert (sample(m, "newsmeta_requests_total", path="/v1/articles", status_code="202")) == 1
        assert sample(m, "newsmeta_queue_articles", status="done") == 1
        assert sample(m, "newsmeta_db_pool_size") is not None
    finally:
        server.stop()

    log = server.log()
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert lines, log
    request_lines = [x for x in lines if x.get("request_id") == "req-serve-1"]
    assert any(x["event"] == "request" and x["status"] == 202 for x in request_lines), lines
    worker_lines = [x for x in lines if x.get("article_id") == article_id]
    assert any(x["event"] == "article processed" for x in worker_lines), lines
    # Neither the key nor the article text, nor a piece of either, is ever logged.
    assert secret not in log
    assert secret[3:20] not in log
    assert marker not in log
    assert text[:60] not in log
    # The metrics directory of the server is removed when it stops.
    assert not any((tmp_path / "metrics").glob("*/*.db"))
