"""The demo's service request catalogue and reports: routed like the real thing, and seeded once."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamaati.audit.models import AuditEvent
from jamaati.organisations import demo as organisations_demo
from jamaati.servicerequests import demo_data
from jamaati.servicerequests.models import (
    Category,
    CategoryQuestion,
    ResponseTemplate,
    ServiceRequest,
    ServiceRequestEvent,
    Status,
)
from jamaati.servicerequests.services import servicerequest_route
from jamaati.territories.models import Territory
from jamaati.territories.selectors import territory_lookup

MODELS = (
    Category,
    CategoryQuestion,
    ResponseTemplate,
    ServiceRequest,
    ServiceRequestEvent,
    AuditEvent,
)


@pytest.fixture
def demo_world(real_territories, settings, tmp_path, monkeypatch):
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path
    # The small territory fixture lacks the provinces of Kénitra and Sidi Slimane, where the
    # urban agency's competences lie; every other demo competence is on the fixture.
    present = set(Territory.objects.values_list("code", flat=True))
    monkeypatch.setattr(
        organisations_demo,
        "COMPETENCES",
        [row for row in organisations_demo.COMPETENCES if row[2] in present],
    )
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_servicerequests", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _counts():
    return tuple(model.objects.count() for model in MODELS)


@pytest.mark.slow
@pytest.mark.django_db
def test_seeding_twice_creates_nothing_new(demo_world):
    first = _counts()
    assert ServiceRequest.objects.filter(source=demo_data.SOURCE).count() == len(demo_data.REQUESTS)
    call_command("seed_servicerequests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_categories_route_to_the_competent_organisation(demo_world):
    tetouan = Territory.objects.get(code="01.571.01.11")
    waste = Category.objects.get(organisation__slug="tetouan", code="waste-not-collected")
    lighting = Category.objects.get(organisation__slug="tetouan", code="streetlight-out")
    pothole = Category.objects.get(organisation__slug="tetouan", code="pothole")
    noise = Category.objects.get(organisation__slug="tetouan", code="noise")

    assert servicerequest_route(category=waste, territory=tetouan).organisation.slug == (
        "tetouan-proprete"
    )
    route = servicerequest_route(category=lighting, territory=tetouan)
    assert (route.organisation.slug, route.department.slug, route.rule) == (
        "tetouan",
        "public-lighting",
        "competence",
    )
    assert servicerequest_route(category=pothole, territory=tetouan).organisation.slug == (
        "province-tetouan"
    )
    # No competence for noise: the stated fallback, the commune council.
    assert servicerequest_route(category=noise, territory=tetouan).rule == "fallback"
    # The seeded reports went the same way.
    seeded = ServiceRequest.objects.filter(source=demo_data.SOURCE, commune=tetouan)
    assert {sr.organisation.slug for sr in seeded.filter(category=waste)} == {"tetouan-proprete"}
    assert {sr.organisation.slug for sr in seeded.filter(category=lighting)} == {"tetouan"}


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_reports_lie_in_their_commune_and_reach_their_status_through_the_workflow(demo_world):
    for index, spec in enumerate(demo_data.REQUESTS, start=1):
        service_request = ServiceRequest.objects.get(
            source=demo_data.SOURCE, external_id=f"demo-{index:03d}"
        )
        assert service_request.status == spec.status
        assert service_request.description == spec.description
        found = territory_lookup(lat=service_request.latitude, lon=service_request.longitude)
        assert found.commune.code == spec.commune
        assert service_request.is_anonymous == spec.anonymous
        if spec.anonymous:
            assert not service_request.contact_email and service_request.reporter_id is None
        moves = list(
            service_request.events.filter(kind="status_changed").values_list("to_status", flat=True)
        )
        assert moves[-1:] == ([spec.status] if spec.status != Status.NEW else [])
        if spec.status == Status.REJECTED:
            assert service_request.rejection_reason == spec.note
    statuses = set(ServiceRequest.objects.values_list("status", flat=True))
    assert {"new", "acknowledged", "in_progress", "resolved", "rejected"} <= statuses
    lamps = CategoryQuestion.objects.get(category__organisation__slug="tetouan", code="lamps")
    assert (lamps.kind, lamps.label_en, lamps.label_fr) == (
        "number",
        "How many lamps?",
        "Combien de lampadaires ?",
    )
    streetlight = Category.objects.get(organisation__slug="errachidia", code="streetlight-out")
    assert streetlight.target_acknowledge.days == 1 and streetlight.target_resolve.days == 5
    assert streetlight.name_ar and streetlight.name_fr and streetlight.name_en


@pytest.mark.django_db
def test_seeding_is_refused_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("seed_servicerequests")


@pytest.mark.django_db
def test_seeding_asks_for_the_demo_organisations_first(settings):
    settings.DEMO_MODE = True
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_servicerequests")


@pytest.mark.slow
@pytest.mark.django_db
def test_seeding_gives_tetouan_the_open311_demo_key(demo_world):
    demo = pytest.importorskip("jamaati.servicerequests.demo")
    from jamaati.apikeys.models import ApiKey

    api_key = ApiKey.objects.get(prefix=demo.OPEN311_DEMO_PREFIX)
    assert api_key.organisation.slug == "tetouan"
    assert demo.open311_demo_key_authenticate(demo.OPEN311_DEMO_KEY) == api_key
