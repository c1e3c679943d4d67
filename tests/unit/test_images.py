"""Photo files: magic-byte sniffing, hostile files, GPS stripping, thumbnails."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from khs_crm.services import images
from khs_crm.services.errors import ValidationFailed
from khs_crm.services.images import HEIC, JPEG, PNG, WEBP, PayloadTooLarge
from khs_crm.services.images_gps import scrub_tiff, strip_gps
from tests.support.photo_files import (
    GPS_IFD,
    ORIENTATION,
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
