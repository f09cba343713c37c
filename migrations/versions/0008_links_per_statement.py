"""The registry's counters follow article links once per statement, not once per link.

``article_count``, ``first_seen`` and ``last_seen`` were kept by two row triggers on
``article_entities``: an article with 25 entities ran 50 single-row ``UPDATE entities``
(each a new row version of the entry, with its index entries), most of the write path's
database time. Now one statement trigger per insert and per delete updates each entry once,
from the statement's transition table. The results are the same for any statement: the
count moves by the number of links, and the dates take the least and greatest
``seen_at`` (on delete, recounted from the links left, as before).

The fill triggers (a link's, event's or statement's article dates) now run only when the
writer leaves those columns empty: the worker supplies them from one lookup of the article.

Downgrade restores the row triggers and the fill triggers as they were.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from service.migrate import execute_script

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script("""
    DROP TRIGGER article_entities_count ON article_entities;
    DROP TRIGGER article_entities_seen ON article_entities;

    -- An entry with no links before this statement takes the new links' dates as they are.
    CREATE FUNCTION newsmeta_entities_linked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE entities e
        SET article_count = e.article_count + n.links,
            first_seen = CASE WHEN e.article_count <= 0 THEN n.first
                              ELSE least(e.first_seen, n.first) END,
            last_seen = CASE WHEN e.article_count <= 0 THEN n.last
                             ELSE greatest(e.last_seen, n.last) END
        FROM (SELECT entity_id, count(*) AS links, min(seen_at) AS first,
                     max(seen_at) AS last
              FROM linked GROUP BY entity_id) n
        WHERE e.id = n.entity_id;
        RETURN NULL;
    END $$;
    CREATE TRIGGER article_entities_linked AFTER INSERT ON article_entities
        REFERENCING NEW TABLE AS linked
        FOR EACH STATEMENT EXECUTE FUNCTION newsmeta_entities_linked();

    -- Two statements, as the row triggers did: the first locks the entries, so the
    -- recount of the second (a new snapshot) sees every committed link.
    CREATE FUNCTION newsmeta_entities_unlinked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT EXISTS (SELECT FROM unlinked) THEN  -- the worker clears before it writes
            RETURN NULL;
        END IF;
        UPDATE entities e SET article_count = e.article_count - o.links
        FROM (SELECT entity_id, count(*) AS links FROM unlinked GROUP BY entity_id) o
        WHERE e.id = o.entity_id;
        UPDATE entities e
        SET first_seen = coalesce(s.first, e.first_seen),
            last_seen = coalesce(s.last, e.last_seen)
        FROM (SELECT entity_id, min(seen_at) AS first, max(seen_at) AS last
              FROM unlinked GROUP BY entity_id) o
        LEFT JOIN LATERAL (SELECT min(seen_at) AS first, max(seen_at) AS last
                           FROM article_entities WHERE entity_id = o.entity_id) s ON true
        WHERE e.id = o.entity_id AND (o.first <= e.first_seen OR o.last >= e.last_seen);
        RETURN NULL;
    END $$;
    CREATE TRIGGER article_entities_unlinked AFTER DELETE ON article_entities
        REFERENCING OLD TABLE AS unlinked
        FOR EACH STATEMENT EXECUTE FUNCTION newsmeta_entities_unlinked();

    DROP FUNCTION article_entities_count();
    DROP FUNCTION newsmeta_entity_seen();

    -- Fill triggers only for writers that leave the columns empty.
    DROP TRIGGER article_entities_fill ON article_entities;
    CREATE TRIGGER article_entities_fill BEFORE INSERT ON article_entities
        FOR EACH ROW WHEN (NEW.article_created_at IS NULL)
        EXECUTE FUNCTION newsmeta_article_entities_fill();
    DROP TRIGGER article_entities_seen_fill ON article_entities;
    CREATE TRIGGER article_entities_seen_fill BEFORE INSERT ON article_entities
        FOR EACH ROW WHEN (NEW.seen_at IS NULL)
        EXECUTE FUNCTION newsmeta_article_entities_seen_fill();
    DROP TRIGGER event_participants_fill ON event_participants;
    CREATE TRIGGER event_participants_fill BEFORE INSERT ON event_participants
        FOR EACH ROW WHEN (NEW.event_seq IS NULL)
        EXECUTE FUNCTION newsmeta_event_participants_fill();
    DROP TRIGGER events_fill ON events;
    CREATE TRIGGER events_fill BEFORE INSERT ON events
        FOR EACH ROW WHEN (NEW.day_start IS NULL OR NEW.day_end IS NULL)
        EXECUTE FUNCTION newsmeta_events_fill();
    DROP TRIGGER statements_fill ON statements;
    CREATE TRIGGER statements_fill BEFORE INSERT ON statements
        FOR EACH ROW WHEN (NEW.day IS NULL OR NEW.article_created_at IS NULL)
        EXECUTE FUNCTION newsmeta_statements_fill();
    """)


def downgrade() -> None:
    execute_script("""
    DROP TRIGGER article_entities_fill ON article_entities;
    CREATE TRIGGER article_entities_fill BEFORE INSERT ON article_entities
        FOR EACH ROW EXECUTE FUNCTION newsmeta_article_entities_fill();
    DROP TRIGGER article_entities_seen_fill ON article_entities;
    CREATE TRIGGER article_entities_seen_fill BEFORE INSERT ON article_entities
        FOR EACH ROW EXECUTE FUNCTION newsmeta_article_entities_seen_fill();
    DROP TRIGGER event_participants_fill ON event_participants;
    CREATE TRIGGER event_participants_fill BEFORE INSERT ON event_participants
        FOR EACH ROW EXECUTE FUNCTION newsmeta_event_participants_fill();
    DROP TRIGGER events_fill ON events;
    CREATE TRIGGER events_fill BEFORE INSERT ON events
        FOR EACH ROW EXECUTE FUNCTION newsmeta_events_fill();
    DROP TRIGGER statements_fill ON statements;
    CREATE TRIGGER statements_fill BEFORE INSERT ON statements
        FOR EACH ROW EXECUTE FUNCTION newsmeta_statements_fill();

    DROP TRIGGER article_entities_unlinked ON article_entities;
    DROP FUNCTION newsmeta_entities_unlinked();
    DROP TRIGGER article_entities_linked ON article_entities;
    DROP FUNCTION newsmeta_entities_linked();

    CREATE FUNCTION article_entities_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE entities SET article_count = article_count + 1 WHERE id = NEW.entity_id;
        ELSE
            UPDATE entities SET article_count = article_count - 1 WHERE id = OLD.entity_id;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER article_entities_count AFTER INSERT OR DELETE ON article_entities
        FOR EACH ROW EXECUTE FUNCTION article_entities_count();

    CREATE FUNCTION newsmeta_entity_seen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE entities
            SET first_seen = CASE WHEN article_count <= 1 THEN NEW.seen_at
                                  ELSE least(first_seen, NEW.seen_at) END,
                last_seen = CASE WHEN article_count <= 1 THEN NEW.seen_at
                                 ELSE greatest(last_seen, NEW.seen_at) END
            WHERE id = NEW.entity_id;
        ELSE
            UPDATE entities e
            SET first_seen = coalesce(s.first, e.first_seen),
                last_seen = coalesce(s.last, e.last_seen)
            FROM (SELECT min(seen_at) AS first, max(seen_at) AS last
                  FROM article_entities WHERE entity_id = OLD.entity_id) s
            WHERE e.id = OLD.entity_id
              AND (OLD.seen_at <= e.first_seen OR OLD.seen_at >= e.last_seen);
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER article_entities_seen AFTER INSERT OR DELETE ON article_entities
        FOR EACH ROW EXECUTE FUNCTION newsmeta_entity_seen();
    """)
