"""Registry-aided recognition: names the corpus already knows are found again in new articles
where the tagger misses them, through the real API, worker and registry."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import httpx
import msgspec
import pytest

from service.api.app import create_app
from service.settings import Settings
from service.worker.runner import Worker
from tests.conftest import _client
from tests.corpus.conftest import TEXT_PLAIN, find, get_all, ingest, one

# The tagger finds no person in this short wire item: a bare surname opens the text.
PUTIN_WIRE = (
    "date 2025-09-05 Путин заявил журналистам, что переговоры в Пекине прошли успешно. "
    "Песков сообщил, что Кремль доволен итогами саммита ШОС. (ria.ru)"
)
SHOIGU_MOSCOW = "date 2025-09-01 Министр обороны России Шойгу провел совещание в Москве. (ria.ru)"
SHOIGU_QUOTE = "date 2025-09-02 По словам Шойгу, армия готова. (tass.ru)"
SHOIGU_MINSK = "date 2025-09-03 Шойгу прибыл в Минск. (ria.ru)"


@pytest.fixture
def eager(settings: Settings) -> Settings:
    """The gazetteer rebuilt before every extraction (the default waits 30 s)."""
    return msgspec.structs.replace(settings, gazetteer_refresh_seconds=0)


@pytest.fixture
def known_worker(pool: asyncpg.Pool, eager: Settings) -> Worker:
    return Worker(pool, eager)


@pytest.fixture
async def known_client(
    eager: Settings, database_url: str, pool: asyncpg.Pool, admin_key: str
) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(create_app(eager, database_url, pool=pool)) as c:
        c.headers["Authorization"] = f"Bearer {admin_key}"
        yield c


async def test_a_bare_surname_the_corpus_knows_links_to_the_known_person(
    known_client: httpx.AsyncClient, known_worker: Worker, seed_text: str
) -> None:
    seed_id, wire_id = await ingest(known_client, known_worker, seed_text, PUTIN_WIRE)
    putin = await one(known_client, "путин", "PER")
    assert putin["name"] == "Владимир Путин"
    assert putin["article_count"] == 2
    articles = await get_all(known_client, f"/v1/entities/{putin['id']}/articles")
    assert {a["id"] for a in articles} == {seed_id, wire_id}
    entities = (await known_client.get(f"/v1/articles/{wire_id}/entities")).json()["items"]
    mine = [e for e in entities if e.get("id") == putin["id"]]
    assert len(mine) == 1 and mine[0]["mentions"][0]["text"] == "Путин"
    sources = (await known_client.get(f"/v1/articles/{wire_id}/sources")).json()
    speakers = {s["speaker"]["name"]: s["speaker"]["entity_id"] for s in sources["items"]}
    assert any(eid == putin["id"] for eid in speakers.values()), speakers


async def test_a_name_seen_in_one_article_only_is_not_recognised_on_its_own(
    known_client: httpx.AsyncClient, known_worker: Worker
) -> None:
    await ingest(known_client, known_worker, SHOIGU_MOSCOW, SHOIGU_MINSK)
    shoigu = await one(known_client, "шойгу", "PER")
    assert shoigu["article_count"] == 1  # a bare surname from one article is not enough


async def test_a_name_becomes_recognisable_once_seen_in_a_second_article_without_restart(
    known_client: httpx.AsyncClient, known_worker: Worker
) -> None:
    await ingest(known_client, known_worker, SHOIGU_MOSCOW, SHOIGU_QUOTE)
    assert (await one(known_client, "шойгу", "PER"))["article_count"] == 2
    (minsk_id,) = await ingest(known_client, known_worker, SHOIGU_MINSK)
    shoigu = await one(known_client, "шойгу", "PER")
    assert shoigu["article_count"] == 3
    articles = await get_all(known_client, f"/v1/entities/{shoigu['id']}/articles")
    assert minsk_id in {a["id"] for a in articles}


async def test_extract_endpoint_uses_the_same_known_names(
    known_client: httpx.AsyncClient, known_worker: Worker
) -> None:
    r = await known_client.post("/v1/extract", content=SHOIGU_MINSK.encode(), headers=TEXT_PLAIN)
    assert r.status_code == 200, r.text
    assert not [e for e in r.json()["entities"] if e["type"] == "PER"]
    await ingest(known_client, known_worker, SHOIGU_MOSCOW, SHOIGU_QUOTE)
    r = await known_client.post("/v1/extract", content=SHOIGU_MINSK.encode(), headers=TEXT_PLAIN)
    persons = [e for e in r.json()["entities"] if e["type"] == "PER"]
    assert [p["name"] for p in persons] == ["Шойгу"]


async def test_a_common_word_is_never_recognised_on_its_own(
    known_client: httpx.AsyncClient, known_worker: Worker
) -> None:
    # "Мир" (a town, in two articles) must not turn the common word into an entity
    await ingest(
        known_client,
        known_worker,
        "date 2025-09-01 Жители города Мир в Белоруссии встретили гостей. (ria.ru)",
        "date 2025-09-02 Жители города Мир в Белоруссии провели праздник. (ria.ru)",
    )
    assert (await one(known_client, "мир", "LOC"))["article_count"] == 2
    (later,) = await ingest(
        known_client, known_worker, "date 2025-09-03 Мир изменился, заявил эксперт. (ria.ru)"
    )
    entities = (await known_client.get(f"/v1/articles/{later}/entities")).json()["items"]
    assert not [e for e in entities if e["name"] == "Мир"]
    assert await find(known_client, "мир", "PER") == []


async def test_a_name_an_admin_merged_is_recognised_without_restart(
    known_client: httpx.AsyncClient, known_worker: Worker
) -> None:
    # One article spells the surname two ways: two entries, one article each.
    await ingest(
        known_client,
        known_worker,
        "date 2025-09-01 Министр обороны России Шойгу провел совещание в Москве. "
        "По словам Шайгу, армия готова. (ria.ru)",
    )
    right = await one(known_client, "шойгу", "PER")
    typo = await one(known_client, "шайгу", "PER")
    (before,) = await ingest(known_client, known_worker, SHOIGU_MINSK)
    assert (await one(known_client, "шойгу", "PER"))["article_count"] == 1  # not recognised
    r = await known_client.post(
        "/v1/admin/entities/merge", json={"from_ids": [typo["id"]], "into_id": right["id"]}
    )
    assert r.status_code == 200, r.text
    assert r.json()["article_count"] == 1  # confirmed by an admin, still one article
    (after,) = await ingest(
        known_client, known_worker, SHOIGU_MINSK.replace("2025-09-03", "2025-09-04")
    )
    articles = await get_all(known_client, f"/v1/entities/{right['id']}/articles")
    assert after in {a["id"] for a in articles} and before not in {a["id"] for a in articles}
