"""Reads of the staff workspace for service requests: queue order, map points, form choices.

The scoping itself lives in `selectors.staff_queue` and `selectors.servicerequest_get_for_staff`;
these helpers only shape what those return, or list the choices a staff form offers.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jamaati.accounts.models import User
from jamaati.core.refcodes import refcode_normalise
from jamaati.organisations import permissions
from jamaati.organisations.models import Department, Membership, Organisation, Referral
from jamaati.organisations.selectors import organisations_covering
from jamaati.servicerequests.models import (
    OPEN_STATUSES,
    Category,
    ResponseTemplate,
    ServiceRequest,
    ServiceRequestPhoto,
    Status,
)
from jamaati.servicerequests.selectors import Nearby, nearby_open_requests
from jamaati.territories.models import Level, Territory

# Territory columns never loaded for a filter list: the polygon and the search index.
_TERRITORY_HEAVY = ("boundary_wkb", "search_text")


def with_overdue_flag(queryset: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """Annotate `is_overdue`: open and past the deadline that applies to its status."""
    now = timezone.now()
    late = Q(status__in=OPEN_STATUSES) & (
        Q(status=Status.NEW, due_acknowledge_at__lt=now) | Q(due_resolve_at__lt=now)
    )
    return queryset.annotate(
        is_overdue=Case(
            When(late, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def servicerequest_is_overdue(service_request: ServiceRequest) -> bool:
    """The same rule as `with_overdue_flag`, for one request already loaded."""
    if service_request.status not in OPEN_STATUSES:
        return False
    now = timezone.now()
    if service_request.status == Status.NEW and service_request.due_acknowledge_at < now:
        return True
    return service_request.due_resolve_at < now


def staff_queue_ordered(queryset: QuerySet[ServiceRequest], *, user) -> QuerySet[ServiceRequest]:
    """The queue's order: the staff member's own departments first, then the newest.

    The places' polygons and search text are left in the database: a row shows names only.
    """
    department_ids = [
        m.department_id for m in permissions.active_memberships(user) if m.department_id
    ]
    mine = Case(
        When(department_id__in=department_ids, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    heavy = [
        f"{place}__{field}" for place in ("territory", "commune") for field in _TERRITORY_HEAVY
    ]
    return queryset.defer(*heavy).order_by(mine, "-created_at", "-id")


def staff_queue_map_points(
    queryset: QuerySet[ServiceRequest], *, limit: int = 2000
) -> QuerySet[ServiceRequest]:
    """The placed requests of a (filtered) queue, with only what a map marker needs."""
    return (
        with_overdue_flag(queryset.filter(latitude__isnull=False, longitude__isnull=False))
        .select_related(None)
        .only(
            "id",
            "reference",
            "status",
            "latitude",
            "longitude",
            "created_at",
            "category__id",
            "category__name_ar",
            "category__name_fr",
            "category__name_en",
            "category__name_zgh",
            "category__name",
        )
        .select_related("category")[:limit]
    )


def staff_organisation_ids(*, user) -> list[int]:
    """The organisations where the user holds a reading role."""
    return sorted(
        {
            m.organisation_id
            for m in permissions.active_memberships(user)
            if m.role in permissions.READING_ROLES
        }
    )


def staff_filter_categories(*, user) -> QuerySet[Category]:
    """Categories a staff member may filter on: their organisations' own, and those routed to them."""
    if permissions.is_platform_admin(user):
        return Category.objects.select_related("organisation").order_by("organisation", "code")
    organisation_ids = staff_organisation_ids(user=user)
    return (
        Category.objects.filter(
            Q(organisation_id__in=organisation_ids)
            | Q(domain__competences__organisation_id__in=organisation_ids)
        )
        .distinct()
        .select_related("organisation")
        .order_by("organisation", "position", "code")
    )


def staff_filter_departments(*, user) -> QuerySet[Department]:
    queryset = Department.objects.select_related("organisation")
    if not permissions.is_platform_admin(user):
        queryset = queryset.filter(organisation_id__in=staff_organisation_ids(user=user))
    return queryset.order_by("organisation", "slug")


def staff_filter_areas(*, user) -> QuerySet[Territory]:
    """The communes and arrondissements inside the areas of the user's memberships."""
    condition = Q(pk__in=[])
    for membership in permissions.active_memberships(user).prefetch_related(
        "territories", "organisation__territories"
    ):
        if membership.role not in permissions.READING_ROLES:
            continue
        roots = list(membership.territories.all()) or list(
            membership.organisation.territories.all()
        )
        for root in roots:
            condition |= (
                Q(pk=root.pk)
                | Q(region=root)
                | Q(province=root)
                | Q(cercle=root)
                | Q(commune=root)
                | Q(district=root)
            )
    return (
        Territory.objects.filter(condition, level__in=[Level.COMMUNE, Level.ARRONDISSEMENT])
        .defer(*_TERRITORY_HEAVY)
        .order_by("code")
    )


def staff_assignees(*, user) -> QuerySet[User]:
    """Staff who act in the user's organisations: whom bulk assignment may pick."""
    memberships = Membership.objects.active().filter(role__in=permissions.ACTING_ROLES)
    if not permissions.is_platform_admin(user):
        memberships = memberships.filter(organisation_id__in=staff_organisation_ids(user=user))
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by(
        "full_name", "username"
    )


def servicerequest_assignees(*, service_request: ServiceRequest) -> QuerySet[User]:
    """Staff who may be given this request: acting members of its organisation whose area covers
    the place, and acting members of the organisations it was referred to."""
    territory = service_request.territory
    covering = Territory.objects.filter(
        pk__in=[
            pk
            for pk in (
                territory.pk,
                territory.region_id,
                territory.province_id,
                territory.cercle_id,
                territory.commune_id,
                territory.district_id,
            )
            if pk
        ]
    )
    owners = (
        Membership.objects.active()
        .filter(organisation_id=service_request.organisation_id, role__in=permissions.ACTING_ROLES)
        .filter(Q(territories__isnull=True) | Q(territories__in=covering))
    )
    referrals = Referral.objects.filter(
        content_type=ContentType.objects.get_for_model(ServiceRequest),
        object_id=str(service_request.pk),
        revoked_at__isnull=True,
    )
    referred = Membership.objects.active().filter(
        organisation_id__in=referrals.values("organisation_id"),
        role__in=permissions.ACTING_ROLES,
    )
    return User.objects.filter(
        Q(pk__in=owners.values("user_id")) | Q(pk__in=referred.values("user_id"))
    ).order_by("full_name", "username")


def servicerequest_transfer_targets(*, service_request: ServiceRequest) -> QuerySet[Organisation]:
    """The organisations covering the request's place, other than the one handling it."""
    return organisations_covering(territory=service_request.territory).exclude(
        pk=service_request.organisation_id
    )


def transfer_target_departments(*, organisations: QuerySet[Organisation]) -> QuerySet[Department]:
    """The departments of the organisations a request may be transferred to."""
    return (
        Department.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def servicerequest_pk_by_reference(*, reference: str) -> int | None:
    """The id of the request with this tracking code, if any: staff fetch it next, scoped."""
    return (
        ServiceRequest.objects.filter(reference=refcode_normalise(reference))
        .values_list("pk", flat=True)
        .first()
    )


def servicerequest_merge_suggestions(*, service_request: ServiceRequest) -> list[Nearby]:
    """Open requests of the same category near this one: likely originals for a merge."""
    if service_request.latitude is None or service_request.longitude is None:
        return []
    return [
        nearby
        for nearby in nearby_open_requests(
            category=service_request.category,
            latitude=service_request.latitude,
            longitude=service_request.longitude,
            limit=6,
        )
        if nearby.service_request.pk != service_request.pk
    ][:5]


def servicerequest_staff_photos(
    *, service_request: ServiceRequest
) -> QuerySet[ServiceRequestPhoto]:
    return service_request.photos.order_by("created_at", "id")


def servicerequest_staff_photo_get(
    *, service_request: ServiceRequest, pk: int
) -> ServiceRequestPhoto:
    """One photo of a request the caller already fetched through the staff selector; 404 otherwise."""
    return get_object_or_404(service_request.photos.select_related("service_request"), pk=pk)


def response_templates_of(*, organisation_id: int) -> QuerySet[ResponseTemplate]:
    return ResponseTemplate.objects.filter(organisation_id=organisation_id).order_by("title")
