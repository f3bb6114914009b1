"""Every read of service requests: public (no personal data), the reporter's own, and staff (scoped)."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jamaati.core.refcodes import refcode_normalise
from jamaati.organisations import permissions
from jamaati.organisations.models import Membership, Referral
from jamaati.organisations.selectors import organisations_covering, staff_get, staff_scope
from jamaati.servicerequests.models import (
    OPEN_STATUSES,
    Category,
    Follower,
    ServiceRequest,
    ServiceRequestEvent,
    Status,
)
from jamaati.territories.models import Level, Territory

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


# What a marker of the public map needs: nothing personal, no join.
MAP_FIELDS = ("reference", "category_id", "latitude", "longitude", "status")


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
) -> QuerySet:
    """The newest requests in a box, as dicts of MAP_FIELDS (category names: catalogue)."""
    queryset = ServiceRequest.objects.filter(
        latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
    )
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if category_id:
        queryset = queryset.filter(category_id=category_id)
    if commune is not None:
        queryset = queryset.filter(commune=commune)
    return queryset.order_by("-created_at").values(*MAP_FIELDS)[:limit]


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
    # The related rows come in one small query each: joining six tables made planning the
    # page's query cost more than running it.
    queryset = ServiceRequest.objects.filter(
        staff_scope(user=user, model=ServiceRequest)
    ).prefetch_related(
        "category",
        Prefetch("territory", queryset=Territory.objects.defer("boundary_wkb", "search_text")),
        Prefetch("commune", queryset=Territory.objects.defer("boundary_wkb", "search_text")),
        "organisation",
        "department",
        "assigned_to",
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


# --- JSON API: keyset pages and staff tokens ---------------------------------------------------
# Added for jamaati/servicerequests/api.py. A page is fetched by keyset (created_at, id), never
# with OFFSET or a COUNT(*) over the table, so page 1,000 costs what page 1 costs.

PAGE_SIZE_MAX = 100


@dataclass(frozen=True)
class Page:
    items: list[ServiceRequest]
    # The (created_at, id) of the last item when more follow, else None.
    next_after: tuple[datetime, int] | None


def keyset_page(
    queryset: QuerySet[ServiceRequest], *, after: tuple[datetime, int] | None, limit: int
) -> Page:
    """Newest first, the `limit` requests after the cursor `after` (one query, limit + 1 rows)."""
    limit = max(1, min(limit, PAGE_SIZE_MAX))
    if after is not None:
        created_at, pk = after
        queryset = queryset.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)
        )
    rows = list(queryset.order_by("-created_at", "-id")[: limit + 1])
    if len(rows) <= limit:
        return Page(rows, None)
    last = rows[limit - 1]
    return Page(rows[:limit], (last.created_at, last.pk))


def public_requests_filtered(
    *,
    statuses: list[str] | None = None,
    category_code: str = "",
    organisation_slug: str = "",
    commune: Territory | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> QuerySet[ServiceRequest]:
    """Public requests (no personal field loaded) by status, category code, organisation, commune, bbox.

    `bbox` is (min_lon, min_lat, max_lon, max_lat). Only public fields and the related names
    are loaded: never a commune's polygon per row.
    """
    queryset = public_requests().only(
        *PUBLIC_FIELDS, *_public_related_fields(), "organisation__slug"
    )
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if category_code:
        queryset = queryset.filter(category__code=category_code)
    if organisation_slug:
        queryset = queryset.filter(organisation__slug=organisation_slug)
    if commune is not None:
        queryset = queryset.filter(commune=commune)
    if bbox is not None:
        west, south, east, north = bbox
        queryset = queryset.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    return queryset


def _membership_scope(membership: Membership) -> Q:
    """What one membership may see: its organisation's requests in its area, and those referred to it."""
    condition = Q(organisation_id=membership.organisation_id)
    if membership.territories.exists():
        condition &= Q(territory__in=permissions.membership_territories(membership))
    referred = Referral.objects.filter(
        organisation_id=membership.organisation_id,
        content_type=ContentType.objects.get_for_model(ServiceRequest),
        revoked_at__isnull=True,
    ).values_list("object_id", flat=True)
    return condition | Q(pk__in=[int(pk) for pk in referred if pk.isdigit()])


def staff_queue_as(*, user, membership: Membership | None, **filters) -> QuerySet[ServiceRequest]:
    """`staff_queue`, narrowed to one membership when a staff token acts as one."""
    queryset = staff_queue(user=user, **filters)
    if membership is not None:
        if membership.role not in permissions.READING_ROLES:
            return queryset.none()
        queryset = queryset.filter(_membership_scope(membership))
    return queryset


def servicerequest_get_for_staff_as(
    *, user, membership: Membership | None, pk: int, write: bool = False
) -> tuple[ServiceRequest, Membership]:
    """`servicerequest_get_for_staff`, and 404 too when the token's membership does not reach it."""
    service_request, granting = servicerequest_get_for_staff(user=user, pk=pk, write=write)
    if membership is None or granting.pk == membership.pk:
        return service_request, granting
    roles = permissions.ACTING_ROLES if write else permissions.READING_ROLES
    if (
        membership.role not in roles
        or not ServiceRequest.objects.filter(_membership_scope(membership), pk=pk).exists()
    ):
        raise Http404
    return service_request, membership


# --- Citizen pages: the public list, nearby reports, per-commune statistics ---------------------


def _public_related_fields() -> list[str]:
    languages = [code for code, _name in settings.LANGUAGES]
    fields = ["category__group", "category__code", "commune__code"]
    for relation in ("category", "commune", "organisation"):
        fields += [f"{relation}__id", f"{relation}__name"]
        fields += [f"{relation}__name_{language}" for language in languages]
    return fields


def public_lean(queryset: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """Load only the public fields and the related names: never a commune's polygon per row."""
    return queryset.only(*PUBLIC_FIELDS, *_public_related_fields())


def public_list(
    *,
    statuses: list[str] | None = None,
    category_id: int | None = None,
    commune: Territory | None = None,
) -> QuerySet[ServiceRequest]:
    """The public list of requests, newest first; no personal field is loaded, nor any polygon."""
    queryset = public_lean(public_requests())
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if category_id:
        queryset = queryset.filter(category_id=category_id)
    if commune is not None:
        queryset = queryset.filter(commune=commune)
    return queryset.order_by("-created_at", "-id")


def public_categories(*, commune: Territory | None = None) -> QuerySet[Category]:
    """The categories a public filter offers: those of a commune, or every active one."""
    if commune is not None:
        return categories_for_place(territory=commune)
    return (
        Category.objects.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("group", "position", "code", "organisation_id")
    )


def nearby_open_requests_of(
    *,
    categories: list[Category],
    latitude: float,
    longitude: float,
    radius: float = DUPLICATE_RADIUS_METRES,
    limit: int = 5,
) -> list[Nearby]:
    """Open requests of any of `categories` within `radius` metres, in one query (before a category is chosen)."""
    if not categories:
        return []
    south, north, west, east = _bbox(latitude, longitude, radius)
    candidates = public_requests().filter(
        category__in=categories,
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


def communes_for_reports(*, limit: int = 300) -> list[Territory]:
    """Communes where some organisation takes reports, by name: the no-JavaScript place list.

    Empty when there are more than `limit` (a region-wide installation): the search is then the way.
    """
    from jamaati.organisations.models import Organisation

    organisation_territories = Organisation.territories.through.objects.filter(
        organisation__is_active=True,
        organisation__request_categories__is_active=True,
    ).values_list("territory_id", flat=True)
    areas = Territory.objects.filter(pk__in=organisation_territories).only(
        "id", "level", "region_id", "province_id", "commune_id"
    )
    condition = Q(pk__in=[])
    for area in areas:
        condition |= Q(pk=area.pk)
        if area.level == Level.REGION:
            condition |= Q(region_id=area.pk)
        elif area.level == Level.PROVINCE:
            condition |= Q(province_id=area.pk)
        elif area.level == Level.CERCLE:
            condition |= Q(cercle_id=area.pk)
    communes = (
        Territory.objects.filter(condition, level=Level.COMMUNE)
        .defer("boundary_wkb", "search_text")
        .select_related("province")
        .defer("province__boundary_wkb", "province__search_text")
        .order_by("name", "code")[: limit + 1]
    )
    communes = list(communes)
    return [] if len(communes) > limit else communes


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class CategoryStatistics:
    category: Category
    total: int
    resolved: int
    within_target: int
    median_resolve: timedelta | None

    @property
    def share_within_target(self) -> float | None:
        return self.within_target / self.resolved if self.resolved else None


@dataclass(frozen=True)
class CommuneStatistics:
    commune: Territory
    total: int
    by_status: list[StatusCount]
    by_category: list[CategoryStatistics]
    resolved: int
    within_target: int
    median_resolve: timedelta | None

    @property
    def share_within_target(self) -> float | None:
        return self.within_target / self.resolved if self.resolved else None


def _median(values: list[float]) -> timedelta | None:
    return timedelta(seconds=statistics.median(values)) if values else None


# How long a request took to resolve.
_TIME_TO_RESOLVE = ExpressionWrapper(
    F("resolved_at") - F("created_at"), output_field=DurationField()
)


class _Median(Aggregate):
    """The median of a duration, computed by PostgreSQL (interpolated, like statistics.median)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _resolution_aggregates(*, in_sql: bool) -> dict[str, Any]:
    resolved = Q(resolved_at__isnull=False)
    # Count the commune (never null), not the id: the id is not in the covering index, and
    # counting it would send PostgreSQL to the table for every row.
    aggregates: dict[str, Any] = {
        "total": Count("commune"),
        "resolved": Count("commune", filter=resolved),
        "within": Count(
            "commune",
            filter=resolved & Q(resolved_at__lte=F("created_at") + F("category__target_resolve")),
        ),
        # The counts by status ride on the same scan.
        **{
            f"status_{status.value}": Count("commune", filter=Q(status=status.value))
            for status in Status
        },
    }
    if in_sql:
        aggregates["median"] = _Median(
            _TIME_TO_RESOLVE,
            filter=resolved,
        )
    return aggregates


def _medians_in_python(
    rows: QuerySet[ServiceRequest],
) -> tuple[dict[int, timedelta | None], timedelta | None]:
    durations: dict[int, list[float]] = {}
    for category_id, created_at, resolved_at in (
        rows.filter(resolved_at__isnull=False)
        .order_by()
        .values_list("category_id", "created_at", "resolved_at")
    ):
        durations.setdefault(category_id, []).append((resolved_at - created_at).total_seconds())
    every = [d for values in durations.values() for d in values]
    return {pk: _median(values) for pk, values in durations.items()}, _median(every)


def commune_statistics(*, commune: Territory) -> CommuneStatistics:
    """Counts by status and category, median time to resolve, share resolved within the target.

    Aggregated in the database over the commune's rows: one row per category (total, counts
    by status, resolved, resolved within the category's target, median time to resolve), then
    the commune's overall median. Both read only a covering index on PostgreSQL
    (`servicerequest_commune_stats`). PostgreSQL takes the medians itself
    (`percentile_cont`); SQLite has no such aggregate, so there the resolved durations are
    read and the medians taken in Python (same interpolation).
    """
    in_sql = connection.vendor == "postgresql"
    rows = ServiceRequest.objects.filter(commune=commune).order_by()
    per_category = list(
        rows.values("category_id").annotate(**_resolution_aggregates(in_sql=in_sql))
    )
    status_counts = {
        status.value: sum(row[f"status_{status.value}"] for row in per_category)
        for status in Status
    }
    if in_sql:
        medians = {row["category_id"]: row["median"] for row in per_category}
        overall_median = rows.aggregate(
            median=_Median(
                _TIME_TO_RESOLVE,
                filter=Q(resolved_at__isnull=False),
            )
        )["median"]
    else:
        medians, overall_median = _medians_in_python(rows)
    categories = Category.objects.in_bulk([row["category_id"] for row in per_category])
    by_category = sorted(
        (
            CategoryStatistics(
                category=categories[row["category_id"]],
                total=row["total"],
                resolved=row["resolved"],
                within_target=row["within"],
                median_resolve=medians.get(row["category_id"]),
            )
            for row in per_category
            if row["category_id"] in categories
        ),
        key=lambda c: (-c.total, c.category.name),
    )
    return CommuneStatistics(
        commune=commune,
        total=sum(status_counts.values()),
        by_status=[
            StatusCount(
                status=status.value,
                label=str(status.label),
                count=status_counts.get(status.value, 0),
            )
            for status in Status
        ],
        by_category=by_category,
        resolved=sum(row["resolved"] for row in per_category),
        within_target=sum(row["within"] for row in per_category),
        median_resolve=overall_median,
    )


def follows_of_citizen(*, user) -> QuerySet[Follower]:
    """The reports a citizen follows or supports through their account ("My data")."""
    return (
        Follower.objects.filter(user=user)
        .select_related("service_request")
        .only("is_supporter", "notify", "created_at", "service_request__reference")
        .order_by("-created_at")
    )


# --- Import ------------------------------------------------------------------------------------------


def imported_external_ids(*, source: str) -> set[str]:
    """The external ids already imported from `source`: importing a file again skips them."""
    return set(
        ServiceRequest.objects.filter(source=source)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
