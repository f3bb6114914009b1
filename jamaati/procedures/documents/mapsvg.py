"""A small map of a parcel over the zones of the urban plan, drawn as SVG from the geometries.

No tiles, no network: the zones and the parcel are projected to local metres (equirectangular
around the parcel, accurate to well under a metre at this scale) and written as SVG paths.
The same SVG goes into the PDF and into the site's page of the note.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from jamaati.procedures.models import Zone

METRES_PER_DEGREE = 111_320.0
WIDTH = 480
HEIGHT = 320
MARGIN = 12
# The map shows at least this many metres around the parcel, so its neighbours appear.
CONTEXT_M = 120.0
# Fill colours of the zones, in the order of their codes; chosen for contrast with black text.
PALETTE = ("#f6d5a7", "#cfe3f7", "#d8efc8", "#f3c9d9", "#e3d8f5", "#fbe9a6", "#cdeee9", "#e8e0d0")
PARCEL_COLOUR = "#b3001b"


@dataclass(frozen=True)
class ZoneColour:
    code: str
    colour: str


class _Projection:
    """Longitude/latitude to SVG pixels: north up, the same scale on both axes."""

    def __init__(self, view: tuple[float, float, float, float]) -> None:
        west, south, east, north = view
        self.west, self.north = west, north
        self.cos = math.cos(math.radians((south + north) / 2))
        width_m = (east - west) * METRES_PER_DEGREE * self.cos
        height_m = (north - south) * METRES_PER_DEGREE
        self.scale = min((WIDTH - 2 * MARGIN) / width_m, (HEIGHT - 2 * MARGIN) / height_m)
        self.offset_x = (WIDTH - width_m * self.scale) / 2
        self.offset_y = (HEIGHT - height_m * self.scale) / 2

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.west) * METRES_PER_DEGREE * self.cos * self.scale + self.offset_x
        y = (self.north - lat) * METRES_PER_DEGREE * self.scale + self.offset_y
        return round(x, 1), round(y, 1)

    def path(self, geometry: BaseGeometry) -> str:
        polygons = getattr(geometry, "geoms", [geometry])
        parts = []
        for polygon in polygons:
            if polygon.geom_type != "Polygon" or polygon.is_empty:
                continue
            for ring in (polygon.exterior, *polygon.interiors):
                points = [self.point(x, y) for x, y in ring.coords]
                parts.append("M" + " L".join(f"{x} {y}" for x, y in points[:-1]) + " Z")
        return " ".join(parts)


def _view(parcel: BaseGeometry) -> tuple[float, float, float, float]:
    """The parcel's bounds with at least CONTEXT_M metres around it, in the map's proportions."""
    west, south, east, north = parcel.bounds
    cos = math.cos(math.radians((south + north) / 2))
    pad_lat = max(CONTEXT_M / METRES_PER_DEGREE, (north - south))
    pad_lon = max(CONTEXT_M / (METRES_PER_DEGREE * cos), (east - west))
    west, south, east, north = west - pad_lon, south - pad_lat, east + pad_lon, north + pad_lat
    width_m = (east - west) * METRES_PER_DEGREE * cos
    height_m = (north - south) * METRES_PER_DEGREE
    ratio = (WIDTH - 2 * MARGIN) / (HEIGHT - 2 * MARGIN)
    if width_m / height_m < ratio:
        extra = (height_m * ratio - width_m) / 2 / (METRES_PER_DEGREE * cos)
        west, east = west - extra, east + extra
    else:
        extra = (width_m / ratio - height_m) / 2 / METRES_PER_DEGREE
        south, north = south - extra, north + extra
    return west, south, east, north


def zones_in_view(*, parcel: BaseGeometry, zones: Iterable[Zone]) -> list[Zone]:
    """The zones the map around `parcel` shows (any part inside its frame), by code."""
    frame = box(*_view(parcel))
    return sorted(
        (zone for zone in zones if shape(zone.geometry).intersects(frame)),
        key=lambda zone: zone.code,
    )


def zone_colours(zones: Iterable[Zone]) -> dict[str, str]:
    codes = sorted({zone.code for zone in zones})
    return {code: PALETTE[index % len(PALETTE)] for index, code in enumerate(codes)}


def _scale_bar_metres(metres_per_pixel: float) -> int:
    """A round length (10, 20, 50, 100… m) about a fifth of the map's width."""
    target = WIDTH / 5 * metres_per_pixel
    for length in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if length >= target * 0.6:
            return length
    return 5000


def parcel_map_svg(
    *, parcel: BaseGeometry, zones: Iterable[Zone], title: str, colours: dict[str, str]
) -> str:
    """The SVG map: the zones around the parcel (filled, with their codes) and the parcel outlined.

    `title` names the map for screen readers; `colours` maps zone codes to fills (the legend
    beside the map uses the same).
    """
    view = _view(parcel)
    projection = _Projection(view)
    frame = box(*view)
    shapes = []
    labels = []
    for zone in zones_in_view(parcel=parcel, zones=zones):
        geometry = shape(zone.geometry)
        visible = geometry.intersection(frame)
        colour = colours.get(zone.code, PALETTE[0])
        shapes.append(
            f'<path d="{projection.path(visible)}" fill="{colour}" stroke="#555" '
            f'stroke-width="1" fill-rule="evenodd"/>'
        )
        anchor = visible.representative_point()
        x, y = projection.point(anchor.x, anchor.y)
        labels.append(
            f'<text x="{x}" y="{y}" font-size="13" font-weight="700" text-anchor="middle" '
            f'fill="#222" font-family="Jamaati Sans">{escape(zone.code)}</text>'
        )
    if parcel.geom_type == "Point":
        x, y = projection.point(parcel.x, parcel.y)
        parcel_mark = (
            f'<circle cx="{x}" cy="{y}" r="7" fill="none" stroke="{PARCEL_COLOUR}" '
            f'stroke-width="3"/>'
        )
    else:
        parcel_mark = (
            f'<path d="{projection.path(parcel)}" fill="none" stroke="{PARCEL_COLOUR}" '
            f'stroke-width="3"/>'
        )
    metres_per_pixel = 1 / projection.scale
    bar_m = _scale_bar_metres(metres_per_pixel)
    bar_px = round(bar_m / metres_per_pixel, 1)
    bar_y = HEIGHT - MARGIN
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="jm-doc-map" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fafafa" stroke="#999"/>'
        + "".join(shapes)
        + parcel_mark
        + "".join(labels)
        # North arrow and scale bar: drawn in the top and bottom corners, same in every language.
        + f'<g font-family="Jamaati Sans" font-size="12" fill="#222">'
        f'<path d="M{WIDTH - 26} 48 L{WIDTH - 20} 30 L{WIDTH - 14} 48 Z" fill="#222"/>'
        f'<text x="{WIDTH - 20}" y="27" text-anchor="middle">N</text>'
        f'<rect x="{MARGIN}" y="{bar_y - 6}" width="{bar_px}" height="6" fill="#222"/>'
        f'<text x="{MARGIN}" y="{bar_y - 10}">{bar_m} m</text>'
        f"</g></svg>"
    )
