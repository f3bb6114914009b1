"""The e-services endpoints of the JSON API, under /api/v1/procedures/.

Public (no key): the catalogue, one procedure with its documents and published form, and the
verification of an issued document by its token (minimal data).

Citizen (`/mine`): the signed-in citizen's own applications and their statuses, with the
site's session (the same login as the web pages).

Staff (`/staff/...`): a staff token (`Authorization: Bearer` or `X-Api-Key`) acts as one
membership. An application outside that membership's reach is a 404; a move the workflow
forbids is a 422 with translated messages; an action the membership may not take is a 403.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as Answer
from ninja.security import django_auth

from jamaati.apikeys.auth import api_key_auth
from jamaati.apikeys.models import ApiKey
from jamaati.apikeys.scopes import READ, WRITE
from jamaati.core.actors import Actor
from jamaati.core.api_errors import Error, ValidationErrorOut
from jamaati.organisations.models import Department, Membership, Organisation
from jamaati.organisations.selectors import organisation_get_public
from jamaati.procedures import deadlines, permissions, selectors, services
from jamaati.procedures.models import Application, ApplicationEvent, OpinionRequest, Procedure
from jamaati.procedures.statistics import procedure_statistics

router = Router(tags=["procedures"])

StatusValue = Literal[
    "submitted",
    "in_instruction",
    "completion_requested",
    "opinions_requested",
    "approved",
    "refused",
    "withdrawn",
]
PAGE_SIZE = 100


# --- Schemas ------------------------------------------------------------------------------------


class OrganisationRef(Schema):
    slug: str
    name: str


class DocumentOut(Schema):
    code: str
    name: str
    mandatory: bool


class ProcedureOut(Schema):
    id: int
    slug: str
    organisation: OrganisationRef
    title: str
    summary: str
    fee_mad: Decimal = Field(description="Fee in dirhams (MAD)")
    processing_days: int = Field(description="Legal processing time, in working days")
    channel: Literal["online", "counter", "both"]
    silence_means_approval: bool
    department: str | None


class ProcedureDetailOut(ProcedureOut):
    eligibility: str
    legal_basis: str
    documents: list[DocumentOut]
    form_version: int | None = Field(description="The form version new applications use")
    form_schema: dict[str, Any] | None = Field(
        description="The published form: sections and typed fields (see ADR 0006)"
    )


class CatalogueIn(Schema):
    q: str = Field("", max_length=200, description="Words to find, in Arabic or French")
    organisation: str | None = Field(None, description="An organisation's slug")


class EventOut(Schema):
    kind: str
    from_status: str
    to_status: str
    body: str
    created_at: dt.datetime


class IssuedOut(Schema):
    kind: str
    number: str
    issued_at: dt.datetime
    verification_token: str


class MyApplicationOut(Schema):
    reference: str
    procedure: str
    organisation: OrganisationRef
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    due_date: dt.date | None
    decided_at: dt.datetime | None


class MyApplicationDetailOut(MyApplicationOut):
    clock_paused: bool
    decision_reasons: str
    timeline: list[EventOut]
    documents: list[IssuedOut]


class VerificationOut(Schema):
    number: str
    kind: str
    issued_at: dt.datetime
    data: dict[str, Any] = Field(
        description="What the document says, with no more personal data than needed"
    )


class StaffListIn(Schema):
    status: StatusValue | None = None
    procedure: int | None = Field(None, description="A procedure's id")
    overdue: bool = False


class StaffApplicationOut(Schema):
    id: int
    reference: str
    procedure: str
    organisation: OrganisationRef
    status: str
    channel: str
    submitted_at: dt.datetime | None
    due_date: dt.date | None
    working_days_left: int | None
    overdue: bool


class OpinionOut(Schema):
    id: int
    organisation: OrganisationRef
    department: str | None
    question: str
    requested_at: dt.datetime
    verdict: str
    comment: str
    given_at: dt.datetime | None


class StaffEventOut(EventOut):
    is_public: bool
    actor: str | None
    organisation: str | None


class NoteOut(Schema):
    author: str | None
    body: str
    created_at: dt.datetime


class StaffApplicationDetailOut(StaffApplicationOut):
    applicant: str | None
    answers: dict[str, Any]
    form_version: int | None
    opinions: list[OpinionOut]
    timeline: list[StaffEventOut]
    notes: list[NoteOut] = Field(description="Private notes: the instructing organisation only")


class TransitionIn(Schema):
    to_status: Literal["in_instruction"]
    note: str = Field("", max_length=5000)


class CompletionIn(Schema):
    message: str = Field(..., max_length=5000)
    fields: list[str] = Field(
        default_factory=list, description="Keys of the form fields to correct"
    )
    documents: list[str] = Field(
        default_factory=list,
        description="Catalogue codes of documents to provide (the procedure's only)",
    )


class ReviewerIn(Schema):
    organisation: str = Field(description="The reviewing organisation's slug")
    department: str | None = Field(None, description="One of its departments' slug")


class OpinionsIn(Schema):
    reviewers: list[ReviewerIn] = Field(..., min_length=1)
    question: str = Field("", max_length=5000)


class DecisionIn(Schema):
    decision: Literal["approved", "refused"]
    reasons: str = Field("", max_length=10000)


class OpinionGiveIn(Schema):
    verdict: Literal["favourable", "unfavourable", "reserved"]
    comment: str = Field("", max_length=10000)


class PendingOpinionOut(Schema):
    id: int
    application: str
    procedure: str
    question: str
    requested_at: dt.datetime


class StatisticsOut(Schema):
    procedure: str
    volume: int
    open: int
    decided: int
    approved: int
    refused: int
    tacit: int
    legal_working_days: int
    median_working_days: float | None
    share_within_deadline: float | None


class StatisticsIn(Schema):
    organisation: str = Field(description="An organisation's slug")


# --- Helpers ------------------------------------------------------------------------------------


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


def _service_errors(view: Callable) -> Callable:
    """Turn the services' refusals into answers: ValidationError → 422, PermissionDenied → 403."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as exc:
            return Answer(
                422, {"message": _("The request is not valid."), "detail": _error_items(exc)}
            )
        except PermissionDenied as exc:
            return Answer(403, {"detail": str(exc) or _("You may not do this.")})

    return wrapper


def _language() -> str:
    return (translation.get_language() or "ar")[:2]


def _translated(obj, name: str) -> str:
    return getattr(obj, f"{name}_{_language()}", None) or getattr(obj, name) or ""


def _organisation_ref(organisation: Organisation) -> dict[str, str]:
    return {"slug": organisation.slug, "name": _translated(organisation, "name")}


def _procedure_out(procedure: Procedure) -> dict[str, Any]:
    return {
        "id": procedure.pk,
        "slug": procedure.slug,
        "organisation": _organisation_ref(procedure.organisation),
        "title": _translated(procedure, "title"),
        "summary": _translated(procedure, "summary"),
        "fee_mad": procedure.fee,
        "processing_days": procedure.processing_days,
        "channel": procedure.channel,
        "silence_means_approval": procedure.silence_means_approval,
        "department": procedure.department.name if procedure.department_id else None,
    }


def _event_out(event: ApplicationEvent) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "body": event.body,
        "created_at": event.created_at,
    }


def _my_out(application: Application) -> dict[str, Any]:
    return {
        "reference": application.reference,
        "procedure": _translated(application.procedure, "title"),
        "organisation": _organisation_ref(application.organisation),
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "submitted_at": application.submitted_at,
        "due_date": application.due_date,
        "decided_at": application.decided_at,
    }


def _staff_out(application: Application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "reference": application.reference,
        "procedure": _translated(application.procedure, "title"),
        "organisation": _organisation_ref(application.organisation),
        "status": application.status,
        "channel": application.channel,
        "submitted_at": application.submitted_at,
        "due_date": application.due_date,
        "working_days_left": deadlines.working_days_left(application)
        if application.is_open
        else None,
        "overdue": deadlines.is_overdue(application),
    }


def _opinion_out(opinion: OpinionRequest) -> dict[str, Any]:
    return {
        "id": opinion.pk,
        "organisation": _organisation_ref(opinion.organisation),
        "department": opinion.department.slug if opinion.department_id else None,
        "question": opinion.question,
        "requested_at": opinion.requested_at,
        "verdict": opinion.verdict,
        "comment": opinion.comment,
        "given_at": opinion.given_at,
    }


def _staff_key(request: HttpRequest) -> ApiKey:
    api_key = request.auth
    if api_key.kind != ApiKey.Kind.STAFF:
        raise HttpError(403, _("This needs a staff token, not a partner application key."))
    return api_key


def _actor(request: HttpRequest, membership: Membership | None) -> Actor:
    return dataclasses.replace(Actor.from_api_request(request), membership=membership)


def _staff_fetch(
    request: HttpRequest, pk: int, *, write: bool = False
) -> tuple[Application, Actor]:
    api_key = _staff_key(request)
    application, membership = selectors.application_get_for_staff_as(
        user=api_key.user, membership=api_key.membership, pk=pk, write=write
    )
    return application, _actor(request, membership)


def _staff_detail(application: Application, membership: Membership | None) -> dict[str, Any]:
    owner = permissions.is_owner_staff(membership, application)
    return {
        **_staff_out(application),
        "applicant": application.applicant.full_name if application.applicant_id else None,
        "answers": application.answers,
        "form_version": application.form_version.number if application.form_version_id else None,
        "opinions": [
            _opinion_out(o) for o in selectors.application_opinions(application=application)
        ],
        "timeline": [
            {
                **_event_out(event),
                "is_public": event.is_public,
                "actor": event.actor.get_full_name() if event.actor_id and owner else None,
                "organisation": event.organisation.slug if event.organisation_id else None,
            }
            for event in selectors.staff_timeline(application=application)
        ],
        "notes": [
            {
                "author": note.author.get_full_name() if note.author_id else None,
                "body": note.body,
                "created_at": note.created_at,
            }
            for note in selectors.staff_notes(application=application, membership=membership)
        ],
    }


def _reload(application: Application, actor: Actor) -> dict[str, Any]:
    fresh, _membership = selectors.application_get_for_staff(user=actor.user, pk=application.pk)
    return _staff_out(fresh)


# --- Public --------------------------------------------------------------------------------------


@router.get("/catalogue", response=list[ProcedureOut], summary="The catalogue of procedures")
def catalogue(request: HttpRequest, params: Query[CatalogueIn]):
    """Published procedures, optionally of one organisation, matching words in Arabic or French."""
    organisation = (
        organisation_get_public(slug=params.organisation) if params.organisation else None
    )
    procedures = selectors.procedures_public(query=params.q, organisation=organisation)[:PAGE_SIZE]
    return [_procedure_out(procedure) for procedure in procedures]


@router.get(
    "/catalogue/{organisation}/{slug}",
    response={200: ProcedureDetailOut, 404: Error},
    summary="One procedure, its documents and its form",
)
def catalogue_detail(request: HttpRequest, organisation: str, slug: str):
    procedure = selectors.procedure_get_public(organisation_slug=organisation, slug=slug)
    version = selectors.procedure_form_version(procedure=procedure)
    return {
        **_procedure_out(procedure),
        "eligibility": _translated(procedure, "eligibility"),
        "legal_basis": _translated(procedure, "legal_basis"),
        "documents": [
            {
                "code": row.document.code,
                "name": _translated(row.document, "name"),
                "mandatory": row.is_mandatory,
            }
            for row in selectors.procedure_documents(procedure=procedure)
        ],
        "form_version": version.number if version else None,
        "form_schema": version.schema if version else None,
    }


@router.get(
    "/verify/{token}",
    response={200: VerificationOut, 404: Error},
    summary="Check an issued receipt or decision by its QR token",
)
def verify(request: HttpRequest, token: str):
    document = selectors.issued_document_verify(token=token)
    return {
        "number": document.number,
        "kind": document.kind,
        "issued_at": document.issued_at,
        "data": document.verification_data,
    }


# --- Citizen -------------------------------------------------------------------------------------


@router.get("/mine", response=list[MyApplicationOut], auth=django_auth, summary="My applications")
def my_applications(request: HttpRequest):
    """The signed-in citizen's applications (session login), newest first."""
    return [_my_out(a) for a in selectors.applications_of_citizen(user=request.user)[:PAGE_SIZE]]


@router.get(
    "/mine/{reference}",
    response={200: MyApplicationDetailOut, 404: Error},
    auth=django_auth,
    summary="One of my applications, its status and history",
)
def my_application(request: HttpRequest, reference: str):
    application = selectors.application_get_for_citizen(user=request.user, reference=reference)
    return {
        **_my_out(application),
        "clock_paused": application.paused_since is not None,
        "decision_reasons": application.decision_reasons,
        "timeline": [_event_out(e) for e in selectors.public_timeline(application=application)],
        "documents": [
            {
                "kind": d.kind,
                "number": d.number,
                "issued_at": d.issued_at,
                "verification_token": d.verification_token,
            }
            for d in selectors.application_issued_documents(application=application)
        ],
    }


# --- Staff ---------------------------------------------------------------------------------------


@router.get(
    "/staff/applications",
    response={200: list[StaffApplicationOut], 403: Error},
    auth=api_key_auth([READ]),
    summary="Applications in the token's scope, earliest deadline first",
)
def staff_list(request: HttpRequest, params: Query[StaffListIn]):
    api_key = _staff_key(request)
    procedure = get_object_or_404(Procedure, pk=params.procedure) if params.procedure else None
    applications = selectors.applications_for_staff(
        user=api_key.user, status=params.status, procedure=procedure, overdue=params.overdue
    )
    if api_key.membership is not None:
        applications = applications.filter(
            permissions.membership_applications_scope(api_key.membership)
        )
    return [_staff_out(a) for a in applications[:PAGE_SIZE]]


@router.get(
    "/staff/applications/{int:application_id}",
    response={200: StaffApplicationDetailOut, 403: Error, 404: Error},
    auth=api_key_auth([READ]),
    summary="One application for staff: answers, opinions, history, private notes",
)
def staff_detail(request: HttpRequest, application_id: int):
    """Reading the answers (personal data) is recorded in the audit log (law 09-08)."""
    application, actor = _staff_fetch(request, application_id)
    services.application_record_read(application=application, actor=actor, reason="API")
    return _staff_detail(application, actor.membership)


@router.post(
    "/staff/applications/{int:application_id}/transition",
    response={200: StaffApplicationOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Take an application into instruction",
)
@_service_errors
def staff_transition(request: HttpRequest, application_id: int, payload: TransitionIn):
    application, actor = _staff_fetch(request, application_id, write=True)
    services.application_transition(
        application=application, to_status=payload.to_status, actor=actor, note=payload.note
    )
    return Answer(200, _reload(application, actor))


@router.post(
    "/staff/applications/{int:application_id}/request-completion",
    response={200: StaffApplicationOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Ask the applicant to complete the file (the legal clock pauses)",
)
@_service_errors
def staff_request_completion(request: HttpRequest, application_id: int, payload: CompletionIn):
    application, actor = _staff_fetch(request, application_id, write=True)
    services.application_request_completion(
        application=application,
        message=payload.message,
        fields=payload.fields,
        documents=payload.documents,
        actor=actor,
    )
    return Answer(200, _reload(application, actor))


@router.post(
    "/staff/applications/{int:application_id}/request-opinions",
    response={200: list[OpinionOut], 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Ask other departments or organisations for their opinion",
)
@_service_errors
def staff_request_opinions(request: HttpRequest, application_id: int, payload: OpinionsIn):
    application, actor = _staff_fetch(request, application_id, write=True)
    reviewers = []
    for item in payload.reviewers:
        organisation = Organisation.objects.filter(slug=item.organisation, is_active=True).first()
        if organisation is None:
            raise ValidationError(
                {
                    "reviewers": _("No organisation has the slug %(slug)s.")
                    % {"slug": item.organisation}
                }
            )
        department = None
        if item.department:
            department = Department.objects.filter(
                organisation=organisation, slug=item.department
            ).first()
            if department is None:
                raise ValidationError(
                    {
                        "reviewers": _("No department has the slug %(slug)s.")
                        % {"slug": item.department}
                    }
                )
        reviewers.append(services.Reviewer(organisation, department))
    opinions = services.application_request_opinions(
        application=application, reviewers=reviewers, question=payload.question, actor=actor
    )
    return Answer(200, [_opinion_out(o) for o in opinions])


@router.post(
    "/staff/applications/{int:application_id}/decide",
    response={200: StaffApplicationOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Approve or refuse (with reasons)",
)
@_service_errors
def staff_decide(request: HttpRequest, application_id: int, payload: DecisionIn):
    application, actor = _staff_fetch(request, application_id, write=True)
    services.application_decide(
        application=application,
        approved=payload.decision == "approved",
        reasons=payload.reasons,
        actor=actor,
    )
    return Answer(200, _reload(application, actor))


@router.get(
    "/staff/opinions",
    response={200: list[PendingOpinionOut], 403: Error},
    auth=api_key_auth([READ]),
    summary="Opinions asked of the token's organisation and not given yet",
)
def staff_opinions(request: HttpRequest):
    api_key = _staff_key(request)
    opinions = selectors.opinions_for_reviewer(user=api_key.user)
    if api_key.membership is not None:
        opinions = opinions.filter(organisation=api_key.membership.organisation_id)
    return [
        {
            "id": o.pk,
            "application": o.application.reference,
            "procedure": _translated(o.application.procedure, "title"),
            "question": o.question,
            "requested_at": o.requested_at,
        }
        for o in opinions[:PAGE_SIZE]
    ]


@router.post(
    "/staff/opinions/{int:opinion_id}",
    response={200: OpinionOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Give an opinion: favourable, unfavourable or favourable with reservations",
)
@_service_errors
def staff_give_opinion(request: HttpRequest, opinion_id: int, payload: OpinionGiveIn):
    api_key = _staff_key(request)
    opinion, membership = selectors.opinion_get_for_reviewer(user=api_key.user, pk=opinion_id)
    if (
        api_key.membership is not None
        and api_key.membership.organisation_id != opinion.organisation_id
    ):
        raise HttpError(404, _("Not found."))
    opinion = services.opinion_give(
        opinion=opinion,
        verdict=payload.verdict,
        comment=payload.comment,
        actor=_actor(request, api_key.membership or membership),
    )
    return Answer(200, _opinion_out(opinion))


@router.get(
    "/staff/statistics",
    response={200: list[StatisticsOut], 403: Error, 404: Error},
    auth=api_key_auth([READ]),
    summary="Volume, median processing time and share within the deadline, per procedure",
)
def staff_statistics(request: HttpRequest, params: Query[StatisticsIn]):
    api_key = _staff_key(request)
    organisation = get_object_or_404(Organisation, slug=params.organisation)
    if not api_key.user.memberships.filter(organisation=organisation, is_active=True).exists():
        raise HttpError(404, _("Not found."))
    figures = procedure_statistics(procedures=Procedure.objects.filter(organisation=organisation))
    return [
        {
            "procedure": f.procedure.slug,
            "volume": f.volume,
            "open": f.open,
            "decided": f.decided,
            "approved": f.approved,
            "refused": f.refused,
            "tacit": f.tacit,
            "legal_working_days": f.legal_working_days,
            "median_working_days": f.median_working_days,
            "share_within_deadline": f.share_within_deadline,
        }
        for f in figures
    ]
