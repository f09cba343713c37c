"""The committed OpenAPI document is the one the app serves (regenerate: `make openapi`)."""

from __future__ import annotations

import json

import httpx

from tests.conftest import REPO


async def test_committed_openapi_equals_the_served_schema(anonymous: httpx.AsyncClient) -> None:
    served = (await anonymous.get("/schema/openapi.json")).json()
    committed = json.loads((REPO / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    assert committed == served, "openapi/openapi.json is stale: run `make openapi` and commit it"


async def test_the_schema_is_browsable(anonymous: httpx.AsyncClient) -> None:
    r = await anonymous.get("/schema/swagger")
    assert r.status_code == 200
    assert "text/html" in r.headers["content-type"]
