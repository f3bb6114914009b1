"""A citizen reports a problem in Arabic in a real browser, gets the code and follows it; the
same form once with JavaScript off; axe on every citizen page of service requests, in ar and fr."""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from pprint import pformat

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from jamaati.organisations.models import Organisation
from jamaati.organisations.tests.factories import (
    OrganisationFactory,
    OrganisationKindFactory,
    UserFactory,
)
from jamaati.servicerequests import services
from jamaati.servicerequests.models import Category, CategoryGroup, ServiceRequest
from jamaati.servicerequests.tests.factories import CategoryFactory
from jamaati.servicerequests.views import SESSION_REPORTED
from jamaati.territories import geo
from jamaati.territories.models import Territory
from tests.browser.conftest import LANGUAGES, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

TETOUAN_CODE = "01.571.01.11"
TETOUAN_POINT = (35.5785, -5.3684)


@dataclass
class Tetouan:
    commune: Territory
    council: Organisation
    lighting: Category


@pytest.fixture
def tetouan(transactional_db) -> Tetouan:
    geo.index_invalidate()
    call_command("load_territories", "--fixture", verbosity=0)
    geo.index_invalidate()
    commune = Territory.objects.get(code=TETOUAN_CODE)
    council = OrganisationFactory(
        slug="tetouan",
        seat=commune,
        territories=[commune],
        kind=OrganisationKindFactory(slug="commune-council"),
        name_ar="جماعة تطوان",
        name_fr="Commune de Tétouan",
    )
    lighting = CategoryFactory(
        organisation=council,
        code="streetlight",
        group=CategoryGroup.LIGHTING,
        name_ar="عمود إنارة معطل",
        name_fr="Lampadaire en panne",
        name_en="Street light out",
    )
    return Tetouan(commune=commune, council=council, lighting=lighting)


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "lampadaire.jpg"
    buffer = BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_citizen_reports_with_a_photo_in_arabic_gets_the_code_and_follows_it(
    live_server, page, tetouan, photo_file
):
    page.goto(f"{live_server.url}/ar/requests/new/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("[name=address]").fill("زنقة محمد الخامس قرب السوق")
    page.locator("select[name=commune]").select_option(TETOUAN_CODE)
    # With JavaScript, htmx brings the categories of the place without leaving the page.
    category = page.locator("select[name=category]")
    expect(category).to_be_visible()
    expect(page).to_have_url(re.compile(r"/ar/requests/new/$"))
    expect(page.locator("#report-map-figure")).to_be_visible()
    category.select_option(str(tetouan.lighting.pk))
    page.locator("textarea[name=description]").fill("الضو طافي هادي 3 ليالي 🙁")
    page.locator("[name=photos]").set_input_files(photo_file)
    page.locator("[name=contact]").fill("amina@example.ma")
    page.locator("#report-submit").click()

    expect(page).to_have_url(re.compile(r"/ar/requests/track/[0-9A-Z-]+/receipt/$"))
    code = page.locator("#tracking-code").get_attribute("data-code")
    service_request = ServiceRequest.objects.get()
    assert code == service_request.reference
    assert service_request.photos.count() == 1
    assert service_request.description == "الضو طافي هادي 3 ليالي 🙁"

    page.goto(f"{live_server.url}/ar/requests/track/")
    page.locator("[name=code]").fill(code.lower().replace("-", " "))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/ar/requests/track/{code}/")
    expect(page.locator("main h1")).to_contain_text(code)


def test_the_report_form_works_once_with_javascript_disabled(
    live_server, browser, browser_context_args, tetouan
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/ar/requests/new/")
        assert page.evaluate("typeof window.htmx") == "undefined"
        page.locator("[name=q]").fill("تطوان")
        page.locator("button[name=find]").click()
        page.locator("select[name=commune]").select_option(TETOUAN_CODE)
        page.locator("[name=address]").fill("ساحة الفدان")
        page.locator("#report-continue").click()

        expect(page).to_have_url(re.compile(r"/ar/requests/new/\?.*commune="))
        page.locator("select[name=category]").select_option(str(tetouan.lighting.pk))
        page.locator("textarea[name=description]").fill("lampadaire mtaffi")
        page.locator("[name=anonymous]").check()
        page.locator("#report-submit").click()

        expect(page).to_have_url(re.compile(r"/ar/requests/track/[0-9A-Z-]+/receipt/$"))
        service_request = ServiceRequest.objects.get()
        assert service_request.address == "ساحة الفدان"
        assert service_request.latitude is None
        expect(page.locator("#tracking-code")).to_have_attribute(
            "data-code", service_request.reference
        )
    finally:
        context.close()


def _session_cookie(live_server, client: Client) -> dict:
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_serious_violation_on_the_citizen_request_pages(
    live_server, page, tetouan, language
):
    citizen = UserFactory(email=f"citizen.{language}@example.ma")
    service_request = services.servicerequest_create(
        category=tetouan.lighting,
        description="الضو طافي / lampadaire éteint",
        latitude=TETOUAN_POINT[0],
        longitude=TETOUAN_POINT[1],
        reporter=citizen,
    )
    # The receipt is shown to the browser that reported: give this one that session.
    client = Client()
    client.force_login(citizen)
    session = client.session
    session[SESSION_REPORTED] = [service_request.reference]
    session.save()
    page.context.add_cookies([_session_cookie(live_server, client)])

    code = tetouan.commune.code
    paths = [
        "/requests/new/",
        f"/requests/new/?commune={code}&address=Rue+1",
        f"/requests/new/?latitude={TETOUAN_POINT[0]}&longitude={TETOUAN_POINT[1]}",
        f"/requests/track/{service_request.reference}/receipt/",
        f"/requests/track/{service_request.reference}/",
        "/requests/track/",
        "/requests/track/?code=AAAA-BBBB-CC",
        "/requests/",
        f"/requests/?commune={code}&status=open",
        "/requests/mine/",
        f"/requests/stats/{code}/",
    ]
    found = {}
    for path in paths:
        response = page.goto(f"{live_server.url}/{language}{path}")
        assert response is not None and response.status in (200, 400), path
        page.wait_for_load_state("networkidle")
        violations = run_axe(page)
        if violations:
            found[path] = violations
    assert not found, pformat(found)
