"""The staff workspace for service requests in a real browser, in Arabic and French.

axe finds no serious or critical violation on the queue, the map and a request's page;
the map draws the queue's requests from its GeoJSON, and the request's page its point.
"""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from pprint import pformat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from jamaati.organisations.models import Role
from jamaati.organisations.tests.factories import MembershipFactory, StaffUserFactory
from jamaati.servicerequests import services
from jamaati.servicerequests.tests.factories import CategoryFactory
from tests.browser.conftest import DESKTOP, LANGUAGES, log_in, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

RABAT_POINTS = [(34.0209, -6.8416), (34.0150, -6.8300)]
SCREENSHOTS = os.environ.get("JAMAATI_SCREENSHOTS")


def _jpeg() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_staff_workspace_is_accessible_and_draws_its_maps(page, live_server, site, language):
    category = CategoryFactory(organisation=site.council, code="streetlight", domain=None)
    agent = MembershipFactory(
        user=StaffUserFactory(email=f"agent.{language}@rabat.ma"),
        organisation=site.council,
        role=Role.AGENT,
    ).user
    requests = [
        services.servicerequest_create(
            category=category,
            description="الضو طافي فالزنقة 🙁 lampadaire en panne",
            latitude=lat,
            longitude=lon,
            contact_email="amina@example.ma",
            photos=[_jpeg()],
        )
        for lat, lon in RABAT_POINTS
    ]
    page.set_viewport_size(DESKTOP)
    log_in(page.context, live_server, agent, verified_staff=True)
    base = f"{live_server.url}/{language}/staff/requests/"

    page.goto(base)
    expect(page.locator("main table")).to_contain_text(requests[0].reference)
    _shot(page, f"queue-{language}")
    assert run_axe(page) == [], pformat(run_axe(page))

    page.goto(base + "map/")
    expect(page.locator("#staff-requests-map path.leaflet-interactive")).to_have_count(2)
    _shot(page, f"map-{language}")
    assert run_axe(page) == [], pformat(run_axe(page))

    page.goto(f"{base}{requests[0].pk}/")
    expect(page.locator("#staff-request-map path.leaflet-interactive")).to_have_count(1)
    _shot(page, f"detail-{language}")
    violations = run_axe(page)
    assert violations == [], pformat(violations)
