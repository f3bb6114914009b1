"""API keys: staff tokens and partner application keys, in one table.

- A *staff token* belongs to a staff member and acts as one of their
  memberships (or as a platform admin, with no membership).
- A *partner key* belongs to an organisation: an application of a partner
  (a concession company, a mobile app, an Open311 client), with a name and
  scopes, issued by one of the organisation's admins.

Only a SHA-256 hash of the secret is stored, with a short public prefix to
find the row; the full key is shown once, when it is issued.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff token")
        PARTNER = "partner", _("Partner application key")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(_("public prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("secret hash"), max_length=64, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("staff member"),
    )
    membership = models.ForeignKey(
        "organisations.Membership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("acts as membership"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("organisation"),
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="staff") & Q(user__isnull=False))
                | (Q(kind="partner") & Q(user__isnull=True) & Q(organisation__isnull=False)),
                name="apikey_staff_has_user_partner_has_organisation",
            ),
            models.CheckConstraint(
                condition=Q(membership__isnull=True) | Q(kind="staff"),
                name="apikey_only_staff_tokens_act_as_a_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    def has_scopes(self, required: set[str] | frozenset[str]) -> bool:
        return set(required) <= set(self.scopes)
