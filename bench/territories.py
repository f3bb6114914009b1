"""Benchmark of the point-in-commune lookup (see bench/README.md).

    .venv/bin/python bench/territories.py            # 10,000 points, 5 repeats
    .venv/bin/python bench/territories.py --smoke    # a small, fast run (CI)

Runs against the database configured by the settings (DATABASE_URL), migrating it and
loading the territories first if they are missing. Measures in one run:

a) our in-process lookup (`geo.locate` per point, and `geo.locate_many` on the batch);
b) a bare `STRtree.query(points, predicate="intersects")` over the same polygons, the
   baseline (it finds candidates but does not settle overlaps or map to territories);
c) the HTTP API `GET /api/v1/territories/lookup` through Django's test client (the whole
   middleware stack and the database, no network), on a bounded number of points.

Points: 90% on land, each drawn inside a random commune or arrondissement polygon (so
spread over the whole country, not weighted by area), 10% outside: the Atlantic,
the Mediterranean, Algeria and Mauritania.
"""

import argparse
import logging
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamaati.settings")
os.environ.setdefault("DEBUG", "1")  # the demo defaults; query logging is switched off below

import django

django.setup()

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from jamaati.territories import geo  # noqa: E402
from jamaati.territories.models import Level, Territory  # noqa: E402
from jamaati.territories.services import territories_load  # noqa: E402

OUTSIDE_BOXES = [  # (min_lat, max_lat, min_lon, max_lon)
    (30.0, 34.0, -13.5, -10.5),  # the Atlantic off Agadir, Safi and Casablanca
    (36.2, 37.5, -4.5, -1.0),  # the Mediterranean and southern Spain
    (30.0, 34.0, 0.0, 3.0),  # Algeria
    (16.0, 20.5, -12.0, -6.0),  # Mauritania
]


def ensure_territories() -> None:
    call_command("migrate", verbosity=0)
    complete = (
        Territory.objects.filter(level=Level.COMMUNE, boundary_wkb__isnull=False).count() >= 1503
    )
    if not complete:
        print("Loading the territories (missing from this database)...")
        territories_load(progress=True)
        geo.index_invalidate()


def sample_points(index: geo.PointIndex, size: int, rng: np.random.Generator):
    """Points inside random polygons (90%) and in boxes outside Morocco (10%)."""
    on_land = size - size // 10
    polygons = rng.integers(0, len(index), on_land)
    lats = np.empty(on_land)
    lons = np.empty(on_land)
    for position, polygon_index in enumerate(polygons):
        polygon = index.geometries[polygon_index]
        min_lon, min_lat, max_lon, max_lat = polygon.bounds
        while True:
            lon, lat = rng.uniform(min_lon, max_lon, 32), rng.uniform(min_lat, max_lat, 32)
            inside = np.flatnonzero(shapely.contains_xy(polygon, lon, lat))
            if len(inside):
                lats[position], lons[position] = lat[inside[0]], lon[inside[0]]
                break
    outside = size - on_land
    boxes = rng.integers(0, len(OUTSIDE_BOXES), outside)
    out_lats = np.array([rng.uniform(*OUTSIDE_BOXES[b][0:2]) for b in boxes])
    out_lons = np.array([rng.uniform(*OUTSIDE_BOXES[b][2:4]) for b in boxes])
    lats = np.concatenate([lats, out_lats])
    lons = np.concatenate([lons, out_lons])
    order = rng.permutation(size)
    return lats[order], lons[order], on_land


def timed(function, repeats: int) -> float:
    """The median wall time of `repeats` calls."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny run, for CI")
    parser.add_argument("--points", type=int, help="number of points (default 10,000; smoke 500)")
    parser.add_argument("--repeats", type=int, help="repeats per measure (default 5; smoke 2)")
    parser.add_argument(
        "--api-requests", type=int, help="API requests per repeat (default 1,000; smoke 50)"
    )
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    size = args.points or (500 if args.smoke else 10_000)
    repeats = args.repeats or (2 if args.smoke else 5)
    api_requests = min(args.api_requests or (50 if args.smoke else 1_000), size)

    ensure_territories()
    settings.DEBUG = False  # no query log: measure what production runs
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s outside Morocco
    build_started = time.perf_counter()
    geo.index_invalidate()
    index = geo.index_get()
    build_seconds = time.perf_counter() - build_started

    rng = np.random.default_rng(args.seed)
    lats, lons, on_land = sample_points(index, size, rng)
    found = index.locate_indices(lats, lons)  # also warms up every prepared polygon
    resolved = int((found >= 0).sum())

    # (a) ours: one call per point, then the batch.
    def single():
        locate = geo.locate
        for lat, lon in zip(lats.tolist(), lons.tolist(), strict=True):
            locate(lat, lon)

    single_seconds = timed(single, repeats)
    batch_seconds = timed(lambda: geo.locate_many(lats, lons), repeats)

    # (b) baseline: a bare STRtree over the same (unprepared) polygons.
    bare_geometries = shapely.from_wkb(shapely.to_wkb(index.geometries))
    bare_tree = shapely.STRtree(bare_geometries)
    baseline_seconds = timed(
        lambda: bare_tree.query(shapely.points(lons, lats), predicate="intersects"), repeats
    )

    # (c) the API, through the whole Django stack.
    client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip("."))
    api_lats, api_lons = lats[:api_requests].tolist(), lons[:api_requests].tolist()
    statuses: dict[int, int] = {}

    def api():
        for lat, lon in zip(api_lats, api_lons, strict=True):
            response = client.get("/api/v1/territories/lookup", {"lat": lat, "lon": lon})
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    api_seconds = timed(api, repeats)

    baseline_rate = size / baseline_seconds
    rows = [
        ("ours, one call per point (geo.locate)", size / single_seconds),
        ("ours, batch (geo.locate_many)", size / batch_seconds),
        ("baseline, bare STRtree.query(points, 'intersects')", baseline_rate),
        ("API GET /api/v1/territories/lookup (test client)", api_requests / api_seconds),
    ]
    print()
    print(
        f"Territory lookup benchmark: {size:,} points ({on_land:,} on land), "
        f"{repeats} repeats, medians; {len(index):,} polygons indexed in {build_seconds * 1000:.0f} ms"
    )
    print(
        f"database {connection.vendor}, Python {platform.python_version()}, "
        f"shapely {shapely.__version__}, {os.cpu_count()} CPUs"
    )
    print(f"{'measure':55} {'points/s':>12} {'vs baseline':>12}")
    for label, rate in rows:
        print(f"{label:55} {rate:12,.0f} {rate / baseline_rate:11.2f}x")
    print(
        f"API: {api_requests:,} requests per repeat, median {api_seconds / api_requests * 1e6:,.0f} µs each"
    )
    print(
        f"resolved to a commune: {resolved:,} of {size:,}; API statuses {dict(sorted(statuses.items()))}"
    )
    expected_statuses = {200, 404}
    if resolved < on_land * 0.99 or resolved > on_land or not set(statuses) <= expected_statuses:
        print("UNEXPECTED: the lookup did not resolve the land points as it should.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
