"""Property-based: every operation of the committed ``openapi/openapi.json``, stateless, with
generated (valid and invalid) input, against a real server: no 5xx and no answer that
violates the schema (status, content type, body).

Bounded for CI: ``MAX_EXAMPLES`` per operation, no shrinking, one request at a time. The
server runs without workers (so registered webhooks are never called); one article is
extracted beforehand so the per-article result endpoints have real data to validate.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator

import hypothesis
import pytest
import requests
import schemathesis
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from service.db import create_pool
from service.settings import Settings
from service.store import articles, keys
from service.store.articles import NewArticle
from service.worker.runner import Worker
from tests.conftest import SEED, scratch_database
from tests.stress.conftest import REPO, served

MAX_EXAMPLES = int(os.environ.get("NEWSMETA_SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@schemathesis.serializer("application/x-ndjson")
def _ndjson(_ctx: object, value: object) -> bytes:
    """One JSON value a line; anything but a list is sent as a single line."""
    items = value if isinstance(value, list) else [value]
    return b"".join(json.dumps(item).encode() + b"\n" for item in items)


schema = schemathesis.openapi.from_path(REPO / "openapi" / "openapi.json")


class Served:
    def __init__(self, base: str, key: str, article_id: str) -> None:
        self.base = base
        self.key = key
        self.article_id = article_id
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {key}"


async def _seed(url: str, settings: Settings) -> tuple[str, str]:
    pool = await create_pool(url, min_size=1, max_size=2)
    try:
        _, key = await keys.create(pool, "admin", "schemathesis")
        async with pool.acquire() as conn, conn.transaction():
            ((article, _),) = await articles.submit_many(
                conn, [NewArticle(text=SEED.read_text(encoding="utf-8"))]
            )
        assert await Worker(pool, settings).run_once()
    finally:
        await pool.close()
    return key, str(article.id)


@pytest.fixture(scope="module")
def api(
    server_url: str, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    with scratch_database(server_url, f"newsmeta_schemathesis_{os.getpid()}") as url:
        key, article_id = asyncio.run(_seed(url, settings))
        log = tmp_path_factory.mktemp("schemathesis") / "serve.log"
        with served(url, log, workers=0) as (base, _):
            yield Served(base, key, article_id)


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_operation_answers_within_its_schema(case: schemathesis.Case, api: Served) -> None:
    case.call_and_validate(base_url=api.base, session=api.session, checks=CHECKS, timeout=30)


@pytest.mark.parametrize("suffix", ["", "/entities", "/events", "/sources"])
def test_an_extracted_article_answers_within_its_schema(api: Served, suffix: str) -> None:
    operation = schema["/v1/articles/{article_id}" + suffix]["GET"]
    case = operation.Case(path_parameters={"article_id": api.article_id})
    response = case.call_and_validate(
        base_url=api.base, session=api.session, checks=CHECKS, timeout=30
    )
    assert response.status_code == 200, response.text
    if suffix:
        assert response.json()["items"], f"{suffix}: nothing extracted from the seed article"
