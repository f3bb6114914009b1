"""Service requests (شكايات / signalements): categories, requests, their history, photos and followers.

The workflow lives in `workflow.py` (ALLOWED_TRANSITIONS) and every write in `services.py`.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamaati.core.models import TimeStampedModel


class CategoryGroup(models.TextChoices):
    CLEANLINESS = "cleanliness", _("Cleanliness and waste")
    LIGHTING = "lighting", _("Public lighting")
    GREEN_SPACES = "green_spaces", _("Green spaces")
    ROADS = "roads", _("Roads and pavements")
    TRANSPORT = "transport", _("Urban transport")
    WATER = "water", _("Water and sanitation")
    ANIMALS = "animals", _("Stray animals")
    NOISE = "noise", _("Noise")
    BUILDING = "building", _("Building violations")
    OTHER = "other", _("Other")


class Category(TimeStampedModel):
    """What a citizen can report to an organisation; its code is the Open311 service_code."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="request_categories",
        verbose_name=_("organisation"),
    )
    code = models.SlugField(_("code"), max_length=60)
    group = models.CharField(_("group"), max_length=20, choices=CategoryGroup.choices)
    name = models.CharField(_("name"), max_length=150)
    help_text = models.TextField(_("help text"), blank=True, default="")
    # Routing: the competence domain decides which organisation handles a report at a place.
    domain = models.ForeignKey(
        "organisations.Domain",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("competence domain"),
    )
    department = models.ForeignKey(
        "organisations.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("responsible department"),
    )
    target_acknowledge = models.DurationField(
        _("target time to acknowledge"), default=timedelta(days=2)
    )
    target_resolve = models.DurationField(_("target time to resolve"), default=timedelta(days=10))
    allow_anonymous = models.BooleanField(_("anonymous reports allowed"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["organisation", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="category_unique_code_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(target_acknowledge__lte=models.F("target_resolve")),
                name="category_acknowledge_before_resolve",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")


class CategoryQuestion(models.Model):
    """An extra question asked when reporting in a category (Open311 service definition attribute)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    label = models.CharField(_("question"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=300, blank=True, default="")
    required = models.BooleanField(_("required"), default=False)
    # For choices: [{"key": "...", "label_ar": "...", "label_fr": "...", "label_en": "..."}]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"], name="question_unique_code_per_category"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS)


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    IMPORT = "import", _("Import")
    COUNTER = "counter", _("Counter")


class ServiceRequestQuerySet(models.QuerySet):
    def open(self) -> ServiceRequestQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class ServiceRequest(models.Model):
    """A problem reported by a citizen: where, what, and what is being done about it.

    The description is kept exactly as typed. Contact details are personal data:
    never shown on public pages or in public API answers.
    """

    # Unique through Meta.constraints: one index, without the pattern-ops twin PostgreSQL gets
    # for `unique=True` (a tracking code is only ever looked up whole).
    reference = models.CharField(_("tracking code"), max_length=20)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="requests", verbose_name=_("category")
    )
    # Indexes whose first column is already this one's (see Meta.indexes) stand in for the
    # single-column index Django gives a foreign key: every index costs each intake INSERT.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("organisation"),
        db_index=False,
    )
    # The organisation whose category this is: its Open311 jurisdiction. It never changes (a
    # request keeps its category, while `organisation` follows routing and transfers); kept on
    # the row so a jurisdiction's requests are read newest first from one index.
    jurisdiction = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("jurisdiction"),
        db_index=False,
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
        related_name="+",
        verbose_name=_("place"),
        help_text=_("The commune, or the arrondissement in cities."),
    )
    commune = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune"),
        db_index=False,
    )
    description = models.TextField(_("description"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    media_url = models.URLField(
        _("media URL"),
        max_length=2000,
        blank=True,
        default="",
        help_text=_("Given by a partner application through Open311; never fetched by the server."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    language = models.CharField(_("language"), max_length=8, default="ar")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("reporter account"),
        db_index=False,
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    contact_name = models.CharField(_("name"), max_length=200, blank=True, default="")
    contact_email = models.EmailField(_("e-mail address"), blank=True, default="")
    contact_phone = models.CharField(_("mobile number"), max_length=16, blank=True, default="")

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
        db_index=False,
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
        db_index=False,
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, default="")
    supporters_count = models.PositiveIntegerField(_("supporters"), default=0)

    created_at = models.DateTimeField(_("reported at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    due_acknowledge_at = models.DateTimeField(_("to acknowledge by"))
    due_resolve_at = models.DateTimeField(_("to resolve by"))
    escalated_at = models.DateTimeField(null=True, blank=True)

    source = models.CharField(max_length=60, blank=True, default="")
    external_id = models.CharField(max_length=100, blank=True, default="")

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="servicerequest_reference_unique"),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="servicerequest_unique_external_id",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                ),
                name="servicerequest_valid_point",
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | Q(status__in=["duplicate", "closed"]),
                name="servicerequest_duplicate_has_status",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-created_at"]),
            models.Index(fields=["status", "latitude", "longitude"]),
            models.Index(fields=["commune", "status"]),
            # Open311 lists: a jurisdiction's requests newest first in a date window: all of
            # them, or (partial indexes) its open or its closed ones, as GeoReport's statuses.
            models.Index(
                fields=["jurisdiction", "-created_at", "-id"], name="servicerequest_jurisdiction"
            ),
            models.Index(
                fields=["jurisdiction", "-created_at", "-id"],
                condition=Q(status__in=["new", "acknowledged", "in_progress"]),
                name="servicerequest_juris_open",
            ),
            models.Index(
                fields=["jurisdiction", "-created_at", "-id"],
                condition=Q(status__in=["resolved", "rejected", "duplicate", "closed"]),
                name="servicerequest_juris_closed",
            ),
            # Links that most requests do not have (no account, nobody assigned yet, not a
            # duplicate): indexed where present, for the lookups and the ON DELETE of users.
            models.Index(
                fields=["reporter"],
                condition=Q(reporter__isnull=False),
                name="servicerequest_reporter",
            ),
            models.Index(
                fields=["assigned_to"],
                condition=Q(assigned_to__isnull=False),
                name="servicerequest_assigned_to",
            ),
            models.Index(
                fields=["duplicate_of"],
                condition=Q(duplicate_of__isnull=False),
                name="servicerequest_duplicate_of",
            ),
            # Per-commune statistics: everything they read, so PostgreSQL scans the index only.
            models.Index(
                fields=["commune"],
                include=["category", "status", "created_at", "resolved_at"],
                name="servicerequest_commune_stats",
            ),
            # The staff queue's default view: an organisation's open requests, newest first.
            models.Index(
                fields=["organisation", "-created_at"],
                condition=Q(status__in=["new", "acknowledged", "in_progress"]),
                name="servicerequest_open_queue",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("servicerequests:track", kwargs={"reference": self.reference})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventKind(models.TextChoices):
    CREATED = "created", _("Reported")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    PUBLIC_UPDATE = "public_update", _("Update")
    INTERNAL_NOTE = "internal_note", _("Internal note")
    TRANSFERRED = "transferred", _("Transferred")
    MERGED = "merged", _("Merged")
    ESCALATED = "escalated", _("Escalated")
    REOPENED = "reopened", _("Reopened")
    SUPPORTED = "supported", _("Supported")
    PHOTO_APPROVED = "photo_approved", _("Photo approved")


class ServiceRequestEvent(models.Model):
    """One line of a request's timeline, named as a past fact. Only `is_public` lines are shown to citizens."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True, default="")
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True, default="")
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
        indexes = [
            # The latest public note explaining a request's status (Open311's status_notes):
            # few lines qualify, so the lookup for each request of a page stays in memory.
            models.Index(
                fields=["service_request", "-created_at", "-id"],
                condition=Q(
                    is_public=True, kind__in=["status_changed", "public_update", "reopened"]
                )
                & ~Q(body=""),
                name="servicerequestevent_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_request} {self.kind}"


class ServiceRequestPhoto(models.Model):
    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="photos"
    )
    file = models.ImageField(upload_to="servicerequests/%Y/%m/")
    # A photo is public only once staff approve it.
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]
        indexes = [
            # A request's first approved photo, the one public pages and Open311 show.
            models.Index(
                fields=["service_request", "created_at", "id"],
                condition=Q(is_public=True),
                name="servicerequestphoto_public",
            ),
        ]

    def __str__(self) -> str:
        return self.file.name


class Follower(models.Model):
    """Someone notified of a request's public updates: its reporter, a supporter or a follower."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="followers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(blank=True, default="")
    phone = models.CharField(max_length=16, blank=True, default="")
    language = models.CharField(max_length=8, default="ar")
    is_supporter = models.BooleanField(default=False)
    notify = models.BooleanField(default=True)
    unsubscribe_token = models.CharField(max_length=43, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                fields=["service_request", "user"],
                condition=Q(user__isnull=False),
                name="follower_unique_user",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email="") | ~Q(phone=""),
                name="follower_has_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_request} ← {self.user or self.email or self.phone}"


class ResponseTemplate(TimeStampedModel):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="response_templates"
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["organisation", "title"]

    def __str__(self) -> str:
        return self.title
