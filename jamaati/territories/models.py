from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    REGION = "region", _("Region")
    PROVINCE = "province", _("Province or prefecture")
    CERCLE = "cercle", _("Cercle")
    COMMUNE = "commune", _("Commune")
    ARRONDISSEMENT = "arrondissement", _("Arrondissement")


class Kind(models.TextChoices):
    NONE = "", _("—")
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    PREFECTURE_OF_ARRONDISSEMENTS = (
        "prefecture_of_arrondissements",
        _("Prefecture of arrondissements"),
    )
    URBAN = "urban", _("Urban commune")
    RURAL = "rural", _("Rural commune")


class TerritoryQuerySet(models.QuerySet):
    def within(self, *territories: "Territory") -> "TerritoryQuerySet":
        """The given territories and every territory inside any of them (none given: nothing)."""
        condition = Q(pk__in=[])
        for territory in territories:
            condition |= (
                Q(pk=territory.pk)
                | Q(region=territory)
                | Q(province=territory)
                | Q(cercle=territory)
                | Q(commune=territory)
                | Q(district=territory)
            )
        return self.filter(condition)


class Territory(models.Model):
    """A region, province or prefecture, cercle, commune or arrondissement (HCP 2024).

    Ancestors are stored on every row (region, province, cercle, commune,
    district) so that "is X inside Y" is a single indexed filter.
    """

    level = models.CharField(_("level"), max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, blank=True, default="")
    code = models.CharField(_("HCP code"), max_length=16, unique=True)
    code_digits = models.CharField(_("HCP numeric code"), max_length=12, blank=True, default="")
    slug = models.SlugField(_("slug"), max_length=120)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    province = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province or prefecture"),
    )
    cercle = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cercle"),
    )
    commune = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    # For Casablanca's arrondissements: their prefecture of arrondissements.
    district = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prefecture of arrondissements"),
    )
    population_2024 = models.PositiveIntegerField(_("population (2024)"), null=True, blank=True)
    households_2024 = models.PositiveIntegerField(_("households (2024)"), null=True, blank=True)
    # Other spellings found in the sources (2014 names, boundary files), one per line.
    alt_names = models.TextField(_("other names"), blank=True, default="")
    # Folded, normalised names (Arabic and French) for accent- and hamza-tolerant search.
    search_text = models.TextField(blank=True, default="", editable=False)
    centroid_lat = models.FloatField(null=True, blank=True)
    centroid_lon = models.FloatField(null=True, blank=True)
    bbox_min_lon = models.FloatField(null=True, blank=True)
    bbox_min_lat = models.FloatField(null=True, blank=True)
    bbox_max_lon = models.FloatField(null=True, blank=True)
    bbox_max_lat = models.FloatField(null=True, blank=True)
    boundary_wkb = models.BinaryField(null=True, blank=True, editable=False)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "slug"], name="territory_unique_slug_per_level"
            ),
        ]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def parent(self) -> "Territory | None":
        if self.level == Level.ARRONDISSEMENT:
            return self.commune
        if self.level == Level.COMMUNE:
            # Casablanca and its Méchouar belong to no HCP 2024 prefecture: their region holds them.
            return self.province or self.region
        if self.level == Level.CERCLE:
            return self.province
        if self.level == Level.PROVINCE:
            return self.region
        return None

    def contains(self, other: "Territory") -> bool:
        return other.pk == self.pk or self.pk in {
            other.region_id,
            other.province_id,
            other.cercle_id,
            other.commune_id,
            other.district_id,
        }
