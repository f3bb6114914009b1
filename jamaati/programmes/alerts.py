"""Alerts on projects: a late milestone, or money and works drifting apart.

- Late milestone: its planned date has passed and it has no actual date.
- Spending ahead of works: financial progress (expenditure ÷ total cost) exceeds physical
  progress by more than `PROGRAMMES_PROGRESS_GAP` percentage points (default 15).
- Works ahead of spending: physical progress exceeds financial progress by more than the gap
  (unpaid contractors, or expenditures not recorded).
Neither gap alert applies to a project at identification, cancelled, or with no total cost.

The SQL form (`with_alerts`) compares without dividing, `spent × 100 − progress × cost >
gap × cost`, so it is exact on PostgreSQL and never hits integer division on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaati.programmes.models import (
    Milestone,
    Project,
    ProjectTransaction,
    Status,
    TransactionKind,
)
from jamaati.programmes.money import percent

DEFAULT_PROGRESS_GAP = Decimal("15")
# Statuses where money and works are compared.
GAP_STATUSES = (
    Status.STUDIES,
    Status.TENDERING,
    Status.WORKS,
    Status.PROVISIONAL_RECEPTION,
    Status.COMPLETED,
    Status.SUSPENDED,
)

MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)
WIDE_FIELD = DecimalField(max_digits=24, decimal_places=4)


def progress_gap() -> Decimal:
    """The allowed gap between financial and physical progress, in percentage points."""
    return Decimal(str(getattr(settings, "PROGRAMMES_PROGRESS_GAP", DEFAULT_PROGRESS_GAP)))


class AlertKind:
    LATE_MILESTONE = "late_milestone"
    SPENDING_AHEAD = "spending_ahead"
    WORKS_AHEAD = "works_ahead"


@dataclass(frozen=True)
class Alert:
    kind: str
    message: str
    project_id: int
    milestone_id: int | None = None
    planned_date: date | None = None
    gap: Decimal | None = None


def spent_subquery(kind: str = TransactionKind.EXPENDITURE):
    """The sum of a project's transactions of one kind, for `.annotate()` (0 when none)."""
    from django.db.models import Subquery

    rows = (
        ProjectTransaction.objects.filter(project=OuterRef("pk"), kind=kind)
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(
        Subquery(rows, output_field=MONEY_FIELD), Value(Decimal("0.00")), output_field=MONEY_FIELD
    )


def with_alerts(projects: QuerySet[Project], *, today: date | None = None) -> QuerySet[Project]:
    """Annotate `spent`, `has_late_milestone`, `spending_ahead` and `works_ahead` in SQL."""
    today = today or timezone.localdate()
    gap = progress_gap()
    late = Milestone.objects.filter(
        project=OuterRef("pk"), planned_date__lt=today, actual_date__isnull=True
    )
    projects = projects.annotate(spent=spent_subquery())
    difference = ExpressionWrapper(
        F("spent") * Value(Decimal("100")) - F("physical_progress") * F("total_cost"),
        output_field=WIDE_FIELD,
    )
    allowed = ExpressionWrapper(F("total_cost") * Value(gap), output_field=WIDE_FIELD)
    comparable = Q(total_cost__gt=0, status__in=GAP_STATUSES)
    return projects.annotate(
        has_late_milestone=Exists(late),
        money_gap=difference,
        allowed_gap=allowed,
    ).annotate(
        spending_ahead=Case(
            When(comparable & Q(money_gap__gt=F("allowed_gap")), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        works_ahead=Case(
            When(comparable & Q(money_gap__lt=-F("allowed_gap")), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def alerting(projects: QuerySet[Project], *, today: date | None = None) -> QuerySet[Project]:
    """Only the projects with at least one alert (annotated as in `with_alerts`)."""
    return with_alerts(projects, today=today).filter(
        Q(has_late_milestone=True) | Q(spending_ahead=True) | Q(works_ahead=True)
    )


def project_alerts(project: Project, *, today: date | None = None) -> list[Alert]:
    """Every alert of one project, with exact figures, for its page."""
    today = today or timezone.localdate()
    alerts: list[Alert] = []
    for milestone in Milestone.objects.filter(project=project).late(today=today):
        alerts.append(
            Alert(
                kind=AlertKind.LATE_MILESTONE,
                message=_("The milestone “%(title)s” was due on %(date)s and is not met.")
                % {"title": milestone.title, "date": milestone.planned_date.isoformat()},
                project_id=project.pk,
                milestone_id=milestone.pk,
                planned_date=milestone.planned_date,
            )
        )
    if project.status not in GAP_STATUSES or not project.total_cost:
        return alerts
    spent = ProjectTransaction.objects.filter(
        project=project, kind=TransactionKind.EXPENDITURE
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    financial = percent(spent, project.total_cost)
    difference = financial - project.physical_progress
    gap = progress_gap()
    if difference > gap:
        alerts.append(
            Alert(
                kind=AlertKind.SPENDING_AHEAD,
                message=_(
                    "Spending is ahead of the works by %(gap)s points "
                    "(financial %(financial)s %%, physical %(physical)s %%)."
                )
                % _figures(difference, financial, project.physical_progress),
                project_id=project.pk,
                gap=difference,
            )
        )
    elif -difference > gap:
        alerts.append(
            Alert(
                kind=AlertKind.WORKS_AHEAD,
                message=_(
                    "The works are ahead of spending by %(gap)s points "
                    "(financial %(financial)s %%, physical %(physical)s %%)."
                )
                % _figures(-difference, financial, project.physical_progress),
                project_id=project.pk,
                gap=-difference,
            )
        )
    return alerts


def _figures(gap: Decimal, financial: Decimal, physical: Decimal) -> dict[str, str]:
    from jamaati.programmes.money import percent_display

    return {
        "gap": str(percent_display(gap)),
        "financial": str(percent_display(financial)),
        "physical": str(percent_display(physical)),
    }
