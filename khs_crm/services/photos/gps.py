"""Remove GPS positions from a photo's metadata without re-encoding its pixels.

EXIF GPS lives in one TIFF sub-directory (tag 0x8825). It is emptied in place: its entries
and the values they point at are overwritten with zeros, so every offset in the file stays
valid (JPEG segments, WebP chunks, HEIC item locations). XMP copies of the position
(``exif:GPSLatitude`` and friends) are blanked with spaces, which keeps the XML well formed.
PNG text chunks (where XMP and "raw profile" EXIF live) are dropped and the eXIf chunk
scrubbed, with its CRC recomputed.
"""

from __future__ import annotations

import re
import struct
import zlib

from khs_crm.services.photos.images import HEIC, JPEG, PNG, WEBP, ImageKind

GPS_IFD_TAG = 0x8825
TIFF_MAGIC = (b"II*\x00", b"MM\x00*")
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
MAX_ENTRIES = 1000
PNG_TEXT_CHUNKS = {b"tEXt", b"zTXt", b"iTXt"}

_EXIF_IN_JPEG = re.compile(rb"Exif\x00\x00(?=II\*\x00|MM\x00\*)")
_TIFF_ANYWHERE = re.compile(rb"II\*\x00|MM\x00\*")
_XMP_GPS_ATTR = re.compile(
    rb"""[A-Za-z][\w.-]{0,40}:GPS\w{0,40}\s*=\s*(?:"[^"<>]{0,512}"|'[^'<>]{0,512}')""", re.I
)
_XMP_GPS_ELEMENT = re.compile(
    rb"<([A-Za-z][\w.-]{0,40}:GPS\w{0,40})\b[^>]{0,512}>.{0,4096}?</\1\s*>", re.I | re.S
)


def _u16(buf: bytearray, at: int, order: str) -> int:
    return struct.unpack_from(f"{order}H", buf, at)[0]


def _u32(buf: bytearray, at: int, order: str) -> int:
    return struct.unpack_from(f"{order}I", buf, at)[0]


def _entries(buf: bytearray, base: int, offset: int, order: str) -> list[tuple[int, int, int, int]]:
    """(tag, type, count, value-or-offset) of one IFD; ValueError when it is not sane."""
    start = base + offset
    if offset < 8 or start + 2 > len(buf):
        raise ValueError("IFD outside the data")
    count = _u16(buf, start, order)
    if count > MAX_ENTRIES or start + 2 + 12 * count > len(buf):
        raise ValueError("IFD too long")
    out = []
    for i in range(count):
        at = start + 2 + 12 * i
        tag, kind, n = struct.unpack_from(f"{order}HHI", buf, at)
        out.append((tag, kind, n, _u32(buf, at + 8, order)))
    return out


def scrub_tiff(buf: bytearray, base: int) -> bool:
    """Empty the GPS directory of the TIFF/EXIF block at ``base`` in place.

    Returns True when a GPS directory was found and emptied; False when there is none or
    the block cannot be parsed (nothing is written then).
    """
    order = "<" if buf[base : base + 2] == b"II" else ">"
    try:
        ifd0 = _entries(buf, base, _u32(buf, base + 4, order), order)
        pointer = next((e for e in ifd0 if e[0] == GPS_IFD_TAG), None)
        if pointer is None:
            return False
        gps_offset = pointer[3]
        gps = _entries(buf, base, gps_offset, order)
    except (ValueError, struct.error):
        return False
    for _tag, kind, count, value in gps:
        size = TYPE_SIZES.get(kind, 1) * count
        if size > 4 and base + value + size <= len(buf):
            buf[base + value : base + value + size] = bytes(size)
    start = base + gps_offset
    end = min(len(buf), start + 2 + 12 * len(gps) + 4)
    buf[start:end] = bytes(end - start)  # no entries, no next directory
    return True


def _blank_xmp(buf: bytearray) -> None:
    for pattern in (_XMP_GPS_ELEMENT, _XMP_GPS_ATTR):
        for match in list(pattern.finditer(buf)):
            buf[match.start() : match.end()] = b" " * (match.end() - match.start())


def _strip_png(data: bytes) -> bytes:
    out = bytearray(data[:8])
    at = 8
    while at + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, at)
        kind = data[at + 4 : at + 8]
        body = bytearray(data[at + 8 : at + 8 + length])
        at += 12 + length
        if kind in PNG_TEXT_CHUNKS:
            continue
        if kind == b"eXIf" and body[:4] in TIFF_MAGIC:
            scrub_tiff(body, 0)
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        out += struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
    out += data[at:]
    return bytes(out)


def _scrub_all(buf: bytearray, pattern: re.Pattern[bytes], skip: int) -> None:
    for match in list(pattern.finditer(buf)):
        scrub_tiff(buf, match.start() + skip)


def strip_gps(data: bytes, kind: ImageKind) -> bytes:
    """The same image with no GPS position in its EXIF or XMP metadata (pixels untouched)."""
    if kind is PNG:
        return _strip_png(data)
    buf = bytearray(data)
    if kind is JPEG:
        _scrub_all(buf, _EXIF_IN_JPEG, len(b"Exif\x00\x00"))
    elif kind in (WEBP, HEIC):
        _scrub_all(buf, _TIFF_ANYWHERE, 0)
    _blank_xmp(buf)
    return bytes(buf)
