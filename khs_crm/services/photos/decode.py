"""Decoding untrusted photos within a memory budget.

A small file can declare a huge canvas: a 155 KB PNG of 6320×6320 is 160 MB of pixels once
decoded, a 45 KB WebP of 5000×5000 costs libwebp and Pillow together 400 MB. Two limits bound
what one app process spends, whatever is uploaded:

- ``MAX_DECODED_BYTES``: what one decode may take, estimated from the header before any pixel
  is decoded (pixels × the bytes a pixel costs in the decoder's buffers and Pillow's image,
  which keeps RGB as 4 bytes a pixel);
- ``KHS_IMAGE_DECODES`` decode slots per process, shared by uploads and thumbnails: a decode
  of up to ``SLOT_BYTES`` (64 MB: a 12 MP HEIC, any phone JPEG) takes one, a larger one two,
  so large photos are decoded one at a time; the others wait their turn.

So the pixels held at any moment stay under ``KHS_IMAGE_DECODES × SLOT_BYTES`` (or one decode
of at most ``MAX_DECODED_BYTES``). A decode gives its memory back to the system before its
slots go to the next one (glibc's ``malloc_trim``): otherwise each request thread's malloc
arena keeps the pages it freed, and ten uploads on ten threads held ~800 MB with only two
decoding at a time.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PIL import Image, JpegImagePlugin

from khs_crm.services.core.errors import ValidationFailed
from khs_crm.settings import get_settings

MB = 1024 * 1024
MAX_DECODED_BYTES = 128 * MB
SLOT_BYTES = MAX_DECODED_BYTES // 2  # a decode over this takes two slots
STRIP_ROWS = 32  # rows of the reduced image made from one strip of the decoded one

PIL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}
WEBP_BYTES = 17  # measured 16.2: libwebp's canvas and frame copy, then Pillow's image
CHROMA_SHARE = {420: 0.25, 422: 0.5, 444: 1.0}  # of a chroma plane, per luma sample
JPEG_SAMPLING_SHARE = {0: 1.0, 1: 0.5, 2: 0.25}  # get_sampling(): 4:4:4, 4:2:2, 4:2:0


def pil_bytes(mode: str, size: tuple[int, int]) -> int:
    """What Pillow's own image of this mode and size takes."""
    return size[0] * size[1] * PIL_BYTES.get(mode, 4)


def jpeg_scans(data: bytes) -> int:
    """How many scans (SOS markers) the JPEG has; over one, libjpeg keeps every coefficient.

    Headers are walked segment by segment up to the first scan (an EXIF thumbnail inside APP1
    is skipped); after it, 0xFF in entropy-coded data is always stuffed, so a marker is one.
    """
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
        elif marker == 0xDA:
            return 1 + data.count(b"\xff\xda", at + 2)
        else:
            at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return max(1, data.count(b"\xff\xda"))  # not walkable: count every one


def jpeg_coefficient_bytes(image: Image.Image, size: tuple[int, int], data: bytes) -> int:
    """The whole-image coefficient buffer libjpeg needs for a progressive or multi-scan JPEG,
    at full size whatever ``draft`` asked for: 2 bytes per coefficient; 0 for one scan."""
    if not image.info.get("progressive") and jpeg_scans(data) <= 1:
        return 0
    layers = getattr(image, "layers", 3)
    share = JPEG_SAMPLING_SHARE.get(JpegImagePlugin.get_sampling(image), 1.0)
    per_pixel = 2 * (1 + 2 * share) if layers == 3 else 2 * layers
    return int(size[0] * size[1] * per_pixel)


def heif_bytes(info: dict[str, Any], mode: str, size: tuple[int, int]) -> int:
    """libheif's peak for one decode: its YCbCr planes, a converted copy unless the photo is
    plain 8-bit 4:2:0, the interleaved 8-bit output, and half a byte of working rows (at or
    above the peaks measured for 8-bit 4:2:0 and 4:4:4 and 10-bit 4:2:0)."""
    sample = 2 if int(info.get("bit_depth") or 8) > 8 else 1
    chroma = int(info.get("chroma") or 444)
    alpha = 1 if "A" in mode else 0
    planes = sample * (1 + 2 * CHROMA_SHARE.get(chroma, 1.0) + alpha)
    converted = 0 if (chroma, sample) == (420, 1) else planes
    return int(size[0] * size[1] * (planes + converted + len(mode.split(";")[0]) + 0.5))


def check_decoded_bytes(size: tuple[int, int], needed: int) -> None:
    """422 with a clear message when decoding would take more than ``MAX_DECODED_BYTES``."""
    if needed <= MAX_DECODED_BYTES:
        return
    width, height = size
    message = (
        f"The image is {width}×{height} pixels: too large to open safely "
        f"({needed // MB} MB of memory, at most {MAX_DECODED_BYTES // MB} MB). "
        "Save it at a smaller size and upload it again."
    )
    raise ValidationFailed(message, details=[{"field": "file", "message": message}])


def _malloc_trim() -> Callable[[], object]:
    """glibc's ``malloc_trim(0)`` (free pages of every arena back to the system); a no-op
    where there is no such function (musl, macOS)."""
    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    return lambda: trim(0)


release_memory = _malloc_trim()


class DecodeSlots:
    """At most ``limit`` slots in use; a decode over ``SLOT_BYTES`` takes two.

    Decodes start in the order they asked (a large one is never starved by small ones);
    ``waiting`` counts those not started yet.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_use = 0
        self.waiting = 0
        self._turn = 0  # the ticket whose turn it is to start
        self._tickets = 0
        self._changed = threading.Condition()

    @contextmanager
    def hold(self, needed: int) -> Iterator[None]:
        """Run the block once enough slots are free for a decode of ``needed`` bytes."""
        units = min(self.limit, 1 if needed <= SLOT_BYTES else 2)
        with self._changed:
            ticket, self._tickets = self._tickets, self._tickets + 1
            self.waiting += 1
            self._changed.wait_for(
                lambda: self._turn == ticket and self.in_use + units <= self.limit
            )
            self.waiting -= 1
            self.in_use += units
            self._turn += 1
            self._changed.notify_all()
        try:
            yield
        finally:
            release_memory()
            with self._changed:
                self.in_use -= units
                self._changed.notify_all()


_slots: list[DecodeSlots] = []
_slots_lock = threading.Lock()


def decode_slots() -> DecodeSlots:
    """This process's slots, sized by ``KHS_IMAGE_DECODES`` when first asked for."""
    with _slots_lock:
        if not _slots:
            _slots.append(DecodeSlots(max(1, get_settings().image_decodes)))
        return _slots[0]


def reduce_in_strips(
    strip: Callable[[int, int], Image.Image], size: tuple[int, int], factor: int, mode: str
) -> Image.Image:
    """The image ``factor`` times smaller in ``mode``, built a strip of rows at a time.

    ``strip(top, bottom)`` gives those rows of the decoded image. Converting and reducing
    strips (not the whole image, as ``convert`` and ``reduce`` of RGBA would) keeps the extra
    memory to one strip, and the result is the same: boxes never straddle two strips.
    """
    width, height = size
    out = Image.new(mode, (-(-width // factor), -(-height // factor)))
    rows = STRIP_ROWS * factor
    for top in range(0, height, rows):
        bottom = min(height, top + rows)
        part = strip(top, bottom)
        part = part if part.mode == mode else part.convert(mode)
        out.paste(part.reduce(factor) if factor > 1 else part, (0, top // factor))
    return out


def reduction(size: tuple[int, int], edge: int) -> int:
    """The box reduction that leaves at least twice ``edge`` (``thumbnail``'s reducing gap)."""
    return max(1, max(size) // (edge * 2))


def reduce_heif(picture: Any, factor: int) -> Image.Image:
    """Decode a pillow-heif picture (libheif turns it upright) and reduce it strip by strip."""
    pixels, stride, raw = memoryview(picture.data), picture.stride, picture.mode
    width = picture.size[0]

    def rows(top: int, bottom: int) -> Image.Image:
        buffer = pixels[top * stride : bottom * stride]
        # Pillow reads any buffer (a memoryview: no copy); its stubs name only bytes-likes.
        size = (width, bottom - top)
        return Image.frombuffer(raw, size, buffer, "raw", raw, stride, 1)  # type: ignore[arg-type]

    return reduce_in_strips(rows, picture.size, factor, "RGBA" if "A" in raw else "RGB")
