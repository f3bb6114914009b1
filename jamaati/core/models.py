from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Holiday(TimeStampedModel):
    """A public holiday in Morocco: government offices are closed, deadlines move.

    Islamic holidays follow the lunar calendar and the sighting of the moon, so
    their dates are estimated when seeded and confirmed (or moved) by an admin
    once announced. See `jamaati.core.workdays`.
    """

    class Kind(models.TextChoices):
        FIXED = "fixed", _("Fixed date")
        ISLAMIC = "islamic", _("Islamic (lunar calendar)")

    # Stable identity across re-seeding, e.g. "2026-eid-al-adha-2".
    key = models.SlugField(_("key"), max_length=80, unique=True)
    date = models.DateField(_("date"), db_index=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    is_confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("An Islamic holiday stays an estimate until its date is officially announced."),
    )
    # The date the calendar computed; when it differs from `date`, an admin moved the holiday.
    estimated_date = models.DateField(_("estimated date"), null=True, blank=True)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date", "key"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
