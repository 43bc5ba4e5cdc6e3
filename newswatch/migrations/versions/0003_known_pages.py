"""known_pages: every page fetched that is not an article, so a recrawl does not fetch it again;
fetch_states.found: the feeds a home page declared, so a 304 on it still leads to them

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "known_pages",
        sa.Column("url_hash", sa.String(length=40), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("source_name", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("url_hash"),
    )
    with op.batch_alter_table("known_pages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_known_pages_source_name"), ["source_name"], unique=False)
    with op.batch_alter_table("fetch_states", schema=None) as batch_op:
        batch_op.add_column(sa.Column("found", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fetch_states", schema=None) as batch_op:
        batch_op.drop_column("found")
    with op.batch_alter_table("known_pages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_known_pages_source_name"))
    op.drop_table("known_pages")
