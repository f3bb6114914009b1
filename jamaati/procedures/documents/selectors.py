"""Reads of issued documents for the download views and the verification page.

Who may fetch a document is the domain's rule (permissions.py, selectors.py): the applicant
their own; staff what `selectors.application_get_for_staff` lets them read (the owning
organisation in scope, reviewers through a referral, platform admins). Everybody else: 404.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404

from jamaati.organisations.models import Membership
from jamaati.procedures import permissions, selectors
from jamaati.procedures.models import IssuedDocument

# verification tokens are secrets.token_urlsafe(32): 43 characters of [A-Za-z0-9_-].
TOKEN_MAX_LENGTH = 64
FINGERPRINT_CACHE_SECONDS = 24 * 3600

_RELATED = (
    "application",
    "application__procedure",
    "application__organisation",
    "application__department",
    "application__applicant",
    "application__territory",
    "application__form_version",
)


def issued_document_for_applicant(*, user, pk: int) -> IssuedDocument:
    """One of the user's own applications' documents (not revoked); 404 for anybody else."""
    document = get_object_or_404(
        IssuedDocument.objects.select_related(*_RELATED).defer(
            "application__territory__boundary_wkb"
        ),
        pk=pk,
        revoked_at__isnull=True,
    )
    if not permissions.application_is_applicant(user=user, application=document.application):
        raise Http404
    return document


def issued_document_for_staff(*, user, pk: int) -> tuple[IssuedDocument, Membership | None]:
    """A document of an application the user may read as staff, and the membership granting it."""
    document = get_object_or_404(IssuedDocument.objects.only("pk", "application_id"), pk=pk)
    application, membership = selectors.application_get_for_staff(
        user=user, pk=document.application_id
    )
    document = IssuedDocument.objects.get(pk=pk)
    document.application = application
    return document, membership


def issued_document_for_verification(*, token: str) -> IssuedDocument:
    """The document a QR code points at, revoked or not (the page says which); 404 if unknown.

    Unlike `selectors.issued_document_verify`, a revoked document is found, so that whoever
    checks it learns that it was revoked rather than that it does not exist.
    """
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise Http404
    return get_object_or_404(
        IssuedDocument.objects.only(
            "pk",
            "number",
            "kind",
            "issued_at",
            "verification_data",
            "verification_token",
            "revoked_at",
            "rendered_file",
            "application_id",
        ),
        verification_token=token,
    )


def document_fingerprint(document: IssuedDocument) -> str:
    """The SHA-256 of the document's stored PDF, in hex; "" while it is not rendered.

    A document is rendered once and never changes, so the digest is cached by file name.
    """
    if not document.rendered_file:
        return ""
    key = f"procedures:document-sha256:{document.rendered_file.name}"
    digest = cache.get(key)
    if digest is None:
        sha = hashlib.sha256()
        with document.rendered_file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(64 * 1024), b""):
                sha.update(chunk)
        digest = sha.hexdigest()
        cache.set(key, digest, FINGERPRINT_CACHE_SECONDS)
    return digest
