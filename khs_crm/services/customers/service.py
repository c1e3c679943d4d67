"""Customers: create, read, change and delete, each write logged and versioned for sync."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from khs_crm.models import ActivityAction, Customer, User
from khs_crm.models.base import new_id, utcnow
from khs_crm.services.core import activity
from khs_crm.services.core.access import get_visible_customer, require_office
from khs_crm.services.core.common import apply_changes, check_version, soft_delete
from khs_crm.services.core.errors import id_taken
from khs_crm.services.core.versioning import reserve_versions
from khs_crm.services.customers.rules import digits_of, validated
from khs_crm.services.customers.schemas import CustomerCreate, CustomerUpdate
from khs_crm.services.customers.search import list_customers, search_customers

ENTITY = "customer"

__all__ = [
    "ENTITY",
    "add_customers",
    "create_customer",
    "delete_customer",
    "get_customer",
    "list_customers",
    "possible_duplicates",
    "search_customers",
    "update_customer",
]


def get_customer(session: Session, *, customer_id: uuid.UUID, user: User) -> Customer:
    """The customer, or NotFound when missing, deleted or not visible to the user."""
    return get_visible_customer(session, customer_id=customer_id, user=user)


def _check_new_ids(session: Session, items: list[CustomerCreate]) -> None:
    wanted = [item.id for item in items if item.id is not None]
    if len(set(wanted)) != len(wanted) or any(session.get(Customer, i) for i in wanted):
        raise id_taken()


def add_customers(
    session: Session,
    *,
    items: list[CustomerCreate],
    actor: User,
    action: ActivityAction = ActivityAction.create,
) -> list[Customer]:
    """Add validated customers to the caller's transaction, versioned and logged.

    Raises Conflict when a client-chosen id is already taken. Does not commit.
    """
    _check_new_ids(session, items)
    now = utcnow()
    added = []
    with session.no_autoflush:
        for item, version in zip(items, reserve_versions(session, len(items)), strict=True):
            fields = item.model_dump(exclude={"id"})
            customer = Customer(
                **fields,
                id=item.id or new_id(),
                phone_digits=digits_of(item.phone),
                version=version,
                created_at=now,
                updated_at=now,
            )
            session.add(customer)
            activity.record(
                session,
                actor=actor,
                entity=ENTITY,
                entity_id=customer.id,
                action=action,
                changes=activity.created(fields),
            )
            added.append(customer)
    return added


def create_customer(
    session: Session, *, data: CustomerCreate | dict[str, Any], actor: User
) -> Customer:
    """Create a customer (office only); returns it.

    Raises ValidationFailed (bad fields), Forbidden (a worker) or Conflict (id taken).
    """
    require_office(actor, "add customers")
    item = validated(CustomerCreate, data)
    (customer,) = add_customers(session, items=[item], actor=actor)
    session.flush()
    return customer


def _writable(
    session: Session, customer_id: uuid.UUID, actor: User, expected: int | None
) -> Customer:
    """The customer, once every rule allows the write (the version is checked again as it
    is written: services/core/common.py)."""
    customer = get_visible_customer(session, customer_id=customer_id, user=actor)
    require_office(actor, "change customers")
    check_version(customer, expected)
    return customer


def update_customer(
    session: Session,
    *,
    customer_id: uuid.UUID,
    changes: dict[str, Any] | CustomerUpdate,
    actor: User,
    expected_version: int | None = None,
) -> Customer:
    """Change the given fields only (office only); returns the customer.

    Unchanged values write nothing (no new version, no activity). Raises NotFound (missing
    or not visible), Forbidden (a worker who can see it), PreconditionFailed (stale
    ``expected_version``) or ValidationFailed.
    """
    values = validated(CustomerUpdate, changes).changes()
    customer = _writable(session, customer_id, actor, expected_version)
    apply_changes(session, customer, values, actor=actor, entity=ENTITY)
    session.flush()
    return customer


def delete_customer(
    session: Session,
    *,
    customer_id: uuid.UUID,
    actor: User,
    expected_version: int | None = None,
) -> Customer:
    """Soft-delete a customer (office only); its jobs are kept. Returns the tombstone.

    Raises NotFound, Forbidden or PreconditionFailed like update_customer.
    """
    customer = _writable(session, customer_id, actor, expected_version)
    soft_delete(session, customer, actor=actor, entity=ENTITY)
    session.flush()
    return customer


def possible_duplicates(
    session: Session, *, phone: str, email: str, actor: User, limit: int = 3
) -> list[Customer]:
    """Live customers with the same phone number (its digits) or email (any case) as a new
    one would have, by name: the office is warned before adding someone twice."""
    require_office(actor, "add customers")
    digits, address = digits_of(phone or ""), (email or "").strip().lower()
    same = []
    if digits:
        same.append(col(Customer.phone_digits) == digits)
    if address:
        same.append(func.lower(col(Customer.email)) == address)
    if not same:
        return []
    query = (
        select(Customer)
        .where(col(Customer.deleted_at).is_(None), or_(*same))
        .order_by(col(Customer.name), col(Customer.id))
        .limit(limit)
    )
    return list(session.exec(query).all())
