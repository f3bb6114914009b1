"""The service requests API, mounted at /api/v1/service-requests/.

Public endpoints (no key): the categories offered at a place, reporting, a request by its
tracking code, and the public list. They never carry personal data: no reporter, no contact.

Staff endpoints (`/staff/...`) take a staff token (`Authorization: Bearer` or `X-Api-Key`),
which acts as one membership: a request outside that membership's reach is a 404, exactly
as if it did not exist. Refusals by the workflow are 422 with translated messages.
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as Answer

from jamaati.accounts.phone import normalise_moroccan_mobile
from jamaati.accounts.throttle import throttle_hit
from jamaati.apikeys.auth import api_key_auth
from jamaati.apikeys.models import ApiKey
from jamaati.apikeys.scopes import READ, WRITE
from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_personal_data_read, audit_record
from jamaati.core.actors import Actor, client_ip_address
from jamaati.core.api_errors import Error, ValidationErrorOut
from jamaati.organisations.selectors import organisation_departments, organisation_get_public
from jamaati.servicerequests import selectors, services
from jamaati.servicerequests.models import (
    Category,
    Channel,
    ServiceRequest,
    ServiceRequestEvent,
    Status,
)
from jamaati.servicerequests.workflow import open311_status
from jamaati.territories.models import Level, Territory
from jamaati.territories.selectors import territory_get_by_code, territory_lookup

router = Router(tags=["service requests"])

# Reports a single address may file through the API per hour (a partner app should use Open311 keys).
CREATE_LIMIT_PER_HOUR = 30
PAGE_SIZE_DEFAULT = 50
StatusValue = Literal[
    "new", "acknowledged", "in_progress", "resolved", "rejected", "duplicate", "closed"
]


# --- Schemas: errors ---------------------------------------------------------------------------


# --- Schemas: references ---------------------------------------------------------------------------


class OrganisationRef(Schema):
    slug: str
    name: str


class CommuneRef(Schema):
    code: str
    name_ar: str
    name_fr: str


class CategoryRef(Schema):
    code: str
    name: str
    group: str


class UserRef(Schema):
    id: int
    full_name: str


# --- Schemas: categories ------------------------------------------------------------------------------


class ChoiceOut(Schema):
    key: str
    label: str


class QuestionOut(Schema):
    code: str
    kind: str
    label: str
    help_text: str
    required: bool
    choices: list[ChoiceOut]


class CategoryOut(Schema):
    id: int
    code: str = Field(description="The Open311 service_code, unique within its organisation")
    group: str
    name: str
    help_text: str
    organisation: OrganisationRef
    allow_anonymous: bool
    target_acknowledge_hours: float
    target_resolve_hours: float
    questions: list[QuestionOut]


class CategoriesIn(Schema):
    organisation: str | None = Field(None, description="An organisation's slug")
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)


# --- Schemas: reporting ----------------------------------------------------------------------------


class ReportIn(Schema):
    category_id: int = Field(description="A category `id` from /categories")
    description: str = Field(
        min_length=1,
        max_length=services.MAX_DESCRIPTION,
        description="The problem, in the citizen's words: stored exactly as sent",
    )
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    commune: str | None = Field(
        None, description="HCP code of the commune, when no point is given (with an address)"
    )
    address: str = Field("", max_length=300)
    answers: dict[str, str | list[str]] = Field(
        default_factory=dict, description="Answers to the category's questions, by question code"
    )
    contact_name: str = Field("", max_length=200)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=32, description="A Moroccan mobile number")
    anonymous: bool = Field(False, description="Keep no contact details with the report")


class ReceiptOut(Schema):
    reference: str = Field(description="The tracking code, to read aloud or type")
    tracking_url: str
    status: str
    organisation: OrganisationRef
    commune: CommuneRef
    created_at: datetime


# --- Schemas: public views ------------------------------------------------------------------------


class PublicEventOut(Schema):
    kind: str
    at: datetime
    from_status: str
    to_status: str
    body: str
    organisation: str | None


class PhotoOut(Schema):
    url: str


class PublicRequestOut(Schema):
    reference: str
    category: CategoryRef
    organisation: OrganisationRef
    commune: CommuneRef
    status: str
    open311_status: Literal["open", "closed"]
    description: str
    lat: float | None
    lon: float | None
    address: str
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    supporters_count: int


class PublicDetailOut(PublicRequestOut):
    timeline: list[PublicEventOut]
    photos: list[PhotoOut]


class PublicListIn(Schema):
    status: list[StatusValue] | None = Field(None, description="Repeat for several statuses")
    category: str | None = Field(None, description="A category code")
    organisation: str | None = Field(None, description="An organisation's slug")
    commune: str | None = Field(None, description="HCP code of a commune")
    bbox: str | None = Field(
        None, description="min_lon,min_lat,max_lon,max_lat", examples=["-5.40,35.55,-5.33,35.60"]
    )
    cursor: str | None = Field(None, description="The `next_cursor` of the previous page")
    limit: int = Field(PAGE_SIZE_DEFAULT, ge=1, le=selectors.PAGE_SIZE_MAX)


class PublicPageOut(Schema):
    items: list[PublicRequestOut]
    next_cursor: str | None = Field(
        description="Pass it as `cursor` for the next page; null at the end"
    )


# --- Schemas: staff ------------------------------------------------------------------------------------


class DepartmentRef(Schema):
    slug: str
    name: str


class StaffRequestOut(Schema):
    id: int
    reference: str
    category: CategoryRef
    organisation: OrganisationRef
    department: DepartmentRef | None
    commune: CommuneRef
    territory_code: str
    status: str
    description: str
    lat: float | None
    lon: float | None
    address: str
    answers: dict[str, Any]
    channel: str
    language: str
    assigned_to: UserRef | None
    duplicate_of: str | None
    rejection_reason: str
    supporters_count: int
    is_overdue: bool
    created_at: datetime
    updated_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    due_acknowledge_at: datetime
    due_resolve_at: datetime
    escalated_at: datetime | None
    source: str
    external_id: str


class ContactOut(Schema):
    anonymous: bool
    reporter: UserRef | None
    name: str
    email: str
    phone: str


class StaffEventOut(Schema):
    id: int
    kind: str
    at: datetime
    is_public: bool
    from_status: str
    to_status: str
    body: str
    actor: UserRef | None
    organisation: str | None


class StaffDetailOut(StaffRequestOut):
    contact: ContactOut = Field(description="Personal data: each read is recorded in the audit log")
    timeline: list[StaffEventOut]


class StaffQueueIn(Schema):
    status: list[StatusValue] | None = Field(None, description="Repeat for several statuses")
    category: int | None = Field(None, description="A category id")
    department: int | None = Field(None, description="A department id")
    overdue: bool = False
    area: str | None = Field(None, description="HCP code of a territory: requests inside it")
    since: datetime | None = None
    until: datetime | None = None
    cursor: str | None = None
    limit: int = Field(PAGE_SIZE_DEFAULT, ge=1, le=selectors.PAGE_SIZE_MAX)


class StaffPageOut(Schema):
    items: list[StaffRequestOut]
    next_cursor: str | None


class TransitionIn(Schema):
    to_status: StatusValue
    note: str = Field("", max_length=5000, description="A public note shown on the timeline")
    reason: str = Field("", max_length=5000, description="Required when rejecting")


class AssignIn(Schema):
    assignee_id: int | None = Field(description="A staff member's id; null to unassign")


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=5000)
    public: bool = Field(
        description="True: a public update, the citizen is notified; false: an internal note"
    )


class TransferIn(Schema):
    organisation: str = Field(description="The receiving organisation's slug")
    department: str | None = Field(None, description="A department slug of that organisation")
    reason: str = Field(min_length=1, max_length=2000)


class TransferOut(Schema):
    organisation: OrganisationRef
    reason: str
    created_at: datetime


class MergeIn(Schema):
    original_id: int = Field(description="The id of the request this one duplicates")


# --- Helpers ------------------------------------------------------------------------------------------


def _field_error(field: str, message: str, code: str) -> ValidationError:
    """A refusal of one field that keeps its machine-readable code (a dict alone would drop it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _error_items(exc: ValidationError) -> list[dict[str, Any]]:
    items = []
    if hasattr(exc, "error_dict"):
        pairs = [(field, error) for field, errors in exc.error_dict.items() for error in errors]
    else:
        pairs = [(NON_FIELD_ERRORS, error) for error in exc.error_list]
    for field, error in pairs:
        loc: list[str | int] = ["body"] if field == NON_FIELD_ERRORS else ["body", field]
        items.append({"loc": loc, "type": error.code or "invalid", "msg": error.messages[0]})
    return items


def _unprocessable(exc: ValidationError) -> Answer:
    return Answer(422, {"message": _("The request is not valid."), "detail": _error_items(exc)})


def _service_errors(view: Callable) -> Callable:
    """Turn the services' refusals into API answers: ValidationError → 422, PermissionDenied → 403."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as exc:
            return _unprocessable(exc)
        except PermissionDenied as exc:
            return Answer(403, {"detail": str(exc) or _("You may not do this.")})

    return wrapper


def _encode_cursor(after: tuple[datetime, int] | None) -> str | None:
    if after is None:
        return None
    created_at, pk = after
    raw = f"{created_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created, pk = raw.split("|")
        created_at = datetime.fromisoformat(created)
        if timezone.is_naive(created_at):
            raise ValueError
        return created_at, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise _field_error("cursor", _("This cursor is not valid."), "invalid") from exc


def _territory(code: str, *, field: str, communes_only: bool = False) -> Territory:
    try:
        territory = territory_get_by_code(code=code)
    except Http404 as exc:
        raise _field_error(
            field, _("No territory has the code %(code)s.") % {"code": code}, "unknown"
        ) from exc
    if communes_only and territory.level not in (Level.COMMUNE, Level.ARRONDISSEMENT):
        raise _field_error(field, _("Choose a commune."), "not_commune")
    return territory


def _bbox(raw: str) -> tuple[float, float, float, float]:
    message = _("Give the box as min_lon,min_lat,max_lon,max_lat.")
    try:
        west, south, east, north = (float(part) for part in raw.split(","))
    except ValueError as exc:
        raise _field_error("bbox", message, "invalid") from exc
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise _field_error("bbox", message, "invalid")
    return west, south, east, north


def _choice_label(choice: dict[str, Any]) -> str:
    language = (translation.get_language() or "ar").split("-")[0]
    for key in (f"label_{language}", "label_fr", "label_ar", "label_en"):
        if choice.get(key):
            return str(choice[key])
    return str(choice.get("key", ""))


def _organisation_ref(organisation) -> dict[str, str]:
    return {"slug": organisation.slug, "name": organisation.name}


def _commune_ref(commune: Territory) -> dict[str, str]:
    return {"code": commune.code, "name_ar": commune.name_ar, "name_fr": commune.name_fr}


def _category_ref(category: Category) -> dict[str, str]:
    return {"code": category.code, "name": category.name, "group": category.group}


def _user_ref(user) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "full_name": user.get_full_name()}


def _category_out(category: Category) -> dict[str, Any]:
    return {
        "id": category.pk,
        "code": category.code,
        "group": category.group,
        "name": category.name,
        "help_text": category.help_text,
        "organisation": _organisation_ref(category.organisation),
        "allow_anonymous": category.allow_anonymous,
        "target_acknowledge_hours": category.target_acknowledge.total_seconds() / 3600,
        "target_resolve_hours": category.target_resolve.total_seconds() / 3600,
        "questions": [
            {
                "code": question.code,
                "kind": question.kind,
                "label": question.label,
                "help_text": question.help_text,
                "required": question.required,
                "choices": [
                    {"key": str(choice.get("key", "")), "label": _choice_label(choice)}
                    for choice in question.choices
                ],
            }
            for question in category.questions.all()
        ],
    }


def _public_out(service_request: ServiceRequest) -> dict[str, Any]:
    # Only PUBLIC_FIELDS are loaded (selectors.public_requests): no personal field can slip in here.
    return {
        "reference": service_request.reference,
        "category": _category_ref(service_request.category),
        "organisation": _organisation_ref(service_request.organisation),
        "commune": _commune_ref(service_request.commune),
        "status": service_request.status,
        "open311_status": open311_status(service_request.status),
        "description": service_request.description,
        "lat": service_request.latitude,
        "lon": service_request.longitude,
        "address": service_request.address,
        "created_at": service_request.created_at,
        "updated_at": service_request.updated_at,
        "resolved_at": service_request.resolved_at,
        "supporters_count": service_request.supporters_count,
    }


def _is_overdue(service_request: ServiceRequest) -> bool:
    if not service_request.is_open:
        return False
    now = timezone.now()
    return service_request.due_resolve_at < now or (
        service_request.status == Status.NEW and service_request.due_acknowledge_at < now
    )


def _staff_out(service_request: ServiceRequest) -> dict[str, Any]:
    department = service_request.department
    return {
        "id": service_request.pk,
        "reference": service_request.reference,
        "category": _category_ref(service_request.category),
        "organisation": _organisation_ref(service_request.organisation),
        "department": (
            {"slug": department.slug, "name": department.name} if department is not None else None
        ),
        "commune": _commune_ref(service_request.commune),
        "territory_code": service_request.territory.code,
        "status": service_request.status,
        "description": service_request.description,
        "lat": service_request.latitude,
        "lon": service_request.longitude,
        "address": service_request.address,
        "answers": service_request.answers,
        "channel": service_request.channel,
        "language": service_request.language,
        "assigned_to": _user_ref(service_request.assigned_to),
        "duplicate_of": (
            service_request.duplicate_of.reference if service_request.duplicate_of_id else None
        ),
        "rejection_reason": service_request.rejection_reason,
        "supporters_count": service_request.supporters_count,
        "is_overdue": _is_overdue(service_request),
        "created_at": service_request.created_at,
        "updated_at": service_request.updated_at,
        "acknowledged_at": service_request.acknowledged_at,
        "resolved_at": service_request.resolved_at,
        "closed_at": service_request.closed_at,
        "due_acknowledge_at": service_request.due_acknowledge_at,
        "due_resolve_at": service_request.due_resolve_at,
        "escalated_at": service_request.escalated_at,
        "source": service_request.source,
        "external_id": service_request.external_id,
    }


def _staff_event_out(event: ServiceRequestEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "at": event.created_at,
        "is_public": event.is_public,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "body": event.body,
        "actor": _user_ref(event.actor),
        "organisation": event.organisation.name if event.organisation_id else None,
    }


def _staff_key(request: HttpRequest) -> ApiKey:
    api_key = request.auth
    if api_key.kind != ApiKey.Kind.STAFF:
        raise HttpError(403, _("This needs a staff token, not a partner application key."))
    return api_key


def _staff_fetch(
    request: HttpRequest, pk: int, *, write: bool = False
) -> tuple[ServiceRequest, Actor]:
    """The request, if the token's membership reaches it (404 otherwise), and the actor acting on it."""
    api_key = _staff_key(request)
    service_request, membership = selectors.servicerequest_get_for_staff_as(
        user=api_key.user, membership=api_key.membership, pk=pk, write=write
    )
    actor = Actor.from_api_request(request)
    return service_request, Actor(
        user=actor.user,
        membership=membership,
        ip_address=actor.ip_address,
        user_agent=actor.user_agent,
        api_key=api_key,
    )


def _staff_reload(service_request: ServiceRequest, actor: Actor) -> dict[str, Any]:
    fresh, _membership = selectors.servicerequest_get_for_staff(
        user=actor.user, pk=service_request.pk
    )
    return _staff_out(fresh)


# --- Public endpoints --------------------------------------------------------------------------------


@router.get(
    "/categories",
    response={200: list[CategoryOut], 404: Error, 422: ValidationErrorOut},
    summary="Categories offered at a place or by an organisation",
)
@_service_errors
def category_list(request: HttpRequest, params: Query[CategoriesIn]):
    """The categories a citizen can report: `?organisation=<slug>`, or `?lat=&lon=` for the
    categories of every organisation covering that point."""
    if params.organisation:
        organisation = organisation_get_public(slug=params.organisation)
        categories = selectors.categories_of(organisation_id=organisation.pk).select_related(
            "organisation"
        )
    elif params.lat is not None and params.lon is not None:
        found = territory_lookup(lat=params.lat, lon=params.lon)
        if found is None:
            raise HttpError(404, _("This point is not inside any commune of Morocco."))
        territory = Territory.objects.get(pk=(found.arrondissement or found.commune).pk)
        categories = selectors.categories_for_place(territory=territory)
    else:
        raise _field_error(
            "organisation", _("Give an organisation, or a latitude and a longitude."), "required"
        )
    return Answer(200, [_category_out(category) for category in categories])


@router.post(
    "/",
    response={201: ReceiptOut, 422: ValidationErrorOut, 429: Error},
    summary="Report a problem",
)
@_service_errors
def report_create(request: HttpRequest, payload: ReportIn):
    """Report a problem as a citizen: no key and no account needed; the answer holds the tracking code.

    Give a point (`lat` and `lon`), or a commune code with an address. Contact details are
    optional where the category allows anonymous reports; they are never shown publicly.
    Photos cannot be sent in JSON: attach them through the web form, or through Open311's
    multipart upload (`POST /open311/v2/requests.json`).
    """
    if not throttle_hit(
        scope="servicerequest-api-create",
        subject=client_ip_address(request) or "unknown",
        limit=CREATE_LIMIT_PER_HOUR,
        window_seconds=3600,
    ):
        return Answer(429, {"detail": _("Too many reports from this address. Try again later.")})
    category = Category.objects.filter(pk=payload.category_id, is_active=True).select_related(
        "organisation"
    )
    category = category.first()
    if category is None:
        raise _field_error(
            "category_id", _("This category does not exist or no longer takes reports."), "unknown"
        )
    errors: dict[str, list[ValidationError]] = {}
    email, phone = payload.contact_email.strip(), payload.contact_phone.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = [
                ValidationError(_("Enter a valid e-mail address."), code="invalid")
            ]
    if phone:
        try:
            phone = normalise_moroccan_mobile(phone)
        except ValidationError as exc:
            errors["contact_phone"] = exc.error_list
    commune = None
    if payload.commune and payload.lat is None and payload.lon is None:
        try:
            commune = _territory(payload.commune, field="commune", communes_only=True)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    language = (translation.get_language() or "ar").split("-")[0]
    service_request = services.servicerequest_create(
        category=category,
        description=payload.description,
        latitude=payload.lat,
        longitude=payload.lon,
        commune=commune,
        address=payload.address,
        answers=payload.answers,
        contact_name=payload.contact_name,
        contact_email=email,
        contact_phone=phone,
        anonymous=payload.anonymous,
        language=language,
        channel=Channel.API,
    )
    return Answer(
        201,
        {
            "reference": service_request.reference,
            "tracking_url": request.build_absolute_uri(service_request.get_absolute_url()),
            "status": service_request.status,
            "organisation": _organisation_ref(service_request.organisation),
            "commune": _commune_ref(service_request.commune),
            "created_at": service_request.created_at,
        },
    )


@router.get(
    "/",
    response={200: PublicPageOut, 422: ValidationErrorOut},
    summary="Public list of requests",
)
@_service_errors
def public_list(request: HttpRequest, params: Query[PublicListIn]):
    """Requests as the public sees them, newest first, by pages of at most 100 (no personal data).

    Pages are fetched with a cursor: follow `next_cursor` until it is null. There is no total
    count, so every page costs the same on a table of millions.
    """
    commune = _territory(params.commune, field="commune") if params.commune else None
    queryset = selectors.public_requests_filtered(
        statuses=params.status,
        category_code=params.category or "",
        organisation_slug=params.organisation or "",
        commune=commune,
        bbox=_bbox(params.bbox) if params.bbox else None,
    )
    page = selectors.keyset_page(queryset, after=_decode_cursor(params.cursor), limit=params.limit)
    return Answer(
        200,
        {
            "items": [_public_out(service_request) for service_request in page.items],
            "next_cursor": _encode_cursor(page.next_after),
        },
    )


# --- Staff endpoints (declared before /{reference} so that /staff/... is not taken for a code) ----------


@router.get(
    "/staff/queue",
    response={200: StaffPageOut, 403: Error, 422: ValidationErrorOut},
    auth=api_key_auth([READ]),
    summary="Staff queue",
)
@_service_errors
def staff_queue(request: HttpRequest, params: Query[StaffQueueIn]):
    """The requests the token's membership may see, newest first, filtered; paginated by cursor."""
    api_key = _staff_key(request)
    queryset = selectors.staff_queue_as(
        user=api_key.user,
        membership=api_key.membership,
        statuses=params.status,
        category_id=params.category,
        department_id=params.department,
        overdue=params.overdue,
        territory=_territory(params.area, field="area") if params.area else None,
        since=params.since,
        until=params.until,
    ).select_related("duplicate_of")
    page = selectors.keyset_page(queryset, after=_decode_cursor(params.cursor), limit=params.limit)
    return Answer(
        200,
        {
            "items": [_staff_out(service_request) for service_request in page.items],
            "next_cursor": _encode_cursor(page.next_after),
        },
    )


@router.get(
    "/staff/{int:request_id}",
    response={200: StaffDetailOut, 403: Error, 404: Error},
    auth=api_key_auth([READ]),
    summary="One request for staff, with its contact details",
)
@_service_errors
def staff_detail(request: HttpRequest, request_id: int):
    """The whole request, its contact details and its full timeline (internal notes included).

    Reading the contact details of a citizen is recorded in the audit log (law 09-08).
    """
    service_request, actor = _staff_fetch(request, request_id)
    has_personal_data = service_request.reporter_id is not None or any(
        (
            service_request.contact_name,
            service_request.contact_email,
            service_request.contact_phone,
        )
    )
    if service_request.reporter_id is not None:
        audit_personal_data_read(actor=actor, subject_user=service_request.reporter, reason="API")
    elif has_personal_data:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.READ_PERSONAL_DATA,
            target=service_request,
            changes={"reason": "API"},
        )
    reporter = service_request.reporter
    return Answer(
        200,
        {
            **_staff_out(service_request),
            "contact": {
                "anonymous": service_request.is_anonymous,
                "reporter": _user_ref(reporter),
                "name": service_request.contact_name
                or (reporter.get_full_name() if reporter else ""),
                "email": service_request.contact_email
                or (reporter.email if reporter else "")
                or "",
                "phone": service_request.contact_phone
                or (reporter.phone if reporter else "")
                or "",
            },
            "timeline": [
                _staff_event_out(event)
                for event in selectors.staff_timeline(service_request=service_request)
            ],
        },
    )


@router.post(
    "/staff/{int:request_id}/transition",
    response={200: StaffRequestOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Change a request's status",
)
@_service_errors
def staff_transition(request: HttpRequest, request_id: int, payload: TransitionIn):
    """Move the request along its workflow: new → acknowledged → in progress → resolved → closed,
    or rejected (with a reason). A move the workflow forbids is a 422; duplicates go through /merge."""
    service_request, actor = _staff_fetch(request, request_id, write=True)
    services.servicerequest_transition(
        service_request=service_request,
        to_status=payload.to_status,
        actor=actor,
        note=payload.note,
        reason=payload.reason,
    )
    return Answer(200, _staff_reload(service_request, actor))


@router.post(
    "/staff/{int:request_id}/assign",
    response={200: StaffRequestOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Assign a request to an agent",
)
@_service_errors
def staff_assign(request: HttpRequest, request_id: int, payload: AssignIn):
    """Give the request to a staff member who may work on it, or take it back (`null`)."""
    service_request, actor = _staff_fetch(request, request_id, write=True)
    assignee = None
    if payload.assignee_id is not None:
        assignee = get_user_model().objects.filter(pk=payload.assignee_id, is_active=True).first()
        if assignee is None:
            raise _field_error(
                "assignee_id", _("This person cannot work on this request."), "not_staff"
            )
    services.servicerequest_assign(service_request=service_request, assignee=assignee, actor=actor)
    return Answer(200, _staff_reload(service_request, actor))


@router.post(
    "/staff/{int:request_id}/comments",
    response={201: StaffEventOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Add a public update or an internal note",
)
@_service_errors
def staff_comment(request: HttpRequest, request_id: int, payload: CommentIn):
    """A public update is shown on the tracking page and sent to followers; an internal note is not."""
    service_request, actor = _staff_fetch(request, request_id, write=True)
    event = services.servicerequest_comment(
        service_request=service_request, body=payload.body, public=payload.public, actor=actor
    )
    return Answer(201, _staff_event_out(event))


@router.post(
    "/staff/{int:request_id}/transfer",
    response={201: TransferOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Transfer a request to another organisation",
)
@_service_errors
def staff_transfer(request: HttpRequest, request_id: int, payload: TransferIn):
    """Refer the request to another organisation, which then sees this request (and only it)."""
    service_request, actor = _staff_fetch(request, request_id, write=True)
    try:
        organisation = organisation_get_public(slug=payload.organisation)
    except Http404 as exc:
        raise _field_error(
            "organisation", _("No organisation has this identifier."), "unknown"
        ) from exc
    department = None
    if payload.department:
        department = organisation_departments(organisation=organisation).filter(
            slug=payload.department
        )
        department = department.first()
        if department is None:
            raise _field_error(
                "department", _("This organisation has no such department."), "unknown"
            )
    referral = services.servicerequest_transfer(
        service_request=service_request,
        to_organisation=organisation,
        reason=payload.reason,
        department=department,
        actor=actor,
    )
    return Answer(
        201,
        {
            "organisation": _organisation_ref(organisation),
            "reason": referral.reason,
            "created_at": referral.created_at,
        },
    )


@router.post(
    "/staff/{int:request_id}/merge",
    response={200: StaffRequestOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Merge a duplicate into the original request",
)
@_service_errors
def staff_merge(request: HttpRequest, request_id: int, payload: MergeIn):
    """Mark this request as a duplicate of `original_id`; its reporter and supporters follow the original."""
    duplicate, actor = _staff_fetch(request, request_id, write=True)
    original, _actor = _staff_fetch(request, payload.original_id, write=True)
    services.servicerequest_merge(duplicate=duplicate, original=original, actor=actor)
    return Answer(200, _staff_reload(duplicate, actor))


# --- Public: one request by its tracking code (last: it would match any single path segment) ------------


@router.get(
    "/{reference}",
    response={200: PublicDetailOut, 404: Error},
    summary="One request by its tracking code",
)
def public_detail(request: HttpRequest, reference: str):
    """What anyone with the tracking code may see: status, public timeline and approved photos only."""
    service_request = selectors.servicerequest_get_public(reference=reference)
    return Answer(
        200,
        {
            **_public_out(service_request),
            "timeline": [
                {
                    "kind": event.kind,
                    "at": event.created_at,
                    "from_status": event.from_status,
                    "to_status": event.to_status,
                    "body": event.body,
                    "organisation": event.organisation.name if event.organisation_id else None,
                }
                for event in selectors.public_timeline(service_request=service_request)
            ],
            "photos": [
                {"url": request.build_absolute_uri(photo.file.url)}
                for photo in selectors.public_photos(service_request=service_request)
            ],
        },
    )
