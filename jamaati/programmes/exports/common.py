"""What the exports share: the projects they describe, identifiers, and code mappings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from jamaati.organisations.models import Organisation
from jamaati.programmes.models import (
    FundingCommitment,
    Milestone,
    Partner,
    PartnerKind,
    Project,
    ProjectDocument,
    ProjectStage,
    ProjectTransaction,
    Sector,
    Status,
)
from jamaati.territories.models import Territory

# OC4IDS projectStatus for each of our statuses (suspended: the stage it left).
OC4IDS_STATUS = {
    Status.IDENTIFICATION: "identification",
    Status.STUDIES: "preparation",
    Status.TENDERING: "preparation",
    Status.WORKS: "implementation",
    Status.PROVISIONAL_RECEPTION: "implementation",
    Status.COMPLETED: "completion",
    Status.CANCELLED: "cancelled",
}

# IATI ActivityStatus.
IATI_STATUS = {
    Status.IDENTIFICATION: "1",
    Status.STUDIES: "1",
    Status.TENDERING: "1",
    Status.WORKS: "2",
    Status.PROVISIONAL_RECEPTION: "3",
    Status.COMPLETED: "3",
    Status.SUSPENDED: "6",
    Status.CANCELLED: "5",
}

# OECD DAC 5-digit purpose codes (IATI Sector vocabulary 1) for our OC4IDS sectors.
DAC_SECTOR = {
    Sector.EDUCATION: "11110",
    Sector.HEALTH: "12110",
    Sector.ENERGY: "23110",
    Sector.COMMUNICATIONS: "22040",
    Sector.WATER_AND_WASTE: "14010",
    Sector.GOVERNANCE: "15110",
    Sector.ECONOMY: "32110",
    Sector.CULTURE: "16061",
    Sector.TRANSPORT: "21010",
    Sector.ROADS: "21020",
    Sector.URBAN_TRANSPORT: "21020",
    Sector.SOCIAL_HOUSING: "16030",
    Sector.NATURAL_RESOURCES: "41010",
}

# IATI OrganisationType for our partner kinds.
IATI_ORGANISATION_TYPE = {
    PartnerKind.COLLECTIVITY: "11",
    PartnerKind.STATE: "10",
    PartnerKind.PUBLIC_AGENCY: "15",
    PartnerKind.INTERNATIONAL: "40",
    PartnerKind.JOINT_FUND: "15",
    PartnerKind.PRIVATE: "70",
    PartnerKind.CIVIL_SOCIETY: "22",
    PartnerKind.OTHER: "90",
}

# IATI DocumentCategory for our OC4IDS document types.
IATI_DOCUMENT_CATEGORY = {
    "projectPlan": "A02",
    "feasibilityStudy": "A01",
    "environmentalImpact": "A01",
    "tenderNotice": "A10",
    "contractSigned": "A11",
    "completionCertificate": "A07",
    "physicalProgressReport": "A07",
    "financialProgressReport": "A05",
    "": "A12",
}


def oc4ids_prefix() -> str:
    """The project identifier prefix (register one with OC4IDS, then set it)."""
    return getattr(settings, "PROGRAMMES_OC4IDS_PREFIX", "oc4ids-jamaati")


def organisation_ref(organisation: Organisation) -> str:
    """An organisation's identifier in the exports (a provisional, platform-assigned scheme)."""
    return f"{iati_org_prefix()}-{organisation.slug}"


def iati_org_prefix() -> str:
    return getattr(settings, "PROGRAMMES_IATI_ORG_PREFIX", "XI-JAMAATI")


def partner_ref(partner: Partner) -> str:
    if partner.iati_ref:
        return partner.iati_ref
    if partner.organisation_id:
        return organisation_ref(partner.organisation)
    return f"{iati_org_prefix()}-{partner.slug}"


def project_identifier(project: Project) -> str:
    return f"{oc4ids_prefix()}-{project.organisation.slug}-{project.code}"


def iati_identifier(project: Project) -> str:
    return f"{organisation_ref(project.organisation)}-{project.code}"


def effective_status(project: Project) -> str:
    """The stage a suspended project left counts for the standards that have no suspension."""
    return project.suspended_from if project.status == Status.SUSPENDED else project.status


def as_datetime(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return datetime.combine(value, time(0, 0), tzinfo=UTC).isoformat().replace("+00:00", "Z")


def export_projects(organisation: Organisation) -> QuerySet[Project]:
    """The organisation's published projects, with everything the exports read, prefetched."""
    return (
        Project.objects.published()
        .filter(organisation=organisation)
        .select_related("organisation", "programme")
        .prefetch_related(
            Prefetch(
                "territories",
                queryset=Territory.objects.defer("boundary_wkb", "search_text").order_by("code"),
            ),
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_date", "pk")),
            Prefetch("stages", queryset=ProjectStage.objects.order_by("pk")),
            Prefetch(
                "transactions",
                queryset=ProjectTransaction.objects.select_related("partner").order_by(
                    "date", "pk"
                ),
            ),
            Prefetch(
                "commitments",
                queryset=FundingCommitment.objects.select_related(
                    "partner", "partner__organisation"
                ).order_by("-amount", "pk"),
            ),
            Prefetch(
                "documents",
                queryset=ProjectDocument.objects.filter(is_public=True).order_by("pk"),
                to_attr="public_documents",
            ),
        )
        .order_by("code")
    )


def last_update(projects: list[Project]) -> datetime | None:
    return max((p.updated_at for p in projects), default=None)
