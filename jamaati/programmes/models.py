"""Programmes (PAC, PDR), their projects, the money behind them, conventions and committees.

Money is always MAD, stored as DecimalField with two decimals, never float. Percentages are
computed from those decimals (see `money.py`) and rounded only for display.
The workflow lives in `workflow.py` (ALLOWED_TRANSITIONS) and every write in `services.py`.
See docs/adr/0005-programmes.md.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jamaati.core.models import TimeStampedModel

MONEY = {"max_digits": 16, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def _valid_point() -> Q:
    return (Q(latitude__isnull=True) & Q(longitude__isnull=True)) | (
        Q(latitude__gte=-90) & Q(latitude__lte=90) & Q(longitude__gte=-180) & Q(longitude__lte=180)
    )


# --- Programmes ------------------------------------------------------------------------------


class ProgrammeKind(models.TextChoices):
    PAC = "pac", _("Commune action programme (PAC)")
    PDP = "pdp", _("Provincial development programme (PDP)")
    PDR = "pdr", _("Regional development programme (PDR)")
    OTHER = "other", _("Other programme")


class Programme(TimeStampedModel):
    """A collectivity's plan over a period: a commune's PAC, a region's PDR, a thematic plan."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=8, choices=ProgrammeKind.choices)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True, default="")
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["organisation", "-start_date", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="programme_unique_slug_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="programme_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StrategicAxis(models.Model):
    """One strategic axis of a programme (محور استراتيجي): projects hang under one."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="axes", verbose_name=_("programme")
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("strategic axis")
        verbose_name_plural = _("strategic axes")
        ordering = ["programme", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="axis_unique_code_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


# --- Partners --------------------------------------------------------------------------------


class PartnerKind(models.TextChoices):
    COLLECTIVITY = "collectivity", _("Territorial collectivity")
    STATE = "state", _("Ministry or State service")
    PUBLIC_AGENCY = "public_agency", _("Public agency or investment centre")
    INTERNATIONAL = "international", _("International partner")
    JOINT_FUND = "joint_fund", _("Joint fund")
    PRIVATE = "private", _("Private company")
    CIVIL_SOCIETY = "civil_society", _("Association or cooperative")
    OTHER = "other", _("Other")


class Partner(TimeStampedModel):
    """Whoever funds or supports a project: a collectivity, a ministry, UNDP, a joint fund…

    A partner that is also an organisation of the platform links to it; ministries and
    international partners need not be organisations (they log in nowhere).
    """

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner",
        verbose_name=_("organisation on the platform"),
    )
    # The IATI organisation identifier (e.g. XM-DAC-41114 for UNDP); derived from the slug when empty.
    iati_ref = models.CharField(_("IATI identifier"), max_length=100, blank=True, default="")
    website = models.URLField(_("website"), blank=True, default="")

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


# --- Projects --------------------------------------------------------------------------------


class Sector(models.TextChoices):
    """The OC4IDS projectSector codelist (the codes are the codelist's own)."""

    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    ENERGY = "energy", _("Energy")
    COMMUNICATIONS = "communications", _("Digital and communications")
    WATER_AND_WASTE = "waterAndWaste", _("Water, sanitation and waste")
    GOVERNANCE = "governance", _("Governance and public buildings")
    ECONOMY = "economy", _("Economy, industry and agriculture")
    CULTURE = "cultureSportsAndRecreation", _("Culture, sports and recreation")
    TRANSPORT = "transport", _("Transport")
    ROADS = "transport.road", _("Roads")
    URBAN_TRANSPORT = "transport.urban", _("Urban transport")
    SOCIAL_HOUSING = "socialHousing", _("Social housing")
    NATURAL_RESOURCES = "naturalResources", _("Natural resources")


class Status(models.TextChoices):
    IDENTIFICATION = "identification", _("Identification")
    STUDIES = "studies", _("Studies")
    TENDERING = "tendering", _("Tendering")
    WORKS = "works", _("Works")
    PROVISIONAL_RECEPTION = "provisional_reception", _("Provisional reception")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


# The stages a project goes through, in order (suspended and cancelled are not stages).
STAGES = (
    Status.IDENTIFICATION,
    Status.STUDIES,
    Status.TENDERING,
    Status.WORKS,
    Status.PROVISIONAL_RECEPTION,
    Status.COMPLETED,
)
ACTIVE_STATUSES = STAGES[:-1]


class ProjectQuerySet(models.QuerySet):
    def published(self) -> ProjectQuerySet:
        return self.filter(is_published=True, organisation__is_active=True)


class Project(TimeStampedModel):
    """A project of a programme: where, what, who, how much, and how far along."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("owner organisation"),
    )
    code = models.CharField(
        _("code"), max_length=40, help_text=_("The organisation's own reference, e.g. PDR-ZI-01.")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("programme"),
    )
    axis = models.ForeignKey(
        StrategicAxis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("strategic axis"),
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True, default="")
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    territories = models.ManyToManyField(
        "territories.Territory",
        related_name="projects",
        verbose_name=_("territories"),
        help_text=_("The communes, provinces or region where the project is carried out."),
    )
    # Derived by the services from `territories` (their smallest common territory): the
    # place staff scope is checked against (organisations.permissions.staff_access).
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("main territory"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # A GeoJSON Polygon or MultiPolygon (WGS84), checked with shapely by the services.
    geometry = models.TextField(_("outline (GeoJSON)"), blank=True, default="")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_projects",
        verbose_name=_("project manager"),
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=Status.choices,
        default=Status.IDENTIFICATION,
        db_index=True,
    )
    # The stage a suspended project left, to which it resumes.
    suspended_from = models.CharField(
        _("suspended during"), max_length=24, choices=Status.choices, blank=True, default=""
    )
    total_cost = models.DecimalField(_("total cost (MAD)"), **MONEY, default=ZERO)
    # The value of the most recent progress update (by date): written only by the services.
    physical_progress = models.DecimalField(
        _("physical progress (%)"), **PERCENT, default=ZERO, editable=False
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="project_unique_code_per_organisation"
            ),
            models.CheckConstraint(condition=_valid_point(), name="project_valid_point"),
            models.CheckConstraint(
                condition=Q(total_cost__gte=0), name="project_total_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(physical_progress__gte=0) & Q(physical_progress__lte=100),
                name="project_physical_progress_percent",
            ),
            models.CheckConstraint(
                condition=Q(axis__isnull=True) | Q(programme__isnull=False),
                name="project_axis_needs_programme",
            ),
            models.CheckConstraint(
                condition=Q(suspended_from="") | Q(status="suspended"),
                name="project_suspended_from_only_when_suspended",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="project_planned_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["sector", "status"]),
            models.Index(fields=["latitude", "longitude"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"


class ProjectStage(models.Model):
    """The planned and actual dates of one stage of a project (studies, tendering, works…)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=24, choices=Status.choices)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["project", "planned_start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="stage_unique_per_project"),
            models.CheckConstraint(
                condition=~Q(stage__in=["suspended", "cancelled"]), name="stage_is_a_stage"
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="stage_planned_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.get_stage_display()}"


class MilestoneType(models.TextChoices):
    """The OC4IDS milestoneType codelist (the codes are the codelist's own)."""

    PRE_PROCUREMENT = "preProcurement", _("Preparation")
    APPROVAL = "approval", _("Approval")
    ENGAGEMENT = "engagement", _("Public engagement")
    ASSESSMENT = "assessment", _("Assessment")
    PROCUREMENT = "procurement", _("Procurement")
    DELIVERY = "delivery", _("Delivery")
    FINANCING = "financing", _("Financing")
    PAYMENT = "payment", _("Payment")
    REPORTING = "reporting", _("Reporting")


class MilestoneQuerySet(models.QuerySet):
    def late(self, *, today) -> MilestoneQuerySet:
        """Milestones whose planned date has passed and that have no actual date."""
        return self.filter(planned_date__lt=today, actual_date__isnull=True)


class Milestone(models.Model):
    """A dated milestone of a project: planned, then reached (actual date)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=250)
    type = models.CharField(
        _("type"), max_length=20, choices=MilestoneType.choices, default=MilestoneType.DELIVERY
    )
    stage = models.CharField(
        _("stage"), max_length=24, choices=Status.choices, blank=True, default=""
    )
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "planned_date", "position", "id"]
        indexes = [models.Index(fields=["planned_date", "actual_date"])]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    """A dated reading of a project's physical progress, with a note (and photos)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_updates")
    as_of = models.DateField(_("as of"))
    physical_progress = models.DecimalField(
        _("physical progress (%)"),
        **PERCENT,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    note = models.TextField(_("note"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["project", "-as_of", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(physical_progress__gte=0) & Q(physical_progress__lte=100),
                name="progress_update_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.as_of}: {self.physical_progress} %"


class ProjectPhoto(models.Model):
    """A dated photo of the works, where it was taken (re-encoded without EXIF by core.uploads)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="photos")
    progress_update = models.ForeignKey(
        ProgressUpdate, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    file = models.ImageField(_("photo"), upload_to="programmes/photos/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=250, blank=True, default="")
    taken_on = models.DateField(_("taken on"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["project", "-taken_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=_valid_point(), name="project_photo_valid_point"),
        ]

    def __str__(self) -> str:
        return self.file.name


class DocumentType(models.TextChoices):
    """A subset of the OC4IDS documentType codelist."""

    PROJECT_PLAN = "projectPlan", _("Project plan")
    FEASIBILITY = "feasibilityStudy", _("Feasibility study")
    ENVIRONMENTAL = "environmentalImpact", _("Environmental impact assessment")
    TENDER_NOTICE = "tenderNotice", _("Tender notice")
    CONTRACT = "contractSigned", _("Signed contract")
    COMPLETION = "completionCertificate", _("Reception report")
    PHYSICAL_PROGRESS = "physicalProgressReport", _("Physical progress report")
    FINANCIAL_PROGRESS = "financialProgressReport", _("Financial progress report")
    OTHER = "", _("Other document")


class ProjectDocument(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=250)
    type = models.CharField(
        _("type"), max_length=32, choices=DocumentType.choices, blank=True, default=""
    )
    file = models.FileField(_("file"), upload_to="programmes/documents/%Y/%m/")
    is_public = models.BooleanField(_("public"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["project", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    CREATED = "created", _("Project created")
    UPDATED = "updated", _("Details changed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    PROGRESS_RECORDED = "progress_recorded", _("Progress recorded")
    PHOTO_ADDED = "photo_added", _("Photo added")
    DOCUMENT_ADDED = "document_added", _("Document added")
    MILESTONE_PLANNED = "milestone_planned", _("Milestone planned")
    MILESTONE_REACHED = "milestone_reached", _("Milestone reached")
    STAGE_PLANNED = "stage_planned", _("Stage planned")
    FUNDING_COMMITTED = "funding_committed", _("Funding committed")
    TRANSACTION_RECORDED = "transaction_recorded", _("Transaction recorded")
    IMPORTED = "imported", _("Imported")


class ProjectEvent(models.Model):
    """One line of a project's history, named as a past fact; `is_public` lines are on its page."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True, default="")
    to_status = models.CharField(max_length=24, choices=Status.choices, blank=True, default="")
    is_public = models.BooleanField(default=True)
    body = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.kind}"


# --- Money -----------------------------------------------------------------------------------


class FundingCommitment(TimeStampedModel):
    """A partner's promise to fund part of a project (its line in the funding plan), in MAD."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("project")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("partner")
    )
    amount = models.DecimalField(_("committed amount (MAD)"), **MONEY)
    convention = models.ForeignKey(
        "Convention",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_commitments",
        verbose_name=_("under the convention"),
    )

    class Meta:
        verbose_name = _("funding commitment")
        verbose_name_plural = _("funding plan")
        ordering = ["project", "-amount", "partner"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "partner"], name="commitment_one_per_partner_and_project"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="commitment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} ← {self.partner}: {self.amount} MAD"


class TransactionKind(models.TextChoices):
    DISBURSEMENT = "disbursement", _("Disbursement (funds received)")
    EXPENDITURE = "expenditure", _("Expenditure (paid out)")


class ProjectTransaction(models.Model):
    """Money that moved for a project: a partner's disbursement, or an expenditure paid out."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="transactions", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=14, choices=TransactionKind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (MAD)"), **MONEY)
    # A disbursement comes from a partner; an expenditure may say whose money it spent.
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
        verbose_name=_("funder"),
    )
    reference = models.CharField(_("reference"), max_length=60, blank=True, default="")
    description = models.CharField(_("description"), max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["project", "-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transaction_amount_positive"),
            models.CheckConstraint(
                condition=~Q(kind="disbursement") | Q(partner__isnull=False),
                name="transaction_disbursement_has_funder",
            ),
            models.UniqueConstraint(
                fields=["project", "reference"],
                condition=~Q(reference=""),
                name="transaction_unique_reference_per_project",
            ),
        ]
        indexes = [models.Index(fields=["project", "kind"])]

    def __str__(self) -> str:
        return f"{self.project.code} {self.kind} {self.date}: {self.amount} MAD"


# --- Conventions -----------------------------------------------------------------------------


class ConventionKind(models.TextChoices):
    CONVENTION = "convention", _("Partnership agreement")
    MOU = "mou", _("Memorandum of understanding")


class Convention(TimeStampedModel):
    """A partnership agreement or memorandum of understanding, and the projects it finances."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="conventions",
        verbose_name=_("organisation keeping it"),
    )
    reference = models.CharField(_("reference"), max_length=60)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ConventionKind.choices, default=ConventionKind.CONVENTION
    )
    title = models.CharField(_("object"), max_length=300)
    description = models.TextField(_("description"), blank=True, default="")
    signed_on = models.DateField(_("signed on"))
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), validators=[MinValueValidator(1)]
    )
    document = models.FileField(_("document"), upload_to="programmes/conventions/", blank=True)
    projects = models.ManyToManyField(
        Project, blank=True, related_name="conventions", verbose_name=_("projects financed")
    )
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        ordering = ["organisation", "-signed_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                name="convention_unique_reference_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(duration_months__gte=1), name="convention_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PartyRole(models.TextChoices):
    LEAD = "lead", _("Lead partner")
    FUNDER = "funder", _("Funder")
    IMPLEMENTER = "implementer", _("Implementing partner")
    SUPPORT = "support", _("Technical partner")


class ConventionParty(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="parties")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="convention_parties"
    )
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["convention", "role", "partner"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "partner"], name="party_once_per_convention"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convention.reference}: {self.partner}"


class CommitmentKind(models.TextChoices):
    MONEY = "money", _("Money (MAD)")
    LAND = "land", _("Land")
    TECHNICAL = "technical", _("Technical support")
    EQUIPMENT = "equipment", _("Equipment")
    STAFF = "staff", _("Staff")
    OTHER = "other", _("Other contribution in kind")


class PartyCommitment(models.Model):
    """What one party of a convention promised: an amount in MAD, or a contribution in kind."""

    party = models.ForeignKey(ConventionParty, on_delete=models.CASCADE, related_name="commitments")
    kind = models.CharField(_("kind"), max_length=12, choices=CommitmentKind.choices)
    # Money: the amount promised. In kind: its estimated value in MAD, when known.
    amount = models.DecimalField(_("amount (MAD)"), **MONEY, null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True, default="")
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_commitments",
        verbose_name=_("for the project"),
    )
    # In kind: when it was handed over (the land made available, the expert seconded).
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["party", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="money") | Q(amount__isnull=False),
                name="party_commitment_money_has_amount",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="party_commitment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.get_kind_display()} {self.amount or ''}".strip()


class TrancheStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CALLED = "called", _("Called for payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Tranche(models.Model):
    """One instalment of a money commitment: due date, amount, status."""

    commitment = models.ForeignKey(
        PartyCommitment, on_delete=models.CASCADE, related_name="tranches"
    )
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (MAD)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=TrancheStatus.choices, default=TrancheStatus.PLANNED
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["commitment", "due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False),
                name="tranche_paid_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.amount} MAD ({self.get_status_display()})"


# --- Steering committees -----------------------------------------------------------------------


class SteeringCommittee(TimeStampedModel):
    """A committee that ranks candidate projects on weighted criteria (e.g. Tétouan with UNDP)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="steering_committees",
        verbose_name=_("organisation"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committees",
        verbose_name=_("programme"),
    )
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=250)
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    rationale = models.TextField(_("rationale of the ranking"), blank=True, default="")
    is_published = models.BooleanField(_("ranking published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("steering committee")
        verbose_name_plural = _("steering committees")
        ordering = ["organisation", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="committee_unique_slug_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gte=1) & Q(scale_max__lte=100),
                name="committee_scale_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    committee = models.ForeignKey(
        SteeringCommittee, on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=200)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("representing"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_seats",
        verbose_name=_("account"),
    )

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    committee = models.ForeignKey(
        SteeringCommittee, on_delete=models.CASCADE, related_name="criteria"
    )
    title = models.CharField(_("title"), max_length=250)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["committee", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (× {self.weight})"


class Candidate(models.Model):
    committee = models.ForeignKey(
        SteeringCommittee, on_delete=models.CASCADE, related_name="candidates"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="candidacies")
    rationale = models.TextField(_("rationale"), blank=True, default="")

    class Meta:
        verbose_name = _("candidate project")
        verbose_name_plural = _("candidate projects")
        ordering = ["committee", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "project"], name="candidate_once_per_committee"
            ),
        ]

    def __str__(self) -> str:
        return str(self.project)


class Score(models.Model):
    """One member's score of one candidate on one criterion."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    updated_at = models.DateTimeField(_("scored at"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "criterion", "candidate"], name="score_once_per_member"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.criterion.title} · {self.candidate}: {self.value}"
