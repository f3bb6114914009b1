"""The applicant hears of each step, in their language, by e-mail (and SMS when they have a phone)."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from django.utils import translation

from jamaati.procedures import services
from jamaati.procedures.tests.conftest import actor_of
from jamaati.procedures.tests.helpers import in_instruction, submitted


def test_submission_completion_message_and_decision_each_reach_the_applicant(
    procedures, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(procedures, citizen)
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.to == [citizen.email]
    assert application.reference in receipt.subject
    with translation.override("ar"):
        assert translation.gettext("Procedure") in receipt.body
    link = reverse("procedures:application", kwargs={"reference": application.reference})
    assert link in receipt.body

    application = in_instruction(procedures, citizen)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_completion(
            application=application,
            message="أرجو إرفاق نسخة أوضح من البطاقة.",
            actor=actor_of(procedures.instructor),
        )
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    assert "أرجو إرفاق نسخة أوضح من البطاقة." in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(
            application=application,
            body="نحن بانتظار الوثيقة.",
            actor=actor_of(procedures.instructor),
        )
    assert len(mail.outbox) == 1 and application.reference in mail.outbox[0].subject

    other = in_instruction(procedures, citizen)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=other,
            approved=False,
            reasons="الملف غير مكتمل.",
            actor=actor_of(procedures.instructor),
        )
    other.refresh_from_db()
    assert len(mail.outbox) == 1
    with translation.override("ar"):
        assert str(other.get_status_display()) in mail.outbox[0].body
