"""Every read of service requests: public (no personal data), the reporter's own, and staff (scoped)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jamaati.core.refcodes import refcode_normalise
from jamaati.organisations.models import Membership
from jamaati.organisations.selectors import organisations_covering, staff_get, staff_scope
from jamaati.servicerequests.models import (
    OPEN_STATUSES,
    Category,
    ServiceRequest,
    ServiceRequestEvent,
    Status,
)
from jamaati.territories.models import Territory

# Fields a public page or answer may show: never the reporter or their contact details.
PUBLIC_FIELDS = (
    "id",
    "reference",
    "category_id",
    "organisation_id",
    "territory_id",
    "commune_id",
    "description",
    "latitude",
    "longitude",
    "address",
    "status",
    "created_at",
    "updated_at",
    "resolved_at",
    "supporters_count",
    "duplicate_of_id",
    "is_anonymous",
    "channel",
)
DUPLICATE_RADIUS_METRES = 150
_METRES_PER_DEGREE_LAT = 111_320.0


def categories_for_place(*, territory: Territory) -> QuerySet[Category]:
    """The categories a citizen may choose at a place: those of the organisations covering it."""
    organisations = organisations_covering(territory=territory)
    return (
        Category.objects.filter(is_active=True, organisation__in=organisations)
        .select_related("organisation")
        .prefetch_related("questions")
        .order_by("group", "position", "code")
    )


def categories_of(*, organisation_id: int) -> QuerySet[Category]:
    return Category.objects.filter(
        organisation_id=organisation_id, is_active=True
    ).prefetch_related("questions")


def public_requests() -> QuerySet[ServiceRequest]:
    """Requests as the public sees them: no personal field is even loaded."""
    return ServiceRequest.objects.only(*PUBLIC_FIELDS).select_related(
        "category", "commune", "organisation"
    )


def servicerequest_get_public(*, reference: str) -> ServiceRequest:
    return get_object_or_404(public_requests(), reference=refcode_normalise(reference))


def public_timeline(*, service_request: ServiceRequest) -> QuerySet[ServiceRequestEvent]:
    return (
        service_request.events.filter(is_public=True)
        .select_related("organisation")
        .order_by("created_at", "id")
    )


def public_photos(*, service_request: ServiceRequest):
    return service_request.photos.filter(is_public=True)


def _bbox(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    dlat = metres / _METRES_PER_DEGREE_LAT
    dlon = metres / (_METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), good to a metre at these scales."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Nearby:
    service_request: ServiceRequest
    distance: float


def nearby_open_requests(
    *,
    category: Category,
    latitude: float,
    longitude: float,
    radius: float = DUPLICATE_RADIUS_METRES,
    limit: int = 5,
) -> list[Nearby]:
    """Open requests of the same category within `radius` metres: bounding box in SQL, then true distance."""
    south, north, west, east = _bbox(latitude, longitude, radius)
    candidates = public_requests().filter(
        category=category,
        status__in=OPEN_STATUSES,
        latitude__gte=south,
        latitude__lte=north,
        longitude__gte=west,
        longitude__lte=east,
    )[:200]
    found = [
        Nearby(sr, distance_metres(latitude, longitude, sr.latitude, sr.longitude))
        for sr in candidates
    ]
    return sorted((n for n in found if n.distance <= radius), key=lambda n: n.distance)[:limit]


def public_map_requests(
    *,
    south: float,
    west: float,
    north: float,
    east: float,
    statuses: list[str] | None = None,
    category_id: int | None = None,
    commune: Territory | None = None,
    limit: int = 500,
) -> QuerySet[ServiceRequest]:
    queryset = public_requests().filter(
        latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
    )
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if category_id:
        queryset = queryset.filter(category_id=category_id)
    if commune is not None:
        queryset = queryset.filter(commune=commune)
    return queryset.order_by("-created_at")[:limit]


def requests_of_citizen(*, user) -> QuerySet[ServiceRequest]:
    return (
        ServiceRequest.objects.filter(reporter=user)
        .select_related("category", "commune")
        .order_by("-created_at")
    )


# --- Staff -------------------------------------------------------------------------------------


def staff_queue(
    *,
    user,
    statuses: list[str] | None = None,
    category_id: int | None = None,
    department_id: int | None = None,
    overdue: bool = False,
    territory: Territory | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[ServiceRequest]:
    """The requests a staff member may see, filtered; an outsider gets an empty queue."""
    queryset = ServiceRequest.objects.filter(
        staff_scope(user=user, model=ServiceRequest)
    ).select_related(
        "category", "territory", "commune", "organisation", "department", "assigned_to"
    )
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if category_id:
        queryset = queryset.filter(category_id=category_id)
    if department_id:
        queryset = queryset.filter(department_id=department_id)
    if territory is not None:
        queryset = queryset.filter(territory__in=Territory.objects.within(territory))
    if since is not None:
        queryset = queryset.filter(created_at__gte=since)
    if until is not None:
        queryset = queryset.filter(created_at__lt=until)
    if overdue:
        now = timezone.now()
        queryset = queryset.filter(status__in=OPEN_STATUSES).filter(
            Q(status=Status.NEW, due_acknowledge_at__lt=now) | Q(due_resolve_at__lt=now)
        )
    return queryset.order_by("-created_at", "-id")


def servicerequest_get_for_staff(
    *, user, pk: int, write: bool = False
) -> tuple[ServiceRequest, Membership]:
    """One request for staff, with the membership granting access; 404 for an outsider."""
    queryset = ServiceRequest.objects.select_related(
        "category", "territory", "commune", "organisation", "department", "assigned_to", "reporter"
    )
    return staff_get(user=user, queryset=queryset, pk=pk, write=write)


def staff_timeline(*, service_request: ServiceRequest) -> QuerySet[ServiceRequestEvent]:
    return service_request.events.select_related("actor", "organisation").order_by(
        "created_at", "id"
    )
