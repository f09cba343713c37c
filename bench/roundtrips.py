"""Database round trips and time per article on the write path (claim, results, finish).

Run by hand: ``.venv/bin/python bench/roundtrips.py [--limit N]``.

Starts its own embedded Postgres (private tmp dir), submits the devset texts, then runs a
real ``Worker`` in this process (``run_once`` until the queue is empty) with every asyncpg
call counted: one statement sent and answered is one round trip (``executemany`` is one,
whatever its rows; ``BEGIN`` and ``COMMIT`` are counted too). Extraction runs first for every text
and its results are reused, so the timed part is the database path alone.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import time
from typing import Any

import asyncpg
from _local import devset_texts, embedded_database, load_now, machine

COUNTED = ("execute", "executemany", "fetch", "fetchrow", "fetchval", "copy_records_to_table")


class Counter:
    def __init__(self) -> None:
        self.calls: collections.Counter[str] = collections.Counter()

    def install(self) -> None:
        for name in COUNTED:
            original = getattr(asyncpg.Connection, name)

            def counted(me: Any, *args: Any, _o: Any = original, _n: str = name, **kw: Any) -> Any:
                sql = args[0] if args and isinstance(args[0], str) else _n
                self.calls[" ".join(sql.split())[:70]] += 1
                return _o(me, *args, **kw)

            setattr(asyncpg.Connection, name, counted)


async def run(url: str, texts: list[str]) -> None:
    from service import extraction
    from service.db import create_pool
    from service.settings import load_settings
    from service.store import articles
    from service.worker import runner

    results = {t: extraction.extract(t) for t in texts}  # the NLP, outside the clock

    def cached(text: str, **_: Any) -> Any:
        return results[text]

    runner.extraction.extract = cached  # type: ignore[assignment]
    runner._warm_up = lambda: None
    pool = await create_pool(url, min_size=1, max_size=3)
    try:
        async with pool.acquire() as conn, conn.transaction():
            await articles.submit_many(conn, [articles.NewArticle(text=t) for t in texts])
        counter = Counter()
        counter.install()
        worker = runner.Worker(pool, load_settings({}))
        started = time.perf_counter()
        n = 0
        while await worker.run_once():
            n += 1
        elapsed = time.perf_counter() - started
        await worker._close_listener()
    finally:
        await pool.close()
    total = sum(counter.calls.values())
    print(f"{n} articles: {total / n:.1f} round trips and {elapsed / n * 1000:.2f} ms an article")
    for sql, calls in counter.calls.most_common():
        print(f"  {calls / n:6.2f}  {sql}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="only the first N devset texts")
    args = parser.parse_args()
    texts = devset_texts()
    if args.limit:
        texts = texts[: args.limit]
    print(f"machine: {machine()}")
    with embedded_database() as url:
        asyncio.run(run(url, texts))
    print(f"load average {load_now()}")


if __name__ == "__main__":
    main()
