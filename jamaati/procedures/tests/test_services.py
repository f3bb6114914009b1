"""Applicant and counter services: drafts that lose nothing, checked uploads, submission with the
receipt record, messages with attachments, the catalogue's document rule, and counter filing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jamaati.accounts.models import User
from jamaati.audit.models import AuditEvent
from jamaati.procedures import selectors, services
from jamaati.procedures.models import (
    ApplicationDocument,
    Channel,
    FilingChannel,
    IssuedDocument,
    Message,
    Procedure,
    Status,
)
from jamaati.procedures.tests.conftest import VALID_ANSWERS, actor_of
from jamaati.procedures.tests.factories import RequiredDocumentFactory
from jamaati.procedures.tests.helpers import draft_with_file, in_instruction, pdf, submitted


def test_a_draft_keeps_what_was_typed_even_when_not_valid_yet(procedures, citizen):
    application = services.application_start(
        procedure=procedures.procedure, applicant=citizen, actor=actor_of(citizen)
    )
    result = services.application_save_draft(
        application=application,
        answers={"full_name": "Amina", "cin": "12"},
        actor=actor_of(citizen),
    )
    assert set(result.errors) == {"cin"}
    application.refresh_from_db()
    assert application.answers == {"full_name": "Amina", "cin": "12"}
    services.application_save_draft(
        application=application, answers={"cin": "ab12"}, actor=actor_of(citizen)
    )
    application.refresh_from_db()
    assert application.answers == {"full_name": "Amina", "cin": "AB12"}


def test_submission_refuses_missing_answers_and_keeps_the_draft(procedures, citizen):
    application = draft_with_file(procedures, citizen)
    with pytest.raises(ValidationError) as caught:
        services.application_submit(
            application=application, actor=actor_of(citizen), answers={"full_name": "A"}
        )
    assert {"cin", "purpose"} <= set(caught.value.message_dict)
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert IssuedDocument.objects.count() == 0


def test_submission_issues_a_receipt_record_and_starts_the_clock(procedures, citizen):
    application = submitted(procedures, citizen)
    assert application.status == Status.SUBMITTED
    assert application.answers["cin"] == "AB123456"
    assert application.answers["phone"] == "+212612345678"
    assert application.due_date is not None
    [receipt] = selectors.application_issued_documents(application=application)
    assert receipt.kind == "receipt"
    assert selectors.issued_document_verify(token=receipt.verification_token) == receipt


def test_a_required_file_must_be_attached(procedures, citizen):
    application = services.application_start(
        procedure=procedures.procedure, applicant=citizen, actor=actor_of(citizen)
    )
    with pytest.raises(ValidationError) as caught:
        services.application_submit(
            application=application, actor=actor_of(citizen), answers=VALID_ANSWERS
        )
    assert "cin_copy" in caught.value.message_dict


def test_an_upload_is_checked_by_its_content(procedures, citizen):
    application = services.application_start(
        procedure=procedures.procedure, applicant=citizen, actor=actor_of(citizen)
    )
    fake = SimpleUploadedFile("cin.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.application_upload(
            application=application, field_key="cin_copy", file=fake, actor=actor_of(citizen)
        )
    assert "cin_copy" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.application_upload(
            application=application, field_key="full_name", file=pdf(), actor=actor_of(citizen)
        )
    assert ApplicationDocument.objects.count() == 0


def test_a_second_file_replaces_the_first_when_one_is_allowed(procedures, citizen):
    application = draft_with_file(procedures, citizen)
    first = application.answers["cin_copy"]
    services.application_upload(
        application=application, field_key="cin_copy", file=pdf("new.pdf"), actor=actor_of(citizen)
    )
    application.refresh_from_db()
    assert application.answers["cin_copy"] != first
    assert (
        ApplicationDocument.objects.filter(
            application=application, replaced_at__isnull=False
        ).count()
        == 1
    )


def test_a_submitted_application_can_no_longer_be_edited(procedures, citizen):
    application = submitted(procedures, citizen)
    with pytest.raises(ValidationError):
        services.application_save_draft(
            application=application, answers={"full_name": "B"}, actor=actor_of(citizen)
        )
    with pytest.raises(ValidationError):
        services.application_upload(
            application=application, field_key="cin_copy", file=pdf(), actor=actor_of(citizen)
        )


def test_the_applicant_corrects_answers_and_files_during_a_completion(procedures, citizen):
    application = in_instruction(procedures, citizen)
    services.application_request_completion(
        application=application,
        message="CIN illisible",
        fields=["cin"],
        documents=["cin-copy"],
        actor=actor_of(procedures.instructor),
    )
    services.application_upload(
        application=application, field_key="cin_copy", file=pdf("net.pdf"), actor=actor_of(citizen)
    )
    services.application_complete(
        application=application, actor=actor_of(citizen), answers={"cin": "CD654321"}
    )
    application.refresh_from_db()
    assert application.status == Status.IN_INSTRUCTION
    assert application.answers["cin"] == "CD654321"


def test_messages_go_both_ways_with_checked_attachments(procedures, citizen):
    application = submitted(procedures, citizen)
    services.message_send(
        application=application,
        body="Où en est mon dossier ?",
        actor=actor_of(citizen),
        attachments=[pdf()],
    )
    services.message_send(
        application=application, body="En cours.", actor=actor_of(procedures.instructor)
    )
    messages = list(selectors.application_messages(application=application))
    assert [(m.from_staff, m.attachments.count()) for m in messages] == [(False, 1), (True, 0)]
    assert AuditEvent.objects.filter(target_type="procedures.message").count() == 1
    with pytest.raises(ValidationError):
        services.message_send(application=application, body="  ", actor=actor_of(citizen))
    bad = SimpleUploadedFile("x.pdf", b"not a pdf at all")
    with pytest.raises(ValidationError):
        services.message_send(
            application=application, body="Pièce", actor=actor_of(citizen), attachments=[bad]
        )
    assert Message.objects.count() == 2


def test_a_procedure_may_only_ask_for_active_catalogue_documents(procedures, org_admin):
    retired = RequiredDocumentFactory(code="old-form", is_active=False)
    with pytest.raises(ValidationError):
        services.procedure_set_documents(
            procedure=procedures.procedure, documents=[(retired, True)], actor=actor_of(org_admin)
        )


def test_an_admin_creates_a_procedure_searchable_in_arabic_and_french(world, org_admin, procedures):
    procedure = services.procedure_create(
        organisation=world.organisation,
        slug="residence",
        titles={
            "ar": "شَهادة السُّكنى",
            "fr": "Certificat de résidence",
            "en": "Certificate of residence",
        },
        processing_days=3,
        fee="20.00",
        channel=Channel.BOTH,
        documents=[(procedures.cin_copy, True)],
        actor=actor_of(org_admin),
    )
    assert procedure.fee == Decimal("20.00") and not procedure.is_published
    with pytest.raises(ValidationError):
        services.procedure_publish(
            procedure=procedure, actor=actor_of(org_admin)
        )  # no published form yet
    Procedure.objects.filter(pk=procedure.pk).update(is_published=True)
    assert list(selectors.procedures_public(query="شهادة السكني")) == [procedure]
    assert list(selectors.procedures_public(query="residence")) == [procedure]
    assert list(selectors.procedures_public(query="RÉSIDENCE certificat")) == [procedure]
    assert list(selectors.procedures_public(query="permis")) == []


def test_an_unpublished_procedure_is_not_in_the_catalogue_and_cannot_be_started(
    procedures, citizen
):
    procedures.procedure.is_published = False
    procedures.procedure.save()
    assert list(selectors.procedures_public()) == []
    with pytest.raises(ValidationError):
        services.application_start(
            procedure=procedures.procedure, applicant=citizen, actor=actor_of(citizen)
        )


# --- Counter mode -----------------------------------------------------------------------------------

CONSENT = "J'accepte que l'agent dépose cette demande en mon nom."


def test_an_agent_files_at_the_counter_for_a_new_citizen_with_their_consent(procedures):
    application = services.application_file_at_counter(
        procedure=procedures.procedure,
        actor=actor_of(procedures.instructor),
        consent_text=CONSENT,
        answers=VALID_ANSWERS,
        files={"cin_copy": [pdf()]},
        full_name="Fatima Zahra",
        phone="0661 22 33 44",
    )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.channel == FilingChannel.COUNTER
    assert application.filed_by == procedures.instructor.user
    assert application.consent_text == CONSENT and application.consent_at is not None
    citizen = User.objects.get(phone="+212661223344")
    assert (
        application.applicant == citizen
        and not citizen.is_staff
        and not citizen.has_usable_password()
    )
    assert application.issued_documents.filter(kind="receipt").count() == 1
    assert (
        AuditEvent.objects.filter(target_type="procedures.application", action="create").count()
        == 1
    )


def test_the_counter_finds_an_existing_account_by_e_mail(procedures, citizen):
    application = services.application_file_at_counter(
        procedure=procedures.procedure,
        actor=actor_of(procedures.instructor),
        consent_text=CONSENT,
        answers=VALID_ANSWERS,
        files={"cin_copy": [pdf()]},
        email="CITIZEN@example.ma",
    )
    assert application.applicant == citizen
    assert list(selectors.applications_of_citizen(user=citizen)) == [application]


def test_the_counter_needs_consent_and_a_contact_and_writes_nothing_otherwise(procedures):
    with pytest.raises(ValidationError) as caught:
        services.application_file_at_counter(
            procedure=procedures.procedure,
            actor=actor_of(procedures.instructor),
            consent_text=" ",
            answers=VALID_ANSWERS,
        )
    assert "consent" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.application_file_at_counter(
            procedure=procedures.procedure,
            actor=actor_of(procedures.instructor),
            consent_text=CONSENT,
            answers=VALID_ANSWERS,
        )
    assert "contact" in caught.value.message_dict
    assert not User.objects.filter(is_staff=False).exclude(email="citizen@example.ma").exists()


def test_an_agent_of_another_organisation_cannot_file_at_the_counter(procedures, other_org_agent):
    with pytest.raises(PermissionDenied):
        services.application_file_at_counter(
            procedure=procedures.procedure,
            actor=actor_of(other_org_agent),
            consent_text=CONSENT,
            answers=VALID_ANSWERS,
            phone="0661223344",
        )
    assert not User.objects.filter(phone="+212661223344").exists()


def test_an_online_only_procedure_is_not_filed_at_the_counter(procedures):
    procedures.procedure.channel = Channel.ONLINE
    procedures.procedure.save()
    with pytest.raises(ValidationError):
        services.application_file_at_counter(
            procedure=procedures.procedure,
            actor=actor_of(procedures.instructor),
            consent_text=CONSENT,
            answers=VALID_ANSWERS,
            phone="0661223344",
        )


def test_a_citizens_data_lists_their_applications_and_erasure_keeps_only_filed_records(
    procedures, citizen
):
    from jamaati.procedures.personal_data import ApplicationData

    filed = submitted(procedures, citizen)
    services.message_send(application=filed, body="Merci", actor=actor_of(citizen))
    draft = draft_with_file(procedures, citizen)
    rows = ApplicationData().collect(citizen)
    assert {row[next(iter(row))] for row in rows} == {filed.reference, draft.reference}
    ApplicationData().erase(citizen)
    assert not type(draft).objects.filter(pk=draft.pk).exists()
    filed.refresh_from_db()
    assert filed.applicant is None and filed.status == Status.SUBMITTED
    assert Message.objects.get().author is None
    assert ApplicationData().collect(citizen) == []


def test_creating_a_procedure_in_french_keeps_each_languages_title(world, org_admin):
    from django.utils import translation

    with translation.override("fr"):
        procedure = services.procedure_create(
            organisation=world.organisation,
            slug="legalisation",
            titles={"ar": "تصحيح الإمضاء", "fr": "Légalisation de signature"},
            processing_days=1,
            actor=actor_of(org_admin),
        )
    procedure.refresh_from_db()
    assert (procedure.title_ar, procedure.title_fr) == (
        "تصحيح الإمضاء",
        "Légalisation de signature",
    )
