"""Who may manage whom (least privilege): the one rule for users, roles and calendar links.

Its own module so that every service that manages people (users, calendar links) can ask it
without importing the other.
"""

from __future__ import annotations

from khs_crm.models import Role, User
from khs_crm.services.core.errors import Forbidden


def may_manage(actor: User | None, role: Role | str) -> bool:
    """Whether ``actor`` may manage a person who holds ``role``, or give someone that role.

    Least privilege: owners (and the command line, actor None) manage everyone; admins
    manage workers only; workers manage no one. Managing covers role changes, password
    resets, deactivation and calendar links. The People page shows actions by this rule.
    """
    if actor is None or actor.role == Role.owner:
        return True
    return actor.role == Role.admin and Role(role) == Role.worker


def check_may_manage(actor: User | None, target: User | None, new_role: Role | None) -> None:
    """Raise Forbidden unless ``may_manage`` allows the actor the target and the new role.

    Anyone but the office is told that only the office manages users; an admin, that only
    an owner manages admins and owners.
    """
    if actor is not None and actor.role not in (Role.owner, Role.admin):
        raise Forbidden("Only the office can manage users.")
    if target is not None and not may_manage(actor, target.role):
        raise Forbidden("Only an owner can change an admin or an owner.")
    if new_role is not None and not may_manage(actor, new_role):
        raise Forbidden("Only an owner can add admins and owners or give those roles.")
