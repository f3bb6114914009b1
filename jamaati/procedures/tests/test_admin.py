"""The Django admin: the catalogue and urban plans are edited per language; applications are
shown read-only, without the applicant or the answers."""

from __future__ import annotations

from django.urls import reverse

from jamaati.audit.tests.logins import log_in_verified
from jamaati.procedures.tests.helpers import submitted


def test_the_admin_edits_procedures_with_each_language_and_their_documents(
    client, procedures, platform_admin
):
    log_in_verified(client, platform_admin)
    response = client.get(
        reverse("admin:procedures_procedure_change", args=[procedures.procedure.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="title_ar"' in html and 'name="title_fr"' in html
    assert 'name="procedure_documents-TOTAL_FORMS"' in html
    for name in ("requireddocument_add", "zoningplan_add", "procedure_changelist"):
        assert client.get(reverse(f"admin:procedures_{name}")).status_code == 200


def test_the_admin_shows_applications_read_only_without_personal_data(
    client, procedures, citizen, platform_admin
):
    application = submitted(procedures, citizen)
    log_in_verified(client, platform_admin)
    assert client.get(reverse("admin:procedures_application_changelist")).status_code == 200
    html = client.get(
        reverse("admin:procedures_application_change", args=[application.pk])
    ).content.decode()
    assert application.reference in html
    assert "AB123456" not in html and citizen.email not in html
    assert client.get(reverse("admin:procedures_application_add")).status_code == 403
