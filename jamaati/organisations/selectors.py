"""Every read of organisations, and the scoping of staff reads by organisation, territory and role."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from jamaati.accounts.models import User
from jamaati.apikeys.models import ApiKey
from jamaati.organisations import permissions
from jamaati.organisations.models import (
    Competence,
    Department,
    Domain,
    Membership,
    Organisation,
    Referral,
)
from jamaati.territories.models import Level, Territory


def organisation_list_public() -> QuerySet[Organisation]:
    # The seat's polygon is never needed on organisation pages: leave it in the database.
    return (
        Organisation.objects.filter(is_active=True)
        .select_related("kind", "seat")
        .defer("seat__boundary_wkb")
        .order_by("kind__slug", "slug")
    )


def organisation_get_public(*, slug: str) -> Organisation:
    return get_object_or_404(organisation_list_public(), slug=slug)


def organisations_covering(*, territory: Territory) -> QuerySet[Organisation]:
    """Active organisations whose territory contains `territory` (councils and others)."""
    ancestors = [
        t
        for t in (
            territory.region_id,
            territory.province_id,
            territory.commune_id,
            territory.district_id,
        )
        if t
    ]
    return organisation_list_public().filter(territories__in=[territory.pk, *ancestors]).distinct()


def competence_for(*, domain: Domain | str, territory: Territory) -> Competence | None:
    """The competence that routes `domain` work at `territory`: the most specific territory wins.

    Order: arrondissement, commune, province or prefecture, region. None when nothing matches;
    the caller applies its own stated fallback (for service requests, the commune council).
    """
    chain = [
        territory.pk,
        territory.district_id,
        territory.commune_id,
        territory.province_id,
        territory.region_id,
    ]
    chain = [pk for pk in dict.fromkeys(chain) if pk]
    domain_filter = Q(domain__slug=domain) if isinstance(domain, str) else Q(domain=domain)
    found = {
        c.territory_id: c
        for c in Competence.objects.filter(
            domain_filter, territory_id__in=chain, organisation__is_active=True
        ).select_related("organisation", "department", "domain")
    }
    for pk in chain:
        if pk in found:
            return found[pk]
    return None


def council_for(*, territory: Territory) -> Organisation | None:
    """The council of the commune (or, failing that, province, then region) containing `territory`."""
    commune_id = territory.pk if territory.level == Level.COMMUNE else territory.commune_id
    for seat_id in (commune_id, territory.province_id, territory.region_id):
        if seat_id:
            council = Organisation.objects.filter(
                seat_id=seat_id, is_active=True, kind__is_collectivity=True
            ).first()
            if council:
                return council
    return None


def memberships_of(*, user) -> QuerySet[Membership]:
    return permissions.active_memberships(user)


def staff_scope(
    *,
    user,
    organisation_field: str = "organisation",
    territory_field: str = "territory",
    model: type[Model],
) -> Q:
    """A filter keeping only the objects of `model` that `user` may see as staff.

    Objects of the user's organisations inside each membership's area, plus objects
    referred to one of the user's organisations. Nothing for an outsider.
    """
    if permissions.is_platform_admin(user):
        return Q()
    condition = Q(pk__in=[])
    memberships = [
        m
        for m in permissions.active_memberships(user).prefetch_related("territories")
        if m.role in permissions.READING_ROLES
    ]
    for membership in memberships:
        area = Q(**{organisation_field: membership.organisation_id})
        if membership.territories.all():  # prefetched above: no query
            area &= Q(**{f"{territory_field}__in": permissions.membership_territories(membership)})
        condition |= area
    if memberships:
        referred_ids = Referral.objects.filter(
            organisation_id__in={m.organisation_id for m in memberships},
            content_type=ContentType.objects.get_for_model(model),
            revoked_at__isnull=True,
        ).values_list("object_id", flat=True)
        condition |= Q(pk__in=[int(pk) if pk.isdigit() else pk for pk in referred_ids])
    return condition


def staff_get(
    *,
    user,
    queryset: QuerySet,
    pk,
    organisation_attr: str = "organisation",
    territory_attr: str = "territory",
    write: bool = False,
) -> tuple[Model, Membership]:
    """Fetch one object for staff, or raise 404 when it is outside their scope.

    Lookup and authorisation happen in one call so they cannot drift apart. Returns the
    object and the membership through which access was granted (for the audit row).
    """
    obj = get_object_or_404(queryset, pk=pk)
    membership = permissions.staff_access(
        user=user,
        organisation=getattr(obj, organisation_attr),
        territory=getattr(obj, territory_attr),
        target=obj,
        write=write,
    )
    if membership is None:
        raise Http404
    return obj, membership


# --- The staff workspace and the organisation admin's pages ----------------------

# Territory columns never shown on staff pages: the polygon and the search index.
_TERRITORY_HEAVY = ("boundary_wkb", "search_text")


def organisation_get_for_admin(*, user, slug: str) -> tuple[Organisation, Membership | None]:
    """Fetch an organisation for its admin (or a platform admin), or raise 404 for anybody else.

    Returns the organisation and the admin membership acting on it (None for a
    platform admin who has none there), for the audit row.
    """
    organisation = get_object_or_404(Organisation.objects.select_related("kind"), slug=slug)
    membership = permissions.organisation_admin_membership(user=user, organisation=organisation)
    if membership is None and not permissions.is_platform_admin(user):
        raise Http404
    return organisation, membership


def staff_home_memberships(*, user) -> QuerySet[Membership]:
    """A staff member's active memberships with their area limits, for the staff home."""
    return (
        memberships_of(user=user)
        .prefetch_related(
            Prefetch("territories", queryset=Territory.objects.defer(*_TERRITORY_HEAVY))
        )
        .order_by("organisation__slug", "role", "pk")
    )


def organisations_for_platform_admin() -> QuerySet[Organisation]:
    """Every organisation, active or not: a platform admin may manage each of them."""
    return Organisation.objects.select_related("kind").order_by("slug")


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    """Every membership of an organisation, active first, with what the member list shows."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "department")
        .prefetch_related(
            Prefetch("territories", queryset=Territory.objects.defer(*_TERRITORY_HEAVY))
        )
        .order_by("-is_active", "user__username", "role", "pk")
    )


def organisation_membership_get(*, organisation: Organisation, pk: int) -> Membership:
    """One membership of `organisation`; 404 for a membership of another organisation."""
    return get_object_or_404(
        Membership.objects.select_related("organisation", "user", "department"),
        organisation=organisation,
        pk=pk,
    )


def organisation_departments(*, organisation: Organisation) -> QuerySet[Department]:
    """An organisation's departments with their number of active members."""
    return (
        Department.objects.filter(organisation=organisation)
        .annotate(active_members=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("slug")
    )


def organisation_department_get(*, organisation: Organisation, pk: int) -> Department:
    """One department of `organisation`; 404 for a department of another organisation."""
    return get_object_or_404(Department.objects.filter(organisation=organisation), pk=pk)


def department_slug_taken(*, organisation: Organisation, slug: str) -> bool:
    return Department.objects.filter(organisation=organisation, slug=slug).exists()


def organisation_area_choices(*, organisation: Organisation) -> QuerySet[Territory]:
    """The territories a membership may be limited to: the organisation's own, and the
    communes and arrondissements inside them."""
    roots = list(organisation.territories.values_list("pk", flat=True))
    inside = (
        Q(region__in=roots)
        | Q(province__in=roots)
        | Q(cercle__in=roots)
        | Q(commune__in=roots)
        | Q(district__in=roots)
    )
    return (
        Territory.objects.filter(
            Q(pk__in=roots) | (inside & Q(level__in=[Level.COMMUNE, Level.ARRONDISSEMENT]))
        )
        .defer(*_TERRITORY_HEAVY)
        .order_by("code")
    )


def account_find(*, identifier: str) -> User | None:
    """The account whose login, e-mail address or mobile number is `identifier` (normalised)."""
    return User.objects.filter(
        Q(username=identifier) | Q(email=identifier) | Q(phone=identifier)
    ).first()


def organisation_api_keys(*, organisation: Organisation) -> QuerySet[ApiKey]:
    """The partner application keys of an organisation, newest first."""
    return (
        ApiKey.objects.filter(organisation=organisation, kind=ApiKey.Kind.PARTNER)
        .select_related("created_by", "revoked_by")
        .order_by("-created_at", "-pk")
    )


def organisation_api_key_get(*, organisation: Organisation, pk: int) -> ApiKey:
    """One partner key of `organisation`; 404 for another organisation's key or a staff token."""
    return get_object_or_404(
        organisation_api_keys(organisation=organisation).select_related("organisation"), pk=pk
    )


def organisation_admin_summary(*, organisation: Organisation) -> dict[str, int]:
    """The figures on an organisation's management overview."""
    return {
        "active_members": Membership.objects.filter(
            organisation=organisation, is_active=True
        ).count(),
        "departments": Department.objects.filter(organisation=organisation).count(),
        "active_api_keys": organisation_api_keys(organisation=organisation)
        .filter(revoked_at__isnull=True)
        .count(),
    }
