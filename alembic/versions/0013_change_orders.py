"""change orders: change_orders (syncable, signed on a phone) and change_order_pricers
(who may price them, beside the user row)

New tables only (plain CREATE TABLE).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 08:29:27.433472
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import khs_crm.models.base
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_order_pricers",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("granted_by", sa.Uuid(), nullable=True),
        sa.Column("updated_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["granted_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "change_orders",
        sa.Column("created_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("photo_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.JSON(), nullable=True),
        sa.Column("tax_rate", sa.Numeric(precision=6, scale=3), nullable=False),
        sa.Column("subtotal", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("tax", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("total", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("revises_id", sa.Uuid(), nullable=True),
        sa.Column("link_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("sent_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("answered_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_ip", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column(
            "answered_user_agent", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True
        ),
        sa.Column("decline_reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
        ),
        sa.ForeignKeyConstraint(
            ["revises_id"],
            ["change_orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("link_hash"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("change_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_orders_job_id"), ["job_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_change_orders_revises_id"), ["revises_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_change_orders_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_change_orders_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_change_orders_version"), ["version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("change_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_orders_version"))
        batch_op.drop_index(batch_op.f("ix_change_orders_updated_at"))
        batch_op.drop_index(batch_op.f("ix_change_orders_status"))
        batch_op.drop_index(batch_op.f("ix_change_orders_revises_id"))
        batch_op.drop_index(batch_op.f("ix_change_orders_job_id"))

    op.drop_table("change_orders")
    op.drop_table("change_order_pricers")
