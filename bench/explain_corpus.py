"""Build a synthetic 100,000-article corpus and check the plans of every corpus list query.

Hand-run (not part of the test suite); it takes a few minutes on a small machine:

    .venv/bin/python bench/explain_corpus.py \
        --server postgresql://postgres@127.0.0.1:5432/postgres [--articles 100000] [--keep]

It creates its own database (``newsmeta_bench_corpus`` by default; dropped at the end unless
``--keep``), applies the migrations, and fills every table with set-based SQL
(``generate_series``, ``INSERT … SELECT``): article texts are cut from the factRuEval devset,
entity names are built from capitalised devset words, article links, events, participants and
statements follow a skewed (Zipf-like) popularity. Then it runs the service's own query
functions (``service/store/registry.py``) through a connection that ``EXPLAIN ANALYZE``s each
statement, and fails if any plan reads a large table with a sequential scan.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path
from typing import Any, get_args

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service import migrate
from service.extraction.models import EventType
from service.store import registry

DEVSET = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "factRuEval-2016" / "devset"
LARGE = {
    "articles",
    "entities",
    "entity_aliases",
    "article_entities",
    "mentions",
    "events",
    "event_participants",
    "statements",
}
EVENT_TYPES = list(get_args(EventType))  # PLOVER's sixteen, as the extractor knows them


def _url(server: str, name: str) -> str:
    head, _, _ = server.rpartition("/")
    return f"{head}/{name}"


async def build(url: str, n_articles: int) -> None:
    files = sorted(DEVSET.glob("book_*.txt"))[:200]
    texts = [f.read_text(encoding="utf-8")[:600] for f in files]
    words = sorted({w for t in texts for w in re.findall(r"\b[А-ЯЁ][а-яё]{3,}\b", t)})
    n_entities = max(n_articles * 3 // 10, 100)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SET session_replication_role = replica")  # no triggers while loading
        steps: list[tuple[str, str, tuple[Any, ...]]] = [
            (
                "outlets",
                """INSERT INTO outlets (key, name, domain)
                   SELECT 'outlet' || i || '.ru', 'outlet' || i || '.ru', 'outlet' || i || '.ru'
                   FROM generate_series(1, 200) i""",
                (),
            ),
            (
                "articles",
                """INSERT INTO articles (content_hash, text, length, outlet_id, published_at,
                                         status, created_at, updated_at, processed_at)
                   SELECT sha256(('a' || i)::bytea), t.text || ' #' || i, length(t.text) + 8,
                          (SELECT id FROM outlets
                           WHERE key = 'outlet' || 1 + (i * 7919) % 200 || '.ru'),
                          date '2024-01-01' + (i % 730), 'done',
                          timestamptz '2024-01-01' + i * interval '10 minutes',
                          now(), now()
                   FROM generate_series(1, $1) i
                   JOIN LATERAL (SELECT ($2::text[])[1 + i % array_length($2::text[], 1)]
                                        AS text) t ON true""",
                (n_articles, texts),
            ),
            (
                "entities",
                """INSERT INTO entities (type, key, name, article_count, geonameid)
                   SELECT CASE i % 3 WHEN 0 THEN 'PER' WHEN 1 THEN 'ORG' ELSE 'LOC' END,
                          lower(w1 || ' ' || w2 || ' ' || i), w1 || ' ' || w2 || ' ' || i, 0,
                          CASE WHEN i % 3 = 2 THEN 100000 + i END
                   FROM generate_series(1, $1) i,
                        LATERAL (SELECT ($2::text[])[1 + (i * 7) % array_length($2::text[], 1)]
                                        AS w1,
                                        ($2::text[])[1 + (i * 13) % array_length($2::text[], 1)]
                                        AS w2) w""",
                (n_entities, words),
            ),
            (
                "entity_ranks",
                """CREATE TEMP TABLE ranked AS
                   SELECT id, type, row_number() OVER (ORDER BY key) AS r FROM entities""",
                (),
            ),
            ("entity_ranks_index", "CREATE INDEX ON ranked (r); ANALYZE ranked", ()),
            (
                "entity_aliases",
                """INSERT INTO entity_aliases (type, key, entity_id, name, short)
                   SELECT type, key, id, name,
                          CASE WHEN type = 'PER' THEN split_part(key, ' ', 2) END
                   FROM entities
                   UNION ALL
                   SELECT type, split_part(key, ' ', 2) || ' ' || split_part(key, ' ', 3),
                          id, split_part(name, ' ', 2) || ' ' || split_part(name, ' ', 3),
                          NULL
                   FROM entities WHERE key LIKE '%1 %' OR key ~ '[05]$'""",
                (),
            ),
            (
                "article_entities",
                """INSERT INTO article_entities (article_id, entity_id, ord, name, salience,
                                                 mention_count, roles, article_created_at)
                   SELECT a.id, r.id, row_number() OVER (PARTITION BY a.id ORDER BY r.id) - 1,
                          'имя', 0.1, 1,
                          CASE WHEN r.type = 'PER' AND k = 0 THEN '{министр}'::text[]
                               ELSE '{}' END,
                          a.created_at
                   FROM articles a
                   CROSS JOIN generate_series(0, 7) k
                   JOIN ranked r
                     ON r.r = 1 + floor($1 * power(abs(hashtext(a.id::text || k)) / 2147483648.0,
                                                   3))::int
                   ON CONFLICT DO NOTHING""",
                (n_entities,),
            ),
            (
                "entity_counts",
                """UPDATE entities e SET article_count = c.n
                   FROM (SELECT entity_id, count(*) n FROM article_entities GROUP BY 1) c
                   WHERE c.entity_id = e.id""",
                (),
            ),
            (
                "events",
                """INSERT INTO events (article_id, ord, type, mode, polarity, modality,
                                      trigger_start, trigger_end, trigger_text, trigger_lemma,
                                      location_entity_id, location_name, date_text, date_start,
                                      date_end, sentence_start, sentence_end, day_start, day_end)
                   SELECT a.id, k, ($2::text[])[1 + abs(hashtext(a.id::text || k)) % 16], NULL,
                          CASE WHEN abs(hashtext(a.id::text || 'p' || k)) % 20 = 0
                               THEN 'negative' ELSE 'positive' END,
                          'asserted', 0, 5, 'удар', 'удар',
                          CASE WHEN k = 0 THEN loc.id END, CASE WHEN k = 0 THEN 'место' END,
                          CASE WHEN k = 1 THEN 'вчера' END,
                          CASE WHEN k = 1 THEN a.published_at - 1 END,
                          CASE WHEN k = 1 THEN a.published_at - 1 END, 0, 50,
                          CASE WHEN k = 1 THEN a.published_at - 1 ELSE a.published_at END,
                          CASE WHEN k = 1 THEN a.published_at - 1 ELSE a.published_at END
                   FROM articles a CROSS JOIN generate_series(0, 2) k
                   JOIN ranked loc
                     ON loc.r = 1 + floor($1 * power(abs(hashtext(a.id::text || 'l'))
                                                     / 2147483648.0, 3))::int""",
                (n_entities, EVENT_TYPES),
            ),
            (
                "event_participants",
                """INSERT INTO event_participants (article_id, event_id, ord, entity_id, name,
                                                   role, event_seq)
                   SELECT e.article_id, e.id, k, r.id, 'имя',
                          CASE k WHEN 0 THEN 'agent' ELSE 'patient' END, e.seq
                   FROM events e CROSS JOIN generate_series(0, 1) k
                   JOIN ranked r
                     ON r.r = 1 + floor($1 * power(abs(hashtext(e.id::text || k)) / 2147483648.0,
                                                   3))::int""",
                (n_entities,),
            ),
            (
                "statements",
                """INSERT INTO statements (article_id, ord, kind, quote_start, quote_end,
                                          quote_text, speaker_entity_id, speaker_name,
                                          speaker_type, day, article_created_at)
                   SELECT a.id, k, 'direct', 0, 20, 'цитата',
                          CASE WHEN k = 2 THEN NULL ELSE r.id END,
                          CASE WHEN k = 2 THEN 'агентство ' || (abs(hashtext(a.id::text)) % 30)
                               ELSE 'имя' END,
                          CASE WHEN k = 2 THEN 'media' ELSE 'person' END,
                          a.published_at, a.created_at
                   FROM articles a CROSS JOIN generate_series(0, 2) k
                   JOIN ranked r
                     ON r.r = 1 + 3 * floor($1 / 3 * power(abs(hashtext(a.id::text || 's' || k))
                                                         / 2147483648.0, 3))::int
                   WHERE k < 2 OR abs(hashtext(a.id::text)) % 4 = 0""",
                (n_entities,),
            ),
            ("analyze", "ANALYZE", ()),
        ]
        for name, sql, args in steps:
            started = time.perf_counter()
            await conn.execute(sql, *args)
            print(f"  {name:<20} {time.perf_counter() - started:7.1f} s", flush=True)
        for table in sorted(LARGE):
            n = await conn.fetchval(f"SELECT count(*) FROM {table}")
            print(f"  {table:<20} {n:>9,} rows")
    finally:
        await conn.close()


class Explaining:
    """Stands in for a pool: runs each query for real under EXPLAIN ANALYZE, keeps the plans."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.plans: list[dict[str, Any]] = []

    async def _explain(self, sql: str, args: tuple[Any, ...]) -> None:
        rows = await self.conn.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", *args)
        self.plans.append(json.loads(rows)[0] if isinstance(rows, str) else rows[0])

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        await self._explain(sql, args)
        return await self.conn.fetch(sql, *args)

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        await self._explain(sql, args)
        return await self.conn.fetchrow(sql, *args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        await self._explain(sql, args)
        return await self.conn.fetchval(sql, *args)


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    out = [plan]
    for child in plan.get("Plans", []):
        out += _nodes(child)
    return out


async def check(url: str) -> bool:
    conn = await asyncpg.connect(url)
    ok = True
    try:
        top = await conn.fetchrow(
            "SELECT id, key FROM entities WHERE type = 'PER' ORDER BY article_count DESC LIMIT 1"
        )
        loc = await conn.fetchval(
            "SELECT id FROM entities WHERE type = 'LOC' ORDER BY article_count DESC LIMIT 1"
        )
        rare = await conn.fetchval(
            "SELECT id FROM entities WHERE article_count = 1 ORDER BY id LIMIT 1"
        )
        q3 = top["key"][:3]
        june = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
        ev = registry.EventFilter
        cases: list[tuple[str, Any]] = [
            (
                "entities: top",
                lambda c: registry.search_entities(c, q=None, etype=None, limit=50, after=None),
            ),
            (
                "entities: type=PER",
                lambda c: registry.search_entities(c, q=None, etype="PER", limit=50, after=None),
            ),
            (
                f"entities: q={q3}",
                lambda c: registry.search_entities(c, q=q3, etype=None, limit=50, after=None),
            ),
            (
                f"entities: q={q3}&type=PER",
                lambda c: registry.search_entities(c, q=q3, etype="PER", limit=50, after=None),
            ),
            (
                "entities: q=2 letters",
                lambda c: registry.search_entities(c, q=q3[:2], etype=None, limit=50, after=None),
            ),
            ("entity detail (top)", lambda c: registry.get_entity(c, top["id"])),
            (
                "entity articles (top)",
                lambda c: registry.entity_articles(c, top["id"], limit=50, after=None),
            ),
            (
                "entity articles (rare)",
                lambda c: registry.entity_articles(c, rare, limit=50, after=None),
            ),
            (
                "entity events (top)",
                lambda c: registry.list_events(c, ev(entity_id=top["id"]), limit=50, after=None),
            ),
            (
                "entity quotes (top)",
                lambda c: registry.entity_quotes(c, top["id"], limit=50, after=None),
            ),
            ("events: all", lambda c: registry.list_events(c, ev(), limit=50, after=None)),
            (
                "events: type",
                lambda c: registry.list_events(c, ev(type="ASSAULT"), limit=50, after=None),
            ),
            (
                "events: June",
                lambda c: registry.list_events(
                    c, ev(date_from=june[0], date_to=june[1]), limit=50, after=None
                ),
            ),
            (
                "events: since June",
                lambda c: registry.list_events(c, ev(date_from=june[0]), limit=50, after=None),
            ),
            (
                "events: location",
                lambda c: registry.list_events(c, ev(location_id=loc), limit=50, after=None),
            ),
            (
                "events: negative",
                lambda c: registry.list_events(c, ev(polarity="negative"), limit=50, after=None),
            ),
            (
                "events: ASSAULT+location+since June",
                lambda c: registry.list_events(
                    c, ev(type="ASSAULT", location_id=loc, date_from=june[0]), limit=50, after=None
                ),
            ),
            (
                "events: entity+type+June",
                lambda c: registry.list_events(
                    c,
                    ev(type="CONSULT", entity_id=top["id"], date_from=june[0], date_to=june[1]),
                    limit=50,
                    after=None,
                ),
            ),
            (
                "sources: speakers, 30 days",
                lambda c: registry.rank_sources(
                    c,
                    kind="speakers",
                    date_from=june[0],
                    date_to=june[1],
                    speaker_id=None,
                    limit=50,
                    after=None,
                ),
            ),
            (
                "sources: media, 30 days",
                lambda c: registry.rank_sources(
                    c,
                    kind="media",
                    date_from=june[0],
                    date_to=june[1],
                    speaker_id=None,
                    limit=50,
                    after=None,
                ),
            ),
            (
                "sources: outlets, 30 days",
                lambda c: registry.rank_sources(
                    c,
                    kind="outlets",
                    date_from=june[0],
                    date_to=june[1],
                    speaker_id=None,
                    limit=50,
                    after=None,
                ),
            ),
            (
                "sources: outlets citing top",
                lambda c: registry.rank_sources(
                    c,
                    kind="outlets",
                    date_from=june[0],
                    date_to=june[1],
                    speaker_id=top["id"],
                    limit=50,
                    after=None,
                ),
            ),
        ]
        # second pages through real cursors
        _, nxt = await registry.search_entities(conn, q=None, etype=None, limit=50, after=None)
        cases.append(
            (
                "entities: page 2",
                lambda c: registry.search_entities(c, q=None, etype=None, limit=50, after=nxt),
            )
        )
        _, nxt_a = await registry.entity_articles(conn, top["id"], limit=50, after=None)
        cases.append(
            (
                "entity articles: page 2",
                lambda c: registry.entity_articles(c, top["id"], limit=50, after=nxt_a),
            )
        )
        _, nxt_e = await registry.list_events(conn, ev(type="ASSAULT"), limit=50, after=None)
        cases.append(
            (
                "events: type, page 2",
                lambda c: registry.list_events(c, ev(type="ASSAULT"), limit=50, after=nxt_e),
            )
        )
        print("\n| query | ms | scans | seq scans of large tables |\n|---|---:|---|---|")
        for name, run in cases:
            spy = Explaining(conn)
            await run(spy)
            ms = sum(p["Execution Time"] for p in spy.plans)
            scans: list[str] = []
            seq: list[str] = []
            for p in spy.plans:
                for node in _nodes(p["Plan"]):
                    kind = node["Node Type"]
                    if "Scan" in kind and "Relation Name" in node:
                        label = f"{kind} {node.get('Index Name') or node['Relation Name']}"
                        if label not in scans:
                            scans.append(label)
                        if kind == "Seq Scan" and node["Relation Name"] in LARGE:
                            seq.append(node["Relation Name"])
            ok = ok and not seq
            print(f"| {name} | {ms:.1f} | {'; '.join(scans)} | {', '.join(seq) or 'none'} |")
    finally:
        await conn.close()
    return ok


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="newsmeta_bench_corpus")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="only check an existing corpus")
    args = parser.parse_args()
    url = _url(args.server, args.database)
    admin = await asyncpg.connect(args.server)
    try:
        if not args.reuse:
            await admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{args.database}"')
    finally:
        await admin.close()
    started = time.perf_counter()
    if not args.reuse:
        await asyncio.to_thread(migrate.upgrade, url)
        print(f"building {args.articles:,} articles in {args.database}", flush=True)
        await build(url, args.articles)
        print(f"built in {time.perf_counter() - started:.0f} s")
    ok = await check(url)
    if not args.keep:
        admin = await asyncpg.connect(args.server)
        try:
            await admin.execute(f'DROP DATABASE "{args.database}" WITH (FORCE)')
        finally:
            await admin.close()
    print("\nno sequential scan of a large table" if ok else "\nSEQUENTIAL SCANS FOUND")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
