"""Every error a client can cause is an RFC 9457 problem document that says what to fix."""

from __future__ import annotations

import base64
import json

import asyncpg
import httpx
import pytest

from service.store import keys
from tests.api.conftest import (
    TEXT_PLAIN,
    assert_field_error,
    assert_problem,
    key_for,
    submit,
    submit_raw,
)

SHORT = "Короткая заметка о погоде."
MISSING = "/v1/articles/00000000-0000-4000-8000-000000000000"


# Authentication and authorisation


async def test_a_call_without_a_key_is_unauthorized_with_a_challenge(
    anonymous: httpx.AsyncClient,
) -> None:
    for r in (
        await anonymous.get("/v1/articles"),
        await anonymous.post("/v1/articles", json={"text": SHORT}),
        await anonymous.post("/v1/extract", json={"text": SHORT}),
    ):
        assert_problem(r, 401, "API key")
        assert r.headers["www-authenticate"].startswith("Bearer")


async def test_an_unknown_key_is_unauthorized(anonymous: httpx.AsyncClient) -> None:
    for headers in ({"Authorization": "Bearer nm_not-a-key"}, {"X-API-Key": "nm_not-a-key"}):
        r = await anonymous.get("/v1/articles", headers=headers)
        assert_problem(r, 401, "unknown")
        assert "www-authenticate" in r.headers


async def test_a_read_key_may_read_but_not_write(
    anonymous: httpx.AsyncClient, client: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    article = await submit(client, SHORT)
    reader = {"Authorization": f"Bearer {await key_for(pool, 'read')}"}

    assert (await anonymous.get("/v1/articles", headers=reader)).status_code == 200
    assert (await anonymous.get(f"/v1/articles/{article['id']}", headers=reader)).status_code == 200
    assert (
        await anonymous.post("/v1/extract", json={"text": SHORT}, headers=reader)
    ).status_code == 200
    location = f"/v1/articles/{article['id']}"
    for r in (
        await anonymous.post("/v1/articles", json={"text": "Ещё"}, headers=reader),
        await anonymous.post("/v1/articles/batch", json=[{"text": "Ещё"}], headers=reader),
        await anonymous.delete(location, headers=reader),
        await anonymous.post(f"{location}/reprocess", headers=reader),
    ):
        assert_problem(r, 403, "read", "write")
    assert (await client.get(location)).status_code == 200


async def test_a_write_key_may_submit(anonymous: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    writer = {"X-API-Key": await key_for(pool, "write")}

    r = await anonymous.post("/v1/articles", json={"text": SHORT}, headers=writer)

    assert r.status_code == 202, r.text


async def test_a_revoked_key_is_unauthorized(
    anonymous: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    key, secret = await keys.create(pool, "admin", "soon revoked")
    headers = {"Authorization": f"Bearer {secret}"}
    assert (await anonymous.get("/v1/articles", headers=headers)).status_code == 200

    assert await keys.revoke(pool, key.id)

    assert_problem(await anonymous.get("/v1/articles", headers=headers), 401, "revoked")


# Paths


async def test_an_unknown_article_is_not_found(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(MISSING), 404, "00000000-0000-4000-8000-000000000000")
    assert_problem(await client.delete(MISSING), 404)


@pytest.mark.parametrize("path", ["/v1/articles/not-a-uuid", "/v1/articles/123"])
async def test_a_malformed_article_id_is_not_found(client: httpx.AsyncClient, path: str) -> None:
    assert_problem(await client.get(path), 404)
    assert_problem(await client.post(f"{path}/reprocess"), 404)


async def test_an_unknown_path_and_a_wrong_method_are_problems(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/nothing-here"), 404)
    assert_problem(await client.put("/v1/articles", json={"text": SHORT}), 405)
    assert_problem(await client.delete("/v1/articles/not-a-uuid"), 404)
    assert_problem(await client.delete(f"{MISSING}/entities"), 405)


# Bodies


async def test_malformed_json_is_a_bad_request(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/v1/articles", content=b'{"text": ', headers={"Content-Type": "application/json"}
    )

    assert_problem(r, 400, "JSON")


async def test_a_text_of_the_wrong_type_names_the_field(client: httpx.AsyncClient) -> None:
    assert_field_error(await client.post("/v1/articles", json={"text": 123}), "text")


async def test_a_missing_text_names_the_field(client: httpx.AsyncClient) -> None:
    assert_field_error(await client.post("/v1/articles", json={"title": "t"}), "text")


async def test_an_unknown_field_names_the_field(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/articles", json={"text": SHORT, "colour": "red"})

    assert_field_error(r, "colour")


async def test_an_unsupported_language_names_the_field(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/articles", json={"text": SHORT, "language": "en"})

    assert_field_error(r, "language")
    assert_field_error(
        await client.post("/v1/articles", json={"text": SHORT, "language": "english"}), "language"
    )


@pytest.mark.parametrize("value", ["2025-13-01", "03.09.2025", "yesterday", 20250903])
async def test_a_bad_publication_date_names_the_field(
    client: httpx.AsyncClient, value: object
) -> None:
    r = await client.post("/v1/articles", json={"text": SHORT, "published_at": value})

    assert_field_error(r, "published_at")


async def test_an_empty_text_is_a_validation_error(client: httpx.AsyncClient) -> None:
    assert_field_error(await client.post("/v1/articles", json={"text": ""}), "text")
    assert_problem(await client.post("/v1/articles", json={"text": " \n\t "}), 422, "text")
    assert_problem(await submit_raw(client, ""), 422)


async def test_a_body_that_is_not_an_object_is_a_validation_error(
    client: httpx.AsyncClient,
) -> None:
    assert_problem(await client.post("/v1/articles", json=["text"]), 422)


@pytest.mark.parametrize(
    "content_type",
    ["application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
async def test_an_unsupported_media_type_is_refused(
    client: httpx.AsyncClient, content_type: str
) -> None:
    r = await client.post(
        "/v1/articles", content=b"text=abc", headers={"Content-Type": content_type}
    )

    assert_problem(r, 415, "application/json", "text/plain")


async def test_a_form_submission_is_refused_as_an_unsupported_media_type(
    client: httpx.AsyncClient,
) -> None:
    assert_problem(await client.post("/v1/articles", data={"text": SHORT}), 415)


async def test_a_body_without_content_type_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/articles", content=SHORT.encode())

    assert_problem(r, 415)


async def test_a_charset_other_than_utf8_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/v1/articles",
        content=SHORT.encode("cp1251"),
        headers={"Content-Type": "text/plain; charset=windows-1251"},
    )

    assert_problem(r, 415, "UTF-8")


async def test_invalid_utf8_in_plain_text_is_a_bad_request(client: httpx.AsyncClient) -> None:
    r = await client.post("/v1/articles", content=SHORT.encode("cp1251"), headers=TEXT_PLAIN)

    assert_problem(r, 400, "UTF-8")


async def test_a_nul_character_is_a_validation_error(client: httpx.AsyncClient) -> None:
    assert_field_error(await submit_raw(client, "Текст\x00с нулём"), "text")
    assert_field_error(await client.post("/v1/articles", json={"text": "a\u0000b"}), "text")
    assert_field_error(
        await client.post("/v1/articles", json={"text": SHORT, "title": "a\u0000b"}), "title"
    )
    assert (await client.get("/v1/articles")).json()["items"] == []


async def test_an_article_over_two_megabytes_is_too_large(client: httpx.AsyncClient) -> None:
    text = "слово " * (2 * 1024 * 1024 // 11 + 10)  # a little over 2 MB of UTF-8

    assert_problem(await submit_raw(client, text), 413, "bytes")
    assert_problem(await client.post("/v1/articles", json={"text": text}), 413, "bytes")
    batch = await client.post("/v1/articles/batch", json=[{"text": text}, {"text": SHORT}])
    assert [i["status"] for i in batch.json()["items"]] == [413, 202]


async def test_a_body_over_the_route_limit_is_too_large(client: httpx.AsyncClient) -> None:
    huge = b"a" * (8 * 1024 * 1024 + 1)

    assert_problem(await client.post("/v1/articles", content=huge, headers=TEXT_PLAIN), 413)
    assert_problem(await client.post("/v1/extract", content=huge, headers=TEXT_PLAIN), 413)


# Query parameters


async def test_an_invalid_cursor_is_a_bad_request(client: httpx.AsyncClient) -> None:
    article = await submit(client, SHORT)
    for path in (
        "/v1/articles",
        f"/v1/articles/{article['id']}/entities",
        f"/v1/articles/{article['id']}/events",
        f"/v1/articles/{article['id']}/sources",
    ):
        assert_problem(await client.get(path, params={"cursor": "garbage!"}), 400, "cursor")
        assert_problem(await client.get(path, params={"cursor": "e30"}), 400, "cursor")


def forged(*key: object) -> str:
    """A cursor in the service's encoding whose key was edited by hand."""
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        forged("articles", "not a time", "not a uuid"),
        forged("articles", "2025-01-01T00:00:00+00:00", "x"),
        forged("articles", 5, 6),
        forged("articles", "2025-01-01T00:00:00+00:00", "00000000-0000-4000-8000-000000000000", 1),
        forged("articles"),
    ],
)
async def test_a_hand_edited_article_cursor_is_a_bad_request(
    client: httpx.AsyncClient, cursor: str
) -> None:
    assert_problem(await client.get("/v1/articles", params={"cursor": cursor}), 400, "cursor")


@pytest.mark.parametrize("key", ["abc", None, 1e300, [1], 2**40, -5])
async def test_a_hand_edited_result_cursor_is_a_bad_request(
    client: httpx.AsyncClient, key: object
) -> None:
    article = await submit(client, SHORT)
    for kind in ("entities", "events", "sources"):
        r = await client.get(
            f"/v1/articles/{article['id']}/{kind}", params={"cursor": forged(kind, key)}
        )
        assert_problem(r, 400, "cursor")


async def test_a_cursor_of_another_list_is_a_bad_request(client: httpx.AsyncClient) -> None:
    for i in range(3):
        await submit(client, f"{SHORT} {i}")
    cursor = (await client.get("/v1/articles", params={"limit": 1})).json()["next_cursor"]
    article = (await client.get("/v1/articles")).json()["items"][0]

    r = await client.get(f"/v1/articles/{article['id']}/entities", params={"cursor": cursor})

    assert_problem(r, 400, "cursor")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"status": "finished"}, "status"),
        ({"published_from": "soon"}, "published_from"),
        ({"entity_id": "putin"}, "entity_id"),
    ],
)
async def test_a_bad_query_parameter_names_it(
    client: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    r = await client.get("/v1/articles", params=params)

    assert_field_error(r, field)


async def test_a_nul_character_in_a_filter_is_refused(client: httpx.AsyncClient) -> None:
    assert_field_error(await client.get("/v1/articles", params={"outlet": "a\x00b"}), "outlet")
    # Not dropped silently (that would answer an unfiltered list as if it were the search).
    assert_problem(await client.get("/v1/articles", params={"q": "a\x00b"}), 400, "NUL")


@pytest.mark.parametrize("q", ["&|!():*'\"", "встреча OR -погода", '"', "-", "   "])
async def test_any_search_text_is_accepted(client: httpx.AsyncClient, q: str) -> None:
    await submit(client, "Стороны провели встречу.")

    assert (await client.get("/v1/articles", params={"q": q})).status_code == 200


async def test_limit_bounds_are_inclusive(client: httpx.AsyncClient) -> None:
    assert (await client.get("/v1/articles", params={"limit": 1})).status_code == 200
    assert (await client.get("/v1/articles", params={"limit": 500})).status_code == 200


ENTITY = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    ("path", "cursor"),
    [
        ("/v1/entities", forged("entities", "many", ENTITY)),
        ("/v1/entities", forged("entities", 2**40, ENTITY)),
        (f"/v1/entities/{ENTITY}/articles", forged("entity-articles", 1, "x")),
        (f"/v1/entities/{ENTITY}/quotes", forged("quotes", "2025-01-01T00:00:00", 2**70)),
        ("/v1/events", forged("events", "last")),
        ("/v1/events", forged("events", 2**70)),
        ("/v1/sources", forged("sources-speakers", 1.5, None)),
        ("/v1/changes", forged("changes", "-1", 5)),
        ("/v1/changes", forged("changes", "1", 2**70)),
        ("/v1/webhooks", forged("webhooks", None, ENTITY)),
    ],
)
async def test_a_hand_edited_cursor_of_a_corpus_list_is_a_bad_request(
    client: httpx.AsyncClient, pool: asyncpg.Pool, path: str, cursor: str
) -> None:
    """Every list decodes its cursor the same way: a key of the wrong type or out of the
    database's range is the client's mistake (400), never a crash (500)."""
    await pool.execute(
        "INSERT INTO entities (id, type, key, name) VALUES ($1, 'PER', 'тест', 'Тест')", ENTITY
    )
    assert_problem(await client.get(path, params={"cursor": cursor}), 400, "cursor")
