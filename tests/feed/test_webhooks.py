"""Webhooks: a real receiver on 127.0.0.1, down at first, then answering 500, then up; every
delivery signed, retried by the workers, never lost, and visible in its deliveries."""

from __future__ import annotations

import json
import uuid
from typing import Any

import asyncpg
import httpx

from service.worker.deliveries import RetryPolicy
from tests.api.conftest import assert_field_error, assert_problem, key_for
from tests.feed.conftest import Receiver, Workers, eventually, feed_until, signature_ok

SECRET = "s3cr3t-for-the-news-desk-0123456789"


async def register(client: httpx.AsyncClient, url: str, **fields: Any) -> dict[str, Any]:
    r = await client.post("/v1/webhooks", json={"url": url, "secret": SECRET, **fields})
    assert r.status_code == 201, r.text
    hook = r.json()
    assert r.headers["location"] == f"/v1/webhooks/{hook['id']}"
    return hook


async def deliveries(client: httpx.AsyncClient, hook_id: str) -> list[dict[str, Any]]:
    r = await client.get(f"/v1/webhooks/{hook_id}/deliveries")
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_delivery_with_the_receiver_down_then_up(
    client: httpx.AsyncClient, workers: Workers, receiver: Receiver
) -> None:
    hook = await register(client, receiver.url)
    assert hook["secret"] == SECRET  # shown this once
    assert hook["event_types"] == ["article.processed", "article.deleted"]
    assert hook["active"] is True
    workers.start(2)

    r = await client.post("/v1/articles", json={"text": "Сергей Лавров прибыл в Анкару."})
    article_id = r.json()["id"]

    # The receiver is down: the delivery is attempted, recorded as failing, and kept.
    async def refused() -> list[dict[str, Any]]:
        found = await deliveries(client, hook["id"])
        return [d for d in found if d["attempts"] >= 2]

    (pending,) = await eventually(refused, what="two refused attempts")
    assert pending["status"] == "pending"
    assert pending["event"] == "article.processed"
    assert pending["last_error"] and pending["last_status_code"] is None
    assert pending["next_attempt_at"] and pending["delivered_at"] is None

    # Up, but failing once: a 500 is retried too.
    receiver.statuses = [500]
    await receiver.start()

    async def delivered() -> dict[str, Any] | None:
        found = await deliveries(client, hook["id"])
        return found[0] if found and found[0]["status"] == "delivered" else None

    done = await eventually(delivered, what="the delivery to succeed")
    assert done["id"] == pending["id"]
    assert done["attempts"] >= 4  # at least two refused, the 500, the 200
    assert done["last_status_code"] == 200 and done["last_error"] is None
    assert done["delivered_at"] and done["next_attempt_at"] is None

    assert [q.answered for q in receiver.requests] == [500, 200]
    for request in receiver.requests:
        assert request.method == "POST"
        assert request.path == "/hooks/newsmeta?team=desk"
        assert request.headers["content-type"] == "application/json"
        assert request.headers["x-newsmeta-event"] == "article.processed"
        assert request.headers["x-newsmeta-delivery"] == done["id"]
        assert signature_ok(SECRET, request), request.headers
        assert not signature_ok("another secret of some length", request)
    body = json.loads(receiver.requests[-1].body)
    assert body["type"] == "article.processed"
    assert body["article_id"] == article_id
    assert body["id"] == done["change_id"]
    # The body is the feed's item for that change.
    (change,) = await _feed(client, 1)
    assert change == body

    # Now up: the deletion goes through at once, also signed.
    assert (await client.delete(f"/v1/articles/{article_id}")).status_code == 204

    async def both() -> bool:
        found = await deliveries(client, hook["id"])
        return len(found) == 2 and all(d["status"] == "delivered" for d in found)

    await eventually(both, what="the deletion to be delivered")
    last = receiver.requests[-1]
    assert last.headers["x-newsmeta-event"] == "article.deleted"
    assert json.loads(last.body)["article_id"] == article_id
    assert signature_ok(SECRET, last)
    # One delivery per change, however many workers ran.
    ids = [json.loads(q.body)["id"] for q in receiver.requests if q.answered == 200]
    assert len(ids) == len(set(ids)) == 2


async def _feed(client: httpx.AsyncClient, n: int) -> list[dict[str, Any]]:
    items, _ = await feed_until(client, None, n)
    return items


async def test_a_receiver_that_keeps_failing_is_given_up_and_recorded(
    client: httpx.AsyncClient, workers: Workers, receiver: Receiver
) -> None:
    receiver.statuses = [503] * 10
    await receiver.start()
    hook = await register(client, receiver.url, event_types=["article.processed"])
    workers.start(1, policy=RetryPolicy(base_seconds=0.2, cap_seconds=0.5, max_attempts=3))
    await client.post("/v1/articles", json={"text": "Центральный банк повысил ставку."})

    async def failed() -> list[dict[str, Any]]:
        r = await client.get(f"/v1/webhooks/{hook['id']}/deliveries", params={"status": "failed"})
        items: list[dict[str, Any]] = r.json()["items"]
        return items

    (gave_up,) = await eventually(failed, what="the delivery to be given up")
    assert gave_up["attempts"] == 3
    assert gave_up["last_status_code"] == 503
    assert "503" in gave_up["last_error"]
    assert gave_up["next_attempt_at"] is None and gave_up["delivered_at"] is None
    assert len(receiver.requests) == 3
    r = await client.get(f"/v1/webhooks/{hook['id']}/deliveries", params={"status": "pending"})
    assert r.json()["items"] == []


async def test_only_changes_after_registration_and_of_the_wanted_types(
    client: httpx.AsyncClient, workers: Workers, receiver: Receiver, pool: asyncpg.Pool
) -> None:
    await receiver.start()
    workers.start(1)
    r = await client.post("/v1/articles", json={"text": "Мэр Москвы открыл новый парк."})
    before = r.json()["id"]

    async def processed() -> bool:
        return (await client.get(f"/v1/articles/{before}")).json()["status"] == "done"

    await eventually(processed, what="the first article")
    await feed_until(client, None, 1)
    hook = await register(client, receiver.url, event_types=["article.deleted"])
    assert (await client.delete(f"/v1/articles/{before}")).status_code == 204

    async def one() -> list[dict[str, Any]]:
        return [d for d in await deliveries(client, hook["id"]) if d["status"] == "delivered"]

    (only,) = await eventually(one, what="the deletion delivery")
    assert only["event"] == "article.deleted"
    assert [q.headers["x-newsmeta-event"] for q in receiver.requests] == ["article.deleted"]


async def test_webhook_management(client: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    first = await register(client, "https://example.org/hook")
    r = await client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/x"})
    assert r.status_code == 201
    generated = r.json()
    assert len(generated["secret"]) >= 32  # made up when none is given, shown once
    assert generated["secret"] not in (await client.get("/v1/webhooks")).text

    r = await client.get(f"/v1/webhooks/{first['id']}")
    assert r.status_code == 200
    assert "secret" not in r.json()
    assert r.json()["url"] == "https://example.org/hook"
    listed = (await client.get("/v1/webhooks")).json()
    assert [h["id"] for h in listed["items"]] == [generated["id"], first["id"]]
    assert all("secret" not in h for h in listed["items"])
    page = (await client.get("/v1/webhooks", params={"limit": 1})).json()
    assert page["next_cursor"]
    rest = (
        await client.get("/v1/webhooks", params={"limit": 1, "cursor": page["next_cursor"]})
    ).json()
    assert [h["id"] for h in rest["items"]] == [first["id"]] and rest["next_cursor"] is None

    assert (await client.delete(f"/v1/webhooks/{first['id']}")).status_code == 204
    assert_problem(await client.get(f"/v1/webhooks/{first['id']}"), 404, first["id"])
    assert_problem(await client.delete(f"/v1/webhooks/{first['id']}"), 404)
    assert_problem(await client.get(f"/v1/webhooks/{first['id']}/deliveries"), 404)
    assert_problem(await client.get(f"/v1/webhooks/{uuid.uuid4()}"), 404)
    assert_problem(await client.get("/v1/webhooks", params={"cursor": "nonsense"}), 400)


async def test_webhook_validation(client: httpx.AsyncClient) -> None:
    for url in [
        "ftp://example.org/x",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "http://",
        "example.org/hook",
        "http://exa mple.org/",
        "https://example.org/#frag",
        "http://example.org:99999/",
    ]:
        r = await client.post("/v1/webhooks", json={"url": url, "secret": SECRET})
        assert_field_error(r, "url")
    assert_field_error(
        await client.post("/v1/webhooks", json={"url": "https://x.org", "secret": "short"}),
        "secret",
    )
    assert_field_error(
        await client.post(
            "/v1/webhooks", json={"url": "https://x.org", "event_types": ["article.eaten"]}
        ),
        "event_types[0]",
    )
    assert_problem(await client.post("/v1/webhooks", json={"secret": SECRET}), 422, "url")
    r = await client.post(
        "/v1/webhooks", content=b"{", headers={"content-type": "application/json"}
    )
    assert_problem(r, 400)
    assert (await client.get("/v1/webhooks")).json()["items"] == []


async def test_webhooks_need_an_admin_key(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    assert_problem(await anonymous.get("/v1/webhooks"), 401)
    for scope in ("read", "write"):
        anonymous.headers["Authorization"] = f"Bearer {await key_for(pool, scope)}"
        assert_problem(await anonymous.get("/v1/webhooks"), 403)
        r = await anonymous.post("/v1/webhooks", json={"url": "https://x.org"})
        assert_problem(r, 403)
    # A read key may follow the feed.
    assert (await anonymous.get("/v1/changes")).status_code == 200
