"""time clock: time entries, approved timesheet weeks, time settings, hourly costs

New tables only (plain CREATE TABLE).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 08:07:09.543474
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import khs_crm.models.base
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "time_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week_start_day", sa.Integer(), nullable=False),
        sa.Column("overtime_hours", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "labor_rates",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("hourly_cost", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("updated_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "timesheet_approvals",
        sa.Column("created_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=False),
        sa.Column("decided_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "week_start"),
    )
    with op.batch_alter_table("timesheet_approvals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_timesheet_approvals_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_timesheet_approvals_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "time_entries",
        sa.Column("created_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("breaks", sa.JSON(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("received_at", khs_crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("time_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_time_entries_job_id"), ["job_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_time_entries_started_at"), ["started_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_time_entries_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_time_entries_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_time_entries_version"), ["version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("time_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_time_entries_version"))
        batch_op.drop_index(batch_op.f("ix_time_entries_user_id"))
        batch_op.drop_index(batch_op.f("ix_time_entries_updated_at"))
        batch_op.drop_index(batch_op.f("ix_time_entries_started_at"))
        batch_op.drop_index(batch_op.f("ix_time_entries_job_id"))

    op.drop_table("time_entries")
    with op.batch_alter_table("timesheet_approvals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timesheet_approvals_user_id"))
        batch_op.drop_index(batch_op.f("ix_timesheet_approvals_updated_at"))

    op.drop_table("timesheet_approvals")
    op.drop_table("labor_rates")
    op.drop_table("time_settings")
