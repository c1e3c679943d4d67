"""the language each person reads the app in, and a customer's (optional)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 05:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.add_column(
            sa.Column("language", sa.String(length=8), nullable=False, server_default="en")
        )
    with op.batch_alter_table("customers") as customers:
        customers.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customers") as customers:
        customers.drop_column("language")
    with op.batch_alter_table("users") as users:
        users.drop_column("language")
