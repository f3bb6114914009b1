"""The legal clock of an application, counted in working days (core.workdays).

- The clock starts at submission: the deadline is `processing_days` working days after the
  submission date (the day of submission itself is not counted).
- It pauses while the applicant is asked to complete the file (`paused_since`), and resumes
  when they complete it: the deadline moves later by the working days spent waiting.
- It stops at the decision; `processing_working_days` then records how long instruction took,
  paused days left out (the figure the statistics use).

Dates are local dates of the administration (settings.TIME_ZONE, Africa/Casablanca).
These functions change the application in memory only; services save and write history.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from jamaati.core.workdays import add_working_days, working_days_between
from jamaati.procedures.models import CLOCK_RUNNING_STATUSES, Application


def local_date(moment: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(moment or timezone.now())


def clock_start(application: Application, *, on: dt.date) -> None:
    """Start the legal clock at submission on `on`."""
    application.due_date = add_working_days(on, application.procedure.processing_days)
    application.paused_since = None
    application.paused_working_days = 0


def clock_pause(application: Application, *, on: dt.date) -> None:
    """Pause the clock (a completion is requested); pausing twice keeps the first date."""
    if application.paused_since is None:
        application.paused_since = on


def clock_resume(application: Application, *, on: dt.date) -> int:
    """Resume the clock on `on`; move the deadline by the working days paused and return them."""
    if application.paused_since is None:
        return 0
    paused = max(0, working_days_between(application.paused_since, on))
    application.paused_working_days += paused
    application.due_date = add_working_days(application.due_date, paused)
    application.paused_since = None
    return paused


def working_days_used(application: Application, *, on: dt.date | None = None) -> int:
    """Working days of instruction from submission to `on` (or to the decision), pauses left out."""
    if application.submitted_at is None:
        return 0
    start = local_date(application.submitted_at)
    end = on or (local_date(application.decided_at) if application.decided_at else local_date())
    if application.paused_since is not None and application.paused_since < end:
        end_running = application.paused_since
    else:
        end_running = end
    return max(0, working_days_between(start, end_running) - application.paused_working_days)


def clock_stop(application: Application, *, on: dt.date) -> None:
    """Stop the clock at the decision and record the processing time in working days."""
    if application.paused_since is not None:
        clock_resume(application, on=on)
    application.processing_working_days = working_days_used(application, on=on)


def working_days_left(application: Application, *, on: dt.date | None = None) -> int | None:
    """Working days until the deadline (negative when overdue); None before submission."""
    if application.due_date is None:
        return None
    today = on or local_date()
    if application.paused_since is not None:
        # Paused: the days left are frozen at the pause.
        today = application.paused_since
    return working_days_between(today, application.due_date)


def is_overdue(application: Application, *, on: dt.date | None = None) -> bool:
    """Whether the clock runs and the deadline has passed."""
    today = on or local_date()
    return (
        application.status in CLOCK_RUNNING_STATUSES
        and application.due_date is not None
        and application.due_date < today
    )


def overdue_applications(
    queryset: QuerySet[Application], *, on: dt.date | None = None
) -> QuerySet[Application]:
    """The applications of `queryset` whose running clock has passed its deadline, oldest first.

    Paused applications (waiting for the applicant) are never overdue. Scope the queryset
    first (selectors.applications_for_staff) for a dashboard.
    """
    today = on or local_date()
    return queryset.filter(status__in=CLOCK_RUNNING_STATUSES, due_date__lt=today).order_by(
        "due_date", "pk"
    )


def tacit_approval_due(*, on: dt.date | None = None) -> QuerySet[Application]:
    """Applications filed under a silence-means-approval rule whose deadline passed undecided."""
    from jamaati.procedures.workflow import TACIT_APPROVAL_FROM

    today = on or local_date()
    return Application.objects.filter(
        silence_means_approval=True,
        status__in=TACIT_APPROVAL_FROM,
        due_date__lt=today,
    ).order_by("due_date", "pk")
