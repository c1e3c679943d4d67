"""What a client may send about a photo: its details on upload, and changes to them.

The caption's limit comes from its type beside the table (``khs_crm.models.photo``); the
API's schema, the office and field forms and the field app's config read it from here.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import field_validator

from khs_crm.models.photo import Caption
from khs_crm.services.core.schemas import InputModel, not_null


class PhotoTag(StrEnum):
    before = "before"
    progress = "progress"
    after = "after"
    issue = "issue"


class PhotoMeta(InputModel):
    """What a client says about a new photo; ``id`` is chosen by the client (offline retries)."""

    id: uuid.UUID
    caption: Caption = ""
    tag: PhotoTag = PhotoTag.progress
    taken_at: datetime | None = None


class PhotoChanges(InputModel):
    """A change to a photo's caption or tag (the file itself never changes)."""

    caption: Caption | None = None
    tag: PhotoTag | None = None

    _not_null = field_validator("*")(classmethod(not_null))
