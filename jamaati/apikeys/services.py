"""Issuing, revoking and checking API keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaati.accounts.models import User
from jamaati.apikeys.models import ApiKey
from jamaati.apikeys.scopes import SCOPES
from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_record
from jamaati.core.actors import Actor
from jamaati.core.refcache import RefCache
from jamaati.organisations.models import Membership, Organisation
from jamaati.organisations.permissions import (
    active_memberships,
    is_platform_admin,
    organisation_can_administer,
)

KEY_PREFIX = "jmt"
_PREFIX_BYTES = 6  # 12 hex characters: public, only finds the row
_SECRET_BYTES = 32  # 256 bits
_RAW_KEY = re.compile(
    rf"^{KEY_PREFIX}_(?P<prefix>[0-9a-f]{{{_PREFIX_BYTES * 2}}})_(?P<secret>[A-Za-z0-9_-]{{20,100}})$"
)
# `last_used_at` is written at most this often, not on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
# Keys by prefix, kept in each process (core.refcache): a revocation, or a change to the key's
# owner, reaches every process at once through a shared Redis cache, else within 30 s.
KEYS = RefCache("apikeys", ttl=30.0)


@dataclass(frozen=True)
class IssuedApiKey:
    api_key: ApiKey
    # The only time the full key exists outside the client: show it once, never store it.
    raw_key: str


def _hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    scopes = sorted(set(scopes))
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise ValidationError(
            _("Unknown scope: %(scopes)s."),
            code="unknown_scope",
            params={"scopes": ", ".join(unknown)},
        )
    if not scopes:
        raise ValidationError(_("Choose at least one scope."), code="no_scope")
    return scopes


def _staff_membership(
    *, actor: Actor, user: User, organisation: Organisation | None, membership: Membership | None
) -> Membership | None:
    """The membership a staff token acts as; check that `actor` may issue it."""
    if not user.is_active or not user.is_staff:
        raise ValidationError(
            _("Only active staff members can have a staff token."), code="not_staff"
        )
    candidates = active_memberships(user)
    if membership is not None:
        candidates = candidates.filter(pk=membership.pk)
    if organisation is not None:
        candidates = candidates.filter(organisation=organisation)
    candidates = list(candidates)
    if len(candidates) > 1:
        raise ValidationError(
            _("This staff member has several roles here: choose the membership the token acts as."),
            code="ambiguous_membership",
        )
    chosen = candidates[0] if candidates else None
    if chosen is None and (
        membership is not None or organisation is not None or not user.is_superuser
    ):
        raise ValidationError(
            _("This staff member has no active membership to act as."), code="no_membership"
        )
    issuer = actor.user
    allowed = (
        is_platform_admin(issuer)
        or (issuer is not None and issuer.pk == user.pk)
        or (
            chosen is not None
            and organisation_can_administer(user=issuer, organisation=chosen.organisation)
        )
    )
    if not allowed:
        raise PermissionDenied
    return chosen


def apikey_issue(
    *,
    actor: Actor,
    name: str,
    scopes: Iterable[str],
    organisation: Organisation | None = None,
    user: User | None = None,
    membership: Membership | None = None,
    expires_at: dt.datetime | None = None,
) -> IssuedApiKey:
    """Issue a staff token (`user`) or a partner application key (`organisation`).

    A partner key is issued by an admin of its organisation or a platform
    admin; a staff token by its owner, an admin of the organisation it acts
    for, or a platform admin. Raise PermissionDenied otherwise.
    """
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the key a name."), code="no_name")
    clean_scopes = _clean_scopes(scopes)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("The expiry date must be in the future."), code="expired")
    if user is None and membership is None:
        if organisation is None:
            raise ValidationError(
                _("A key belongs to a staff member or to an organisation."), code="no_owner"
            )
        if not organisation_can_administer(user=actor.user, organisation=organisation):
            raise PermissionDenied
        kind, acting_membership, owner_organisation = ApiKey.Kind.PARTNER, None, organisation
    else:
        user = user or membership.user
        acting_membership = _staff_membership(
            actor=actor, user=user, organisation=organisation, membership=membership
        )
        kind = ApiKey.Kind.STAFF
        owner_organisation = acting_membership.organisation if acting_membership else None

    with transaction.atomic():
        for _attempt in range(5):
            prefix = secrets.token_hex(_PREFIX_BYTES)
            raw_key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(_SECRET_BYTES)}"
            api_key = ApiKey(
                kind=kind,
                name=name,
                prefix=prefix,
                secret_hash=_hash(raw_key),
                user=user if kind == ApiKey.Kind.STAFF else None,
                membership=acting_membership,
                organisation=owner_organisation,
                scopes=clean_scopes,
                created_by=actor.user,
                expires_at=expires_at,
            )
            api_key.full_clean()
            try:
                with transaction.atomic():
                    api_key.save()
                break
            except IntegrityError:  # a prefix drawn twice: draw again
                continue
        else:
            raise RuntimeError("Could not draw a unique API key prefix.")
        audit_record(
            actor=actor,
            action=AuditEvent.Action.ISSUE,
            target=api_key,
            changes={"kind": kind, "scopes": clean_scopes, "expires_at": expires_at},
            organisation=owner_organisation,
        )
    return IssuedApiKey(api_key=api_key, raw_key=raw_key)


def apikey_revoke(*, actor: Actor, api_key: ApiKey) -> ApiKey:
    """Revoke a key at once; revoking it again changes nothing."""
    issuer = actor.user
    allowed = (
        is_platform_admin(issuer)
        or (issuer is not None and api_key.user_id == issuer.pk)
        or (
            api_key.organisation is not None
            and organisation_can_administer(user=issuer, organisation=api_key.organisation)
        )
    )
    if not allowed:
        raise PermissionDenied
    if api_key.revoked_at is not None:
        return api_key
    with transaction.atomic():
        api_key.revoked_at = timezone.now()
        api_key.revoked_by = issuer
        api_key.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.REVOKE,
            target=api_key,
            organisation=api_key.organisation,
        )
    return api_key


def apikey_authenticate(raw_key: str) -> ApiKey | None:
    """Return the active key matching `raw_key`, or None; the secret is compared in constant time."""
    match = _RAW_KEY.match(raw_key.strip()) if raw_key else None
    if match is None:
        return None
    api_key = KEYS.get(("prefix", match["prefix"]), lambda: _key_by_prefix(match["prefix"]))
    expected = api_key.secret_hash if api_key is not None else _hash("")
    if not hmac.compare_digest(expected, _hash(raw_key.strip())) or api_key is None:
        return None
    if not api_key.is_active or not _owner_is_active(api_key):
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key


def _key_by_prefix(prefix: str) -> ApiKey | None:
    return (
        ApiKey.objects.select_related("user", "membership__organisation", "organisation")
        .filter(prefix=prefix)
        .first()
    )


# Columns whose change cannot alter who a key authenticates: a login writes `last_login` alone
# (update_fields), and must not make every process reload every key.
_BOOKKEEPING_FIELDS = frozenset({"last_login", "last_used_at"})


def _invalidate(*, update_fields=None, **_kwargs) -> None:
    if update_fields and _BOOKKEEPING_FIELDS.issuperset(update_fields):
        return
    KEYS.bump()


def connect_invalidation() -> None:
    """Forget cached keys when a key, its owner or its organisation changes (AppConfig.ready)."""
    for model in (ApiKey, User, Membership, Organisation):
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"apikeys-save-{model.__name__}")
        post_delete.connect(
            _invalidate, sender=model, dispatch_uid=f"apikeys-delete-{model.__name__}"
        )


def _owner_is_active(api_key: ApiKey) -> bool:
    if api_key.kind == ApiKey.Kind.STAFF:
        if not (api_key.user.is_active and api_key.user.is_staff):
            return False
        if api_key.membership is None:
            return api_key.user.is_superuser
        return Membership.objects.active().filter(pk=api_key.membership_id).exists()
    return api_key.organisation.is_active
