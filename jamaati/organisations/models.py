"""Organisations, their departments, staff memberships, competences and referrals.

See docs/adr/0002-organisations.md for the model and the reasons behind it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamaati.core.models import TimeStampedModel


class OrganisationKind(models.Model):
    """An open-ended kind: commune council, urban agency, concession company, UNDP…"""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_collectivity = models.BooleanField(
        _("territorial collectivity"),
        default=False,
        help_text=_("Commune, province, prefecture or region council."),
    )

    class Meta:
        verbose_name = _("organisation kind")
        verbose_name_plural = _("organisation kinds")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Organisation(TimeStampedModel):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.ForeignKey(OrganisationKind, on_delete=models.PROTECT, verbose_name=_("kind"))
    description = models.TextField(_("description"), blank=True, default="")
    # The territory a council governs (its commune, province or region); empty for other bodies.
    seat = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        verbose_name=_("seat territory"),
    )
    territories = models.ManyToManyField(
        "territories.Territory",
        related_name="organisations",
        verbose_name=_("territories covered"),
    )
    primary_color = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#0b6e4f",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour such as #0b6e4f."))],
    )
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    website = models.URLField(_("website"), blank=True, default="")
    email = models.EmailField(_("contact e-mail"), blank=True, default="")
    phone = models.CharField(_("contact phone"), max_length=20, blank=True, default="")
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("organisations:home", kwargs={"slug": self.slug})


class Department(TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="departments",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["organisation", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="department_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.name}"


class Domain(models.Model):
    """A field of competence: public lighting, waste collection, roads, urbanism notes…"""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("competence domain")
        verbose_name_plural = _("competence domains")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Competence(TimeStampedModel):
    """Which organisation is competent for a domain in a territory.

    Routing takes the most specific territory that has a competence row:
    arrondissement, then commune, then province or prefecture, then region.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="competences",
        verbose_name=_("organisation"),
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="competences", verbose_name=_("domain")
    )
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="competences",
        verbose_name=_("territory"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("responsible department"),
    )

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "territory"], name="competence_one_per_domain_territory"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} @ {self.territory} → {self.organisation}"


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    REVIEWER = "reviewer", _("Reviewer")
    MODERATOR = "moderator", _("Moderator")
    ELECTED_OFFICIAL = "elected_official", _("Elected official")
    ORG_ADMIN = "org_admin", _("Organisation admin")


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, organisation__is_active=True, user__is_active=True)


class Membership(TimeStampedModel):
    """A staff member's role in an organisation, optionally limited to part of its territory."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    # Empty: the whole of the organisation's territory.
    territories = models.ManyToManyField(
        "territories.Territory",
        blank=True,
        related_name="+",
        verbose_name=_("limited to territories"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(department__isnull=True),
                name="membership_unique_role_without_department",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "department", "role"],
                name="membership_unique_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class Referral(TimeStampedModel):
    """Access for another organisation's staff to one object (a transferred request, a review)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="referrals_received",
        verbose_name=_("receiving organisation"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("receiving department"),
    )
    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="referrals_sent",
        verbose_name=_("referring organisation"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    reason = models.TextField(_("reason"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referred by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["content_type", "object_id", "organisation"])]

    def __str__(self) -> str:
        return f"{self.from_organisation} → {self.organisation}: {self.content_type.model} {self.object_id}"
