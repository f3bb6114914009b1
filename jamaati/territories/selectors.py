"""Reads of territories, shared by the web pages and the API."""

import json
from dataclasses import dataclass

import numpy as np
import shapely
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from jamaati.core.text import search_key
from jamaati.territories import geo
from jamaati.territories.models import Kind, Level, Territory

SEARCH_LIMIT_DEFAULT = 20
SEARCH_LIMIT_MAX = 50

# Communes first, then the places people also search for, then the larger units.
_LEVEL_RANK = {
    Level.COMMUNE: 0,
    Level.ARRONDISSEMENT: 1,
    Level.PROVINCE: 2,
    Level.REGION: 3,
    Level.CERCLE: 4,
}

# Douglas-Peucker tolerance (degrees) of the boundaries served to maps: about 500 m for a
# region, 50 m for a commune. Enough for a screen, a fraction of the stored size.
_BOUNDARY_TOLERANCE = {
    Level.REGION: 0.005,
    Level.PROVINCE: 0.002,
    Level.CERCLE: 0.001,
    Level.COMMUNE: 0.0005,
    Level.ARRONDISSEMENT: 0.0003,
}


def _light() -> QuerySet[Territory]:
    """Territories without their heavy columns (the polygon and the search text)."""
    return Territory.objects.defer("boundary_wkb", "search_text")


def territory_list(*, level: str) -> QuerySet[Territory]:
    """Every territory of one level, by HCP code."""
    return _light().filter(level=level).order_by("code")


def territory_regions() -> QuerySet[Territory]:
    """The 12 regions, by HCP code."""
    return territory_list(level=Level.REGION)


def territory_get_by_code(*, code: str) -> Territory:
    """The territory with this HCP code, or a 404."""
    territory = _light().filter(code=code).first()
    if territory is None:
        raise Http404(_("No territory has the code %(code)s.") % {"code": code})
    return territory


def territory_children(*, territory: Territory, level: str | None = None) -> QuerySet[Territory]:
    """The territories directly below this one (or, with `level`, every one of that level inside it).

    A region holds provinces and prefectures; a province its communes (a prefecture of
    arrondissements its arrondissements); a cercle its rural communes; a commune its
    arrondissements.
    """
    if level is None:
        level = {
            Level.REGION: Level.PROVINCE,
            Level.PROVINCE: (
                Level.ARRONDISSEMENT
                if territory.kind == Kind.PREFECTURE_OF_ARRONDISSEMENTS
                else Level.COMMUNE
            ),
            Level.CERCLE: Level.COMMUNE,
            Level.COMMUNE: Level.ARRONDISSEMENT,
        }.get(territory.level)
        if level is None:
            return _light().none()
    return (
        Territory.objects.within(territory)
        .filter(level=level)
        .defer("boundary_wkb", "search_text")
        .exclude(pk=territory.pk)
        .order_by("code")
    )


def territory_ancestors(*, territory: Territory) -> list[Territory]:
    """The territories holding this one, largest first (for breadcrumbs)."""
    ids: list[int] = []
    for pk in (
        territory.region_id,
        territory.province_id,  # for Casablanca's arrondissements, also their district
        territory.district_id,
        territory.cercle_id,
        territory.commune_id,
    ):
        if pk is not None and pk not in ids:
            ids.append(pk)
    found = _light().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def territory_search(
    *, query: str, limit: int = SEARCH_LIMIT_DEFAULT, levels: tuple[str, ...] | None = None
) -> list[Territory]:
    """Territories whose name matches the query in Arabic or French, best matches first.

    Accents, harakat, hamza forms and punctuation are ignored (see core/text.py). Exact
    names come first, then names starting with the query, then names with a word starting
    with it, then any name containing it; within each, communes first.
    """
    key = search_key(query)
    if not key:
        return []
    limit = max(1, min(limit, SEARCH_LIMIT_MAX))
    queryset = _light()
    for token in key.split():
        queryset = queryset.filter(search_text__contains=token)
    if levels:
        queryset = queryset.filter(level__in=levels)
    match = Case(
        When(search_text__contains=f"|{key}|", then=Value(0)),
        When(search_text__contains=f"|{key}", then=Value(1)),
        When(Q(search_text__contains=f" {key}"), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    level_rank = Case(
        *(When(level=level, then=Value(rank)) for level, rank in _LEVEL_RANK.items()),
        default=Value(9),
        output_field=IntegerField(),
    )
    return list(
        queryset.annotate(match=match, level_rank=level_rank).order_by(
            "match", "level_rank", "-population_2024", "code"
        )[:limit]
    )


@dataclass(frozen=True)
class TerritoryLookup:
    """The territories holding a point."""

    region: Territory | None
    province: Territory | None
    commune: Territory
    arrondissement: Territory | None
    prefecture_of_arrondissements: Territory | None


def _placement_territories(
    placement: geo.Placement, found: dict[int, Territory]
) -> TerritoryLookup:
    def get(pk: int | None) -> Territory | None:
        return found.get(pk) if pk is not None else None

    return TerritoryLookup(
        region=get(placement.region_id),
        province=get(placement.province_id),
        commune=found[placement.commune_id],
        arrondissement=get(placement.arrondissement_id),
        prefecture_of_arrondissements=get(placement.district_id),
    )


def territory_lookup(*, lat: float, lon: float) -> TerritoryLookup | None:
    """The region, province, commune and arrondissement holding a point, or None outside Morocco.

    No query: the territories come from the in-process index (with geo.LOOKUP_FIELDS only).
    """
    index = geo.index_get()
    placement = index.locate(lat, lon)
    if placement is None:
        return None
    return _placement_territories(placement, index.territories)


def territory_lookup_many(*, lats: list[float], lons: list[float]) -> list[TerritoryLookup | None]:
    """`territory_lookup` for many points at once."""
    index = geo.index_get()
    found = index.territories
    return [
        _placement_territories(placement, found) if placement else None
        for placement in index.locate_many(lats, lons)
    ]


def territory_boundary_geojson(*, territory: Territory) -> dict | None:
    """The territory's outline as a GeoJSON Feature, simplified for maps, or None."""
    wkb = Territory.objects.filter(pk=territory.pk).values_list("boundary_wkb", flat=True).first()
    if not wkb:
        return None
    geometry = shapely.from_wkb(bytes(wkb))
    tolerance = _BOUNDARY_TOLERANCE.get(territory.level, 0.001)
    geometry = shapely.simplify(geometry, tolerance, preserve_topology=True)
    geometry = shapely.transform(geometry, lambda coords: np.round(coords, 5))
    return {
        "type": "Feature",
        "properties": {
            "code": territory.code,
            "level": territory.level,
            "name_ar": territory.name_ar,
            "name_fr": territory.name_fr,
        },
        "bbox": [
            territory.bbox_min_lon,
            territory.bbox_min_lat,
            territory.bbox_max_lon,
            territory.bbox_max_lat,
        ],
        "geometry": json.loads(shapely.to_geojson(geometry)),
    }
