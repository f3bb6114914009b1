import pytest
from django.utils import translation
from django.utils.translation import gettext

API = "/api/v1/territories"
REF_KEYS = {"code", "slug", "level", "name_ar", "name_fr"}


def test_it_lists_the_regions(client, territories):
    response = client.get(f"{API}/regions")
    assert response.status_code == 200
    body = response.json()
    assert [r["code"] for r in body] == ["01", "04", "06", "07", "08"]
    assert set(body[0]) == REF_KEYS | {"kind", "population_2024"}
    assert body[1]["name_ar"] == "الرباط-سلا-القنيطرة"


def test_it_lists_the_provinces_of_a_region_and_the_communes_of_a_province(client, territories):
    provinces = client.get(f"{API}/regions/08/provinces").json()
    assert [p["name_fr"] for p in provinces] == ["Errachidia"]
    communes = client.get(f"{API}/provinces/08.201/communes").json()
    assert "Errachidia" in [c["name_fr"] for c in communes]
    assert {c["level"] for c in communes} == {"commune"}
    arrondissements = client.get(f"{API}/provinces/06.141.01.10/communes").json()
    assert [a["name_fr"] for a in arrondissements] == ["Al-Fida", "Mers-Sultan"]


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/regions/99/provinces",
        f"{API}/regions/08.201/provinces",  # a province is not a region
        f"{API}/provinces/08/communes",
        f"{API}/99.999",
        f"{API}/99.999/boundary",
    ],
)
def test_an_unknown_or_wrong_level_code_is_a_json_404(client, territories, url):
    response = client.get(url)
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)


def test_lookup_returns_region_province_commune_and_arrondissement(client, territories):
    response = client.get(f"{API}/lookup", {"lat": "34.0209", "lon": "-6.8416"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "region",
        "province",
        "commune",
        "arrondissement",
        "prefecture_of_arrondissements",
    }
    assert body["region"]["name_fr"] == "Rabat-Salé-Kénitra"
    assert body["province"]["name_fr"] == "Rabat"
    assert body["commune"]["name_fr"] == "Rabat"
    assert body["arrondissement"] == {
        "code": "04.421.01.05",
        "slug": "hassan",
        "level": "arrondissement",
        "name_ar": "حسان",
        "name_fr": "Hassan",
    }
    assert body["prefecture_of_arrondissements"] is None


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [(None, "ar"), ("fr-MA,fr;q=0.9", "fr")],  # Arabic by default, else the client's language
)
def test_lookup_outside_morocco_is_a_clear_404(client, territories, accept_language, language):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = client.get(f"{API}/lookup", {"lat": "36.5", "lon": "-4.0"}, headers=headers)
    assert response.status_code == 404
    with translation.override(language):
        outside = gettext("This point is not inside any commune of Morocco.")
    assert response.json()["detail"] == outside


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "91", "lon": "-6"},
        {"lat": "34", "lon": "-181"},
        {"lat": "abc", "lon": "-6"},
        {"lat": "nan", "lon": "-6"},
        {"lat": "inf", "lon": "-6"},
        {"lat": "34"},
        {},
    ],
)
def test_lookup_refuses_bad_coordinates_with_422(client, territories, params):
    response = client.get(f"{API}/lookup", params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_search_is_tolerant_and_puts_communes_first(client, territories):
    for query in ("Tetouan", "tétouan", "تطوان", "تِطْوَان"):
        body = client.get(f"{API}/search", {"q": query}).json()
        assert body[0]["code"] == "01.571.01.11", query
        assert body[0]["level"] == "commune"
    assert len(client.get(f"{API}/search", {"q": "a", "limit": 2}).json()) == 2


def test_search_refuses_an_empty_or_oversized_request(client, territories):
    assert client.get(f"{API}/search", {"q": ""}).status_code == 422
    assert client.get(f"{API}/search", {"q": "x" * 101}).status_code == 422
    assert client.get(f"{API}/search", {"q": "rabat", "limit": 500}).status_code == 422


def test_detail_shows_the_ancestors(client, territories):
    body = client.get(f"{API}/06.141.01.13").json()
    assert body["level"] == "arrondissement"
    assert body["commune"]["code"] == "06.141.01.0"
    assert body["prefecture_of_arrondissements"]["code"] == "06.141.01.10"
    assert body["province"]["code"] == "06.141.01.10"
    assert body["region"]["code"] == "06"
    assert body["cercle"] is None
    assert len(body["bbox"]) == 4
    assert body["bbox"][1] < body["centroid"]["lat"] < body["bbox"][3]
    assert body["name_zgh"] is None


def test_boundary_is_geojson(client, territories):
    response = client.get(f"{API}/04.421.01.05/boundary")
    assert response.status_code == 200
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["name_fr"] == "Hassan"
