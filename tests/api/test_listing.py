"""``GET /v1/articles``: newest first, keyset pages, filters."""

from __future__ import annotations

import httpx

from service.worker.runner import Worker
from tests.api.conftest import get_all, submit
from tests.conftest import drain


def ids(items: list[dict]) -> list[str]:
    return [a["id"] for a in items]


async def submit_numbered(client: httpx.AsyncClient, n: int, prefix: str = "Заметка") -> list[str]:
    """``n`` distinct short articles, oldest first; their ids."""
    return [(await submit(client, f"{prefix} номер {i}: текст о погоде."))["id"] for i in range(n)]


async def test_articles_are_listed_newest_first(client: httpx.AsyncClient) -> None:
    created = await submit_numbered(client, 4)

    r = await client.get("/v1/articles")

    assert r.status_code == 200
    page = r.json()
    assert ids(page["items"]) == created[::-1]
    assert page["next_cursor"] is None


async def test_an_empty_list_has_no_items_and_no_cursor(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/articles")

    assert r.json() == {"items": [], "next_cursor": None}


async def test_pages_with_a_limit_follow_the_cursor_to_the_end(client: httpx.AsyncClient) -> None:
    created = await submit_numbered(client, 7)

    first = (await client.get("/v1/articles", params={"limit": 3})).json()
    assert len(first["items"]) == 3
    assert first["next_cursor"]

    assert ids(await get_all(client, "/v1/articles", limit=3)) == created[::-1]
    assert ids(await get_all(client, "/v1/articles", limit=7)) == created[::-1]
    assert ids(await get_all(client, "/v1/articles", limit=1)) == created[::-1]


async def test_paging_is_stable_while_new_articles_arrive_between_pages(
    client: httpx.AsyncClient,
) -> None:
    created = await submit_numbered(client, 7)
    seen: list[str] = []
    cursor = None
    round_ = 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/articles", params=params)).json()
        seen += ids(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
        round_ += 1
        await submit_numbered(client, 2, prefix=f"Новость раунда {round_}")

    assert round_ == 2
    assert seen == created[::-1]


async def test_filtering_by_status(client: httpx.AsyncClient, worker: Worker) -> None:
    done = await submit(client, "Владимир Путин прилетел в Баку.")
    await drain(worker)
    queued = await submit(client, "Ильхам Алиев прилетел в Москву.")

    assert ids((await client.get("/v1/articles?status=done")).json()["items"]) == [done["id"]]
    assert ids((await client.get("/v1/articles?status=queued")).json()["items"]) == [queued["id"]]
    assert (await client.get("/v1/articles?status=failed")).json()["items"] == []


async def test_filtering_by_outlet_ignores_case(client: httpx.AsyncClient) -> None:
    a = await submit(client, "Первая заметка (moscowtimes.ru)")
    await submit(client, "Вторая заметка (example.org)")
    await submit(client, "Третья заметка без издания.")
    c = await submit(client, "Четвертая заметка.", outlet="MoscowTimes.ru")

    for outlet in ("moscowtimes.ru", "MOSCOWTIMES.RU"):
        found = (await client.get("/v1/articles", params={"outlet": outlet})).json()["items"]
        assert ids(found) == [c["id"], a["id"]]
    assert (await client.get("/v1/articles", params={"outlet": "nowhere.org"})).json()[
        "items"
    ] == []


async def test_filtering_by_publication_dates_includes_both_ends(
    client: httpx.AsyncClient,
) -> None:
    jan = await submit(client, "Январская заметка.", published_at="2025-01-15")
    feb = await submit(client, "date 2025-02-01 Февральская заметка.")
    mar = await submit(client, "Мартовская заметка.", published_at="2025-03-31")
    await submit(client, "Заметка без даты.")

    def listed(**params: str):
        return client.get("/v1/articles", params=params)

    assert ids((await listed(published_from="2025-02-01")).json()["items"]) == [
        mar["id"],
        feb["id"],
    ]
    assert ids((await listed(published_to="2025-02-01")).json()["items"]) == [
        feb["id"],
        jan["id"],
    ]
    both = await listed(published_from="2025-01-16", published_to="2025-03-30")
    assert ids(both.json()["items"]) == [feb["id"]]


async def test_filtering_by_entity_finds_the_articles_that_mention_it(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    baku = await submit(client, "Президент России Владимир Путин прилетел в Баку в среду.")
    moscow = await submit(client, "Президент Азербайджана Ильхам Алиев прилетел в Москву в среду.")
    await drain(worker)
    entities = (await client.get(f"/v1/articles/{baku['id']}/entities")).json()["items"]
    putin = next(e for e in entities if e["name"] == "Владимир Путин")

    found = (await client.get("/v1/articles", params={"entity_id": putin["id"]})).json()

    assert ids(found["items"]) == [baku["id"]]
    assert moscow["id"] not in ids(found["items"])
    nobody = "00000000-0000-4000-8000-000000000000"
    assert (await client.get("/v1/articles", params={"entity_id": nobody})).json()["items"] == []


async def test_full_text_search_matches_other_forms_of_a_russian_word(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    meeting = await submit(client, "Стороны отменили встречу в Женеве.")
    await submit(client, "Погода в Москве будет дождливой.")
    titled = await submit(client, "Без ключевого слова.", title="Встречи на высшем уровне")
    await drain(worker)

    found = (await client.get("/v1/articles", params={"q": "встреча"})).json()["items"]

    assert set(ids(found)) == {meeting["id"], titled["id"]}
    phrase = (await client.get("/v1/articles", params={"q": '"отменили встречу"'})).json()
    assert ids(phrase["items"]) == [meeting["id"]]
    none = (await client.get("/v1/articles", params={"q": "землетрясение"})).json()
    assert none["items"] == []


async def test_an_article_is_searchable_once_a_worker_has_claimed_it(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    """Indexing for `q` is the worker's (it keeps submission cheap): seconds after submission,
    whether or not the extraction then succeeds."""
    article = await submit(client, "Стороны отменили встречу в Женеве.")
    assert (await client.get("/v1/articles", params={"q": "встреча"})).json()["items"] == []

    await drain(worker)

    found = (await client.get("/v1/articles", params={"q": "встреча"})).json()["items"]
    assert ids(found) == [article["id"]]


async def test_filters_combine(client: httpx.AsyncClient, worker: Worker) -> None:
    a = await submit(client, "Стороны провели встречу.", outlet="a.ru", published_at="2025-05-01")
    await submit(client, "Стороны провели встречу снова.", outlet="b.ru")
    await submit(client, "Погода хорошая.", outlet="a.ru")
    await drain(worker)

    found = (await client.get("/v1/articles", params={"q": "встреча", "outlet": "a.ru"})).json()

    assert ids(found["items"]) == [a["id"]]
    paged = await get_all(client, "/v1/articles", q="встреча", limit=1)
    assert len(paged) == 2
