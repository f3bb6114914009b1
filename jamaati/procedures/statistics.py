"""Statistics per procedure: volume, decisions, median processing time against the legal delay,
and the share decided within the deadline.

Counts are one SQL aggregation over the applications (grouped by procedure). The median uses
`processing_working_days`, written at each decision by the deadline clock (pauses left out):
it is read in one query and computed in Python, because SQLite has no median and the same
figures must come out of both back-ends.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystatistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from jamaati.procedures.models import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    Application,
    Procedure,
    Status,
)


@dataclass(frozen=True)
class ProcedureStatistics:
    procedure: Procedure
    volume: int  # submitted applications
    open: int
    decided: int
    approved: int
    refused: int
    tacit: int
    within_deadline: int
    median_working_days: float | None

    @property
    def legal_working_days(self) -> int:
        return self.procedure.processing_days

    @property
    def share_within_deadline(self) -> float | None:
        """Decisions taken by the deadline, out of all decisions (None before any decision)."""
        return self.within_deadline / self.decided if self.decided else None

    @property
    def median_against_legal(self) -> float | None:
        """The median processing time as a share of the legal delay (1.0 = exactly the delay)."""
        if self.median_working_days is None:
            return None
        return self.median_working_days / self.procedure.processing_days


def procedure_statistics(
    *,
    procedures: QuerySet[Procedure],
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[ProcedureStatistics]:
    """The figures of each procedure, for applications submitted between `since` and `until`."""
    applications = Application.objects.submitted().filter(procedure__in=procedures)
    if since is not None:
        applications = applications.filter(submitted_at__date__gte=since)
    if until is not None:
        applications = applications.filter(submitted_at__date__lte=until)
    decided = Q(status__in=DECIDED_STATUSES)
    rows = (
        applications.order_by()
        .annotate(decided_on=TruncDate("decided_at", tzinfo=timezone.get_current_timezone()))
        .values("procedure")
        .annotate(
            volume=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            decided=Count("pk", filter=decided),
            approved=Count("pk", filter=Q(status=Status.APPROVED)),
            refused=Count("pk", filter=Q(status=Status.REFUSED)),
            tacit=Count("pk", filter=Q(is_tacit=True)),
            within=Count("pk", filter=decided & Q(decided_on__lte=F("due_date"))),
        )
    )
    by_procedure = {row["procedure"]: row for row in rows}
    durations: dict[int, list[int]] = defaultdict(list)
    for procedure_id, days in applications.filter(
        decided, processing_working_days__isnull=False
    ).values_list("procedure", "processing_working_days"):
        durations[procedure_id].append(days)
    result = []
    for procedure in procedures.order_by("organisation__slug", "position", "slug"):
        row = by_procedure.get(procedure.pk, {})
        values = durations.get(procedure.pk)
        result.append(
            ProcedureStatistics(
                procedure=procedure,
                volume=row.get("volume", 0),
                open=row.get("open", 0),
                decided=row.get("decided", 0),
                approved=row.get("approved", 0),
                refused=row.get("refused", 0),
                tacit=row.get("tacit", 0),
                within_deadline=row.get("within", 0),
                median_working_days=float(pystatistics.median(values)) if values else None,
            )
        )
    return result
