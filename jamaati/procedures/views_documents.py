"""Issued documents (receipts, decisions, urbanism notes) for the applicant and for staff.

Each side has a page showing the document with the site's templates (the same ones the PDF is
rendered from) and a PDF download. The applicant reaches only their own applications' documents;
staff what the domain's staff scope lets them read, and each staff read is audited (the
document carries the applicant's name: personal data, law 09-08). Everybody else gets a 404.
A document not rendered yet (its task still queued) is rendered on the spot.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jamaati.accounts.decorators import staff_member_verified_required
from jamaati.core.actors import Actor
from jamaati.procedures import services
from jamaati.procedures.documents import selectors as document_selectors
from jamaati.procedures.documents.context import DOCUMENT_LANGUAGES, document_context
from jamaati.procedures.documents.render import document_render
from jamaati.procedures.models import IssuedDocument


def _pdf_response(document: IssuedDocument) -> FileResponse:
    document = document_render(document=document)
    response = FileResponse(
        document.rendered_file.open("rb"),
        as_attachment=True,
        filename=f"{document.number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _page(request: HttpRequest, document: IssuedDocument, *, download_url: str) -> HttpResponse:
    language = get_language() or "ar"
    context = document_context(
        document, language=language if language in DOCUMENT_LANGUAGES else "ar"
    )
    context.update(
        {
            "download_url": download_url,
            "verify_url": reverse("verify:document", kwargs={"token": document.verification_token}),
        }
    )
    return render(request, "procedures/documents/page.html", context)


def _audit_staff_read(request: HttpRequest, document: IssuedDocument, membership) -> None:
    services.application_record_read(
        application=document.application,
        actor=Actor.from_request(request, membership=membership),
        reason=f"Issued document {document.number}",
    )


@never_cache
@login_required
@require_GET
def citizen_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's page of one of their documents, with its PDF."""
    document = document_selectors.issued_document_for_applicant(user=request.user, pk=pk)
    return _page(request, document, download_url=reverse("verify:download", kwargs={"pk": pk}))


@never_cache
@login_required
@require_GET
def citizen_download(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF of one of the applicant's documents."""
    document = document_selectors.issued_document_for_applicant(user=request.user, pk=pk)
    return _pdf_response(document)


@never_cache
@staff_member_verified_required
@require_GET
def staff_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff's page of a document of an application in their scope (the read is audited)."""
    document, membership = document_selectors.issued_document_for_staff(user=request.user, pk=pk)
    _audit_staff_read(request, document, membership)
    return _page(
        request, document, download_url=reverse("verify:staff_download", kwargs={"pk": pk})
    )


@never_cache
@staff_member_verified_required
@require_GET
def staff_download(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF of a document of an application in the staff member's scope (audited)."""
    document, membership = document_selectors.issued_document_for_staff(user=request.user, pk=pk)
    _audit_staff_read(request, document, membership)
    return _pdf_response(document)
