"""Test data: users of every role, customers, jobs, and ways to sign them in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session

from khs_crm.models import Customer, Job, JobAssignment, JobStatus, Role, User
from khs_crm.security import hash_password
from khs_crm.services.auth.service import issue_access_token
from khs_crm.services.core.versioning import next_version

PASSWORD = "correct-horse-battery"  # noqa: S105


def make_user(session: Session, role: Role | str = Role.worker, **fields) -> User:
    suffix = uuid.uuid4().hex[:8]
    user = User(
        email=fields.pop("email", f"{role}-{suffix}@example.com"),
        name=fields.pop("name", f"{str(role).title()} {suffix}"),
        role=role,
        password_hash=hash_password(fields.pop("password", PASSWORD)),
        **fields,
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def make_customer(session: Session, **fields) -> Customer:
    fields.setdefault("name", "Pat Customer")
    phone = fields.setdefault("phone", "(512) 555-0100")
    fields.setdefault("phone_digits", "".join(c for c in phone if c.isdigit()))
    customer = Customer(version=next_version(session), **fields)
    session.add(customer)
    session.commit()
    session.refresh(customer)
    return customer


def make_job(session: Session, customer: Customer, *, crew: list[User] = (), **fields) -> Job:
    fields.setdefault("title", "Kitchen remodel")
    fields.setdefault("status", JobStatus.lead)
    job = Job(customer_id=customer.id, version=next_version(session), **fields)
    session.add(job)
    session.flush()
    for worker in crew:
        session.add(JobAssignment(job_id=job.id, user_id=worker.id, version=next_version(session)))
    session.commit()
    session.refresh(job)
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
    owner = make_user(session, Role.owner)
    admin = make_user(session, Role.admin)
    worker_a = make_user(session, Role.worker)
    worker_b = make_user(session, Role.worker)
    customer = make_customer(session)
    job = make_job(session, customer, crew=[worker_a], status=JobStatus.scheduled)
    return Cast(owner, admin, worker_a, worker_b, customer, job)
