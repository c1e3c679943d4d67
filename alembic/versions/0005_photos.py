"""photos: pixel size, content hash, thumbnail

Columns are added and dropped with plain ALTER TABLE (SQLite 3.35+), never a batch
table rebuild, which on SQLite would drop the customer search triggers of 0003.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("photos", sa.Column("width", sa.Integer(), nullable=True))
    op.add_column("photos", sa.Column("height", sa.Integer(), nullable=True))
    op.add_column(
        "photos",
        sa.Column(
            "content_sha256",
            sqlmodel.sql.sqltypes.AutoString(length=64),
            nullable=False,
            server_default="",
        ),
    )
    op.add_column(
        "photos",
        sa.Column("thumbnail_key", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    )
    op.add_column(
        "photos",
        sa.Column(
            "thumbnail_status",
            sqlmodel.sql.sqltypes.AutoString(length=16),
            nullable=False,
            server_default="pending",
        ),
    )


def downgrade() -> None:
    op.drop_column("photos", "thumbnail_status")
    op.drop_column("photos", "thumbnail_key")
    op.drop_column("photos", "content_sha256")
    op.drop_column("photos", "height")
    op.drop_column("photos", "width")
