"""Who may do what with procedures and applications: every rule of the app, in one place.

Built on `organisations.permissions` (memberships, areas, referrals):
- *catalogue and forms*: the organisation's admins (and platform admins) edit them;
- *instruction*: staff of the owning organisation with an acting role, whose area covers the
  application's place and who belong to the responsible department (or to no department:
  organisation admins and heads without one);
- *reading* an application as staff: the instructors above, any reading role of the owning
  organisation in the responsible department, and reviewers only through a referral of that
  very application (an opinion request to another organisation);
- *giving an opinion*: staff of the reviewing organisation (and department, when one is named);
- *private notes*: the owning organisation's staff only, never reviewers of other organisations;
- *the applicant*: the account that applied.

An outsider gets None or False from each rule; selectors turn that into a 404.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from jamaati.organisations import permissions as org_permissions
from jamaati.organisations.models import Membership, Referral, Role
from jamaati.procedures.models import Application, OpinionRequest, Procedure

ACTING_ROLES = org_permissions.ACTING_ROLES
READING_ROLES = org_permissions.READING_ROLES
# Roles that may give an opinion for their organisation.
OPINION_ROLES = frozenset({Role.REVIEWER, Role.AGENT, Role.DEPARTMENT_HEAD, Role.ORG_ADMIN})


def procedure_can_edit(*, user, procedure: Procedure) -> bool:
    """Whether `user` may edit a procedure and build its form (organisation admins)."""
    return org_permissions.organisation_can_administer(
        user=user, organisation=procedure.organisation
    )


def _in_department(membership: Membership, application: Application) -> bool:
    return (
        membership.department_id is None
        or application.department_id is None
        or membership.department_id == application.department_id
    )


def membership_reaches(
    membership: Membership, application: Application, *, write: bool = False
) -> bool:
    """Whether one membership of the owning organisation reaches `application` (area, department, role)."""
    roles = ACTING_ROLES if write else READING_ROLES
    return (
        membership.is_active
        and membership.role in roles
        and membership.organisation_id == application.organisation_id
        and _in_department(membership, application)
        and org_permissions.membership_covers(membership, application.territory)
    )


def _owner_membership(user, application: Application, *, write: bool) -> Membership | None:
    for membership in org_permissions.active_memberships(user).prefetch_related("territories"):
        if membership_reaches(membership, application, write=write):
            return membership
    return None


def application_instructor(*, user, application: Application) -> Membership | None:
    """The membership through which `user` instructs `application` (acts on it), or None."""
    return _owner_membership(user, application, write=True)


def application_staff_reader(*, user, application: Application) -> Membership | None:
    """The membership through which `user` may read `application` as staff, or None.

    Owning organisation first (department and area checked); otherwise a live referral of
    this application to one of the user's organisations (a reviewer).
    """
    membership = _owner_membership(user, application, write=False)
    if membership is not None:
        return membership
    return application_reviewer(user=user, application=application)


def application_reviewer(*, user, application: Application) -> Membership | None:
    """The membership of another organisation to which this application was referred, or None."""
    for membership in org_permissions.active_memberships(user):
        if membership.role not in READING_ROLES:
            continue
        if membership.organisation_id == application.organisation_id:
            continue
        referral = org_permissions.referral_for(
            organisation=membership.organisation, target=application
        )
        if referral and (
            referral.department_id is None
            or membership.department_id in (None, referral.department_id)
        ):
            return membership
    return None


def is_owner_staff(membership: Membership | None, application: Application) -> bool:
    """Whether a membership belongs to the instructing organisation (private notes, contact data)."""
    return membership is not None and membership.organisation_id == application.organisation_id


def opinion_giver(*, user, opinion: OpinionRequest) -> Membership | None:
    """The membership through which `user` gives this opinion, or None."""
    for membership in org_permissions.active_memberships(user).prefetch_related("territories"):
        if (
            membership.role not in OPINION_ROLES
            or membership.organisation_id != opinion.organisation_id
        ):
            continue
        if opinion.department_id and membership.department_id not in (None, opinion.department_id):
            continue
        if opinion.referral_id is not None:
            referral = opinion.referral
            if referral.revoked_at is not None:
                continue
        return membership
    return None


def application_is_applicant(*, user, application: Application) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and application.applicant_id is not None
        and application.applicant_id == user.pk
    )


def staff_applications_scope(*, user) -> Q:
    """A filter keeping the applications `user` may read as staff (see the module docstring)."""
    if org_permissions.is_platform_admin(user):
        return Q()
    condition = Q(pk__in=[])
    memberships = [
        m
        for m in org_permissions.active_memberships(user).prefetch_related("territories")
        if m.role in READING_ROLES
    ]
    for membership in memberships:
        area = Q(organisation=membership.organisation_id)
        if membership.department_id is not None:
            area &= Q(department__isnull=True) | Q(department=membership.department_id)
        if membership.territories.exists():
            area &= Q(territory__in=org_permissions.membership_territories(membership))
        condition |= area
    if memberships:
        referrals = Referral.objects.filter(
            organisation_id__in={m.organisation_id for m in memberships},
            content_type=ContentType.objects.get_for_model(Application),
            revoked_at__isnull=True,
        )
        departments: dict[int, set[int | None]] = {}
        for membership in memberships:
            departments.setdefault(membership.organisation_id, set()).add(membership.department_id)
        ids = []
        for referral in referrals:
            member_departments = departments.get(referral.organisation_id, set())
            if (
                referral.department_id is None
                or None in member_departments
                or referral.department_id in member_departments
            ):
                ids.append(int(referral.object_id))
        if ids:
            condition |= Q(pk__in=ids)
    return condition


def membership_applications_scope(membership: Membership) -> Q:
    """A filter keeping the applications one membership reaches (a staff token acts as one)."""
    if not membership.is_active or membership.role not in READING_ROLES:
        return Q(pk__in=[])
    area = Q(organisation=membership.organisation_id)
    if membership.department_id is not None:
        area &= Q(department__isnull=True) | Q(department=membership.department_id)
    if membership.territories.exists():
        area &= Q(territory__in=org_permissions.membership_territories(membership))
    referrals = Referral.objects.filter(
        organisation_id=membership.organisation_id,
        content_type=ContentType.objects.get_for_model(Application),
        revoked_at__isnull=True,
    )
    if membership.department_id is not None:
        referrals = referrals.filter(
            Q(department__isnull=True) | Q(department=membership.department_id)
        )
    ids = [int(pk) for pk in referrals.values_list("object_id", flat=True)]
    return area | Q(pk__in=ids)
