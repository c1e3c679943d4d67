"""The sync merge rules as pure functions: no database, no clock, easy to test."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldConflict:
    """A field the device overwrote although the server changed it after the device's base."""

    field: str
    server_value: Any
    client_value: Any
    server_version: int


def payload_hash(operation: dict[str, Any]) -> str:
    """A stable digest of an operation, to tell a true retry from a reused op id."""
    canonical = json.dumps(operation, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def merge_fields(
    *,
    changes: dict[str, Any],
    current: dict[str, Any],
    field_versions: dict[str, int],
    base_version: int | None,
) -> tuple[dict[str, Any], list[FieldConflict]]:
    """Field-level last-write-wins in server order.

    Every field the device sent is applied (the device's write is the later one in server
    order). A field that changed on the server after ``base_version`` to a value different
    from the device's is also reported as a conflict, so both values are kept for review.
    Fields the device did not send are never touched.
    """
    to_apply: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    base = base_version if base_version is not None else 0
    for field, client_value in changes.items():
        server_value = current.get(field)
        if server_value == client_value:
            continue
        to_apply[field] = client_value
        changed_at = int(field_versions.get(field, 0))
        if base_version is not None and changed_at > base:
            conflicts.append(FieldConflict(field, server_value, client_value, changed_at))
    return to_apply, conflicts


def worker_status_refused(
    *,
    actor_is_office: bool,
    base_version: int | None,
    status_version: int,
    status_changed_by_office: bool,
) -> bool:
    """A worker's offline status move loses to an office move made after its base version."""
    if actor_is_office or not status_changed_by_office:
        return False
    return base_version is None or status_version > base_version
