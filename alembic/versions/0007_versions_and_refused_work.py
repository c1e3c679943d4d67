"""user versions; refused device work kept for the office

Users get a version (If-Match, compare-and-swap writes). A sync conflict keeps every field
the device tried (``changes``) and a message code with parameters (``reason``, ``params``)
instead of finished English; the kind ``overwritten`` is now called ``field``, beside
``deleted`` (an edit of a deleted row) and ``refused`` (a move a rule refused).

Plain ALTER TABLE only (no batch rebuild), as in 0004.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 02:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("sync_conflicts", sa.Column("changes", sa.JSON(), nullable=True))
    op.add_column(
        "sync_conflicts",
        sa.Column(
            "reason", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False, server_default=""
        ),
    )
    op.add_column("sync_conflicts", sa.Column("params", sa.JSON(), nullable=True))
    op.execute("UPDATE sync_conflicts SET kind = 'field' WHERE kind = 'overwritten'")


def downgrade() -> None:
    op.execute("UPDATE sync_conflicts SET kind = 'overwritten' WHERE kind = 'field'")
    op.drop_column("sync_conflicts", "params")
    op.drop_column("sync_conflicts", "reason")
    op.drop_column("sync_conflicts", "changes")
    op.drop_column("users", "version")
