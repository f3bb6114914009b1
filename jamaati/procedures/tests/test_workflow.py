"""Every move of the application state machine through its service: allowed ones work, the
others are refused with a clear error, and each side (applicant, staff) makes only its own moves."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jamaati.procedures import services
from jamaati.procedures.models import Application, ApplicationEvent, EventKind, Status
from jamaati.procedures.tests.conftest import VALID_ANSWERS, actor_of
from jamaati.procedures.tests.helpers import draft_with_file, in_instruction, submitted
from jamaati.procedures.workflow import ALLOWED_TRANSITIONS, APPLICANT_MOVES

STATUSES = list(Status.values)


def force_status(application: Application, status: str) -> Application:
    """Put an application in `status` directly (rows only), with the fields that status implies."""
    now = timezone.now()
    fields = {"status": status, "paused_since": None, "decided_at": None, "decision_reasons": ""}
    if status == Status.COMPLETION_REQUESTED:
        fields["paused_since"] = timezone.localdate()
    if status in (Status.APPROVED, Status.REFUSED):
        fields["decided_at"] = now
        fields["decision_reasons"] = "Motif"
    Application.objects.filter(pk=application.pk).update(**fields)
    application.refresh_from_db()
    return application


def move(application: Application, to_status: str, procedures, citizen) -> None:
    """Ask for `to_status` through the service that makes that move, as the side that makes it."""
    instructor = actor_of(procedures.instructor)
    if to_status == Status.SUBMITTED:
        services.application_submit(
            application=application, actor=actor_of(citizen), answers=VALID_ANSWERS
        )
    elif to_status == Status.IN_INSTRUCTION and application.status == Status.COMPLETION_REQUESTED:
        services.application_complete(application=application, actor=actor_of(citizen))
    elif to_status == Status.IN_INSTRUCTION:
        services.application_transition(
            application=application, to_status=to_status, actor=instructor
        )
    elif to_status == Status.COMPLETION_REQUESTED:
        services.application_request_completion(
            application=application, message="Complétez", actor=instructor
        )
    elif to_status == Status.OPINIONS_REQUESTED:
        services.application_request_opinions(
            application=application,
            reviewers=[services.Reviewer(procedures.reviewer_org)],
            actor=instructor,
        )
    elif to_status in (Status.APPROVED, Status.REFUSED):
        services.application_decide(
            application=application,
            approved=to_status == Status.APPROVED,
            reasons="Motif",
            actor=instructor,
        )
    elif to_status == Status.WITHDRAWN:
        services.application_withdraw(application=application, actor=actor_of(citizen))
    elif to_status == Status.DRAFT:
        raise ValidationError("no service moves back to draft", code="forbidden_transition")


PAIRS = [
    (a, b)
    for a, b in itertools.product(STATUSES, STATUSES)
    if a != b and not (b == Status.OPINIONS_REQUESTED and a == Status.OPINIONS_REQUESTED)
]


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_each_move_is_made_exactly_when_the_table_allows_it(
    procedures, citizen, from_status, to_status
):
    application = draft_with_file(procedures, citizen)
    if from_status != Status.DRAFT:
        services.application_submit(
            application=application, actor=actor_of(citizen), answers=VALID_ANSWERS
        )
        application.refresh_from_db()
        force_status(application, from_status)
    allowed = to_status in ALLOWED_TRANSITIONS[from_status]
    if allowed:
        move(application, to_status, procedures, citizen)
        application.refresh_from_db()
        assert application.status == to_status
    else:
        with pytest.raises(ValidationError) as caught:
            move(application, to_status, procedures, citizen)
        assert caught.value.error_list[0].code in ("forbidden_transition", "use_own_service")
        application.refresh_from_db()
        assert application.status == from_status


def test_a_forbidden_move_says_which_move_in_the_applicants_language(procedures, citizen):
    application = submitted(procedures, citizen)
    force_status(application, Status.APPROVED)
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        services.application_transition(
            application=application,
            to_status=Status.IN_INSTRUCTION,
            actor=actor_of(procedures.instructor),
        )
    with translation.override("fr"):
        expected = _("An application that is %(from)s cannot become %(to)s.") % {
            "from": Status.APPROVED.label,
            "to": Status.IN_INSTRUCTION.label,
        }
        assert caught.value.messages == [expected]


@pytest.mark.parametrize(
    "to_status",
    ["submitted", "completion_requested", "opinions_requested", "approved", "refused", "withdrawn"],
)
def test_the_generic_transition_refuses_moves_that_have_their_own_service(
    procedures, citizen, to_status
):
    application = submitted(procedures, citizen)
    with pytest.raises(ValidationError) as caught:
        services.application_transition(
            application=application, to_status=to_status, actor=actor_of(procedures.instructor)
        )
    assert caught.value.error_list[0].code == "use_own_service"


def test_staff_cannot_make_the_applicants_moves(procedures, citizen):
    application = submitted(procedures, citizen)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(
            application=application, actor=actor_of(procedures.instructor)
        )
    force_status(application, Status.COMPLETION_REQUESTED)
    with pytest.raises(PermissionDenied):
        services.application_complete(
            application=application, actor=actor_of(procedures.instructor)
        )


def test_the_applicant_cannot_make_staff_moves(procedures, citizen):
    application = submitted(procedures, citizen)
    with pytest.raises(PermissionDenied):
        services.application_transition(
            application=application, to_status=Status.IN_INSTRUCTION, actor=actor_of(citizen)
        )
    with pytest.raises(PermissionDenied):
        services.application_decide(
            application=application, approved=True, reasons="", actor=actor_of(citizen)
        )


def test_the_applicant_moves_are_the_only_ones_an_applicant_makes():
    for from_status, to_status in APPLICANT_MOVES:
        assert to_status in ALLOWED_TRANSITIONS[from_status]


def test_a_refusal_needs_reasons_and_keeps_the_application_open(procedures, citizen):
    application = submitted(procedures, citizen)
    with pytest.raises(ValidationError) as caught:
        services.application_decide(
            application=application,
            approved=False,
            reasons="  ",
            actor=actor_of(procedures.instructor),
        )
    assert "reasons" in caught.value.message_dict
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_every_change_writes_a_history_row(procedures, citizen):
    application = submitted(procedures, citizen)
    instructor = actor_of(procedures.instructor)
    services.application_transition(
        application=application, to_status="in_instruction", actor=instructor
    )
    services.application_request_completion(
        application=application, message="Plan", actor=instructor
    )
    services.application_complete(application=application, actor=actor_of(citizen))
    services.application_decide(
        application=application, approved=False, reasons="Hors zone", actor=instructor
    )
    kinds = list(
        ApplicationEvent.objects.filter(application=application).values_list("kind", "to_status")
    )
    assert kinds == [
        (EventKind.CREATED, Status.DRAFT),
        (EventKind.SUBMITTED, Status.SUBMITTED),
        (EventKind.DOCUMENT_ISSUED, ""),
        (EventKind.STATUS_CHANGED, Status.IN_INSTRUCTION),
        (EventKind.COMPLETION_REQUESTED, Status.COMPLETION_REQUESTED),
        (EventKind.COMPLETED, Status.IN_INSTRUCTION),
        (EventKind.DECIDED, Status.REFUSED),
        (EventKind.DOCUMENT_ISSUED, ""),
    ]


def test_the_last_opinion_brings_the_application_back_into_instruction(procedures, citizen):
    application = submitted(procedures, citizen)
    instructor = actor_of(procedures.instructor)
    services.application_transition(
        application=application, to_status="in_instruction", actor=instructor
    )
    agency, civil = services.application_request_opinions(
        application=application,
        reviewers=[
            services.Reviewer(procedures.reviewer_org),
            services.Reviewer(procedures.civil_protection),
        ],
        actor=instructor,
        question="Conformité ?",
    )
    services.opinion_give(
        opinion=agency, verdict="favourable", comment="", actor=actor_of(procedures.reviewer)
    )
    application.refresh_from_db()
    assert application.status == Status.OPINIONS_REQUESTED
    services.opinion_give(
        opinion=civil,
        verdict="reserved",
        comment="Issue de secours",
        actor=actor_of(procedures.civil_reviewer),
    )
    application.refresh_from_db()
    assert application.status == Status.IN_INSTRUCTION


def test_an_unfavourable_opinion_needs_a_comment_and_is_given_once(procedures, citizen):
    application = in_instruction(procedures, citizen)
    [opinion] = services.application_request_opinions(
        application=application,
        reviewers=[services.Reviewer(procedures.reviewer_org)],
        actor=actor_of(procedures.instructor),
    )
    with pytest.raises(ValidationError) as caught:
        services.opinion_give(
            opinion=opinion, verdict="unfavourable", comment="", actor=actor_of(procedures.reviewer)
        )
    assert "comment" in caught.value.message_dict
    services.opinion_give(
        opinion=opinion,
        verdict="unfavourable",
        comment="Non conforme",
        actor=actor_of(procedures.reviewer),
    )
    with pytest.raises(ValidationError):
        services.opinion_give(
            opinion=opinion, verdict="favourable", comment="", actor=actor_of(procedures.reviewer)
        )


def test_a_completion_may_only_ask_for_documents_of_the_procedures_list(procedures, citizen):
    application = submitted(procedures, citizen)
    with pytest.raises(ValidationError) as caught:
        services.application_request_completion(
            application=application,
            message="Apportez un acte de naissance",
            documents=["birth-certificate"],
            actor=actor_of(procedures.instructor),
        )
    assert "documents" in caught.value.message_dict
    services.application_request_completion(
        application=application,
        message="Plan",
        documents=["site-plan"],
        actor=actor_of(procedures.instructor),
    )


def test_a_decision_issues_a_decision_record_with_a_numbered_verifiable_token(procedures, citizen):
    application = submitted(procedures, citizen)
    services.application_decide(
        application=application, approved=True, reasons="", actor=actor_of(procedures.instructor)
    )
    receipt, decision = application.issued_documents.order_by("pk")
    assert receipt.kind == "receipt" and decision.kind == "decision"
    assert receipt.number != decision.number
    assert len(decision.verification_token) >= 40
    assert decision.verification_data["decision"] == Status.APPROVED
    assert "cin" not in str(decision.verification_data).lower()
    assert decision.verification_data["holder_initials"] == "م. ت."
    assert receipt.verification_data["documents_received"][0]["catalogue"] == "cin-copy"
    assert dt.date.fromisoformat(receipt.verification_data["due_date"]) == application.due_date
