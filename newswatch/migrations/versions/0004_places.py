"""places: announcements' places with commune, département and région; the other names of a record

Revision ID: 0004_places
Revises: 0002

Existing announcements get their places from their stored location names (the record's other names
settle homonyms); a name that is no French place keeps only its name.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "announcement_places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("commune", sa.Text(), nullable=True),
        sa.Column("departement_code", sa.String(length=3), nullable=True),
        sa.Column("departement", sa.Text(), nullable=True),
        sa.Column("region_code", sa.String(length=3), nullable=True),
        sa.Column("region", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["announcement_id"], ["announcements.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("announcement_id", "position"),
    )
    with op.batch_alter_table("announcement_places", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_announcement_places_announcement_id"), ["announcement_id"])
        batch_op.create_index(batch_op.f("ix_announcement_places_region_code"), ["region_code"])
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("aliases", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_index("ix_announcements_edition", ["edition"])
    _fill_places()


def _fill_places() -> None:
    from newswatch.places import place_row, resolve_names

    bind = op.get_bind()
    announcements = sa.table("announcements", sa.column("id", sa.Integer), sa.column("locations", sa.JSON))
    places = sa.table(
        "announcement_places",
        *(
            sa.column(name)
            for name in (
                "announcement_id",
                "position",
                "name",
                "kind",
                "commune_code",
                "commune",
                "departement_code",
                "departement",
                "region_code",
                "region",
            )
        ),
    )
    rows = []
    for announcement_id, locations in bind.execute(sa.select(announcements.c.id, announcements.c.locations)):
        if isinstance(locations, str):  # a driver that hands JSON back as text
            locations = json.loads(locations)
        names = [n for n in dict.fromkeys(locations or []) if isinstance(n, str) and n.strip()]
        for position, (name, place) in enumerate(zip(names, resolve_names(names), strict=True)):
            rows.append({"announcement_id": announcement_id, "position": position, **place_row(name, place)})
    if rows:
        bind.execute(places.insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.drop_index("ix_announcements_edition")
        batch_op.drop_column("aliases")
    op.drop_table("announcement_places")
