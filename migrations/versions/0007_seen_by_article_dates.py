"""Registry ``first_seen``/``last_seen`` are the dates of the entity's articles.

They were the times the worker processed those articles, so an imported archive looked as
if everything in it had happened today. Now each article link carries ``seen_at``: the
article's publication date (midnight UTC), or the time the service received the article
when it has no date. Triggers keep ``entities.first_seen``/``last_seen`` at the earliest and
latest ``seen_at`` of the entity's links, whoever adds or removes them (worker, reprocess,
delete, admin merge and split); an entry left without links keeps its last values.

Downgrade drops the column and triggers; the dates already written stay (the processing
times they replaced are not recorded anywhere).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from service.migrate import execute_script

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script("""
    ALTER TABLE article_entities ADD COLUMN seen_at timestamptz;
    UPDATE article_entities ae
    SET seen_at = coalesce(a.published_at::timestamp AT TIME ZONE 'UTC', a.created_at)
    FROM articles a WHERE a.id = ae.article_id;
    ALTER TABLE article_entities ALTER COLUMN seen_at SET NOT NULL;
    CREATE INDEX article_entities_entity_seen ON article_entities (entity_id, seen_at);

    UPDATE entities e SET first_seen = s.first, last_seen = s.last
    FROM (SELECT entity_id, min(seen_at) AS first, max(seen_at) AS last
          FROM article_entities GROUP BY entity_id) s
    WHERE s.entity_id = e.id;

    CREATE FUNCTION newsmeta_article_entities_seen_fill() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.seen_at IS NULL THEN
            SELECT coalesce(published_at::timestamp AT TIME ZONE 'UTC', created_at)
            INTO NEW.seen_at FROM articles WHERE id = NEW.article_id;
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER article_entities_seen_fill BEFORE INSERT ON article_entities
        FOR EACH ROW EXECUTE FUNCTION newsmeta_article_entities_seen_fill();

    -- Runs after article_entities_count (triggers fire in name order), which has already
    -- updated, so locked, the entry: the recount below sees every committed link.
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


def downgrade() -> None:
    execute_script("""
    DROP TRIGGER article_entities_seen ON article_entities;
    DROP FUNCTION newsmeta_entity_seen();
    DROP TRIGGER article_entities_seen_fill ON article_entities;
    DROP FUNCTION newsmeta_article_entities_seen_fill();
    DROP INDEX article_entities_entity_seen;
    ALTER TABLE article_entities DROP COLUMN seen_at;
    """)
