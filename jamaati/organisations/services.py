"""Every write to organisations, departments, memberships, competences and referrals.

Each service runs in one transaction and records an audit row for the acting staff member.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_record
from jamaati.core.actors import Actor
from jamaati.organisations import permissions
from jamaati.organisations.models import (
    Competence,
    Department,
    Domain,
    Membership,
    Organisation,
    OrganisationKind,
    Referral,
    Role,
)
from jamaati.territories.models import Level, Territory


def council_slug(territory: Territory) -> str:
    """The slug of a council: `tetouan`, `province-tetouan`, `draa-tafilalet`."""
    if territory.level == Level.PROVINCE:
        return f"province-{territory.slug}"
    return territory.slug


def _require_admin(actor: Actor, organisation: Organisation | None) -> None:
    if organisation is None:
        allowed = permissions.is_platform_admin(actor.user)
    else:
        allowed = permissions.organisation_can_administer(
            user=actor.user, organisation=organisation
        )
    if not allowed:
        raise PermissionDenied(_("Only an administrator of this organisation may do this."))


@transaction.atomic
def organisation_create(
    *,
    actor: Actor,
    kind: OrganisationKind,
    names: dict[str, str],
    territories: Iterable[Territory],
    seat: Territory | None = None,
    slug: str | None = None,
    descriptions: dict[str, str] | None = None,
    primary_color: str = "#0b6e4f",
) -> Organisation:
    """Create an organisation covering `territories`; councils take their seat's slug."""
    _require_admin(actor, None)
    territories = list(territories)
    if not territories:
        raise ValidationError(_("An organisation must cover at least one territory."))
    if slug is None:
        if seat is None:
            raise ValidationError(_("Give a slug, or a seat territory to derive it from."))
        slug = council_slug(seat)
    organisation = Organisation(slug=slug, kind=kind, seat=seat, primary_color=primary_color)
    for language, value in names.items():
        setattr(organisation, f"name_{language}", value)
    for language, value in (descriptions or {}).items():
        setattr(organisation, f"description_{language}", value)
    organisation.full_clean()
    organisation.save()
    organisation.territories.set(territories)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=organisation,
        organisation=organisation,
        changes={"slug": slug, "territories": [t.code for t in territories]},
    )
    return organisation


@transaction.atomic
def department_create(
    *, actor: Actor, organisation: Organisation, slug: str, names: dict[str, str]
) -> Department:
    """Add a department to an organisation."""
    _require_admin(actor, organisation)
    department = Department(organisation=organisation, slug=slug)
    for language, value in names.items():
        setattr(department, f"name_{language}", value)
    department.full_clean()
    department.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=department, organisation=organisation
    )
    return department


@transaction.atomic
def membership_create(
    *,
    actor: Actor,
    organisation: Organisation,
    user,
    role: Role | str,
    department: Department | None = None,
    territories: Iterable[Territory] = (),
) -> Membership:
    """Give a staff member a role in an organisation, optionally limited to part of its territory."""
    _require_admin(actor, organisation)
    if department is not None and department.organisation_id != organisation.pk:
        raise ValidationError(_("The department belongs to another organisation."))
    territories = list(territories)
    covered = list(organisation.territories.all())
    for territory in territories:
        if not any(root.contains(territory) for root in covered):
            raise ValidationError(
                _("%(territory)s is outside the organisation's territory.")
                % {"territory": territory}
            )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    membership = Membership(user=user, organisation=organisation, role=role, department=department)
    membership.full_clean()
    membership.save()
    membership.territories.set(territories)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=membership,
        organisation=organisation,
        changes={
            "user": user.username,
            "role": str(role),
            "territories": [t.code for t in territories],
        },
    )
    return membership


@transaction.atomic
def membership_deactivate(*, actor: Actor, membership: Membership) -> Membership:
    """End a membership; its history and audit rows stay."""
    _require_admin(actor, membership.organisation)
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=membership,
        organisation=membership.organisation,
        changes={"is_active": False},
    )
    return membership


@transaction.atomic
def competence_set(
    *,
    actor: Actor,
    organisation: Organisation,
    domain: Domain,
    territory: Territory,
    department: Department | None = None,
) -> Competence:
    """Make `organisation` competent for `domain` in `territory`, replacing any previous holder."""
    if not permissions.is_platform_admin(actor.user):
        raise PermissionDenied(_("Only a platform administrator may assign competences."))
    if department is not None and department.organisation_id != organisation.pk:
        raise ValidationError(_("The department belongs to another organisation."))
    competence, created = Competence.objects.update_or_create(
        domain=domain,
        territory=territory,
        defaults={"organisation": organisation, "department": department},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        target=competence,
        organisation=organisation,
        changes={
            "domain": domain.slug,
            "territory": territory.code,
            "organisation": organisation.slug,
        },
    )
    return competence


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    target: Model,
    from_organisation: Organisation,
    to_organisation: Organisation,
    reason: str = "",
    department: Department | None = None,
) -> Referral:
    """Lend one object to another organisation's staff (a transfer, a request for an opinion)."""
    if actor.membership is None or actor.membership.organisation_id != from_organisation.pk:
        raise PermissionDenied(_("Only staff of the referring organisation may refer this."))
    if from_organisation.pk == to_organisation.pk:
        raise ValidationError(_("An organisation cannot refer an object to itself."))
    if department is not None and department.organisation_id != to_organisation.pk:
        raise ValidationError(_("The department belongs to another organisation."))
    referral = Referral.objects.create(
        organisation=to_organisation,
        department=department,
        from_organisation=from_organisation,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        reason=reason,
        created_by=actor.user,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=referral,
        organisation=from_organisation,
        changes={
            "to": to_organisation.slug,
            "object": f"{referral.content_type.model}:{target.pk}",
        },
    )
    return referral


@transaction.atomic
def referral_revoke(*, actor: Actor, referral: Referral) -> Referral:
    """Withdraw a referral: the receiving organisation loses access to the object."""
    if (
        actor.membership is None
        or actor.membership.organisation_id != referral.from_organisation_id
    ):
        raise PermissionDenied(_("Only staff of the referring organisation may revoke this."))
    referral.revoked_at = timezone.now()
    referral.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=referral,
        organisation=referral.from_organisation,
        changes={"revoked": True},
    )
    return referral
