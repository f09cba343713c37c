"""What the OpenAPI document promises, the server does: cursors of the documented grammar
are positions, public operations need no key, ``OPTIONS`` lists every method, and checks
made in code (NUL characters, blank text) are stated as patterns that match the server."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from tests.api.conftest import assert_field_error, submit
from tests.conftest import REPO

DOCUMENT: dict[str, Any] = json.loads((REPO / "openapi" / "openapi.json").read_text("utf-8"))


def _cursor_pattern(path: str, name: str = "cursor") -> re.Pattern[str]:
    params = DOCUMENT["paths"][path]["get"]["parameters"]
    (schema,) = [p["schema"] for p in params if p["name"] == name]
    assert schema["maxLength"] <= 512
    return re.compile(schema["pattern"])


async def test_the_cursors_served_match_the_documented_grammar(client: httpx.AsyncClient) -> None:
    for i in range(3):
        await submit(client, f"Заметка номер {i} о погоде.")
    page = (await client.get("/v1/articles", params={"limit": 1})).json()
    assert _cursor_pattern("/v1/articles").match(page["next_cursor"]), page["next_cursor"]
    feed = (await client.get("/v1/changes")).json()
    assert _cursor_pattern("/v1/changes", "after").match(feed["cursor"]), feed["cursor"]


@pytest.mark.parametrize(
    ("path", "cursor"),
    [
        ("/v1/articles", "articles.0." + "0" * 32),
        ("/v1/articles", "articles.99999999999999999.ffffffffffffffffffffffffffffffff"),
        ("/v1/entities", "registry.999999999." + "a" * 32),
        ("/v1/events", "corpus-events.1"),
        ("/v1/sources", "ranking.5.0L_Qt9GA0YDRgtC10L3QvtCy"),
        ("/v1/sources", "ranking.5.__8"),  # not UTF-8 once decoded: still a position
        ("/v1/changes", "changes.9999999999999999999.0"),
        ("/v1/webhooks", "webhooks.1." + "0" * 32),
        ("/v1/articles", ""),  # empty: the first page
    ],
)
async def test_any_cursor_of_the_documented_grammar_is_a_position(
    client: httpx.AsyncClient, path: str, cursor: str
) -> None:
    assert _cursor_pattern(path).match(cursor)
    r = await client.get(path, params={"cursor": cursor})
    assert r.status_code == 200, r.text


async def test_public_operations_are_documented_and_served_without_a_key(
    anonymous: httpx.AsyncClient,
) -> None:
    for path in ("/health/live", "/health/ready", "/metrics"):
        assert DOCUMENT["paths"][path]["get"]["security"] == []
        assert (await anonymous.get(path)).status_code == 200
    assert "security" not in DOCUMENT["paths"]["/v1/articles"]["get"]


async def test_options_lists_every_method_of_the_path(client: httpx.AsyncClient) -> None:
    article = await submit(client, "Заметка о погоде.")
    for path, methods in [
        (f"/v1/articles/{article['id']}", "DELETE, GET, OPTIONS"),
        ("/v1/articles", "GET, OPTIONS, POST"),
        ("/v1/webhooks/00000000-0000-4000-8000-000000000000", "DELETE, GET, OPTIONS"),
    ]:
        r = await client.options(path)
        assert r.status_code == 204 and r.headers["allow"] == methods
        refused = await client.put(path)
        assert refused.status_code == 405
        assert set(refused.headers["allow"].split(", ")) == set(methods.split(", "))


@pytest.mark.parametrize(
    ("text", "accepted"),
    [("Текст", True), ("  \n Текст\n", True), (" \t\n", False), ("Те\x00кст", False)],
)
async def test_the_text_pattern_is_what_the_server_accepts(
    client: httpx.AsyncClient, text: str, accepted: bool
) -> None:
    pattern = DOCUMENT["components"]["schemas"]["ArticleIn"]["properties"]["text"]["pattern"]
    assert bool(re.search(pattern, text)) is accepted
    r = await client.post("/v1/extract", json={"text": text})
    if accepted:
        assert r.status_code == 200, r.text
    else:
        assert_field_error(r, "text")


async def test_a_webhook_description_with_a_nul_is_refused_not_a_crash(
    client: httpx.AsyncClient,
) -> None:
    r = await client.post(
        "/v1/webhooks", json={"url": "https://example.org/hook", "description": "a\x00b"}
    )
    assert_field_error(r, "description")


def test_every_documented_cursor_has_its_grammar() -> None:
    """A new list must be added to ``openapi.CURSOR_KINDS`` (and its kind to
    ``cursor.KINDS``), or the document would promise any string."""
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            for param in operation.get("parameters", []):
                if param["name"] in ("cursor", "after"):
                    assert "pattern" in param["schema"], f"{method.upper()} {path}"
