"""The public territory browser: regions, one territory with its children and map, search."""

from __future__ import annotations

import shapely
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET
from shapely.geometry import mapping

from jamaati.core.text import search_key
from jamaati.organisations.selectors import organisations_covering
from jamaati.territories.forms import TerritorySearchForm
from jamaati.territories.models import Kind, Level, Territory

SEARCH_LIMIT = 50
# Lists never need the polygons: a region's boundary alone is tens of kilobytes.
_HEAVY = ("boundary_wkb", "search_text")


def _territories() -> QuerySet[Territory]:
    return Territory.objects.defer(*_HEAVY)


def _children(territory: Territory) -> QuerySet[Territory]:
    """The territories one step inside `territory`, as the browser lists them."""
    qs = _territories()
    if territory.level == Level.REGION:
        # Casablanca and its Méchouar have no province in HCP 2024: list them under the region.
        return qs.filter(
            Q(level=Level.PROVINCE, region=territory)
            | Q(level=Level.COMMUNE, region=territory, province__isnull=True)
        ).order_by("level", "code")
    if territory.level == Level.PROVINCE:
        if territory.kind == Kind.PREFECTURE_OF_ARRONDISSEMENTS:
            return qs.filter(level=Level.ARRONDISSEMENT, district=territory).order_by("code")
        return qs.filter(level=Level.COMMUNE, province=territory).order_by("code")
    if territory.level == Level.CERCLE:
        return qs.filter(level=Level.COMMUNE, cercle=territory).order_by("code")
    if territory.level == Level.COMMUNE:
        return qs.filter(level=Level.ARRONDISSEMENT, commune=territory).order_by("code")
    return qs.none()


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
    """Home, the regions, then the ancestors of `territory` (fetched with select_related)."""
    chain = [territory.region, territory.province, territory.commune]
    ancestors = [t for t in chain if t is not None and t.pk != territory.pk]
    return [
        *_root_breadcrumbs(),
        *(
            {"url": reverse("territories:detail", kwargs={"code": t.code}), "label": t.name}
            for t in ancestors
        ),
        {"url": "", "label": territory.name},
    ]


@require_GET
def region_list(request: HttpRequest) -> HttpResponse:
    regions = _territories().filter(level=Level.REGION).order_by("code")
    breadcrumbs = _root_breadcrumbs()
    return render(
        request, "territories/region_list.html", {"regions": regions, "breadcrumbs": breadcrumbs}
    )


@require_GET
def territory_detail(request: HttpRequest, code: str) -> HttpResponse:
    territory = get_object_or_404(
        _territories()
        .select_related("region", "province", "commune")
        .defer(
            *(f"{rel}__{field}" for rel in ("region", "province", "commune") for field in _HEAVY)
        )
        .annotate(
            has_boundary=ExpressionWrapper(
                Q(boundary_wkb__isnull=False), output_field=BooleanField()
            )
        ),
        code=code,
    )
    children = list(_children(territory))
    organisations = list(organisations_covering(territory=territory))
    return render(
        request,
        "territories/territory_detail.html",
        {
            "territory": territory,
            "breadcrumbs": _breadcrumbs(territory),
            "children": children,
            "children_title": _children_title(territory),
            "children_caption": _("%(kind)s of %(name)s")
            % {"kind": _children_title(territory), "name": territory.name},
            "councils": [o for o in organisations if o.kind.is_collectivity],
            "other_organisations": [o for o in organisations if not o.kind.is_collectivity],
        },
    )


def _feature(territory: Territory, *, role: str) -> dict | None:
    if not territory.boundary_wkb:
        return None
    geometry = shapely.from_wkb(bytes(territory.boundary_wkb))
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
    """GeoJSON of a territory's boundary and its children's, named in the active language."""
    territory = get_object_or_404(Territory.objects.defer("search_text"), code=code)
    features = [_feature(territory, role="self")]
    features += [_feature(child, role="child") for child in _children(territory).defer(None)]
    return JsonResponse(
        {"type": "FeatureCollection", "features": [f for f in features if f is not None]},
        content_type="application/geo+json",
    )


def _search(query: str) -> QuerySet[Territory]:
    if query.replace(".", "").isdigit():
        match = Q(code__startswith=query) | Q(code_digits__startswith=query)
    else:
        match = (
            Q(search_text__contains=search_key(query))
            | Q(name_ar__icontains=query)
            | Q(name_fr__icontains=query)
        )
    return (
        _territories()
        .filter(match)
        .select_related("region", "province")
        .defer(*(f"{rel}__{field}" for rel in ("region", "province") for field in _HEAVY))
        .order_by("code")
    )


@require_GET
def territory_search(request: HttpRequest) -> HttpResponse:
    form = TerritorySearchForm(request.GET if "q" in request.GET else None)
    results: list[Territory] = []
    truncated = False
    if form.is_valid():
        results = list(_search(form.cleaned_data["q"])[: SEARCH_LIMIT + 1])
        truncated = len(results) > SEARCH_LIMIT
        results = results[:SEARCH_LIMIT]
    # htmx swaps in the results only; a history restore (back button, cache miss) needs the page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "territories/_search_results.html" if partial else "territories/search.html"
    response = render(
        request,
        template,
        {
            "form": form,
            "results": results,
            "truncated": truncated,
            "limit": SEARCH_LIMIT,
            "breadcrumbs": [
                {"url": reverse("home"), "label": _("Home")},
                {"url": "", "label": _("Search territories")},
            ],
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
