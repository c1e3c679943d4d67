"""The similarity rule gives the same answers on SQLite and PostgreSQL: the same records, in
the same order, for the same searches over the same data (pg_trgm on one, its port on the
other), and the same word similarity for every name."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from benchmarks.search_data import FIRST, LAST, STREETS
from khs_crm.db import make_engine
from khs_crm.models import Customer, Job, Role, User
from khs_crm.services.search import rule
from khs_crm.services.search.everything import search_everything
from khs_crm.services.search.trigram import _f4

pytestmark = pytest.mark.postgres

TITLES = ["Kitchen remodel", "Bathroom retile", "Deck staining", "Roof repair", "Window swap"]
QUERIES = [
    "patrica", "smi", "smith", "mith", "johnson", "jonson", "gonzales", "wiliams", "pat",
    "kitchen", "kitchn remodel", "bathrom", "oak", "lamar", "555-01", "anne smith", "a",
    "hernandes maria", "robrt", "lee", "dav",
]  # fmt: skip


def _rows(rng: random.Random) -> list[Any]:
    def uid() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128))

    owner = User(id=uid(), email="owner@same.test", name="Owner Same", role=Role.owner,
                 password_hash="-")  # fmt: skip
    rows: list[Any] = [owner]
    customers = []
    for n in range(400):
        first, last = rng.choice(FIRST[:40]), rng.choice(LAST[:40])
        if rng.random() < 0.05:  # a few stored with a typo of their own
            first = first[:-1]
        phone = f"(512) 555-{rng.randint(0, 9999):04d}"
        customers.append(
            Customer(
                id=uid(),
                name=f"{first} {last}",
                phone=phone,
                phone_digits="".join(c for c in phone if c.isdigit()),
                email=f"{first}.{last}{n}@example.com".lower() if rng.random() < 0.7 else "",
                address=f"{rng.randint(1, 9999)} {rng.choice(STREETS)} St",
                version=n + 1,
            )  # fmt: skip
        )
    rows += customers
    for n in range(80):
        rows.append(
            Job(id=uid(), customer_id=rng.choice(customers).id, title=rng.choice(TITLES),
                site_address=f"{rng.randint(1, 999)} {rng.choice(STREETS)} Rd", version=1000 + n)
        )  # fmt: skip
    for n in range(30):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        rows.append(User(id=uid(), email=f"p{n}@same.test", name=name, password_hash="-"))
    return rows


def _answers(engine: Engine, work: Callable[[Session, User], Any]) -> Any:
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            session = Session(bind=conn, join_transaction_mode="create_savepoint")
            rows = _rows(random.Random(5))
            session.add_all(rows)
            session.flush()
            return work(session, rows[0])
        finally:
            outer.rollback()


def _searches(session: Session, owner: User) -> dict[str, Any]:
    answers = {}
    for q in QUERIES:
        found = search_everything(session, user=owner, q=q, limit=20)
        answers[q] = (
            [c.id for c in found.customers],
            [j.id for j, _ in found.jobs],
            [u.id for u in found.people],
        )
    return answers


def _similarities(session: Session, owner: User) -> list[tuple]:
    """pg_trgm's word_similarity (PostgreSQL) or its port (SQLite) of every name, as real."""
    out = []
    for q in ("patrica", "smth", "gonzales", "lee"):
        query = select(Customer.id, rule.closeness(session, q, Customer.name)).order_by(Customer.id)
        out += [(q, i, _f4(s)) for i, s in session.exec(query)]
    return out


def test_the_same_searches_find_the_same_records_in_the_same_order(sqlite_url, postgres_url):
    sqlite, postgres = make_engine(sqlite_url), make_engine(postgres_url)
    try:
        on_sqlite = _answers(sqlite, _searches)
        on_postgres = _answers(postgres, _searches)
    finally:
        sqlite.dispose()
        postgres.dispose()
    assert on_sqlite == on_postgres
    assert sum(len(c) + len(j) + len(p) for c, j, p in on_sqlite.values()) > 300
    # near misses are found at all: the typos find what they are near
    assert on_sqlite["patrica"][0] and on_sqlite["wiliams"][0] and on_sqlite["bathrom"][1]


def test_word_similarity_is_the_same_number_on_both(sqlite_url, postgres_url):
    sqlite, postgres = make_engine(sqlite_url), make_engine(postgres_url)
    try:
        assert _answers(sqlite, _similarities) == _answers(postgres, _similarities)
    finally:
        sqlite.dispose()
        postgres.dispose()
