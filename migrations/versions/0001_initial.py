"""Articles (the queue), the entity registry, mentions, events, statements, outlets, keys.

Every article-owned row carries ``article_id`` so these tables can be partitioned or
sharded by article later without a rewrite.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from service.migrate import execute_script

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script("""
    CREATE TABLE outlets (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key         text NOT NULL UNIQUE,           -- lower-cased name
        name        text NOT NULL,
        domain      text,
        created_at  timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE articles (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        content_hash      bytea NOT NULL UNIQUE,     -- sha256 of the normalized text
        external_id       text UNIQUE,
        text              text NOT NULL,
        length            integer NOT NULL,          -- code points of text
        title             text,
        url               text,
        outlet_id         uuid REFERENCES outlets (id) ON DELETE SET NULL,
        published_at      date,
        language          text NOT NULL DEFAULT 'ru',
        status            text NOT NULL DEFAULT 'queued'
                          CHECK (status IN ('queued', 'processing', 'done', 'failed')),
        attempts          integer NOT NULL DEFAULT 0,
        -- queued: not before this time (backoff); processing: when the lease expires
        due_at            timestamptz NOT NULL DEFAULT now(),
        lease_token       uuid,
        error             text,
        extractor_version text,
        created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        processed_at      timestamptz,
        -- the first 100,000 characters: a tsvector is limited to 1 MB
        search            tsvector GENERATED ALWAYS AS (
                              setweight(to_tsvector('russian', coalesce(title, '')), 'A')
                              || setweight(to_tsvector('russian', left(text, 100000)), 'B')
                          ) STORED
    );
    CREATE INDEX articles_newest ON articles (created_at DESC, id DESC);
    CREATE INDEX articles_status_newest ON articles (status, created_at DESC, id DESC);
    CREATE INDEX articles_outlet_newest ON articles (outlet_id, created_at DESC, id DESC);
    CREATE INDEX articles_published ON articles (published_at);
    CREATE INDEX articles_search ON articles USING gin (search);
    CREATE INDEX articles_due ON articles (due_at) WHERE status IN ('queued', 'processing');

    CREATE TABLE entities (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type           text NOT NULL CHECK (type IN ('PER', 'ORG', 'LOC')),
        key            text NOT NULL,               -- normalized name, see store/entities.py
        name           text NOT NULL,
        geonameid      integer,
        country_code   text,
        lat            double precision,
        lon            double precision,
        article_count  integer NOT NULL DEFAULT 0,
        first_seen     timestamptz NOT NULL DEFAULT now(),
        last_seen      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (type, key)
    );
    CREATE INDEX entities_article_count ON entities (article_count DESC, id);

    CREATE TABLE article_entities (
        article_id     uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        entity_id      uuid NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        ord            integer NOT NULL,
        name           text NOT NULL,
        salience       real NOT NULL,
        mention_count  integer NOT NULL,
        roles          text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (article_id, entity_id),
        UNIQUE (article_id, ord)
    );
    CREATE INDEX article_entities_entity ON article_entities (entity_id, article_id);

    -- the registry's article_count follows the links, whoever adds or removes them
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

    CREATE TABLE mentions (
        article_id  uuid NOT NULL,
        entity_id   uuid NOT NULL,
        start       integer NOT NULL,
        "end"       integer NOT NULL,
        text        text NOT NULL,
        PRIMARY KEY (article_id, entity_id, start),
        FOREIGN KEY (article_id, entity_id)
            REFERENCES article_entities (article_id, entity_id) ON DELETE CASCADE
    );

    CREATE TABLE events (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        article_id          uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        seq                 bigint GENERATED ALWAYS AS IDENTITY,
        ord                 integer NOT NULL,
        type                text NOT NULL,
        mode                text,
        polarity            text NOT NULL,
        modality            text NOT NULL,
        trigger_start       integer NOT NULL,
        trigger_end         integer NOT NULL,
        trigger_text        text NOT NULL,
        trigger_lemma       text NOT NULL,
        location_entity_id  uuid REFERENCES entities (id) ON DELETE SET NULL,
        location_name       text,
        date_text           text,
        date_start          date,
        date_end            date,
        sentence_start      integer NOT NULL,
        sentence_end        integer NOT NULL,
        UNIQUE (article_id, ord)
    );
    CREATE INDEX events_newest ON events (seq DESC);
    CREATE INDEX events_type ON events (type, seq DESC);
    CREATE INDEX events_date ON events (date_start, date_end);
    CREATE INDEX events_location ON events (location_entity_id, seq DESC);

    CREATE TABLE event_participants (
        article_id  uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        event_id    uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        ord         integer NOT NULL,
        entity_id   uuid NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        name        text NOT NULL,
        role        text NOT NULL,
        PRIMARY KEY (event_id, ord)
    );
    CREATE INDEX event_participants_entity ON event_participants (entity_id, event_id);
    CREATE INDEX event_participants_article ON event_participants (article_id);

    CREATE TABLE statements (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        article_id         uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        seq                bigint GENERATED ALWAYS AS IDENTITY,
        ord                integer NOT NULL,
        kind               text NOT NULL,
        quote_start        integer NOT NULL,
        quote_end          integer NOT NULL,
        quote_text         text NOT NULL,
        cue_start          integer,
        cue_end            integer,
        cue_text           text,
        speaker_entity_id  uuid REFERENCES entities (id) ON DELETE SET NULL,
        speaker_name       text NOT NULL,
        speaker_type       text NOT NULL,
        speaker_role       text,
        speaker_start      integer,
        speaker_end        integer,
        UNIQUE (article_id, ord)
    );
    CREATE INDEX statements_speaker ON statements (speaker_entity_id, seq DESC);

    CREATE TABLE api_keys (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name          text,
        scope         text NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
        prefix        text NOT NULL,               -- shown in listings, not secret
        hash          bytea NOT NULL UNIQUE,       -- sha256 of the whole key
        created_at    timestamptz NOT NULL DEFAULT now(),
        revoked_at    timestamptz,
        last_used_at  timestamptz
    );
    """)


def downgrade() -> None:
    execute_script("""
    DROP TABLE api_keys;
    DROP TABLE statements;
    DROP TABLE event_participants;
    DROP TABLE events;
    DROP TABLE mentions;
    DROP TABLE article_entities;
    DROP FUNCTION article_entities_count();
    DROP TABLE entities;
    DROP TABLE articles;
    DROP TABLE outlets;
    """)
