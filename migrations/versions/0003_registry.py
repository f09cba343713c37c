"""Entity registry: aliases, search, manual merges.

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
    execute_script("SELECT 1")


def downgrade() -> None:
    execute_script("SELECT 1")
