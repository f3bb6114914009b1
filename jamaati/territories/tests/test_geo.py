import numpy as np
import pytest
import shapely
from shapely.geometry import box

from jamaati.territories import geo
from jamaati.territories.models import Level, Territory
from jamaati.territories.selectors import territory_lookup

REFERENCE_POINTS = [
    # (lat, lon), region, province or prefecture, commune, arrondissement
    ((34.0209, -6.8416), "Rabat-Salé-Kénitra", "Rabat", "Rabat", "Hassan"),
    ((31.6295, -7.9811), "Marrakech-Safi", "Marrakech", "Marrakech", "Marrakech-Médina"),
    ((35.5785, -5.3684), "Tanger-Tétouan-Al Hoceima", "Tétouan", "Tétouan", None),
    ((31.9314, -4.4244), "Drâa-Tafilalet", "Errachidia", "Errachidia", None),
    ((34.2214, -5.7081), "Rabat-Salé-Kénitra", "Sidi Kacem", "Sidi Kacem", None),
]


@pytest.mark.parametrize(
    ("point", "region", "province", "commune", "arrondissement"), REFERENCE_POINTS
)
def test_it_finds_the_territories_of_a_reference_point(
    territories, point, region, province, commune, arrondissement
):
    found = territory_lookup(lat=point[0], lon=point[1])
    assert found is not None
    assert found.region.name_fr == region
    assert found.province.name_fr == province
    assert found.commune.name_fr == commune
    assert (found.arrondissement.name_fr if found.arrondissement else None) == arrondissement


def test_a_casablanca_point_gets_its_arrondissement_and_prefecture_of_arrondissements(territories):
    # Place Mohammed V (the Wilaya), in the arrondissement Sidi Belyout.
    found = territory_lookup(lat=33.5928, lon=-7.6192)
    assert found.commune.code == "06.141.01.0"
    assert found.arrondissement.name_fr == "Sidi Belyout"
    assert found.prefecture_of_arrondissements.name_fr == "Casablanca-Anfa"
    assert found.province == found.prefecture_of_arrondissements
    assert found.region.code == "06"


@pytest.mark.parametrize(
    "point",
    [
        (34.0, -10.0),  # the Atlantic off Rabat
        (36.5, -4.0),  # the Mediterranean
        (35.8906, -5.3164),  # Ceuta, not an HCP commune
        (0.0, 0.0),
    ],
)
def test_a_point_outside_morocco_resolves_to_nothing(territories, point):
    assert territory_lookup(lat=point[0], lon=point[1]) is None
    assert geo.locate_many([point[0]], [point[1]]) == [None]


def test_the_batch_lookup_agrees_with_single_lookups(territories):
    index = geo.index_get()
    rng = np.random.default_rng(7)
    lats = rng.uniform(31.0, 36.0, 3000)
    lons = rng.uniform(-8.5, -4.0, 3000)
    batch = index.locate_indices(lats, lons)
    single = np.array([index.locate_index(lat, lon) for lat, lon in zip(lats, lons, strict=True)])
    assert (batch == single).all()
    assert (batch >= 0).any() and (batch < 0).any()
    assert geo.locate_many(lats[:50], lons[:50]) == [
        index.locate(a, b) for a, b in zip(lats[:50], lons[:50], strict=True)
    ]


def test_a_city_is_covered_by_its_arrondissements_not_by_itself(territories):
    index = geo.index_get()
    rabat = Territory.objects.get(code="04.421.01.0")
    assert all(p.commune_id != rabat.pk or p.arrondissement_id for p in index.placements)
    indexed_cities = {p.commune_id for p in index.placements if p.arrondissement_id}
    assert rabat.pk in indexed_cities


def test_every_point_of_a_commune_with_a_centre_resolves_to_exactly_that_commune(territories):
    """Centres overlap their commune in the source; merged, they leave one answer per point."""
    index = geo.index_get()
    codes = dict(Territory.objects.values_list("pk", "code"))
    # Aoufous has an urban centre in the 2014 boundaries.
    commune = Territory.objects.get(level=Level.COMMUNE, name_fr="Aoufous")
    polygon = shapely.from_wkb(bytes(commune.boundary_wkb))
    rng = np.random.default_rng(3)
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    lons = rng.uniform(min_lon, max_lon, 4000)
    lats = rng.uniform(min_lat, max_lat, 4000)
    inside = shapely.contains_xy(polygon, lons, lats)
    found = index.locate_indices(lats[inside], lons[inside])
    found_codes = {codes[index.placements[i].commune_id] for i in found}
    # Points near the border may fall in a neighbour's (overlapping) outline, never in none.
    assert (found >= 0).all()
    assert commune.code in found_codes
    share = np.mean([codes[index.placements[i].commune_id] == commune.code for i in found])
    assert share > 0.97


def test_overlapping_polygons_resolve_to_the_smallest_then_the_lowest_code():
    big = shapely.to_wkb(box(0, 0, 10, 10))
    small = shapely.to_wkb(box(2, 2, 4, 4))
    twin = shapely.to_wkb(box(2, 2, 4, 4))
    rows = [
        (1, "commune", 100, 200, None, None, "01.001.01.01", big),
        (3, "commune", 100, 200, None, None, "01.001.01.05", twin),
        (2, "commune", 100, 200, None, None, "01.001.01.03", small),
    ]
    index = geo.PointIndex(rows)
    assert index.locate(3, 3).commune_id == 2  # smallest, and of the two equal ones the lowest code
    assert index.locate(8, 8).commune_id == 1
    assert index.locate(11, 11) is None
    assert [p.commune_id if p else None for p in index.locate_many([3, 8, 11], [3, 8, 11])] == [
        2,
        1,
        None,
    ]
    # On a shared edge too there is one answer.
    assert index.locate(4, 3).commune_id == 2


def test_the_index_is_rebuilt_after_a_reload(territories):
    first = geo.index_get()
    assert geo.index_get() is first
    geo.index_invalidate()
    assert geo.index_get() is not first


def test_an_empty_index_answers_nothing_rather_than_failing():
    index = geo.PointIndex([])
    assert index.locate(34.0, -6.8) is None
    assert index.locate_many([34.0, float("nan")], [-6.8, 1.0]) == [None, None]


def test_a_point_that_is_not_a_number_resolves_to_nothing(territories):
    assert geo.locate(float("nan"), -6.8416) is None
