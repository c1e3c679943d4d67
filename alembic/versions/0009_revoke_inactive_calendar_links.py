"""revoke the calendar links of people deactivated before deactivation revoked them

Deactivation now revokes a person's calendar links for good; people deactivated earlier
still had live links, which reactivation would have brought back. Data only.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 03:05:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE calendar_tokens SET revoked_at = CURRENT_TIMESTAMP "
        "WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE active = false)"
    )


def downgrade() -> None:
    """Nothing to undo: a revoked link stays revoked."""
