"""The public verification page reached by a document's QR code: no account, no more personal
data than the holder's initials, the PDF's fingerprint, and a clear translated 404 otherwise."""

from __future__ import annotations

import hashlib
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jamaati.procedures.documents import qr
from jamaati.procedures.documents.render import document_render
from jamaati.procedures.models import IssuedDocument, IssuedDocumentKind
from jamaati.procedures.tests.helpers import submitted


@pytest.fixture
def receipt(procedures, citizen) -> IssuedDocument:
    citizen.full_name = "Amina El Fassi"
    citizen.save(update_fields=["full_name"])
    application = submitted(procedures, citizen)
    return IssuedDocument.objects.get(application=application, kind=IssuedDocumentKind.RECEIPT)


def verify_url(document: IssuedDocument, language: str = "fr") -> str:
    return urlparse(qr.verification_url(document=document, language=language)).path


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_qr_code_address_confirms_the_document_without_an_account(client, receipt, language):
    response = client.get(verify_url(receipt, language))
    assert response.status_code == 200
    html = response.content.decode()
    organisation = receipt.application.organisation
    with translation.override(language):
        assert translation.gettext("This document is authentic.") in html
        assert translation.gettext("Valid") in html
        assert str(IssuedDocumentKind.RECEIPT.label) in html
        assert getattr(receipt.application.procedure, f"title_{language}") in html
    assert receipt.number in html
    assert getattr(organisation, f"name_{language}") in html
    assert receipt.application.reference in html
    assert response["X-Robots-Tag"] == "noindex"


def test_the_page_shows_initials_never_the_name_or_the_id_number(client, receipt):
    html = client.get(verify_url(receipt)).content.decode()
    assert "A. E. F." in html
    assert "Amina" not in html and "Fassi" not in html
    assert "123456" not in html  # the CIN answered in the form
    assert receipt.application.applicant.email not in html


def test_the_fingerprint_is_the_sha256_of_the_stored_pdf(client, receipt):
    document = document_render(document=receipt)
    expected = hashlib.sha256(document.rendered_file.read()).hexdigest()
    html = client.get(verify_url(receipt)).content.decode()
    assert expected in html


def test_a_decision_says_what_was_decided(client, procedures, citizen):
    from jamaati.procedures import services
    from jamaati.procedures.models import Status
    from jamaati.procedures.tests.conftest import actor_of
    from jamaati.procedures.tests.helpers import in_instruction

    application = in_instruction(procedures, citizen)
    services.application_decide(
        application=application, approved=True, reasons="", actor=actor_of(procedures.instructor)
    )
    decision = IssuedDocument.objects.get(application=application, kind=IssuedDocumentKind.DECISION)
    html = client.get(verify_url(decision)).content.decode()
    with translation.override("fr"):
        assert str(IssuedDocumentKind.DECISION.label) in html
        assert str(Status.APPROVED.label) in html
    assert decision.number in html


def test_a_revoked_document_is_said_to_be_revoked(client, receipt):
    IssuedDocument.objects.filter(pk=receipt.pk).update(revoked_at=timezone.now())
    response = client.get(verify_url(receipt))
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("fr"):
        assert translation.gettext("This document was revoked.") in html
        assert translation.gettext("This document is authentic.") not in html
    assert receipt.number in html


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_wrong_token_gets_a_translated_not_found_page(client, receipt, language):
    wrong = receipt.verification_token[:-1] + (
        "A" if receipt.verification_token[-1] != "A" else "B"
    )
    response = client.get(f"/{language}/verify/{wrong}/")
    assert response.status_code == 404
    html = response.content.decode()
    with translation.override(language):
        assert translation.gettext("Document not found") in html
        assert (
            translation.gettext(
                "No document matches this verification code. It was not issued through Jamaati, "
                "or the address was mistyped."
            )
            in html
        )
    assert receipt.number not in html


def test_an_overlong_token_is_not_looked_up(client, receipt, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("verify:document", kwargs={"token": "x" * 65}))
    assert response.status_code == 404


def test_tokens_are_256_bit_random_and_distinct(procedures, citizen):
    first = submitted(procedures, citizen)
    second = submitted(procedures, citizen)
    tokens = list(
        IssuedDocument.objects.filter(application__in=[first, second]).values_list(
            "verification_token", flat=True
        )
    )
    assert len(set(tokens)) == 2
    # token_urlsafe(32): 32 random bytes, 43 URL-safe characters.
    assert all(len(token) >= 43 for token in tokens)
