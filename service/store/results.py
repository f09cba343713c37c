"""What was extracted from one article: entities and mentions, events, statements.

``replace`` writes all of it in the caller's transaction, after deleting the previous
results, so readers see either the old set or the new one, never a mix.
"""

from __future__ import annotations

import struct
import uuid
from typing import Any

import asyncpg
import msgspec

from service.extraction.models import Entity, Extraction, Geo, Span, TextSpan, Trigger
from service.identity import entity_key
from service.outputs import event_out
from service.schemas import (
    DateOut,
    EntityOut,
    EventOut,
    LocationOut,
    OutletOut,
    ParticipantOut,
    SourcesPage,
    SpeakerOut,
    StatementOut,
)
from service.store import cursor, registry


class _Unknown:
    """``replace``'s default outlet: not known to the caller, read from the database."""


_UNKNOWN = _Unknown()


def _merge_same_key(entities: list[Entity]) -> tuple[list[tuple[str, str, Entity]], dict[str, str]]:
    """Entities of one article that resolve to the same registry key become one row.

    Returns (type, key, entity) per row in order of first mention, and entity key -> row key.
    """
    keyed = [((e.type, entity_key(e.name)), e) for e in entities]
    rows = registry.merge_by(keyed)
    local = {e.key: f"{t}:{k}" for (t, k), e in keyed}
    return [(t, k, e) for (t, k), e in rows.items()], local


async def replace(
    conn: asyncpg.Connection,
    article_id: uuid.UUID,
    result: Extraction,
    *,
    outlet: OutletOut | _Unknown | None = _UNKNOWN,
    cleared: bool = False,
) -> None:
    """``outlet``: the article's outlet as its pages show it (read here when not given);
    ``cleared``: the previous results are already deleted (``queue.mark_done`` does it)."""
    if not cleared:
        await conn.execute(
            """
            WITH r AS (DELETE FROM article_results WHERE article_id = $1),
                 ae AS (DELETE FROM article_entities WHERE article_id = $1),
                 ev AS (DELETE FROM events WHERE article_id = $1)
            DELETE FROM statements WHERE article_id = $1
            """,
            article_id,
        )

    rows, local = _merge_same_key(result.entities)
    # The corpus-wide registry resolves each row (aliases, surnames, manual merges); two rows
    # resolving to one entry become one link.
    resolved = await registry.resolve(conn, rows)
    by_row = resolved.ids
    ids = {ekey: by_row[rkey] for ekey, rkey in local.items()}
    linked = registry.combine(rows, by_row)
    event_ids = [uuid.uuid4() for _ in result.events]
    statement_ids = [uuid.uuid4() for _ in result.sources.items]
    if isinstance(outlet, _Unknown):
        outlet = await _outlet(conn, article_id)
    page = Rendered(
        entities=_entities_out(linked, resolved),
        events=_events_out(article_id, result, ids, event_ids),
        outlet=outlet,
        statements=_statements_out(result, ids, statement_ids),
    )
    # Everything in one round trip: one column array per parameter.
    await conn.execute(
        _INSERT_ALL,
        article_id,
        *_columns(_entity_rows(linked), 6),
        *_columns(_mention_rows(linked), 4),
        *_columns(_event_rows(result, ids, event_ids), 17),
        *_columns(_participant_rows(result, ids, event_ids), 5),
        *_columns(_statement_rows(result, ids, statement_ids), 15),
        *_columns(_page_rows(page), 4),
    )


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    return [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


def _entity_rows(linked: list[tuple[uuid.UUID, Entity]]) -> list[tuple[Any, ...]]:
    return [
        (eid, i, e.name, e.salience, e.mention_count, msgspec.json.encode(e.roles).decode())
        for i, (eid, e) in enumerate(linked)
    ]


def _mention_rows(linked: list[tuple[uuid.UUID, Entity]]) -> list[tuple[Any, ...]]:
    return [(eid, m.start, m.end, m.text) for eid, e in linked for m in e.mentions]


def _event_rows(
    result: Extraction, ids: dict[str, uuid.UUID], event_ids: list[uuid.UUID]
) -> list[tuple[Any, ...]]:
    return [
        (
            event_ids[i],
            i,
            ev.type,
            ev.mode,
            ev.polarity,
            ev.modality,
            ev.trigger.start,
            ev.trigger.end,
            ev.trigger.text,
            ev.trigger.lemma,
            ids.get(ev.location.entity) if ev.location else None,
            ev.location.name if ev.location else None,
            ev.date.text if ev.date else None,
            ev.date.start if ev.date else None,
            ev.date.end if ev.date else None,
            ev.sentence.start,
            ev.sentence.end,
        )
        for i, ev in enumerate(result.events)
    ]


def _participant_rows(
    result: Extraction, ids: dict[str, uuid.UUID], event_ids: list[uuid.UUID]
) -> list[tuple[Any, ...]]:
    return [
        (event_ids[i], j, ids[p.entity] if p.entity else None, p.name, p.role)
        for i, ev in enumerate(result.events)
        for j, p in enumerate(ev.participants)
        if p.entity is None or p.entity in ids
    ]


def _statement_rows(
    result: Extraction, ids: dict[str, uuid.UUID], statement_ids: list[uuid.UUID]
) -> list[tuple[Any, ...]]:
    return [
        (
            statement_ids[i],
            i,
            s.kind,
            s.quote.start,
            s.quote.end,
            s.quote.text,
            s.cue.start if s.cue else None,
            s.cue.end if s.cue else None,
            s.cue.text if s.cue else None,
            ids.get(s.speaker.entity) if s.speaker.entity else None,
            s.speaker.name,
            s.speaker.type,
            s.speaker.role,
            s.speaker.mention.start if s.speaker.mention else None,
            s.speaker.mention.end if s.speaker.mention else None,
        )
        for i, s in enumerate(result.sources.items)
    ]


def _page_rows(page: Rendered) -> list[tuple[Any, ...]]:
    """The three stored lists (``article_results``): head, items, where each item ends."""
    outlet = b'"outlet":' + msgspec.json.encode(page.outlet) + b","
    return [
        (kind, head, items, msgspec.json.encode(ends).decode())
        for kind, head, (items, ends) in (
            ("entities", b"{" + _ITEMS, _joined(page.entities)),
            ("events", b"{" + _ITEMS, _joined(page.events)),
            ("sources", b"{" + outlet + _ITEMS, _joined(page.statements)),
        )
    ]


# An article's rows and its stored pages, in one statement ($1: the article). Foreign keys
# between the CTEs' rows are checked at the end of the statement; a BEFORE trigger does not
# see rows of a sibling CTE (hence event_seq given). Per-row arrays (roles,
# ends) travel as JSON: Postgres arrays cannot be ragged.
_INSERT_ALL = """
    WITH art AS (
        -- the article's dates, which the rows carry (migration 0008: the fill triggers then
        -- do not run; a missing article leaves them NULL and the foreign keys refuse it)
        SELECT created_at, coalesce(published_at::timestamp AT TIME ZONE 'UTC', created_at)
                   AS seen_at,
               coalesce(published_at, created_at::date) AS day
        FROM articles WHERE id = $1::uuid
    ), ae AS (
        INSERT INTO article_entities (article_id, entity_id, ord, name, salience, mention_count,
                                      roles, article_created_at, seen_at)
        SELECT $1::uuid, t.entity_id, t.ord, t.name, t.salience, t.mention_count,
               ARRAY(SELECT r FROM jsonb_array_elements_text(t.roles::jsonb) WITH ORDINALITY
                     AS x(r, n) ORDER BY n),
               art.created_at, art.seen_at
        FROM unnest($2::uuid[], $3::int[], $4::text[], $5::float8[], $6::int[], $7::text[])
            AS t(entity_id, ord, name, salience, mention_count, roles)
        LEFT JOIN art ON true
    ), m AS (
        INSERT INTO mentions (article_id, entity_id, start, "end", text)
        SELECT $1::uuid, t.entity_id, t.start, t.stop, t.text
        FROM unnest($8::uuid[], $9::int[], $10::int[], $11::text[]) AS t(entity_id, start, stop,
                                                                         text)
        ON CONFLICT DO NOTHING
    ), ev AS (
        INSERT INTO events (id, article_id, ord, type, mode, polarity, modality, trigger_start,
                            trigger_end, trigger_text, trigger_lemma, location_entity_id,
                            location_name, date_text, date_start, date_end, sentence_start,
                            sentence_end, day_start, day_end)
        SELECT t.id, $1::uuid, t.ord, t.type, t.mode, t.polarity, t.modality, t.ts, t.te, t.tt,
               t.tl, t.loc, t.locname, t.dtext, t.dstart, t.dend, t.ss, t.se,
               coalesce(t.dstart, t.dend, art.day), coalesce(t.dend, t.dstart, art.day)
        FROM unnest($12::uuid[], $13::int[], $14::text[], $15::text[], $16::text[], $17::text[],
                    $18::int[], $19::int[], $20::text[], $21::text[], $22::uuid[], $23::text[],
                    $24::text[], $25::date[], $26::date[], $27::int[], $28::int[])
            AS t(id, ord, type, mode, polarity, modality, ts, te, tt, tl, loc, locname, dtext,
                 dstart, dend, ss, se)
        LEFT JOIN art ON true
        RETURNING id, seq
    ), ep AS (
        -- event_seq from the CTE: its BEFORE trigger cannot see events of this statement
        INSERT INTO event_participants (article_id, event_id, ord, entity_id, name, role,
                                        event_seq)
        SELECT $1::uuid, t.event_id, t.ord, t.entity_id, t.name, t.role, ev.seq
        FROM unnest($29::uuid[], $30::int[], $31::uuid[], $32::text[], $33::text[])
            AS t(event_id, ord, entity_id, name, role)
        JOIN ev ON ev.id = t.event_id
    ), st AS (
        INSERT INTO statements (id, article_id, ord, kind, quote_start, quote_end, quote_text,
                                cue_start, cue_end, cue_text, speaker_entity_id, speaker_name,
                                speaker_type, speaker_role, speaker_start, speaker_end, day,
                                article_created_at)
        SELECT t.id, $1::uuid, t.ord, t.kind, t.qs, t.qe, t.qt, t.cs, t.ce, t.ct, t.sid, t.sname,
               t.stype, t.srole, t.ss, t.se, art.day, art.created_at
        FROM unnest($34::uuid[], $35::int[], $36::text[], $37::int[], $38::int[], $39::text[],
                    $40::int[], $41::int[], $42::text[], $43::uuid[], $44::text[], $45::text[],
                    $46::text[], $47::int[], $48::int[])
            AS t(id, ord, kind, qs, qe, qt, cs, ce, ct, sid, sname, stype, srole, ss, se)
        LEFT JOIN art ON true
    )
    INSERT INTO article_results (article_id, kind, head, items, ends)
    SELECT $1::uuid, t.kind, t.head, t.items,
           ARRAY(SELECT e::int FROM jsonb_array_elements_text(t.ends::jsonb) WITH ORDINALITY
                 AS x(e, n) ORDER BY n)
    FROM unnest($49::text[], $50::bytea[], $51::bytea[], $52::text[]) AS t(kind, head, items, ends)
"""


# ---------------------------------------------------------------------- stored pages

_ITEMS = b'"items":['


class Rendered(msgspec.Struct):
    """An article's three lists as the endpoints serve them, stored in ``article_results``
    and served as bytes until the results or a registry entry they show change."""

    entities: list[EntityOut]
    events: list[EventOut]
    outlet: OutletOut | None
    statements: list[StatementOut]


# The lists are built from what was just written, exactly as the queries below read it back
# (tests/corpus/test_stored_pages.py compares the two byte for byte): no read round trips.


def _real(x: float) -> float:
    """``x`` stored in a ``real`` column and read back."""
    return float(struct.unpack("f", struct.pack("f", x))[0])


def _entities_out(
    linked: list[tuple[uuid.UUID, Entity]], resolved: registry.Resolved
) -> list[EntityOut]:
    items = []
    for eid, e in linked:
        etype, g = resolved.types[eid], resolved.geo[eid]
        kept: dict[int, TextSpan] = {}  # mentions: first per start (ON CONFLICT DO NOTHING)
        for m in e.mentions:
            kept.setdefault(m.start, m)
        items.append(
            EntityOut(
                id=eid,
                type=etype,  # type: ignore[arg-type]
                name=e.name,
                salience=round(_real(e.salience), 4),
                mention_count=e.mention_count,
                roles=list(e.roles),
                geo=g if etype == "LOC" and (g.geonameid is not None or g.country_code) else None,
                mentions=[TextSpan(m.start, m.end, m.text) for _, m in sorted(kept.items())],
            )
        )
    return items


def _events_out(
    article_id: uuid.UUID,
    result: Extraction,
    ids: dict[str, uuid.UUID],
    event_ids: list[uuid.UUID],
) -> list[EventOut]:
    # as the read path builds them from the rows: fresh trigger and sentence structs, the
    # article's id
    return [
        msgspec.structs.replace(
            event_out(ev, event_ids[i], ids),
            trigger=Trigger(ev.trigger.start, ev.trigger.end, ev.trigger.text, ev.trigger.lemma),
            sentence=Span(ev.sentence.start, ev.sentence.end),
            article_id=article_id,
        )
        for i, ev in enumerate(result.events)
    ]


def _statements_out(
    result: Extraction, ids: dict[str, uuid.UUID], statement_ids: list[uuid.UUID]
) -> list[StatementOut]:
    out = []
    for i, s in enumerate(result.sources.items):
        sp = s.speaker
        out.append(
            StatementOut(
                id=statement_ids[i],
                kind=s.kind,
                quote=TextSpan(s.quote.start, s.quote.end, s.quote.text),
                cue=TextSpan(s.cue.start, s.cue.end, s.cue.text) if s.cue else None,
                speaker=SpeakerOut(
                    entity_id=ids.get(sp.entity) if sp.entity else None,
                    name=sp.name,
                    type=sp.type,
                    role=sp.role,
                    mention=Span(sp.mention.start, sp.mention.end) if sp.mention else None,
                ),
            )
        )
    return out


async def _outlet(conn: asyncpg.Connection, article_id: uuid.UUID) -> OutletOut | None:
    row = await conn.fetchrow(_OUTLET_SQL, article_id)
    return OutletOut(name=row["name"], domain=row["domain"]) if row else None


_OUTLET_SQL = (
    "SELECT o.name, o.domain FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE a.id = $1"
)


def _joined(items: list[Any]) -> tuple[bytes, list[int]]:
    """Items encoded and joined by commas, and where each one ends."""
    parts = [msgspec.json.encode(i) for i in items]
    ends, at = [], 0
    for p in parts:
        at += len(p)
        ends.append(at)
        at += 1
    return b",".join(parts), ends


async def stored_page(
    conn: asyncpg.Connection | asyncpg.Pool,
    article_id: uuid.UUID,
    kind: str,
    *,
    limit: int,
    after: str | None,
) -> bytes | None:
    """A page of a stored list as the response body, or None when none is stored (not
    processed yet, or dropped by a registry change): then the tables answer."""
    row = await conn.fetchrow(
        "SELECT head, items, ends FROM article_results WHERE article_id = $1 AND kind = $2",
        article_id,
        kind,
    )
    if row is None:
        return None
    first = _after_ord(after, kind) + 1  # ords are 0, 1, … in a stored list
    ends: list[int] = row["ends"]
    start = min(first, len(ends))
    stop = min(start + limit, len(ends))
    body = b""
    if stop > start:
        body = row["items"][(ends[start - 1] + 1 if start else 0) : ends[stop - 1]]
    nxt = cursor.encode(kind, stop - 1) if stop < len(ends) else None
    return b"".join((row["head"], body, b'],"next_cursor":', msgspec.json.encode(nxt), b"}"))


# One article's entities with their mentions, a page in document order ($2: the last ord
# served, $3: page size + 1). bench/reads.py runs the same statement as its baseline.
ENTITIES_SQL = """
        SELECT ae.ord, ae.entity_id, e.type, ae.name, ae.salience, ae.mention_count, ae.roles,
               e.geonameid, e.country_code, e.lat, e.lon,
               coalesce((SELECT array_agg(ARRAY[m.start, m."end"]::int[] ORDER BY m.start)
                         FROM mentions m
                         WHERE m.article_id = ae.article_id AND m.entity_id = ae.entity_id),
                        '{}') AS spans,
               coalesce((SELECT array_agg(m.text ORDER BY m.start) FROM mentions m
                         WHERE m.article_id = ae.article_id AND m.entity_id = ae.entity_id),
                        '{}') AS texts
        FROM article_entities ae JOIN entities e ON e.id = ae.entity_id
        WHERE ae.article_id = $1 AND ae.ord > $2
        ORDER BY ae.ord LIMIT $3
"""


def _after_ord(after: str | None, kind: str) -> int:
    return cursor.decode_as(after, kind, cursor.ordinal)[0] if after else -1


def _next(rows: list[Any], limit: int, kind: str) -> str | None:
    return cursor.encode(kind, rows[limit - 1]["ord"]) if len(rows) > limit else None


async def entities(
    conn: asyncpg.Connection | asyncpg.Pool,
    article_id: uuid.UUID,
    *,
    limit: int,
    after: str | None,
) -> tuple[list[EntityOut], str | None]:
    rows = await conn.fetch(
        ENTITIES_SQL,
        article_id,
        _after_ord(after, "entities"),
        limit + 1,
    )
    items = []
    for r in rows[:limit]:
        geo = None
        if r["type"] == "LOC" and (r["geonameid"] is not None or r["country_code"]):
            geo = Geo(r["geonameid"], r["country_code"], r["lat"], r["lon"])
        spans = r["spans"] or []
        items.append(
            EntityOut(
                id=r["entity_id"],
                type=r["type"],
                name=r["name"],
                salience=round(float(r["salience"]), 4),
                mention_count=r["mention_count"],
                roles=list(r["roles"]),
                geo=geo,
                mentions=[TextSpan(s[0], s[1], t) for s, t in zip(spans, r["texts"], strict=True)],
            )
        )
    return items, _next(rows, limit, "entities")


async def events(
    conn: asyncpg.Connection | asyncpg.Pool,
    article_id: uuid.UUID,
    *,
    limit: int,
    after: str | None,
) -> tuple[list[EventOut], str | None]:
    rows = await conn.fetch(
        """
        SELECT ev.*,
               coalesce((SELECT array_agg(p.entity_id ORDER BY p.ord) FROM event_participants p
                         WHERE p.event_id = ev.id), '{}') AS p_ids,
               coalesce((SELECT array_agg(p.name ORDER BY p.ord) FROM event_participants p
                         WHERE p.event_id = ev.id), '{}') AS p_names,
               coalesce((SELECT array_agg(p.role ORDER BY p.ord) FROM event_participants p
                         WHERE p.event_id = ev.id), '{}') AS p_roles
        FROM events ev
        WHERE ev.article_id = $1 AND ev.ord > $2
        ORDER BY ev.ord LIMIT $3
        """,
        article_id,
        _after_ord(after, "events"),
        limit + 1,
    )
    return [event_row(r) for r in rows[:limit]], _next(rows, limit, "events")


def event_row(r: asyncpg.Record) -> EventOut:
    return EventOut(
        id=r["id"],
        type=r["type"],
        mode=r["mode"],
        polarity=r["polarity"],
        modality=r["modality"],
        trigger=Trigger(
            r["trigger_start"], r["trigger_end"], r["trigger_text"], r["trigger_lemma"]
        ),
        participants=[
            ParticipantOut(entity_id=i, name=n, role=role)
            for i, n, role in zip(r["p_ids"], r["p_names"], r["p_roles"], strict=True)
        ],
        location=LocationOut(entity_id=r["location_entity_id"], name=r["location_name"])
        if r["location_name"] is not None
        else None,
        date=DateOut(text=r["date_text"], start=r["date_start"], end=r["date_end"])
        if r["date_text"] is not None
        else None,
        sentence=Span(r["sentence_start"], r["sentence_end"]),
        article_id=r["article_id"],
    )


async def sources(
    conn: asyncpg.Connection | asyncpg.Pool,
    article_id: uuid.UUID,
    *,
    limit: int,
    after: str | None,
) -> SourcesPage:
    outlet = await conn.fetchrow(_OUTLET_SQL, article_id)
    rows = await conn.fetch(
        """
        SELECT * FROM statements WHERE article_id = $1 AND ord > $2 ORDER BY ord LIMIT $3
        """,
        article_id,
        _after_ord(after, "sources"),
        limit + 1,
    )
    return SourcesPage(
        outlet=OutletOut(name=outlet["name"], domain=outlet["domain"]) if outlet else None,
        items=[statement_row(r) for r in rows[:limit]],
        next_cursor=_next(rows, limit, "sources"),
    )


def statement_row(r: asyncpg.Record) -> StatementOut:
    return StatementOut(
        id=r["id"],
        kind=r["kind"],
        quote=TextSpan(r["quote_start"], r["quote_end"], r["quote_text"]),
        cue=TextSpan(r["cue_start"], r["cue_end"], r["cue_text"])
        if r["cue_start"] is not None
        else None,
        speaker=SpeakerOut(
            entity_id=r["speaker_entity_id"],
            name=r["speaker_name"],
            type=r["speaker_type"],
            role=r["speaker_role"],
            mention=Span(r["speaker_start"], r["speaker_end"])
            if r["speaker_start"] is not None
            else None,
        ),
    )
