import io
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image

from jamaati.core.uploads import validate_and_clean_upload


@pytest.fixture(autouse=True)
def _english():
    """Assert on the English messages, whatever the catalogues translate."""
    with translation.override("en"):
        yield


def _photo_bytes(*, size=(400, 300), orientation=None, image_format="JPEG", gps=True) -> bytes:
    """A real photo as a phone would send it: EXIF with a camera, a date, a GPS position."""
    image = Image.new("RGB", size, "red")
    # Mark the top-left corner so rotation can be observed.
    image.paste((0, 0, 255), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Model X"
    exif[ExifTags.Base.DateTime] = "2026:05:01 10:00:00"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps_ifd[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps_ifd[ExifTags.GPS.GPSLatitude] = (34.0, 1.0, 30.0)
        gps_ifd[ExifTags.GPS.GPSLongitudeRef] = "W"
        gps_ifd[ExifTags.GPS.GPSLongitude] = (6.0, 50.0, 10.0)
    buffer = io.BytesIO()
    extra = {"xmp": b"<x:xmpmeta secret-xmp-marker/>"} if image_format == "JPEG" else {}
    image.save(buffer, image_format, exif=exif, **extra)
    return buffer.getvalue()


def _upload(content: bytes, name: str, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _minimal_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def test_the_input_photo_really_carries_gps_before_cleaning():
    image = Image.open(io.BytesIO(_photo_bytes()))
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"


def test_it_strips_exif_gps_and_xmp_from_a_jpeg():
    original = _photo_bytes()

    cleaned = validate_and_clean_upload(_upload(original, "photo.jpg"), allowed_kinds=["image"])

    content = cleaned.read()
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Exif" not in content[:4096]
    assert b"PhoneMaker" not in content
    assert b"secret-xmp-marker" not in content
    assert cleaned.kind == "jpeg"
    assert cleaned.content_type == "image/jpeg"


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_it_strips_exif_from_png_and_webp_and_keeps_their_format(image_format):
    original = _photo_bytes(image_format=image_format)
    assert b"PhoneMaker" in original

    cleaned = validate_and_clean_upload(
        _upload(original, "x.bin", "application/octet-stream"), allowed_kinds=["image"]
    )

    content = cleaned.read()
    image = Image.open(io.BytesIO(content))
    assert image.format == image_format
    assert dict(image.getexif()) == {}
    assert b"PhoneMaker" not in content


def test_it_applies_the_orientation_to_the_pixels():
    # Orientation 6: the camera was turned, viewers rotate 90° clockwise.
    original = _photo_bytes(size=(400, 300), orientation=6)

    cleaned = validate_and_clean_upload(_upload(original, "photo.jpg"), allowed_kinds=["jpeg"])

    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.size == (300, 400)
    # The blue corner, top-left before rotation, is now top-right.
    red, _green, blue = image.convert("RGB").getpixel((image.width - 10, 10))
    assert blue > 200 and red < 60


def test_it_bounds_the_largest_dimension():
    original = _photo_bytes(size=(5000, 1000), gps=False)

    cleaned = validate_and_clean_upload(_upload(original, "wide.jpg"), allowed_kinds=["image"])

    assert Image.open(io.BytesIO(cleaned.read())).size == (2048, 410)


def test_it_gives_a_random_safe_name_whatever_the_client_called_it():
    names = {
        validate_and_clean_upload(
            _upload(_photo_bytes(gps=False), "../../etc/passwd.jpg"), allowed_kinds=["image"]
        ).name
        for _ in range(3)
    }

    assert len(names) == 3
    for name in names:
        assert name.endswith(".jpg")
        assert "/" not in name and ".." not in name
        assert len(name) == 32 + len(".jpg")


def test_it_refuses_a_pdf_renamed_jpg_when_an_image_is_expected():
    with pytest.raises(ValidationError) as error:
        validate_and_clean_upload(
            _upload(_minimal_pdf(), "photo.jpg", "image/jpeg"), allowed_kinds=["image"]
        )

    assert error.value.code == "invalid_type"
    assert "JPEG, PNG, WebP" in error.value.messages[0]
    assert "HEIC" not in error.value.messages[0]  # not listed while Pillow cannot decode it


def test_it_accepts_a_pdf_by_its_content_and_keeps_it_unchanged():
    cleaned = validate_and_clean_upload(
        _upload(_minimal_pdf(), "scan", "text/plain"), allowed_kinds=["pdf"]
    )

    assert cleaned.read() == _minimal_pdf()
    assert cleaned.name.endswith(".pdf")
    assert cleaned.content_type == "application/pdf"


def test_it_refuses_a_truncated_pdf():
    with pytest.raises(ValidationError) as error:
        validate_and_clean_upload(_upload(_minimal_pdf()[:60], "scan.pdf"), allowed_kinds=["pdf"])

    assert error.value.code == "unreadable"


@pytest.mark.parametrize(
    "executable",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,  # Windows PE
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200,  # Linux ELF
        b"#!/bin/sh\nrm -rf /\n",  # a script
    ],
)
def test_it_refuses_an_executable_renamed_png(executable):
    with pytest.raises(ValidationError) as error:
        validate_and_clean_upload(
            _upload(executable, "cat.png", "image/png"), allowed_kinds=["image", "pdf"]
        )

    assert error.value.code == "invalid_type"


def test_it_refuses_a_file_over_the_size_limit_before_reading_it():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_and_clean_upload(
            _upload(_photo_bytes(), "photo.jpg"), allowed_kinds=["image"], max_bytes=1000
        )

    assert error.value.code == "too_big"
    assert "1000\xa0bytes" in error.value.messages[0]


def test_it_takes_the_size_limit_from_settings_by_default(settings):
    settings.UPLOAD_MAX_BYTES = 500
    stream = io.BytesIO(_photo_bytes())  # no .size: the limit is enforced while reading

    with pytest.raises(ValidationError) as error:
        validate_and_clean_upload(stream, allowed_kinds=["image"])

    assert error.value.code == "too_big"


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError) as error:
        validate_and_clean_upload(_upload(b"", "empty.jpg"), allowed_kinds=["image"])

    assert error.value.code == "empty"


def test_it_refuses_a_damaged_jpeg():
    damaged = _photo_bytes(gps=False)[:600]

    with pytest.raises(ValidationError) as error:
        validate_and_clean_upload(_upload(damaged, "photo.jpg"), allowed_kinds=["image"])

    assert error.value.code == "unreadable"


def test_it_refuses_an_image_with_too_many_pixels_before_decoding_it(settings):
    settings.UPLOAD_MAX_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("1", (2000, 1000)).save(buffer, "PNG")  # a few hundred bytes, 2 megapixels

    with pytest.raises(ValidationError) as error:
        validate_and_clean_upload(_upload(buffer.getvalue(), "bomb.png"), allowed_kinds=["image"])

    assert error.value.code == "too_many_pixels"
    assert "2000" in error.value.messages[0]


def test_it_refuses_a_decompression_bomb_declared_in_the_header():
    # A PNG header announcing 100 000 × 100 000 pixels: refused without decoding anything.
    def chunk(kind: bytes, body: bytes) -> bytes:
        import zlib

        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")

    with pytest.raises(ValidationError) as error:
        validate_and_clean_upload(_upload(bomb, "bomb.png"), allowed_kinds=["image"])

    assert error.value.code == "too_many_pixels"


def test_it_refuses_heic_with_advice_when_pillow_cannot_read_it():
    # The start of an iPhone HEIC file: an ISO-BMFF "ftyp" box with the "heic" brand.
    heic = struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic" + b"\x00" * 64

    with pytest.raises(ValidationError) as error:
        validate_and_clean_upload(
            _upload(heic, "IMG_0001.HEIC", "image/heic"), allowed_kinds=["image"]
        )

    assert error.value.code == "unsupported_type"
    assert "JPEG" in error.value.messages[0]


def test_it_refuses_a_kind_that_was_not_allowed_even_if_it_is_a_real_image():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "PNG")

    with pytest.raises(ValidationError) as error:
        validate_and_clean_upload(_upload(buffer.getvalue(), "x.png"), allowed_kinds=["jpeg"])

    assert error.value.code == "invalid_type"


def test_it_keeps_transparency_in_a_png():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (255, 0, 0, 0)).save(buffer, "PNG")

    cleaned = validate_and_clean_upload(
        _upload(buffer.getvalue(), "logo.png"), allowed_kinds=["png"]
    )

    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0
