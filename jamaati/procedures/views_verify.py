"""The public verification page of issued documents, reached by the QR code printed on them.

No account needed. It confirms that a document with this number was issued, by whom, when,
of what kind and whether it still stands, with the SHA-256 of its PDF, and shows no more
personal data than the holder's initials (law 09-08). Tokens are 256-bit random values from
the domain (`services.document_issue`): they cannot be guessed, so the page needs no login
and no throttle. An unknown token gets a translated 404 page.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from jamaati.procedures.documents import selectors as document_selectors
from jamaati.procedures.documents.context import DOCUMENT_LANGUAGES
from jamaati.procedures.documents.render import document_render
from jamaati.procedures.models import IssuedDocumentKind, Status


def _text_in(texts: dict, language: str) -> str:
    """A name recorded in every language, read in the page's (then Arabic, then French)."""
    texts = texts or {}
    return texts.get(language) or texts.get("ar") or texts.get("fr") or ""


def _moment(value: str | None):
    moment = parse_datetime(value) if value else None
    return timezone.localtime(moment) if moment else None


@require_GET
def verify_document(request: HttpRequest, token: str) -> HttpResponse:
    try:
        document = document_selectors.issued_document_for_verification(token=token)
    except Http404:
        return render(request, "procedures/verify_not_found.html", status=404)
    if not document.rendered_file and document.revoked_at is None:
        document = document_render(document=document)
    data = document.verification_data or {}
    language = get_language() or "ar"
    language = language if language in DOCUMENT_LANGUAGES else "ar"
    decision = data.get("decision", "")
    response = render(
        request,
        "procedures/verify.html",
        {
            "document": document,
            "is_receipt": document.kind == IssuedDocumentKind.RECEIPT,
            "kind_label": IssuedDocumentKind(document.kind).label,
            "decision_label": Status(decision).label if decision in Status.values else "",
            "decision_approved": decision == Status.APPROVED,
            "tacit": bool(data.get("tacit")),
            "decided_at": _moment(data.get("decided_at")),
            "submitted_at": _moment(data.get("submitted_at")),
            "due_date": parse_date(data["due_date"]) if data.get("due_date") else None,
            "reference": data.get("reference", ""),
            "procedure_title": _text_in(data.get("procedure"), language),
            "organisation_name": _text_in(data.get("organisation"), language),
            "holder_initials": data.get("holder_initials", ""),
            "fingerprint": document_selectors.document_fingerprint(document),
            "is_revoked": document.revoked_at is not None,
        },
    )
    # The page is public but about one document: keep it out of shared caches and search engines.
    response["Cache-Control"] = "private, max-age=0"
    response["X-Robots-Tag"] = "noindex"
    return response
