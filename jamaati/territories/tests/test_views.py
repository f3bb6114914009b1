"""The public territory browser: regions, one territory, its map data, search."""

import json

import pytest
import shapely
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from jamaati.organisations.tests.factories import OrganisationFactory, OrganisationKindFactory
from jamaati.territories.models import Kind, Level, Territory
from jamaati.territories.services import territory_search_text

pytestmark = pytest.mark.django_db


def make_territory(**fields) -> Territory:
    """A territory row as the loader writes it: search text, and optionally a box outline."""
    box = fields.pop("box", None)
    territory = Territory(slug=fields.pop("slug", fields["code"].replace(".", "-")), **fields)
    territory.search_text = territory_search_text(territory.name_fr, territory.name_ar)
    if box:
        territory.boundary_wkb = shapely.box(*box).wkb
        (
            territory.bbox_min_lon,
            territory.bbox_min_lat,
            territory.bbox_max_lon,
            territory.bbox_max_lat,
        ) = box
    territory.save()
    return territory


def translated(language: str, msgid: str, **params) -> str:
    """`msgid` as a page in `language` says it, compiled catalogues or not.

    Escape it where the page prints it from a variable; `{% translate "..." %}` prints it as is.
    """
    with translation.override(language):
        message = gettext(msgid)
    return message % params if params else message


@pytest.fixture
def tree():
    region = make_territory(
        level=Level.REGION,
        code="01",
        name_ar="جهة طنجة تطوان الحسيمة",
        name_fr="Tanger-Tétouan-Al Hoceima",
        population_2024=4030222,
        box=(-6.5, 34.5, -4.5, 36.0),
    )
    province = make_territory(
        level=Level.PROVINCE,
        kind=Kind.PREFECTURE,
        code="01.511",
        name_ar="عمالة طنجة أصيلة",
        name_fr="Tanger-Assilah",
        region=region,
        population_2024=1494413,
        box=(-6.0, 35.5, -5.6, 35.9),
    )
    commune = make_territory(
        level=Level.COMMUNE,
        kind=Kind.URBAN,
        code="01.511.01.0",
        name_ar="طنجة",
        name_fr="Tanger",
        name_zgh="ⵟⴰⵏⵊⴰ",
        region=region,
        province=province,
        population_2024=1275428,
        box=(-5.9, 35.7, -5.7, 35.8),
    )
    rural = make_territory(
        level=Level.COMMUNE,
        kind=Kind.RURAL,
        code="01.511.05.03",
        name_ar="أصيلة",
        name_fr="Asilah Rurale",
        region=region,
        province=province,
    )
    arrondissement = make_territory(
        level=Level.ARRONDISSEMENT,
        code="01.511.01.05",
        name_ar="مغوغة",
        name_fr="Mghogha",
        region=region,
        province=province,
        commune=commune,
        population_2024=252656,
        box=(-5.8, 35.72, -5.75, 35.76),
    )
    return {
        "region": region,
        "province": province,
        "commune": commune,
        "rural": rural,
        "arrondissement": arrondissement,
    }


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_regions_page_lists_the_regions(client, tree, language):
    response = client.get(f"/{language}/territories/")
    html = response.content.decode()
    assert response.status_code == 200
    assert tree["region"].__dict__[f"name_{language}"] in html
    assert reverse("territories:detail", kwargs={"code": "01"}) in html
    assert "Tanger-Assilah" not in html  # provinces are one level down


def test_the_regions_page_needs_one_query(client, tree, django_assert_num_queries):
    make_territory(level=Level.REGION, code="02", name_ar="الشرق", name_fr="Oriental")
    with django_assert_num_queries(1):
        assert client.get("/ar/territories/").status_code == 200


def test_a_region_page_lists_its_provinces_and_prefectures(client, tree):
    html = client.get("/fr/territories/01/").content.decode()
    title = escape(translated("fr", "Provinces and prefectures"))
    assert f'id="children-title">{title}</h2>' in html
    assert 'href="/fr/territories/01.511/"' in html
    assert 'href="/fr/territories/01.511.01.0/"' not in html


def test_a_province_page_lists_its_communes(client, tree):
    html = client.get("/ar/territories/01.511/").content.decode()
    assert 'href="/ar/territories/01.511.01.0/"' in html
    assert 'href="/ar/territories/01.511.05.03/"' in html
    assert 'href="/ar/territories/01.511.01.05/"' not in html


@pytest.mark.parametrize(
    ("language", "population"), [("ar", "1.275.428"), ("fr", "1\u202f275\u202f428")]
)
def test_a_commune_page_shows_its_names_population_code_and_arrondissements(
    client, tree, language, population
):
    response = client.get(f"/{language}/territories/01.511.01.0/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<dd><bdi lang="ar">طنجة</bdi></dd>' in html
    assert '<dd><bdi lang="fr">Tanger</bdi></dd>' in html
    assert '<dd><bdi lang="zgh">ⵟⴰⵏⵊⴰ</bdi></dd>' in html
    assert "01.511.01.0" in html
    assert f'<dd><span class="jm-ltr">{population}</span></dd>' in html
    assert f'href="/{language}/territories/01.511.01.05/"' in html


def test_a_territory_without_tifinagh_name_shows_no_empty_tifinagh_line(client, tree):
    html = client.get("/fr/territories/01.511/").content.decode()
    assert '<bdi lang="zgh"></bdi>' not in html
    assert 'lang="zgh">' not in html.split("<main", 1)[1]


def test_the_breadcrumbs_lead_back_through_every_ancestor(client, tree):
    html = client.get("/fr/territories/01.511.01.05/").content.decode()
    crumbs = html[html.index('<ol class="breadcrumb">') : html.index("</ol>")]
    positions = [
        crumbs.index(f'href="/fr/territories/{code}/"') for code in ("01", "01.511", "01.511.01.0")
    ]
    assert positions == sorted(positions)
    assert 'aria-current="page">Mghogha</li>' in crumbs


def test_a_prefecture_of_arrondissements_lists_its_arrondissements(client):
    region = make_territory(
        level=Level.REGION, code="06", name_ar="الدار البيضاء سطات", name_fr="Casablanca-Settat"
    )
    prefecture = make_territory(
        level=Level.PROVINCE,
        kind=Kind.PREFECTURE,
        code="06.141",
        name_ar="الدار البيضاء",
        name_fr="Casablanca",
        region=region,
    )
    casablanca = make_territory(
        level=Level.COMMUNE,
        kind=Kind.URBAN,
        code="06.141.01.0",
        name_ar="الدار البيضاء",
        name_fr="Casablanca",
        region=region,
        province=prefecture,
    )
    anfa = make_territory(
        level=Level.PROVINCE,
        kind=Kind.PREFECTURE_OF_ARRONDISSEMENTS,
        code="06.141.01.00",
        name_ar="الدار البيضاء أنفا",
        name_fr="Casablanca-Anfa",
        region=region,
    )
    make_territory(
        level=Level.ARRONDISSEMENT,
        code="06.141.01.01",
        name_ar="أنفا",
        name_fr="Anfa",
        region=region,
        province=anfa,
        commune=casablanca,
        district=anfa,
    )

    region_html = client.get("/fr/territories/06/").content.decode()
    anfa_html = client.get("/fr/territories/06.141.01.00/").content.decode()
    arrondissement_html = client.get("/fr/territories/06.141.01.01/").content.decode()

    assert 'href="/fr/territories/06.141.01.00/"' in region_html
    assert 'href="/fr/territories/06.141.01.01/"' in anfa_html
    crumbs = arrondissement_html[arrondissement_html.index('<ol class="breadcrumb">') :]
    for code in ("06", "06.141.01.00", "06.141.01.0"):
        assert f'href="/fr/territories/{code}/"' in crumbs


def test_a_territory_page_lists_the_organisations_serving_it(client, tree):
    council = OrganisationFactory(
        slug="tanger",
        name_fr="Commune de Tanger",
        seat=tree["commune"],
        territories=[tree["commune"]],
    )
    region_council = OrganisationFactory(
        slug="region-tth",
        name_fr="Conseil de la région TTH",
        kind=OrganisationKindFactory(slug="region-council"),
        territories=[tree["region"]],
    )
    agency = OrganisationFactory(
        slug="cleanco",
        name_fr="Propreté Tanger",
        kind=OrganisationKindFactory(
            slug="concession", name_fr="Délégataire", is_collectivity=False
        ),
        territories=[tree["province"]],
    )
    elsewhere = OrganisationFactory(
        slug="other", name_fr="Commune ailleurs", territories=[tree["rural"]]
    )
    closed = OrganisationFactory(
        slug="closed", name_fr="Commune fermée", is_active=False, territories=[tree["commune"]]
    )

    html = client.get("/fr/territories/01.511.01.05/").content.decode()

    for shown in (council, region_council, agency):
        assert f'href="{shown.get_absolute_url()}"' in html
    for hidden in (elsewhere, closed):
        assert hidden.name_fr not in html
    assert html.index(council.name_fr) < html.index(agency.name_fr)  # councils first


def test_a_territory_page_needs_four_queries(client, tree, django_assert_num_queries):
    # The territory, its ancestors, its children, the organisations serving it.
    OrganisationFactory(slug="tanger", seat=tree["commune"], territories=[tree["commune"]])
    with django_assert_num_queries(4):
        assert client.get("/ar/territories/01.511/").status_code == 200


def test_an_unknown_territory_is_not_found(client, tree):
    assert client.get("/fr/territories/99.999/").status_code == 404
    assert client.get("/fr/territories/99.999/map.geojson").status_code == 404


def test_the_map_is_offered_with_its_no_tile_notice_only_where_a_boundary_exists(client, tree):
    with_boundary = client.get("/fr/territories/01.511.01.0/").content.decode()
    without = client.get("/fr/territories/01.511.05.03/").content.decode()

    assert 'data-geojson-url="/fr/territories/01.511.01.0/map.geojson"' in with_boundary
    assert "leaflet.js" in with_boundary
    no_tiles = translated(
        "fr",
        "This map draws boundaries only: there is no background map (no tile server)."
        " The list on this page has the same territories.",
    )
    assert no_tiles in with_boundary
    assert "leaflet.js" not in without
    assert "data-geojson-url" not in without


def test_the_map_data_holds_the_territory_and_its_children(client, tree):
    response = client.get("/fr/territories/01.511/map.geojson")
    data = json.loads(response.content)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection"
    by_code = {f["properties"]["code"]: f for f in data["features"]}
    assert by_code["01.511"]["properties"]["role"] == "self"
    assert by_code["01.511.01.0"]["properties"] == {
        "code": "01.511.01.0",
        "name": "Tanger",
        "role": "child",
        "url": "/fr/territories/01.511.01.0/",
    }
    assert "01.511.05.03" not in by_code  # no boundary: nothing to draw
    ring = by_code["01.511.01.0"]["geometry"]["coordinates"][0]
    assert {tuple(point) for point in ring} >= {(-5.9, 35.7), (-5.7, 35.8)}


def test_the_map_data_names_follow_the_page_language(client, tree):
    data = json.loads(client.get("/ar/territories/01.511/map.geojson").content)
    names = {f["properties"]["code"]: f["properties"]["name"] for f in data["features"]}
    assert names["01.511.01.0"] == "طنجة"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tanger", "01.511.01.0"),  # no capital
        ("Tétouan", "01"),  # with the accent
        ("tetouan", "01"),  # without it
        ("اصيلة", "01.511.05.03"),  # typed without the hamza
        ("01.511", "01.511"),  # an HCP code
    ],
)
def test_the_search_finds_territories_by_name_or_code(client, tree, query, expected):
    response = client.get("/fr/territories/search/", {"q": query})
    assert response.status_code == 200
    assert f'href="/fr/territories/{expected}/"' in response.content.decode()


def test_the_search_says_so_when_nothing_matches(client, tree):
    html = client.get("/fr/territories/search/", {"q": "Zzyzx"}).content.decode()
    assert "Zzyzx" in html
    assert "/fr/territories/01/" not in html.split('id="search-results"')[1]


def test_the_search_refuses_a_one_letter_query_with_a_clear_error(client, tree):
    html = client.get("/fr/territories/search/", {"q": "t"}).content.decode()
    assert 'aria-invalid="true"' in html
    too_short = translated("fr", "Type at least %(limit_value)d characters.", limit_value=2)
    assert escape(too_short) in html


def test_the_search_page_without_a_query_shows_the_form_and_no_error(client, tree):
    html = client.get("/ar/territories/search/").content.decode()
    assert 'name="q"' in html
    assert 'aria-invalid="true"' not in html


def test_the_search_answers_htmx_with_the_results_only(client, tree):
    response = client.get("/fr/territories/search/", {"q": "tanger"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'href="/fr/territories/01.511.01.0/"' in html


def test_the_search_gives_the_whole_page_to_an_htmx_history_restore(client, tree):
    response = client.get(
        "/fr/territories/search/",
        {"q": "tanger"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_the_search_needs_three_queries(client, tree, django_assert_num_queries):
    # The matches, then their regions and provinces in one query each.
    make_territory(
        level=Level.COMMUNE,
        kind=Kind.RURAL,
        code="01.511.05.07",
        name_ar="طنجة القديمة",
        name_fr="Tanger Vieux",
        region=tree["region"],
        province=tree["province"],
    )
    with django_assert_num_queries(3):
        assert client.get("/fr/territories/search/", {"q": "tanger"}).status_code == 200
