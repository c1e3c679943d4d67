"""customer search: a name-order index that carries every column a search reads

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 16:40:00.000000

A search with more than 1,000 matches finds its page sorted by name by walking the name
order and testing each customer (services/search/by_name.py). On PostgreSQL the partial
``(lower(name), id) INCLUDE (name)`` index of migration 0003 lacks the email, address and
phone digits, so every step of such a walk read the customer's row. This index INCLUDEs
them (and deleted_at, always NULL here, which the search conditions test), so the walk
reads the index only.

A B-tree entry holds at most 2,704 bytes. Name (twice), email and address can exceed that
only in CJK or emoji text near every length limit; such a customer is left out of this
index (so saving it never fails) and goes into a second index, empty but for such data,
which tells the search not to walk (the predicates are repeated word for word in
khs_crm/services/search/by_name.py: PostgreSQL uses a partial index only for a query that
states its predicate).

Migration 0003's index stays: it is less than half the size, and the list's deep pages,
which need only the name order, walk it (offset 500,000 at a million customers: 55-75 ms
on it, 95-180 ms on this one).

SQLite is left as it is: its search reads the FTS5 table of migration 0003.
The index is not in the SQLModel metadata: its name starts with a prefix that
khs_crm.services.customers.search.is_search_object recognises.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_customers_search_name_cover"
LEFT_OUT_INDEX = "ix_customers_search_left_out"
FITS = (
    "octet_length(lower(name)) + octet_length(name) + octet_length(email)"
    " + octet_length(address) + octet_length(phone_digits) <= 2500"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE INDEX {INDEX} ON customers (lower(name), id)"
            " INCLUDE (name, email, address, phone_digits, deleted_at)"
            f" WHERE deleted_at IS NULL AND {FITS}"
        )
        op.execute(
            f"CREATE INDEX {LEFT_OUT_INDEX} ON customers (lower(name), id)"
            f" WHERE deleted_at IS NULL AND NOT ({FITS})"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {LEFT_OUT_INDEX}")
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
