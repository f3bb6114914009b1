"""The programmes API, mounted at /api/v1/programmes/.

Public endpoints (no key): published programmes and projects, with their money in MAD
(amounts as decimal strings, exact), progress and stages. Staff endpoints (`/staff/...`)
take a staff token with the `write` scope, which acts as its membership: a project outside
its reach is a 404, a refusal by the rules a 403, bad input a 422 with translated messages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.errors import HttpError
from ninja.responses import Status as Answer

from jamaati.apikeys.auth import api_key_auth
from jamaati.apikeys.models import ApiKey
from jamaati.apikeys.scopes import WRITE
from jamaati.core.actors import Actor
from jamaati.core.api_errors import Error, ValidationErrorOut
from jamaati.organisations.models import Organisation
from jamaati.programmes import permissions, selectors, services
from jamaati.programmes.models import Partner, Project
from jamaati.programmes.money import money, percent
from jamaati.territories.models import Territory

router = Router(tags=["programmes"])

StatusValue = Literal[
    "identification",
    "studies",
    "tendering",
    "works",
    "provisional_reception",
    "completed",
    "suspended",
    "cancelled",
]
PAGE_SIZE = 50


# --- Schemas ----------------------------------------------------------------------------------


class OrganisationRef(Schema):
    slug: str
    name: str


class TerritoryRef(Schema):
    code: str
    level: str
    name: str


class AxisOut(Schema):
    code: str
    title: str


class ProgrammeOut(Schema):
    slug: str
    kind: str
    title: str
    description: str
    start_date: date
    end_date: date
    organisation: OrganisationRef
    projects_count: int


class MoneyOut(Schema):
    total_cost: Decimal = Field(description="MAD")
    committed: Decimal = Field(description="MAD, sum of the funding plan")
    disbursed: Decimal = Field(description="MAD, received from partners")
    spent: Decimal = Field(description="MAD, paid out")
    financial_progress: Decimal | None = Field(
        description="Expenditure ÷ total cost, in percent (2 decimals); null when no cost"
    )


class ProgrammeDetailOut(ProgrammeOut):
    axes: list[AxisOut]
    money: MoneyOut
    projects_by_status: dict[str, int]


class ProjectOut(Schema):
    id: int
    code: str
    title: str
    organisation: OrganisationRef
    programme: str | None = Field(description="The programme's slug")
    sector: str = Field(description="OC4IDS projectSector code")
    status: StatusValue
    latitude: float | None
    longitude: float | None
    physical_progress: Decimal = Field(description="Percent")
    money: MoneyOut


class ProjectPageOut(Schema):
    count: int
    items: list[ProjectOut]


class StageOut(Schema):
    stage: str
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None


class MilestoneOut(Schema):
    title: str
    type: str
    planned_date: date
    actual_date: date | None


class PartnerLineOut(Schema):
    partner: str = Field(description="The partner's slug")
    name: str
    committed: Decimal
    disbursed: Decimal


class ProjectDetailOut(ProjectOut):
    description: str
    territories: list[TerritoryRef]
    geometry: dict | None = Field(description="GeoJSON outline, when drawn")
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    stages: list[StageOut]
    milestones: list[MilestoneOut]
    funding: list[PartnerLineOut]


class ProjectsIn(Schema):
    organisation: str | None = Field(None, description="An organisation's slug")
    programme: str | None = Field(None, description="A programme's slug (with organisation)")
    province: str | None = Field(None, description="HCP code of a province or prefecture")
    commune: str | None = Field(None, description="HCP code of a commune")
    sector: str | None = Field(
        None, description="OC4IDS sector code (a parent includes its subsectors)"
    )
    status: StatusValue | None = None
    partner: str | None = Field(None, description="A partner's slug")
    offset: int = Field(0, ge=0)
    limit: int = Field(PAGE_SIZE, ge=1, le=200)


class ProgressIn(Schema):
    physical_progress: Decimal = Field(ge=0, le=100, decimal_places=2, description="Percent")
    as_of: date | None = Field(None, description="Default: today")
    note: str = Field("", max_length=2000)


class ProgressOut(Schema):
    id: int
    as_of: date
    physical_progress: Decimal
    note: str
    project_physical_progress: Decimal = Field(description="The project's current progress")


class TransactionIn(Schema):
    kind: Literal["disbursement", "expenditure"]
    date: dt.date
    amount: Decimal = Field(gt=0, decimal_places=2, description="MAD, at most two decimals")
    partner: str | None = Field(None, description="The funder's slug (required for a disbursement)")
    reference: str = Field("", max_length=60)
    description: str = Field("", max_length=300)


class TransactionOut(Schema):
    id: int
    kind: str
    date: dt.date
    amount: Decimal
    partner: str | None
    reference: str
    created_at: datetime


class PhotoIn(Schema):
    taken_on: dt.date | None = Field(None, description="Default: today")
    latitude: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    caption: str = Field("", max_length=250)
    physical_progress: Decimal | None = Field(
        None, ge=0, le=100, decimal_places=2, description="Also record the progress, in percent"
    )


class PhotoOut(Schema):
    id: int
    url: str
    taken_on: dt.date
    latitude: float | None
    longitude: float | None
    caption: str


# --- Helpers ------------------------------------------------------------------------------------------


def _error_items(exc: ValidationError) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        pairs = [(field, error) for field, errors in exc.error_dict.items() for error in errors]
    else:
        pairs = [(NON_FIELD_ERRORS, error) for error in exc.error_list]
    return [
        {
            "loc": ["body"] if field == NON_FIELD_ERRORS else ["body", field],
            "type": error.code or "invalid",
            "msg": error.messages[0],
        }
        for field, error in pairs
    ]


def _service_errors(view: Callable) -> Callable:
    """ValidationError → 422, PermissionDenied → 403."""

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


def _money(project: Project) -> dict[str, Any]:
    financial = percent(project.spent, project.total_cost)
    return {
        "total_cost": money(project.total_cost),
        "committed": money(project.committed),
        "disbursed": money(project.disbursed),
        "spent": money(project.spent),
        "financial_progress": None if financial is None else financial.quantize(Decimal("0.01")),
    }


def _project_out(project: Project) -> dict[str, Any]:
    return {
        "id": project.pk,
        "code": project.code,
        "title": project.title,
        "organisation": {"slug": project.organisation.slug, "name": project.organisation.name},
        "programme": project.programme.slug if project.programme_id else None,
        "sector": project.sector,
        "status": project.status,
        "latitude": project.latitude,
        "longitude": project.longitude,
        "physical_progress": project.physical_progress,
        "money": _money(project),
    }


def _territory(code: str | None, field: str) -> Territory | None:
    if not code:
        return None
    territory = Territory.objects.filter(code=code).defer("boundary_wkb").first()
    if territory is None:
        raise ValidationError(
            {field: ValidationError(_("Unknown territory code."), code="unknown")}
        )
    return territory


def _staff_project(request: HttpRequest, project_id: int) -> tuple[Project, Actor]:
    """The project, if the token's membership reaches it (404 otherwise), and the actor."""
    api_key: ApiKey = request.auth
    if api_key.kind != ApiKey.Kind.STAFF:
        raise HttpError(403, _("This needs a staff token, not a partner application key."))
    project, granting = selectors.project_get_for_staff(
        user=api_key.user, pk=project_id, write=True
    )
    membership = api_key.membership or granting
    if api_key.membership is not None and not permissions.membership_reaches_project(
        api_key.membership, project, write=True
    ):
        raise Http404
    return project, dataclasses.replace(Actor.from_api_request(request), membership=membership)


# --- Public endpoints -----------------------------------------------------------------------------------


@router.get("/", response={200: list[ProgrammeOut]}, summary="Published programmes")
def programme_list(request: HttpRequest, organisation: str | None = None):
    """Every published programme (PAC, PDP, PDR), or those of one organisation (slug)."""
    programmes = selectors.programmes_public()
    if organisation:
        programmes = programmes.filter(organisation__slug=organisation)
    return [
        {
            "slug": p.slug,
            "kind": p.kind,
            "title": p.title,
            "description": p.description,
            "start_date": p.start_date,
            "end_date": p.end_date,
            "organisation": {"slug": p.organisation.slug, "name": p.organisation.name},
            "projects_count": p.projects_count,
        }
        for p in programmes
    ]


@router.get(
    "/projects",
    response={200: ProjectPageOut, 422: ValidationErrorOut},
    summary="Published projects",
)
@_service_errors
def project_list(request: HttpRequest, params: Query[ProjectsIn]):
    """Published projects with their money (MAD) and progress, filtered; ordered by organisation and code."""
    organisation = (
        get_object_or_404(Organisation, slug=params.organisation) if params.organisation else None
    )
    programme = None
    if params.programme:
        programme = get_object_or_404(
            selectors.programmes_public(organisation=organisation), slug=params.programme
        )
    partner = get_object_or_404(Partner, slug=params.partner) if params.partner else None
    projects = selectors.projects_public(
        organisation=organisation,
        programme=programme,
        province=_territory(params.province, "province"),
        commune=_territory(params.commune, "commune"),
        sector=params.sector,
        status=params.status,
        partner=partner,
    )
    count = projects.count()
    page = projects[params.offset : params.offset + params.limit]
    return Answer(200, {"count": count, "items": [_project_out(p) for p in page]})


@router.get(
    "/projects/{organisation}/{code}",
    response={200: ProjectDetailOut, 404: Error},
    summary="One published project",
)
def project_detail(request: HttpRequest, organisation: str, code: str):
    """A project with its territories, stages, milestones and funding plan (committed vs disbursed)."""
    project = selectors.project_get_public(organisation_slug=organisation, code=code)
    timeline = selectors.project_timeline(project=project)
    budget = selectors.project_budget(project=project)
    return {
        **_project_out(project),
        "description": project.description,
        "territories": [
            {"code": t.code, "level": t.level, "name": t.name} for t in project.territories.all()
        ],
        "geometry": json.loads(project.geometry) if project.geometry else None,
        "planned_start": project.planned_start,
        "planned_end": project.planned_end,
        "actual_start": project.actual_start,
        "actual_end": project.actual_end,
        "stages": [
            {
                "stage": s.stage,
                "planned_start": s.planned_start,
                "planned_end": s.planned_end,
                "actual_start": s.actual_start,
                "actual_end": s.actual_end,
            }
            for s in timeline.stages
        ],
        "milestones": [
            {
                "title": m.title,
                "type": m.type,
                "planned_date": m.planned_date,
                "actual_date": m.actual_date,
            }
            for m in timeline.milestones
        ],
        "funding": [
            {
                "partner": line.partner.slug,
                "name": line.partner.name,
                "committed": line.committed,
                "disbursed": line.disbursed,
            }
            for line in budget.partners
        ],
    }


@router.get(
    "/{organisation}/{slug}",
    response={200: ProgrammeDetailOut, 404: Error},
    summary="One published programme",
)
def programme_detail(request: HttpRequest, organisation: str, slug: str):
    """A programme with its strategic axes, its money and its projects by status."""
    programme = selectors.programme_get_public(organisation_slug=organisation, slug=slug)
    summary = selectors.programme_summary(programme=programme)
    totals = summary.totals
    financial = totals.financial_progress
    return {
        "slug": programme.slug,
        "kind": programme.kind,
        "title": programme.title,
        "description": programme.description,
        "start_date": programme.start_date,
        "end_date": programme.end_date,
        "organisation": {"slug": programme.organisation.slug, "name": programme.organisation.name},
        "projects_count": programme.projects_count,
        "axes": [{"code": a.code, "title": a.title} for a in programme.axes.all()],
        "money": {
            "total_cost": totals.total_cost,
            "committed": totals.committed,
            "disbursed": totals.disbursed,
            "spent": totals.spent,
            "financial_progress": None
            if financial is None
            else financial.quantize(Decimal("0.01")),
        },
        "projects_by_status": summary.by_status,
    }


# --- Staff endpoints ---------------------------------------------------------------------------------------


@router.post(
    "/staff/projects/{int:project_id}/progress",
    response={201: ProgressOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Record a project's physical progress",
)
@_service_errors
def staff_progress(request: HttpRequest, project_id: int, payload: ProgressIn):
    """Record the physical progress (percent) at a date; the project's progress is the latest by date."""
    project, actor = _staff_project(request, project_id)
    update = services.project_progress_record(
        project=project,
        physical_progress=payload.physical_progress,
        as_of=payload.as_of,
        note=payload.note,
        actor=actor,
    )
    project.refresh_from_db(fields=["physical_progress"])
    return Answer(
        201,
        {
            "id": update.pk,
            "as_of": update.as_of,
            "physical_progress": update.physical_progress,
            "note": update.note,
            "project_physical_progress": project.physical_progress,
        },
    )


@router.post(
    "/staff/projects/{int:project_id}/transactions",
    response={201: TransactionOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Record a disbursement or an expenditure",
)
@_service_errors
def staff_transaction(request: HttpRequest, project_id: int, payload: TransactionIn):
    """Record money received from a partner (disbursement) or paid out (expenditure), in MAD."""
    project, actor = _staff_project(request, project_id)
    partner = None
    if payload.partner:
        partner = Partner.objects.filter(slug=payload.partner).first()
        if partner is None:
            raise ValidationError(
                {"partner": ValidationError(_("Unknown partner."), code="unknown")}
            )
    row = services.transaction_record(
        project=project,
        kind=payload.kind,
        date=payload.date,
        amount=payload.amount,
        partner=partner,
        reference=payload.reference,
        description=payload.description,
        actor=actor,
    )
    return Answer(
        201,
        {
            "id": row.pk,
            "kind": row.kind,
            "date": row.date,
            "amount": row.amount,
            "partner": partner.slug if partner else None,
            "reference": row.reference,
            "created_at": row.created_at,
        },
    )


@router.post(
    "/staff/projects/{int:project_id}/photos",
    response={201: PhotoOut, 403: Error, 404: Error, 422: ValidationErrorOut},
    auth=api_key_auth([WRITE]),
    summary="Add a dated photo of the works (and, optionally, the progress)",
)
@_service_errors
def staff_photo(
    request: HttpRequest, project_id: int, file: File[UploadedFile], payload: Form[PhotoIn]
):
    """A photo of the site (JPEG, PNG or WebP; its metadata is removed), where it was taken.

    With `physical_progress`, the photo is attached to a progress update of the same date.
    """
    project, actor = _staff_project(request, project_id)
    if payload.physical_progress is not None:
        update = services.project_progress_record(
            project=project,
            physical_progress=payload.physical_progress,
            as_of=payload.taken_on,
            photo=file,
            photo_latitude=payload.latitude,
            photo_longitude=payload.longitude,
            caption=payload.caption,
            actor=actor,
        )
        photo = update.photos.get()
    else:
        photo = services.project_photo_add(
            project=project,
            file=file,
            taken_on=payload.taken_on,
            latitude=payload.latitude,
            longitude=payload.longitude,
            caption=payload.caption,
            actor=actor,
        )
    return Answer(
        201,
        {
            "id": photo.pk,
            "url": request.build_absolute_uri(photo.file.url),
            "taken_on": photo.taken_on,
            "latitude": photo.latitude,
            "longitude": photo.longitude,
            "caption": photo.caption,
        },
    )
