"""The public territory browser: regions, one territory with its children and map, search."""

from __future__ import annotations

import numpy as np
import shapely
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.query import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET
from shapely.geometry import mapping

from jamaati.organisations.selectors import organisations_covering
from jamaati.territories import selectors
from jamaati.territories.forms import TerritorySearchForm
from jamaati.territories.models import Kind, Level, Territory
from jamaati.territories.selectors import (
    SEARCH_LIMIT_MAX,
    territory_ancestors,
    territory_children,
    territory_get_by_code,
    territory_regions,
)

# Douglas-Peucker tolerance (degrees) of the children drawn on a territory's map: the map
# is a few hundred pixels wide, so 200 m is invisible on a province and halves the download.
_MAP_TOLERANCE = {
    Level.REGION: 0.003,
    Level.PROVINCE: 0.002,
    Level.CERCLE: 0.001,
    Level.COMMUNE: 0.0005,
    Level.ARRONDISSEMENT: 0.0003,
}


def _children(territory: Territory) -> QuerySet[Territory]:
    """The territories one step inside `territory`, as the browser lists them."""
    return territory_children(territory=territory).order_by("code")


def _children_title(territory: Territory) -> str:
    if territory.level == Level.REGION:
        return _("Provinces and prefectures")
    if territory.level == Level.COMMUNE or territory.kind == Kind.PREFECTURE_OF_ARRONDISSEMENTS:
        return _("Arrondissements")
    return _("Communes")


def _root_breadcrumbs() -> list[dict[str, str]]:
    return [
        {"url": reverse("home"), "label": _("Home")},
        {"url": reverse("territories:regions"), "label": _("Territories")},
    ]


def _breadcrumbs(territory: Territory) -> list[dict[str, str]]:
    """Home, the regions, the territories holding `territory` (largest first), then itself."""
    return [
        *_root_breadcrumbs(),
        *(
            {"url": reverse("territories:detail", kwargs={"code": t.code}), "label": t.name}
            for t in territory_ancestors(territory=territory)
        ),
        {"url": "", "label": territory.name},
    ]


@require_GET
def region_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "territories/region_list.html",
        {"regions": territory_regions(), "breadcrumbs": _root_breadcrumbs()},
    )


@require_GET
def territory_detail(request: HttpRequest, code: str) -> HttpResponse:
    territory = territory_get_by_code(code=code)
    organisations = list(organisations_covering(territory=territory))
    return render(
        request,
        "territories/territory_detail.html",
        {
            "territory": territory,
            "breadcrumbs": _breadcrumbs(territory),
            "children": list(_children(territory)),
            "children_title": _children_title(territory),
            "children_caption": _("%(kind)s of %(name)s")
            % {"kind": _children_title(territory), "name": territory.name},
            "councils": [o for o in organisations if o.kind.is_collectivity],
            "other_organisations": [o for o in organisations if not o.kind.is_collectivity],
            # The loader writes the bounding box and the polygon together.
            "has_boundary": territory.bbox_min_lon is not None,
        },
    )


def _feature(territory: Territory, *, role: str, tolerance: float) -> dict | None:
    if not territory.boundary_wkb:
        return None
    geometry = shapely.from_wkb(bytes(territory.boundary_wkb))
    geometry = shapely.simplify(geometry, tolerance, preserve_topology=True)
    geometry = shapely.transform(geometry, lambda coords: np.round(coords, 5))
    return {
        "type": "Feature",
        "geometry": mapping(geometry),
        "properties": {
            "code": territory.code,
            "name": territory.name,
            "role": role,
            "url": reverse("territories:detail", kwargs={"code": territory.code}),
        },
    }


@require_GET
@gzip_page
@cache_control(public=True, max_age=86400)
def territory_map(request: HttpRequest, code: str) -> JsonResponse:
    """GeoJSON of a territory's outline and its children's, named in the active language.

    One request and two queries for the whole map; the API's /territories/{code}/boundary
    serves one outline at a time.
    """
    territory = territory_get_by_code(code=code)
    with_polygons = Territory.objects.filter(pk=territory.pk).values_list("boundary_wkb", flat=True)
    territory.boundary_wkb = with_polygons.first()
    children = _children(territory).defer(None).defer("search_text")
    features = [_feature(territory, role="self", tolerance=_MAP_TOLERANCE[territory.level])]
    features += [
        _feature(child, role="child", tolerance=_MAP_TOLERANCE[child.level]) for child in children
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": [f for f in features if f is not None]},
        content_type="application/geo+json",
    )


def _by_code(query: str) -> list[Territory]:
    return list(
        Territory.objects.defer("boundary_wkb", "search_text")
        .filter(Q(code__startswith=query) | Q(code_digits__startswith=query))
        .order_by("code")[:SEARCH_LIMIT_MAX]
    )


@require_GET
def territory_search(request: HttpRequest) -> HttpResponse:
    form = TerritorySearchForm(request.GET if "q" in request.GET else None)
    results: list[Territory] = []
    if form.is_valid():
        query = form.cleaned_data["q"]
        if query.replace(".", "").isdigit():
            results = _by_code(query)
        else:
            results = selectors.territory_search(query=query, limit=SEARCH_LIMIT_MAX)
        # Each result names its province and region: two queries, not two per result.
        light = Territory.objects.defer("boundary_wkb", "search_text")
        prefetch_related_objects(
            results,
            Prefetch("region", queryset=light),
            Prefetch("province", queryset=light),
        )
    # htmx swaps in the results only; a history restore (back button, cache miss) needs the page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "territories/_search_results.html" if partial else "territories/search.html"
    response = render(
        request,
        template,
        {
            "form": form,
            "results": results,
            "truncated": len(results) >= SEARCH_LIMIT_MAX,
            "limit": SEARCH_LIMIT_MAX,
            "breadcrumbs": [
                {"url": reverse("home"), "label": _("Home")},
                {"url": "", "label": _("Search territories")},
            ],
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
