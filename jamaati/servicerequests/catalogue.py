"""The reference data of intake and Open311, cached per process (core.refcache).

An Open311 POST needs the jurisdiction, its category and questions, who covers the place
and who is competent for the category there; a page of requests needs the jurisdiction's
categories. These change a few times a year and are read on every call, so they are kept
in each process and reloaded when any of the models they come from is saved or deleted
(the receivers below bump the generation after the commit), or after `TTL` seconds.

The receivers only invalidate a cache: they carry no domain flow (see ADR 0007).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models.signals import m2m_changed, post_delete, post_save

from jamaati.core.refcache import RefCache
from jamaati.organisations.models import Competence, Department, Domain, Organisation
from jamaati.organisations.selectors import organisations_covering
from jamaati.servicerequests.models import Category, CategoryQuestion
from jamaati.territories.models import Territory

TTL = 60.0
TERRITORY_NAME_FIELDS = ("id", "code", "slug", "level", "name_ar", "name_fr", "name_en", "name_zgh")
CATALOGUE = RefCache("servicerequests.catalogue", ttl=TTL)


@dataclass(frozen=True)
class Categories:
    """An organisation's categories: every one by id (old requests stay readable), active ones by code."""

    by_pk: dict[int, Category]
    active_by_code: dict[str, Category]


def jurisdiction_get(*, slug: str) -> Organisation | None:
    """The active organisation whose slug is this jurisdiction_id."""
    return CATALOGUE.get(
        ("jurisdiction", slug),
        lambda: Organisation.objects.filter(slug=slug, is_active=True).first(),
    )


def _load_categories(organisation_id: int) -> Categories:
    categories = list(
        Category.objects.filter(organisation_id=organisation_id)
        .select_related("organisation", "department", "domain")
        .prefetch_related("questions")
        .order_by("group", "position", "code")
    )
    return Categories(
        by_pk={category.pk: category for category in sorted(categories, key=lambda c: c.pk)},
        active_by_code={category.code: category for category in categories if category.is_active},
    )


def organisation_categories(*, organisation_id: int) -> Categories:
    return CATALOGUE.get(("categories", organisation_id), lambda: _load_categories(organisation_id))


def _by_pk(kind: str, model, pks, *, fields: tuple[str, ...] = ()) -> dict:
    """Rows of `model` by id, each cached under (kind, id); `fields` limits the columns read."""

    def load(keys: list) -> dict:
        queryset = model.objects.filter(pk__in=[pk for _kind, pk in keys])
        if fields:
            queryset = queryset.only(*fields)
        return {(kind, row.pk): row for row in queryset}

    found = CATALOGUE.get_many([(kind, pk) for pk in pks], load)
    return {pk: value for (_kind, pk), value in found.items()}


def categories_by_pk(pks) -> dict[int, Category]:
    """Categories by id, whatever their organisation (a map box spans several), cached one by one."""
    return _by_pk("category", Category, pks)


def organisations_by_pk(pks) -> dict[int, Organisation]:
    """Organisations by id (their translated names), cached one by one."""
    return _by_pk("organisation", Organisation, pks)


def territories_by_pk(pks) -> dict[int, Territory]:
    """Territories by id with their names only (never a polygon), cached one by one."""
    return _by_pk("territory", Territory, pks, fields=TERRITORY_NAME_FIELDS)


def covering_organisation_ids(*, territory: Territory) -> frozenset[int]:
    """The ids of the active organisations whose area contains `territory`."""
    return CATALOGUE.get(
        ("covering", territory.pk),
        lambda: frozenset(organisations_covering(territory=territory).values_list("pk", flat=True)),
    )


def route_for(*, category: Category, territory: Territory):
    """`services.servicerequest_route`, remembered per category and place."""
    from jamaati.servicerequests.services import servicerequest_route

    return CATALOGUE.get(
        ("route", category.pk, territory.pk),
        lambda: servicerequest_route(category=category, territory=territory),
    )


def _invalidate(**_kwargs) -> None:
    CATALOGUE.bump()


def connect_invalidation() -> None:
    """Bump the catalogue whenever a row it is built from changes (called from AppConfig.ready)."""
    for model in (
        Organisation,
        Department,
        Domain,
        Competence,
        Category,
        CategoryQuestion,
        Territory,
    ):
        post_save.connect(
            _invalidate, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}"
        )
        post_delete.connect(
            _invalidate, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}"
        )
    m2m_changed.connect(
        _invalidate,
        sender=Organisation.territories.through,
        dispatch_uid="catalogue-organisation-territories",
    )
