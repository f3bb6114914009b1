"""The only writer of the audit log: one row per staff write or staff read of personal data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from jamaati.audit.models import AuditEvent
from jamaati.core.actors import Actor

if TYPE_CHECKING:
    from jamaati.accounts.models import User
    from jamaati.organisations.models import Organisation

TARGET_REPR_MAX_LENGTH = 300


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    organisation: Organisation | None = None,
) -> AuditEvent:
    """Record who did `action` on `target`, inside the caller's transaction.

    The organisation defaults to the one of the actor's membership, so an
    organisation admin finds every action taken by their staff.
    """
    if action not in AuditEvent.Action.values:
        # A programming error, never user input: fail loudly.
        raise ValueError(f"Unknown audit action {action!r}.")
    if organisation is None:
        organisation = actor.organisation
    changes = dict(changes or {})
    if actor.api_key is not None:
        # Name the key (by its public prefix) so a partner's actions can be traced and the key revoked.
        changes.setdefault("api_key", actor.api_key.prefix)
    return AuditEvent.objects.create(
        actor=actor.user,
        membership=actor.membership,
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower,
        target_id="" if target.pk is None else str(target.pk),
        target_repr=str(target)[:TARGET_REPR_MAX_LENGTH],
        changes=changes,
        ip_address=actor.ip_address,
        user_agent=actor.user_agent,
    )


def audit_personal_data_read(*, actor: Actor, subject_user: User, reason: str) -> AuditEvent:
    """Record that a staff member looked at a citizen's personal data, and why (law 09-08)."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A read of personal data must give its reason.")
    return audit_record(
        actor=actor,
        action=AuditEvent.Action.READ_PERSONAL_DATA,
        target=subject_user,
        changes={"reason": reason},
    )
