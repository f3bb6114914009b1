"""Reads the public and staff pages need beyond `selectors.py` (every one read-only).

Sums are SQL aggregates from their own table and pass through `money()`, as in selectors.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from jamaati.organisations import permissions as org_permissions
from jamaati.organisations.models import Organisation
from jamaati.programmes.models import (
    Convention,
    FundingCommitment,
    Partner,
    PartyCommitment,
    Project,
    ProjectTransaction,
    Score,
    SteeringCommittee,
    Tranche,
    TrancheStatus,
    TransactionKind,
)
from jamaati.programmes.money import ZERO, money, percent
from jamaati.territories.models import Level, Territory

_TERRITORY_LIGHT = ("boundary_wkb", "search_text", "alt_names")


def _m(value) -> Decimal:
    return money(value or 0)


def provinces_with_projects() -> QuerySet[Territory]:
    """Provinces and prefectures holding at least one published project (the province filter)."""
    places = Project.territories.through.objects.filter(
        project__in=Project.objects.published().values("pk")
    ).values("territory_id")
    return (
        Territory.objects.filter(level=Level.PROVINCE)
        .filter(
            Q(pk__in=places)
            | Q(pk__in=Territory.objects.filter(pk__in=places).values("province_id"))
        )
        .defer(*_TERRITORY_LIGHT)
        .select_related(None)
        .order_by("name")
    )


def region_codes(*, provinces: list[Territory]) -> list[str]:
    """The codes of the regions holding these provinces (the outlines drawn under the map)."""
    ids = {p.region_id for p in provinces if p.region_id}
    return list(
        Territory.objects.filter(pk__in=ids).order_by("code").values_list("code", flat=True)
    )


def territory_get_by_code(*, code: str, levels: tuple[str, ...]) -> Territory:
    return get_object_or_404(
        Territory.objects.defer(*_TERRITORY_LIGHT), code=code, level__in=levels
    )


def organisation_get_public(*, slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.filter(is_active=True), slug=slug)


def partner_get_public(*, slug: str) -> Partner:
    """A partner that funds a published project or is party to a published convention."""
    partners = Partner.objects.filter(
        Q(commitments__project__in=Project.objects.published().values("pk"))
        | Q(convention_parties__convention__is_published=True)
    ).distinct()
    return get_object_or_404(partners, slug=slug)


def project_conventions(*, project: Project) -> QuerySet[Convention]:
    """The published conventions that finance `project`."""
    return (
        Convention.objects.filter(projects=project, is_published=True)
        .select_related("organisation")
        .order_by("-signed_on", "reference")
    )


@dataclass(frozen=True)
class PartnerProjectLine:
    project: Project
    committed: Decimal
    disbursed: Decimal

    @property
    def delivered_percent(self) -> Decimal | None:
        return percent(self.disbursed, self.committed)


@dataclass(frozen=True)
class PartnerConventionLine:
    convention: Convention
    role: str
    promised: Decimal
    paid: Decimal
    in_kind: list[PartyCommitment] = field(default_factory=list)

    @property
    def delivered_percent(self) -> Decimal | None:
        return percent(self.paid, self.promised)


@dataclass(frozen=True)
class PartnerRecord:
    projects: list[PartnerProjectLine]
    conventions: list[PartnerConventionLine]

    @property
    def committed(self) -> Decimal:
        return sum((line.committed for line in self.projects), ZERO)

    @property
    def disbursed(self) -> Decimal:
        return sum((line.disbursed for line in self.projects), ZERO)

    @property
    def promised(self) -> Decimal:
        return sum((line.promised for line in self.conventions), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.conventions), ZERO)

    @property
    def delivered_percent(self) -> Decimal | None:
        return percent(self.disbursed, self.committed)


def partner_record(*, partner: Partner) -> PartnerRecord:
    """What `partner` promised and delivered, across published projects and conventions."""
    published = Project.objects.published().values("pk")
    disbursed = dict(
        ProjectTransaction.objects.filter(
            partner=partner, kind=TransactionKind.DISBURSEMENT, project__in=published
        )
        .order_by()
        .values_list("project_id")
        .annotate(t=Sum("amount"))
    )
    commitments = (
        FundingCommitment.objects.filter(partner=partner, project__in=published)
        .select_related("project", "project__organisation")
        .order_by("project__organisation__slug", "project__code")
    )
    projects = [
        PartnerProjectLine(c.project, c.amount, _m(disbursed.pop(c.project_id, None)))
        for c in commitments
    ]
    # Money received from the partner for a project where it has no line in the plan.
    for project in Project.objects.filter(pk__in=list(disbursed)).select_related("organisation"):
        projects.append(PartnerProjectLine(project, ZERO, _m(disbursed[project.pk])))

    conventions = Convention.objects.filter(
        parties__partner=partner, is_published=True, organisation__is_active=True
    ).select_related("organisation")
    roles = dict(
        partner.convention_parties.filter(convention__in=conventions).values_list(
            "convention_id", "role"
        )
    )
    party_filter = Q(party__partner=partner, party__convention__in=conventions)
    promised = dict(
        PartyCommitment.objects.filter(party_filter, kind="money")
        .order_by()
        .values_list("party__convention_id")
        .annotate(t=Sum("amount"))
    )
    paid = dict(
        Tranche.objects.filter(
            commitment__party__partner=partner,
            commitment__party__convention__in=conventions,
            status=TrancheStatus.PAID,
        )
        .order_by()
        .values_list("commitment__party__convention_id")
        .annotate(t=Sum("amount"))
    )
    in_kind: dict[int, list[PartyCommitment]] = defaultdict(list)
    for commitment in PartyCommitment.objects.filter(party_filter).exclude(kind="money"):
        in_kind[commitment.party.convention_id].append(commitment)
    from jamaati.programmes.models import PartyRole

    lines = [
        PartnerConventionLine(
            convention,
            str(PartyRole(roles[convention.pk]).label) if convention.pk in roles else "",
            _m(promised.get(convention.pk)),
            _m(paid.get(convention.pk)),
            in_kind[convention.pk],
        )
        for convention in conventions.order_by("-signed_on", "reference")
    ]
    return PartnerRecord(projects, lines)


@dataclass(frozen=True)
class CriterionAverage:
    title: str
    weight: Decimal
    averages: dict[int, Decimal | None]  # candidate id → average score on this criterion


def committee_criteria(*, committee: SteeringCommittee) -> list[CriterionAverage]:
    """Each criterion with its weight and, per candidate, the members' average score (exact)."""
    values: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for criterion_id, candidate_id, value in Score.objects.filter(
        criterion__committee=committee
    ).values_list("criterion_id", "candidate_id", "value"):
        values[(criterion_id, candidate_id)].append(Decimal(value))
    result = []
    for criterion in committee.criteria.all():
        averages = {
            candidate_id: sum(scores, Decimal(0)) / len(scores)
            for (criterion_id, candidate_id), scores in values.items()
            if criterion_id == criterion.pk
        }
        result.append(CriterionAverage(criterion.title, criterion.weight, averages))
    return result


def staff_organisations(*, user) -> QuerySet[Organisation]:
    """The organisations whose projects `user` works on as staff (all of them for a platform admin)."""
    if org_permissions.is_platform_admin(user):
        return Organisation.objects.filter(projects__isnull=False).distinct().order_by("slug")
    ids = org_permissions.active_memberships(user).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids).order_by("slug")


def planning_organisations(*, user) -> list[Organisation]:
    """The organisations where `user` may plan (import): department head or admin, or all."""
    from jamaati.programmes import permissions

    organisations = staff_organisations(user=user)
    if org_permissions.is_platform_admin(user):
        return list(Organisation.objects.filter(is_active=True).order_by("slug"))
    return [o for o in organisations if permissions.can_plan(user=user, organisation=o)]


def convention_money_commitments(*, convention: Convention) -> dict[int, list[PartyCommitment]]:
    """Per party id: its money commitments with their tranches (by due date)."""
    from django.db.models import Prefetch

    rows: dict[int, list[PartyCommitment]] = defaultdict(list)
    for commitment in (
        PartyCommitment.objects.filter(party__convention=convention, kind="money")
        .select_related("project")
        .prefetch_related(Prefetch("tranches", queryset=Tranche.objects.order_by("due_on", "pk")))
        .order_by("party_id", "pk")
    ):
        rows[commitment.party_id].append(commitment)
    return rows


def project_transactions(*, project: Project) -> QuerySet[ProjectTransaction]:
    """A project's transactions for its staff page, newest first."""
    return (
        ProjectTransaction.objects.filter(project=project)
        .select_related("partner")
        .order_by("-date", "-pk")
    )


def project_progress_updates(*, project: Project):
    """A project's progress readings for its staff page, newest first, with their photos."""
    from jamaati.programmes.models import ProgressUpdate

    return (
        ProgressUpdate.objects.filter(project=project)
        .prefetch_related("photos")
        .order_by("-as_of", "-pk")
    )


def partners_for_transactions(*, project: Project) -> QuerySet[Partner]:
    """Every partner, those of the project's funding plan first (for the funder choice)."""
    from django.db.models import Exists, OuterRef

    in_plan = FundingCommitment.objects.filter(project=project, partner=OuterRef("pk"))
    return Partner.objects.annotate(in_plan=Exists(in_plan)).order_by("-in_plan", "slug")
