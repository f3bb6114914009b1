"""Who may see and act on what: every staff permission rule of the platform, in one place.

The vocabulary:
- a *membership* gives a staff member a role in one organisation, over the whole of
  its territory or over part of it;
- a *competence* says which organisation handles a domain in a territory;
- a *referral* lends one object to another organisation's staff.

An outsider is staff with no membership, competence or referral for an object: every
rule below returns False (or None) for them, and selectors turn that into a 404.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from jamaati.organisations.models import Membership, Organisation, Referral, Role
from jamaati.territories.models import Territory

# Roles that may act on an organisation's objects (write), and those that may only read them.
ACTING_ROLES = frozenset({Role.AGENT, Role.DEPARTMENT_HEAD, Role.ORG_ADMIN})
READING_ROLES = ACTING_ROLES | {Role.REVIEWER, Role.MODERATOR, Role.ELECTED_OFFICIAL}
ADMIN_ROLES = frozenset({Role.ORG_ADMIN})


def is_platform_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def active_memberships(user) -> QuerySet[Membership]:
    if not (user and user.is_authenticated and user.is_staff):
        return Membership.objects.none()
    return (
        Membership.objects.active().filter(user=user).select_related("organisation", "department")
    )


def membership_territories(membership: Membership) -> QuerySet[Territory]:
    """Every territory a membership covers: its own limits, or else its organisation's."""
    limits = list(membership.territories.all())
    roots = limits or list(membership.organisation.territories.all())
    return Territory.objects.within(*roots)


def membership_covers(membership: Membership, territory: Territory | None) -> bool:
    """Whether a membership's area contains `territory` (None: an object with no place)."""
    limits = list(membership.territories.all())
    if territory is None:
        # An object with no place belongs to the whole organisation: only unlimited memberships reach it.
        return not limits
    roots = limits or list(membership.organisation.territories.all())
    return any(root.contains(territory) for root in roots)


def organisation_can_administer(*, user, organisation: Organisation) -> bool:
    if is_platform_admin(user):
        return True
    return active_memberships(user).filter(organisation=organisation, role__in=ADMIN_ROLES).exists()


def referral_for(*, organisation: Organisation, target: Model) -> Referral | None:
    return (
        Referral.objects.filter(
            organisation=organisation,
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
            revoked_at__isnull=True,
        )
        .order_by("-created_at")
        .first()
    )


def staff_access(
    *,
    user,
    organisation: Organisation,
    territory: Territory | None,
    target: Model | None = None,
    write: bool = False,
) -> Membership | None:
    """The membership through which `user` may reach an object owned by `organisation` at `territory`.

    Access is granted by a membership of the owning organisation whose area covers the
    territory, or by a membership of an organisation to which the object was referred.
    Returns None for an outsider.
    """
    roles = ACTING_ROLES if write else READING_ROLES
    memberships = [m for m in active_memberships(user) if m.role in roles]
    for membership in memberships:
        if membership.organisation_id == organisation.pk and membership_covers(
            membership, territory
        ):
            return membership
    if target is not None:
        for membership in memberships:
            referral = referral_for(organisation=membership.organisation, target=target)
            if referral and (
                referral.department_id is None
                or referral.department_id == membership.department_id
                or membership.department_id is None
            ):
                return membership
    return None


def organisation_admin_membership(*, user, organisation: Organisation) -> Membership | None:
    """The active admin membership through which `user` administers `organisation`, if any.

    A platform admin may administer every organisation without one: use
    `organisation_can_administer` to decide, this to name the membership in the audit row.
    """
    return (
        active_memberships(user)
        .filter(organisation=organisation, role__in=ADMIN_ROLES)
        .order_by("pk")
        .first()
    )


def is_organisation_admin_anywhere(user) -> bool:
    """Whether `user` administers at least one organisation (or every one, as a platform admin)."""
    if is_platform_admin(user):
        return True
    return active_memberships(user).filter(role__in=ADMIN_ROLES).exists()
