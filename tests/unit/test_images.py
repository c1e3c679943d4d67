"""Photo files: magic-byte sniffing, hostile files, GPS stripping, thumbnails, and the
memory budget of decodes (a ceiling on bytes, a few at once)."""

from __future__ import annotations

import io
import struct
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image, ImageFile, WebPImagePlugin

from khs_crm.services.core.errors import ValidationFailed
from khs_crm.services.photos import decode as images_decode
from khs_crm.services.photos import images
from khs_crm.services.photos.gps import scrub_tiff, strip_gps
from khs_crm.services.photos.images import HEIC, JPEG, PNG, WEBP, PayloadTooLarge
from khs_crm.settings import get_settings
from tests.support.photo_files import (
    GPS_IFD,
    ORIENTATION,
    exif_with_gps,
    hostile_files,
    image_bytes,
    png_with_text_gps,
)

FORMATS = [("JPEG", JPEG), ("PNG", PNG), ("WEBP", WEBP), ("HEIF", HEIC)]


@pytest.mark.parametrize(("fmt", "kind"), FORMATS)
def test_each_allowed_format_is_recognised_by_its_bytes(fmt, kind):
    data = image_bytes(fmt, (120, 80))
    assert images.sniff(data) is kind
    info = images.inspect_image(data)
    assert (info.kind, info.width, info.height) == (kind, 120, 80)


@pytest.mark.parametrize("name", sorted(hostile_files()))
def test_hostile_files_are_refused_with_a_clear_message(name):
    with pytest.raises(ValidationFailed) as caught:
        images.inspect_image(hostile_files()[name])
    assert caught.value.status == 422
    assert caught.value.message.endswith(".") and len(caught.value.message) > 20


def test_pixel_flood_names_the_limit():
    with pytest.raises(ValidationFailed, match="megapixels"):
        images.inspect_image(hostile_files()["pixel flood"])
    with pytest.raises(ValidationFailed, match="8000×6000"):
        images.inspect_image(hostile_files()["48 megapixels"])


def test_empty_and_oversized_files():
    with pytest.raises(ValidationFailed, match="empty"):
        images.inspect_image(b"")
    with pytest.raises(PayloadTooLarge) as caught:
        images.inspect_image(b"\xff\xd8\xff" + b"\x00" * images.MAX_PHOTO_BYTES)
    assert (caught.value.status, caught.value.code) == (413, "PAYLOAD_TOO_LARGE")
    images.check_size(images.MAX_PHOTO_BYTES)  # exactly the limit is fine


def test_declared_content_types():
    assert images.kind_for_content_type("image/JPEG") is JPEG
    assert images.kind_for_content_type("image/heif") is HEIC
    for bad in ("image/gif", "image/svg+xml", "text/html", ""):
        with pytest.raises(ValidationFailed):
            images.kind_for_content_type(bad)


def _exif(data: bytes) -> Image.Exif:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.getexif()


@pytest.mark.parametrize(("fmt", "kind"), FORMATS)
def test_gps_is_stripped_without_touching_pixels_or_other_tags(fmt, kind):
    data = image_bytes(fmt, (64, 48), gps=True)
    assert dict(_exif(data).get_ifd(GPS_IFD))
    clean = strip_gps(data, kind)
    exif = _exif(clean)
    assert dict(exif.get_ifd(GPS_IFD)) == {}
    assert exif.get(0x010F) == "KHS Cam"
    if kind is not HEIC:  # pillow-heif applies the rotation itself
        assert exif.get(ORIENTATION) == 6
    assert b"GPSLatitude" not in clean and b"30,16.025N" not in clean
    assert images.inspect_image(clean).width == 64
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(clean)) as b:
        assert a.tobytes() == b.tobytes()


def test_png_text_chunks_go_and_the_file_stays_valid():
    data = png_with_text_gps()
    assert b"iTXt" in data
    clean = strip_gps(data, PNG)
    assert b"iTXt" not in clean and b"GPS" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        image.verify()  # chunk CRCs
    assert dict(_exif(clean).get_ifd(GPS_IFD)) == {}


def test_a_photo_without_gps_is_unchanged():
    data = image_bytes("JPEG")
    assert strip_gps(data, JPEG) == data


@pytest.mark.parametrize(
    "block",
    [b"II*\x00\xff\xff\xff\x7f", b"MM\x00*\x00\x00\x00\x08\xff\xff", b"II*\x00", b"MM\x00*"],
)
def test_malformed_exif_is_left_alone_not_a_crash(block):
    buf = bytearray(block)
    assert scrub_tiff(buf, 0) is False
    assert bytes(buf) == block


@pytest.mark.parametrize(("fmt", "kind"), FORMATS)
def test_thumbnail_is_a_small_upright_webp(fmt, kind):
    data = image_bytes(fmt, (1600, 1200), gps=True)
    thumb = images.make_thumbnail(data, kind)
    with Image.open(io.BytesIO(thumb)) as image:
        assert image.format == "WEBP"
        assert max(image.size) == images.THUMBNAIL_EDGE
        if kind is not HEIC:  # orientation 6: the thumbnail is turned upright (portrait)
            assert image.size == (300, 400)
        assert dict(image.getexif().get_ifd(GPS_IFD)) == {}


def test_transparent_png_keeps_its_alpha_in_the_thumbnail():
    data = image_bytes("PNG", (800, 200), color="#ff000080", mode="RGBA")
    with Image.open(io.BytesIO(images.make_thumbnail(data, PNG))) as image:
        assert image.mode == "RGBA" and image.size == (400, 100)


def flat_png(width: int, height: int, colour_type: int = 2) -> bytes:
    """A real, valid PNG of one colour, compressed row by row (never whole in memory)."""
    channels = {0: 1, 2: 3, 6: 4}[colour_type]
    deflate, row = zlib.compressobj(9), b"\x00" * (1 + width * channels)
    body = b"".join(deflate.compress(row) for _ in range(height)) + deflate.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


@pytest.fixture
def no_decoding(monkeypatch):
    """Any pixel decoded fails the test."""

    def refuse(self):
        raise AssertionError(f"{self.format} pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    monkeypatch.setattr(WebPImagePlugin.WebPImageFile, "load", refuse)


def test_a_png_over_the_decoded_bytes_ceiling_is_refused_before_any_decoding(no_decoding):
    data = flat_png(6320, 6320)  # 39.9 MP passes the megapixel check; 160 MB once decoded
    assert len(data) < 200_000
    for check in (images.inspect_image, lambda d: images.make_thumbnail(d, PNG)):
        with pytest.raises(ValidationFailed) as caught:
            check(data)
        assert caught.value.status == 422
        assert caught.value.message.startswith("The image is 6320×6320 pixels: too large")
        assert "152 MB of memory, at most 128 MB" in caught.value.message


def test_a_webp_is_charged_for_its_decoder_buffers_too(no_decoding):
    data = image_bytes("WEBP", (3000, 3000))  # 9 MP: 36 MB in Pillow, ~150 MB with libwebp's
    with pytest.raises(ValidationFailed, match="3000×3000 pixels: too large"):
        images.inspect_image(data)


def test_a_photo_under_the_ceiling_is_still_accepted():
    data = flat_png(5600, 5600)  # 31.4 MP: 120 MB once decoded
    assert images.inspect_image(data).width == 5600
    with Image.open(io.BytesIO(images.make_thumbnail(data, PNG))) as thumb:
        assert thumb.size == (400, 400)


def test_a_progressive_jpeg_is_charged_for_every_coefficient():
    baseline, progressive = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(baseline, "JPEG", exif=exif_with_gps())
    Image.new("RGB", (64, 48), "orange").save(progressive, "JPEG", progressive=True)
    assert images_decode.jpeg_scans(baseline.getvalue()) == 1  # the EXIF thumbnail's is skipped
    assert images_decode.jpeg_scans(progressive.getvalue()) > 1
    with Image.open(progressive) as image:
        needed = images_decode.jpeg_coefficient_bytes(image, image.size, progressive.getvalue())
        assert needed == 64 * 48 * 3  # 4:2:0: 1.5 coefficients a pixel, 2 bytes each
    with Image.open(baseline) as image:
        assert images_decode.jpeg_coefficient_bytes(image, image.size, baseline.getvalue()) == 0


def test_decodes_never_exceed_the_slots_and_the_others_wait(monkeypatch):
    slots = images_decode.DecodeSlots(2)
    monkeypatch.setattr(images_decode, "_slots", [slots])
    state = {"active": 0, "peak": 0}
    changed, gate = threading.Condition(), threading.Event()
    real_load = ImageFile.ImageFile.load

    def counted_load(self):
        with changed:
            state["active"] += 1
            state["peak"] = max(state["peak"], state["active"])
            changed.notify_all()
        assert gate.wait(30), "the test never opened the gate"
        with changed:
            state["active"] -= 1
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counted_load)
    with ThreadPoolExecutor(5) as pool:
        results = [pool.submit(images.inspect_image, image_bytes("PNG")) for _ in range(5)]
        with changed:  # two decoding, three waiting for a slot: hold them there, then go
            full = changed.wait_for(
                lambda: state["active"] > 2 or (state["active"] == 2 and slots.waiting == 3), 30
            )
        gate.set()
        assert full and state["active"] == 2, f"{state}, {slots.waiting} waiting for a slot"
        assert all(result.result().width == 640 for result in results)
    assert state["peak"] == 2


def test_a_large_decode_takes_two_slots_and_waits_for_both():
    slots = images_decode.DecodeSlots(2)
    large, small = images_decode.MAX_DECODED_BYTES, images_decode.SLOT_BYTES
    inside, done, order = threading.Event(), threading.Event(), []

    def decode(needed: int, name: str) -> None:
        with slots.hold(needed):
            order.append(name)
            inside.set()
            assert done.wait(30)

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(decode, large, "large")
        assert inside.wait(30) and slots.in_use == 2
        second = pool.submit(decode, small, "small")
        with slots._changed:  # the small one waits although only one decode is running
            assert slots._changed.wait_for(lambda: slots.waiting == 1, 30)
        assert order == ["large"]
        done.set()
        first.result(30), second.result(30)
    assert order == ["large", "small"] and (slots.in_use, slots.waiting) == (0, 0)


def test_the_number_of_slots_is_a_setting(monkeypatch):
    monkeypatch.setenv("KHS_IMAGE_DECODES", "3")
    monkeypatch.setattr(images_decode, "_slots", [])
    get_settings.cache_clear()
    try:
        assert images_decode.decode_slots().limit == 3
    finally:
        get_settings.cache_clear()
