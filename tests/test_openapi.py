"""The committed OpenAPI document is the one the app serves (regenerate: `make openapi`)."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.conftest import REPO


async def test_committed_openapi_equals_the_served_schema(anonymous: httpx.AsyncClient) -> None:
    served = (await anonymous.get("/schema/openapi.json")).json()
    committed = json.loads((REPO / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    assert committed == served, "openapi/openapi.json is stale: run `make openapi` and commit it"


async def test_the_schema_is_browsable(anonymous: httpx.AsyncClient) -> None:
    r = await anonymous.get("/schema/swagger")
    assert r.status_code == 200
    assert "text/html" in r.headers["content-type"]


REFERENCE_PAGES = ["/schema", "/schema/swagger", "/schema/redoc"]
_LINKS = re.compile(r"""(?:src|href)\s*=\s*["']([^"']*)["']|url\(\s*["']?([^"')]*)""", re.I)


@pytest.mark.parametrize("page", REFERENCE_PAGES)
async def test_the_api_reference_loads_nothing_from_elsewhere(
    anonymous: httpx.AsyncClient, page: str
) -> None:
    r = await anonymous.get(page)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    links = [a or b for a, b in _LINKS.findall(r.text)]
    assert any(link.endswith(".js") for link in links), links
    for link in links:
        assert link.startswith("data:") or (link.startswith("/") and not link.startswith("//")), (
            f"{page} links {link!r}, which is not served by newsmeta"
        )
        if link.startswith("/"):
            asset = await anonymous.get(link)
            assert asset.status_code == 200, link
            kind = "text/css" if link.endswith(".css") else "text/javascript"
            assert asset.headers["content-type"].startswith(kind), link
            assert "max-age=31536000" in asset.headers["cache-control"]
    # and should a bundled script still name another host, the browser may not fetch it
    policy = r.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "https:" not in policy and "*" not in policy
