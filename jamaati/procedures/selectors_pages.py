"""Small reads the e-services pages need besides `selectors.py` (same rules: scoped, read-only)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from jamaati.organisations import permissions as org_permissions
from jamaati.organisations.models import Organisation
from jamaati.procedures import permissions
from jamaati.procedures.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Channel,
    EventKind,
    Procedure,
    Status,
)


def organisations_with_procedures() -> QuerySet[Organisation]:
    """Organisations that publish at least one procedure (the catalogue's filter)."""
    published = Procedure.objects.published().filter(organisation=OuterRef("pk"))
    return (
        Organisation.objects.filter(Exists(published))
        .only("pk", "slug", "name", "name_ar", "name_fr", "name_en")
        .order_by("slug")
    )


def draft_for(*, user, procedure: Procedure) -> Application | None:
    """The user's unfinished draft of this procedure, to resume instead of starting another."""
    return (
        Application.objects.filter(applicant=user, procedure=procedure, status=Status.DRAFT)
        .order_by("-created_at")
        .first()
    )


def documents_by_field(*, application: Application) -> dict[str, list[ApplicationDocument]]:
    """The files currently given, per form field key."""
    result: dict[str, list[ApplicationDocument]] = defaultdict(list)
    for document in ApplicationDocument.objects.filter(
        application=application, replaced_at__isnull=True
    ).select_related("required_document"):
        result[document.field_key].append(document)
    return dict(result)


def application_document_for_citizen(*, application: Application, pk: int) -> ApplicationDocument:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(ApplicationDocument, application=application, pk=pk)


def latest_completion_request(*, application: Application) -> ApplicationEvent | None:
    return (
        ApplicationEvent.objects.filter(
            application=application, kind=EventKind.COMPLETION_REQUESTED
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def procedures_for_staff(*, user) -> QuerySet[Procedure]:
    """Procedures of the organisations where the user holds a reading role (filters, statistics)."""
    if org_permissions.is_platform_admin(user):
        return Procedure.objects.select_related("organisation").order_by(
            "organisation__slug", "position", "slug"
        )
    organisation_ids = {
        m.organisation_id
        for m in org_permissions.active_memberships(user)
        if m.role in permissions.READING_ROLES
    }
    return (
        Procedure.objects.filter(organisation_id__in=organisation_ids)
        .select_related("organisation")
        .order_by("organisation__slug", "position", "slug")
    )


def counter_procedures(*, user) -> QuerySet[Procedure]:
    """Published procedures filed at the counter by the organisations where the user acts."""
    organisation_ids = {
        m.organisation_id
        for m in org_permissions.active_memberships(user)
        if m.role in permissions.ACTING_ROLES
    }
    return (
        Procedure.objects.published()
        .filter(organisation_id__in=organisation_ids, channel__in=[Channel.COUNTER, Channel.BOTH])
        .select_related("organisation", "department")
        .order_by("organisation__slug", "position", "slug")
    )


def counter_procedure_get(*, user, pk: int) -> Procedure:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(counter_procedures(user=user), pk=pk)


def staff_procedure_get(*, user, pk: int) -> Procedure:
    """A procedure of one of the user's organisations (exports, statistics); 404 otherwise."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(procedures_for_staff(user=user), pk=pk)


def statistics_chart_data(figures: list[Any]) -> dict[str, Any]:
    return {
        "labels": [str(f.procedure.title) for f in figures],
        "median": [f.median_working_days for f in figures],
        "legal": [f.legal_working_days for f in figures],
    }
