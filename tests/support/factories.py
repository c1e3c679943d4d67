"""Test data: users of every role, customers, jobs, and ways to sign them in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache

from sqlmodel import Session

from khs_crm.models import Customer, Job, JobAssignment, JobStatus, Role, User
from khs_crm.security import hash_password
from khs_crm.services.auth.service import issue_access_token
from khs_crm.services.core.versioning import next_version, reserve_versions
from khs_crm.settings import get_settings

PASSWORD = "correct-horse-battery"  # noqa: S105


@cache
def _password_hash(password: str, cost: int) -> str:
    """One bcrypt hash per password and cost (the settings' bcrypt rounds, which
    hash_password reads) for the whole run: a test's users need a hash that signs them in,
    not a salt of their own (four users a cast, thousands of casts)."""
    return hash_password(password)


def _new_user(role: Role | str, **fields) -> User:
    suffix = uuid.uuid4().hex[:8]
    return User(
        email=fields.pop("email", f"{role}-{suffix}@example.com"),
        name=fields.pop("name", f"{str(role).title()} {suffix}"),
        role=role,
        password_hash=_password_hash(
            fields.pop("password", PASSWORD), get_settings().bcrypt_rounds
        ),
        **fields,
    )


# The rows below are written and committed, not read back: the tests' sessions keep what
# they wrote after a commit (expire_on_commit=False) and no column gets its value from the
# database (ids, versions and timestamps are all set here), so a refresh would only repeat a
# SELECT per row.


def make_users(session: Session, *roles: Role | str) -> list[User]:
    """Users of these roles, written together: one INSERT and one commit, not one each."""
    users = [_new_user(role) for role in roles]
    session.add_all(users)
    session.commit()
    return users


def make_user(session: Session, role: Role | str = Role.worker, **fields) -> User:
    user = _new_user(role, **fields)
    session.add(user)
    session.commit()
    return user


def _new_customer(version: int, **fields) -> Customer:
    fields.setdefault("name", "Pat Customer")
    phone = fields.setdefault("phone", "(512) 555-0100")
    fields.setdefault("phone_digits", "".join(c for c in phone if c.isdigit()))
    return Customer(version=version, **fields)


def make_customer(session: Session, **fields) -> Customer:
    customer = _new_customer(next_version(session), **fields)
    session.add(customer)
    session.commit()
    return customer


def _new_job(customer: Customer, version: int, **fields) -> Job:
    fields.setdefault("title", "Kitchen remodel")
    fields.setdefault("status", JobStatus.lead)
    return Job(customer_id=customer.id, version=version, **fields)


def make_job(session: Session, customer: Customer, *, crew: list[User] = (), **fields) -> Job:
    versions = iter(reserve_versions(session, 1 + len(crew)))
    job = _new_job(customer, next(versions), **fields)
    session.add(job)
    session.flush()  # the job's row before its crew's (no relationship orders them)
    for worker in crew:
        session.add(JobAssignment(job_id=job.id, user_id=worker.id, version=next(versions)))
    session.commit()
    return job


def bearer(user: User) -> dict[str, str]:
    """An access token of a family of its own (no refresh token: never revoked)."""
    return {"Authorization": f"Bearer {issue_access_token(user, family_id=uuid.uuid4())}"}


@dataclass
class Cast:
    """Everyone a role matrix needs: owner, admin, worker A (assigned), worker B (not)."""

    owner: User
    admin: User
    worker_a: User
    worker_b: User
    customer: Customer
    job: Job


def make_cast(session: Session) -> Cast:
    """The whole cast in one transaction: one counter update for the three versions, the
    rows flushed parents first, one commit (most API tests start with one)."""
    owner, admin, worker_a, worker_b = users = [
        _new_user(role) for role in (Role.owner, Role.admin, Role.worker, Role.worker)
    ]
    customer_version, job_version, crew_version = reserve_versions(session, 3)
    customer = _new_customer(customer_version)
    job = _new_job(customer, job_version, status=JobStatus.scheduled)
    session.add_all([*users, customer])
    session.flush()  # parents first: no relationship() tells the flush their order
    session.add(job)
    session.flush()
    session.add(JobAssignment(job_id=job.id, user_id=worker_a.id, version=crew_version))
    session.commit()
    return Cast(owner, admin, worker_a, worker_b, customer, job)
