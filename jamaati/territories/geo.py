"""Point-in-commune lookup: which region, province, commune and arrondissement hold a point.

The index lives in the process: the commune and arrondissement polygons are
read once from the database, prepared, and put in a shapely STRtree. A
lookup is then a tree query and a prepared point-in-polygon test, with no
database round trip.

What is indexed, so that every point of Morocco falls in exactly one place:
- every arrondissement (in the six cities that have them), and every commune
  that has no arrondissements. A city commune itself is not indexed: its
  arrondissements cover it, and each knows its commune;
- the "(Centre)" urban centres of the boundary data are not separate
  polygons here: the loader merged each into the rural commune that
  administers it (see dataset.py), so a centre cannot compete with its commune;
- where two polygons still overlap (the simplified 2014 outlines of two
  neighbours may cross), the smallest polygon wins, then the lowest HCP
  code: a deterministic choice that favours the more precise outline.

The index also keeps the few columns of the territories it returns (LOOKUP_FIELDS), so a
lookup costs no query. It is dropped when the loader commits (`index_invalidate`), and every
process re-reads it at most `VERSION_CHECK_SECONDS` after another process
reloaded the territories (through the shared cache).
"""

import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely
from django.core.cache import cache

if TYPE_CHECKING:
    from jamaati.territories.models import Territory

VERSION_KEY = "territories:geo-index-version"
VERSION_CHECK_SECONDS = 30.0
GRID_CELL = 0.1  # degrees, about 10 km

# The columns kept in memory for the territories a lookup returns: enough for the API
# and for a page to name and link them, without a query per lookup.
LOOKUP_FIELDS = (
    "id",
    "code",
    "slug",
    "level",
    "kind",
    "name_ar",
    "name_fr",
    "name_en",
    "name_zgh",
    "region_id",
    "province_id",
    "cercle_id",
    "commune_id",
    "district_id",
    "population_2024",
)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a point is: the ids of the territories that hold it."""

    region_id: int | None
    province_id: int | None
    commune_id: int
    arrondissement_id: int | None
    district_id: int | None


class PointIndex:
    """Commune and arrondissement polygons in an STRtree, with one winner per point."""

    def __init__(self, rows: Sequence[tuple]) -> None:
        """Build from rows (pk, level, region_id, province_id, commune_id, district_id, code, wkb)."""
        rows = sorted(rows, key=lambda row: row[6])  # by code: a stable tie-break order
        self.placements: list[Placement] = []
        wkbs = []
        for pk, level, region_id, province_id, commune_id, district_id, _code, wkb in rows:
            if level == "arrondissement":
                placement = Placement(region_id, province_id, commune_id, pk, district_id)
            else:
                placement = Placement(region_id, province_id, pk, None, None)
            self.placements.append(placement)
            wkbs.append(bytes(wkb))
        self.geometries = shapely.from_wkb(np.array(wkbs, dtype=object))
        shapely.prepare(self.geometries)
        self.areas = shapely.area(self.geometries)
        self.tree = shapely.STRtree(self.geometries)
        # Position in the preference order (smallest area, then lowest code), for ties.
        self.rank = np.empty(len(rows), dtype=np.int64)
        self.rank[np.lexsort((np.arange(len(rows)), self.areas))] = np.arange(len(rows))
        # The territories placements point to, by id (filled by `_build`; read-only).
        self.territories: dict[int, Territory] = {}
        self._build_grid()

    def _build_grid(self) -> None:
        """A coarse grid for single-point calls: per cell, its candidate polygons.

        A cell inside exactly one polygon (and touching no other's bounding box) holds the
        answer itself, so most points need no geometry test at all. The STRtree finds the
        candidates; the grid only saves the per-call cost of building a shapely Point.
        """
        self._cells: list[int | np.ndarray | None] = []
        self._nx = self._ny = 0
        if len(self.geometries) == 0:
            return
        min_lon, min_lat, max_lon, max_lat = shapely.total_bounds(self.geometries)
        self._x0, self._y0 = float(min_lon), float(min_lat)
        self._nx = int((max_lon - min_lon) / GRID_CELL) + 1
        self._ny = int((max_lat - min_lat) / GRID_CELL) + 1
        i, j = np.meshgrid(np.arange(self._nx), np.arange(self._ny))
        x0 = self._x0 + i.ravel() * GRID_CELL
        y0 = self._y0 + j.ravel() * GRID_CELL
        cells = shapely.box(x0, y0, x0 + GRID_CELL, y0 + GRID_CELL)
        cell_idx, geom_idx = self.tree.query(cells)
        # Candidates of each cell, best-ranked first (so the first hit is the answer).
        order = np.lexsort((self.rank[geom_idx], cell_idx))
        cell_idx, geom_idx = cell_idx[order], geom_idx[order]
        starts = np.searchsorted(cell_idx, np.arange(len(cells) + 1))
        counts = np.diff(starts)
        alone = np.flatnonzero(counts == 1)
        covered = np.zeros(len(cells), dtype=bool)
        covered[alone] = shapely.contains(self.geometries[geom_idx[starts[alone]]], cells[alone])
        grid: list[int | np.ndarray | None] = []
        for cell in range(len(cells)):
            start, end = starts[cell], starts[cell + 1]
            if start == end:
                grid.append(None)
            elif covered[cell]:
                grid.append(int(geom_idx[start]))
            else:
                grid.append(geom_idx[start:end])
        self._cells = grid

    def __len__(self) -> int:
        return len(self.placements)

    def locate_index(self, lat: float, lon: float) -> int:
        """The position of the polygon holding the point, or -1."""
        if not (lat == lat and lon == lon):  # NaN
            return -1
        column = int((lon - self._x0) // GRID_CELL) if self._nx else -1
        row = int((lat - self._y0) // GRID_CELL) if self._ny else -1
        if not (0 <= column < self._nx and 0 <= row < self._ny):
            return -1
        entry = self._cells[row * self._nx + column]
        if entry is None:
            return -1
        if isinstance(entry, int):
            return entry
        hits = shapely.intersects_xy(self.geometries[entry], lon, lat)
        first = hits.argmax()
        return int(entry[first]) if hits[first] else -1

    def locate(self, lat: float, lon: float) -> Placement | None:
        """The territories holding one point, or None outside Morocco."""
        index = self.locate_index(lat, lon)
        return self.placements[index] if index >= 0 else None

    def locate_indices(self, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
        """Vectorised `locate_index`: one polygon position (or -1) per point."""
        lats = np.asarray(lats, dtype=float)
        lons = np.asarray(lons, dtype=float)
        result = np.full(len(lats), -1, dtype=np.int64)
        if len(lats) == 0:
            return result
        points_idx, geom_idx = self.tree.query(shapely.points(lons, lats))
        inside = shapely.intersects_xy(
            self.geometries[geom_idx], lons[points_idx], lats[points_idx]
        )
        points_idx, geom_idx = points_idx[inside], geom_idx[inside]
        # For each point keep the best-ranked polygon: sort by point, then rank.
        order = np.lexsort((self.rank[geom_idx], points_idx))
        points_idx, geom_idx = points_idx[order], geom_idx[order]
        first = np.ones(len(points_idx), dtype=bool)
        first[1:] = points_idx[1:] != points_idx[:-1]
        result[points_idx[first]] = geom_idx[first]
        return result

    def locate_many(self, lats: Sequence[float], lons: Sequence[float]) -> list[Placement | None]:
        """The territories holding each point, None for points outside Morocco."""
        placements = self.placements
        return [placements[i] if i >= 0 else None for i in self.locate_indices(lats, lons).tolist()]


_lock = threading.Lock()
_index: PointIndex | None = None
_version: str | None = None
_checked_at = 0.0


def _build() -> PointIndex:
    from jamaati.territories.models import Level, Territory

    split_cities = set(
        Territory.objects.filter(
            level=Level.ARRONDISSEMENT, boundary_wkb__isnull=False
        ).values_list("commune_id", flat=True)
    )
    rows = (
        Territory.objects.filter(
            level__in=(Level.COMMUNE, Level.ARRONDISSEMENT), boundary_wkb__isnull=False
        )
        .exclude(pk__in=split_cities)
        .values_list(
            "pk",
            "level",
            "region_id",
            "province_id",
            "commune_id",
            "district_id",
            "code",
            "boundary_wkb",
        )
    )
    index = PointIndex(list(rows))
    index.territories = (
        Territory.objects.filter(
            level__in=(Level.REGION, Level.PROVINCE, Level.COMMUNE, Level.ARRONDISSEMENT)
        )
        .only(*LOOKUP_FIELDS)
        .in_bulk()
    )
    return index


def index_get() -> PointIndex:
    """The process's index, built on first use and rebuilt after the territories were reloaded."""
    global _index, _version, _checked_at
    now = time.monotonic()
    index = _index
    if index is not None and now - _checked_at < VERSION_CHECK_SECONDS:
        return index
    with _lock:
        current = cache.get(VERSION_KEY)
        if _index is None or current != _version:
            _index = _build()
            _version = current
        _checked_at = now
        return _index


def index_invalidate() -> None:
    """Drop the index here and tell other processes (through the cache) to rebuild theirs."""
    global _index, _version
    with _lock:
        _index = None
        _version = None
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def locate(lat: float, lon: float) -> Placement | None:
    """The territories holding a point (WGS84), or None outside Morocco."""
    return index_get().locate(lat, lon)


def locate_many(lats: Sequence[float], lons: Sequence[float]) -> list[Placement | None]:
    """Batch `locate`: one result per point, in order."""
    return index_get().locate_many(lats, lons)
