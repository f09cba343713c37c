"""Group participants: an event participant that is a described group, not a named entity.

``полиция``, ``протестующие``, ``неизвестные`` take part in events without being entities of
the registry: their row keeps the phrase as ``name`` and ``entity_id`` NULL. The corpus
``entity_id`` filter matches only linked participants (``entity_id = $1`` never matches NULL).
Downgrade deletes the group rows (they cannot satisfy the old NOT NULL) and restores it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from service.migrate import execute_script

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script("""
    ALTER TABLE event_participants ALTER COLUMN entity_id DROP NOT NULL;
    """)


def downgrade() -> None:
    execute_script("""
    DELETE FROM event_participants WHERE entity_id IS NULL;
    ALTER TABLE event_participants ALTER COLUMN entity_id SET NOT NULL;
    """)
