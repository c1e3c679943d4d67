"""What a customer signs, and its fingerprint (docs/change_orders.md is the contract the
phone's JS follows; tests/js/fixtures/change_order_hashes.json holds worked examples).

``contentHash`` = SHA-256 (lowercase hex) of the RFC 8785 (JCS) canonical JSON of the flat
object ``{jobId, description, lines, photoIds, signerName, signedAt}``:

- ``jobId``: the job's id, lowercase hyphenated UUID text; ``photoIds``: the same, in order;
- ``description``, each line's ``description`` and ``unit``, ``signerName``: the text exactly
  as stored (the server neither trims nor normalizes it);
- ``lines``: each ``{kind, description, quantity, unit, unitPrice, taxable}``, these six
  keys only, in order; ``quantity``/``unitPrice``: decimal text (``decimal_text``), or
  ``unitPrice: null`` while unpriced; ``taxable``: true/false;
- ``signedAt``: the phone's time of signing as ISO text in UTC, exactly as sent
  (``2026-12-01T14:02:10.123Z``, as JS's ``toISOString()`` writes it).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import rfc8785

LINE_KEYS = ("kind", "description", "quantity", "unit", "unitPrice", "taxable")


def decimal_text(value: Decimal | str | int | None) -> str | None:
    """A decimal as the hash and the rows write it: plain digits, no exponent, no ``+``, no
    leading zeros, no trailing zeros after the point and no point left bare; zero is ``"0"``.
    ``"2.50"`` → ``"2.5"``, ``"19.00"`` → ``"19"``, ``"100"`` → ``"100"``, ``"-5.10"`` →
    ``"-5.1"``, ``"0.000"`` → ``"0"``."""
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal: {value!r}") from exc
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


def stored_line(line: Mapping[str, Any]) -> dict[str, Any]:
    """A line as stored and hashed: the six keys, decimals as ``decimal_text``."""
    return {
        "kind": str(line.get("kind") or "other"),
        "description": str(line.get("description") or ""),
        "quantity": decimal_text(line["quantity"]),
        "unit": str(line.get("unit") or ""),
        "unitPrice": decimal_text(line.get("unitPrice")),
        "taxable": bool(line.get("taxable", True)),
    }


def signed_content(
    *,
    job_id: uuid.UUID | str,
    description: str,
    lines: Iterable[Mapping[str, Any]],
    photo_ids: Iterable[uuid.UUID | str],
    signer_name: str,
    signed_at: str,
) -> dict[str, Any]:
    """The flat object the customer signs."""
    return {
        "jobId": str(job_id).lower(),
        "description": description,
        "lines": [stored_line(line) for line in lines],
        "photoIds": [str(photo).lower() for photo in photo_ids],
        "signerName": signer_name,
        "signedAt": signed_at,
    }


def canonical(content: Mapping[str, Any]) -> bytes:
    """The RFC 8785 canonical JSON of the content (UTF-8 bytes)."""
    return rfc8785.dumps(dict(content))


def content_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON, lowercase hex."""
    return hashlib.sha256(canonical(content)).hexdigest()


def hash_of_row(row: Any, signature: Mapping[str, Any] | None = None) -> str | None:
    """The hash of a change order's stored content and its signature's name and time (None:
    not signed)."""
    signature = signature if signature is not None else row.signature
    if not signature:
        return None
    return content_hash(
        signed_content(
            job_id=row.job_id,
            description=row.description,
            lines=row.lines or [],
            photo_ids=row.photo_ids or [],
            signer_name=str(signature.get("name", "")),
            signed_at=str(signature.get("signedAt", "")),
        )
    )


def integrity(row: Any) -> str | None:
    """``ok`` when the stored content still hashes to the signed hash, ``mismatch`` when it
    does not (changed after signing, behind the app's back), None while unsigned."""
    if not row.signature:
        return None
    try:
        fresh = hash_of_row(row)
    except (ValueError, KeyError, TypeError):
        return "mismatch"
    return "ok" if fresh == row.signature.get("contentHash") else "mismatch"
