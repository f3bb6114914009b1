"""Programmes in a real browser: a public project page in Arabic and in French (map, progress
bars, budget chart), and axe on every public and staff page of programmes, in ar and fr.

The demo data (Drâa-Tafilalet's memorandum, Tétouan's smart city with UNDP) is seeded on the
small real territory fixture, as `seed_demo` and `seed_programmes` do for the demo.
"""

from __future__ import annotations

import io
from pprint import pformat

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from jamaati.organisations import demo as organisations_demo
from jamaati.organisations.models import Membership, Role
from jamaati.programmes.models import Project
from jamaati.territories import geo
from jamaati.territories.models import Territory
from tests.browser.conftest import DESKTOP, LANGUAGES, log_in, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

ERRACHIDIA_COMMUNE = "08.201.01.05"
TETOUAN_COMMUNE = "01.571.01.11"


@pytest.fixture
def demo(transactional_db, settings, tmp_path, monkeypatch):
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path
    geo.index_invalidate()
    call_command("load_territories", "--fixture", verbosity=0)
    geo.index_invalidate()
    present = set(Territory.objects.values_list("code", flat=True))
    monkeypatch.setattr(
        organisations_demo,
        "COMPETENCES",
        [row for row in organisations_demo.COMPETENCES if row[2] in present],
    )
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_programmes", stdout=io.StringIO())


def _axe(page) -> None:
    violations = run_axe(page)
    assert violations == [], f"{page.url}\n{pformat(violations)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_public_project_page_shows_map_progress_and_budget_chart(
    page, live_server, demo, language
):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/{language}/programmes/draa-tafilalet/projects/PDR-OFF-01/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    # The map: the project's dot drawn on the outlines of its territories, no background tiles.
    expect(page.locator("#projects-map path.leaflet-interactive")).to_have_count(1)
    expect(page.locator("#projects-map .leaflet-tile")).to_have_count(0)
    # Progress bars, physical and financial, with their values for assistive technologies.
    bars = page.locator('main [role="progressbar"]')
    expect(bars).to_have_count(2)
    project = Project.objects.get(code="PDR-OFF-01")
    assert bars.first.get_attribute("aria-valuenow") == str(round(project.physical_progress))
    # The budget chart is drawn (Chart.js), and its table is beside it.
    expect(page.locator("#chart-money")).to_be_visible()
    assert page.locator("#chart-money").evaluate("c => c.width > 0 && !!window.Chart.getChart(c)")
    expect(page.locator("#chart-partners")).to_be_visible()
    expect(page.locator("main table").first).to_contain_text("180")
    _axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_programmes_page_passes_axe(page, live_server, demo, language):
    page.set_viewport_size(DESKTOP)
    base = f"{live_server.url}/{language}/programmes/"
    for path in (
        "",
        "?sector=economy&province=08.201",
        "draa-tafilalet/",
        "draa-tafilalet/programmes/pdr-2022-2027/",
        "draa-tafilalet/conventions/MOU-2022-ZI-OFF/",
        "tetouan/projects/PAC-SC-01/",
        "tetouan/committees/smart-city-priorities/",
        "partners/undp/",
        f"commune/{ERRACHIDIA_COMMUNE}/",
        f"commune/{TETOUAN_COMMUNE}/",
    ):
        response = page.goto(base + path)
        assert response.status == 200, path
        if path in ("", f"commune/{TETOUAN_COMMUNE}/"):
            expect(page.locator("#projects-map path.leaflet-interactive").first).to_be_visible()
        _axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_staff_programmes_page_passes_axe(page, live_server, demo, language, tmp_path):
    admin = (
        Membership.objects.filter(organisation__slug="draa-tafilalet", role=Role.ORG_ADMIN)
        .select_related("user")
        .first()
        .user
    )
    project = Project.objects.get(code="PDR-OFF-01")
    page.set_viewport_size(DESKTOP)
    log_in(page.context, live_server, admin, verified_staff=True)
    base = f"{live_server.url}/{language}/staff/programmes/"
    for path in ("", f"{project.pk}/", f"{project.pk}/edit/", "dashboard/", "import/"):
        response = page.goto(base + path)
        assert response.status == 200, path
        _axe(page)
    expect(page.locator("#chart-province")).to_have_count(0)  # not on the import page
    page.goto(base + "dashboard/")
    expect(page.locator("#chart-province")).to_be_visible()

    # A bad file: the report lists the problem and nothing is written.
    bad = tmp_path / "projects.csv"
    bad.write_text("code;title_fr;sector;territories\nX-1;Projet;nowhere;08.201\n", "utf-8")
    page.goto(base + "import/")
    page.set_input_files("#id_file", str(bad))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#import-state table")).to_contain_text("sector")
    assert not Project.objects.filter(code="X-1").exists()
    _axe(page)
