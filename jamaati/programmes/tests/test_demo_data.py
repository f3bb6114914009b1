"""The demo: Drâa-Tafilalet's convention and SSE projects, Tétouan's smart city with UNDP.

Seeded through the services on the small real territory fixture; seeding twice writes nothing.
"""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from jamaati.audit.models import AuditEvent
from jamaati.organisations import demo as organisations_demo
from jamaati.programmes import demo_data, selectors
from jamaati.programmes.alerts import AlertKind, alerting, project_alerts
from jamaati.programmes.models import (
    Convention,
    FundingCommitment,
    Milestone,
    Partner,
    Programme,
    ProgressUpdate,
    Project,
    ProjectEvent,
    ProjectTransaction,
    Score,
    SteeringCommittee,
    Tranche,
)
from jamaati.programmes.scoring import committee_ranking
from jamaati.programmes.tests.test_exports import _iati_schema, _oc4ids_validator
from jamaati.territories.models import Territory

MODELS = (
    Partner,
    Programme,
    Project,
    Milestone,
    FundingCommitment,
    ProjectTransaction,
    ProgressUpdate,
    ProjectEvent,
    Convention,
    Tranche,
    SteeringCommittee,
    Score,
    AuditEvent,
)


@pytest.fixture
def demo(real_territories, settings, tmp_path, monkeypatch):
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path
    present = set(Territory.objects.values_list("code", flat=True))
    monkeypatch.setattr(
        organisations_demo,
        "COMPETENCES",
        [row for row in organisations_demo.COMPETENCES if row[2] in present],
    )
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_programmes", stdout=io.StringIO())


def _counts():
    return tuple(model.objects.count() for model in MODELS)


@pytest.mark.slow
@pytest.mark.django_db
def test_seeding_twice_writes_nothing(demo):
    first = _counts()
    assert Project.objects.count() == len(demo_data.PROJECTS)
    call_command("seed_programmes", stdout=io.StringIO())
    assert _counts() == first


@pytest.mark.slow
@pytest.mark.django_db
def test_the_region_convention_holds_its_projects_and_the_article_figures(demo):
    convention = Convention.objects.get(organisation__slug="draa-tafilalet")
    codes = sorted(convention.projects.values_list("code", flat=True))
    assert codes == ["PDR-OFF-01", "PDR-ZI-01", "PDR-ZI-02", "PDR-ZI-03", "PDR-ZI-04", "PDR-ZI-05"]
    projects = {p.code: p for p in Project.objects.filter(organisation__slug="draa-tafilalet")}
    assert projects["PDR-OFF-01"].total_cost == Decimal("180000000.00")
    assert projects["PDR-INV-01"].total_cost == Decimal("50000000.00")
    assert projects["PDR-COD-01"].total_cost == Decimal("60000000.00")
    assert {"PDR-ESS-01", "PDR-ESS-02", "PDR-ESS-03"} <= set(projects)
    for project in projects.values():
        budget = selectors.project_budget(project=project)
        assert budget.committed == project.total_cost  # every funding plan is complete
    lines = {
        line.party.partner.slug: line
        for line in selectors.convention_summary(convention=convention)
    }
    assert lines["region-draa-tafilalet"].promised == Decimal("305000000.00")
    assert lines["ministry-industry-trade"].paid == Decimal("52500000.00")
    assert lines["wilaya-draa-tafilalet"].in_kind[0].delivered_on is not None


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_shows_alerts(demo):
    region = Project.objects.filter(organisation__slug="draa-tafilalet")
    flagged = {p.code: p for p in alerting(region)}
    assert AlertKind.SPENDING_AHEAD in {a.kind for a in project_alerts(flagged["PDR-ZI-02"])}
    assert AlertKind.LATE_MILESTONE in {a.kind for a in project_alerts(flagged["PDR-ZI-03"])}
    tetouan = Project.objects.filter(organisation__slug="tetouan")
    assert "PAC-SC-03" in {p.code for p in alerting(tetouan)}


@pytest.mark.slow
@pytest.mark.django_db
def test_the_smart_city_committee_ranking_is_published(demo):
    committee = SteeringCommittee.objects.get(organisation__slug="tetouan")
    assert committee.is_published
    ranking = committee_ranking(committee)
    assert len(ranking) == 6 and all(r.is_complete for r in ranking)
    assert ranking[0].candidate.project.code == "PAC-SC-03"
    assert Partner.objects.get(slug="undp").iati_ref == "XM-DAC-41114"


@pytest.mark.slow
@pytest.mark.django_db
def test_the_region_exports_validate_and_hold_the_convention_projects(client, demo):
    response = client.get(reverse("opendata:oc4ids", kwargs={"slug": "draa-tafilalet"}))
    package = response.json()
    assert list(_oc4ids_validator().iter_errors(package)) == []
    identifiers = {p["identifiers"][0]["id"] for p in package["projects"]}
    assert {"PDR-ZI-01", "PDR-OFF-01"} <= identifiers
    response = client.get(reverse("opendata:iati", kwargs={"slug": "tetouan"}))
    document = etree.fromstring(response.content)
    assert _iati_schema().validate(document), _iati_schema().error_log
    assert "XM-DAC-41114" in document.xpath("//participating-org/@ref")
