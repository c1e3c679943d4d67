"""calendar feed tokens

A new table only (plain CREATE TABLE), so the customer search triggers of 0003 stay intact.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import khs_crm.models.base
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("revoked_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_calendar_tokens_token_hash", "calendar_tokens", ["token_hash"], unique=True)
    op.create_index("ix_calendar_tokens_user_id", "calendar_tokens", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_calendar_tokens_user_id", table_name="calendar_tokens")
    op.drop_index("ix_calendar_tokens_token_hash", table_name="calendar_tokens")
    op.drop_table("calendar_tokens")
