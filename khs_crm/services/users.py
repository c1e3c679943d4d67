"""People: create, change and deactivate users."""

from __future__ import annotations

import uuid

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, func, select

from khs_crm.models import Role, User
from khs_crm.models.base import utcnow
from khs_crm.security import WeakPasswordError, check_password_rules, hash_password
from khs_crm.services import activity
from khs_crm.services.errors import Conflict, NotFound, ValidationFailed


def normalise_email(email: str) -> str:
    """Validate an email address and return it lower-cased; raise ValidationFailed if bad."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationFailed(
            "Enter a valid email address.", details=[{"field": "email", "message": str(exc)}]
        ) from exc
    return checked.normalized.lower()


def parse_role(role: str) -> Role:
    """Return the Role for a name; raise ValidationFailed for anything else."""
    try:
        return Role(role)
    except ValueError as exc:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationFailed(
            f"Role must be one of: {allowed}.", details=[{"field": "role", "message": allowed}]
        ) from exc


def validated_password_hash(password: str) -> str:
    """Check the password rules and return its bcrypt hash."""
    try:
        check_password_rules(password)
    except WeakPasswordError as exc:
        raise ValidationFailed(
            str(exc), details=[{"field": "password", "message": str(exc)}]
        ) from exc
    return hash_password(password)


def get_by_email(session: Session, email: str) -> User | None:
    """The user with this email (any case), or None."""
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    actor: User | None,
) -> User:
    """Create a user; commits. Raises Conflict on a duplicate email."""
    email = normalise_email(email)
    role_value = parse_role(role)
    name = name.strip()
    if not name:
        raise ValidationFailed(
            "Enter a name.", details=[{"field": "name", "message": "Name is required."}]
        )
    if get_by_email(session, email) is not None:
        raise Conflict(
            f"A user with the email {email} already exists.",
            details=[{"field": "email", "message": "already in use"}],
        )
    user = User(
        email=email, name=name, role=role_value, password_hash=validated_password_hash(password)
    )
    session.add(user)
    activity.record(
        session,
        actor=actor,
        entity="user",
        entity_id=user.id,
        action="create",
        changes={"email": email, "name": name, "role": role_value},
    )
    session.commit()
    session.refresh(user)
    return user


def active_owner_count(session: Session) -> int:
    """How many active owners there are."""
    return session.exec(
        select(func.count()).select_from(User).where(User.role == Role.owner, User.active)
    ).one()


def deactivate_user(session: Session, *, user_id: uuid.UUID, actor: User | None) -> User:
    """Deactivate a user and end every session and token they hold; commits."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found.")
    if user.role == Role.owner and user.active and active_owner_count(session) <= 1:
        raise Conflict("The last active owner cannot be deactivated.")
    user.active = False
    user.auth_epoch += 1
    user.updated_at = utcnow()
    session.add(user)
    activity.record(
        session,
        actor=actor,
        entity="user",
        entity_id=user.id,
        action="deactivate",
        changes={"active": False},
    )
    session.commit()
    session.refresh(user)
    return user
