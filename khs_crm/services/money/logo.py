"""The company's logo, printed on estimates and invoices and shown on the customer's pages.

It lives in the configured storage (a local folder or S3) under one fixed key, not in the
database: no migration, and backups of storage carry it with the photos. What is stored is
never the uploaded file: the upload is checked by its content (PNG or JPEG, whole, within
the photo decoder's memory budget), turned upright, shrunk to fit ``MAX_SIZE`` and written
again as a PNG with no metadata. The company row's version moves with each change, so a
page can address the current logo (``?v=<version>``) and a cached one is never shown stale.

The file is written before the transaction commits: should the commit fail, the new logo is
in place without its version bump, which is harmless (the next change bumps it)."""

from __future__ import annotations

import io

from PIL import Image, ImageOps
from sqlmodel import Session

from khs_crm.integrations.storage import get_storage
from khs_crm.models import CompanySettings, Role, User
from khs_crm.services.core.errors import Forbidden, ValidationFailed
from khs_crm.services.core.versioning import lock_writes
from khs_crm.services.money.company import get_company, saved
from khs_crm.services.photos.decode import check_decoded_bytes, decode_slots
from khs_crm.services.photos.images import JPEG, MB, PNG, PayloadTooLarge, inspect_image, sniff

LOGO_KEY = "company/logo.png"
LOGO_TYPE = "image/png"
MAX_LOGO_BYTES = 2 * MB
MAX_SIZE = (1200, 400)  # pixels: sharp at the PDF's 180 × 60 pt, small on a phone page
MAX_PIXELS = 16_000_000  # a logo larger than this is a photo, not a logo
LOGO_TYPES = "image/png,image/jpeg"


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": "logo", "message": message}])


def check_logo(data: bytes) -> None:
    """422 unless ``data`` is one whole PNG or JPEG image; 413 above 2 MB."""
    if not data:
        raise _refuse("The file is empty. Choose a PNG or JPEG image.")
    if len(data) > MAX_LOGO_BYTES:
        message = f"A logo may be at most {MAX_LOGO_BYTES // MB} MB."
        raise PayloadTooLarge(message, details=[{"field": "logo", "message": message}])
    if sniff(data) not in (PNG, JPEG):
        raise _refuse("A logo must be a PNG or JPEG image.")
    try:
        info = inspect_image(data)
    except ValidationFailed as exc:
        raise _refuse("This image cannot be read. Choose another PNG or JPEG.") from exc
    if (info.width or 0) * (info.height or 0) > MAX_PIXELS:
        raise _refuse("The image is too large in pixels. Save it smaller and try again.")


def logo_png(data: bytes) -> bytes:
    """The checked upload, upright, at most ``MAX_SIZE``, as a PNG without metadata."""
    check_logo(data)
    with Image.open(io.BytesIO(data), formats=["PNG", "JPEG"]) as image:
        image.draft("RGB", MAX_SIZE)  # a JPEG decodes up to 8 times smaller; PNG: no-op
        needed = image.size[0] * image.size[1] * 4 * 3  # decoded, upright, converted
        check_decoded_bytes(image.size, needed)
        with decode_slots().hold(needed):
            upright = ImageOps.exif_transpose(image)
            keep_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
            picture = upright.convert("RGBA" if keep_alpha else "RGB")
            picture.thumbnail(MAX_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    return out.getvalue()


def has_logo() -> bool:
    """Whether the company has a logo (one look at storage, no bytes read)."""
    return get_storage().exists(LOGO_KEY)


def logo_bytes() -> bytes | None:
    """The stored logo (a PNG), or None when the company has none."""
    storage = get_storage()
    return storage.get(LOGO_KEY) if storage.exists(LOGO_KEY) else None


def _changed(session: Session, actor: User, what: tuple[str, str]) -> CompanySettings:
    return saved(session, get_company(session), actor, {"logo": what})


def _owner(actor: User) -> None:
    if actor.role != Role.owner:
        raise Forbidden("Only the owner can change the company's logo.")


def save_logo(session: Session, *, data: bytes, actor: User) -> CompanySettings:
    """Check, re-encode and store the company's logo (owner only), logged."""
    _owner(actor)
    png = logo_png(data)
    lock_writes(session)
    had = get_storage().exists(LOGO_KEY)
    get_storage().put(LOGO_KEY, png, LOGO_TYPE)
    return _changed(session, actor, ("replaced" if had else "none", "uploaded"))


def remove_logo(session: Session, *, actor: User) -> CompanySettings:
    """Take the logo off the company's documents (owner only); nothing to remove is fine."""
    _owner(actor)
    lock_writes(session)
    if not get_storage().exists(LOGO_KEY):
        return get_company(session)
    get_storage().delete(LOGO_KEY)
    return _changed(session, actor, ("uploaded", "none"))
