"""Checking and cleaning every file a person uploads (photos of a problem, scanned documents).

The type is read from the content (magic bytes, with `filetype`), never from
the file name or the browser's content type. Photos are decoded and encoded
again with Pillow, which drops every metadata block on the way: EXIF (with the
GPS position of the phone, its serial number, the time), XMP and comments.
The orientation is applied to the pixels first, so nothing turns sideways.
"""

from __future__ import annotations

import io
import secrets
import warnings
from collections.abc import Iterable
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

JPEG, PNG, WEBP, HEIC, PDF = "jpeg", "png", "webp", "heic", "pdf"
IMAGE_KINDS = frozenset({JPEG, PNG, WEBP, HEIC})
DOCUMENT_KINDS = frozenset({PDF})
# Names callers may use for a group of kinds.
KIND_GROUPS = {"image": IMAGE_KINDS, "document": DOCUMENT_KINDS}

_FILETYPE_EXTENSIONS = {"jpg": JPEG, "png": PNG, "webp": WEBP, "heic": HEIC, "pdf": PDF}
_KIND_LABELS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", HEIC: "HEIC", PDF: "PDF"}
_CONTENT_TYPES = {JPEG: "image/jpeg", PNG: "image/png", WEBP: "image/webp", PDF: "application/pdf"}
_EXTENSIONS = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp", PDF: ".pdf"}
# The Pillow decoder allowed for each kind: a file that claims to be a JPEG
# is never handed to another decoder.
_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", HEIC: "HEIF"}
_SNIFF_BYTES = 8192

DEFAULT_MAX_DIMENSION = 2048
DEFAULT_MAX_PIXELS = (
    40_000_000  # a 48 MP phone sensor is 8000 × 6000: above this, a bomb or a scan gone wrong
)
JPEG_QUALITY = 85


class CleanFile(ContentFile):
    """A checked upload, safe to store: random name, known kind, clean content."""

    def __init__(self, content: bytes, *, name: str, kind: str, content_type: str):
        super().__init__(content, name=name)
        self.kind = kind
        self.content_type = content_type


def _resolve_kinds(allowed_kinds: Iterable[str]) -> frozenset[str]:
    kinds: set[str] = set()
    for kind in allowed_kinds:
        if kind in KIND_GROUPS:
            kinds |= KIND_GROUPS[kind]
        elif kind in _KIND_LABELS:
            kinds.add(kind)
        else:
            raise ValueError(f"Unknown upload kind {kind!r}.")
    return frozenset(kinds)


def _random_name(kind: str) -> str:
    return secrets.token_hex(16) + _EXTENSIONS[kind]


def _read_bounded(file: IO[bytes] | Any, max_bytes: int) -> bytes:
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        _raise_too_big(size, max_bytes)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        _raise_too_big(len(data), max_bytes)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def _raise_too_big(size: int, max_bytes: int) -> None:
    raise ValidationError(
        _("The file is too large (%(size)s); the limit is %(limit)s."),
        code="too_big",
        params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
    )


def _raise_unreadable() -> None:
    raise ValidationError(
        _("The file could not be read: it may be damaged. Please try another file."),
        code="unreadable",
    )


def validate_and_clean_upload(
    file: IO[bytes] | Any,
    *,
    allowed_kinds: Iterable[str] = ("image", "document"),
    max_bytes: int | None = None,
    max_dimension: int = DEFAULT_MAX_DIMENSION,
) -> CleanFile:
    """Check an upload by its content and return a clean copy with a random name.

    `allowed_kinds` takes kinds ("jpeg", "png", "webp", "heic", "pdf") or groups
    ("image", "document"). Raise ValidationError (codes: empty, too_big,
    invalid_type, unsupported_type, too_many_pixels, unreadable).
    """
    kinds = _resolve_kinds(allowed_kinds)
    if max_bytes is None:
        max_bytes = settings.UPLOAD_MAX_BYTES
    data = _read_bounded(file, max_bytes)

    guess = filetype.guess(data[:_SNIFF_BYTES])
    kind = _FILETYPE_EXTENSIONS.get(guess.extension) if guess is not None else None
    if kind is None or kind not in kinds:
        accepted = ", ".join(sorted(_KIND_LABELS[k] for k in kinds if _can_decode(k)))
        raise ValidationError(
            _("This type of file is not accepted. Accepted types: %(kinds)s."),
            code="invalid_type",
            params={"kinds": accepted},
        )
    if kind == PDF:
        return _clean_pdf(data)
    return _clean_image(data, kind=kind, max_dimension=max_dimension)


def _clean_pdf(data: bytes) -> CleanFile:
    # Magic bytes say PDF; a PDF without its end marker was cut short in transit.
    if b"%%EOF" not in data[-2048:]:
        _raise_unreadable()
    return CleanFile(data, name=_random_name(PDF), kind=PDF, content_type=_CONTENT_TYPES[PDF])


def _can_decode(kind: str) -> bool:
    if kind not in _PILLOW_FORMATS:
        return True
    Image.init()
    return _PILLOW_FORMATS[kind] in Image.OPEN


def _open_image(data: bytes, kind: str) -> Image.Image:
    pillow_format = _PILLOW_FORMATS[kind]
    if not _can_decode(kind):
        # Pillow has no HEIF decoder here: say what to do instead of a vague error.
        raise ValidationError(
            _(
                "HEIC photos cannot be read yet. Please send the photo as JPEG or PNG "
                "(on an iPhone: Settings, Camera, Formats, Most Compatible)."
            ),
            code="unsupported_type",
        )
    max_pixels = getattr(settings, "UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[pillow_format])
            width, height = image.size  # read from the header: nothing is decoded yet
            if width * height > max_pixels:
                raise ValidationError(
                    _("The image is too large (%(width)s × %(height)s pixels)."),
                    code="too_many_pixels",
                    params={"width": width, "height": height},
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image is too large to be processed."), code="too_many_pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        _raise_unreadable()
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert from an embedded colour profile (e.g. Display P3) to sRGB, then drop the profile."""
    icc_profile = image.info.get("icc_profile")
    if not icc_profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        target = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(image, source, target, outputMode=image.mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _clean_image(data: bytes, *, kind: str, max_dimension: int) -> CleanFile:
    image = _open_image(data, kind)
    try:
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError):
        _raise_unreadable()
    output_kind = JPEG if kind == HEIC else kind
    buffer = io.BytesIO()
    try:
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        if output_kind == JPEG or not has_alpha:
            image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        else:
            image = image.convert("RGBA")
        image = _to_srgb(image)
        image.thumbnail((max_dimension, max_dimension), Image.Resampling.LANCZOS)
        # Forget everything read from the file: EXIF, XMP, comments, profile, timestamps.
        image.info = {}
        if output_kind == JPEG:
            image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        elif output_kind == PNG:
            image.save(buffer, "PNG", optimize=True)
        else:
            image.save(buffer, "WEBP", quality=JPEG_QUALITY, method=4)
    except (OSError, ValueError):
        _raise_unreadable()
    return CleanFile(
        buffer.getvalue(),
        name=_random_name(output_kind),
        kind=output_kind,
        content_type=_CONTENT_TYPES[output_kind],
    )
