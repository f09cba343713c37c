"""Resolution across articles: one person, two people sharing a surname, an abbreviation and
its expansion, places; search; manual merge and split surviving reprocessing."""

from __future__ import annotations

import httpx

from service.worker.runner import Worker
from tests.conftest import drain
from tests.corpus.conftest import (
    MFA_LONG,
    MFA_SHORT,
    ODESA,
    PESKOV_BAKU,
    PESKOV_SCO,
    SCO_EXPANDED,
    find,
    get_all,
    ingest,
    one,
)


async def test_same_person_under_full_name_and_surname(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    await ingest(client, worker, PESKOV_SCO, PESKOV_BAKU)  # surname first, full name later
    peskov = await one(client, "пес", "PER")
    assert peskov["name"] == "Дмитрий Песков"  # the fuller name replaces the surname
    assert set(peskov["aliases"]) >= {"Песков", "Дмитрий Песков"}
    assert peskov["article_count"] == 2
    assert peskov["first_seen"] <= peskov["last_seen"]
    putin = await one(client, "путин", "PER")
    assert putin["name"] == "Владимир Путин" and putin["article_count"] == 2


async def test_two_people_sharing_a_surname_stay_apart(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    await ingest(client, worker, PESKOV_BAKU, SCO_EXPANDED)
    aliyevs = await find(client, "алиев", "PER")
    assert sorted(e["name"] for e in aliyevs) == ["Гейдар Алиев", "Ильхам Алиев"]
    assert all(e["article_count"] == 1 for e in aliyevs)


async def test_abbreviation_and_expansion_are_one_organisation(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    await ingest(client, worker, PESKOV_SCO, SCO_EXPANDED)
    sco = await one(client, "шос", "ORG")
    assert sco["name"] == "Шанхайская организация сотрудничества"
    assert set(sco["aliases"]) >= {"ШОС", "Шанхайская организация сотрудничества"}
    assert sco["article_count"] == 2
    assert (await one(client, "сотрудничества", "ORG"))["id"] == sco["id"]


async def test_places_city_region_and_country_variants(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    await ingest(client, worker, PESKOV_BAKU, MFA_SHORT, ODESA, MFA_LONG)
    baku = await one(client, "баку", "LOC")
    assert baku["article_count"] == 2 and baku["geo"]["geonameid"] == 587084
    # the city and the region named after it are two entries
    odesa = await find(client, "одес", "LOC")
    assert sorted(e["name"] for e in odesa) == ["Одесса", "Одесская область"]
    city = next(e for e in odesa if e["name"] == "Одесса")
    region = next(e for e in odesa if e["name"] == "Одесская область")
    assert city["geo"]["geonameid"] == 698740 and region["article_count"] == 2
    # "Россия" and "Российская Федерация" are one place (same GeoNames id)
    russia = await one(client, "росси", "LOC")
    assert set(russia["aliases"]) >= {"Россия", "Российская Федерация"}
    assert russia["article_count"] == 2


async def test_search_ranks_by_article_count_and_pages(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    await ingest(client, worker, PESKOV_BAKU, PESKOV_SCO, SCO_EXPANDED, MFA_SHORT, MFA_LONG)
    everything = await get_all(client, "/v1/entities", limit=2)
    counts = [e["article_count"] for e in everything]
    assert counts == sorted(counts, reverse=True)
    assert len({e["id"] for e in everything}) == len(everything)
    r = await client.get("/v1/entities", params={"limit": 500})
    assert [e["id"] for e in r.json()["items"]] == [e["id"] for e in everything]
    # a prefix under three letters, any type; a type alone
    short = await get_all(client, "/v1/entities", q="за")
    assert "Мария Захарова" in [e["name"] for e in short]
    orgs = await get_all(client, "/v1/entities", type="ORG")
    assert orgs and all(e["type"] == "ORG" for e in orgs)
    # the surname alone resolved to the one Zakharova known
    zakharova = await one(client, "захарова", "PER")
    assert zakharova["article_count"] == 2
    assert (await client.get("/v1/entities", params={"q": "несуществующий"})).json() == {
        "items": [],
        "next_cursor": None,
    }


async def test_entity_detail_articles_events_quotes(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    a1, a2 = await ingest(client, worker, PESKOV_BAKU, PESKOV_SCO)
    peskov = await one(client, "песков", "PER")
    detail = (await client.get(f"/v1/entities/{peskov['id']}")).json()
    assert detail["name"] == "Дмитрий Песков" and detail["article_count"] == 2
    assert "roles" in detail and detail["merged_from"] == []
    articles = await get_all(client, f"/v1/entities/{peskov['id']}/articles", limit=1)
    assert [a["id"] for a in articles] == [a2, a1]  # newest first
    assert articles[0]["outlet"] == "tass.ru" and articles[0]["name"] == "Песков"
    quotes = await get_all(client, f"/v1/entities/{peskov['id']}/quotes", limit=1)
    assert len(quotes) == 4
    assert [q["article_id"] for q in quotes] == [a2, a2, a1, a1]
    assert quotes[-1]["published_at"] == "2025-09-03"
    assert quotes[0]["quote"]["text"] == "Президент готов к диалогу"
    assert all(q["speaker"]["entity_id"] == peskov["id"] for q in quotes)
    baku = await one(client, "баку", "LOC")
    events = await get_all(client, f"/v1/entities/{baku['id']}/events")
    assert [e["type"] for e in events] == ["CONSULT"]
    putin = await one(client, "путин", "PER")
    putin_events = await get_all(client, f"/v1/entities/{putin['id']}/events", limit=1)
    assert [(e["type"], e["article_id"]) for e in putin_events] == [("CONSULT", a1)]


async def test_unknown_entity_and_bad_cursor_are_problems(client: httpx.AsyncClient) -> None:
    for path in ("", "/articles", "/events", "/quotes"):
        r = await client.get(f"/v1/entities/00000000-0000-0000-0000-000000000000{path}")
        assert r.status_code == 404, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.get("/v1/entities", params={"cursor": "nonsense"})
    assert r.status_code == 400 and r.json()["detail"].startswith("cursor")
    r = await client.get("/v1/entities", params={"type": "XYZ"})
    assert r.status_code == 422


async def test_manual_merge_survives_reprocessing(
    client: httpx.AsyncClient, worker: Worker, anonymous: httpx.AsyncClient
) -> None:
    short_id, long_id = await ingest(client, worker, MFA_SHORT, MFA_LONG)
    mfa = await find(client, "мид", "ORG")
    assert [e["name"] for e in mfa] == ["МИД России"]  # resolution does not guess here
    long = await one(client, "министерство иностранных", "ORG")
    r = await client.post(
        "/v1/admin/entities/merge", json={"from_ids": [long["id"]], "into_id": mfa[0]["id"]}
    )
    assert r.status_code == 200, r.text
    merged = r.json()
    assert merged["article_count"] == 2 and merged["merged_from"] == [long["id"]]
    assert "Министерство иностранных дел Российской Федерации" in merged["aliases"]
    # the old id answers with the merged entry; its events and quotes moved too
    assert (await client.get(f"/v1/entities/{long['id']}")).json()["id"] == mfa[0]["id"]
    quotes = await get_all(client, f"/v1/entities/{mfa[0]['id']}/quotes")
    assert {q["article_id"] for q in quotes} == {short_id, long_id}

    for article in (short_id, long_id):
        assert (await client.post(f"/v1/articles/{article}/reprocess")).status_code == 202
    assert await drain(worker) == 2
    again = await one(client, "иностранных", "ORG")
    assert again["id"] == mfa[0]["id"] and again["article_count"] == 2
    events = await get_all(client, "/v1/events", entity_id=mfa[0]["id"])
    assert {e["article_id"] for e in events} == {short_id, long_id}

    # admin only; unknown ids and mixed types are problems
    r = await anonymous.post(
        "/v1/admin/entities/merge", json={"from_ids": [long["id"]], "into_id": mfa[0]["id"]}
    )
    assert r.status_code == 401
    r = await client.post(
        "/v1/admin/entities/merge",
        json={"from_ids": ["00000000-0000-0000-0000-000000000000"], "into_id": mfa[0]["id"]},
    )
    assert r.status_code == 404
    moscow = await one(client, "москва", "LOC")
    r = await client.post(
        "/v1/admin/entities/merge", json={"from_ids": [moscow["id"]], "into_id": mfa[0]["id"]}
    )
    assert r.status_code == 409 and "types" in r.json()["detail"]
    # merging an entry into itself leaves it as it is
    r = await client.post(
        "/v1/admin/entities/merge", json={"from_ids": [moscow["id"]], "into_id": moscow["id"]}
    )
    assert r.status_code == 200 and r.json()["id"] == moscow["id"], r.text
    r = await client.post("/v1/admin/entities/merge", json={"from_ids": []})
    assert r.status_code in (400, 422)


async def test_manual_split_survives_reprocessing(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    _, long_id = await ingest(client, worker, MFA_SHORT, MFA_LONG)
    zakharova = await one(client, "захарова", "PER")
    assert zakharova["article_count"] == 2
    # an editor decides the bare surname in the second article is someone else
    r = await client.post(
        f"/v1/admin/entities/{zakharova['id']}/split", json={"names": ["Захарова"]}
    )
    assert r.status_code == 201, r.text
    other = r.json()
    assert other["name"] == "Захарова" and other["article_count"] == 1
    assert (await client.get(f"/v1/entities/{zakharova['id']}")).json()["article_count"] == 1
    assert (await client.post(f"/v1/articles/{long_id}/reprocess")).status_code == 202
    assert await drain(worker) == 1
    names = sorted((e["name"], e["article_count"]) for e in await find(client, "захар", "PER"))
    assert names == [("Захарова", 1), ("Мария Захарова", 1)]
    # a well-formed request that does not fit the entry's names: a conflict with its state
    r = await client.post(f"/v1/admin/entities/{zakharova['id']}/split", json={"names": ["Нет"]})
    assert r.status_code == 409 and "not names of" in r.json()["detail"]
