"""Staff pages: queue, overdue dashboard, instruction actions, reviewers, counter, exports, statistics."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from jamaati.audit.models import AuditEvent
from jamaati.audit.tests.logins import log_in_verified
from jamaati.organisations.tests.factories import MembershipFactory
from jamaati.procedures import services
from jamaati.procedures.models import Application, OpinionRequest, StaffNote, Status
from jamaati.procedures.tests.conftest import MONDAY, VALID_ANSWERS, actor_of
from jamaati.procedures.tests.helpers import in_instruction, pdf, submitted

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    with translation.override("fr"):
        return reverse(f"staff_procedures:{name}", args=args)


@pytest.fixture
def instructor_client(client, procedures):
    return log_in_verified(client, procedures.instructor.user)


def test_the_queue_lists_the_applications_in_scope_in_a_constant_number_of_queries(
    instructor_client, procedures, citizen
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    applications = [submitted(procedures, citizen) for _n in range(2)]
    instructor_client.get(url("queue"))  # warm the per-process caches (calendar, territories)
    with CaptureQueriesContext(connection) as few:
        instructor_client.get(url("queue"))
    applications += [submitted(procedures, citizen) for _n in range(4)]
    with CaptureQueriesContext(connection) as more:
        response = instructor_client.get(url("queue"))
    page = response.content.decode()
    assert all(a.reference in page for a in applications)
    assert len(more) == len(few) <= 20


def test_the_queue_filters_by_status(instructor_client, procedures, citizen):
    waiting = submitted(procedures, citizen)
    started = in_instruction(procedures, citizen)
    page = instructor_client.get(url("queue"), {"status": "in_instruction"}).content.decode()
    assert started.reference in page
    assert waiting.reference not in page


def test_an_agent_of_another_organisation_sees_no_application_and_gets_404(
    client, procedures, citizen, other_org_agent
):
    application = submitted(procedures, citizen)
    log_in_verified(client, other_org_agent)
    assert application.reference not in client.get(url("queue")).content.decode()
    assert client.get(url("detail", application.pk)).status_code == 404
    assert client.post(url("start", application.pk)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, procedures):
    response = client.get(url("queue"))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_a_citizen_is_refused_the_staff_pages(client, procedures, citizen):
    client.force_login(citizen)
    assert client.get(url("queue")).status_code == 403


def test_the_overdue_dashboard_shows_applications_past_their_deadline(
    instructor_client, procedures, citizen
):
    with time_machine.travel(MONDAY, tick=False):
        application = submitted(procedures, citizen)
    with time_machine.travel(MONDAY + dt.timedelta(days=40), tick=False):
        page = instructor_client.get(url("overdue")).content.decode()
    assert application.reference in page


def test_the_instructor_starts_instruction_from_the_application_page(
    instructor_client, procedures, citizen
):
    application = submitted(procedures, citizen)
    page = instructor_client.get(url("detail", application.pk)).content.decode()
    assert url("start", application.pk) in page
    assert url("decide", application.pk) in page
    response = instructor_client.post(url("start", application.pk))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.IN_INSTRUCTION
    page = instructor_client.get(url("detail", application.pk)).content.decode()
    assert url("start", application.pk) not in page  # no longer allowed by the state machine


def test_a_completion_request_pauses_the_clock_and_shows_on_the_page(
    instructor_client, procedures, citizen
):
    application = in_instruction(procedures, citizen)
    response = instructor_client.post(
        url("completion", application.pk),
        {
            "message": "Joignez le plan de situation",
            "documents": ["site-plan"],
            "fields": ["phone"],
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    event = application.events.get(kind="completion_requested")
    assert event.data == {"fields": ["phone"], "documents": ["site-plan"]}
    assert application.status == Status.COMPLETION_REQUESTED
    assert application.paused_since is not None
    page = instructor_client.get(url("detail", application.pk)).content.decode()
    with translation.override("fr"):
        from django.utils.translation import gettext

        assert gettext("Clock paused") in page


def test_a_completion_request_without_a_message_is_refused_with_the_form_shown(
    instructor_client, procedures, citizen
):
    application = in_instruction(procedures, citizen)
    response = instructor_client.post(url("completion", application.pk), {"message": ""})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == Status.IN_INSTRUCTION


def test_the_instructor_asks_another_organisation_for_an_opinion(
    instructor_client, procedures, citizen
):
    application = in_instruction(procedures, citizen)
    response = instructor_client.post(
        url("request_opinions", application.pk),
        {"organisations": [procedures.reviewer_org.pk], "question": "Avis sur la hauteur ?"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.OPINIONS_REQUESTED
    assert OpinionRequest.objects.get().organisation == procedures.reviewer_org


def test_the_reviewer_sees_only_what_was_referred_and_gives_an_opinion(client, procedures, citizen):
    referred = in_instruction(procedures, citizen)
    other = in_instruction(procedures, citizen)
    services.application_request_opinions(
        application=referred,
        reviewers=[services.Reviewer(organisation=procedures.reviewer_org)],
        actor=actor_of(procedures.instructor),
    )
    opinion = OpinionRequest.objects.get()
    log_in_verified(client, procedures.reviewer.user)
    listing = client.get(url("opinions")).content.decode()
    assert referred.reference in listing
    assert other.reference not in listing
    assert client.get(url("detail", other.pk)).status_code == 404
    page = client.get(url("opinion", opinion.pk)).content.decode()
    assert "Amina El Fassi" in page
    assert "AB123456" not in page  # a reviewer gets no identity number nor contact
    assert "+212612345678" not in page
    detail = client.get(url("detail", referred.pk)).content.decode()
    assert url("opinion", opinion.pk) in detail
    response = client.post(
        url("opinion", opinion.pk),
        {"verdict": "reserved", "comment": "Réduire la hauteur", "file": pdf("avis.pdf")},
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.verdict == "reserved"
    assert opinion.file
    referred.refresh_from_db()
    assert referred.status == Status.IN_INSTRUCTION


def test_a_reviewer_of_another_organisation_cannot_open_an_opinion_not_addressed_to_them(
    client, procedures, citizen
):
    application = in_instruction(procedures, citizen)
    services.application_request_opinions(
        application=application,
        reviewers=[services.Reviewer(organisation=procedures.reviewer_org)],
        actor=actor_of(procedures.instructor),
    )
    log_in_verified(client, procedures.civil_reviewer.user)
    assert client.get(url("opinion", OpinionRequest.objects.get().pk)).status_code == 404
    assert client.get(url("detail", application.pk)).status_code == 404


def test_the_decision_is_issued_with_its_document(instructor_client, procedures, citizen):
    application = in_instruction(procedures, citizen)
    response = instructor_client.post(
        url("decide", application.pk), {"decision": "approve", "reasons": "Conforme"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.issued_documents.filter(kind="decision").exists()


def test_a_refusal_without_reasons_is_refused(instructor_client, procedures, citizen):
    application = in_instruction(procedures, citizen)
    response = instructor_client.post(url("decide", application.pk), {"decision": "refuse"})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == Status.IN_INSTRUCTION


def test_private_notes_are_kept_apart_and_never_shown_to_reviewers(
    instructor_client, client, procedures, citizen
):
    application = in_instruction(procedures, citizen)
    instructor_client.post(url("note", application.pk), {"body": "Vérifier le titre foncier"})
    assert StaffNote.objects.filter(application=application).count() == 1
    assert not application.messages.exists()
    services.application_request_opinions(
        application=application,
        reviewers=[services.Reviewer(organisation=procedures.reviewer_org)],
        actor=actor_of(procedures.instructor),
    )
    from django.test import Client

    reviewer_client = log_in_verified(Client(), procedures.reviewer.user)
    page = reviewer_client.get(url("detail", application.pk)).content.decode()
    assert "Vérifier le titre foncier" not in page
    assert (
        "Vérifier le titre foncier"
        in instructor_client.get(url("detail", application.pk)).content.decode()
    )


def test_the_instructor_sends_a_message_with_an_attachment(instructor_client, procedures, citizen):
    application = in_instruction(procedures, citizen)
    response = instructor_client.post(
        url("message", application.pk), {"body": "Merci", "attachments": [pdf("liste.pdf")]}
    )
    assert response.status_code == 302
    message = application.messages.get()
    assert message.from_staff
    assert message.attachments.count() == 1


def test_an_agent_files_at_the_counter_with_consent_and_prints_the_receipt(
    instructor_client, procedures
):
    data = {f"q_{k}": v for k, v in VALID_ANSWERS.items()}
    data.update(
        {
            "full_name": "Fatima Zahra",
            "phone": "0661234567",
            "consent": "on",
            "q_cin_copy": pdf(),
        }
    )
    response = instructor_client.post(url("counter_file", procedures.procedure.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    assert response["Location"] == url("receipt", application.pk)
    assert application.channel == "counter"
    assert application.consent_at is not None
    assert application.applicant.phone == "+212661234567"
    receipt = instructor_client.get(response["Location"]).content.decode()
    assert application.reference in receipt


def test_filing_at_the_counter_without_consent_is_refused(instructor_client, procedures):
    data = {f"q_{k}": v for k, v in VALID_ANSWERS.items()}
    data.update({"full_name": "Fatima Zahra", "phone": "0661234567", "q_cin_copy": pdf()})
    response = instructor_client.post(url("counter_file", procedures.procedure.pk), data)
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_an_agent_of_another_organisation_cannot_file_at_its_counter(
    client, procedures, other_org_agent
):
    log_in_verified(client, other_org_agent)
    assert client.get(url("counter_file", procedures.procedure.pk)).status_code == 404


def test_exports_in_csv_and_xlsx(instructor_client, procedures, citizen):
    submitted(procedures, citizen)
    csv = instructor_client.get(url("export", procedures.procedure.pk, "csv"))
    assert csv.status_code == 200
    assert "Amina El Fassi" in csv.content.decode("utf-8-sig")
    xlsx = instructor_client.get(url("export", procedures.procedure.pk, "xlsx"))
    assert xlsx.content[:2] == b"PK"


def test_an_outsider_cannot_export(client, procedures, citizen, other_org_agent):
    submitted(procedures, citizen)
    log_in_verified(client, other_org_agent)
    assert client.get(url("export", procedures.procedure.pk, "csv")).status_code == 404


def test_the_statistics_page_shows_the_median_against_the_legal_delay(
    instructor_client, procedures, citizen
):
    application = in_instruction(procedures, citizen)
    services.application_decide(
        application=application, approved=True, reasons="", actor=actor_of(procedures.instructor)
    )
    response = instructor_client.get(url("statistics"))
    page = response.content.decode()
    assert str(procedures.procedure.title_fr) in page
    assert 'id="statistics-data"' in page
    assert response.context["figures"][0].decided == 1


def test_the_statistics_page_of_another_organisation_shows_nothing_of_ours(
    client, procedures, other_org_agent
):
    log_in_verified(client, other_org_agent)
    response = client.get(url("statistics"))
    assert response.context["figures"] == []


def test_a_department_reviewer_of_the_same_organisation_reaches_the_opinion(
    client, procedures, citizen, world
):
    from jamaati.organisations.models import Role
    from jamaati.organisations.tests.factories import DepartmentFactory, StaffUserFactory

    roads = DepartmentFactory(organisation=world.organisation, slug="roads")
    member = MembershipFactory(
        user=StaffUserFactory(email="roads@north.ma"),
        organisation=world.organisation,
        department=roads,
        role=Role.AGENT,
    )
    application = in_instruction(procedures, citizen)
    services.application_request_opinions(
        application=application,
        reviewers=[services.Reviewer(organisation=world.organisation, department=roads)],
        actor=actor_of(procedures.instructor),
    )
    log_in_verified(client, member.user)
    opinion = OpinionRequest.objects.get()
    assert client.get(url("opinion", opinion.pk)).status_code == 200


def test_a_staff_download_of_a_file_is_audited_and_outsiders_get_404(
    instructor_client, client, procedures, citizen, other_org_agent
):
    from jamaati.audit.models import AuditEvent

    application = submitted(procedures, citizen)
    document = application.documents.get()
    before = AuditEvent.objects.filter(action=AuditEvent.Action.READ_PERSONAL_DATA).count()
    response = instructor_client.get(url("file", application.pk, document.pk))
    assert response.status_code == 200
    after = AuditEvent.objects.filter(action=AuditEvent.Action.READ_PERSONAL_DATA).count()
    assert after == before + 1
    log_in_verified(client, other_org_agent)
    assert client.get(url("file", application.pk, document.pk)).status_code == 404


def test_the_application_page_links_the_decision_pdf_for_staff(
    instructor_client, procedures, citizen
):
    application = in_instruction(procedures, citizen)
    services.application_decide(
        application=application, approved=True, reasons="", actor=actor_of(procedures.instructor)
    )
    decision = application.issued_documents.get(kind="decision")
    page = instructor_client.get(url("detail", application.pk)).content.decode()
    with translation.override("fr"):
        assert reverse("verify:staff_download", args=[decision.pk]) in page


def test_the_overdue_dashboard_and_the_opinions_list_use_a_constant_number_of_queries(
    client, procedures, citizen
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def opinion_on(application):
        services.application_request_opinions(
            application=application,
            reviewers=[services.Reviewer(organisation=procedures.reviewer_org)],
            actor=actor_of(procedures.instructor),
        )

    opinion_on(in_instruction(procedures, citizen))
    log_in_verified(client, procedures.reviewer.user)
    client.get(url("opinions"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("opinions"))
    for _n in range(3):
        opinion_on(in_instruction(procedures, citizen))
    with CaptureQueriesContext(connection) as more:
        response = client.get(url("opinions"))
    assert len(response.context["pending"]) == 4
    assert len(more) == len(few)


def test_the_statistics_page_shows_one_procedure_when_asked(instructor_client, procedures):
    from jamaati.procedures.tests.factories import ProcedureFactory

    other = ProcedureFactory(organisation=procedures.procedure.organisation, slug="other")
    response = instructor_client.get(url("statistics"), {"procedure": procedures.procedure.pk})
    assert [f.procedure for f in response.context["figures"]] == [procedures.procedure]
    response = instructor_client.get(url("statistics"))
    assert {f.procedure for f in response.context["figures"]} == {procedures.procedure, other}


def test_a_decision_issued_in_error_is_revoked_with_a_reason_and_the_qr_page_says_so(
    instructor_client, client, procedures, citizen
):
    application = in_instruction(procedures, citizen)
    instructor_client.post(url("decide", application.pk), {"decision": "approve", "reasons": ""})
    decision = application.issued_documents.get(kind="decision")
    revoke = url("revoke_document", application.pk, decision.pk)

    page = instructor_client.get(url("detail", application.pk)).content.decode()
    assert revoke in page
    refused = instructor_client.post(revoke, {"reason": "  "})
    assert refused.status_code == 400
    assert f'id="revoke-reason-{decision.pk}"' in refused.content.decode()
    decision.refresh_from_db()
    assert decision.revoked_at is None

    done = instructor_client.post(revoke, {"reason": "Erreur sur la parcelle"})
    assert done.status_code == 302
    decision.refresh_from_db()
    assert decision.revoked_at is not None
    event = application.events.get(kind="document_revoked")
    assert event.is_public and event.body == "Erreur sur la parcelle"
    assert AuditEvent.objects.filter(
        target_type="procedures.issueddocument", target_id=str(decision.pk)
    ).exists()
    # Once revoked, it cannot be revoked again, and the form is gone.
    again = instructor_client.post(revoke, {"reason": "encore"})
    assert again.status_code == 400
    assert revoke not in instructor_client.get(url("detail", application.pk)).content.decode()
    # The public verification page of its QR code says it no longer stands.
    with translation.override("fr"):
        verify = reverse("verify:document", args=[decision.verification_token])
    content = client.get(verify).content.decode()
    assert "Ce document a été révoqué." in content
    assert '<span class="badge text-bg-danger">Révoqué</span>' in content


def test_only_the_instructing_staff_may_revoke_a_document(
    client, procedures, citizen, other_org_agent
):
    application = in_instruction(procedures, citizen)
    services.application_decide(
        application=application, approved=True, reasons="", actor=actor_of(procedures.instructor)
    )
    decision = application.issued_documents.get(kind="decision")
    log_in_verified(client, other_org_agent)
    response = client.post(
        url("revoke_document", application.pk, decision.pk), {"reason": "Je n'aime pas"}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.issued_document_revoke(
            document=decision, reason="x", actor=actor_of(other_org_agent)
        )
    # A reviewer who gave an opinion cannot either.
    with pytest.raises(PermissionDenied):
        services.issued_document_revoke(
            document=decision, reason="x", actor=actor_of(procedures.reviewer)
        )
    decision.refresh_from_db()
    assert decision.revoked_at is None
