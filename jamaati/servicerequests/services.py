"""Every write to service requests: intake, routing, workflow, assignment, updates, transfer, merge.

Each service runs in one transaction, writes the request's history row (and, for staff, the
audit row), and schedules notifications for after the commit.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_record
from jamaati.core.actors import Actor
from jamaati.core.notifications import notify
from jamaati.core.refcodes import refcode_new
from jamaati.core.uploads import validate_and_clean_upload
from jamaati.organisations import permissions
from jamaati.organisations.models import Department, Membership, Organisation, Referral, Role
from jamaati.organisations.selectors import competence_for, council_for
from jamaati.organisations.services import referral_create
from jamaati.servicerequests import catalogue
from jamaati.servicerequests.answers import clean_answers
from jamaati.servicerequests.models import (
    OPEN_STATUSES,
    Category,
    CategoryQuestion,
    Channel,
    EventKind,
    Follower,
    ResponseTemplate,
    ServiceRequest,
    ServiceRequestEvent,
    ServiceRequestPhoto,
    Status,
)
from jamaati.servicerequests.workflow import ALLOWED_TRANSITIONS, NEEDS_OWN_SERVICE, REOPENABLE
from jamaati.territories.models import Level, Territory
from jamaati.territories.selectors import territory_lookup

MAX_PHOTOS = 5
MAX_DESCRIPTION = 5000
PHOTO_MAX_BYTES = 8 * 1024 * 1024


def reopen_days() -> int:
    return getattr(settings, "SERVICEREQUEST_REOPEN_DAYS", 14)


# --- Routing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    organisation: Organisation
    department: Department | None
    rule: str  # "competence" or "fallback": shown to staff, so they know why it came to them


def servicerequest_route(*, category: Category, territory: Territory) -> Route:
    """Who handles a report of `category` at `territory`.

    The competence table decides (most specific territory first). When no competence
    matches, the stated fallback is the commune council of the place, then the category's
    own organisation.
    """
    if category.domain_id:
        competence = competence_for(domain=category.domain, territory=territory)
        if competence is not None:
            department = competence.department
            if department is None and category.organisation_id == competence.organisation_id:
                department = category.department
            return Route(competence.organisation, department, "competence")
    council = council_for(territory=territory)
    organisation = council or category.organisation
    department = category.department if organisation.pk == category.organisation_id else None
    return Route(organisation, department, "fallback")


# --- Intake ---------------------------------------------------------------------------------


def _place(
    *, latitude: float | None, longitude: float | None, commune: Territory | None
) -> tuple[Territory, Territory]:
    """The place of a report (arrondissement or commune) and its commune.

    A point is placed by the in-process territory index, with no query.
    """
    if latitude is not None and longitude is not None:
        lookup = territory_lookup(lat=latitude, lon=longitude)
        if lookup is None:
            raise ValidationError(
                {
                    "location": _(
                        "This point is outside every commune of Morocco. Move the pin onto the place."
                    )
                },
                code="outside",
            )
        return lookup.arrondissement or lookup.commune, lookup.commune
    if latitude is not None or longitude is not None:
        raise ValidationError(
            {"location": _("Give both the latitude and the longitude.")}, code="half_point"
        )
    if commune is None:
        raise ValidationError(
            {"location": _("Put a pin on the map, or choose the commune and describe the place.")},
            code="no_location",
        )
    if commune.level not in (Level.COMMUNE, Level.ARRONDISSEMENT):
        raise ValidationError({"commune": _("Choose a commune.")}, code="not_commune")
    return commune, (commune.commune if commune.level == Level.ARRONDISSEMENT else commune)


def _event(
    service_request: ServiceRequest,
    kind: str,
    *,
    actor: Actor | None = None,
    is_public: bool = True,
    body: str = "",
    from_status: str = "",
    to_status: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> ServiceRequestEvent:
    return ServiceRequestEvent.objects.create(
        service_request=service_request,
        kind=kind,
        is_public=is_public,
        body=body,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
        created_at=at or timezone.now(),
        actor=actor.user if actor is not None else None,
        organisation=actor.organisation if actor is not None else None,
    )


def _follow(
    service_request: ServiceRequest,
    *,
    user=None,
    email: str = "",
    phone: str = "",
    language: str = "ar",
    is_supporter: bool = False,
    is_new: bool = False,
) -> Follower | None:
    """Add a follower unless they follow already (a new request has none: no lookup then)."""
    if user is None and not email and not phone:
        return None
    defaults = {
        "language": language,
        "is_supporter": is_supporter,
        "unsubscribe_token": secrets.token_urlsafe(32),
    }
    if is_new:
        return Follower.objects.create(
            service_request=service_request,
            user=user,
            email="" if user is not None else email,
            phone="" if user is not None else phone,
            **defaults,
        )
    if user is not None:
        follower, _created = Follower.objects.get_or_create(
            service_request=service_request, user=user, defaults=defaults
        )
        return follower
    follower = Follower.objects.filter(
        service_request=service_request, email=email, phone=phone, user=None
    ).first()
    if follower is None:
        follower = Follower.objects.create(
            service_request=service_request, email=email, phone=phone, **defaults
        )
    return follower


def _reference_collision(error: IntegrityError) -> bool:
    # PostgreSQL names the constraint servicerequests_servicerequest_reference_key, SQLite
    # the column servicerequests_servicerequest.reference.
    message = str(error)
    return "servicerequest_reference" in message or "servicerequest.reference" in message


def servicerequest_create(
    *,
    category: Category,
    description: str,
    latitude: float | None = None,
    longitude: float | None = None,
    commune: Territory | None = None,
    address: str = "",
    answers: dict[str, Any] | None = None,
    photos: Iterable[Any] = (),
    reporter=None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    anonymous: bool = False,
    language: str = "ar",
    channel: str = Channel.WEB,
    actor: Actor | None = None,
    source: str = "",
    external_id: str = "",
    created_at: datetime | None = None,
    notify_reporter: bool = True,
    media_url: str = "",
) -> ServiceRequest:
    """Accept a citizen's report: check it, place it, route it, and send the receipt.

    The description is stored exactly as typed. Nothing is written unless every part is valid.
    """
    errors: dict[str, list[str]] = {}
    if not category.is_active:
        errors.setdefault("category", []).append(_("This category no longer takes reports."))
    if not description or not description.strip():
        errors.setdefault("description", []).append(_("Describe the problem."))
    elif len(description) > MAX_DESCRIPTION:
        errors.setdefault("description", []).append(
            _("Keep the description under %(max)d characters.") % {"max": MAX_DESCRIPTION}
        )
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        errors.setdefault("photos", []).append(
            _("Send at most %(max)d photos.") % {"max": MAX_PHOTOS}
        )
    has_contact = reporter is not None or contact_email or contact_phone
    if anonymous and not category.allow_anonymous:
        errors.setdefault("anonymous", []).append(
            _("This category does not accept anonymous reports.")
        )
    # Imported history has no contact details to give: the rule is for new reports.
    if not has_contact and not category.allow_anonymous and channel != Channel.IMPORT:
        errors.setdefault("contact", []).append(
            _(
                "Give an e-mail address or a mobile number: this category does not accept anonymous reports."
            )
        )
    try:
        territory, commune = _place(latitude=latitude, longitude=longitude, commune=commune)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
        territory = commune = None
    try:
        cleaned_answers = clean_answers(category=category, answers=answers or {})
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
        cleaned_answers = {}
    cleaned_photos = []
    for photo in photos:
        try:
            cleaned_photos.append(
                validate_and_clean_upload(
                    photo, allowed_kinds=("image",), max_bytes=PHOTO_MAX_BYTES
                )
            )
        except ValidationError as exc:
            errors.setdefault("photos", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    route = catalogue.route_for(category=category, territory=territory)
    now = created_at or timezone.now()
    fields = {
        "category": category,
        "jurisdiction_id": category.organisation_id,
        "organisation": route.organisation,
        "department": route.department,
        "territory": territory,
        "commune": commune,
        "description": description,
        "latitude": latitude,
        "longitude": longitude,
        "address": address.strip(),
        "answers": cleaned_answers,
        "channel": channel,
        "language": language,
        "reporter": None if anonymous else reporter,
        "is_anonymous": anonymous or not has_contact,
        "contact_name": "" if anonymous else contact_name.strip(),
        "contact_email": "" if anonymous else contact_email.strip().lower(),
        "contact_phone": "" if anonymous else contact_phone.strip(),
        "media_url": media_url,
        "created_at": now,
        "updated_at": now,
        "due_acknowledge_at": now + category.target_acknowledge,
        "due_resolve_at": now + category.target_resolve,
        "source": source,
        "external_id": external_id,
    }
    # One transaction, no savepoint: a clash of tracking codes (45 random bits: about 3 in
    # 100 million against a million rows) rolls the whole transaction back and draws again.
    for attempt in range(5):
        try:
            with transaction.atomic():
                service_request = ServiceRequest.objects.create(reference=refcode_new(), **fields)
                for cleaned in cleaned_photos:
                    photo_row = ServiceRequestPhoto(service_request=service_request)
                    photo_row.file.save(cleaned.name, cleaned, save=False)
                    photo_row.save()
                _event(
                    service_request,
                    EventKind.CREATED,
                    actor=actor,
                    to_status=Status.NEW,
                    at=now,
                    data={
                        "route": route.rule,
                        "organisation": route.organisation.slug,
                        "channel": channel,
                    },
                )
                follower = None
                if not anonymous:
                    follower = _follow(
                        service_request,
                        user=reporter,
                        email=contact_email.strip().lower() if not reporter else "",
                        phone=contact_phone.strip() if not reporter else "",
                        language=language,
                        is_new=True,
                    )
                if actor is not None and actor.user is not None and actor.membership is not None:
                    audit_record(
                        actor=actor,
                        action=AuditEvent.Action.CREATE,
                        target=service_request,
                        changes={"channel": channel},
                    )
                if notify_reporter and follower is not None:
                    _notify_followers(
                        service_request,
                        template="servicerequest_received",
                        event=None,
                        followers=[follower],
                    )
            break
        except IntegrityError as error:
            if attempt == 4 or not _reference_collision(error):
                raise
    return service_request


# --- Staff workflow ----------------------------------------------------------------------------


def _require_staff(actor: Actor, service_request: ServiceRequest) -> Membership:
    membership = permissions.staff_access(
        user=actor.user,
        organisation=service_request.organisation,
        territory=service_request.territory,
        target=service_request,
        write=True,
    )
    if membership is None:
        raise PermissionDenied(_("You may not act on this request."))
    return membership


def _staff_actor(actor: Actor, service_request: ServiceRequest) -> Actor:
    membership = _require_staff(actor, service_request)
    # Keep everything the caller said about itself (address, API key) and add the membership.
    return dataclasses.replace(actor, membership=membership)


def _locked(service_request: ServiceRequest) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("organisation", "territory")
        .get(pk=service_request.pk)
    )


@transaction.atomic
def servicerequest_transition(
    *,
    service_request: ServiceRequest,
    to_status: str,
    actor: Actor,
    note: str = "",
    reason: str = "",
) -> ServiceRequest:
    """Move a request along its workflow (see workflow.ALLOWED_TRANSITIONS), with history and audit."""
    actor = _staff_actor(actor, service_request)
    service_request = _locked(service_request)
    from_status = service_request.status
    if to_status in NEEDS_OWN_SERVICE:
        raise ValidationError(
            _("Mark a duplicate by merging it into the original request."), code="use_merge"
        )
    if to_status not in ALLOWED_TRANSITIONS.get(from_status, frozenset()):
        raise ValidationError(
            _("A request that is %(from)s cannot become %(to)s.")
            % {"from": Status(from_status).label, "to": Status(to_status).label},
            code="forbidden_transition",
        )
    if to_status == Status.REJECTED and not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the request is rejected.")}, code="reason_required"
        )
    now = timezone.now()
    service_request.status = to_status
    service_request.updated_at = now
    if to_status == Status.ACKNOWLEDGED or (
        to_status != Status.NEW and service_request.acknowledged_at is None
    ):
        service_request.acknowledged_at = service_request.acknowledged_at or now
    if to_status == Status.RESOLVED:
        service_request.resolved_at = now
    if to_status == Status.REJECTED:
        service_request.rejection_reason = reason.strip()
    if to_status == Status.CLOSED:
        service_request.closed_at = now
    service_request.save()
    body = reason.strip() if to_status == Status.REJECTED else note.strip()
    event = _event(
        service_request,
        EventKind.STATUS_CHANGED,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        body=body,
        at=now,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        target=service_request,
        changes={"from": from_status, "to": to_status},
    )
    if to_status in (Status.ACKNOWLEDGED, Status.RESOLVED, Status.REJECTED) or body:
        _notify_followers(service_request, template="servicerequest_update", event=event)
    return service_request


@transaction.atomic
def servicerequest_assign(
    *, service_request: ServiceRequest, assignee, actor: Actor
) -> ServiceRequest:
    """Give the request to an agent of the organisation handling it (or of a referred one)."""
    actor = _staff_actor(actor, service_request)
    service_request = _locked(service_request)
    if (
        assignee is not None
        and permissions.staff_access(
            user=assignee,
            organisation=service_request.organisation,
            territory=service_request.territory,
            target=service_request,
            write=True,
        )
        is None
    ):
        raise ValidationError(
            {"assignee": _("This person cannot work on this request.")}, code="not_staff"
        )
    service_request.assigned_to = assignee
    service_request.updated_at = timezone.now()
    service_request.save(update_fields=["assigned_to", "updated_at"])
    _event(
        service_request,
        EventKind.ASSIGNED,
        actor=actor,
        is_public=False,
        data={"assignee": assignee.pk if assignee else None},
        body=str(assignee or ""),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ASSIGN,
        target=service_request,
        changes={"assigned_to": assignee.username if assignee else None},
    )
    return service_request


@transaction.atomic
def servicerequest_comment(
    *, service_request: ServiceRequest, body: str, public: bool, actor: Actor
) -> ServiceRequestEvent:
    """Add a public update (citizens see it and are notified) or an internal note (staff only)."""
    actor = _staff_actor(actor, service_request)
    if not body.strip():
        raise ValidationError({"body": _("Write the text of the update.")}, code="empty")
    event = _event(
        service_request,
        EventKind.PUBLIC_UPDATE if public else EventKind.INTERNAL_NOTE,
        actor=actor,
        is_public=public,
        body=body.strip(),
    )
    ServiceRequest.objects.filter(pk=service_request.pk).update(updated_at=event.created_at)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=service_request,
        changes={"comment": "public" if public else "internal"},
    )
    if public:
        _notify_followers(service_request, template="servicerequest_update", event=event)
    return event


@transaction.atomic
def servicerequest_transfer(
    *,
    service_request: ServiceRequest,
    to_organisation: Organisation,
    reason: str,
    actor: Actor,
    department: Department | None = None,
) -> Referral:
    """Refer the request to another organisation, which gets access to it (and only to it)."""
    actor = _staff_actor(actor, service_request)
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the request is transferred.")}, code="reason_required"
        )
    if actor.membership.organisation_id != service_request.organisation_id:
        raise PermissionDenied(_("Only the organisation handling the request may transfer it."))
    referral = referral_create(
        actor=actor,
        target=service_request,
        from_organisation=service_request.organisation,
        to_organisation=to_organisation,
        reason=reason.strip(),
        department=department,
    )
    _event(
        service_request,
        EventKind.TRANSFERRED,
        actor=actor,
        body=reason.strip(),
        data={"to": to_organisation.slug, "to_name": str(to_organisation)},
    )
    return referral


@transaction.atomic
def servicerequest_merge(
    *, duplicate: ServiceRequest, original: ServiceRequest, actor: Actor
) -> ServiceRequest:
    """Mark `duplicate` as a duplicate of `original`; its reporter and supporters now follow the original."""
    actor = _staff_actor(actor, duplicate)
    _require_staff(actor, original)
    if duplicate.pk == original.pk:
        raise ValidationError(_("A request cannot be a duplicate of itself."), code="self")
    duplicate, original = _locked(duplicate), _locked(original)
    if original.status == Status.DUPLICATE:
        raise ValidationError(
            _("Merge into the original request, not into another duplicate."), code="chain"
        )
    if Status.DUPLICATE not in ALLOWED_TRANSITIONS.get(duplicate.status, frozenset()):
        raise ValidationError(
            _("A request that is %(from)s cannot become %(to)s.")
            % {"from": Status(duplicate.status).label, "to": Status.DUPLICATE.label},
            code="forbidden_transition",
        )
    from_status = duplicate.status
    now = timezone.now()
    duplicate.status = Status.DUPLICATE
    duplicate.duplicate_of = original
    duplicate.updated_at = now
    duplicate.save(update_fields=["status", "duplicate_of", "updated_at"])
    moved = 0
    for follower in Follower.objects.filter(service_request=duplicate):
        exists = follower.user_id and Follower.objects.filter(
            service_request=original, user_id=follower.user_id
        )
        if exists and exists.exists():
            continue
        Follower.objects.create(
            service_request=original,
            user_id=follower.user_id,
            email=follower.email,
            phone=follower.phone,
            language=follower.language,
            is_supporter=True,
            notify=follower.notify,
            unsubscribe_token=secrets.token_urlsafe(32),
        )
        moved += 1
    ServiceRequest.objects.filter(pk=original.pk).update(
        supporters_count=F("supporters_count") + duplicate.supporters_count + 1, updated_at=now
    )
    _event(
        duplicate,
        EventKind.MERGED,
        actor=actor,
        from_status=from_status,
        to_status=Status.DUPLICATE,
        data={"original": original.reference},
        body=original.reference,
    )
    _event(
        original,
        EventKind.MERGED,
        actor=actor,
        is_public=True,
        data={"duplicate": duplicate.reference},
        body=duplicate.reference,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        target=duplicate,
        changes={"duplicate_of": original.reference, "followers_moved": moved},
    )
    return duplicate


@transaction.atomic
def servicerequest_photo_approve(
    *, photo: ServiceRequestPhoto, actor: Actor
) -> ServiceRequestPhoto:
    """Make a photo public: staff check it shows no face, plate or private place first."""
    actor = _staff_actor(actor, photo.service_request)
    photo.is_public = True
    photo.save(update_fields=["is_public"])
    _event(
        photo.service_request,
        EventKind.PHOTO_APPROVED,
        actor=actor,
        is_public=False,
        data={"photo": photo.pk},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=photo.service_request,
        changes={"photo_public": photo.pk},
    )
    return photo


# --- Citizens ------------------------------------------------------------------------------------


@transaction.atomic
def servicerequest_support(
    *,
    service_request: ServiceRequest,
    user=None,
    email: str = "",
    phone: str = "",
    language: str = "ar",
) -> Follower | None:
    """Add one's support to an open request instead of reporting it again; supporters are notified."""
    if service_request.status not in OPEN_STATUSES:
        raise ValidationError(_("Only an open request can be supported."), code="not_open")
    if user is not None and service_request.reporter_id == user.pk:
        raise ValidationError(_("You reported this request yourself."), code="own")
    if (
        user is not None
        and Follower.objects.filter(
            service_request=service_request, user=user, is_supporter=True
        ).exists()
    ):
        raise ValidationError(_("You already support this request."), code="already")
    follower = _follow(
        service_request, user=user, email=email, phone=phone, language=language, is_supporter=True
    )
    if follower is not None and not follower.is_supporter:
        follower.is_supporter = True
        follower.save(update_fields=["is_supporter"])
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        supporters_count=F("supporters_count") + 1
    )
    _event(service_request, EventKind.SUPPORTED, is_public=True)
    return follower


@transaction.atomic
def servicerequest_reopen(*, service_request: ServiceRequest, user, reason: str) -> ServiceRequest:
    """Let the reporter reopen a resolved request within the configured number of days."""
    service_request = _locked(service_request)
    if user is None or service_request.reporter_id != user.pk:
        raise PermissionDenied(_("Only the person who reported this request may reopen it."))
    if service_request.status not in REOPENABLE or service_request.resolved_at is None:
        raise ValidationError(_("Only a resolved request can be reopened."), code="not_resolved")
    if timezone.now() - service_request.resolved_at > timedelta(days=reopen_days()):
        raise ValidationError(
            _(
                "A request can be reopened within %(days)d days of its resolution. Report it again instead."
            )
            % {"days": reopen_days()},
            code="too_late",
        )
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the problem is not solved.")}, code="reason_required"
        )
    from_status = service_request.status
    now = timezone.now()
    service_request.status = Status.IN_PROGRESS
    service_request.resolved_at = None
    service_request.closed_at = None
    service_request.escalated_at = None
    service_request.updated_at = now
    service_request.due_resolve_at = now + service_request.category.target_resolve
    service_request.save()
    _event(
        service_request,
        EventKind.REOPENED,
        actor=Actor(user=user),
        from_status=from_status,
        to_status=Status.IN_PROGRESS,
        body=reason.strip(),
        at=now,
    )
    return service_request


@transaction.atomic
def follower_unsubscribe(*, token: str) -> Follower:
    follower = Follower.objects.select_for_update().filter(unsubscribe_token=token).first()
    if follower is None:
        raise ValidationError(_("This link is not valid."), code="invalid")
    follower.notify = False
    follower.save(update_fields=["notify"])
    return follower


# --- Deadlines ------------------------------------------------------------------------------------


@transaction.atomic
def servicerequests_escalate_overdue(*, now: datetime | None = None) -> int:
    """Flag open requests past a deadline and tell the responsible department heads. Once per request."""
    now = now or timezone.now()
    overdue = (
        ServiceRequest.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status__in=OPEN_STATUSES, escalated_at__isnull=True)
        .filter(Q(status=Status.NEW, due_acknowledge_at__lt=now) | Q(due_resolve_at__lt=now))
        .select_related("organisation", "department", "territory")
    )
    count = 0
    for service_request in overdue:
        service_request.escalated_at = now
        service_request.save(update_fields=["escalated_at"])
        late_on_resolve = service_request.due_resolve_at < now
        deadline = "resolve" if late_on_resolve else "acknowledge"
        _event(
            service_request,
            EventKind.ESCALATED,
            is_public=False,
            data={"deadline": deadline},
            at=now,
        )
        for head in _department_heads(service_request):
            if head.email or head.phone:
                notify(
                    template="servicerequest_escalated",
                    user=head,
                    context={"service_request": service_request, "deadline": deadline},
                )
        count += 1
    return count


def _department_heads(service_request: ServiceRequest):
    memberships = (
        Membership.objects.active()
        .filter(organisation=service_request.organisation, role=Role.DEPARTMENT_HEAD)
        .select_related("user")
    )
    if service_request.department_id:
        memberships = memberships.filter(department_id=service_request.department_id)
    heads = [m.user for m in memberships]
    if not heads:  # no head for that department: the organisation's admins hear of it
        heads = [
            m.user
            for m in Membership.objects.active()
            .filter(organisation=service_request.organisation, role=Role.ORG_ADMIN)
            .select_related("user")
        ]
    return heads


# --- Notifications ---------------------------------------------------------------------------------


def _notify_followers(
    service_request: ServiceRequest,
    *,
    template: str,
    event: ServiceRequestEvent | None,
    followers: Iterable[Follower] | None = None,
) -> None:
    if followers is None:
        followers = service_request.followers.filter(notify=True).select_related("user")
    for follower in followers:
        user = follower.user
        email = follower.email or (user.email if user else "") or ""
        phone = follower.phone or (user.phone if user else "") or ""
        if not email and not phone:
            continue
        notify(
            template=template,
            user=user,
            email=email or None,
            phone=phone or None,
            language=(user.preferred_language if user else follower.language),
            context={"service_request": service_request, "event": event, "follower": follower},
        )


# --- Catalogue: categories, their questions, response templates (used by the demo seed) -----------


@dataclass(frozen=True)
class QuestionInput:
    code: str
    kind: str
    labels: dict[str, str]  # language -> question
    required: bool = False
    choices: tuple[dict[str, str], ...] = ()  # {"key": ..., "label_ar": ..., "label_fr": ..., ...}


@transaction.atomic
def category_create(
    *,
    actor: Actor,
    organisation: Organisation,
    code: str,
    group: str,
    names: dict[str, str],
    help_texts: dict[str, str] | None = None,
    domain=None,
    department: Department | None = None,
    target_acknowledge: timedelta,
    target_resolve: timedelta,
    allow_anonymous: bool = True,
    position: int = 0,
    questions: Iterable[QuestionInput] = (),
) -> Category:
    """Add a category (and its extra questions) to an organisation's catalogue; admins only."""
    if not permissions.organisation_can_administer(user=actor.user, organisation=organisation):
        raise PermissionDenied(_("Only an administrator of this organisation may do this."))
    if department is not None and department.organisation_id != organisation.pk:
        raise ValidationError(
            {"department": _("Choose a department of this organisation.")}, code="department"
        )
    category = Category(
        organisation=organisation,
        code=code,
        group=group,
        domain=domain,
        department=department,
        target_acknowledge=target_acknowledge,
        target_resolve=target_resolve,
        allow_anonymous=allow_anonymous,
        position=position,
    )
    for language, value in names.items():
        setattr(category, f"name_{language}", value)
    for language, value in (help_texts or {}).items():
        setattr(category, f"help_text_{language}", value)
    category.full_clean()
    category.save()
    for index, spec in enumerate(questions):
        question = CategoryQuestion(
            category=category,
            code=spec.code,
            kind=spec.kind,
            required=spec.required,
            choices=[dict(choice) for choice in spec.choices],
            position=index,
        )
        for language, value in spec.labels.items():
            setattr(question, f"label_{language}", value)
        question.full_clean()
        question.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=category,
        organisation=organisation,
        changes={"code": code, "questions": category.questions.count()},
    )
    return category


@transaction.atomic
def responsetemplate_create(
    *, actor: Actor, organisation: Organisation, titles: dict[str, str], bodies: dict[str, str]
) -> ResponseTemplate:
    """Add a ready-made answer staff can start a public update from; admins only."""
    if not permissions.organisation_can_administer(user=actor.user, organisation=organisation):
        raise PermissionDenied(_("Only an administrator of this organisation may do this."))
    template = ResponseTemplate(organisation=organisation)
    for language, value in titles.items():
        setattr(template, f"title_{language}", value)
    for language, value in bodies.items():
        setattr(template, f"body_{language}", value)
    template.full_clean()
    template.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=template, organisation=organisation
    )
    return template


# --- Citizen pages: follow a report, erase a citizen's reports' personal data -------------------


@transaction.atomic
def servicerequest_follow(
    *,
    service_request: ServiceRequest,
    user=None,
    email: str = "",
    phone: str = "",
    language: str = "ar",
) -> Follower:
    """Have someone told of a request's public updates, without supporting or reporting it."""
    if user is None and not email and not phone:
        raise ValidationError(
            {"contact": _("Give an e-mail address or a mobile number to be told of updates.")},
            code="no_contact",
        )
    follower = _follow(service_request, user=user, email=email, phone=phone, language=language)
    if not follower.notify:
        follower.notify = True
        follower.save(update_fields=["notify"])
    return follower


@transaction.atomic
def servicerequests_erase_citizen(*, user) -> int:
    """Detach a citizen's reports from them and blank their contact fields (law 09-08 erasure).

    The reports stay (the public problem still exists); nothing in them identifies the person.
    The citizen stops following any request. Returns the number of reports detached.
    """
    detached = ServiceRequest.objects.filter(reporter=user).update(
        reporter=None,
        is_anonymous=True,
        contact_name="",
        contact_email="",
        contact_phone="",
    )
    Follower.objects.filter(user=user).delete()
    return detached
