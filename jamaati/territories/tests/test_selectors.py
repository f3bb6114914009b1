import pytest
from django.http import Http404

from jamaati.territories.models import Level
from jamaati.territories.selectors import (
    territory_ancestors,
    territory_boundary_geojson,
    territory_children,
    territory_get_by_code,
    territory_lookup,
    territory_lookup_many,
    territory_regions,
    territory_search,
)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Tetouan", "01.571.01.11"),
        ("tétouan", "01.571.01.11"),
        ("TETOUAN", "01.571.01.11"),
        ("تطوان", "01.571.01.11"),
        ("تِطْوَان", "01.571.01.11"),
        ("Errachidia", "08.201.01.05"),
        ("الرشيدية", "08.201.01.05"),
        ("الرشيديّة", "08.201.01.05"),
        ("الرشيديه", "08.201.01.05"),
        ("Sidi Kacem", "04.481.01.11"),
        ("سيدي قاسم", "04.481.01.11"),
        ("Marrakech", "07.351.01.0"),
        ("مراكش", "07.351.01.0"),
    ],
)
def test_search_finds_the_commune_first_whatever_the_spelling(territories, query, code):
    results = territory_search(query=query)
    assert results, query
    assert results[0].code == code
    assert results[0].level == Level.COMMUNE


def test_search_lists_communes_before_the_province_of_the_same_name(territories):
    results = territory_search(query="Tetouan")
    levels = [r.level for r in results if r.name_fr == "Tétouan"]
    assert levels[:2] == [Level.COMMUNE, Level.PROVINCE]


def test_search_matches_every_word_in_any_order_and_by_prefix(territories):
    codes = [r.code for r in territory_search(query="kacem sidi")]
    assert "04.481.01.11" in codes
    assert any(r.name_fr.startswith("Hassan") for r in territory_search(query="hass"))


def test_search_finds_an_arrondissement_by_its_former_name(territories):
    # The 2014 boundaries call the Médina of Marrakech "Marrakech-Médina" as HCP does; Rabat's
    # Agdal Riyad is found by a word inside its name.
    assert territory_search(query="riyad")[0].code == "04.421.01.01"


def test_search_is_limited_and_ignores_empty_queries(territories):
    assert len(territory_search(query="a", limit=3)) == 3
    assert territory_search(query="  -- ") == []
    assert territory_search(query="zzzzzz") == []


def test_regions_and_children_follow_the_hierarchy(territories):
    assert [r.code for r in territory_regions()] == ["01", "04", "06", "07", "08"]
    rabat_region = territory_get_by_code(code="04")
    assert [p.code for p in territory_children(territory=rabat_region)] == ["04.421", "04.481"]
    rabat = territory_get_by_code(code="04.421")
    assert [c.code for c in territory_children(territory=rabat)] == ["04.421.01.0", "04.421.01.07"]
    city = territory_get_by_code(code="04.421.01.0")
    assert len(territory_children(territory=city)) == 5
    prefecture = territory_get_by_code(code="06.141.01.00")
    assert {c.level for c in territory_children(territory=prefecture)} == {Level.ARRONDISSEMENT}
    assert list(territory_children(territory=territory_get_by_code(code="04.421.01.05"))) == []


def test_ancestors_run_from_the_region_down(territories):
    hassan = territory_get_by_code(code="04.421.01.05")
    assert [a.code for a in territory_ancestors(territory=hassan)] == [
        "04",
        "04.421",
        "04.421.01.0",
    ]


def test_an_unknown_code_is_a_404(territories):
    with pytest.raises(Http404):
        territory_get_by_code(code="99.999")


def test_lookups_cost_no_query_once_the_index_is_built(territories, django_assert_num_queries):
    territory_lookup_many(lats=[34.0209], lons=[-6.8416])  # builds the index
    with django_assert_num_queries(0):
        assert territory_lookup(lat=35.5785, lon=-5.3684).commune.name_fr == "Tétouan"
        found = territory_lookup_many(lats=[34.0209, 31.6295, 0.0], lons=[-6.8416, -7.9811, 0.0])
    assert [f.commune.name_fr if f else None for f in found] == ["Rabat", "Marrakech", None]


def test_the_boundary_is_simplified_geojson(territories):
    region = territory_get_by_code(code="04")
    feature = territory_boundary_geojson(territory=region)
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert feature["properties"]["code"] == "04"
    assert len(feature["bbox"]) == 4
