"""The office's one search box: customers, jobs and people for a search text, ranked by the
similarity rule (services/search/rule.py), a few of each kind.

- customers: name, phone (its digits), email, address (as the customer search reads them);
  near misses of the name;
- jobs: title, site address, the customer's name; near misses of the title;
- people: name, email; near misses of the name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from khs_crm.models import Customer, Job, User
from khs_crm.services.core.access import require_office, visible_customer_condition, visible_jobs
from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.customers.search import parse_query, search_condition
from khs_crm.services.search import rule

DEFAULT_LIMIT = 5
MAX_LIMIT = 20


@dataclass
class Found:
    """What a search found, each kind best first."""

    customers: list[Customer] = field(default_factory=list)
    jobs: list[tuple[Job, str]] = field(default_factory=list)  # (job, its customer's name)
    people: list[User] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.customers) + len(self.jobs) + len(self.people)


def _ranked(
    session: Session,
    q: str,
    *,
    ids: Any,
    main: Any,
    where: list[ColumnElement[bool]],
    found: ColumnElement[bool],
    limit: int,
) -> list[uuid.UUID]:
    """The ids of the ``limit`` best matches: those containing every word (exact, prefix,
    the rest), then, while places remain, the near misses of ``main``.

    The near misses are only looked for when the words are not found often enough: a broad
    fragment never pays for the similarity scan (rule.py says why the order is the same).
    """
    closeness = rule.closeness(session, q, main).desc()
    order = (closeness, rule.sort_key(session, main), ids)
    query = select(ids).where(*where, found).order_by(rule.tier(q, main), *order)
    best = list(session.exec(query.limit(limit)).all())
    if len(best) < limit:
        near = rule.near(session, q, main)
        query = select(ids).where(*where, near, ~found).order_by(*order)
        best += session.exec(query.limit(limit - len(best))).all()
    return best


def _in_order(rows: list[Any], ids: list[uuid.UUID], key: Any) -> list[Any]:
    by_id = {key(row): row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def _customers(session: Session, user: User, q: str, limit: int) -> list[Customer]:
    where = [visible_customer_condition(user)]
    found = search_condition(session, q)
    ids = _ranked(
        session, q, ids=col(Customer.id), main=Customer.name, where=where, found=found, limit=limit
    )
    rows = session.exec(select(Customer).where(col(Customer.id).in_(ids))).all()
    return _in_order(list(rows), ids, lambda c: c.id)


def _jobs(session: Session, user: User, q: str, words: list[str], limit: int):
    found = rule.every_word([Job.site_address, Job.title, Customer.name], words)
    visible = visible_jobs(user).with_only_columns(col(Job.id))
    where = [col(Job.id).in_(visible), col(Job.customer_id) == col(Customer.id)]
    ids = _ranked(
        session, q, ids=col(Job.id), main=Job.title, where=where, found=found, limit=limit
    )
    rows = session.exec(select(Job, Customer.name).join(Customer).where(col(Job.id).in_(ids))).all()
    return _in_order([(job, name) for job, name in rows], ids, lambda r: r[0].id)


def _people(session: Session, q: str, words: list[str], limit: int) -> list[User]:
    found = rule.every_word([User.name, User.email], words)
    ids = _ranked(session, q, ids=col(User.id), main=User.name, where=[], found=found, limit=limit)
    rows = session.exec(select(User).where(col(User.id).in_(ids))).all()
    return _in_order(list(rows), ids, lambda u: u.id)


def search_everything(session: Session, *, user: User, q: str, limit: int = DEFAULT_LIMIT) -> Found:
    """Up to ``limit`` customers, jobs and people matching ``q`` (office only), best first.

    Raises ValidationFailed for a blank or too long text, or a limit outside 1..MAX_LIMIT.
    """
    require_office(user, "search everything")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(
            f"limit must be between 1 and {MAX_LIMIT}.",
            details=[{"field": "limit", "message": "out of range"}],
        )
    words = [term.text for term in parse_query(q)]
    text = rule.normalise(q)
    rule.prepare(session)
    return Found(
        customers=_customers(session, user, text, limit),
        jobs=_jobs(session, user, text, words, limit),
        people=_people(session, text, words, limit),
    )
