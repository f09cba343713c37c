"""The cost of migration 0008's triggers on the worker's write (``results.replace``).

Extracts 60 devset articles once, then writes their results three times (processing and two
reprocesses) with the triggers enabled and disabled, twice each. Needs a Postgres at
``NEWSMETA_BENCH_URL``'s server (default: the machine's, 127.0.0.1:5432); run from the repo:
``PYTHONPATH=. .venv/bin/python bench/seen_triggers.py``.
"""

import asyncio
import os
import time

import asyncpg

from service import extraction, migrate
from service.store import results
from service.store.articles import NewArticle, submit_many
from tests.conftest import DEVSET

SERVER = os.environ.get("NEWSMETA_BENCH_URL", "postgresql://postgres@127.0.0.1:5432")
URL = f"{SERVER}/newsmeta_bench_seen"
OFF = """
ALTER TABLE article_entities DISABLE TRIGGER article_entities_seen;
ALTER TABLE article_entities DISABLE TRIGGER article_entities_seen_fill;
ALTER TABLE article_entities ALTER COLUMN seen_at DROP NOT NULL
"""
ON = OFF.replace("DISABLE", "ENABLE").replace("DROP NOT NULL", "SET NOT NULL")


async def setup() -> None:
    admin = await asyncpg.connect(f"{SERVER}/postgres")
    await admin.execute("DROP DATABASE IF EXISTS newsmeta_bench_seen WITH (FORCE)")
    await admin.execute("CREATE DATABASE newsmeta_bench_seen")
    await admin.close()


async def main() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEVSET.glob("*.txt"))][:60]
    extracted = [extraction.extract(t) for t in texts]
    conn = await asyncpg.connect(URL)
    for label in ("0008 triggers", "without", "0008 triggers", "without"):
        await conn.execute("TRUNCATE articles, entities CASCADE")
        if label == "without":
            await conn.execute(OFF)
        else:
            await conn.execute(ON)
        async with conn.transaction():
            stored = await submit_many(conn, [NewArticle(text=t, published_at=None) for t in texts])
        ids = [a.id for a, _ in stored]
        start = time.perf_counter()
        for _ in range(3):  # processing, then two reprocesses
            for aid, res in zip(ids, extracted, strict=True):
                async with conn.transaction():
                    await results.replace(conn, aid, res)
        took = time.perf_counter() - start
        links = await conn.fetchval("SELECT count(*) FROM article_entities")
        each = took * 1000 / (3 * len(ids))
        print(f"{label}: {3 * len(ids)} writes, {each:.2f} ms each ({links} links now)")
    await conn.close()


asyncio.run(setup())
migrate.upgrade(URL)
asyncio.run(main())
