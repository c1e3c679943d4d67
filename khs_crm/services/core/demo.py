"""A realistic demo company: people, customers, jobs in every status, materials, notes."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from khs_crm.models import Customer, Job, JobAssignment, JobNote, JobStatus, Material, Role, User
from khs_crm.security import hash_password
from khs_crm.services.core.versioning import next_version
from khs_crm.settings import get_settings

DEMO_OWNER_EMAIL = "owner@demo.khs-crm.test"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 (printed for the demo; never in production)

FIRST = [
    "Maria",
    "James",
    "Linda",
    "Robert",
    "Patricia",
    "Michael",
    "Jennifer",
    "David",
    "Elizabeth",
    "William",
    "Susan",
    "Carlos",
    "Aisha",
    "Tom",
    "Nguyen",
    "Priya",
]
LAST = [
    "Garcia",
    "Johnson",
    "Smith",
    "Williams",
    "Brown",
    "Martinez",
    "Lee",
    "Davis",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Patel",
    "Kim",
    "O'Brien",
    "Schmidt",
]
STREETS = [
    "Oak St",
    "Maple Ave",
    "Cedar Ln",
    "Lakeview Dr",
    "Main St",
    "Hillcrest Rd",
    "Pine Ct",
    "Willow Way",
    "Sunset Blvd",
    "River Rd",
]
JOBS = [
    "Kitchen remodel",
    "Bathroom refresh",
    "Deck build",
    "Roof repair",
    "Basement finish",
    "Window replacement",
    "Siding repair",
    "Garage conversion",
    "Fence install",
    "Drywall patch",
    "Flooring install",
    "Porch rebuild",
]
MATERIALS = [
    ("2x4 stud 8ft", "pcs", "Home Depot"),
    ("Drywall 4x8 1/2in", "sheets", "Lowe's"),
    ("Deck screws 3in", "box", "Home Depot"),
    ("Quartz countertop", "slab", "Stone Co"),
    ("Tile grout", "bag", "Floor & Decor"),
    ("Exterior paint", "gal", "Sherwin-Williams"),
    ("Roofing shingles", "bundle", "ABC Supply"),
    ("PEX pipe 1/2in", "ft", "Ferguson"),
    ("LVP flooring", "sqft", "Floor & Decor"),
    ("Cabinet hinges", "pcs", "Lowe's"),
]
PEOPLE = [
    ("owner@demo.khs-crm.test", "Kim Harper", Role.owner),
    ("office@demo.khs-crm.test", "Sam Ortiz", Role.admin),
    ("alex@demo.khs-crm.test", "Alex Rivera", Role.worker),
    ("jordan@demo.khs-crm.test", "Jordan Blake", Role.worker),
    ("casey@demo.khs-crm.test", "Casey Nguyen", Role.worker),
]


def is_seeded(session: Session) -> bool:
    """True when the demo owner already exists."""
    return session.exec(select(User).where(User.email == DEMO_OWNER_EMAIL)).first() is not None


def is_empty(session: Session) -> bool:
    """True when the database holds no users at all."""
    return session.exec(select(func.count()).select_from(User)).one() == 0


def seed_demo(session: Session, *, now: datetime | None = None) -> bool:
    """Load the demo company once; returns False when it was already there."""
    if is_seeded(session):
        return False
    rng = random.Random(2026)  # noqa: S311 (demo data, not security)
    now = now or datetime.now(UTC)
    password_hash = hash_password(DEMO_PASSWORD)
    users = [User(email=e, name=n, role=r, password_hash=password_hash) for e, n, r in PEOPLE]
    session.add_all(users)
    workers = [u for u in users if u.role == Role.worker]
    customers = [_customer(session, rng, i) for i in range(50)]
    statuses = list(JobStatus)
    for i in range(80):
        _job(
            session, rng, now, rng.choice(customers), statuses[i % len(statuses)], workers, users[0]
        )
    session.flush()
    return True


def _customer(session: Session, rng: random.Random, i: int) -> Customer:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    digits = f"512555{i:04d}"
    customer = Customer(
        name=name,
        phone=f"({digits[:3]}) {digits[3:6]}-{digits[6:]}",
        phone_digits=digits,
        email=f"{name.lower().replace(' ', '.').replace(chr(39), '')}{i}@example.com",
        address=f"{rng.randint(100, 9999)} {rng.choice(STREETS)}, Austin, TX",
        version=next_version(session),
    )
    session.add(customer)
    return customer


def _job(session, rng, now, customer, status, workers, author) -> None:
    day = (now + timedelta(days=rng.randint(-20, 20))).astimezone(ZoneInfo(get_settings().timezone))
    start = day.replace(hour=8, minute=0, second=0, microsecond=0)  # 8 AM company time
    scheduled = status not in (JobStatus.lead, JobStatus.quoted)
    job = Job(
        customer_id=customer.id,
        title=rng.choice(JOBS),
        description="Walkthrough done with the customer; see notes for details.",
        status=status,
        site_address=customer.address,
        scheduled_start=start if scheduled else None,
        scheduled_end=start + timedelta(hours=8) if scheduled else None,
        version=next_version(session),
    )
    session.add(job)
    session.flush()
    for worker in rng.sample(workers, k=rng.randint(1, 2)) if scheduled else []:
        session.add(JobAssignment(job_id=job.id, user_id=worker.id, version=next_version(session)))
    for name, unit, supplier in rng.sample(MATERIALS, k=rng.randint(2, 5)):
        bought = status in (JobStatus.completed,) or rng.random() < 0.3
        session.add(
            Material(
                job_id=job.id,
                name=name,
                quantity=rng.randint(1, 40),
                unit=unit,
                supplier=supplier,
                purchased=bought,
                purchased_at=now if bought else None,
                version=next_version(session),
            )
        )
    session.add(
        JobNote(
            job_id=job.id,
            author_id=author.id,
            version=next_version(session),
            body=f"Customer prefers mornings. Gate code {rng.randint(1000, 9999)}.",
        )
    )
