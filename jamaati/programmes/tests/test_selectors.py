"""Public reads and dashboards: filters, exact budget summaries, SQL aggregates."""

import datetime as dt
from decimal import Decimal

import pytest

from jamaati.organisations.tests.factories import TerritoryFactory
from jamaati.programmes import selectors
from jamaati.programmes.models import Sector, Status
from jamaati.programmes.tests.factories import (
    FundingCommitmentFactory,
    MilestoneFactory,
    PartnerFactory,
    ProjectFactory,
    TransactionFactory,
)
from jamaati.territories.models import Kind, Level

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(world, undp, commune_partner):
    other_province = TerritoryFactory(
        level=Level.PROVINCE, kind=Kind.PROVINCE, code="90.902", slug="p2", region=world.region
    )
    far_commune = TerritoryFactory(
        code="90.902.01.01", slug="far", region=world.region, province=other_province
    )
    world.organisation.territories.add(world.region)
    road = ProjectFactory(
        organisation=world.organisation,
        code="ROAD",
        sector=Sector.ROADS,
        status=Status.WORKS,
        total_cost=Decimal("1000000.00"),
        physical_progress=Decimal("50"),
        territories=[world.commune],
    )
    school = ProjectFactory(
        organisation=world.organisation,
        code="SCHOOL",
        sector=Sector.EDUCATION,
        status=Status.STUDIES,
        total_cost=Decimal("300000.00"),
        territories=[world.district],
    )
    far = ProjectFactory(
        organisation=world.organisation,
        code="FAR",
        sector=Sector.ECONOMY,
        status=Status.TENDERING,
        total_cost=Decimal("200000.10"),
        territories=[far_commune],
    )
    regional = ProjectFactory(
        organisation=world.organisation,
        code="REGION",
        sector=Sector.COMMUNICATIONS,
        total_cost=Decimal("0.20"),
        territories=[world.region],
    )
    FundingCommitmentFactory(project=road, partner=undp, amount=Decimal("600000.00"))
    FundingCommitmentFactory(project=road, partner=commune_partner, amount=Decimal("400000.00"))
    FundingCommitmentFactory(project=far, partner=commune_partner, amount=Decimal("200000.10"))
    TransactionFactory(project=road, kind="disbursement", partner=undp, amount=Decimal("0.10"))
    TransactionFactory(project=road, kind="disbursement", partner=undp, amount=Decimal("0.20"))
    TransactionFactory(project=road, amount=Decimal("333333.33"))
    TransactionFactory(project=far, amount=Decimal("0.05"))
    MilestoneFactory(project=school, planned_date=dt.date(2020, 1, 1))
    return road, school, far, regional, far_commune, other_province


def codes(queryset):
    return sorted(p.code for p in queryset)


def test_filters_by_province_sector_status_partner_and_commune(world, portfolio, undp):
    other_province = portfolio[5]
    assert codes(selectors.projects_public(province=world.province)) == ["ROAD", "SCHOOL"]
    assert codes(selectors.projects_public(province=other_province)) == ["FAR"]
    assert codes(selectors.projects_public(sector="transport")) == ["ROAD"]
    assert codes(selectors.projects_public(status=Status.STUDIES)) == ["SCHOOL"]
    assert codes(selectors.projects_public(partner=undp)) == ["ROAD"]
    # What is being done in my commune: the commune itself and its arrondissements.
    assert codes(selectors.projects_public(commune=world.commune)) == ["ROAD", "SCHOOL"]
    assert codes(selectors.projects_public(commune=world.other_commune)) == []
    assert codes(selectors.projects_covering_commune(commune=world.other_commune)) == ["REGION"]


def test_the_public_list_carries_exact_money_sums(world, portfolio, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = {p.code: p for p in selectors.projects_public()}
    road = rows["ROAD"]
    assert (road.committed, road.disbursed, road.spent) == (
        Decimal("1000000.00"),
        Decimal("0.30"),
        Decimal("333333.33"),
    )
    assert rows["SCHOOL"].spent == Decimal("0.00")


def test_the_budget_summary_is_exact(portfolio, undp, commune_partner):
    road = portfolio[0]
    budget = selectors.project_budget(project=road)
    assert budget.committed == Decimal("1000000.00")
    assert budget.disbursed == Decimal("0.30")
    assert budget.financial_progress == Decimal("33.333333")
    assert budget.funding_gap == Decimal("0.00")
    lines = {line.partner.slug: line for line in budget.partners}
    assert lines["undp"].disbursed == Decimal("0.30")
    assert lines["undp"].delivered_percent == Decimal("0.00005")
    assert lines["north-council"].disbursed == Decimal("0.00")


def test_the_map_gives_points_and_outlines(portfolio):
    data = selectors.projects_geojson(selectors.projects_public())
    assert data["type"] == "FeatureCollection"
    feature = next(f for f in data["features"] if f["properties"]["code"] == "ROAD")
    assert feature["geometry"] == {"type": "Point", "coordinates": [-5.37, 35.57]}


def test_the_dashboard_aggregates_in_sql(
    world, portfolio, org_admin, undp, commune_partner, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):
        board = selectors.dashboard(user=org_admin, organisation=world.organisation)
    assert board.totals.projects == 4
    assert board.totals.total_cost == Decimal("1500000.30")
    assert board.totals.spent == Decimal("333333.38")
    provinces = {row.label: row for row in board.by_province}
    assert provinces[world.province.name].total_cost == Decimal("1300000.00")
    assert provinces[world.province.name].spent == Decimal("333333.33")
    assert provinces[world.province.name].projects == 2
    assert provinces[""].total_cost == Decimal("0.20")  # region-wide
    sectors = {row.key: row for row in board.by_sector}
    assert sectors[Sector.ECONOMY].spent == Decimal("0.05")
    partners = {row.key: row for row in board.by_partner}
    assert partners[commune_partner.pk].committed == Decimal("600000.10")
    assert partners[undp.pk].disbursed == Decimal("0.30")
    assert board.by_status == {Status.WORKS: 2, Status.STUDIES: 1, Status.TENDERING: 1}
    # ROAD: works 50 %, spending 33.3 % (beyond 15 points); SCHOOL: a milestone late since 2020.
    assert [p.code for p in board.alerting] == ["ROAD", "SCHOOL"]


def test_a_limited_member_sees_only_their_area_on_the_dashboard(world, portfolio, other_area_agent):
    board = selectors.dashboard(user=other_area_agent, organisation=world.organisation)
    assert board.totals.projects == 0


def test_late_projects_have_a_late_milestone_or_a_passed_end(world, portfolio):
    late = selectors.late_projects(selectors.projects_public(), today=dt.date(2026, 7, 1))
    assert codes(late) == ["FAR", "REGION", "ROAD", "SCHOOL"]
    assert codes(
        selectors.late_projects(selectors.projects_public(), today=dt.date(2021, 1, 1))
    ) == ["SCHOOL"]


def test_partner_summary_shows_promised_and_delivered(world, portfolio, undp):
    rows = {
        row.partner.slug: row for row in selectors.partner_summary(organisation=world.organisation)
    }
    assert rows["undp"].committed == Decimal("600000.00")
    assert rows["undp"].disbursed == Decimal("0.30")
    assert rows["north-council"].committed == Decimal("600000.10")


def test_partners_public_lists_funders_once(portfolio):
    assert [p.slug for p in selectors.partners_public()] == ["north-council", "undp"]


def test_a_new_partner_without_projects_is_not_a_filter(portfolio):
    PartnerFactory(slug="zz")
    assert "zz" not in [p.slug for p in selectors.partners_public()]


def test_the_map_names_projects_in_the_active_language_and_draws_outlines(world, portfolio):
    from django.utils import translation

    from jamaati.programmes.models import Project

    Project.objects.filter(code="ROAD").update(
        geometry='{"type":"Polygon","coordinates":[[[-5.38,35.56],[-5.36,35.56],[-5.36,35.58],[-5.38,35.56]]]}'
    )
    road = Project.objects.get(code="ROAD")
    for language, expected in (("fr", road.title_fr), ("ar", road.title_ar)):
        with translation.override(language):
            data = selectors.projects_geojson(selectors.projects_public())
        feature = next(f for f in data["features"] if f["properties"]["code"] == "ROAD")
        assert feature["properties"]["title"] == expected
        assert feature["geometry"]["type"] == "Polygon"
        assert feature["properties"]["point"] == [-5.37, 35.57]
