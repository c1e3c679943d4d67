"""Photo files: what they are (by magic bytes, never by name or declared type), whether they
are whole images within the limits, and their thumbnails.

Only JPEG, PNG, WebP and HEIC are accepted. HEIC is decoded with pillow-heif when it is
installed; without it a HEIC is still accepted by its magic bytes, but its size in pixels is
unknown and no thumbnail can be made. Every decode keeps to the memory budget of
``images_decode`` (a ceiling on its bytes, a few decodes at once).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps

from khs_crm.services.core.errors import ServiceError, ValidationFailed
from khs_crm.services.photos.decode import (
    WEBP_BYTES,
    check_decoded_bytes,
    decode_slots,
    heif_bytes,
    jpeg_coefficient_bytes,
    pil_bytes,
    reduce_heif,
    reduce_in_strips,
    reduction,
)

try:  # optional: HEIC decoding
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_AVAILABLE = True
except ImportError:  # pragma: no cover - depends on the installation
    HEIF_AVAILABLE = False

MB = 1024 * 1024
MAX_PHOTO_BYTES = 15 * MB
MAX_PIXELS = 40_000_000
THUMBNAIL_EDGE = 400
THUMBNAIL_TYPE = "image/webp"

ALLOWED = "JPEG, PNG, WebP or HEIC"
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


class PayloadTooLarge(ServiceError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"


@dataclass(frozen=True)
class ImageKind:
    content_type: str
    ext: str
    pil_formats: tuple[str, ...]


JPEG = ImageKind("image/jpeg", "jpg", ("JPEG", "MPO"))
PNG = ImageKind("image/png", "png", ("PNG",))
WEBP = ImageKind("image/webp", "webp", ("WEBP",))
HEIC = ImageKind("image/heic", "heic", ("HEIF",))
KINDS = {kind.content_type: kind for kind in (JPEG, PNG, WEBP, HEIC)}
CONTENT_TYPES = {**KINDS, "image/heif": HEIC}


@dataclass(frozen=True)
class ImageInfo:
    """A checked image: its kind and its size in pixels (None: HEIC without a decoder)."""

    kind: ImageKind
    width: int | None
    height: int | None


def sniff(data: bytes) -> ImageKind | None:
    """The image kind by magic bytes, or None for anything else."""
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return HEIC
    return None


def kind_for_content_type(content_type: str) -> ImageKind:
    """The kind a client declares (presigned uploads); 422 for anything not allowed."""
    kind = CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())
    if kind is None:
        raise ValidationFailed(
            f"Only {ALLOWED} photos can be uploaded.",
            details=[{"field": "contentType", "message": f"must be one of {', '.join(KINDS)}"}],
        )
    return kind


def check_size(size: int, *, field: str = "file") -> None:
    """422 for an empty file, 413 PAYLOAD_TOO_LARGE above 15 MB."""
    if size <= 0:
        raise ValidationFailed("The file is empty.", details=[{"field": field, "message": "empty"}])
    if size > MAX_PHOTO_BYTES:
        raise PayloadTooLarge(
            f"A photo may be at most {MAX_PHOTO_BYTES // MB} MB.",
            details=[{"field": field, "message": f"larger than {MAX_PHOTO_BYTES} bytes"}],
        )


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": "file", "message": message}])


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise _invalid(
            f"The image is {width}×{height} pixels; at most {MAX_PIXELS // 1_000_000} "
            "megapixels are accepted."
        )


def _decoded_bytes(image: Image.Image, kind: ImageKind, full: tuple[int, int], data: bytes) -> int:
    """What decoding this opened image (after any ``draft``) will take, from its header."""
    if kind is WEBP:
        return full[0] * full[1] * WEBP_BYTES
    needed = pil_bytes(image.mode, image.size)
    if kind is JPEG:
        needed += jpeg_coefficient_bytes(image, full, data)
    return needed


def _open_heif(data: bytes) -> Any:
    """The primary picture of a HEIC file, not decoded yet (libheif on its own: no Pillow copy)."""
    heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
    return heif[heif.primary_index]


def _check_heif(data: bytes) -> tuple[int, int]:
    picture = _open_heif(data)
    size = picture.size
    _check_pixels(*size)
    needed = heif_bytes(picture.info, picture.mode, size)
    check_decoded_bytes(size, needed)
    with decode_slots().hold(needed):
        picture.load()
        del picture  # free the pixels before the slot goes to the next decode
    return size


def _check_decodes(data: bytes, kind: ImageKind) -> tuple[int, int]:
    """Decode the whole image once (in a decode slot, within the budget); its size."""
    if kind is HEIC:
        return _check_heif(data)
    with Image.open(io.BytesIO(data), formats=[kind.pil_formats[0]]) as image:
        if image.format not in kind.pil_formats:
            raise _invalid(f"This file is not a valid {kind.ext.upper()} image.")
        width, height = image.size
        _check_pixels(width, height)
        if kind is JPEG:
            image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
        needed = _decoded_bytes(image, kind, (width, height), data)
        check_decoded_bytes((width, height), needed)
        with decode_slots().hold(needed):
            image.load()
            image.close()  # free the pixels before the slot goes to the next decode
    return width, height


def inspect_image(data: bytes) -> ImageInfo:
    """Check that ``data`` is one whole JPEG/PNG/WebP/HEIC image within the limits.

    413 above 15 MB; 422 (with a clear message) for an empty file, another file type, a
    broken image, more than 40 megapixels — a decompression bomb included, never a 500 — or
    one whose decoding would take more than ``MAX_DECODED_BYTES`` (refused from its header,
    before any pixel is decoded). Decodes wait for one of the process's decode slots.
    """
    check_size(len(data))
    kind = sniff(data)
    if kind is None:
        raise _invalid(f"This file is not a photo: only {ALLOWED} images are accepted.")
    if kind is HEIC and not HEIF_AVAILABLE:
        return ImageInfo(kind, None, None)
    try:
        width, height = _check_decodes(data, kind)
    except ValidationFailed:
        raise
    except Image.DecompressionBombError as exc:
        raise _invalid(
            f"The image is too large in pixels; at most {MAX_PIXELS // 1_000_000} megapixels "
            "are accepted."
        ) from exc
    except Exception as exc:  # any decoder failure on untrusted bytes is the file's fault
        raise _invalid(f"This file is not a valid {kind.ext.upper()} image.") from exc
    return ImageInfo(kind, width, height)


def can_thumbnail(kind: ImageKind) -> bool:
    """False for HEIC when pillow-heif is not installed."""
    return kind is not HEIC or HEIF_AVAILABLE


def _heif_reduced(data: bytes, edge: int) -> Image.Image:
    picture = _open_heif(data)
    needed = heif_bytes(picture.info, picture.mode, picture.size)
    check_decoded_bytes(picture.size, needed)
    with decode_slots().hold(needed):
        small = reduce_heif(picture, reduction(picture.size, edge))
        del picture  # free the pixels before the slot goes to the next decode
    return small


def _pil_reduced(data: bytes, kind: ImageKind, edge: int) -> Image.Image:
    """Pillow decodes and reduces strips; the small result is turned upright."""
    with Image.open(io.BytesIO(data), formats=[kind.pil_formats[0]]) as image:
        full = image.size
        if kind is JPEG:
            image.draft("RGB", (edge, edge))
        needed = _decoded_bytes(image, kind, full, data)
        check_decoded_bytes(full, needed)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        with decode_slots().hold(needed):
            image.load()
            width = image.size[0]
            small = reduce_in_strips(
                lambda top, bottom: image.crop((0, top, width, bottom)),
                image.size,
                reduction(image.size, edge),
                "RGBA" if has_alpha else "RGB",
            )
            small.info = dict(image.info)  # EXIF and XMP: the orientation
            image.close()  # free the pixels before the slot goes to the next decode
    return ImageOps.exif_transpose(small)


def make_thumbnail(data: bytes, kind: ImageKind, edge: int = THUMBNAIL_EDGE) -> bytes:
    """A WebP at most ``edge`` pixels on its long side, turned upright, with no metadata.

    The full-size pixels are decoded once, in a decode slot and within the budget (422 when
    over it), and reduced a strip at a time: a thumbnail costs its decode and little more.
    """
    small = _heif_reduced(data, edge) if kind is HEIC else _pil_reduced(data, kind, edge)
    small.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, "WEBP", quality=78, method=4)
    return out.getvalue()
