"""``POST /v1/articles/batch``: JSON arrays and NDJSON, one result per item in input order."""

from __future__ import annotations

import asyncio
import json

import httpx

from service.worker.runner import Worker
from tests.api.conftest import assert_problem, get_all, submit
from tests.conftest import devset_texts, drain

NDJSON = {"Content-Type": "application/x-ndjson"}


def ndjson(*items: object) -> bytes:
    return "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items).encode()


async def test_a_json_array_is_accepted_item_by_item_in_input_order(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    texts = devset_texts(2)
    items = [{"text": texts[0]}, {"text": texts[1], "external_id": "dev-2", "title": "Второй"}]

    r = await client.post("/v1/articles/batch", json=items)

    assert r.status_code == 200, r.text
    result = r.json()
    assert (result["accepted"], result["duplicates"], result["rejected"]) == (2, 0, 0)
    assert [i["index"] for i in result["items"]] == [0, 1]
    assert [i["status"] for i in result["items"]] == [202, 202]
    first, second = (i["article"] for i in result["items"])
    assert second["external_id"] == "dev-2"
    assert second["title"] == "Второй"
    assert first["length"] == len(texts[0])
    assert first["status"] == "queued"
    assert await drain(worker) == 2
    for item, text in zip(result["items"], texts, strict=True):
        stored = (await client.get(f"/v1/articles/{item['article']['id']}")).json()
        assert stored["status"] == "done"
        assert stored["text"] == text


async def test_ndjson_is_accepted_like_a_json_array(client: httpx.AsyncClient) -> None:
    body = ndjson({"text": "Первая строка."}, {"text": "Вторая строка.", "outlet": "a.ru"})

    r = await client.post("/v1/articles/batch", content=body + b"\n\n", headers=NDJSON)

    assert r.status_code == 200, r.text
    result = r.json()
    assert [i["status"] for i in result["items"]] == [202, 202]
    assert result["items"][1]["article"]["outlet"] == "a.ru"
    assert len((await client.get("/v1/articles")).json()["items"]) == 2


async def test_duplicates_in_a_batch_point_at_the_same_article(client: httpx.AsyncClient) -> None:
    known = await submit(client, "Уже известная заметка.")
    items = [
        {"text": "Новая заметка."},
        {"text": "Новая заметка.  "},
        {"text": "Уже известная заметка."},
        {"text": "Заметка с ключом.", "external_id": "k-1"},
        {"text": "Другой текст с тем же ключом.", "external_id": "k-1"},
    ]

    result = (await client.post("/v1/articles/batch", json=items)).json()

    assert [i["status"] for i in result["items"]] == [202, 200, 200, 202, 200]
    ids = [i["article"]["id"] for i in result["items"]]
    assert ids[0] == ids[1]
    assert ids[2] == known["id"]
    assert ids[3] == ids[4]
    assert (result["accepted"], result["duplicates"], result["rejected"]) == (2, 3, 0)
    assert len((await client.get("/v1/articles")).json()["items"]) == 3
    # Of two items with one external id, the first one is the article.
    keyed = (await client.get(f"/v1/articles/{ids[3]}")).json()
    assert keyed["text"] == "Заметка с ключом."


async def test_a_bad_item_is_reported_by_index_without_sinking_the_others(
    client: httpx.AsyncClient,
) -> None:
    items = [
        {"text": "Хорошая заметка номер один."},
        {"title": "без текста"},
        {"text": "NUL \u0000 внутри"},
        {"text": 123},
        "просто строка",
        {"text": "Хорошая заметка номер два.", "colour": "red"},
        {"text": "Хорошая заметка номер три.", "language": "en"},
        {"text": "Хорошая заметка номер четыре.", "published_at": "2025-13-01"},
        {"text": "   "},
        {"text": "Хорошая заметка номер пять."},
    ]

    r = await client.post("/v1/articles/batch", json=items)

    assert r.status_code == 200, r.text
    result = r.json()
    assert [i["index"] for i in result["items"]] == list(range(len(items)))
    statuses = [i["status"] for i in result["items"]]
    assert statuses == [202, 422, 422, 422, 422, 422, 422, 422, 422, 202]
    assert (result["accepted"], result["duplicates"], result["rejected"]) == (2, 0, 8)
    for item in result["items"][1:-1]:
        assert "article" not in item
        problem = item["error"]
        assert problem["status"] == 422
        assert problem["type"] and problem["title"] and problem["detail"]
    errors = {i["index"]: i["error"] for i in result["items"] if "error" in i}
    assert "text" in errors[1]["detail"]
    assert "NUL" in errors[2]["detail"]
    assert "text" in errors[3]["detail"]
    assert "colour" in errors[5]["detail"]
    assert "language" in errors[6]["detail"]
    assert "published_at" in errors[7]["detail"]
    stored = (await client.get("/v1/articles")).json()["items"]
    assert {a["id"] for a in stored} == {
        result["items"][0]["article"]["id"],
        result["items"][-1]["article"]["id"],
    }


async def test_a_malformed_ndjson_line_is_a_bad_request_for_that_item_alone(
    client: httpx.AsyncClient,
) -> None:
    body = ndjson({"text": "Первая строка."}) + b'{"text": "oops\n' + ndjson({"text": "Третья."})

    r = await client.post("/v1/articles/batch", content=body, headers=NDJSON)

    assert r.status_code == 200, r.text
    assert [i["status"] for i in r.json()["items"]] == [202, 400, 202]
    assert r.json()["items"][1]["error"]["status"] == 400


async def test_more_than_a_thousand_items_are_refused(client: httpx.AsyncClient) -> None:
    items = [{"text": f"Заметка {i}."} for i in range(1001)]

    r = await client.post("/v1/articles/batch", json=items)

    assert_problem(r, 422, "1001", "1000")
    assert (await client.get("/v1/articles")).json()["items"] == []


async def test_exactly_a_thousand_items_is_accepted(client: httpx.AsyncClient) -> None:
    body = ndjson(*({"text": f"Короткая заметка {i}."} for i in range(1000)))

    r = await client.post("/v1/articles/batch", content=body, headers=NDJSON)

    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 1000


async def test_an_empty_batch_is_a_validation_error(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post("/v1/articles/batch", json=[]), 422, "empty")
    empty_ndjson = await client.post("/v1/articles/batch", content=b"\n \n", headers=NDJSON)
    assert_problem(empty_ndjson, 422, "empty")


async def test_a_batch_that_is_not_an_array_is_a_validation_error(
    client: httpx.AsyncClient,
) -> None:
    assert_problem(await client.post("/v1/articles/batch", json={"text": "x"}), 422)
    assert_problem(
        await client.post(
            "/v1/articles/batch", content=b"[{", headers={"Content-Type": "application/json"}
        ),
        400,
    )


async def test_a_batch_in_plain_text_is_an_unsupported_media_type(
    client: httpx.AsyncClient,
) -> None:
    r = await client.post(
        "/v1/articles/batch", content=b"text", headers={"Content-Type": "text/plain"}
    )

    assert_problem(r, 415, "application/json", "application/x-ndjson")


async def test_concurrent_batches_with_overlapping_articles_all_succeed(
    client: httpx.AsyncClient,
) -> None:
    for round_ in range(3):
        items = [{"text": f"Общая заметка {round_}-{i}."} for i in range(500)]
        answers = await asyncio.gather(
            client.post("/v1/articles/batch", json=items),
            client.post("/v1/articles/batch", json=items[::-1]),
        )
        assert [r.status_code for r in answers] == [200, 200], [r.text[:300] for r in answers]
        forward, backward = ({i["article"]["id"] for i in r.json()["items"]} for r in answers)
        assert forward == backward
        assert len(forward) == 500
        assert sum(r.json()["accepted"] for r in answers) == 500

    assert len(await get_all(client, "/v1/articles", limit=500)) == 1500


async def test_the_articles_of_a_batch_are_listed_newest_last_in_input_order(
    client: httpx.AsyncClient,
) -> None:
    items = [{"text": f"Заметка {c}."} for c in "яюэьыъщшчцхфутсрпонмлкйизжёедгвба"]

    result = (await client.post("/v1/articles/batch", json=items)).json()

    listed = await get_all(client, "/v1/articles")
    assert [a["id"] for a in listed] == [i["article"]["id"] for i in result["items"]][::-1]
