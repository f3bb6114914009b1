"""Render an issued document to PDF with WeasyPrint, and store it once.

The HTML is the Django template `procedures/documents/pdf.html` (the same body templates as
the site's page of the document) with the print stylesheet `procedures/documents/print.css`.
Fonts are the vendored Noto files only; the renderer may read nothing else: no network, no
file outside the fonts folder (images are inlined as data URIs).
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from jamaati.procedures.documents.context import document_context, document_language
from jamaati.procedures.models import IssuedDocument

logger = logging.getLogger(__name__)
# WeasyPrint reports each rendering step at INFO: keep the server's log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
# CSS family name → (file, weight). The names are ours, so a PDF's font list shows that only
# the vendored files were embedded.
FONT_FACES = (
    ("Jamaati Naskh", "NotoNaskhArabic-Regular.ttf", 400),
    ("Jamaati Naskh", "NotoNaskhArabic-Bold.ttf", 700),
    ("Jamaati Sans", "NotoSans-Regular.ttf", 400),
    ("Jamaati Sans", "NotoSans-Bold.ttf", 700),
)


class ForbiddenResource(ValueError):
    """The document's HTML asked for something outside the fonts folder or a data URI."""


def font_face_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
        f'src: url("{(FONTS_DIR / file).as_uri()}"); }}'
        for family, file, weight in FONT_FACES
    )


def css_string(text: str) -> str:
    """`text` as a CSS string literal."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\' or ord(char) < 32 else char for char in text
    )
    return f'"{escaped}"'


def page_counter_css() -> str:
    """The CSS `content` of the page numbers, translated: "Page " counter(page) " of " counter(pages)."""
    marker = "\x00"
    text = _("Page %(page)s of %(pages)s") % {
        "page": f"{marker}page{marker}",
        "pages": f"{marker}pages{marker}",
    }
    parts = []
    for index, piece in enumerate(text.split(marker)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def font_stack(direction: str) -> str:
    """Arabic text in Naskh, Latin text and digits in Sans; the document's script first."""
    if direction == "rtl":
        return '"Jamaati Naskh", "Jamaati Sans"'
    return '"Jamaati Sans", "Jamaati Naskh"'


def _url_fetcher():
    """A WeasyPrint fetcher that reads data URIs and the vendored font files, and nothing else."""
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = Path(url.removeprefix("file://")).resolve()
                if path.parent != FONTS_DIR or path.suffix != ".ttf":
                    raise ForbiddenResource(f"The PDF renderer may not read {url!r}.")
            elif not url.startswith("data:"):
                raise ForbiddenResource(f"The PDF renderer may not fetch {url[:80]!r}.")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def document_html(document: IssuedDocument, *, language: str | None = None) -> str:
    """The HTML the PDF is made from (useful to inspect a document without rendering it)."""
    language = language or document_language(document.application)
    with translation.override(language):
        context = document_context(document, language=language)
        context["font_face_css"] = font_face_css()
        context["font_stack"] = font_stack(context["direction"])
        context["page_counter_css"] = page_counter_css()
        context["print_css"] = render_to_string("procedures/documents/print.css", context)
        return render_to_string("procedures/documents/pdf.html", context)


def document_pdf(document: IssuedDocument) -> bytes:
    """The PDF of an issued document, in its application's language.

    Tagged (headings, tables, reading order, language), so screen readers read it in order.
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = document_html(document)
    font_config = FontConfiguration()
    return HTML(
        string=html, url_fetcher=_url_fetcher(), base_url=FONTS_DIR.as_uri() + "/"
    ).write_pdf(font_config=font_config, pdf_tags=True)


def _loaded(document: IssuedDocument | int) -> IssuedDocument:
    pk = document if isinstance(document, int) else document.pk
    return IssuedDocument.objects.select_related(
        "application",
        "application__procedure",
        "application__organisation",
        "application__applicant",
        "application__territory",
        "application__form_version",
    ).get(pk=pk)


def document_render(*, document: IssuedDocument | int) -> IssuedDocument:
    """Render a document's PDF and store it; a document already rendered is returned as it is."""
    from jamaati.procedures.services import document_attach_rendering

    document = _loaded(document)
    if document.rendered_file:
        return document
    content = document_pdf(document)
    try:
        return document_attach_rendering(
            document=document, content=content, filename=f"{document.number}.pdf"
        )
    except ValidationError as error:
        # Rendered meanwhile by another worker or request: theirs stands, as the first one.
        if getattr(error, "code", "") != "already_rendered":
            raise
        return _loaded(document)
