"""Reads for Open311: jurisdictions, their services, and their requests with no personal data.

A page of requests costs one query whatever its size (the jurisdiction, its categories and
the names of organisations and communes come from the per-process catalogue): the
jurisdiction's requests, read newest first from its index, with the latest public status
note and the first approved photo as subqueries. Pages are cut with LIMIT/OFFSET and one
row more than asked, so no COUNT over the table is ever run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from jamaati.organisations.models import Organisation
from jamaati.servicerequests import catalogue
from jamaati.servicerequests.models import (
    Category,
    EventKind,
    ServiceRequest,
    ServiceRequestEvent,
    ServiceRequestPhoto,
)
from jamaati.territories.models import Level, Territory

# Columns an Open311 answer may show: never the reporter or their contact details. Rows are
# read as dicts: building model instances (with their translated fields) cost more than the SQL.
# The names of the handling organisation and of the commune come from the catalogue, not joins.
OPEN311_FIELDS = (
    "reference",
    "category_id",
    "description",
    "latitude",
    "longitude",
    "address",
    "status",
    "created_at",
    "updated_at",
    "due_resolve_at",
    "organisation_id",
    "commune_id",
    "open311_status_note",
    "open311_photo",
)
# Timeline lines whose text explains the current status.
_STATUS_NOTE_KINDS = (EventKind.STATUS_CHANGED, EventKind.PUBLIC_UPDATE, EventKind.REOPENED)


def jurisdiction_get(*, slug: str) -> Organisation | None:
    """The active organisation whose slug is this jurisdiction_id (cached: see catalogue)."""
    return catalogue.jurisdiction_get(slug=slug)


def services_of(*, organisation: Organisation) -> list[Category]:
    """The categories the organisation takes reports in, with their questions (cached)."""
    return list(
        catalogue.organisation_categories(organisation_id=organisation.pk).active_by_code.values()
    )


def service_get(*, organisation: Organisation, code: str) -> Category | None:
    """The active category with this service_code, with its questions (cached)."""
    return catalogue.organisation_categories(organisation_id=organisation.pk).active_by_code.get(
        code
    )


def jurisdiction_categories(*, organisation: Organisation) -> dict[int, Category]:
    """Every category of the organisation, inactive ones too: their old requests stay readable."""
    return catalogue.organisation_categories(organisation_id=organisation.pk).by_pk


@functools.cache
def _public_rows() -> QuerySet:
    """Every request as OPEN311_FIELDS rows: built once per process, never evaluated itself.

    Building the two subqueries costs about a millisecond, most of a page's query building;
    each caller filters this template, and filtering a queryset clones it.
    """
    status_note = (
        ServiceRequestEvent.objects.filter(
            service_request=OuterRef("pk"), is_public=True, kind__in=_STATUS_NOTE_KINDS
        )
        .exclude(body="")
        .order_by("-created_at", "-id")
        .values("body")[:1]
    )
    public_photo = (
        ServiceRequestPhoto.objects.filter(service_request=OuterRef("pk"), is_public=True)
        .order_by("created_at", "id")
        .values("file")[:1]
    )
    return ServiceRequest.objects.annotate(
        open311_status_note=Subquery(status_note), open311_photo=Subquery(public_photo)
    ).values(*OPEN311_FIELDS)


def _requests(*, organisation_id: int) -> QuerySet:
    return _public_rows().filter(jurisdiction_id=organisation_id)


@dataclass(frozen=True)
class RequestPage:
    requests: list[dict[str, Any]]
    has_next: bool


def requests_page(
    *,
    organisation_id: int,
    references: list[str] | None = None,
    category_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    statuses: list[str] | None = None,
    page: int = 1,
    page_size: int = 100,
) -> RequestPage:
    """One page of a jurisdiction's requests, newest first; `references` overrides every filter.

    Newest first within a jurisdiction is the order of the `servicerequest_jurisdiction` index
    (and of its partial twins for the open and the closed statuses): PostgreSQL reads a page
    and stops.
    """
    queryset = _requests(organisation_id=organisation_id)
    if references is not None:
        queryset = queryset.filter(reference__in=references)
    else:
        if category_id is not None:
            queryset = queryset.filter(category_id=category_id)
        if since is not None:
            queryset = queryset.filter(created_at__gte=since)
        if until is not None:
            queryset = queryset.filter(created_at__lte=until)
        if statuses is not None:
            queryset = queryset.filter(status__in=statuses)
    start = (page - 1) * page_size
    rows = list(queryset.order_by("-created_at", "-id")[start : start + page_size + 1])
    return RequestPage(rows[:page_size], len(rows) > page_size)


def request_get(*, organisation_id: int, reference: str) -> dict[str, Any] | None:
    return _requests(organisation_id=organisation_id).filter(reference=reference).first()


def request_reference_exists(*, organisation_id: int, reference: str) -> bool:
    return ServiceRequest.objects.filter(
        jurisdiction_id=organisation_id, reference=reference
    ).exists()


def commune_by_code(*, code: str) -> Territory | None:
    """The commune or arrondissement with this HCP code (the `commune_code` extension)."""
    return Territory.objects.filter(
        code=code, level__in=(Level.COMMUNE, Level.ARRONDISSEMENT)
    ).first()
