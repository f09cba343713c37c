"""Entity registry: aliases, search, manual merges; columns and indexes for corpus lists.

- ``entity_aliases``: every name variant seen for a registry entry, one row per (type, key);
  ``short`` is the surname of a multi-word person or the initials of a multi-word
  organisation, used for the surname/acronym rules of ``service/store/registry.py``.
  ``manual`` rows were placed by an admin merge or split and are never moved automatically.
- ``entity_merges``: the record of manual merges and splits (key -> entity), consulted first
  when an article is resolved, so they survive reprocessing.
- Denormalised sort keys copied from the parent rows by triggers, so lists by entity, by date
  and by speaker are keyset scans of one index: ``article_entities.article_created_at``,
  ``event_participants.event_seq``, ``events.day_start/day_end`` (the event's date, else the
  article's publication date), ``statements.day`` and ``statements.article_created_at``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from service.migrate import execute_script

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script("""
    -- pg_trgm: created (and later dropped) only if this migration is the one that adds it
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
            CREATE EXTENSION pg_trgm;
            COMMENT ON EXTENSION pg_trgm IS 'newsmeta 0003';
        END IF;
    END $$;

    CREATE TABLE entity_aliases (
        type        text NOT NULL,
        key         text NOT NULL,               -- service.identity.entity_key(name)
        entity_id   uuid NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        name        text NOT NULL,
        short       text,                        -- surname (PER) or initials (ORG)
        manual      boolean NOT NULL DEFAULT false,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (type, key)
    );
    CREATE INDEX entity_aliases_entity ON entity_aliases (entity_id);
    CREATE INDEX entity_aliases_short ON entity_aliases (type, short) WHERE short IS NOT NULL;
    -- no pending list: new names are searchable at once, and scans never read a long list
    CREATE INDEX entity_aliases_trgm ON entity_aliases USING gin (key gin_trgm_ops)
        WITH (fastupdate = off);
    CREATE INDEX entity_aliases_prefix ON entity_aliases (key text_pattern_ops);

    CREATE TABLE entity_merges (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type        text NOT NULL,
        from_key    text NOT NULL,
        from_id     uuid,                        -- the entry that was merged away (split: null)
        into_id     uuid NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        action      text NOT NULL CHECK (action IN ('merge', 'split')),
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (type, from_key)
    );
    CREATE INDEX entity_merges_from ON entity_merges (from_id) WHERE from_id IS NOT NULL;
    CREATE INDEX entity_merges_into ON entity_merges (into_id);

    CREATE INDEX entities_type_count ON entities (type, article_count DESC, id);
    CREATE INDEX entities_geonameid ON entities (geonameid) WHERE geonameid IS NOT NULL;

    -- articles of an entity, newest first
    ALTER TABLE article_entities ADD COLUMN article_created_at timestamptz;
    CREATE INDEX article_entities_entity_newest
        ON article_entities (entity_id, article_created_at DESC, article_id DESC);

    -- events of an entity (as participant), newest first
    ALTER TABLE event_participants ADD COLUMN event_seq bigint;
    CREATE INDEX event_participants_entity_seq ON event_participants (entity_id, event_seq DESC);

    -- events by date: the event's own date, else the article's publication (or arrival) date
    ALTER TABLE events ADD COLUMN day_start date, ADD COLUMN day_end date;
    CREATE INDEX events_day ON events (day_start, seq DESC);
    CREATE INDEX events_polarity ON events (seq DESC) WHERE polarity = 'negative';

    -- statements by day (speaker rankings) and a speaker's quotes newest first
    ALTER TABLE statements ADD COLUMN day date, ADD COLUMN article_created_at timestamptz;
    CREATE INDEX statements_day ON statements (day, speaker_type)
        INCLUDE (speaker_entity_id, speaker_name, article_id);
    CREATE INDEX statements_speaker_newest
        ON statements (speaker_entity_id, article_created_at DESC, seq DESC);

    -- outlets ranked by articles in a date range
    CREATE INDEX articles_published_outlet ON articles (published_at, outlet_id);

    CREATE FUNCTION newsmeta_article_entities_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.article_created_at IS NULL THEN
            SELECT created_at INTO NEW.article_created_at FROM articles WHERE id = NEW.article_id;
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER article_entities_fill BEFORE INSERT ON article_entities
        FOR EACH ROW EXECUTE FUNCTION newsmeta_article_entities_fill();

    CREATE FUNCTION newsmeta_event_participants_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.event_seq IS NULL THEN
            SELECT seq INTO NEW.event_seq FROM events WHERE id = NEW.event_id;
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER event_participants_fill BEFORE INSERT ON event_participants
        FOR EACH ROW EXECUTE FUNCTION newsmeta_event_participants_fill();

    CREATE FUNCTION newsmeta_events_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        published date;
    BEGIN
        SELECT coalesce(published_at, created_at::date) INTO published
        FROM articles WHERE id = NEW.article_id;
        NEW.day_start := coalesce(NEW.date_start, NEW.date_end, published);
        NEW.day_end := coalesce(NEW.date_end, NEW.date_start, published);
        RETURN NEW;
    END $$;
    CREATE TRIGGER events_fill BEFORE INSERT ON events
        FOR EACH ROW EXECUTE FUNCTION newsmeta_events_fill();

    CREATE FUNCTION newsmeta_statements_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT coalesce(published_at, created_at::date), created_at
        INTO NEW.day, NEW.article_created_at
        FROM articles WHERE id = NEW.article_id;
        RETURN NEW;
    END $$;
    CREATE TRIGGER statements_fill BEFORE INSERT ON statements
        FOR EACH ROW EXECUTE FUNCTION newsmeta_statements_fill();

    -- rows written before this migration
    UPDATE article_entities ae SET article_created_at = a.created_at
    FROM articles a WHERE a.id = ae.article_id;
    UPDATE event_participants p SET event_seq = e.seq FROM events e WHERE e.id = p.event_id;
    UPDATE events e SET day_start = coalesce(e.date_start, e.date_end,
                                             a.published_at, a.created_at::date),
                        day_end = coalesce(e.date_end, e.date_start,
                                           a.published_at, a.created_at::date)
    FROM articles a WHERE a.id = e.article_id;
    UPDATE statements s SET day = coalesce(a.published_at, a.created_at::date),
                            article_created_at = a.created_at
    FROM articles a WHERE a.id = s.article_id;
    INSERT INTO entity_aliases (type, key, entity_id, name)
    SELECT type, key, id, name FROM entities ON CONFLICT DO NOTHING;
    """)


def downgrade() -> None:
    execute_script("""
    DROP TRIGGER statements_fill ON statements;
    DROP FUNCTION newsmeta_statements_fill();
    DROP TRIGGER events_fill ON events;
    DROP FUNCTION newsmeta_events_fill();
    DROP TRIGGER event_participants_fill ON event_participants;
    DROP FUNCTION newsmeta_event_participants_fill();
    DROP TRIGGER article_entities_fill ON article_entities;
    DROP FUNCTION newsmeta_article_entities_fill();
    DROP INDEX articles_published_outlet;
    DROP INDEX statements_speaker_newest;
    DROP INDEX statements_day;
    ALTER TABLE statements DROP COLUMN day, DROP COLUMN article_created_at;
    DROP INDEX events_polarity;
    DROP INDEX events_day;
    ALTER TABLE events DROP COLUMN day_start, DROP COLUMN day_end;
    DROP INDEX event_participants_entity_seq;
    ALTER TABLE event_participants DROP COLUMN event_seq;
    DROP INDEX article_entities_entity_newest;
    ALTER TABLE article_entities DROP COLUMN article_created_at;
    DROP INDEX entities_geonameid;
    DROP INDEX entities_type_count;
    DROP TABLE entity_merges;
    DROP TABLE entity_aliases;
    DO $$
    BEGIN
        IF obj_description((SELECT oid FROM pg_extension WHERE extname = 'pg_trgm'),
                           'pg_extension') = 'newsmeta 0003' THEN
            DROP EXTENSION pg_trgm;
        END IF;
    END $$;
    """)
