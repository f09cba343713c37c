"""The change feed and webhooks.

``changes`` is an outbox: a row is written in the same transaction as the change it
describes (``article.processed`` by the worker's results transaction, ``article.deleted``
by the delete), so a change is in the feed if and only if it committed.

Why the feed is read in ``(xid, id)`` order, and only below the snapshot's xmin
-------------------------------------------------------------------------------
An identity value is taken when the row is inserted, but transactions commit in any
order: transaction A can take id 11, transaction B id 12, and B commit first. A reader
that pages by ``id > last`` alone would see 12, move its cursor past it, and never see 11
once A commits: a gap. So every row also records its transaction's id (``xid``,
``pg_current_xact_id()``), and the feed only returns rows whose transaction is older than
the reader's snapshot xmin (``pg_snapshot_xmin(pg_current_snapshot())``): every
transaction below xmin has finished, so the set of such rows is final and can be served.

Ordering by ``id`` alone is still not enough under that filter: B may have taken its xid
*after* A (A's first write was earlier, its change row later), take a smaller id, and still
be running when A is served; paging by id would then step over B's row once it commits.
The feed therefore orders by ``(xid, id)`` and the cursor holds that pair. Any row that
becomes visible later belongs to a transaction that was running (xid >= xmin) or not yet
started (a larger xid still) when the page was read, so it sorts after everything already
served: no gaps, no duplicates, the same order for every reader. The cost is latency only:
a long-running writing transaction anywhere on the server holds the feed back until it ends.

Webhooks fan the feed out: each keeps its own position in the feed (``cursor_xid``,
``cursor_id``), advanced by whichever worker holds the webhook row lock, and every change
becomes at most one ``webhook_deliveries`` row per webhook (unique), which the workers
claim with ``FOR UPDATE SKIP LOCKED`` and retry with backoff.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from service.migrate import execute_script

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script("""
    CREATE TABLE changes (
        id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        xid                xid8 NOT NULL DEFAULT pg_current_xact_id(),
        type               text NOT NULL
                           CHECK (type IN ('article.processed', 'article.deleted')),
        -- no foreign key: the deletion of an article outlives the article
        article_id         uuid NOT NULL,
        extractor_version  text,
        created_at         timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX changes_feed ON changes (xid, id);

    CREATE TABLE webhooks (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url          text NOT NULL,
        secret       text NOT NULL,              -- needed in clear to sign; never served again
        event_types  text[] NOT NULL,
        description  text,
        active       boolean NOT NULL DEFAULT true,
        created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        -- the feed position up to which changes became deliveries (see above): changes of
        -- transactions that were still running when the webhook was created are included
        cursor_xid   xid8 NOT NULL DEFAULT pg_snapshot_xmin(pg_current_snapshot()),
        cursor_id    bigint NOT NULL DEFAULT 0
    );
    CREATE INDEX webhooks_newest ON webhooks (created_at DESC, id DESC);

    CREATE TABLE webhook_deliveries (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id        uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        change_id         bigint NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
        status            text NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts          integer NOT NULL DEFAULT 0,
        -- pending: not before this time (backoff), or when the sender's lease expires
        next_attempt_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        lease_token       uuid,
        last_status_code  integer,
        last_error        text,
        last_attempt_at   timestamptz,
        delivered_at      timestamptz,
        created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (webhook_id, change_id)
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
        WHERE status = 'pending';
    CREATE INDEX webhook_deliveries_newest
        ON webhook_deliveries (webhook_id, created_at DESC, id DESC);
    CREATE INDEX webhook_deliveries_change ON webhook_deliveries (change_id);
    """)


def downgrade() -> None:
    execute_script("""
    DROP TABLE webhook_deliveries;
    DROP TABLE webhooks;
    DROP TABLE changes;
    """)
