"""Faster reads: stored result pages, and a NOTIFY whenever API keys change.

- ``article_results``: the rendered JSON of an article's entities, events and statements,
  written by the worker in the transaction that stores the results (results do not change
  until the article is reprocessed). ``items`` is the items of the list joined by commas,
  ``ends`` the end offset of each item in it, so any page is a slice; ``head`` is what
  precedes the items (the outlet of ``/sources``). A registry merge or split, or an entry
  gaining its GeoNames place, deletes the rows of the articles it touches; the API then
  falls back to the tables (see ``service/store/results.py``).
- ``api_keys_changed``: every change to ``api_keys`` (revocation included, by the CLI, the
  API or plain SQL) notifies ``newsmeta_keys``; API processes drop their cached keys on it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from service.migrate import execute_script

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script("""
    CREATE TABLE article_results (
        article_id  uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        kind        text NOT NULL CHECK (kind IN ('entities', 'events', 'sources')),
        head        bytea NOT NULL,
        items       bytea NOT NULL,
        ends        integer[] NOT NULL,
        PRIMARY KEY (article_id, kind)
    );

    CREATE FUNCTION newsmeta_api_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('newsmeta_keys', '');
        RETURN NULL;
    END $$;
    CREATE TRIGGER api_keys_changed
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_keys
        FOR EACH STATEMENT EXECUTE FUNCTION newsmeta_api_keys_changed();
    """)


def downgrade() -> None:
    execute_script("""
    DROP TRIGGER api_keys_changed ON api_keys;
    DROP FUNCTION newsmeta_api_keys_changed();
    DROP TABLE article_results;
    """)
