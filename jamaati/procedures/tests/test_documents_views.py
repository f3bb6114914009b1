"""The document pages and PDF downloads: the applicant gets their own, staff what they may read
(every staff read audited), and outsiders a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jamaati.audit.models import AuditEvent
from jamaati.audit.tests.logins import log_in_verified
from jamaati.organisations.tests.factories import UserFactory
from jamaati.procedures.models import IssuedDocument, IssuedDocumentKind
from jamaati.procedures.tests.helpers import submitted


@pytest.fixture
def receipt(procedures, citizen) -> IssuedDocument:
    application = submitted(procedures, citizen)
    return IssuedDocument.objects.get(application=application, kind=IssuedDocumentKind.RECEIPT)


def download(client, name, document):
    return client.get(reverse(name, kwargs={"pk": document.pk}))


def pdf_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_applicant_downloads_their_receipt_as_a_pdf(client, citizen, receipt):
    client.force_login(citizen)
    response = download(client, "verify:download", receipt)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{receipt.number}.pdf"' in response["Content-Disposition"]
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert pdf_bytes(response).startswith(b"%PDF-")
    receipt.refresh_from_db()
    assert receipt.rendered_file  # rendered on the way and kept


def test_another_citizen_is_refused_the_applicants_document(client, receipt):
    client.force_login(UserFactory(email="neighbour@example.ma"))
    assert download(client, "verify:download", receipt).status_code == 404
    assert download(client, "verify:citizen_document", receipt).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, receipt):
    response = download(client, "verify:download", receipt)
    assert response.status_code == 302
    assert reverse("accounts:signup") in response["Location"]


def test_a_revoked_document_is_no_longer_served_to_the_applicant(client, citizen, receipt):
    IssuedDocument.objects.filter(pk=receipt.pk).update(revoked_at=timezone.now())
    client.force_login(citizen)
    assert download(client, "verify:download", receipt).status_code == 404


def test_the_applicants_page_shows_the_document_from_the_site_templates(client, citizen, receipt):
    client.force_login(citizen)
    with translation.override("fr"):
        page_url = reverse("verify:citizen_document", kwargs={"pk": receipt.pk})
        download_url = reverse("verify:download", kwargs={"pk": receipt.pk})
        response = client.get(page_url)
        assert response.status_code == 200
        html = response.content.decode()
        assert translation.gettext("Receipt of application") in html
        assert translation.gettext("Download the PDF") in html
    assert receipt.number in html
    assert receipt.application.procedure.title_fr in html
    assert download_url in html
    assert 'class="jm-doc"' in html  # the same body template as the PDF


def test_the_instructor_downloads_the_receipt_and_the_read_is_audited(client, procedures, receipt):
    log_in_verified(client, procedures.instructor.user)
    response = download(client, "verify:staff_download", receipt)
    assert response.status_code == 200
    assert pdf_bytes(response).startswith(b"%PDF-")
    event = AuditEvent.objects.get(action=AuditEvent.Action.READ_PERSONAL_DATA)
    assert event.actor == procedures.instructor.user
    assert event.membership == procedures.instructor
    assert event.target_id == str(receipt.application_id)
    assert receipt.number in event.changes["reason"]


def test_the_staff_page_of_a_document_is_audited_too(client, procedures, receipt):
    log_in_verified(client, procedures.instructor.user)
    response = download(client, "verify:staff_document", receipt)
    assert response.status_code == 200
    assert receipt.number in response.content.decode()
    assert reverse("verify:staff_download", kwargs={"pk": receipt.pk}) in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.READ_PERSONAL_DATA).count() == 1


def test_an_agent_of_another_organisation_is_refused(client, other_org_agent, receipt):
    log_in_verified(client, other_org_agent)
    assert download(client, "verify:staff_download", receipt).status_code == 404
    assert download(client, "verify:staff_document", receipt).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.READ_PERSONAL_DATA).exists()


def test_a_reviewer_without_a_referral_is_refused(client, procedures, receipt):
    log_in_verified(client, procedures.reviewer.user)
    assert download(client, "verify:staff_download", receipt).status_code == 404


def test_the_applicant_cannot_use_the_staff_download(client, citizen, receipt):
    client.force_login(citizen)
    assert download(client, "verify:staff_download", receipt).status_code == 403


def test_staff_without_the_second_factor_are_sent_to_log_in(client, procedures, receipt):
    client.force_login(procedures.instructor.user)
    response = download(client, "verify:staff_download", receipt)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
