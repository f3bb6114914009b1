"""Steps shared by the tests: an applicant's draft with the required file, submitted."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from jamaati.procedures import services
from jamaati.procedures.models import Application
from jamaati.procedures.tests.conftest import PDF_BYTES, VALID_ANSWERS, actor_of


def pdf(name: str = "cin.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def draft_with_file(procedures, citizen) -> Application:
    application = services.application_start(
        procedure=procedures.procedure, applicant=citizen, actor=actor_of(citizen)
    )
    services.application_upload(
        application=application, field_key="cin_copy", file=pdf(), actor=actor_of(citizen)
    )
    application.refresh_from_db()
    return application


def submitted(procedures, citizen, **answers) -> Application:
    application = draft_with_file(procedures, citizen)
    services.application_submit(
        application=application, actor=actor_of(citizen), answers={**VALID_ANSWERS, **answers}
    )
    application.refresh_from_db()
    return application


def in_instruction(procedures, citizen) -> Application:
    application = submitted(procedures, citizen)
    services.application_transition(
        application=application, to_status="in_instruction", actor=actor_of(procedures.instructor)
    )
    application.refresh_from_db()
    return application
