"""Every read of the audit log, scoped to who is asking."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from jamaati.audit.models import AuditEvent
from jamaati.organisations.models import Organisation
from jamaati.organisations.permissions import ADMIN_ROLES, active_memberships, is_platform_admin

if TYPE_CHECKING:
    from jamaati.accounts.models import User


def audit_organisations_for(*, user: User) -> QuerySet[Organisation]:
    """The organisations whose audit log `user` administers."""
    admin_of = active_memberships(user).filter(role__in=ADMIN_ROLES)
    return Organisation.objects.filter(pk__in=admin_of.values("organisation"))


def audit_events_for(*, user: User) -> QuerySet[AuditEvent]:
    """Platform admins see every event; an organisation admin, their organisations' events.

    Anybody else is refused: the log names staff and citizens.
    """
    events = AuditEvent.objects.select_related("actor", "membership", "organisation").order_by(
        "-created_at", "-id"
    )
    if is_platform_admin(user):
        return events
    organisation_ids = list(audit_organisations_for(user=user).values_list("pk", flat=True))
    if not organisation_ids:
        raise PermissionDenied
    return events.filter(organisation__in=organisation_ids)


def audit_events_filter(
    events: QuerySet[AuditEvent],
    *,
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    actor_query: str = "",
) -> QuerySet[AuditEvent]:
    """Narrow an already scoped set of events; dates are days in the platform's time zone."""
    if action:
        events = events.filter(action=action)
    if date_from is not None:
        start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
        events = events.filter(created_at__gte=start)
    if date_to is not None:
        end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
        events = events.filter(created_at__lt=end)
    actor_query = actor_query.strip()
    if actor_query:
        events = events.filter(
            Q(actor__username__icontains=actor_query) | Q(actor__full_name__icontains=actor_query)
        )
    return events
