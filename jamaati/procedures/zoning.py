"""The zoning layer of urban plans: which zones a parcel or a point falls in, and their rules.

Zones are rows (`ZoningPlan`, `Zone`) with GeoJSON polygons; this module reads them with
shapely. An urbanism information note is generated from `zoning_for_geometry`.
Plans are small (tens of zones), so the polygons of the plans in force are loaded once per
call; a plan with thousands of zones would want an STRtree cached per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from jamaati.procedures.forms_engine.answers import polygon_area_m2
from jamaati.procedures.models import Zone, ZoningPlan

# Keys of the uses a zone may allow, with their translated names.
USES = {
    "housing": _("Housing"),
    "commerce": _("Shops"),
    "offices": _("Offices"),
    "crafts": _("Crafts"),
    "industry": _("Industry"),
    "tourism": _("Tourism"),
    "facilities": _("Public facilities"),
    "green": _("Green space"),
    "agriculture": _("Agriculture"),
}


@dataclass(frozen=True)
class ZoneMatch:
    """A zone touched by a parcel: the zone, and the share of the parcel inside it (0–1)."""

    zone: Zone
    share: float
    area_m2: float

    @property
    def max_buildable_floor_area_m2(self) -> Decimal | None:
        """Plot ratio × the parcel's area in this zone: the floor area the rules allow."""
        if self.zone.plot_ratio is None:
            return None
        return (self.zone.plot_ratio * Decimal(str(round(self.area_m2, 2)))).quantize(Decimal("1"))


def geometry_from_answer(value: dict[str, Any]) -> BaseGeometry:
    """A shapely geometry from a form answer: a map point {"lat", "lon"} or a GeoJSON Polygon."""
    if "lat" in value and "lon" in value:
        return Point(value["lon"], value["lat"])
    return shape(value)


def zones_in_force(*, organisation=None):
    queryset = Zone.objects.filter(plan__is_active=True).select_related("plan")
    if organisation is not None:
        queryset = queryset.filter(plan__organisation=organisation)
    return queryset.order_by("plan__slug", "code")


def zoning_for_geometry(
    geometry: BaseGeometry | dict[str, Any], *, organisation=None
) -> list[ZoneMatch]:
    """The zones of the plans in force that a parcel (or point) touches, largest share first."""
    if isinstance(geometry, dict):
        geometry = geometry_from_answer(geometry)
    matches = []
    for zone in zones_in_force(organisation=organisation):
        polygon = shape(zone.geometry)
        if not polygon.intersects(geometry):
            continue
        if geometry.geom_type == "Point":
            matches.append(ZoneMatch(zone=zone, share=1.0, area_m2=0.0))
            continue
        inside = polygon.intersection(geometry)
        if inside.area == 0:
            continue  # only the outlines touch
        matches.append(
            ZoneMatch(
                zone=zone,
                share=inside.area / geometry.area,
                area_m2=polygon_area_m2(inside),
            )
        )
    return sorted(matches, key=lambda match: (-match.share, match.zone.code))


def zoning_plans(*, organisation=None):
    queryset = ZoningPlan.objects.filter(is_active=True)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset.order_by("slug")


def zoning_geojson(*, plan: ZoningPlan, language: str = "ar") -> dict[str, Any]:
    """A plan's zones as a GeoJSON FeatureCollection for a map layer."""
    features = []
    for zone in plan.zones.order_by("code"):
        features.append(
            {
                "type": "Feature",
                "geometry": zone.geometry,
                "properties": {
                    "code": zone.code,
                    "name": getattr(zone, f"name_{language}", "") or zone.name,
                    "allowed_uses": zone.allowed_uses,
                    "max_height_m": str(zone.max_height_m)
                    if zone.max_height_m is not None
                    else None,
                    "max_floors": zone.max_floors,
                    "plot_ratio": str(zone.plot_ratio) if zone.plot_ratio is not None else None,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def urbanism_note_zones(*, application) -> list[ZoneMatch]:
    """The zones of the parcel (or point) an application gives: what its urbanism note states.

    The first parcel field answered wins, then the first map point; no place gives no zones.
    Plans of the application's organisation are read first; with none, every plan in force.
    """
    from jamaati.procedures.forms_engine import schema as fs

    if application.form_version_id is None:
        return []
    fields = fs.flat_fields(application.form_version.schema)
    for kind in (fs.PARCEL, fs.MAP_POINT):
        for field in fields:
            value = application.answers.get(field["key"])
            if field["type"] == kind and value:
                own = zoning_for_geometry(value, organisation=application.organisation)
                return own or zoning_for_geometry(value)
    return []
