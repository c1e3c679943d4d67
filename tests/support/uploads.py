"""Files as Reflex's ``/_upload`` hands them to an event handler: ``rx.UploadFile`` over a
temporary file that Starlette spools to disk past 1 MB."""

from __future__ import annotations

import tempfile
from pathlib import Path

import reflex as rx

SPOOL_MAX = 1024 * 1024  # Starlette's MultiPartParser keeps this much of a file in memory


def uploaded(content: bytes, name: str = "upload") -> rx.UploadFile:
    """One uploaded file with this content and name."""
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX)  # noqa: SIM115 (the handler's)
    spooled.write(content)
    spooled.seek(0)
    return rx.UploadFile(file=spooled, path=Path(name), size=len(content))
