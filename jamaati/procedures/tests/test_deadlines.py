"""The legal clock in working days: it skips weekends and holidays, pauses while the applicant
completes, flags overdue applications, and approves by silence where the procedure says so."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from jamaati.core.models import Holiday
from jamaati.procedures import deadlines, selectors, services
from jamaati.procedures.models import ApplicationEvent, EventKind, IssuedDocument, Status
from jamaati.procedures.tasks import approve_tacitly_task
from jamaati.procedures.tests.conftest import actor_of
from jamaati.procedures.tests.helpers import in_instruction, submitted


def at(day: str, hour: int = 10):
    """Frozen time at `hour` UTC (the same date in Casablanca)."""
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC), tick=False
    )


def test_the_deadline_skips_the_weekend_and_the_throne_day(procedures, citizen):
    assert Holiday.objects.filter(date=dt.date(2026, 7, 30)).exists()  # Throne Day, a Thursday
    procedures.procedure.processing_days = 5
    procedures.procedure.save()
    with at("2026-07-27"):  # a Monday
        application = submitted(procedures, citizen)
    # Tue 28, Wed 29, (Thu 30 off), Fri 31, Mon 3, Tue 4.
    assert application.due_date == dt.date(2026, 8, 4)


def test_a_confirmed_islamic_holiday_moved_by_an_admin_moves_the_deadline(procedures, citizen):
    procedures.procedure.processing_days = 1
    procedures.procedure.save()
    Holiday.objects.create(
        key="2026-test-eid", date=dt.date(2026, 6, 2), name="عيد", kind="islamic", is_confirmed=True
    )
    with at("2026-06-01"):  # Monday; Tuesday 2 is off
        application = submitted(procedures, citizen)
    assert application.due_date == dt.date(2026, 6, 3)


def test_the_clock_pauses_during_completion_and_the_deadline_moves_by_the_working_days_paused(
    procedures, citizen
):
    with at("2026-07-20"):  # Monday; 10 working days → Tue 4 August (Thu 30 July is off)
        application = in_instruction(procedures, citizen)
    assert application.due_date == dt.date(2026, 8, 4)
    with at("2026-07-22"):
        services.application_request_completion(
            application=application, message="Plan", actor=actor_of(procedures.instructor)
        )
    application.refresh_from_db()
    assert application.paused_since == dt.date(2026, 7, 22)
    with at("2026-08-03"):
        assert deadlines.working_days_left(application) == working_days_from_pause(application)
        services.application_complete(application=application, actor=actor_of(citizen))
    application.refresh_from_db()
    # Paused Wed 22 July → Mon 3 August: 23, 24, 27, 28, 29, 31, 3 = 7 working days.
    assert application.paused_working_days == 7
    # Tue 4 August + 7 working days: 5, 6, 7, 10, 11, 12, 13.
    assert application.due_date == dt.date(2026, 8, 13)
    assert application.paused_since is None
    event = ApplicationEvent.objects.get(application=application, kind=EventKind.COMPLETED)
    assert event.data == {"paused_working_days": 7, "due_date": "2026-08-13"}


def working_days_from_pause(application) -> int:
    from jamaati.core.workdays import working_days_between

    return working_days_between(application.paused_since, application.due_date)


def test_the_processing_time_leaves_the_pause_out(procedures, citizen):
    with at("2026-07-20"):
        application = in_instruction(procedures, citizen)
    with at("2026-07-22"):
        services.application_request_completion(
            application=application, message="Plan", actor=actor_of(procedures.instructor)
        )
    with at("2026-08-03"):
        services.application_complete(application=application, actor=actor_of(citizen))
    with at("2026-08-05"):
        services.application_decide(
            application=application,
            approved=True,
            reasons="",
            actor=actor_of(procedures.instructor),
        )
    application.refresh_from_db()
    # After 20 July up to 5 August: 21–24, 27–29, 31, 3–5 = 11 working days, 7 of them paused.
    assert application.processing_working_days == 4


def test_a_second_pause_adds_to_the_first(procedures, citizen):
    with at("2026-06-01"):
        application = in_instruction(procedures, citizen)
    due = application.due_date
    for start, end in (("2026-06-02", "2026-06-04"), ("2026-06-08", "2026-06-09")):
        with at(start):
            services.application_request_completion(
                application=application, message="X", actor=actor_of(procedures.instructor)
            )
        with at(end):
            services.application_complete(application=application, actor=actor_of(citizen))
    application.refresh_from_db()
    assert application.paused_working_days == 3
    from jamaati.core.workdays import add_working_days

    assert application.due_date == add_working_days(due, 3)


def test_overdue_applications_show_on_the_dashboard_but_paused_ones_do_not(
    procedures, citizen, org_admin
):
    procedures.procedure.processing_days = 2
    procedures.procedure.save()
    with at("2026-06-01"):
        running = submitted(procedures, citizen)
        paused = in_instruction(procedures, citizen)
        services.application_request_completion(
            application=paused, message="X", actor=actor_of(procedures.instructor)
        )
    with at("2026-06-03"):  # the deadline day itself: not overdue yet
        assert list(selectors.overdue_for_staff(user=org_admin)) == []
    with at("2026-06-04"):
        assert list(selectors.overdue_for_staff(user=org_admin)) == [running]
        paused.refresh_from_db()
        assert deadlines.is_overdue(running)
        assert not deadlines.is_overdue(paused)
        assert list(selectors.applications_for_staff(user=org_admin, overdue=True)) == [running]


def test_silence_means_approval_once_the_deadline_has_passed(procedures, citizen):
    procedures.procedure.processing_days = 2
    procedures.procedure.silence_means_approval = True
    procedures.procedure.save()
    with at("2026-06-01"):
        application = submitted(procedures, citizen)
    with at("2026-06-03"):
        assert approve_tacitly_task() == 0
    with at("2026-06-04"):
        assert approve_tacitly_task() == 1
        assert approve_tacitly_task() == 0
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.is_tacit
    event = ApplicationEvent.objects.get(application=application, kind=EventKind.TACITLY_APPROVED)
    assert event.actor is None and event.from_status == Status.SUBMITTED
    assert IssuedDocument.objects.filter(application=application, kind="decision").count() == 1
    assert application.processing_working_days == 2


def test_silence_approves_nothing_without_the_flag_or_while_the_applicant_completes(
    procedures, citizen
):
    procedures.procedure.processing_days = 2
    procedures.procedure.save()
    with at("2026-06-01"):
        plain = submitted(procedures, citizen)
    procedures.procedure.silence_means_approval = True
    procedures.procedure.save()
    with at("2026-06-01"):
        waiting = in_instruction(procedures, citizen)
        services.application_request_completion(
            application=waiting, message="X", actor=actor_of(procedures.instructor)
        )
    with at("2026-06-30"):
        assert services.applications_approve_tacitly() == 0
    plain.refresh_from_db()
    waiting.refresh_from_db()
    assert plain.status == Status.SUBMITTED
    assert waiting.status == Status.COMPLETION_REQUESTED


def test_a_decided_application_cannot_be_approved_by_silence_later(procedures, citizen):
    procedures.procedure.processing_days = 2
    procedures.procedure.silence_means_approval = True
    procedures.procedure.save()
    with at("2026-06-01"):
        application = submitted(procedures, citizen)
        services.application_decide(
            application=application,
            approved=False,
            reasons="Non",
            actor=actor_of(procedures.instructor),
        )
    with at("2026-06-30"):
        assert services.application_approve_tacitly(application=application) is False
    with pytest.raises(ValidationError):
        services.application_decide(
            application=application,
            approved=True,
            reasons="",
            actor=actor_of(procedures.instructor),
        )
