"""Writes of the staff workspace that the workflow services do not cover: reading contact details.

Looking at a reporter's contact details is a read of personal data (law 09-08): it is
allowed only with a stated reason, and each look writes an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_personal_data_read, audit_record
from jamaati.core.actors import Actor
from jamaati.organisations import permissions
from jamaati.servicerequests.models import ServiceRequest

REASON_MAX_LENGTH = 300


@dataclass(frozen=True)
class ContactDetails:
    name: str
    email: str
    phone: str
    account: str  # the reporter's login, when they reported signed in


def servicerequest_has_contact(service_request: ServiceRequest) -> bool:
    return bool(
        service_request.reporter_id
        or service_request.contact_name
        or service_request.contact_email
        or service_request.contact_phone
    )


@transaction.atomic
def servicerequest_contact_reveal(
    *, service_request: ServiceRequest, actor: Actor, reason: str
) -> ContactDetails:
    """Give a staff member the reporter's contact details, and record that they read them and why."""
    membership = permissions.staff_access(
        user=actor.user,
        organisation=service_request.organisation,
        territory=service_request.territory,
        target=service_request,
        write=True,  # those who act on the request, not those who only read it
    )
    if membership is None:
        raise PermissionDenied(_("You may not act on this request."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why you need the reporter's contact details.")},
            code="reason_required",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX_LENGTH}},
            code="too_long",
        )
    if not servicerequest_has_contact(service_request):
        raise ValidationError(
            _("This report is anonymous: there are no contact details."), code="anonymous"
        )
    actor = Actor(
        user=actor.user,
        membership=membership,
        ip_address=actor.ip_address,
        user_agent=actor.user_agent,
    )
    reporter = service_request.reporter
    if reporter is not None:
        # The row names the citizen, so it appears among the reads of their data.
        audit_personal_data_read(
            actor=actor, subject_user=reporter, reason=f"{service_request.reference}: {reason}"
        )
    else:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.READ_PERSONAL_DATA,
            target=service_request,
            changes={"reason": reason, "fields": "contact"},
        )
    return ContactDetails(
        name=service_request.contact_name or (reporter.full_name if reporter else ""),
        email=service_request.contact_email or (reporter.email if reporter else "") or "",
        phone=service_request.contact_phone or (reporter.phone if reporter else "") or "",
        account=reporter.username if reporter else "",
    )
