"""E-services (الخدمات الإلكترونية / démarches): the procedure catalogue, forms and applications.

- A `Procedure` belongs to an organisation's catalogue; the documents it may ask for come
  from the `RequiredDocument` catalogue only (law 55-19).
- A `Form` belongs to a procedure and is edited as a draft; publishing freezes the draft
  into an immutable `FormVersion`. An `Application` keeps the version it was made with.
- The workflow lives in `workflow.py` (ALLOWED_TRANSITIONS), the deadline clock in
  `deadlines.py`, every write in `services.py`. See docs/adr/0006-procedures.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamaati.core.models import TimeStampedModel


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the counter")
    BOTH = "both", _("Online or at the counter")


class DecisionKind(models.TextChoices):
    """What the decision document of a procedure is called."""

    AUTHORISATION = "authorisation", _("Authorisation")
    CERTIFICATE = "certificate", _("Certificate")
    NOTE = "note", _("Information note")
    LEGALISATION = "legalisation", _("Legalisation")


class RequiredDocument(TimeStampedModel):
    """A document an administration may ask for: the catalogue procedures choose from (law 55-19).

    A procedure may only require documents listed here; an application's completion
    request may only name documents of its procedure.
    """

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("catalogue document")
        verbose_name_plural = _("catalogue documents")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def published(self) -> ProcedureQuerySet:
        return self.filter(is_published=True, organisation__is_active=True)


class Procedure(TimeStampedModel):
    """One procedure of an organisation's catalogue: what it is, who may apply, what it costs."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("slug"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what it is"), blank=True, default="")
    eligibility = models.TextField(_("who may apply"), blank=True, default="")
    legal_basis = models.TextField(_("legal basis"), blank=True, default="")
    department = models.ForeignKey(
        "organisations.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="procedures",
        verbose_name=_("responsible department"),
    )
    fee = models.DecimalField(
        _("fee (MAD)"),
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    processing_days = models.PositiveSmallIntegerField(
        _("legal processing time (working days)"), validators=[MinValueValidator(1)]
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.BOTH
    )
    silence_means_approval = models.BooleanField(
        _("silence means approval"),
        default=False,
        help_text=_("The application is approved when the legal time passes without a decision."),
    )
    decision_kind = models.CharField(
        _("decision document"),
        max_length=20,
        choices=DecisionKind.choices,
        default=DecisionKind.CERTIFICATE,
    )
    is_published = models.BooleanField(_("published"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    documents = models.ManyToManyField(
        RequiredDocument,
        through="ProcedureDocument",
        related_name="procedures",
        verbose_name=_("required documents"),
    )
    # Normalised Arabic and French words of the title and summary (core.text.search_key),
    # written by services.procedure_reindex; the same on SQLite and PostgreSQL.
    search_text = models.TextField(blank=True, default="", editable=False)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["organisation", "position", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="procedure_unique_slug_per_organisation"
            ),
            models.CheckConstraint(condition=Q(fee__gte=0), name="procedure_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(processing_days__gte=1), name="procedure_processing_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def accepts_online(self) -> bool:
        return self.channel in (Channel.ONLINE, Channel.BOTH)

    @property
    def accepts_counter(self) -> bool:
        return self.channel in (Channel.COUNTER, Channel.BOTH)


class ProcedureDocument(models.Model):
    """A catalogue document that a procedure asks for."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="procedure_documents"
    )
    document = models.ForeignKey(
        RequiredDocument, on_delete=models.PROTECT, related_name="procedure_documents"
    )
    is_mandatory = models.BooleanField(_("mandatory"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["procedure", "position", "document__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "document"], name="procedure_document_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} · {self.document}"


class Form(TimeStampedModel):
    """The application form of a procedure: an editable draft and its published versions.

    The draft is the schema the builder edits (see forms_engine); `form_publish` copies it
    into a new immutable FormVersion.
    """

    procedure = models.OneToOneField(
        Procedure, on_delete=models.CASCADE, related_name="form", verbose_name=_("procedure")
    )
    draft = models.JSONField(_("draft"), default=dict, blank=True)
    current_version = models.ForeignKey(
        "FormVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published version"),
    )

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")

    def __str__(self) -> str:
        return str(self.procedure)


class FormVersion(models.Model):
    """A published, immutable form schema. Applications point at the version they were made with."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    schema = models.JSONField(_("schema"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="formversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"

    def save(self, *args, **kwargs):
        # A published version is frozen: applications rely on it. Refuse updates loudly.
        if self.pk is not None:
            raise ValueError("A published form version cannot be changed; publish a new one.")
        super().save(*args, **kwargs)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_INSTRUCTION = "in_instruction", _("In instruction")
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
    OPINIONS_REQUESTED = "opinions_requested", _("Opinions requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Submitted and not yet decided or withdrawn.
OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.IN_INSTRUCTION,
    Status.COMPLETION_REQUESTED,
    Status.OPINIONS_REQUESTED,
)
# The legal clock runs in these statuses; it pauses while the citizen is asked to complete.
CLOCK_RUNNING_STATUSES = (Status.SUBMITTED, Status.IN_INSTRUCTION, Status.OPINIONS_REQUESTED)
DECIDED_STATUSES = (Status.APPROVED, Status.REFUSED)


class FilingChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the counter")
    API = "api", _("API")


class ApplicationQuerySet(models.QuerySet):
    def open(self) -> ApplicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def submitted(self) -> ApplicationQuerySet:
        return self.exclude(status=Status.DRAFT)


class Application(models.Model):
    """A citizen's (or investor's) application for a procedure, with its legal clock.

    `due_date` is the legal deadline in working days from submission; it moves later by the
    working days spent waiting for the citizen to complete (deadlines.py).
    """

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("procedure"),
    )
    form_version = models.ForeignKey(
        FormVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("form version"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("organisation"),
    )
    department = models.ForeignKey(
        "organisations.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, default="ar")
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=FilingChannel.choices, default=FilingChannel.ONLINE
    )
    # Counter mode: the agent who filed it and the consent the citizen gave in person.
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    consent_text = models.TextField(_("consent given"), blank=True, default="")
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    # The legal clock (deadlines.py).
    due_date = models.DateField(_("legal deadline"), null=True, blank=True, db_index=True)
    paused_since = models.DateField(_("clock paused since"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("working days paused"), default=0)
    processing_working_days = models.PositiveIntegerField(
        _("processing time (working days)"), null=True, blank=True
    )
    decision_reasons = models.TextField(_("reasons"), blank=True, default="")
    # The procedure's rule when the application was submitted: later changes do not apply to it.
    silence_means_approval = models.BooleanField(_("silence means approval"), default=False)
    is_tacit = models.BooleanField(_("tacit approval"), default=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, due_date__isnull=False),
                name="application_submitted_has_clock",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "refused"]) | Q(decided_at__isnull=False),
                name="application_decided_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reasons=""),
                name="application_refusal_has_reasons",
            ),
            models.CheckConstraint(
                condition=~Q(channel="counter")
                | Q(filed_by__isnull=False, consent_at__isnull=False),
                name="application_counter_has_consent",
            ),
            models.CheckConstraint(
                condition=Q(paused_since__isnull=True) | Q(status="completion_requested"),
                name="application_paused_only_when_completing",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-created_at"]),
            models.Index(fields=["procedure", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES


class EventKind(models.TextChoices):
    CREATED = "created", _("Draft started")
    SUBMITTED = "submitted", _("Submitted")
    STATUS_CHANGED = "status_changed", _("Status changed")
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
    COMPLETED = "completed", _("Completed by the applicant")
    OPINION_REQUESTED = "opinion_requested", _("Opinion requested")
    OPINION_GIVEN = "opinion_given", _("Opinion given")
    DECIDED = "decided", _("Decided")
    TACITLY_APPROVED = "tacitly_approved", _("Approved by silence")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DOCUMENT_ISSUED = "document_issued", _("Document issued")
    DOCUMENT_REVOKED = "document_revoked", _("Document revoked")
    MESSAGE_SENT = "message_sent", _("Message")


class ApplicationEvent(models.Model):
    """One line of an application's history, named as a past fact; `is_public` lines are the citizen's."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True, default="")
    to_status = models.CharField(max_length=24, choices=Status.choices, blank=True, default="")
    is_public = models.BooleanField(default=True)
    body = models.TextField(blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.kind}"


class ApplicationDocument(models.Model):
    """A file given with an application: an answer to a file field, or a catalogue document."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    field_key = models.CharField(_("form field"), max_length=60, blank=True, default="")
    required_document = models.ForeignKey(
        RequiredDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("catalogue document"),
    )
    file = models.FileField(_("file"), upload_to="procedures/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200, blank=True, default="")
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A file replaced during a completion stays on record but no longer counts.
    replaced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "created_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name


class OpinionVerdict(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable")
    UNFAVOURABLE = "unfavourable", _("Unfavourable")
    RESERVED = "reserved", _("Favourable with reservations")


class OpinionRequest(models.Model):
    """An opinion asked of a reviewing organisation (through a referral) or another department."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="opinions")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewing organisation"),
    )
    department = models.ForeignKey(
        "organisations.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewing department"),
    )
    # The access lent to another organisation; empty when a department of the same one reviews.
    referral = models.ForeignKey(
        "organisations.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    question = models.TextField(_("question"), blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    verdict = models.CharField(
        _("opinion"), max_length=16, choices=OpinionVerdict.choices, blank=True, default=""
    )
    comment = models.TextField(_("comment"), blank=True, default="")
    file = models.FileField(_("file"), upload_to="procedures/opinions/%Y/%m/", blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    given_at = models.DateTimeField(_("given at"), null=True, blank=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["application", "requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(verdict="") & Q(given_at__isnull=True))
                | (~Q(verdict="") & Q(given_at__isnull=False)),
                name="opinion_given_has_verdict_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.organisation}"

    @property
    def is_given(self) -> bool:
        return bool(self.verdict)


class Message(models.Model):
    """A message between the applicant and the instructors; both sides see it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_staff = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["application", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.created_at:%Y-%m-%d %H:%M}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="procedures/messages/%Y/%m/")
    original_name = models.CharField(max_length=200, blank=True, default="")
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name


class StaffNote(models.Model):
    """A private note of the instructing organisation's staff: never shown to the applicant or reviewers."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="staff_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("staff note")
        verbose_name_plural = _("staff notes")
        ordering = ["application", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.created_at:%Y-%m-%d %H:%M}"


class IssuedDocumentKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    DECISION = "decision", _("Decision")


class IssuedDocument(models.Model):
    """A receipt or decision document issued for an application, verifiable through its QR code.

    `verification_data` holds what the public verification page may show: no more personal
    data than needed (the holder's initials, never an ID number or address).
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="issued_documents"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=IssuedDocumentKind.choices)
    number = models.CharField(_("number"), max_length=40, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verification_token = models.CharField(max_length=64, unique=True)
    verification_data = models.JSONField(default=dict, blank=True)
    rendered_file = models.FileField(
        _("document file"), upload_to="procedures/issued/%Y/%m/", blank=True
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["application", "issued_at", "id"]

    def __str__(self) -> str:
        return self.number


class DocumentCounter(models.Model):
    """The last number given to an organisation's documents of one kind in one year."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=IssuedDocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year"], name="documentcounter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} {self.year}: {self.last}"


class ZoningPlan(TimeStampedModel):
    """An urban plan's zoning layer (plan d'aménagement), stored as data, not code."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="zoning_plans",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True, default="")
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("urban plan")
        verbose_name_plural = _("urban plans")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """One zone of an urban plan: its polygon and its rules."""

    plan = models.ForeignKey(ZoningPlan, on_delete=models.CASCADE, related_name="zones")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    # Keys of allowed uses (housing, commerce, offices, crafts, industry, facilities, green).
    allowed_uses = models.JSONField(_("allowed uses"), default=list, blank=True)
    max_height_m = models.DecimalField(
        _("maximum height (m)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    max_floors = models.PositiveSmallIntegerField(_("maximum floors"), null=True, blank=True)
    plot_ratio = models.DecimalField(
        _("plot ratio"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    land_coverage = models.DecimalField(
        _("maximum land coverage (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rules = models.TextField(_("other rules"), blank=True, default="")
    # A GeoJSON Polygon or MultiPolygon in WGS84 (longitude, latitude).
    geometry = models.JSONField(_("geometry"))

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="zone_unique_code_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"
