"""Full-text index filled by the worker that claims an article, not on submission.

Computing ``to_tsvector('russian', …)`` for every submitted text was ~70 % of the time of a
1,000-article batch insert. The worker now fills ``articles.search`` when it claims the
article (seconds after submission), so ``q`` finds an article from then on. Existing rows
are indexed here.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from service.migrate import execute_script

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script("""
    -- the first 100,000 characters: a tsvector is limited to 1 MB
    CREATE FUNCTION article_search(title text, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('russian', coalesce(title, '')), 'A')
               || setweight(to_tsvector('russian', left(body, 100000)), 'B')
    $$;
    DROP INDEX articles_search;
    ALTER TABLE articles DROP COLUMN search;
    ALTER TABLE articles ADD COLUMN search tsvector;
    UPDATE articles SET search = article_search(title, text);
    CREATE INDEX articles_search ON articles USING gin (search);
    """)


def downgrade() -> None:
    execute_script("""
    DROP INDEX articles_search;
    ALTER TABLE articles DROP COLUMN search;
    ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('russian', coalesce(title, '')), 'A')
        || setweight(to_tsvector('russian', left(text, 100000)), 'B')
    ) STORED;
    CREATE INDEX articles_search ON articles USING gin (search);
    DROP FUNCTION article_search(text, text);
    """)
