"""Every read of programmes and projects, and the scoping of staff reads.

Amounts are Decimal MAD; sums read from the database go through `money()` (to the centime).
Percentages (`money.percent`) are exact; round them only to display (`money.percent_display`).

Public (published projects of active organisations only):
    projects_public(province=, sector=, status=, partner=, commune=, organisation=, programme=,
        search=) → QuerySet annotated with committed / disbursed / spent (MAD)
        commune=: "what is being done in my commune" (the commune and its arrondissements)
    projects_covering_commune(commune=) → the province- and region-wide projects around it
    project_get_public(organisation_slug=, code=) → Project (404 if unpublished)
    project_budget(project=) → Budget (total, committed, disbursed, spent, exact percentages,
        funding gap, one PartnerLine per partner: committed vs disbursed)
    project_timeline(project=, public=True) → stages (workflow order), milestones, history
    project_photos_public(project=), project_documents_public(project=)
    programmes_public(organisation=), programme_get_public(organisation_slug=, slug=)
    programme_summary(programme=) → totals, projects by status and by axis
    projects_geojson(projects) → GeoJSON FeatureCollection for the map
    partners_public() → partners for the filter
    conventions_public(organisation=), convention_get_public(organisation_slug=, reference=)
    convention_summary(convention=) → per party: promised, paid, overdue, contributions in kind
    partner_summary(organisation=) → per partner: committed, disbursed, promised, paid
    committees_public(organisation=), committee_get_public(organisation_slug=, slug=)
        and scoring.committee_ranking(committee) for the ranking
Staff (scoped by organisation, territory and role; outsiders get 404 or PermissionDenied):
    projects_for_staff(user=) → QuerySet with money sums
    project_get_for_staff(user=, pk=, write=False) → (Project, Membership | None)
    organisation_get_for_planning(user=, slug=) → (Organisation, Membership | None)
    dashboard(user=, organisation=) → Dashboard: totals, budget execution by province, sector
        and partner (SQL aggregates), projects by status, projects with alerts
    budget_by_province / budget_by_sector / budget_by_partner / projects_by_status /
        late_projects (each takes a project QuerySet)
    alerts.project_alerts(project) → one project's alerts; alerts.with_alerts(queryset)
    programmes_for_staff / conventions_for_staff / convention_get_for_staff /
        committees_for_staff / committee_get_for_staff (user=, organisation=; unpublished too)
    project_timeline_for_staff(user=, pk=) → the history with internal entries
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jamaati.organisations import permissions as org_permissions
from jamaati.organisations.models import Membership, Organisation
from jamaati.organisations.selectors import staff_get, staff_scope
from jamaati.programmes import permissions
from jamaati.programmes.alerts import alerting, spent_subquery
from jamaati.programmes.models import (
    STAGES,
    Convention,
    ConventionParty,
    FundingCommitment,
    Milestone,
    Partner,
    PartyCommitment,
    Programme,
    Project,
    ProjectDocument,
    ProjectEvent,
    ProjectPhoto,
    ProjectStage,
    ProjectTransaction,
    SteeringCommittee,
    Tranche,
    TrancheStatus,
    TransactionKind,
)
from jamaati.programmes.money import ZERO, money, percent
from jamaati.territories.models import Level, Territory


def _m(value) -> Decimal:
    """A sum read from the database as an amount to the centime (SQLite may give 1 for 1.00)."""
    return money(value or 0)


# Territory columns never needed here: the polygon and the search index.
_TERRITORY_HEAVY = ("boundary_wkb", "search_text", "alt_names")


def _committed_subquery():
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from jamaati.programmes.alerts import MONEY_FIELD

    rows = (
        FundingCommitment.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)


def with_money(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate `committed`, `disbursed` and `spent` (MAD) in SQL, one subquery each."""
    return projects.annotate(
        committed=_committed_subquery(),
        disbursed=spent_subquery(TransactionKind.DISBURSEMENT),
        spent=spent_subquery(TransactionKind.EXPENDITURE),
    )


# --- Public reads -----------------------------------------------------------------------------


def _public_base() -> QuerySet[Project]:
    return Project.objects.published().select_related("organisation", "programme", "axis")


def projects_public(
    *,
    province: Territory | None = None,
    sector: str | None = None,
    status: str | None = None,
    partner: Partner | None = None,
    commune: Territory | None = None,
    organisation: Organisation | None = None,
    programme: Programme | None = None,
    search: str | None = None,
) -> QuerySet[Project]:
    """Published projects, filtered, with their money sums; ordered by organisation and code.

    - province: projects with a territory that is the province or inside it;
    - commune ("what is being done in my commune"): projects whose territories include the
      commune or lie inside it (its arrondissements); wider, region-wide projects are not
      listed (see `projects_covering_commune` for those);
    - partner: projects in whose funding plan the partner appears.
    """
    projects = _public_base()
    if organisation is not None:
        projects = projects.filter(organisation=organisation)
    if programme is not None:
        projects = projects.filter(programme=programme)
    if sector:
        projects = projects.filter(Q(sector=sector) | Q(sector__startswith=f"{sector}."))
    if status:
        projects = projects.filter(status=status)
    if province is not None:
        inside = Territory.objects.filter(Q(pk=province.pk) | Q(province=province))
        projects = projects.filter(
            pk__in=Project.territories.through.objects.filter(territory__in=inside).values(
                "project_id"
            )
        )
    if commune is not None:
        inside = Territory.objects.filter(Q(pk=commune.pk) | Q(commune=commune))
        projects = projects.filter(
            pk__in=Project.territories.through.objects.filter(territory__in=inside).values(
                "project_id"
            )
        )
    if partner is not None:
        projects = projects.filter(
            pk__in=FundingCommitment.objects.filter(partner=partner).values("project_id")
        )
    if search:
        term = search.strip()
        projects = projects.filter(
            Q(code__icontains=term)
            | Q(title_ar__icontains=term)
            | Q(title_fr__icontains=term)
            | Q(title_en__icontains=term)
        )
    return with_money(projects).order_by("organisation__slug", "code")


def projects_covering_commune(*, commune: Territory) -> QuerySet[Project]:
    """Published projects of the commune's province or region as a whole (wider than the commune)."""
    wider = [pk for pk in (commune.province_id, commune.region_id) if pk]
    return with_money(
        _public_base().filter(
            pk__in=Project.territories.through.objects.filter(territory_id__in=wider).values(
                "project_id"
            )
        )
    ).order_by("organisation__slug", "code")


def project_get_public(*, organisation_slug: str, code: str) -> Project:
    return get_object_or_404(
        with_money(_public_base()).prefetch_related(
            Prefetch("territories", queryset=Territory.objects.defer(*_TERRITORY_HEAVY))
        ),
        organisation__slug=organisation_slug,
        code=code,
    )


@dataclass(frozen=True)
class PartnerLine:
    partner: Partner
    committed: Decimal
    disbursed: Decimal

    @property
    def delivered_percent(self) -> Decimal | None:
        return percent(self.disbursed, self.committed)


@dataclass(frozen=True)
class Budget:
    """A project's money, exact: amounts in MAD, percentages as exact Decimals (None if undefined)."""

    total_cost: Decimal
    committed: Decimal
    disbursed: Decimal
    spent: Decimal
    physical_progress: Decimal
    partners: list[PartnerLine] = field(default_factory=list)

    @property
    def financial_progress(self) -> Decimal | None:
        """Expenditure as a percentage of the total cost."""
        return percent(self.spent, self.total_cost)

    @property
    def committed_percent(self) -> Decimal | None:
        return percent(self.committed, self.total_cost)

    @property
    def disbursed_percent(self) -> Decimal | None:
        return percent(self.disbursed, self.total_cost)

    @property
    def funding_gap(self) -> Decimal:
        """What the funding plan still lacks (never negative)."""
        return max(self.total_cost - self.committed, ZERO)


def project_budget(*, project: Project) -> Budget:
    """The budget summary of a project: three SQL aggregates, one row per partner."""
    sums = ProjectTransaction.objects.filter(project=project).aggregate(
        disbursed=Sum("amount", filter=Q(kind=TransactionKind.DISBURSEMENT)),
        spent=Sum("amount", filter=Q(kind=TransactionKind.EXPENDITURE)),
    )
    disbursed_by_partner = dict(
        ProjectTransaction.objects.filter(project=project, kind=TransactionKind.DISBURSEMENT)
        .order_by()
        .values_list("partner_id")
        .annotate(total=Sum("amount"))
    )
    lines = []
    seen = set()
    for commitment in FundingCommitment.objects.filter(project=project).select_related("partner"):
        seen.add(commitment.partner_id)
        lines.append(
            PartnerLine(
                commitment.partner,
                commitment.amount,
                _m(disbursed_by_partner.get(commitment.partner_id)),
            )
        )
    # Money received from a partner with no line in the funding plan is still shown.
    for partner in Partner.objects.filter(pk__in=set(disbursed_by_partner) - seen - {None}):
        lines.append(PartnerLine(partner, ZERO, _m(disbursed_by_partner[partner.pk])))
    committed = sum((line.committed for line in lines), ZERO)
    return Budget(
        total_cost=project.total_cost,
        committed=committed,
        disbursed=_m(sums["disbursed"]),
        spent=_m(sums["spent"]),
        physical_progress=project.physical_progress,
        partners=lines,
    )


@dataclass(frozen=True)
class Timeline:
    stages: list[ProjectStage]
    milestones: list[Milestone]
    events: list[ProjectEvent]


def project_timeline(*, project: Project, public: bool = True) -> Timeline:
    """The stages in workflow order, the milestones by date, and the history."""
    order = Case(
        *(When(stage=stage, then=Value(index)) for index, stage in enumerate(STAGES)),
        output_field=IntegerField(),
    )
    stages = list(ProjectStage.objects.filter(project=project).order_by(order))
    milestones = list(Milestone.objects.filter(project=project).order_by("planned_date", "pk"))
    events = ProjectEvent.objects.filter(project=project).select_related("actor")
    if public:
        events = events.filter(is_public=True)
    return Timeline(stages, milestones, list(events.order_by("created_at", "pk")))


def project_photos_public(*, project: Project) -> QuerySet[ProjectPhoto]:
    return ProjectPhoto.objects.filter(project=project, is_public=True).order_by("-taken_on", "-pk")


def project_documents_public(*, project: Project) -> QuerySet[ProjectDocument]:
    return ProjectDocument.objects.filter(project=project, is_public=True).order_by(
        "-created_at", "-pk"
    )


def programmes_public(*, organisation: Organisation | None = None) -> QuerySet[Programme]:
    programmes = Programme.objects.filter(
        is_published=True, organisation__is_active=True
    ).select_related("organisation")
    if organisation is not None:
        programmes = programmes.filter(organisation=organisation)
    return programmes.annotate(
        projects_count=Count("projects", filter=Q(projects__is_published=True))
    ).order_by("organisation__slug", "-start_date", "slug")


def programme_get_public(*, organisation_slug: str, slug: str) -> Programme:
    return get_object_or_404(
        programmes_public().prefetch_related("axes"),
        organisation__slug=organisation_slug,
        slug=slug,
    )


@dataclass(frozen=True)
class Totals:
    projects: int
    total_cost: Decimal
    committed: Decimal
    disbursed: Decimal
    spent: Decimal

    @property
    def financial_progress(self) -> Decimal | None:
        return percent(self.spent, self.total_cost)


def projects_totals(projects: QuerySet[Project]) -> Totals:
    """Sums over a set of projects, each from its own table (no double counting through joins)."""
    ids = projects.order_by().values("pk")
    head = Project.objects.filter(pk__in=ids).aggregate(n=Count("pk"), cost=Sum("total_cost"))
    moves = ProjectTransaction.objects.filter(project__in=ids).aggregate(
        disbursed=Sum("amount", filter=Q(kind=TransactionKind.DISBURSEMENT)),
        spent=Sum("amount", filter=Q(kind=TransactionKind.EXPENDITURE)),
    )
    committed = FundingCommitment.objects.filter(project__in=ids).aggregate(t=Sum("amount"))["t"]
    return Totals(
        projects=head["n"],
        total_cost=_m(head["cost"]),
        committed=_m(committed),
        disbursed=_m(moves["disbursed"]),
        spent=_m(moves["spent"]),
    )


@dataclass(frozen=True)
class ProgrammeSummary:
    totals: Totals
    by_status: dict[str, int]
    by_axis: list[dict]


def programme_summary(*, programme: Programme) -> ProgrammeSummary:
    projects = Project.objects.published().filter(programme=programme)
    by_status = dict(
        projects.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_axis = list(
        projects.order_by()
        .values("axis_id", "axis__code")
        .annotate(projects=Count("pk"), total_cost=Sum("total_cost"))
        .order_by("axis__code")
    )
    return ProgrammeSummary(projects_totals(projects), by_status, by_axis)


def projects_geojson(projects: QuerySet[Project]) -> dict:
    """A GeoJSON FeatureCollection of the projects that have a place (point, or outline)."""
    import json

    features = []
    rows = projects.exclude(latitude__isnull=True).values(
        "pk",
        "code",
        "title",
        "status",
        "sector",
        "latitude",
        "longitude",
        "geometry",
        "physical_progress",
        "total_cost",
        "organisation__slug",
    )
    for row in rows:
        geometry = (
            json.loads(row["geometry"])
            if row["geometry"]
            else {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]}
        )
        features.append(
            {
                "type": "Feature",
                "id": row["pk"],
                "geometry": geometry,
                "properties": {
                    "code": row["code"],
                    "title": row["title"],
                    "status": row["status"],
                    "sector": row["sector"],
                    "organisation": row["organisation__slug"],
                    "physical_progress": str(row["physical_progress"]),
                    "total_cost": str(row["total_cost"]),
                    "point": [row["longitude"], row["latitude"]],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def conventions_public(*, organisation: Organisation | None = None) -> QuerySet[Convention]:
    conventions = Convention.objects.filter(
        is_published=True, organisation__is_active=True
    ).select_related("organisation")
    if organisation is not None:
        conventions = conventions.filter(organisation=organisation)
    return conventions.prefetch_related(
        Prefetch("parties", queryset=ConventionParty.objects.select_related("partner")),
        Prefetch(
            "projects",
            queryset=Project.objects.published().only("pk", "code", "title", "organisation_id"),
        ),
    ).order_by("-signed_on", "reference")


def convention_get_public(*, organisation_slug: str, reference: str) -> Convention:
    return get_object_or_404(
        conventions_public(), organisation__slug=organisation_slug, reference=reference
    )


@dataclass(frozen=True)
class PartyLine:
    party: ConventionParty
    promised: Decimal  # money promised, MAD
    paid: Decimal  # tranches paid, MAD
    overdue: Decimal  # tranches due before today and not paid, MAD
    in_kind: list[PartyCommitment]

    @property
    def delivered_percent(self) -> Decimal | None:
        return percent(self.paid, self.promised)


def convention_summary(*, convention: Convention, today: date | None = None) -> list[PartyLine]:
    """Per party: money promised vs tranches paid (and overdue), and the contributions in kind."""
    today = today or timezone.localdate()
    parties = list(convention.parties.select_related("partner").order_by("role", "pk"))
    promised = dict(
        PartyCommitment.objects.filter(party__convention=convention, kind="money")
        .order_by()
        .values_list("party_id")
        .annotate(t=Sum("amount"))
    )
    tranches = Tranche.objects.filter(commitment__party__convention=convention).order_by()
    paid = dict(
        tranches.filter(status=TrancheStatus.PAID)
        .values_list("commitment__party_id")
        .annotate(t=Sum("amount"))
    )
    overdue = dict(
        tranches.filter(status__in=[TrancheStatus.PLANNED, TrancheStatus.CALLED], due_on__lt=today)
        .values_list("commitment__party_id")
        .annotate(t=Sum("amount"))
    )
    in_kind: dict[int, list[PartyCommitment]] = defaultdict(list)
    for commitment in PartyCommitment.objects.filter(party__convention=convention).exclude(
        kind="money"
    ):
        in_kind[commitment.party_id].append(commitment)
    return [
        PartyLine(
            party,
            _m(promised.get(party.pk)),
            _m(paid.get(party.pk)),
            _m(overdue.get(party.pk)),
            in_kind[party.pk],
        )
        for party in parties
    ]


@dataclass(frozen=True)
class PartnerSummary:
    partner: Partner
    committed: Decimal  # in projects' funding plans
    disbursed: Decimal  # disbursements received from the partner
    promised: Decimal  # money promised in conventions
    paid: Decimal  # convention tranches paid

    @property
    def delivered_percent(self) -> Decimal | None:
        return percent(self.disbursed, self.committed)


def partner_summary(*, organisation: Organisation) -> list[PartnerSummary]:
    """Per partner, for one organisation's published projects and conventions: promised vs delivered."""
    projects = Project.objects.published().filter(organisation=organisation).values("pk")
    committed = dict(
        FundingCommitment.objects.filter(project__in=projects)
        .order_by()
        .values_list("partner_id")
        .annotate(t=Sum("amount"))
    )
    disbursed = dict(
        ProjectTransaction.objects.filter(project__in=projects, kind=TransactionKind.DISBURSEMENT)
        .order_by()
        .values_list("partner_id")
        .annotate(t=Sum("amount"))
    )
    conventions = Convention.objects.filter(organisation=organisation, is_published=True)
    promised = dict(
        PartyCommitment.objects.filter(party__convention__in=conventions, kind="money")
        .order_by()
        .values_list("party__partner_id")
        .annotate(t=Sum("amount"))
    )
    paid = dict(
        Tranche.objects.filter(
            commitment__party__convention__in=conventions, status=TrancheStatus.PAID
        )
        .order_by()
        .values_list("commitment__party__partner_id")
        .annotate(t=Sum("amount"))
    )
    ids = (set(committed) | set(disbursed) | set(promised) | set(paid)) - {None}
    return [
        PartnerSummary(
            partner,
            _m(committed.get(partner.pk)),
            _m(disbursed.get(partner.pk)),
            _m(promised.get(partner.pk)),
            _m(paid.get(partner.pk)),
        )
        for partner in Partner.objects.filter(pk__in=ids).order_by("slug")
    ]


def partners_public() -> QuerySet[Partner]:
    """Partners that fund at least one published project (for the partner filter)."""
    return (
        Partner.objects.filter(commitments__project__is_published=True).distinct().order_by("slug")
    )


def committees_public(*, organisation: Organisation) -> QuerySet[SteeringCommittee]:
    return SteeringCommittee.objects.filter(organisation=organisation, is_published=True)


def committee_get_public(*, organisation_slug: str, slug: str) -> SteeringCommittee:
    return get_object_or_404(
        SteeringCommittee.objects.filter(is_published=True, organisation__is_active=True)
        .select_related("organisation")
        .prefetch_related("criteria", "members"),
        organisation__slug=organisation_slug,
        slug=slug,
    )


# --- Staff reads ------------------------------------------------------------------------------


def projects_for_staff(*, user) -> QuerySet[Project]:
    """Every project `user` may see as staff (published or not), with money sums."""
    condition = staff_scope(
        user=user, organisation_field="organisation", territory_field="territory", model=Project
    )
    return with_money(
        Project.objects.filter(condition).select_related("organisation", "programme")
    ).order_by("organisation__slug", "code")


def project_get_for_staff(
    *, user, pk: int, write: bool = False
) -> tuple[Project, Membership | None]:
    """One project for staff, or 404 outside their scope (platform admins: membership None)."""
    queryset = Project.objects.select_related("organisation", "territory", "programme", "axis")
    if org_permissions.is_platform_admin(user):
        return get_object_or_404(queryset, pk=pk), None
    project, membership = staff_get(user=user, queryset=queryset, pk=pk, write=write)
    return project, membership


def organisation_get_for_planning(*, user, slug: str) -> tuple[Organisation, Membership | None]:
    """The organisation whose plans `user` may edit (head or admin), or 404."""
    organisation = get_object_or_404(Organisation.objects.select_related("kind"), slug=slug)
    if org_permissions.is_platform_admin(user):
        return organisation, None
    membership = permissions.planning_membership(user=user, organisation=organisation)
    if membership is None:
        raise Http404
    return organisation, membership


# --- Dashboards --------------------------------------------------------------------------------


@dataclass
class Row:
    key: str | int | None
    label: str
    projects: int = 0
    total_cost: Decimal = ZERO
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def financial_progress(self) -> Decimal | None:
        return percent(self.spent, self.total_cost)


@dataclass(frozen=True)
class Dashboard:
    totals: Totals
    by_province: list[Row]
    by_sector: list[Row]
    by_partner: list[Row]
    by_status: dict[str, int]
    alerting: list[Project]


def _province_key(prefix: str = ""):
    """The province of a project's main territory (None: several provinces, the whole region)."""
    level, pk, province = (
        f"{prefix}territory__level",
        f"{prefix}territory_id",
        f"{prefix}territory__province_id",
    )
    return Case(
        When(**{level: Level.PROVINCE}, then=F(pk)),
        When(
            **{f"{level}__in": [Level.COMMUNE, Level.ARRONDISSEMENT, Level.CERCLE]},
            then=F(province),
        ),
        default=Value(None),
        output_field=IntegerField(),
    )


def _grouped(projects, key_expression, project_prefix: str = "project__"):
    ids = projects.order_by().values("pk")
    head = (
        Project.objects.filter(pk__in=ids)
        .annotate(group=key_expression(""))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"), cost=Sum("total_cost"))
    )
    rows: dict = {}
    for item in head:
        rows[item["group"]] = Row(item["group"], "", item["n"], _m(item["cost"]))
    committed = (
        FundingCommitment.objects.filter(project__in=ids)
        .annotate(group=key_expression(project_prefix))
        .order_by()
        .values("group")
        .annotate(t=Sum("amount"))
    )
    for item in committed:
        rows.setdefault(item["group"], Row(item["group"], "")).committed = _m(item["t"])
    moves = (
        ProjectTransaction.objects.filter(project__in=ids)
        .annotate(group=key_expression(project_prefix))
        .order_by()
        .values("group")
        .annotate(
            disbursed=Sum("amount", filter=Q(kind=TransactionKind.DISBURSEMENT)),
            spent=Sum("amount", filter=Q(kind=TransactionKind.EXPENDITURE)),
        )
    )
    for item in moves:
        row = rows.setdefault(item["group"], Row(item["group"], ""))
        row.disbursed = _m(item["disbursed"])
        row.spent = _m(item["spent"])
    return rows


def budget_by_province(projects: QuerySet[Project]) -> list[Row]:
    """Budget execution grouped by the province of each project's main territory."""
    rows = _grouped(projects, _province_key)
    names = dict(Territory.objects.filter(pk__in=[k for k in rows if k]).values_list("pk", "name"))
    for key, row in rows.items():
        row.label = names.get(key, "")
    return sorted(rows.values(), key=lambda r: (r.key is None, r.label))


def budget_by_sector(projects: QuerySet[Project]) -> list[Row]:
    from jamaati.programmes.models import Sector

    def key(prefix: str):
        return F(f"{prefix}sector")

    rows = _grouped(projects, key)
    for sector, row in rows.items():
        row.label = str(Sector(sector).label) if sector in Sector.values else sector
    return sorted(rows.values(), key=lambda r: -r.total_cost)


def budget_by_partner(projects: QuerySet[Project]) -> list[Row]:
    """Per partner: what it committed to these projects, and disbursed (SQL aggregates)."""
    ids = projects.order_by().values("pk")
    committed = (
        FundingCommitment.objects.filter(project__in=ids)
        .order_by()
        .values("partner_id")
        .annotate(n=Count("project", distinct=True), t=Sum("amount"))
    )
    rows: dict = {}
    for item in committed:
        rows[item["partner_id"]] = Row(item["partner_id"], "", item["n"], ZERO, _m(item["t"]))
    moves = (
        ProjectTransaction.objects.filter(project__in=ids, partner__isnull=False)
        .order_by()
        .values("partner_id")
        .annotate(
            disbursed=Sum("amount", filter=Q(kind=TransactionKind.DISBURSEMENT)),
            spent=Sum("amount", filter=Q(kind=TransactionKind.EXPENDITURE)),
        )
    )
    for item in moves:
        row = rows.setdefault(item["partner_id"], Row(item["partner_id"], ""))
        row.disbursed = _m(item["disbursed"])
        row.spent = _m(item["spent"])
    for partner in Partner.objects.filter(pk__in=list(rows)):
        rows[partner.pk].label = partner.name
    return sorted(rows.values(), key=lambda r: -r.committed)


def projects_by_status(projects: QuerySet[Project]) -> dict[str, int]:
    return dict(
        projects.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )


def dashboard_projects(*, user, organisation: Organisation) -> QuerySet[Project]:
    """The organisation's projects that `user` may see as staff (PermissionDenied for outsiders)."""
    from jamaati.core.actors import Actor

    permissions.require_reading(Actor(user=user), organisation)
    return Project.objects.filter(staff_scope(user=user, model=Project), organisation=organisation)


def dashboard(*, user, organisation: Organisation, today: date | None = None) -> Dashboard:
    """The officials' dashboard of one organisation, within the user's staff scope."""
    projects = dashboard_projects(user=user, organisation=organisation)
    return Dashboard(
        totals=projects_totals(projects),
        by_province=budget_by_province(projects),
        by_sector=budget_by_sector(projects),
        by_partner=budget_by_partner(projects),
        by_status=projects_by_status(projects),
        alerting=list(
            alerting(projects.select_related("organisation"), today=today).order_by("code")
        ),
    )


def late_projects(projects: QuerySet[Project], *, today: date | None = None) -> QuerySet[Project]:
    """Projects with a late milestone, or past their planned end and not completed."""
    today = today or timezone.localdate()
    late_milestones = Milestone.objects.filter(planned_date__lt=today, actual_date__isnull=True)
    return projects.filter(
        Q(pk__in=late_milestones.values("project_id"))
        | Q(planned_end__lt=today, status__in=STAGES[:-1])
    ).distinct()


# --- Staff lists of an organisation's plans ----------------------------------------------------------


def _reading(user, organisation: Organisation) -> None:
    from jamaati.core.actors import Actor

    permissions.require_reading(Actor(user=user), organisation)


def programmes_for_staff(*, user, organisation: Organisation) -> QuerySet[Programme]:
    """All of an organisation's programmes, published or not (PermissionDenied for outsiders)."""
    _reading(user, organisation)
    return (
        Programme.objects.filter(organisation=organisation)
        .annotate(projects_count=Count("projects"))
        .prefetch_related("axes")
        .order_by("-start_date", "slug")
    )


def conventions_for_staff(*, user, organisation: Organisation) -> QuerySet[Convention]:
    """All of an organisation's conventions, with parties and projects (PermissionDenied for outsiders)."""
    _reading(user, organisation)
    return (
        Convention.objects.filter(organisation=organisation)
        .prefetch_related(
            Prefetch("parties", queryset=ConventionParty.objects.select_related("partner")),
            Prefetch(
                "projects", queryset=Project.objects.only("pk", "code", "title", "organisation_id")
            ),
        )
        .order_by("-signed_on", "reference")
    )


def convention_get_for_staff(*, user, organisation: Organisation, pk: int) -> Convention:
    """One convention of the organisation; 404 for another organisation's, PermissionDenied for outsiders."""
    return get_object_or_404(conventions_for_staff(user=user, organisation=organisation), pk=pk)


def committees_for_staff(*, user, organisation: Organisation) -> QuerySet[SteeringCommittee]:
    """All of an organisation's committees, published or not (PermissionDenied for outsiders)."""
    _reading(user, organisation)
    return (
        SteeringCommittee.objects.filter(organisation=organisation)
        .prefetch_related("criteria", "members", "candidates__project")
        .order_by("slug")
    )


def committee_get_for_staff(*, user, organisation: Organisation, pk: int) -> SteeringCommittee:
    return get_object_or_404(committees_for_staff(user=user, organisation=organisation), pk=pk)


def project_timeline_for_staff(*, user, pk: int) -> Timeline:
    """A project's whole history, internal entries included (404 outside the user's scope)."""
    project, _membership = project_get_for_staff(user=user, pk=pk)
    return project_timeline(project=project, public=False)
