"""The corpus-wide entity registry: resolution of an article's entities, and its queries.

Resolution (see docs/registry.md), for each entity of an article, of type T, with canonical
name N and the other names A seen for it in the article, keys by ``identity.entity_key``:

1. a manual merge or split recorded for (T, key) of N, else of A, wins;
2. an exact alias (T, key of N), else (T, key of a specific name in A: a multi-word person
   name, any organisation or place name);
3. a place with the same GeoNames id, when exactly one entry has it;
4. the surname / acronym rule: names sharing a ``short`` form (surname of a person, initials of
   a multi-word organisation or the acronym itself) join only when exactly one entry of that
   type has it and it is compatible: a full person name joins an entry whose full names all
   have the same first name (or that has only the surname); an organisation's expansion joins
   an entry known only by the acronym and vice versa;
5. otherwise a new entry with id ``identity.entity_id(T, key)``.

Then every name is recorded as an alias of the entry it resolved to (first writer wins).
Workers run this concurrently: each article first takes transaction advisory locks on the
"buckets" its names fall in (T and short form or key), in sorted order, so two articles that
could resolve into each other resolve one after the other; rows are inserted in (type, key)
order and locked in id order.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Hashable, Iterable
from typing import Any, TypeVar

import asyncpg
import msgspec

from service.corpus_schemas import (
    EntityArticle,
    EntityQuote,
    RegistryEntity,
    RegistryEntityDetail,
    SourceKind,
    SourceRank,
)
from service.extraction.gazetteer import Known
from service.extraction.models import Entity, Geo
from service.identity import entity_id, entity_key
from service.schemas import EventOut
from service.store import cursor

LOCK_CLASS = 0x6E6D7267  # "nmrg": advisory lock class of registry buckets
_FUNCTION_WORDS = {"и", "по", "в", "на", "для", "при", "с", "о", "of", "and", "the", "for"}
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&-]{1,7}$")

_GEO = ("geonameid", "country_code", "lat", "lon")

K = TypeVar("K", bound=Hashable)
Row = tuple[str, str, Entity]  # (type, key, entity) as results._merge_same_key makes them


class RegistryError(ValueError):
    """An admin operation that cannot be done (detail for the client)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status


def is_acronym(name: str) -> bool:
    return bool(_ACRONYM.match(name.strip()))


def short_form(etype: str, name: str) -> str | None:
    """Surname of a person, initials of a multi-word organisation, an acronym itself."""
    key = entity_key(name)
    words = key.split()
    if not words:
        return None
    if etype == "PER":
        return words[-1]
    if etype == "ORG":
        if len(words) == 1:
            return key if is_acronym(name) else None
        letters = [w[0] for w in re.findall(r"[\w-]+", key) if w not in _FUNCTION_WORDS]
        return "".join(letters) if len(letters) > 1 else None
    return None


def _rank(etype: str, name: str) -> tuple[int, int]:
    """How good a display name is: an expansion beats an acronym, a full name a surname."""
    words = len(name.split())
    return (0 if is_acronym(name) else 1, min(words, 2) if etype == "PER" else words)


def _names(entity: Entity) -> list[str]:
    seen: list[str] = []
    for n in [entity.name, *entity.aliases]:
        if n.strip() and entity_key(n) not in {entity_key(s) for s in seen}:
            seen.append(n)
    return seen


def _specific(etype: str, name: str) -> bool:
    return etype != "PER" or len(name.split()) > 1


def _bucket(etype: str, name: str) -> str:
    return f"{etype}:{short_form(etype, name) or entity_key(name)}"


class Resolved(msgspec.Struct):
    """Registry id of each row (``"T:key"`` -> id), and each entry's type and GeoNames
    fields as they stand after the update (what a read of ``entities`` would give)."""

    ids: dict[str, uuid.UUID]
    types: dict[uuid.UUID, str]
    geo: dict[uuid.UUID, Geo]


async def resolve(conn: asyncpg.Connection, rows: list[Row]) -> Resolved:
    """Resolves every row to a registry entry; creates entries and records aliases."""
    if not rows:
        return Resolved({}, {}, {})
    buckets = sorted({_bucket(t, n) for t, _, e in rows for n in _names(e)})
    # One statement takes them all, in this order (volatile functions run after the sort).
    await conn.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext(b))"
        " FROM unnest($2::text[]) WITH ORDINALITY AS t(b, i) ORDER BY i",
        LOCK_CLASS,
        buckets,
    )

    names = {(t, k): _names(e) for t, k, e in rows}
    all_keys = sorted({(t, entity_key(n)) for (t, _), ns in names.items() for n in ns})
    shorts = sorted({(t, s) for t, _, e in rows for n in _names(e) if (s := short_form(t, n))})
    geo_ids = sorted(
        {e.geo.geonameid for t, _, e in rows if t == "LOC" and e.geo and e.geo.geonameid}
    )
    merges: dict[tuple[str, str], uuid.UUID] = {}
    aliases: dict[tuple[str, str], uuid.UUID] = {}
    by_short: dict[tuple[str, str], dict[uuid.UUID, list[str]]] = {}
    by_geo: dict[int, list[uuid.UUID]] = {}
    # Everything known about these names, in one round trip after the locks.
    for r in await conn.fetch(
        _CANDIDATES,
        [t for t, _ in all_keys],
        [k for _, k in all_keys],
        [t for t, _ in shorts],
        [s for _, s in shorts],
        geo_ids,
    ):
        if r["src"] == "merge":
            merges[(r["type"], r["key"])] = r["id"]
        elif r["src"] == "alias":
            aliases[(r["type"], r["key"])] = r["id"]
        elif r["src"] == "short":
            by_short.setdefault((r["type"], r["key"]), {}).setdefault(r["id"], []).append(
                r["other"]
            )
        else:
            by_geo.setdefault(r["geonameid"], []).append(r["id"])

    found: dict[str, uuid.UUID] = {}
    new: list[Row] = []
    for t, k, e in rows:
        ns = names[(t, k)]
        hit = next((merges[(t, entity_key(n))] for n in ns if (t, entity_key(n)) in merges), None)
        if hit is None:
            hit = next(
                (
                    aliases[(t, entity_key(n))]
                    for i, n in enumerate(ns)
                    if (t, entity_key(n)) in aliases and (i == 0 or _specific(t, n))
                ),
                None,
            )
        if hit is None and t == "LOC" and e.geo and e.geo.geonameid:
            same = by_geo.get(e.geo.geonameid, [])
            hit = same[0] if len(same) == 1 else None
        if hit is None:
            hit = _by_short(t, e.name, by_short)
        if hit is None:
            new.append((t, k, e))
        else:
            found[f"{t}:{k}"] = hit

    if new:
        new.sort(key=lambda r: (r[0], r[1]))
        found.update(await _insert(conn, new))

    # Lock the entries in id order, then update names and geo. (first_seen and last_seen
    # follow the article links' dates: triggers of migration 0007.)
    ids = sorted(set(found.values()))
    current = {
        r["id"]: r
        for r in await conn.fetch(
            "SELECT id, type, name, geonameid, country_code, lat, lon FROM entities"
            " WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE",
            ids,
        )
    }
    best: dict[uuid.UUID, str] = {}
    geo: dict[uuid.UUID, Geo] = {}
    for t, k, e in rows:
        eid = found[f"{t}:{k}"]
        for n in names[(t, k)]:
            old = best.get(eid, current[eid]["name"])
            if _rank(t, n) > _rank(t, old):
                best[eid] = n
        if e.geo and eid not in geo:
            geo[eid] = e.geo
    # One statement for the entries whose name or places change (none, mostly, once the
    # registry knows the names): the others are not rewritten. ``current`` is exact: the
    # rows are locked above.
    changed = [i for i in ids if _changes(current[i], best.get(i), geo.get(i))]
    if changed:
        await conn.execute(_UPDATE_ENTRIES, *_entry_columns(changed, best, geo))
    # A place that gains GeoNames fields shows them in every article: their pages are stale.
    placed = [
        i for i, g in geo.items() if current[i]["type"] == "LOC" and _changes(current[i], None, g)
    ]
    if placed:
        await conn.execute(
            "DELETE FROM article_results WHERE article_id IN"
            " (SELECT article_id FROM article_entities WHERE entity_id = ANY($1::uuid[]))",
            placed,
        )
    # Record every name as an alias of its entry (first writer wins), in (type, key) order.
    alias_rows = sorted(
        {
            (t, entity_key(n)): (t, entity_key(n), found[f"{t}:{k}"], n, short_form(t, n))
            for (t, k), ns in names.items()
            for n in ns
        }.values(),
        key=lambda a: (a[0], a[1]),
    )
    # Aliases already read above exist (first writer wins): only the others are sent.
    fresh = [a for a in alias_rows if (a[0], a[1]) not in aliases]
    if fresh:
        await conn.execute(_INSERT_ALIASES, *(list(c) for c in zip(*fresh, strict=True)))
    return Resolved(found, {i: r["type"] for i, r in current.items()}, _placed(current, geo))


_UPDATE_ENTRIES = """
    UPDATE entities e
    SET name = coalesce(u.name, e.name),
        geonameid = coalesce(e.geonameid, u.geonameid),
        country_code = coalesce(e.country_code, u.country_code),
        lat = coalesce(e.lat, u.lat),
        lon = coalesce(e.lon, u.lon)
    FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::float8[], $6::float8[])
        AS u(id, name, geonameid, country_code, lat, lon)
    WHERE e.id = u.id
"""

# In (type, key) order, as sorted by the caller: concurrent writers lock keys alike.
_INSERT_ALIASES = """
    INSERT INTO entity_aliases (type, key, entity_id, name, short)
    SELECT type, key, entity_id, name, short
    FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[]) WITH ORDINALITY
        AS t(type, key, entity_id, name, short, i)
    ORDER BY i
    ON CONFLICT DO NOTHING
"""


def _changes(row: Any, name: str | None, place: Geo | None) -> bool:
    """Whether ``_UPDATE_ENTRIES`` would change the entry ``row``."""
    if name is not None and name != row["name"]:
        return True
    return place is not None and any(
        row[c] is None and v is not None
        for c, v in zip(
            _GEO, (place.geonameid, place.country_code, place.lat, place.lon), strict=True
        )
    )


def _entry_columns(
    ids: list[uuid.UUID], best: dict[uuid.UUID, str], geo: dict[uuid.UUID, Geo]
) -> list[list[Any]]:
    """``_UPDATE_ENTRIES``'s arrays: each entry's better name (or NULL) and places."""
    none = Geo(None, None, None, None)
    places = [geo.get(i, none) for i in ids]
    return [
        ids,
        [best.get(i) for i in ids],
        [g.geonameid for g in places],
        [g.country_code for g in places],
        [g.lat for g in places],
        [g.lon for g in places],
    ]


def _placed(current: dict[uuid.UUID, Any], geo: dict[uuid.UUID, Geo]) -> dict[uuid.UUID, Geo]:
    """Each entry's GeoNames fields after ``coalesce(old, new)``, as ``entities`` holds them."""
    out = {}
    for i, r in current.items():
        g = geo.get(i) or Geo(None, None, None, None)
        out[i] = Geo(
            r["geonameid"] if r["geonameid"] is not None else g.geonameid,
            r["country_code"] if r["country_code"] is not None else g.country_code,
            r["lat"] if r["lat"] is not None else g.lat,
            r["lon"] if r["lon"] is not None else g.lon,
        )
    return out


# New entries and the ids they got, in one round trip; a key that another transaction
# registered after this statement's snapshot is read by a second one (rare).
_INSERT_NEW = """
    WITH input AS (
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[],
                             $6::text[], $7::float8[], $8::float8[]) WITH ORDINALITY
            AS t(id, type, key, name, geonameid, country_code, lat, lon, i)
    ), ins AS (
        INSERT INTO entities (id, type, key, name, geonameid, country_code, lat, lon)
        SELECT id, type, key, name, geonameid, country_code, lat, lon FROM input ORDER BY i
        ON CONFLICT (type, key) DO NOTHING
        RETURNING id, type, key
    )
    SELECT id, type, key FROM ins
    UNION ALL
    SELECT e.id, e.type, e.key FROM entities e JOIN input n ON e.type = n.type AND e.key = n.key
"""


async def _insert(conn: asyncpg.Connection, new: list[Row]) -> dict[str, uuid.UUID]:
    geos = [e.geo for _, _, e in new]
    found = {
        f"{r['type']}:{r['key']}": r["id"]
        for r in await conn.fetch(
            _INSERT_NEW,
            [entity_id(t, k) for t, k, _ in new],
            [t for t, _, _ in new],
            [k for _, k, _ in new],
            [e.name for _, _, e in new],
            [g.geonameid if g else None for g in geos],
            [g.country_code if g else None for g in geos],
            [g.lat if g else None for g in geos],
            [g.lon if g else None for g in geos],
        )
    }
    missing = [(t, k) for t, k, _ in new if f"{t}:{k}" not in found]
    if missing:
        for r in await conn.fetch(
            "SELECT id, type, key FROM entities WHERE (type, key) IN"
            " (SELECT * FROM unnest($1::text[], $2::text[]))",
            [t for t, _ in missing],
            [k for _, k in missing],
        ):
            found[f"{r['type']}:{r['key']}"] = r["id"]
    return found


# Manual merges and aliases of the names' keys ($1, $2), entries sharing a short form
# ($3, $4: key = the short form, other = the alias key), places by GeoNames id ($5).
_CANDIDATES = """
    SELECT 'merge' AS src, type, from_key AS key, into_id AS id, NULL AS other,
           NULL::int AS geonameid
    FROM entity_merges WHERE (type, from_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
    UNION ALL
    SELECT 'alias', type, key, entity_id, NULL, NULL FROM entity_aliases
    WHERE (type, key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
    UNION ALL
    (SELECT 'short', type, short, entity_id, key, NULL FROM entity_aliases
     WHERE (type, short) IN (SELECT * FROM unnest($3::text[], $4::text[]))
     ORDER BY type, short, entity_id, key)
    UNION ALL
    SELECT 'geo', type, NULL, id, NULL, geonameid FROM entities
    WHERE type = 'LOC' AND geonameid = ANY($5::int[])
"""


def _by_short(
    etype: str, name: str, by_short: dict[tuple[str, str], dict[uuid.UUID, list[str]]]
) -> uuid.UUID | None:
    short = short_form(etype, name)
    if short is None:
        return None
    candidates = by_short.get((etype, short), {})
    if len(candidates) != 1:
        return None  # unknown or ambiguous: never guess between two entries
    ((eid, keys),) = candidates.items()
    words = entity_key(name).split()
    if etype == "PER":
        if len(words) == 1:
            return eid
        firsts = {k.split()[0] for k in keys if len(k.split()) > 1}
        return eid if firsts <= {words[0]} else None
    if etype == "ORG":
        mine_acronym = is_acronym(name)
        theirs_acronym = all(len(k.split()) == 1 for k in keys)
        return eid if mine_acronym != theirs_acronym or (mine_acronym and theirs_acronym) else None
    return None


def merge_by(keyed: Iterable[tuple[K, Entity]]) -> dict[K, Entity]:
    """Entities under one key become one, in order of first mention: mentions united,
    salience summed, roles kept in order. The inputs are not changed."""
    out: dict[K, Entity] = {}
    for k, e in keyed:
        row = out.get(k)
        if row is None:
            out[k] = msgspec.structs.replace(
                e, roles=list(e.roles), mentions=list(e.mentions), aliases=list(e.aliases)
            )
            continue
        row.salience = round(row.salience + e.salience, 4)
        row.roles += [r for r in e.roles if r not in row.roles]
        row.mentions = sorted({*row.mentions, *e.mentions}, key=lambda m: (m.start, m.end))
        row.mention_count = len(row.mentions)
    return out


def combine(rows: list[Row], ids: dict[str, uuid.UUID]) -> list[tuple[uuid.UUID, Entity]]:
    """One row per registry id, in order of first mention (two rows may resolve alike)."""
    return list(merge_by((ids[f"{t}:{k}"], e) for t, k, e in rows).items())


# ---------------------------------------------------------------------------- queries


_ENTITY_COLUMNS = """
    e.id, e.type, e.name, e.article_count, e.first_seen, e.last_seen,
    e.geonameid, e.country_code, e.lat, e.lon,
    coalesce((SELECT array_agg(a.name ORDER BY a.created_at, a.key) FROM entity_aliases a
              WHERE a.entity_id = e.id), '{}') AS aliases
"""


def _entity(r: asyncpg.Record) -> RegistryEntity:
    geo = None
    if r["type"] == "LOC" and (r["geonameid"] is not None or r["country_code"]):
        geo = Geo(r["geonameid"], r["country_code"], r["lat"], r["lon"])
    return RegistryEntity(
        id=r["id"],
        type=r["type"],
        name=r["name"],
        aliases=list(r["aliases"]),
        article_count=r["article_count"],
        first_seen=r["first_seen"],
        last_seen=r["last_seen"],
        geo=geo,
    )


class _Args:
    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"


def _like(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search_entities(
    conn: asyncpg.Connection | asyncpg.Pool,
    *,
    q: str | None,
    etype: str | None,
    limit: int,
    after: str | None,
) -> tuple[list[RegistryEntity], str | None]:
    """By article count (then id); ``q`` matches any name (substring; prefix under 3 letters)."""
    arg = _Args()
    where: list[str] = []
    if etype:
        where.append(f"e.type = {arg(etype)}")
    if q:
        key = entity_key(q)
        if len(key) >= 3:
            match = f"a.key LIKE {arg('%' + _like(key) + '%')}"
        else:
            match = f"a.key LIKE {arg(_like(key) + '%')}"
        where.append(f"e.id IN (SELECT a.entity_id FROM entity_aliases a WHERE {match})")
    if after:
        count, last = cursor.decode_as(after, "registry", cursor.ordinal, cursor.uid)
        c, i = arg(count), arg(last)
        where.append(f"e.article_count <= {c} AND (e.article_count < {c} OR e.id > {i})")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = await conn.fetch(
        f"SELECT {_ENTITY_COLUMNS} FROM entities e {clause}"
        f" ORDER BY e.article_count DESC, e.id LIMIT {arg(limit + 1)}",
        *arg.values,
    )
    items = [_entity(r) for r in rows[:limit]]
    nxt = None
    if len(rows) > limit:
        nxt = cursor.encode("registry", items[-1].article_count, str(items[-1].id))
    return items, nxt


async def current_id(conn: asyncpg.Connection | asyncpg.Pool, eid: uuid.UUID) -> uuid.UUID | None:
    """The entry's id, or the entry it was merged into; None if unknown."""
    if await conn.fetchval("SELECT 1 FROM entities WHERE id = $1", eid):
        return eid
    into: uuid.UUID | None = await conn.fetchval(
        "SELECT into_id FROM entity_merges WHERE from_id = $1 LIMIT 1", eid
    )
    return into


async def get_entity(
    conn: asyncpg.Connection | asyncpg.Pool, eid: uuid.UUID
) -> RegistryEntityDetail | None:
    r = await conn.fetchrow(f"SELECT {_ENTITY_COLUMNS} FROM entities e WHERE e.id = $1", eid)
    if r is None:
        return None
    roles = await conn.fetch(
        """
        SELECT role, count(*) AS n FROM article_entities ae, unnest(ae.roles) AS role
        WHERE ae.entity_id = $1 GROUP BY role ORDER BY n DESC, role LIMIT 50
        """,
        eid,
    )
    merged = await conn.fetch(
        "SELECT DISTINCT from_id FROM entity_merges WHERE into_id = $1 AND from_id IS NOT NULL"
        " ORDER BY from_id",
        eid,
    )
    base = _entity(r)
    return RegistryEntityDetail(
        **{f: getattr(base, f) for f in base.__struct_fields__},
        roles=[x["role"] for x in roles],
        merged_from=[x["from_id"] for x in merged],
    )


async def entity_articles(
    conn: asyncpg.Connection | asyncpg.Pool, eid: uuid.UUID, *, limit: int, after: str | None
) -> tuple[list[EntityArticle], str | None]:
    arg = _Args()
    where = [f"ae.entity_id = {arg(eid)}"]
    if after:
        created, last = cursor.decode_as(after, "entity-articles", cursor.timestamp, cursor.uid)
        where.append(f"(ae.article_created_at, ae.article_id) < ({arg(created)}, {arg(last)})")
    rows = await conn.fetch(
        f"""
        SELECT a.id, a.title, a.url, o.name AS outlet, a.published_at, a.created_at,
               ae.name, ae.salience, ae.mention_count, ae.roles
        FROM article_entities ae
        JOIN articles a ON a.id = ae.article_id
        LEFT JOIN outlets o ON o.id = a.outlet_id
        WHERE {" AND ".join(where)}
        ORDER BY ae.article_created_at DESC, ae.article_id DESC LIMIT {arg(limit + 1)}
        """,
        *arg.values,
    )
    items = [
        EntityArticle(
            id=r["id"],
            title=r["title"],
            url=r["url"],
            outlet=r["outlet"],
            published_at=r["published_at"],
            created_at=r["created_at"],
            name=r["name"],
            salience=round(float(r["salience"]), 4),
            mention_count=r["mention_count"],
            roles=list(r["roles"]),
        )
        for r in rows[:limit]
    ]
    nxt = None
    if len(rows) > limit:
        nxt = cursor.encode("entity-articles", items[-1].created_at.isoformat(), str(items[-1].id))
    return items, nxt


_EVENT_COLUMNS = """
    ev.*,
    coalesce((SELECT array_agg(p.entity_id ORDER BY p.ord) FROM event_participants p
              WHERE p.event_id = ev.id), '{}') AS p_ids,
    coalesce((SELECT array_agg(p.name ORDER BY p.ord) FROM event_participants p
              WHERE p.event_id = ev.id), '{}') AS p_names,
    coalesce((SELECT array_agg(p.role ORDER BY p.ord) FROM event_participants p
              WHERE p.event_id = ev.id), '{}') AS p_roles
"""


class EventFilter:
    def __init__(
        self,
        *,
        type: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        entity_id: uuid.UUID | None = None,
        location_id: uuid.UUID | None = None,
        polarity: str | None = None,
    ) -> None:
        self.type = type
        self.date_from = date_from
        self.date_to = date_to
        self.entity_id = entity_id
        self.location_id = location_id
        self.polarity = polarity


async def list_events(
    conn: asyncpg.Connection | asyncpg.Pool,
    flt: EventFilter,
    *,
    limit: int,
    after: str | None,
) -> tuple[list[EventOut], str | None]:
    """Newest first (keyset on ``seq``). ``entity_id`` matches a participant or the location;
    dates match events whose date range (else the article's date) overlaps the range."""
    from service.store.results import event_row

    arg = _Args()
    where: list[str] = []
    if flt.type:
        where.append(f"ev.type = {arg(flt.type)}")
    if flt.polarity:
        where.append(f"ev.polarity = {arg(flt.polarity)}")
    if flt.location_id:
        where.append(f"ev.location_entity_id = {arg(flt.location_id)}")
    if flt.date_from:
        # day_end >= from: day_start is at most 366 days before day_end for any date we parse
        d = arg(flt.date_from)
        where.append(f"ev.day_end >= {d} AND ev.day_start >= {d}::date - 366")
    if flt.date_to:
        where.append(f"ev.day_start <= {arg(flt.date_to)}")
    before = None
    if after:
        (seq,) = cursor.decode_as(after, "corpus-events", cursor.bigint)
        before = arg(seq)
        where.append(f"ev.seq < {before}")
    source = "events ev"
    if flt.entity_id:
        e = arg(flt.entity_id)
        p_after = f"AND p.event_seq < {before}" if before else ""
        l_after = f"AND l.seq < {before}" if before else ""
        # Alone, the entity filter is two ordered index scans cut at the page size; with other
        # filters the candidates are filtered first.
        alone = len(where) == (1 if before else 0)
        cut = f"ORDER BY 1 DESC LIMIT {int(limit) + 1}" if alone else ""
        source = f"""(
            SELECT DISTINCT u.seq FROM (
                (SELECT p.event_seq AS seq FROM event_participants p
                 WHERE p.entity_id = {e} {p_after} {cut})
                UNION ALL
                (SELECT l.seq FROM events l WHERE l.location_entity_id = {e} {l_after} {cut})
            ) u
        ) s JOIN events ev ON ev.seq = s.seq"""
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = await conn.fetch(
        f"SELECT {_EVENT_COLUMNS} FROM {source} {clause}"
        f" ORDER BY ev.seq DESC LIMIT {arg(limit + 1)}",
        *arg.values,
    )
    items = [event_row(r) for r in rows[:limit]]
    nxt = cursor.encode("corpus-events", rows[limit - 1]["seq"]) if len(rows) > limit else None
    return items, nxt


async def entity_quotes(
    conn: asyncpg.Connection | asyncpg.Pool, eid: uuid.UUID, *, limit: int, after: str | None
) -> tuple[list[EntityQuote], str | None]:
    arg = _Args()
    where = [f"s.speaker_entity_id = {arg(eid)}"]
    if after:
        created, seq = cursor.decode_as(after, "quotes", cursor.timestamp, cursor.bigint)
        where.append(f"(s.article_created_at, s.seq) < ({arg(created)}, {arg(seq)})")
    rows = await conn.fetch(
        f"""
        SELECT s.*, a.published_at, o.name AS outlet
        FROM statements s
        JOIN articles a ON a.id = s.article_id
        LEFT JOIN outlets o ON o.id = a.outlet_id
        WHERE {" AND ".join(where)}
        ORDER BY s.article_created_at DESC, s.seq DESC LIMIT {arg(limit + 1)}
        """,
        *arg.values,
    )
    from service.store.results import statement_row  # results imports this module

    items = [
        EntityQuote(
            **msgspec.structs.asdict(statement_row(r)),
            article_id=r["article_id"],
            published_at=r["published_at"],
            outlet=r["outlet"],
        )
        for r in rows[:limit]
    ]
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        nxt = cursor.encode("quotes", last["article_created_at"].isoformat(), last["seq"])
    return items, nxt


async def newest_published(conn: asyncpg.Connection | asyncpg.Pool) -> dt.date | None:
    """The newest publication date in the corpus: where its default time window ends."""
    found: dt.date | None = await conn.fetchval("SELECT max(published_at) FROM articles")
    return found


async def rank_sources(
    conn: asyncpg.Connection | asyncpg.Pool,
    *,
    kind: SourceKind,
    date_from: dt.date,
    date_to: dt.date,
    speaker_id: uuid.UUID | None,
    limit: int,
    after: str | None,
) -> tuple[list[SourceRank], str | None]:
    """Speakers (persons, organisations, anonymous, documents) or cited media ranked by
    statements, or outlets ranked by articles, within [date_from, date_to] (article dates).
    ``speaker_id`` restricts outlets to those whose articles quote that speaker, and
    speakers or media to that one."""
    arg = _Args()
    having = ""
    if kind == "outlets":
        inner = f"a.published_at BETWEEN {arg(date_from)} AND {arg(date_to)}"
        if speaker_id:
            inner += (
                " AND a.id IN (SELECT s.article_id FROM statements s"
                f" WHERE s.speaker_entity_id = {arg(speaker_id)})"
            )
        base = f"""
            SELECT o.key AS gkey, min(o.name) AS name, NULL::uuid AS entity_id,
                   NULL::text AS speaker_type, 0::bigint AS statements,
                   count(*) AS articles, count(*) AS n
            FROM articles a JOIN outlets o ON o.id = a.outlet_id
            WHERE {inner}
            GROUP BY o.key
        """
    else:
        types = "s.speaker_type = 'media'" if kind == "media" else "s.speaker_type <> 'media'"
        if speaker_id:
            types += f" AND s.speaker_entity_id = {arg(speaker_id)}"
        base = f"""
            SELECT coalesce(s.speaker_entity_id::text, lower(s.speaker_name)) AS gkey,
                   min(s.speaker_name) AS name,
                   (array_agg(s.speaker_entity_id))[1] AS entity_id,
                   min(s.speaker_type) AS speaker_type,
                   count(*) AS statements, count(DISTINCT s.article_id) AS articles,
                   count(*) AS n
            FROM statements s
            WHERE s.day BETWEEN {arg(date_from)} AND {arg(date_to)} AND {types}
            GROUP BY 1
        """
    if after:
        n, key = cursor.decode_as(after, "ranking", cursor.bigint, cursor.text)
        having = f"WHERE (n, gkey) < ({arg(n)}, {arg(key)})"
    rows = await conn.fetch(
        f"SELECT * FROM ({base}) g {having} ORDER BY n DESC, gkey DESC LIMIT {arg(limit + 1)}",
        *arg.values,
    )
    names: dict[uuid.UUID, str] = {}
    ids = [r["entity_id"] for r in rows[:limit] if r["entity_id"]]
    if ids:
        names = {
            r["id"]: r["name"]
            for r in await conn.fetch(
                "SELECT id, name FROM entities WHERE id = ANY($1::uuid[])", ids
            )
        }
    items = [
        SourceRank(
            kind="outlet" if kind == "outlets" else "media" if kind == "media" else "speaker",
            name=names.get(r["entity_id"], r["name"]) if r["entity_id"] else r["name"],
            entity_id=r["entity_id"],
            speaker_type=r["speaker_type"],
            statement_count=r["statements"],
            article_count=r["articles"],
        )
        for r in rows[:limit]
    ]
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        nxt = cursor.encode("ranking", last["n"], last["gkey"])
    return items, nxt


# ---------------------------------------------------------------------------- admin


async def _move_links(
    conn: asyncpg.Connection,
    src: uuid.UUID,
    dst: uuid.UUID,
    articles: list[uuid.UUID] | None = None,
) -> None:
    """Move article links (and mentions, events, statements) of ``src`` to ``dst``; for all
    of ``src``'s articles, or only ``articles``. Link counts follow through the triggers."""
    only = "AND article_id = ANY($2::uuid[])" if articles is not None else ""
    extra = [articles] if articles is not None else []
    links = await conn.fetch(
        f"SELECT * FROM article_entities WHERE entity_id = $1 {only} ORDER BY article_id",
        src,
        *extra,
    )
    if not links:
        return
    moved = [r["article_id"] for r in links]
    await _drop_pages(conn, moved)
    mentions = await conn.fetch(
        'SELECT article_id, start, "end", text FROM mentions'
        " WHERE entity_id = $1 AND article_id = ANY($2::uuid[])",
        src,
        moved,
    )
    await conn.execute(
        "DELETE FROM article_entities WHERE entity_id = $1 AND article_id = ANY($2::uuid[])",
        src,
        moved,
    )
    existing = {
        r["article_id"]
        for r in await conn.fetch(
            "SELECT article_id FROM article_entities"
            " WHERE entity_id = $1 AND article_id = ANY($2::uuid[])",
            dst,
            moved,
        )
    }
    await conn.executemany(
        """
        UPDATE article_entities
        SET salience = salience + $3, mention_count = mention_count + $4,
            roles = roles || array(SELECT unnest($5::text[]) EXCEPT SELECT unnest(roles))
        WHERE article_id = $1 AND entity_id = $2
        """,
        [
            (r["article_id"], dst, r["salience"], r["mention_count"], r["roles"])
            for r in links
            if r["article_id"] in existing
        ],
    )
    await conn.executemany(
        """
        INSERT INTO article_entities (article_id, entity_id, ord, name, salience, mention_count,
                                      roles, article_created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        """,
        [
            (
                r["article_id"],
                dst,
                r["ord"],
                r["name"],
                r["salience"],
                r["mention_count"],
                r["roles"],
                r["article_created_at"],
            )
            for r in links
            if r["article_id"] not in existing
        ],
    )
    await conn.executemany(
        'INSERT INTO mentions (article_id, entity_id, start, "end", text)'
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        [(m["article_id"], dst, m["start"], m["end"], m["text"]) for m in mentions],
    )
    await conn.execute(
        "UPDATE events SET location_entity_id = $2"
        " WHERE location_entity_id = $1 AND article_id = ANY($3::uuid[])",
        src,
        dst,
        moved,
    )
    await conn.execute(
        "UPDATE event_participants SET entity_id = $2"
        " WHERE entity_id = $1 AND article_id = ANY($3::uuid[])",
        src,
        dst,
        moved,
    )
    await conn.execute(
        "UPDATE statements SET speaker_entity_id = $2"
        " WHERE speaker_entity_id = $1 AND article_id = ANY($3::uuid[])",
        src,
        dst,
        moved,
    )


async def _drop_pages(conn: asyncpg.Connection, article_ids: list[uuid.UUID]) -> None:
    """Stored result pages name registry ids and places: these articles' are now stale
    (the API reads the tables until the article is processed again)."""
    await conn.execute(
        "DELETE FROM article_results WHERE article_id = ANY($1::uuid[])", article_ids
    )


async def merge(conn: asyncpg.Connection, from_ids: list[uuid.UUID], into_id: uuid.UUID) -> None:
    """Merge entries into ``into_id``: links, aliases, and a record per alias key that later
    resolutions (reprocessing included) consult first. Call inside a transaction."""
    # An entry merged into itself stays as it is.
    from_ids = [i for i in from_ids if i != into_id]
    all_ids = sorted({*from_ids, into_id})
    found = {
        r["id"]: r
        for r in await conn.fetch(
            "SELECT * FROM entities WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE", all_ids
        )
    }
    missing = [str(i) for i in all_ids if i not in found]
    if missing:
        raise RegistryError(404, f"no registry entry {', '.join(missing)}")
    target = found[into_id]
    for src in sorted(set(from_ids)):
        if found[src]["type"] != target["type"]:
            raise RegistryError(
                409,
                f"cannot merge {src} ({found[src]['type']}) into {into_id} ({target['type']}):"
                " entries of different types",
            )
    for src in sorted(set(from_ids)):
        s = found[src]
        await _move_links(conn, src, into_id)
        src_keys = [
            r["key"]
            for r in await conn.fetch(
                "SELECT key FROM entity_aliases WHERE entity_id = $1 ORDER BY key", src
            )
        ]
        await conn.execute(
            "UPDATE entity_aliases SET entity_id = $2, manual = true WHERE entity_id = $1",
            src,
            into_id,
        )
        await conn.execute("UPDATE entity_merges SET into_id = $2 WHERE into_id = $1", src, into_id)
        await conn.executemany(
            """
            INSERT INTO entity_merges (type, from_key, from_id, into_id, action)
            VALUES ($1, $2, $3, $4, 'merge')
            ON CONFLICT (type, from_key) DO UPDATE
            SET into_id = EXCLUDED.into_id, from_id = EXCLUDED.from_id, action = 'merge',
                created_at = now()
            """,
            [(s["type"], k, src, into_id) for k in src_keys],
        )
        await conn.execute(
            """
            UPDATE entities SET first_seen = least(first_seen, $2),
                                last_seen = greatest(last_seen, $3),
                                geonameid = coalesce(geonameid, $4),
                                country_code = coalesce(country_code, $5),
                                lat = coalesce(lat, $6), lon = coalesce(lon, $7)
            WHERE id = $1
            """,
            into_id,
            s["first_seen"],
            s["last_seen"],
            s["geonameid"],
            s["country_code"],
            s["lat"],
            s["lon"],
        )
        await conn.execute("DELETE FROM entities WHERE id = $1", src)
    # The target's place may have been filled from a source: its articles render it anew.
    await conn.execute(
        "DELETE FROM article_results WHERE article_id IN"
        " (SELECT article_id FROM article_entities WHERE entity_id = $1)",
        into_id,
    )


async def split(conn: asyncpg.Connection, eid: uuid.UUID, names: list[str]) -> uuid.UUID:
    """Move the aliases ``names`` of entry ``eid`` (and the article links named so) to a new
    entry; recorded so later resolutions keep them apart. Returns the new entry's id."""
    row = await conn.fetchrow("SELECT * FROM entities WHERE id = $1 FOR UPDATE", eid)
    if row is None:
        raise RegistryError(404, f"no registry entry {eid}")
    etype = row["type"]
    keys = sorted({entity_key(n) for n in names})
    have = {
        r["key"]: r["name"]
        for r in await conn.fetch(
            "SELECT key, name FROM entity_aliases WHERE entity_id = $1 ORDER BY key", eid
        )
    }
    unknown = [n for n in names if entity_key(n) not in have]
    if unknown:
        raise RegistryError(
            409,
            f"not names of {eid}: {', '.join(unknown)}; its names are {', '.join(have.values())}",
        )
    rest = [k for k in have if k not in keys]
    if not rest:
        raise RegistryError(409, "a split must leave at least one name on the entry")
    if row["key"] in keys:  # the entry keeps a key of its own
        await conn.execute("UPDATE entities SET key = $2 WHERE id = $1", eid, rest[0])
    if row["name"] and entity_key(row["name"]) in keys:
        best = max((have[k] for k in rest), key=lambda n: _rank(etype, n))
        await conn.execute("UPDATE entities SET name = $2 WHERE id = $1", eid, best)
    new_name = max((have[k] for k in keys), key=lambda n: _rank(etype, n))
    new_id: uuid.UUID = await conn.fetchval(
        """
        INSERT INTO entities (type, key, name, first_seen, last_seen)
        VALUES ($1, $2, $3, $4, $5) RETURNING id
        """,
        etype,
        entity_key(new_name),
        new_name,
        row["first_seen"],
        row["last_seen"],
    )
    await conn.execute(
        "UPDATE entity_aliases SET entity_id = $2, manual = true"
        " WHERE type = $3 AND key = ANY($1::text[])",
        keys,
        new_id,
        etype,
    )
    await conn.executemany(
        """
        INSERT INTO entity_merges (type, from_key, from_id, into_id, action)
        VALUES ($1, $2, NULL, $3, 'split')
        ON CONFLICT (type, from_key) DO UPDATE
        SET into_id = EXCLUDED.into_id, from_id = NULL, action = 'split', created_at = now()
        """,
        [(etype, k, new_id) for k in keys],
    )
    moved = [
        r["article_id"]
        for r in await conn.fetch(
            "SELECT article_id, name FROM article_entities WHERE entity_id = $1", eid
        )
        if entity_key(r["name"]) in keys
    ]
    await _move_links(conn, eid, new_id, moved)
    return new_id


async def known_entries(conn: asyncpg.Connection | asyncpg.Pool) -> list[Known]:
    """The entries a gazetteer may admit (``gazetteer.admitted`` decides): seen in two or
    more articles, placed by an admin merge/split, or a person with a multi-word name."""
    rows = await conn.fetch(
        """
        SELECT e.type, e.name, e.article_count,
               EXISTS (SELECT 1 FROM entity_merges m WHERE m.into_id = e.id) AS confirmed,
               array(SELECT a.name FROM entity_aliases a
                     WHERE a.entity_id = e.id AND a.key <> e.key ORDER BY a.key) AS aliases
        FROM entities e
        WHERE e.article_count >= 2
           OR e.id IN (SELECT into_id FROM entity_merges)
           OR (e.type = 'PER' AND e.name LIKE '% %')
        ORDER BY e.type, e.key
        """,
        timeout=30,
    )
    return [
        Known(r["type"], r["name"], tuple(r["aliases"]), r["article_count"], r["confirmed"])
        for r in rows
    ]
