"""The public verification page a document's QR code opens, in a real browser, in Arabic and
French: it confirms the document, a wrong code gets the translated not-found page, and axe finds
no serious or critical violation there nor on the applicant's page of the document."""

from __future__ import annotations

from pprint import pformat
from urllib.parse import urlparse

import pytest
from django.utils import translation
from playwright.sync_api import expect

from jamaati.procedures.documents import qr
from jamaati.procedures.models import IssuedDocument, IssuedDocumentKind
from jamaati.procedures.tests.conftest import calendar_2026, procedures  # noqa: F401 (fixtures)
from jamaati.procedures.tests.helpers import submitted
from tests.browser.conftest import LANGUAGES, log_in, run_axe

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receipt(procedures, citizen) -> IssuedDocument:  # noqa: F811
    application = submitted(procedures, citizen)
    return IssuedDocument.objects.get(application=application, kind=IssuedDocumentKind.RECEIPT)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_qr_code_opens_a_page_confirming_the_document(page, live_server, receipt, language):
    path = urlparse(qr.verification_url(document=receipt, language=language)).path
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200
    with translation.override(language):
        expect(page.locator("h1")).to_have_text(translation.gettext("Document check"))
        expect(page.get_by_role("status")).to_contain_text(
            translation.gettext("This document is authentic.")
        )
    expect(page.locator("main")).to_contain_text(receipt.number)
    fingerprint = page.locator("#fingerprint").inner_text()
    assert len(fingerprint) == 64 and int(fingerprint, 16) >= 0
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    violations = run_axe(page)
    assert not violations, pformat(violations)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_code_gets_the_translated_not_found_page(page, live_server, receipt, language):
    response = page.goto(f"{live_server.url}/{language}/verify/not-a-real-code/")
    assert response is not None and response.status == 404
    with translation.override(language):
        expect(page.locator("h1")).to_have_text(translation.gettext("Document not found"))
    violations = run_axe(page)
    assert not violations, pformat(violations)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_applicants_page_of_the_document_is_accessible(
    page, context, live_server, citizen, receipt, language
):
    log_in(context, live_server, citizen)
    response = page.goto(f"{live_server.url}/{language}/verify/documents/{receipt.pk}/")
    assert response is not None and response.status == 200
    with translation.override(language):
        expect(page.locator("h1")).to_have_text(translation.gettext("Receipt of application"))
        expect(
            page.get_by_role("link", name=translation.gettext("Download the PDF"))
        ).to_be_visible()
    violations = run_axe(page)
    assert not violations, pformat(violations)
