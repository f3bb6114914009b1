"""Every write of programmes and projects. Use these from views, the API, imports and seeds.

Each service runs in one transaction, checks the rule in `permissions.py`, writes the
project's history row (`ProjectEvent`) and the audit row, and raises `PermissionDenied` for
an outsider or `ValidationError` (translated messages, by field) for bad input.
Translated texts are passed as `{"ar": ..., "fr": ..., "en": ...}`.

Plans (department heads and organisation admins, `permissions.require_planning`):
    partner_create, programme_create, axis_create, project_create, project_update,
    funding_commit, convention_create, convention_party_add, party_commitment_add,
    tranche_add, tranche_set_status, party_commitment_deliver,
    committee_create, committee_member_add, criterion_add, candidate_add,
    committee_publish, committee_unpublish
Works (acting staff of the project, `permissions.require_project_write`):
    project_transition, project_stage_plan, milestone_create, milestone_reach,
    project_progress_record (with an optional photo), project_photo_add,
    project_document_add, transaction_record
Committee members (their own account) or planning staff:
    score_record
Import (all or nothing, CSV or XLSX, with a report): `importing.projects_import`.
Helpers: `clean_geometry` (GeoJSON polygon check), `main_territory` (where scope is checked).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_record
from jamaati.core.actors import Actor
from jamaati.core.uploads import validate_and_clean_upload
from jamaati.organisations import permissions as org_permissions
from jamaati.organisations.models import Organisation
from jamaati.programmes import permissions
from jamaati.programmes.models import (
    STAGES,
    Candidate,
    CommitmentKind,
    CommitteeMember,
    Convention,
    ConventionParty,
    Criterion,
    EventKind,
    FundingCommitment,
    Milestone,
    Partner,
    PartyCommitment,
    Programme,
    ProgressUpdate,
    Project,
    ProjectDocument,
    ProjectEvent,
    ProjectPhoto,
    ProjectStage,
    ProjectTransaction,
    Score,
    Status,
    SteeringCommittee,
    StrategicAxis,
    Tranche,
    TrancheStatus,
    TransactionKind,
)
from jamaati.programmes.money import HUNDRED, money
from jamaati.programmes.workflow import ALLOWED_TRANSITIONS
from jamaati.territories.models import Level, Territory

Texts = Mapping[str, str]

PHOTO_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


# --- Small shared steps ------------------------------------------------------------------------


def _invalid(field: str, message: str, code: str) -> ValidationError:
    """A field error that keeps its code (Django drops it when given a dict of messages)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _languages() -> tuple[str, ...]:
    return tuple(settings.MODELTRANSLATION_LANGUAGES)


def _set_texts(obj: Any, field: str, texts: Texts | None, *, required: bool = False) -> None:
    """Write a translated field, one column per language; Arabic or French must be there."""
    texts = {lang: (value or "").strip() for lang, value in (texts or {}).items()}
    unknown = set(texts) - set(_languages())
    if unknown:
        raise ValueError(f"Unknown languages for {field}: {sorted(unknown)}")
    if required and not (texts.get("ar") or texts.get("fr")):
        raise _invalid(field, _("Give at least the Arabic or the French text."), "required")
    for language, value in texts.items():
        setattr(obj, f"{field}_{language}", value)


def _texts_of(obj: Any, field: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{field}_{lang}") or "" for lang in _languages()}


def _event(
    project: Project,
    kind: str,
    *,
    actor: Actor | None,
    body: str = "",
    data: dict | None = None,
    from_status: str = "",
    to_status: str = "",
    is_public: bool = True,
) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project,
        kind=kind,
        body=body,
        data=data or {},
        from_status=from_status,
        to_status=to_status,
        is_public=is_public,
        actor=actor.user if actor is not None else None,
        created_at=timezone.now(),
    )


def _audit(
    actor: Actor, action: str, target: Any, organisation: Organisation, **changes: Any
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=target,
        organisation=organisation,
        changes={key: _jsonable(value) for key, value in changes.items()},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _locked(project: Project) -> Project:
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("organisation", "territory")
        .get(pk=project.pk)
    )


def _today() -> date:
    return timezone.localdate()


def _amount(value: Decimal | int | str, field: str, *, allow_zero: bool = False) -> Decimal:
    if isinstance(value, float):
        raise TypeError("Money is never a float.")
    try:
        amount = money(value)
    except Exception:
        raise _invalid(field, _("Enter an amount in dirhams."), "invalid_amount") from None
    if amount < 0 or (amount == 0 and not allow_zero):
        raise _invalid(field, _("The amount must be greater than zero."), "not_positive")
    return amount


# --- Places -------------------------------------------------------------------------------------


def main_territory(territories: Iterable[Territory]) -> Territory | None:
    """The smallest territory containing all of `territories`: staff scope is checked there.

    One territory: itself. Several in one commune, province or region: that commune,
    province or region. Nothing in common: None (reachable by unlimited memberships only).
    """
    territories = list(territories)
    if not territories:
        return None
    if len({t.pk for t in territories}) == 1:
        return territories[0]

    def chain(t: Territory) -> list[int]:
        ids = [t.region_id, t.province_id, t.commune_id]
        if t.level == Level.REGION:
            ids = [t.pk, None, None]
        elif t.level == Level.PROVINCE:
            ids = [t.region_id, t.pk, None]
        elif t.level == Level.COMMUNE:
            ids = [t.region_id, t.province_id or t.region_id, t.pk]
        return [pk for pk in ids if pk]

    common: list[int] | None = None
    for territory in territories:
        ids = chain(territory)
        common = ids if common is None else [pk for pk in common if pk in ids]
    if not common:
        return None
    return Territory.objects.get(pk=common[-1])


def clean_geometry(text: str) -> tuple[str, float | None, float | None]:
    """Check a GeoJSON Polygon or MultiPolygon; return it compacted and a point inside it."""
    text = (text or "").strip()
    if not text:
        return "", None, None
    try:
        data = json.loads(text)
        if data.get("type") == "Feature":
            data = data.get("geometry") or {}
        geometry = shape(data)
    except Exception:
        raise _invalid(
            "geometry", _("The outline is not valid GeoJSON."), "invalid_geojson"
        ) from None
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise _invalid("geometry", _("The outline must be a polygon."), "not_polygon")
    if geometry.is_empty or not geometry.is_valid:
        raise _invalid(
            "geometry",
            _("The outline crosses itself or is empty: draw it again."),
            "invalid_polygon",
        )
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if min_lon < -180 or max_lon > 180 or min_lat < -90 or max_lat > 90:
        raise _invalid(
            "geometry", _("The outline must use longitude and latitude (WGS84)."), "not_wgs84"
        )
    point = geometry.representative_point()
    return json.dumps(data, separators=(",", ":")), point.y, point.x


def _check_point(latitude: float | None, longitude: float | None, field: str = "location") -> None:
    if (latitude is None) != (longitude is None):
        raise _invalid(field, _("Give both the latitude and the longitude."), "half_point")
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise _invalid(field, _("The latitude or the longitude is out of range."), "out_of_range")


def _check_territories(organisation: Organisation, territories: list[Territory]) -> None:
    if not territories:
        raise _invalid(
            "territories", _("Choose at least one commune, province or region."), "required"
        )
    roots = list(organisation.territories.all())
    outside = [t for t in territories if not any(root.contains(t) for root in roots)]
    if outside:
        raise _invalid(
            "territories",
            _("%(names)s is outside the organisation's territory.")
            % {"names": ", ".join(str(t) for t in outside)},
            "outside",
        )


# --- Partners and programmes ----------------------------------------------------------------------


@transaction.atomic
def partner_create(
    *,
    organisation: Organisation,
    slug: str,
    name: Texts,
    kind: str,
    actor: Actor,
    acronym: str = "",
    partner_organisation: Organisation | None = None,
    iati_ref: str = "",
    website: str = "",
) -> Partner:
    """Add a partner (ministry, UNDP, joint fund, another collectivity) to the shared list."""
    actor = permissions.require_planning(actor, organisation)
    partner = Partner(
        slug=slug,
        kind=kind,
        acronym=acronym,
        organisation=partner_organisation,
        iati_ref=iati_ref,
        website=website,
    )
    _set_texts(partner, "name", name, required=True)
    partner.full_clean()
    partner.save()
    _audit(actor, AuditEvent.Action.CREATE, partner, organisation, slug=slug, kind=kind)
    return partner


@transaction.atomic
def programme_create(
    *,
    organisation: Organisation,
    slug: str,
    kind: str,
    title: Texts,
    start_date: date,
    end_date: date,
    actor: Actor,
    description: Texts | None = None,
    is_published: bool = True,
) -> Programme:
    """Create a programme (PAC, PDP, PDR) of `organisation` over a period."""
    actor = permissions.require_planning(actor, organisation)
    if end_date < start_date:
        raise _invalid("end_date", _("The end of the period comes before its start."), "period")
    programme = Programme(
        organisation=organisation,
        slug=slug,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        is_published=is_published,
    )
    _set_texts(programme, "title", title, required=True)
    _set_texts(programme, "description", description)
    programme.full_clean()
    programme.save()
    _audit(actor, AuditEvent.Action.CREATE, programme, organisation, slug=slug, kind=kind)
    return programme


@transaction.atomic
def axis_create(
    *,
    programme: Programme,
    code: str,
    title: Texts,
    actor: Actor,
    description: Texts | None = None,
    position: int = 0,
) -> StrategicAxis:
    """Add a strategic axis to a programme."""
    actor = permissions.require_planning(actor, programme.organisation)
    axis = StrategicAxis(programme=programme, code=code, position=position)
    _set_texts(axis, "title", title, required=True)
    _set_texts(axis, "description", description)
    axis.full_clean()
    axis.save()
    _audit(actor, AuditEvent.Action.CREATE, axis, programme.organisation, code=code)
    return axis


# --- Projects ---------------------------------------------------------------------------------------


def _check_programme(
    organisation: Organisation, programme: Programme | None, axis: StrategicAxis | None
) -> None:
    if programme is not None and programme.organisation_id != organisation.pk:
        raise _invalid("programme", _("Choose a programme of this organisation."), "programme")
    if axis is not None and (programme is None or axis.programme_id != programme.pk):
        raise _invalid("axis", _("Choose an axis of the project's programme."), "axis")


def _check_manager(organisation: Organisation, manager) -> None:
    if manager is None:
        return
    if not org_permissions.active_memberships(manager).filter(organisation=organisation).exists():
        raise _invalid(
            "manager", _("The manager must be a staff member of this organisation."), "manager"
        )


@transaction.atomic
def project_create(
    *,
    organisation: Organisation,
    code: str,
    title: Texts,
    sector: str,
    territories: Iterable[Territory],
    actor: Actor,
    description: Texts | None = None,
    programme: Programme | None = None,
    axis: StrategicAxis | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    geometry: str = "",
    manager=None,
    total_cost: Decimal | int | str = 0,
    planned_start: date | None = None,
    planned_end: date | None = None,
    is_published: bool = True,
    status: str = Status.IDENTIFICATION,
    event_kind: str = EventKind.CREATED,
) -> Project:
    """Create a project of `organisation`, placed in its territories, with its cost in MAD.

    `status` lets an import or a seed record a project already under way (no history of the
    earlier stages is invented); it cannot be suspended or cancelled at creation.
    """
    actor = permissions.require_planning(actor, organisation)
    territories = list(territories)
    _check_territories(organisation, territories)
    _check_programme(organisation, programme, axis)
    _check_manager(organisation, manager)
    _check_point(latitude, longitude)
    geometry, inside_lat, inside_lon = clean_geometry(geometry)
    if latitude is None and inside_lat is not None:
        latitude, longitude = inside_lat, inside_lon
    if status not in STAGES:
        raise _invalid("status", _("Choose a stage."), "status")
    if planned_start and planned_end and planned_end < planned_start:
        raise _invalid(
            "planned_end", _("The planned end comes before the planned start."), "period"
        )
    if Project.objects.filter(organisation=organisation, code=code.strip()).exists():
        raise _invalid(
            "code", _("A project of this organisation already has this code."), "duplicate"
        )
    project = Project(
        organisation=organisation,
        code=code.strip(),
        programme=programme,
        axis=axis,
        sector=sector,
        territory=main_territory(territories),
        latitude=latitude,
        longitude=longitude,
        geometry=geometry,
        manager=manager,
        status=status,
        total_cost=_amount(total_cost, "total_cost", allow_zero=True),
        planned_start=planned_start,
        planned_end=planned_end,
        is_published=is_published,
    )
    _set_texts(project, "title", title, required=True)
    _set_texts(project, "description", description)
    project.full_clean(exclude=["territories"])
    project.save()
    project.territories.set(territories)
    _event(
        project,
        event_kind,
        actor=actor,
        to_status=status,
        data={"total_cost": str(project.total_cost)},
    )
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        project,
        organisation,
        code=project.code,
        total_cost=project.total_cost,
        status=status,
    )
    return project


PROJECT_UPDATABLE = frozenset(
    {
        "title",
        "description",
        "sector",
        "territories",
        "programme",
        "axis",
        "latitude",
        "longitude",
        "geometry",
        "manager",
        "total_cost",
        "planned_start",
        "planned_end",
        "is_published",
    }
)


@transaction.atomic
def project_update(*, project: Project, actor: Actor, **changes: Any) -> Project:
    """Change a project's details (not its status, progress or money movements)."""
    actor = permissions.require_planning(actor, project.organisation)
    unknown = set(changes) - PROJECT_UPDATABLE
    if unknown:
        raise ValueError(f"project_update cannot change {sorted(unknown)}")
    project = _locked(project)
    before: dict[str, Any] = {}
    if "territories" in changes:
        territories = list(changes.pop("territories"))
        _check_territories(project.organisation, territories)
        before["territories"] = sorted(project.territories.values_list("code", flat=True))
        project.territories.set(territories)
        project.territory = main_territory(territories)
    for field in ("title", "description"):
        if field in changes:
            before[field] = _texts_of(project, field)
            _set_texts(project, field, changes.pop(field), required=field == "title")
    if "geometry" in changes:
        geometry, inside_lat, inside_lon = clean_geometry(changes.pop("geometry"))
        before["geometry"] = bool(project.geometry)
        project.geometry = geometry
        if "latitude" not in changes and project.latitude is None and inside_lat is not None:
            changes["latitude"], changes["longitude"] = inside_lat, inside_lon
    if "total_cost" in changes:
        changes["total_cost"] = _amount(changes["total_cost"], "total_cost", allow_zero=True)
    if "manager" in changes:
        _check_manager(project.organisation, changes["manager"])
    for field, value in changes.items():
        before[field] = getattr(project, field)
        setattr(project, field, value)
    _check_point(project.latitude, project.longitude)
    _check_programme(project.organisation, project.programme, project.axis)
    project.full_clean(exclude=["territories"])
    project.save()
    changed = sorted(before)
    _event(project, EventKind.UPDATED, actor=actor, data={"fields": changed}, is_public=False)
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        project,
        project.organisation,
        fields=changed,
        before={k: _jsonable(getattr(v, "pk", v)) for k, v in before.items()},
    )
    return project


def _stage_row(project: Project, stage: str) -> ProjectStage:
    row, _created = ProjectStage.objects.get_or_create(project=project, stage=stage)
    return row


@transaction.atomic
def project_transition(
    *, project: Project, to_status: str, actor: Actor, note: str = "", on: date | None = None
) -> Project:
    """Move a project along its workflow (workflow.ALLOWED_TRANSITIONS), dating its stages."""
    actor = permissions.require_project_write(actor, project)
    project = _locked(project)
    from_status = project.status
    if to_status not in Status.values:
        raise _invalid("to_status", _("Unknown status."), "unknown_status")
    if to_status not in ALLOWED_TRANSITIONS.get(from_status, frozenset()) or (
        from_status == Status.SUSPENDED
        and to_status != Status.CANCELLED
        and to_status != project.suspended_from
    ):
        if from_status == Status.SUSPENDED and to_status in ALLOWED_TRANSITIONS[from_status]:
            message = _(
                "A suspended project resumes at the stage it left (%(stage)s), or is cancelled."
            ) % {"stage": Status(project.suspended_from).label}
        else:
            message = _("A project at the stage “%(from)s” cannot move to “%(to)s”.") % {
                "from": Status(from_status).label,
                "to": Status(to_status).label,
            }
        raise _invalid("to_status", message, "forbidden_transition")
    if to_status in (Status.SUSPENDED, Status.CANCELLED) and not note.strip():
        raise _invalid(
            "note", _("Say why the project is suspended or cancelled."), "reason_required"
        )
    on = on or _today()
    if from_status in STAGES and to_status in STAGES and from_status != to_status:
        leaving = _stage_row(project, from_status)
        if leaving.actual_start is None:
            leaving.actual_start = on
        if STAGES.index(to_status) > STAGES.index(from_status) and leaving.actual_end is None:
            leaving.actual_end = on
        leaving.save()
    if to_status in STAGES:
        entering = _stage_row(project, to_status)
        entering.actual_start = entering.actual_start or on
        if from_status in STAGES and STAGES.index(to_status) < STAGES.index(from_status):
            entering.actual_end = None  # back to an earlier stage: it is open again
        if to_status == Status.COMPLETED:
            entering.actual_end = entering.actual_end or on
        entering.save()
    if to_status == Status.WORKS and project.actual_start is None:
        project.actual_start = on
    if to_status == Status.COMPLETED:
        project.actual_end = on
    project.suspended_from = from_status if to_status == Status.SUSPENDED else ""
    project.status = to_status
    project.save()
    _event(
        project,
        EventKind.STATUS_CHANGED,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        body=note.strip(),
        data={"on": on.isoformat()},
    )
    _audit(
        actor,
        AuditEvent.Action.TRANSITION,
        project,
        project.organisation,
        **{"from": from_status, "to": to_status},
    )
    return project


@transaction.atomic
def project_stage_plan(
    *,
    project: Project,
    stage: str,
    actor: Actor,
    planned_start: date | None = None,
    planned_end: date | None = None,
    actual_start: date | None = None,
    actual_end: date | None = None,
) -> ProjectStage:
    """Set the planned (and, to correct them, actual) dates of one stage of a project."""
    actor = permissions.require_project_write(actor, project)
    if stage not in STAGES:
        raise _invalid("stage", _("Choose a stage."), "stage")
    for start, end, field in (
        (planned_start, planned_end, "planned_end"),
        (actual_start, actual_end, "actual_end"),
    ):
        if start and end and end < start:
            raise _invalid(field, _("The end comes before the start."), "period")
    row = _stage_row(project, stage)
    row.planned_start, row.planned_end = planned_start, planned_end
    if actual_start is not None:
        row.actual_start = actual_start
    if actual_end is not None:
        row.actual_end = actual_end
    row.full_clean()
    row.save()
    _event(
        project,
        EventKind.STAGE_PLANNED,
        actor=actor,
        data={
            "stage": stage,
            "planned_start": _jsonable(planned_start),
            "planned_end": _jsonable(planned_end),
        },
    )
    _audit(actor, AuditEvent.Action.UPDATE, project, project.organisation, stage=stage)
    return row


@transaction.atomic
def milestone_create(
    *,
    project: Project,
    title: Texts,
    planned_date: date,
    actor: Actor,
    type: str = "delivery",
    stage: str = "",
    actual_date: date | None = None,
    position: int = 0,
) -> Milestone:
    """Plan a milestone of a project (a date to meet)."""
    actor = permissions.require_project_write(actor, project)
    milestone = Milestone(
        project=project,
        type=type,
        stage=stage,
        planned_date=planned_date,
        actual_date=actual_date,
        position=position,
    )
    _set_texts(milestone, "title", title, required=True)
    milestone.full_clean()
    milestone.save()
    _event(
        project,
        EventKind.MILESTONE_PLANNED,
        actor=actor,
        body=milestone.title,
        data={"milestone": milestone.pk, "planned_date": planned_date.isoformat()},
    )
    _audit(actor, AuditEvent.Action.CREATE, milestone, project.organisation, planned=planned_date)
    return milestone


@transaction.atomic
def milestone_reach(*, milestone: Milestone, actual_date: date, actor: Actor) -> Milestone:
    """Record the date a milestone was met."""
    project = milestone.project
    actor = permissions.require_project_write(actor, project)
    if actual_date > _today():
        raise _invalid("actual_date", _("A milestone cannot be met in the future."), "future")
    milestone.actual_date = actual_date
    milestone.save(update_fields=["actual_date"])
    _event(
        project,
        EventKind.MILESTONE_REACHED,
        actor=actor,
        body=milestone.title,
        data={"milestone": milestone.pk, "actual_date": actual_date.isoformat()},
    )
    _audit(actor, AuditEvent.Action.UPDATE, milestone, project.organisation, reached=actual_date)
    return milestone


def _current_progress(project: Project) -> Decimal:
    latest = ProgressUpdate.objects.filter(project=project).order_by("-as_of", "-id").first()
    return latest.physical_progress if latest else Decimal("0.00")


def _clean_photo(file) -> Any:
    return validate_and_clean_upload(file, allowed_kinds=("image",), max_bytes=PHOTO_MAX_BYTES)


@transaction.atomic
def project_progress_record(
    *,
    project: Project,
    physical_progress: Decimal | int | str,
    actor: Actor,
    as_of: date | None = None,
    note: str = "",
    photo=None,
    photo_latitude: float | None = None,
    photo_longitude: float | None = None,
    caption: str = "",
) -> ProgressUpdate:
    """Record the physical progress of a project at a date, optionally with a photo of the site.

    The project's current progress is the most recent update by date; an update dated
    earlier than the latest one goes into the history without changing it.
    """
    actor = permissions.require_project_write(actor, project)
    project = _locked(project)
    if isinstance(physical_progress, float):
        raise TypeError("Progress is a Decimal, not a float.")
    try:
        value = Decimal(physical_progress).quantize(Decimal("0.01"))
    except Exception:
        raise _invalid(
            "physical_progress", _("Enter a percentage between 0 and 100."), "invalid"
        ) from None
    if not (0 <= value <= HUNDRED):
        raise _invalid("physical_progress", _("Enter a percentage between 0 and 100."), "range")
    as_of = as_of or _today()
    if as_of > _today():
        raise _invalid("as_of", _("Progress cannot be dated in the future."), "future")
    if project.status in (Status.IDENTIFICATION, Status.CANCELLED):
        raise ValidationError(
            _("Progress is recorded once a project has started its studies."), code="not_started"
        )
    _check_point(photo_latitude, photo_longitude, "photo")
    clean = _clean_photo(photo) if photo is not None else None
    update = ProgressUpdate.objects.create(
        project=project,
        as_of=as_of,
        physical_progress=value,
        note=note.strip(),
        created_by=actor.user,
        created_at=timezone.now(),
    )
    photo_row = None
    if clean is not None:
        photo_row = ProjectPhoto(
            project=project,
            progress_update=update,
            caption=caption.strip()[:250],
            taken_on=as_of,
            latitude=photo_latitude,
            longitude=photo_longitude,
            created_by=actor.user,
            created_at=timezone.now(),
        )
        photo_row.file.save(clean.name, clean, save=False)
        photo_row.save()
    before = project.physical_progress
    project.physical_progress = _current_progress(project)
    project.save(update_fields=["physical_progress", "updated_at"])
    _event(
        project,
        EventKind.PROGRESS_RECORDED,
        actor=actor,
        body=update.note,
        data={
            "as_of": as_of.isoformat(),
            "physical_progress": str(value),
            "photo": photo_row.pk if photo_row else None,
        },
    )
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        project,
        project.organisation,
        physical_progress={"from": str(before), "to": str(project.physical_progress)},
        as_of=as_of,
    )
    return update


@transaction.atomic
def project_photo_add(
    *,
    project: Project,
    file,
    actor: Actor,
    taken_on: date | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    caption: str = "",
    is_public: bool = True,
) -> ProjectPhoto:
    """Add a dated photo of a project (cleaned of its metadata), with where it was taken."""
    actor = permissions.require_project_write(actor, project)
    _check_point(latitude, longitude, "photo")
    taken_on = taken_on or _today()
    clean = _clean_photo(file)
    photo = ProjectPhoto(
        project=project,
        caption=caption.strip()[:250],
        taken_on=taken_on,
        latitude=latitude,
        longitude=longitude,
        is_public=is_public,
        created_by=actor.user,
        created_at=timezone.now(),
    )
    photo.file.save(clean.name, clean, save=False)
    photo.save()
    _event(project, EventKind.PHOTO_ADDED, actor=actor, data={"photo": photo.pk})
    _audit(actor, AuditEvent.Action.CREATE, photo, project.organisation, project=project.code)
    return photo


@transaction.atomic
def project_document_add(
    *,
    project: Project,
    file,
    title: str,
    actor: Actor,
    type: str = "",
    is_public: bool = True,
) -> ProjectDocument:
    """Attach a document (PDF or image) to a project."""
    actor = permissions.require_project_write(actor, project)
    if not title.strip():
        raise _invalid("title", _("Give the document a title."), "required")
    clean = validate_and_clean_upload(
        file, allowed_kinds=("document", "image"), max_bytes=DOCUMENT_MAX_BYTES
    )
    document = ProjectDocument(
        project=project,
        title=title.strip()[:250],
        type=type,
        is_public=is_public,
        created_by=actor.user,
        created_at=timezone.now(),
    )
    document.full_clean(exclude=["file"])
    document.file.save(clean.name, clean, save=False)
    document.save()
    _event(
        project,
        EventKind.DOCUMENT_ADDED,
        actor=actor,
        body=document.title,
        is_public=is_public,
        data={"document": document.pk},
    )
    _audit(actor, AuditEvent.Action.CREATE, document, project.organisation, title=document.title)
    return document


# --- Money ------------------------------------------------------------------------------------------


@transaction.atomic
def funding_commit(
    *,
    project: Project,
    partner: Partner,
    amount: Decimal | int | str,
    actor: Actor,
    convention: Convention | None = None,
) -> FundingCommitment:
    """Set a partner's line in a project's funding plan (create it, or change its amount)."""
    actor = permissions.require_planning(actor, project.organisation)
    amount = _amount(amount, "amount", allow_zero=True)
    if convention is not None and convention.organisation_id != project.organisation_id:
        raise _invalid("convention", _("Choose a convention of this organisation."), "convention")
    commitment = FundingCommitment.objects.filter(project=project, partner=partner).first()
    before = commitment.amount if commitment else None
    if commitment is None:
        commitment = FundingCommitment(project=project, partner=partner)
    commitment.amount = amount
    commitment.convention = convention
    commitment.full_clean()
    commitment.save()
    _event(
        project,
        EventKind.FUNDING_COMMITTED,
        actor=actor,
        body=str(partner),
        data={"partner": partner.slug, "amount": str(amount), "before": _jsonable(before)},
    )
    _audit(
        actor,
        AuditEvent.Action.CREATE if before is None else AuditEvent.Action.UPDATE,
        commitment,
        project.organisation,
        partner=partner.slug,
        amount=amount,
        before=before,
    )
    return commitment


@transaction.atomic
def transaction_record(
    *,
    project: Project,
    kind: str,
    date: date,
    amount: Decimal | int | str,
    actor: Actor,
    partner: Partner | None = None,
    reference: str = "",
    description: str = "",
) -> ProjectTransaction:
    """Record a disbursement received from a partner, or an expenditure paid out, in MAD."""
    actor = permissions.require_project_write(actor, project)
    if kind not in TransactionKind.values:
        raise _invalid("kind", _("Choose disbursement or expenditure."), "kind")
    amount = _amount(amount, "amount")
    if kind == TransactionKind.DISBURSEMENT and partner is None:
        raise _invalid("partner", _("Say which partner the money came from."), "funder_required")
    if date > _today():
        raise _invalid("date", _("A transaction cannot be dated in the future."), "future")
    reference = reference.strip()
    if (
        reference
        and ProjectTransaction.objects.filter(project=project, reference=reference).exists()
    ):
        raise _invalid(
            "reference", _("A transaction with this reference is already recorded."), "duplicate"
        )
    row = ProjectTransaction(
        project=project,
        kind=kind,
        date=date,
        amount=amount,
        partner=partner,
        reference=reference,
        description=description.strip()[:300],
        created_by=actor.user,
        created_at=timezone.now(),
    )
    row.full_clean()
    row.save()
    _event(
        project,
        EventKind.TRANSACTION_RECORDED,
        actor=actor,
        data={
            "transaction": row.pk,
            "kind": kind,
            "amount": str(amount),
            "partner": partner.slug if partner else None,
        },
    )
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        row,
        project.organisation,
        kind=kind,
        amount=amount,
        date=date,
    )
    return row


# --- Conventions ------------------------------------------------------------------------------------


@transaction.atomic
def convention_create(
    *,
    organisation: Organisation,
    reference: str,
    title: Texts,
    signed_on: date,
    duration_months: int,
    actor: Actor,
    kind: str = "convention",
    description: Texts | None = None,
    projects: Iterable[Project] = (),
    document=None,
    is_published: bool = True,
) -> Convention:
    """Record a convention or memorandum of understanding and the projects it finances."""
    actor = permissions.require_planning(actor, organisation)
    projects = list(projects)
    if any(p.organisation_id != organisation.pk for p in projects):
        raise _invalid("projects", _("Choose projects of this organisation."), "projects")
    convention = Convention(
        organisation=organisation,
        reference=reference.strip(),
        kind=kind,
        signed_on=signed_on,
        duration_months=duration_months,
        is_published=is_published,
    )
    _set_texts(convention, "title", title, required=True)
    _set_texts(convention, "description", description)
    convention.full_clean(exclude=["document"])
    if document is not None:
        clean = validate_and_clean_upload(
            document, allowed_kinds=("document",), max_bytes=DOCUMENT_MAX_BYTES
        )
        convention.document.save(clean.name, clean, save=False)
    convention.save()
    convention.projects.set(projects)
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        convention,
        organisation,
        reference=convention.reference,
        projects=[p.code for p in projects],
    )
    return convention


@transaction.atomic
def convention_party_add(
    *, convention: Convention, partner: Partner, role: str, actor: Actor
) -> ConventionParty:
    """Name a party of a convention (lead, funder, implementer, technical partner)."""
    actor = permissions.require_planning(actor, convention.organisation)
    party = ConventionParty(convention=convention, partner=partner, role=role)
    party.full_clean()
    party.save()
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        party,
        convention.organisation,
        partner=partner.slug,
        role=role,
    )
    return party


@transaction.atomic
def party_commitment_add(
    *,
    party: ConventionParty,
    kind: str,
    actor: Actor,
    amount: Decimal | int | str | None = None,
    description: str = "",
    project: Project | None = None,
    tranches: Iterable[tuple[date, Decimal | int | str]] = (),
) -> PartyCommitment:
    """Record what a party promised: an amount in MAD (with its tranches) or a contribution in kind.

    The tranches of a money commitment must add up exactly to its amount.
    """
    convention = party.convention
    actor = permissions.require_planning(actor, convention.organisation)
    if kind not in CommitmentKind.values:
        raise _invalid("kind", _("Choose the kind of contribution."), "kind")
    if kind == CommitmentKind.MONEY and amount is None:
        raise _invalid("amount", _("Give the amount in dirhams."), "required")
    if kind != CommitmentKind.MONEY and not description.strip():
        raise _invalid("description", _("Describe the contribution in kind."), "required")
    if project is not None and project.organisation_id != convention.organisation_id:
        raise _invalid("project", _("Choose a project of this organisation."), "project")
    value = None if amount is None else _amount(amount, "amount")
    tranches = [(due_on, _amount(part, "tranches")) for due_on, part in tranches]
    if tranches and kind != CommitmentKind.MONEY:
        raise _invalid("tranches", _("Only a commitment in money is paid in tranches."), "tranches")
    if tranches and sum((part for _due, part in tranches), Decimal("0.00")) != value:
        raise _invalid(
            "tranches", _("The tranches must add up to the amount committed."), "tranches_sum"
        )
    commitment = PartyCommitment(
        party=party, kind=kind, amount=value, description=description.strip(), project=project
    )
    commitment.full_clean()
    commitment.save()
    for due_on, part in tranches:
        Tranche.objects.create(commitment=commitment, due_on=due_on, amount=part)
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        commitment,
        convention.organisation,
        partner=party.partner.slug,
        kind=kind,
        amount=value,
        tranches=len(tranches),
    )
    return commitment


@transaction.atomic
def tranche_add(
    *, commitment: PartyCommitment, due_on: date, amount: Decimal | int | str, actor: Actor
) -> Tranche:
    """Add a tranche to a money commitment; the tranches may not exceed the amount committed."""
    organisation = commitment.party.convention.organisation
    actor = permissions.require_planning(actor, organisation)
    if commitment.kind != CommitmentKind.MONEY:
        raise _invalid("amount", _("Only a commitment in money is paid in tranches."), "tranches")
    amount = _amount(amount, "amount")
    planned = sum(
        (t.amount for t in commitment.tranches.exclude(status=TrancheStatus.CANCELLED)),
        Decimal("0.00"),
    )
    if planned + amount > commitment.amount:
        raise _invalid("amount", _("The tranches would exceed the amount committed."), "exceeds")
    tranche = Tranche.objects.create(commitment=commitment, due_on=due_on, amount=amount)
    _audit(actor, AuditEvent.Action.CREATE, tranche, organisation, amount=amount, due_on=due_on)
    return tranche


@transaction.atomic
def tranche_set_status(
    *, tranche: Tranche, status: str, actor: Actor, paid_on: date | None = None
) -> Tranche:
    """Mark a tranche called, paid (on a date) or cancelled."""
    organisation = tranche.commitment.party.convention.organisation
    actor = permissions.require_planning(actor, organisation)
    if status not in TrancheStatus.values:
        raise _invalid("status", _("Unknown status."), "status")
    if tranche.status in (TrancheStatus.PAID, TrancheStatus.CANCELLED):
        raise _invalid("status", _("A paid or cancelled tranche cannot change."), "final")
    if status == TrancheStatus.PAID and paid_on is None:
        raise _invalid("paid_on", _("Give the date of payment."), "required")
    before = tranche.status
    tranche.status = status
    tranche.paid_on = paid_on if status == TrancheStatus.PAID else None
    tranche.full_clean()
    tranche.save()
    _audit(
        actor,
        AuditEvent.Action.TRANSITION,
        tranche,
        organisation,
        **{"from": before, "to": status, "paid_on": paid_on},
    )
    return tranche


@transaction.atomic
def party_commitment_deliver(
    *, commitment: PartyCommitment, delivered_on: date, actor: Actor
) -> PartyCommitment:
    """Record that a contribution in kind was handed over (land made available, expert seconded)."""
    organisation = commitment.party.convention.organisation
    actor = permissions.require_planning(actor, organisation)
    if commitment.kind == CommitmentKind.MONEY:
        raise ValidationError(
            _("A commitment in money is delivered through its tranches."), code="money"
        )
    commitment.delivered_on = delivered_on
    commitment.save(update_fields=["delivered_on"])
    _audit(actor, AuditEvent.Action.UPDATE, commitment, organisation, delivered_on=delivered_on)
    return commitment


# --- Steering committees ----------------------------------------------------------------------------


@transaction.atomic
def committee_create(
    *,
    organisation: Organisation,
    slug: str,
    name: Texts,
    actor: Actor,
    programme: Programme | None = None,
    scale_max: int = 10,
) -> SteeringCommittee:
    """Set up a steering committee that will score candidate projects."""
    actor = permissions.require_planning(actor, organisation)
    if programme is not None and programme.organisation_id != organisation.pk:
        raise _invalid("programme", _("Choose a programme of this organisation."), "programme")
    committee = SteeringCommittee(
        organisation=organisation, slug=slug, programme=programme, scale_max=scale_max
    )
    _set_texts(committee, "name", name, required=True)
    committee.full_clean()
    committee.save()
    _audit(actor, AuditEvent.Action.CREATE, committee, organisation, slug=slug)
    return committee


@transaction.atomic
def committee_member_add(
    *,
    committee: SteeringCommittee,
    name: str,
    actor: Actor,
    partner: Partner | None = None,
    user=None,
) -> CommitteeMember:
    """Seat a member on a committee (optionally linked to their account and the partner they represent)."""
    actor = permissions.require_planning(actor, committee.organisation)
    member = CommitteeMember(committee=committee, name=name.strip(), partner=partner, user=user)
    member.full_clean()
    member.save()
    _audit(actor, AuditEvent.Action.CREATE, member, committee.organisation, name=member.name)
    return member


@transaction.atomic
def criterion_add(
    *,
    committee: SteeringCommittee,
    title: Texts,
    weight: Decimal | int | str,
    actor: Actor,
    position: int = 0,
) -> Criterion:
    """Add a weighted criterion (weights need not add up to anything: the average is weighted)."""
    actor = permissions.require_planning(actor, committee.organisation)
    if committee.is_published:
        raise ValidationError(_("The ranking is published: unpublish it first."), "published")
    weight = Decimal(str(weight))
    if weight <= 0:
        raise _invalid("weight", _("The weight must be greater than zero."), "weight")
    criterion = Criterion(committee=committee, weight=weight, position=position)
    _set_texts(criterion, "title", title, required=True)
    criterion.full_clean()
    criterion.save()
    _audit(actor, AuditEvent.Action.CREATE, criterion, committee.organisation, weight=weight)
    return criterion


@transaction.atomic
def candidate_add(
    *,
    committee: SteeringCommittee,
    project: Project,
    actor: Actor,
    rationale: Texts | None = None,
) -> Candidate:
    """Put a project of the organisation before the committee."""
    actor = permissions.require_planning(actor, committee.organisation)
    if project.organisation_id != committee.organisation_id:
        raise _invalid("project", _("Choose a project of this organisation."), "project")
    candidate = Candidate(committee=committee, project=project)
    _set_texts(candidate, "rationale", rationale)
    candidate.full_clean()
    candidate.save()
    _audit(actor, AuditEvent.Action.CREATE, candidate, committee.organisation, project=project.code)
    return candidate


@transaction.atomic
def score_record(
    *,
    member: CommitteeMember,
    criterion: Criterion,
    candidate: Candidate,
    value: Decimal | int | str,
    actor: Actor,
) -> Score:
    """Record (or correct) one member's score of a candidate on a criterion.

    The member scores with their own account; planning staff may enter a member's paper
    scoring sheet. Nobody may score once the ranking is published.
    """
    committee = member.committee
    if criterion.committee_id != committee.pk or candidate.committee_id != committee.pk:
        raise ValidationError(_("The member, criterion and candidate are of different committees."))
    is_member = actor.user is not None and member.user_id == actor.user.pk
    if not is_member:
        actor = permissions.require_planning(actor, committee.organisation)
    if committee.is_published:
        raise ValidationError(_("The ranking is published: scores are closed."), "published")
    try:
        value = Decimal(str(value)).quantize(Decimal("0.01"))
    except Exception:
        raise _invalid("value", _("Enter a number."), "invalid") from None
    if not (0 <= value <= committee.scale_max):
        raise _invalid(
            "value", _("A score is between 0 and %(max)d.") % {"max": committee.scale_max}, "range"
        )
    score, created = Score.objects.update_or_create(
        member=member,
        criterion=criterion,
        candidate=candidate,
        defaults={"value": value, "updated_at": timezone.now()},
    )
    _audit(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        score,
        committee.organisation,
        value=value,
    )
    return score


@transaction.atomic
def committee_publish(
    *,
    committee: SteeringCommittee,
    actor: Actor,
    rationale: Texts,
    candidate_rationales: Mapping[int, Texts] | None = None,
) -> SteeringCommittee:
    """Publish the committee's ranking with its rationale (and one per candidate, optional)."""
    actor = permissions.require_planning(actor, committee.organisation)
    _set_texts(committee, "rationale", rationale, required=True)
    if not committee.criteria.exists() or not committee.candidates.exists():
        raise ValidationError(_("A ranking needs criteria and candidates."), code="empty")
    if not Score.objects.filter(member__committee=committee).exists():
        raise ValidationError(_("Nobody has scored yet."), code="no_scores")
    for candidate_id, texts in (candidate_rationales or {}).items():
        candidate = committee.candidates.get(pk=candidate_id)
        _set_texts(candidate, "rationale", texts)
        candidate.save()
    committee.is_published = True
    committee.published_at = timezone.now()
    committee.save()
    _audit(actor, AuditEvent.Action.UPDATE, committee, committee.organisation, published=True)
    return committee


@transaction.atomic
def committee_unpublish(*, committee: SteeringCommittee, actor: Actor) -> SteeringCommittee:
    """Take the ranking back (to correct scores)."""
    actor = permissions.require_planning(actor, committee.organisation)
    committee.is_published = False
    committee.published_at = None
    committee.save(update_fields=["is_published", "published_at", "updated_at"])
    _audit(actor, AuditEvent.Action.UPDATE, committee, committee.organisation, published=False)
    return committee
