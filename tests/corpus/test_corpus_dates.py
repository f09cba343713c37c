"""The corpus keeps the articles' time, not the clock's: an imported archive ranks and dates
its entities as of when it was published."""

from __future__ import annotations

import datetime as dt

import httpx

from service.worker.runner import Worker
from tests.conftest import drain
from tests.corpus.conftest import (
    MFA_LONG,
    MFA_SHORT,
    PESKOV_BAKU,
    PESKOV_SCO,
    get_all,
    ingest,
    one,
)

MIDNIGHT = "T00:00:00Z"


def _instant(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


async def test_without_dates_sources_rank_the_last_30_days_of_the_corpus(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    # An archive from 2025, imported long after (the clock says otherwise).
    await ingest(client, worker, MFA_SHORT, PESKOV_BAKU, PESKOV_SCO)

    speakers = await get_all(client, "/v1/sources")
    # 2025-08-06 .. 2025-09-05: Песков's September statements, not Захарова's in June
    assert (speakers[0]["name"], speakers[0]["statement_count"]) == ("Дмитрий Песков", 4)
    assert "Мария Захарова" not in {s["name"] for s in speakers}
    outlets = await get_all(client, "/v1/sources", kind="outlets")
    assert {(o["name"], o["article_count"]) for o in outlets} == {("ria.ru", 1), ("tass.ru", 1)}
    # date_to alone: the 30 days up to it; date_from alone: from then on
    june = await get_all(client, "/v1/sources", date_to="2025-06-30")
    assert "Мария Захарова" in {s["name"] for s in june}
    assert "Дмитрий Песков" not in {s["name"] for s in june}
    since = await get_all(client, "/v1/sources", date_from="2025-06-01")
    assert {"Мария Захарова", "Дмитрий Песков"} <= {s["name"] for s in since}


async def test_registry_dates_are_the_earliest_and_latest_article_dates(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    baku, sco = await ingest(client, worker, PESKOV_BAKU, PESKOV_SCO)

    peskov = await one(client, "песков", "PER")
    assert (peskov["first_seen"], peskov["last_seen"]) == (
        "2025-09-03" + MIDNIGHT,
        "2025-09-05" + MIDNIGHT,
    )
    detail = (await client.get(f"/v1/entities/{peskov['id']}")).json()
    assert detail["first_seen"] == peskov["first_seen"]

    # reprocessing changes nothing; deleting the later article moves last_seen back
    assert (await client.post(f"/v1/articles/{baku}/reprocess")).status_code == 202
    assert await drain(worker) == 1
    again = await one(client, "песков", "PER")
    assert (again["first_seen"], again["last_seen"]) == (peskov["first_seen"], peskov["last_seen"])
    assert (await client.delete(f"/v1/articles/{sco}")).status_code == 204
    after = await one(client, "песков", "PER")
    assert after["last_seen"] == "2025-09-03" + MIDNIGHT and after["article_count"] == 1


async def test_an_article_without_a_date_counts_from_when_it_arrived(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    (dated,) = await ingest(client, worker, MFA_SHORT)
    undated = MFA_LONG.removeprefix("date 2025-06-25 ")
    r = await client.post("/v1/articles", json={"text": undated})
    assert r.status_code == 202 and r.json()["published_at"] is None
    arrived = _instant(r.json()["created_at"])
    assert await drain(worker) == 1

    zakharova = await one(client, "захарова", "PER")
    assert zakharova["article_count"] == 2
    assert zakharova["first_seen"] == "2025-06-20" + MIDNIGHT
    assert _instant(zakharova["last_seen"]) == arrived
    assert (await client.get(f"/v1/articles/{dated}")).status_code == 200
