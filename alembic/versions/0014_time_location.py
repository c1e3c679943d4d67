"""time clock location stamp: a person's choice to stamp clock-ins with where they are
(users.share_location: null until asked, then true/false; off unless true) and the rounded
stamp on each entry (time_entries in_lat/in_lng/out_lat/out_lng, 3 decimals ≈ 110 m;
services/time/location.py)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 10:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STAMPS = ("in_lat", "in_lng", "out_lat", "out_lng")


def upgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.add_column(sa.Column("share_location", sa.Boolean(), nullable=True))
    with op.batch_alter_table("time_entries") as entries:
        for name in _STAMPS:
            entries.add_column(sa.Column(name, sa.Numeric(precision=6, scale=3), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("time_entries") as entries:
        for name in reversed(_STAMPS):
            entries.drop_column(name)
    with op.batch_alter_table("users") as users:
        users.drop_column("share_location")
