"""Test images made with Pillow (no binary fixtures), including hostile ones."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
XMP_WITH_GPS = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="30,16.025N" '
    b'exif:GPSLongitude="97,44.0375W"><exif:GPSAltitude>120/1</exif:GPSAltitude>'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def exif_with_gps(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "KHS Cam"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (30.0, 16.0, 1.5), 3: "W", 4: (97.0, 44.0, 2.25)}
    return exif


def image_bytes(
    fmt: str = "JPEG",
    size: tuple[int, int] = (640, 480),
    *,
    gps: bool = False,
    color: str = "orange",
    mode: str = "RGB",
) -> bytes:
    """An image in ``fmt`` (JPEG, PNG, WEBP, HEIF, GIF); with ``gps``: EXIF and XMP GPS."""
    out = io.BytesIO()
    extra: dict = {}
    if gps:
        extra["exif"] = exif_with_gps()
        if fmt != "PNG":
            extra["xmp"] = XMP_WITH_GPS
    Image.new(mode, size, color).save(out, fmt, **extra)
    return out.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def pixel_flood_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG that declares a huge canvas (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def png_with_text_gps() -> bytes:
    """A PNG with GPS in an eXIf chunk and an XMP iTXt chunk."""
    base = image_bytes("PNG", (32, 24), gps=True)
    itxt = _png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP_WITH_GPS)
    end = base.rindex(b"IEND") - 4
    return base[:end] + itxt + base[end:]


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def hostile_files() -> dict[str, bytes]:
    """Files that must all be refused with 422."""
    jpeg = image_bytes("JPEG", (64, 48))
    return {
        "jpeg header then html": b"\xff\xd8\xff\xe0" + HTML,
        "gif": image_bytes("GIF", (32, 32), mode="P"),
        "svg with script": SVG,
        "html": HTML,
        "wrong magic": b"\x00" + jpeg[1:],
        "pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\n",
        "truncated jpeg": jpeg[: len(jpeg) // 2],
        "png header only": b"\x89PNG\r\n\x1a\n",
        "riff not webp": b"RIFF\x10\x00\x00\x00WAVEfmt " + b"\x00" * 16,
        "pixel flood": pixel_flood_png(),
        "48 megapixels": pixel_flood_png(8000, 6000),
    }
