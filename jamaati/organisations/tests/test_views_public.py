"""Public organisation pages: the directory, an organisation's home, its brand stylesheet."""

import pytest

from jamaati.organisations.branding import brand_palette, brand_stylesheet, contrast_ratio
from jamaati.organisations.tests.factories import (
    DepartmentFactory,
    OrganisationFactory,
    OrganisationKindFactory,
    TerritoryFactory,
)
from jamaati.territories.models import Kind, Level

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    commune = TerritoryFactory(
        level=Level.COMMUNE,
        kind=Kind.URBAN,
        code="03.281.01.01",
        name_ar="سيدي قاسم",
        name_fr="Sidi Kacem",
    )
    province = TerritoryFactory(
        level=Level.PROVINCE,
        kind=Kind.PROVINCE,
        code="03.281",
        name_ar="إقليم سيدي قاسم",
        name_fr="Province de Sidi Kacem",
    )
    organisation = OrganisationFactory(
        slug="au-sidi-kacem",
        name_ar="الوكالة الحضرية لسيدي قاسم",
        name_fr="Agence urbaine de Sidi Kacem",
        description_ar="رقمنة جميع الخدمات.",
        description_fr="Toutes nos démarches sont en ligne.",
        kind=OrganisationKindFactory(
            slug="urban-agency",
            name_ar="وكالة حضرية",
            name_fr="Agence urbaine",
            is_collectivity=False,
        ),
        primary_color="#8a1538",
        email="contact@au-sidikacem.ma",
        phone="+212 537 59 00 00",
        address="Avenue Hassan II, Sidi Kacem",
        website="https://au-sidikacem.ma",
        territories=[province, commune],
    )
    DepartmentFactory(
        organisation=organisation, slug="urbanism", name_ar="التعمير", name_fr="Urbanisme"
    )
    DepartmentFactory(
        organisation=organisation, slug="studies", name_ar="الدراسات", name_fr="Études"
    )
    return organisation


@pytest.mark.parametrize(
    ("language", "name", "kind", "description", "department"),
    [
        ("ar", "الوكالة الحضرية لسيدي قاسم", "وكالة حضرية", "رقمنة جميع الخدمات.", "التعمير"),
        (
            "fr",
            "Agence urbaine de Sidi Kacem",
            "Agence urbaine",
            "Toutes nos démarches sont en ligne.",
            "Urbanisme",
        ),
    ],
)
def test_an_organisation_home_page_renders_in_each_language(
    client, agency, language, name, kind, description, department
):
    response = client.get(f"/{language}/o/au-sidi-kacem/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="mb-0 jm-brand-text">{name}</h1>' in html
    assert kind in html
    assert description in html
    assert department in html


def test_an_organisation_home_page_lists_its_territories_and_contact(client, agency):
    html = client.get("/fr/o/au-sidi-kacem/").content.decode()
    assert 'href="/fr/territories/03.281/"' in html
    assert 'href="/fr/territories/03.281.01.01/"' in html
    assert 'href="mailto:contact@au-sidikacem.ma"' in html
    assert 'href="tel:+212537590000"' in html
    assert "Avenue Hassan II, Sidi Kacem" in html


def test_an_organisation_home_page_links_its_brand_stylesheet(client, agency):
    html = client.get("/ar/o/au-sidi-kacem/").content.decode()
    version = int(agency.updated_at.timestamp())
    assert f'<link rel="stylesheet" href="/ar/o/au-sidi-kacem/brand.css?v={version}">' in html


def test_an_organisation_home_page_needs_three_queries(client, agency, django_assert_num_queries):
    with django_assert_num_queries(3):
        assert client.get("/fr/o/au-sidi-kacem/").status_code == 200


def test_an_unknown_organisation_is_not_found(client, agency):
    assert client.get("/fr/o/no-such-body/").status_code == 404
    assert client.get("/fr/o/no-such-body/brand.css").status_code == 404


def test_an_inactive_organisation_is_not_found(client, agency):
    agency.is_active = False
    agency.save()
    assert client.get("/ar/o/au-sidi-kacem/").status_code == 404
    assert client.get("/ar/o/au-sidi-kacem/brand.css").status_code == 404


def test_the_brand_stylesheet_sets_the_colour_as_custom_properties(client, agency):
    response = client.get("/fr/o/au-sidi-kacem/brand.css")
    css = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "max-age=604800" in response["Cache-Control"]
    assert "--jamaati-brand:#8a1538;" in css
    assert "--jamaati-brand-rgb:138,21,56;" in css
    assert "--jamaati-on-brand:#ffffff;" in css


def test_a_pale_brand_colour_gets_dark_text_and_a_darker_text_variant():
    palette = brand_palette("#ffd200")  # a bright yellow
    white = (255, 255, 255)
    assert palette.on_brand == (17, 17, 17)
    assert contrast_ratio(palette.brand, palette.on_brand) >= 4.5
    assert palette.brand_text != palette.brand
    assert contrast_ratio(palette.brand_text, white) >= 4.5


def test_a_dark_brand_colour_is_used_as_is():
    palette = brand_palette("#0b6e4f")
    assert palette.on_brand == (255, 255, 255)
    assert palette.brand_text == palette.brand
    assert "--jamaati-brand-text:#0b6e4f;" in brand_stylesheet(palette)


def test_a_malformed_colour_is_refused():
    with pytest.raises(ValueError, match="#rrggbb"):
        brand_palette("red;}body{display:none")


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_directory_lists_active_organisations_by_kind(client, agency, language):
    OrganisationFactory(slug="closed", name_fr="Fermée", name_ar="مغلقة", is_active=False)
    html = client.get(f"/{language}/o/").content.decode()
    assert f'href="/{language}/o/au-sidi-kacem/"' in html
    assert "Fermée" not in html
    assert "مغلقة" not in html


def test_the_directory_needs_one_query(client, agency, django_assert_num_queries):
    OrganisationFactory.create_batch(5)
    with django_assert_num_queries(1):
        assert client.get("/ar/o/").status_code == 200
