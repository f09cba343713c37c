from __future__ import annotations

import httpx

from service.worker.runner import Worker
from tests.conftest import drain


async def test_seed_round_trip(client: httpx.AsyncClient, worker: Worker, seed_text: str) -> None:
    r = await client.post("/v1/articles", content=seed_text.encode(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 202, r.text
    assert await drain(worker) == 1
    art = (await client.get(r.headers["location"])).json()
    assert art["status"] == "done"
