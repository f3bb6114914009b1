"""Who may do what with programmes and projects: every rule of this app, in one place.

Built on `organisations.permissions` (ADR 0002):
- a project is reached through a membership of its owner organisation whose area covers the
  project's main territory (or through a referral of the project);
- acting on a project (progress, transactions, stages, photos) needs an acting role: agent,
  department head or organisation admin (`ACTING_ROLES`);
- the organisation's plans — programmes, projects' creation and money plan, conventions,
  committees, imports — need a department head or an organisation admin over the whole
  organisation (`PLANNING_ROLES`);
- platform admins may do everything (they have no membership: the audit row names none);
- anyone else is an outsider: refused (PermissionDenied for a write, 404 for a staff read).
"""

from __future__ import annotations

import dataclasses

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jamaati.core.actors import Actor
from jamaati.organisations import permissions as org_permissions
from jamaati.organisations.models import Membership, Organisation, Role

PLANNING_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.ORG_ADMIN})


def project_membership(*, user, project, write: bool = False) -> Membership | None:
    """The membership through which `user` reaches `project` (None for an outsider)."""
    return org_permissions.staff_access(
        user=user,
        organisation=project.organisation,
        territory=project.territory,
        target=project,
        write=write,
    )


def membership_reaches_project(membership: Membership, project, *, write: bool) -> bool:
    """Whether this one membership (a staff token's) reaches `project`."""
    roles = org_permissions.ACTING_ROLES if write else org_permissions.READING_ROLES
    return bool(
        membership.is_active
        and membership.organisation_id == project.organisation_id
        and membership.role in roles
        and org_permissions.membership_covers(membership, project.territory)
    )


def planning_membership(*, user, organisation: Organisation) -> Membership | None:
    """An unlimited department head or admin membership of `organisation`, if `user` has one."""
    for membership in org_permissions.active_memberships(user).prefetch_related("territories"):
        if (
            membership.organisation_id == organisation.pk
            and membership.role in PLANNING_ROLES
            and org_permissions.membership_covers(membership, None)
        ):
            return membership
    return None


def reading_membership(*, user, organisation: Organisation) -> Membership | None:
    """Any active reading membership of `organisation` (dashboards, staff lists)."""
    for membership in org_permissions.active_memberships(user):
        if (
            membership.organisation_id == organisation.pk
            and membership.role in org_permissions.READING_ROLES
        ):
            return membership
    return None


def _with(actor: Actor, membership: Membership | None) -> Actor:
    return dataclasses.replace(actor, membership=membership)


def require_project_write(actor: Actor, project) -> Actor:
    """The actor acting on `project` through their membership; PermissionDenied for an outsider."""
    if org_permissions.is_platform_admin(actor.user):
        return actor
    if actor.membership is not None:
        # A staff token acts as one membership: that one, or nothing.
        if (
            actor.user is not None
            and actor.membership.user_id == actor.user.pk
            and (membership_reaches_project(actor.membership, project, write=True))
        ):
            return actor
        raise PermissionDenied(_("You may not act on this project."))
    membership = project_membership(user=actor.user, project=project, write=True)
    if membership is None:
        raise PermissionDenied(_("You may not act on this project."))
    return _with(actor, membership)


def require_planning(actor: Actor, organisation: Organisation) -> Actor:
    """The actor planning for `organisation`; PermissionDenied unless head or admin there."""
    if org_permissions.is_platform_admin(actor.user):
        return actor
    membership = planning_membership(user=actor.user, organisation=organisation)
    if membership is None:
        raise PermissionDenied(
            _("Only a department head or an administrator of this organisation may do this.")
        )
    return _with(actor, membership)


def require_reading(actor: Actor, organisation: Organisation) -> Actor:
    """The actor reading `organisation`'s staff figures; PermissionDenied for an outsider."""
    if org_permissions.is_platform_admin(actor.user):
        return actor
    membership = reading_membership(user=actor.user, organisation=organisation)
    if membership is None:
        raise PermissionDenied(_("You may not see this organisation's projects."))
    return _with(actor, membership)


def can_edit_project(*, user, project) -> bool:
    return org_permissions.is_platform_admin(user) or (
        project_membership(user=user, project=project, write=True) is not None
    )


def can_plan(*, user, organisation: Organisation) -> bool:
    return org_permissions.is_platform_admin(user) or (
        planning_membership(user=user, organisation=organisation) is not None
    )
