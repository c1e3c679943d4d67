"""People: create, change and deactivate users."""

from __future__ import annotations

import uuid

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, func, select

from khs_crm.i18n import LANGUAGES
from khs_crm.models import ActivityAction, Role, User
from khs_crm.models.base import bound
from khs_crm.models.user import PersonName
from khs_crm.security import WeakPasswordError, check_password_rules, hash_password
from khs_crm.services.auth.privilege import check_may_manage
from khs_crm.services.auth.privilege import may_manage as may_manage  # the People page asks
from khs_crm.services.core import activity
from khs_crm.services.core.common import check_version, mark_written
from khs_crm.services.core.errors import Conflict, NotFound, ValidationFailed
from khs_crm.services.core.text import strip_bidi
from khs_crm.services.core.versioning import lock_writes
from khs_crm.services.jobs import calendar_feed


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


def _check_name(name: str) -> str:
    name = strip_bidi(name).strip()
    longest = bound(PersonName)
    if not name or len(name) > longest:
        raise ValidationFailed(
            f"Enter a name of at most {longest} characters.",
            details=[{"field": "name", "message": f"1 to {longest} characters"}],
        )
    return name


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    actor: User | None,
) -> User:
    """Create a user. Raises Conflict on a duplicate email, Forbidden (see above)."""
    email = normalise_email(email)
    role_value = parse_role(role)
    check_may_manage(actor, None, role_value)
    name = _check_name(name)
    if get_by_email(session, email) is not None:
        raise Conflict(
            f"A user with the email {email} already exists.",
            details=[{"field": "email", "message": "already in use"}],
        )
    user = User(
        email=email, name=name, role=role_value, password_hash=validated_password_hash(password)
    )
    mark_written(session, user)
    activity.record(
        session,
        actor=actor,
        entity="user",
        entity_id=user.id,
        action=ActivityAction.create,
        changes=activity.created({"email": email, "name": name, "role": role_value}),
    )
    session.flush()
    return user


def list_users(session: Session, *, offset: int = 0, limit: int = 25) -> tuple[list[User], int]:
    """One page of every user, active or not, by name; and how many there are."""
    total = session.exec(select(func.count()).select_from(User)).one()
    users = session.exec(
        select(User).order_by(col(User.name), col(User.email)).offset(offset).limit(limit)
    ).all()
    return list(users), total


def active_owner_count(session: Session, *, lock: bool = False) -> int:
    """How many active owners there are (``lock``: hold their rows until the commit)."""
    query = select(User.id).where(User.role == Role.owner, col(User.active).is_(True))
    return len(session.exec(query.with_for_update() if lock else query).all())


def _get(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found.")
    return user


def _check_last_owner(session: Session, user: User, role: Role, active: bool) -> None:
    losing_owner = user.role == Role.owner and user.active and not (role == Role.owner and active)
    if losing_owner and active_owner_count(session, lock=True) <= 1:
        action = "deactivated" if not active else "demoted"
        raise Conflict(
            f"The last active owner cannot be {action}.",
            details=[{"field": "role" if active else "active", "message": "last owner"}],
        )


def update_user(
    session: Session,
    *,
    user_id: uuid.UUID,
    actor: User | None,
    name: str | None = None,
    role: str | None = None,
    active: bool | None = None,
    language: str | None = None,
    expected_version: int | None = None,
) -> User:
    """Change a user's name, role, active flag or language (None: leave as is).

    Deactivating bumps ``auth_epoch``: every session and token they hold stops working.
    Raises NotFound, Forbidden (see ``check_may_manage``), PreconditionFailed (stale
    ``expected_version``), Conflict for the last owner: checked while holding the write lock,
    so two owners deactivating each other at once leave one active owner.
    """
    lock_writes(session)
    user = _get(session, user_id)
    check_version(user, expected_version)
    new_role = parse_role(role) if role is not None else None
    check_may_manage(actor, user, new_role)
    name_after = _check_name(name) if name is not None else user.name
    role_after = new_role or Role(user.role)
    active_after = user.active if active is None else active
    _check_last_owner(session, user, role_after, active_after)
    wanted = {"name": name_after, "role": role_after, "active": active_after}
    if language is not None:
        wanted["language"] = parse_language(language)
    changed = {f: [getattr(user, f), v] for f, v in wanted.items() if getattr(user, f) != v}
    if not changed:
        return user
    if "active" in changed and not wanted["active"]:
        user.auth_epoch += 1
        calendar_feed.revoke_on_deactivation(session, user_id=user.id)
    for field, (_old, value) in changed.items():
        setattr(user, field, value)
    mark_written(session, user)
    deactivated = changed.get("active") == [True, False]
    activity.record(
        session,
        actor=actor,
        entity="user",
        entity_id=user.id,
        action=ActivityAction.deactivate if deactivated else ActivityAction.update,
        changes=activity.diff(changed),
    )
    session.flush()
    return user


def parse_language(value: str) -> str:
    """One of the app's languages, or ValidationFailed naming them."""
    if value not in LANGUAGES:
        raise ValidationFailed(
            f"language must be one of: {', '.join(LANGUAGES)}.",
            details=[{"field": "language", "message": " | ".join(LANGUAGES)}],
        )
    return value


def set_own_language(
    session: Session, *, actor: User, language: str, expected_version: int | None = None
) -> User:
    """A person chooses the language they read the app in (anyone may, for themselves)."""
    code = parse_language(language)
    user = _get(session, actor.id)
    check_version(user, expected_version)
    return set_own(session, actor=actor, user=user, field="language", value=code)


def set_own(session: Session, *, actor: User, user: User, field: str, value: object) -> User:
    """A person's own setting (their language, whether they share their location) set,
    written and logged; nothing happens when it already is ``value``."""
    old = getattr(user, field)
    if old == value and type(old) is type(value):
        return user
    setattr(user, field, value)
    mark_written(session, user)
    activity.record(
        session,
        actor=actor,
        entity="user",
        entity_id=user.id,
        action=ActivityAction.update,
        changes=activity.diff({field: [old, value]}),
    )
    session.flush()
    return user


def deactivate_user(session: Session, *, user_id: uuid.UUID, actor: User | None) -> User:
    """Deactivate a user and end every session and token they hold."""
    return update_user(session, user_id=user_id, actor=actor, active=False)


def reset_password(
    session: Session, *, user_id: uuid.UUID, password: str, actor: User | None
) -> User:
    """Set a new password and end every session and token the user holds."""
    user = _get(session, user_id)
    check_may_manage(actor, user, None)
    user.password_hash = validated_password_hash(password)
    user.auth_epoch += 1
    mark_written(session, user)
    activity.record(
        session, actor=actor, entity="user", entity_id=user.id, action=ActivityAction.reset_password
    )
    session.flush()
    return user
