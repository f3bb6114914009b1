"""Every write to organisations, departments, memberships, competences and referrals.

Each service runs in one transaction and records an audit row for the acting staff member.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from jamaati.accounts.contact import normalise_destination
from jamaati.accounts.models import OneTimeCode, User
from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_record
from jamaati.core.actors import Actor
from jamaati.core.notifications import notify
from jamaati.core.uploads import CleanFile
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
from jamaati.organisations.selectors import account_find
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


def referrals_close(*, target: Model, actor: Actor) -> int:
    """End every live referral of an object whose case is closed; return how many ended.

    A reviewing organisation reaches an application only while it is being decided: once it
    is decided or withdrawn, what it was lent for is over (law 09-08: no longer than needed).
    Each ended referral is audited under the referring organisation.
    """
    live = list(
        Referral.objects.select_related("from_organisation").filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
            revoked_at__isnull=True,
        )
    )
    now = timezone.now()
    for referral in live:
        referral.revoked_at = now
        referral.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=referral,
            organisation=referral.from_organisation,
            changes={"revoked": True, "reason": "case closed"},
        )
    return len(live)


# --- The organisation admin's pages ------------------------------------------------


def _translated_values(prefix: str, values: dict[str, str]) -> dict[str, str]:
    languages = set(settings.MODELTRANSLATION_LANGUAGES)
    unknown = set(values) - languages
    if unknown:
        # A programming error (the form only offers the platform's languages): fail loudly.
        raise ValueError(f"Unknown languages: {sorted(unknown)}")
    return {f"{prefix}_{language}": (value or "").strip() for language, value in values.items()}


def _check_membership_area(organisation: Organisation, territories: list[Territory]) -> None:
    covered = list(organisation.territories.all())
    for territory in territories:
        if not any(root.contains(territory) for root in covered):
            raise ValidationError(
                {
                    "territories": _("%(territory)s is outside the organisation's territory.")
                    % {"territory": territory}
                }
            )


@dataclass(frozen=True)
class MembershipAdded:
    membership: Membership
    account_created: bool
    # Whether a link to set a password was e-mailed (a new account, or one without a password).
    password_link_sent: bool


def _send_password_set_link(*, user: User, organisation: Organisation, role: str) -> None:
    """E-mail a new staff member the link that sets their password (Django's reset token)."""
    notify(
        template="staff_account_created",
        user=user,
        email=user.email,
        context={
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
            "organisation": organisation,
            "role": Role(role).label,
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
    )


@transaction.atomic
def membership_add(
    *,
    actor: Actor,
    organisation: Organisation,
    identifier: str,
    role: Role | str,
    department: Department | None = None,
    territories: Iterable[Territory] = (),
    create_account: bool = False,
    full_name: str = "",
    language: str | None = None,
) -> MembershipAdded:
    """Give a person a role in an organisation: an existing account, or a new staff account.

    `identifier` is an e-mail address or a Moroccan mobile number. A new account
    has no usable password: it is sent a link to set one (Django's password reset
    token), as is an existing account that has no password yet. Adding a role
    the person once had reactivates that membership.
    """
    _require_admin(actor, organisation)
    role = Role(role)
    if department is not None and department.organisation_id != organisation.pk:
        raise ValidationError({"department": _("The department belongs to another organisation.")})
    territories = list(territories)
    _check_membership_area(organisation, territories)
    try:
        destination, channel = normalise_destination(identifier)
    except ValidationError as exc:
        raise ValidationError({"identifier": exc.messages}) from exc

    user = account_find(identifier=destination)
    account_created = False
    if user is None:
        if not create_account:
            raise ValidationError(
                {
                    "identifier": _(
                        "No account has this e-mail address or mobile number. Check it, or tick "
                        "“Create a new staff account”."
                    )
                }
            )
        if channel != OneTimeCode.Channel.EMAIL:
            raise ValidationError(
                {
                    "identifier": _(
                        "A new staff account needs an e-mail address: the link to set its "
                        "password is sent there."
                    )
                }
            )
        languages = {code for code, _name in settings.LANGUAGES}
        user = User.objects.create_user(
            email=destination,
            password=None,
            full_name=full_name.strip(),
            is_staff=True,
            preferred_language=language if language in languages else settings.LANGUAGE_CODE,
        )
        account_created = True
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=user,
            organisation=organisation,
            changes={"username": user.username, "is_staff": True},
        )
    elif not user.is_active:
        raise ValidationError({"identifier": _("This account is disabled.")})
    elif not user.has_usable_password() and not user.email:
        raise ValidationError(
            {
                "identifier": _(
                    "This account has no password and no e-mail address to receive the link "
                    "that sets one. Add the person by an e-mail address instead."
                )
            }
        )

    existing = Membership.objects.filter(
        user=user, organisation=organisation, role=role, department=department
    ).first()
    if existing is not None and existing.is_active:
        raise ValidationError(_("This person already has this role here."))
    if existing is not None:
        existing.is_active = True
        existing.save(update_fields=["is_active", "updated_at"])
        existing.territories.set(territories)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=existing,
            organisation=organisation,
            changes={"is_active": True, "territories": [t.code for t in territories]},
        )
        membership = existing
    else:
        membership = membership_create(
            actor=actor,
            organisation=organisation,
            user=user,
            role=role,
            department=department,
            territories=territories,
        )

    password_link_sent = not user.has_usable_password()
    if password_link_sent:
        _send_password_set_link(user=user, organisation=organisation, role=role)
    return MembershipAdded(
        membership=membership,
        account_created=account_created,
        password_link_sent=password_link_sent,
    )


@transaction.atomic
def department_rename(*, actor: Actor, department: Department, names: dict[str, str]) -> list[str]:
    """Change a department's names; return the fields that changed (nothing changed: no row)."""
    _require_admin(actor, department.organisation)
    changed = []
    for field, value in _translated_values("name", names).items():
        if (getattr(department, field) or "") != value:
            setattr(department, field, value)
            changed.append(field)
    if not changed:
        return []
    department.full_clean()
    department.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=department,
        organisation=department.organisation,
        changes={"fields": changed},
    )
    return changed


@transaction.atomic
def organisation_update_profile(
    *,
    actor: Actor,
    organisation: Organisation,
    names: dict[str, str],
    descriptions: dict[str, str],
    primary_color: str,
    website: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    logo: CleanFile | None = None,
    remove_logo: bool = False,
) -> list[str]:
    """Update an organisation's public profile; return the fields that changed.

    `logo` must come from `core.uploads.validate_and_clean_upload` (checked and
    re-encoded). The replaced logo file is deleted once the change is committed.
    Nothing changed: nothing is written and no audit row is recorded.
    """
    _require_admin(actor, organisation)
    values: dict[str, str] = {
        **_translated_values("name", names),
        **_translated_values("description", descriptions),
        "primary_color": primary_color.strip().lower(),
        "website": website.strip(),
        "email": email.strip().lower(),
        "phone": phone.strip(),
        "address": address.strip(),
    }
    changed = []
    for field, value in values.items():
        if (getattr(organisation, field) or "") != value:
            setattr(organisation, field, value)
            changed.append(field)

    old_logo = organisation.logo.name if organisation.logo else ""
    if logo is not None and not isinstance(logo, CleanFile):
        raise TypeError("A logo must be checked by core.uploads.validate_and_clean_upload.")
    if logo is not None or (remove_logo and old_logo):
        changed.append("logo")
    if not changed:
        return []

    organisation.full_clean(exclude=["logo"])
    if logo is not None:
        organisation.logo.save(logo.name, logo, save=False)
    elif "logo" in changed:
        organisation.logo = ""
    organisation.save(update_fields=[*changed, "updated_at"])
    if "logo" in changed and old_logo:
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=organisation,
        organisation=organisation,
        changes={"fields": changed},
    )
    return changed
