"""The territories API, mounted at /api/v1/territories/."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from jamaati.core.api_errors import Error
from jamaati.territories import selectors
from jamaati.territories.models import Level, Territory

router = Router(tags=["territories"])


class TerritoryRef(Schema):
    code: str
    slug: str
    level: str
    name_ar: str
    name_fr: str


class TerritoryOut(TerritoryRef):
    kind: str
    population_2024: int | None


class Point(Schema):
    lat: float
    lon: float


class TerritoryDetail(TerritoryOut):
    name_en: str | None
    name_zgh: str | None
    households_2024: int | None
    region: TerritoryRef | None
    province: TerritoryRef | None
    cercle: TerritoryRef | None
    commune: TerritoryRef | None
    prefecture_of_arrondissements: TerritoryRef | None
    centroid: Point | None
    bbox: list[float] | None = Field(None, description="[min_lon, min_lat, max_lon, max_lat]")
    alt_names: list[str]


class LookupOut(Schema):
    region: TerritoryRef | None
    province: TerritoryRef | None = Field(
        description="The province or prefecture; for Casablanca, its prefecture of arrondissements"
    )
    commune: TerritoryRef
    arrondissement: TerritoryRef | None
    prefecture_of_arrondissements: TerritoryRef | None


class LookupIn(Schema):
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False, description="Latitude (WGS84)")
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False, description="Longitude (WGS84)")


class SearchIn(Schema):
    q: str = Field(min_length=1, max_length=100, description="A name, in Arabic or French")
    limit: int = Field(selectors.SEARCH_LIMIT_DEFAULT, ge=1, le=selectors.SEARCH_LIMIT_MAX)


class Geometry(Schema):
    type: str
    coordinates: list


class BoundaryProperties(Schema):
    code: str
    level: str
    name_ar: str
    name_fr: str


class BoundaryFeature(Schema):
    type: str
    properties: BoundaryProperties
    bbox: list[float]
    geometry: Geometry


def _get(code: str, *, level: str | None = None) -> Territory:
    try:
        territory = selectors.territory_get_by_code(code=code)
    except Http404 as error:
        raise HttpError(404, str(error)) from error
    if level is not None and territory.level != level:
        raise HttpError(
            404,
            _("The territory %(code)s is not a %(level)s.")
            % {"code": code, "level": Level(level).label},
        )
    return territory


@router.get("/regions", response=list[TerritoryOut])
def region_list(request: HttpRequest):
    """The 12 regions of Morocco."""
    return list(selectors.territory_regions())


@router.get("/regions/{code}/provinces", response={200: list[TerritoryOut], 404: Error})
def region_provinces(request: HttpRequest, code: str):
    """The provinces and prefectures of a region."""
    return list(selectors.territory_children(territory=_get(code, level=Level.REGION)))


@router.get("/provinces/{code}/communes", response={200: list[TerritoryOut], 404: Error})
def province_communes(request: HttpRequest, code: str):
    """The communes of a province or prefecture (the arrondissements of a prefecture of arrondissements)."""
    return list(selectors.territory_children(territory=_get(code, level=Level.PROVINCE)))


@router.get("/lookup", response={200: LookupOut, 404: Error})
def lookup(request: HttpRequest, point: Query[LookupIn]):
    """The region, province, commune and (in cities) arrondissement holding a point."""
    found = selectors.territory_lookup(lat=point.lat, lon=point.lon)
    if found is None:
        raise HttpError(404, _("This point is not inside any commune of Morocco."))
    return found


@router.get("/search", response=list[TerritoryOut])
def search(request: HttpRequest, params: Query[SearchIn]):
    """Territories by name in Arabic or French, tolerant of accents, harakat and hamza forms."""
    return selectors.territory_search(query=params.q, limit=params.limit)


@router.get("/{code}", response={200: TerritoryDetail, 404: Error})
def territory_detail(request: HttpRequest, code: str):
    """One territory by HCP code, with its ancestors."""
    territory = _get(code)
    ancestors = {a.pk: a for a in selectors.territory_ancestors(territory=territory)}
    has_centroid = territory.centroid_lat is not None and territory.centroid_lon is not None
    return {
        "code": territory.code,
        "slug": territory.slug,
        "level": territory.level,
        "kind": territory.kind,
        "name_ar": territory.name_ar,
        "name_fr": territory.name_fr,
        "name_en": territory.name_en,
        "name_zgh": territory.name_zgh,
        "population_2024": territory.population_2024,
        "households_2024": territory.households_2024,
        "region": ancestors.get(territory.region_id),
        "province": ancestors.get(territory.province_id),
        "cercle": ancestors.get(territory.cercle_id),
        "commune": ancestors.get(territory.commune_id),
        "prefecture_of_arrondissements": ancestors.get(territory.district_id),
        "centroid": (
            {"lat": territory.centroid_lat, "lon": territory.centroid_lon} if has_centroid else None
        ),
        "bbox": (
            [
                territory.bbox_min_lon,
                territory.bbox_min_lat,
                territory.bbox_max_lon,
                territory.bbox_max_lat,
            ]
            if territory.bbox_min_lon is not None
            else None
        ),
        "alt_names": [name for name in territory.alt_names.splitlines() if name],
    }


@router.get("/{code}/boundary", response={200: BoundaryFeature, 404: Error})
def territory_boundary(request: HttpRequest, code: str):
    """The territory's outline as a simplified GeoJSON Feature, for maps."""
    feature = selectors.territory_boundary_geojson(territory=_get(code))
    if feature is None:
        raise HttpError(404, _("No boundary is known for the territory %(code)s.") % {"code": code})
    return feature
