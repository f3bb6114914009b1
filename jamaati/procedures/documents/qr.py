"""The verification URL of an issued document and its QR code (segno, SVG: no image library)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from jamaati.procedures.models import IssuedDocument

# Medium error correction: the code survives a crease or a stamp over a printed page.
QR_ERROR = "m"


def verification_path(*, token: str, language: str) -> str:
    with translation.override(language):
        return reverse("verify:document", kwargs={"token": token})


def verification_url(*, document: IssuedDocument, language: str) -> str:
    """The absolute URL of the public page confirming `document`, in `language`."""
    path = verification_path(token=document.verification_token, language=language)
    return settings.SITE_URL.rstrip("/") + path


def qr_svg(url: str, *, title: str = "", scale: int = 3) -> str:
    """An inline SVG QR code of `url` (dark modules black, no fixed colour for the background)."""
    return segno.make(url, error=QR_ERROR).svg_inline(
        scale=scale, title=title or None, dark="#000", light="#fff", border=2
    )
