"""customer search indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 02:10:00.000000

Search by any part of a name, email, address or phone number must stay fast at a million
customers, so "contains" searches get trigram indexes:

* PostgreSQL: the pg_trgm extension and GIN trigram indexes on lower(name), lower(email),
  lower(address) and phone_digits, used by ``lower(col) LIKE '%fragment%'``.
  CREATE EXTENSION needs a superuser, or (PostgreSQL 13+, where pg_trgm is a trusted
  extension) the owner of the database / a role with CREATE on it. If the application's role
  has neither, a DBA runs ``CREATE EXTENSION pg_trgm;`` once before this migration.
* SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34+), kept in step with
  ``customers`` by triggers. Customers have UUID keys and SQLite may renumber the implicit
  rowid of such a table (VACUUM), so the FTS row ids live in ``customers_fts_keys``
  (an INTEGER PRIMARY KEY is never renumbered) instead of pointing at customers.rowid.
  Soft-deleted customers stay indexed; the search query filters them out.
  Caution: a later ``batch_alter_table("customers")`` on SQLite rebuilds the table and so
  drops these triggers; such a migration must create them again (the SQLite search tests in
  tests/api fail if new customers stop being found).

Both also get partial indexes (live rows only) in the list's two orders: (lower(name), id)
and (updated_at, id). On PostgreSQL the name one INCLUDEs name, so a deep page is found by an
index-only scan before the 25 rows are read (see customer_search.page_of).

None of these objects are in the SQLModel metadata: alembic/env.py ignores them by name
(khs_crm.services.customers.search.is_search_object) when comparing schemas.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRGM_INDEXES = {
    "ix_customers_trgm_name": "lower(name)",
    "ix_customers_trgm_email": "lower(email)",
    "ix_customers_trgm_address": "lower(address)",
    "ix_customers_trgm_phone_digits": "phone_digits",
}
NAME_SORT_INDEX = "ix_customers_search_name_sort"
UPDATED_SORT_INDEX = "ix_customers_search_updated_sort"
LIVE = "WHERE deleted_at IS NULL"
SORT_INDEXES = {
    "postgresql": [
        f"CREATE INDEX {NAME_SORT_INDEX} ON customers (lower(name), id) INCLUDE (name) {LIVE}",
        f"CREATE INDEX {UPDATED_SORT_INDEX} ON customers (updated_at, id) {LIVE}",
    ],
    "sqlite": [
        f"CREATE INDEX {NAME_SORT_INDEX} ON customers (lower(name), id) {LIVE}",
        f"CREATE INDEX {UPDATED_SORT_INDEX} ON customers (updated_at, id) {LIVE}",
    ],
}
DROP_SORT_INDEXES = [f"DROP INDEX IF EXISTS {i}" for i in (NAME_SORT_INDEX, UPDATED_SORT_INDEX)]

SQLITE_UPGRADE = [
    "CREATE TABLE customers_fts_keys ("
    " fts_rowid INTEGER PRIMARY KEY, customer_id CHAR(32) NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE customers_fts USING fts5("
    "name, email, address, phone_digits, tokenize='trigram')",
    """CREATE TRIGGER customers_fts_after_insert AFTER INSERT ON customers BEGIN
        INSERT INTO customers_fts_keys (customer_id) VALUES (new.id);
        INSERT INTO customers_fts (rowid, name, email, address, phone_digits)
        VALUES ((SELECT fts_rowid FROM customers_fts_keys WHERE customer_id = new.id),
                new.name, new.email, new.address, new.phone_digits);
    END""",
    """CREATE TRIGGER customers_fts_after_update
    AFTER UPDATE OF name, email, address, phone_digits ON customers BEGIN
        UPDATE customers_fts SET name = new.name, email = new.email,
            address = new.address, phone_digits = new.phone_digits
        WHERE rowid = (SELECT fts_rowid FROM customers_fts_keys WHERE customer_id = old.id);
    END""",
    """CREATE TRIGGER customers_fts_after_delete AFTER DELETE ON customers BEGIN
        DELETE FROM customers_fts
        WHERE rowid = (SELECT fts_rowid FROM customers_fts_keys WHERE customer_id = old.id);
        DELETE FROM customers_fts_keys WHERE customer_id = old.id;
    END""",
    # Index the customers that already exist.
    "INSERT INTO customers_fts_keys (customer_id) SELECT id FROM customers",
    "INSERT INTO customers_fts (rowid, name, email, address, phone_digits)"
    " SELECT k.fts_rowid, c.name, c.email, c.address, c.phone_digits"
    " FROM customers c JOIN customers_fts_keys k ON k.customer_id = c.id",
    *SORT_INDEXES["sqlite"],
]

SQLITE_DOWNGRADE = [
    *DROP_SORT_INDEXES,
    "DROP TRIGGER IF EXISTS customers_fts_after_delete",
    "DROP TRIGGER IF EXISTS customers_fts_after_update",
    "DROP TRIGGER IF EXISTS customers_fts_after_insert",
    "DROP TABLE IF EXISTS customers_fts",
    "DROP TABLE IF EXISTS customers_fts_keys",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, expression in TRGM_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON customers USING gin ({expression} gin_trgm_ops)")
        for statement in SORT_INDEXES["postgresql"]:
            op.execute(statement)
    elif dialect == "sqlite":
        for statement in SQLITE_UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for statement in DROP_SORT_INDEXES:
            op.execute(statement)
        for name in TRGM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        # Fails (on purpose) if objects outside this migration have come to depend on it.
        op.execute("DROP EXTENSION IF EXISTS pg_trgm")
    elif dialect == "sqlite":
        for statement in SQLITE_DOWNGRADE:
            op.execute(statement)
