"""Public accountability pages: filters, map, progress, budget charts with tables, exact money,
conventions, partners, the committee's ranking, "what is being done in my commune"; no personal data."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from jamaati.accounts.tests.factories import UserFactory
from jamaati.organisations.tests.factories import TerritoryFactory
from jamaati.programmes import services
from jamaati.programmes.models import Sector, Status
from jamaati.programmes.templatetags.programmes_pages import format_amount, mad, pct
from jamaati.programmes.tests.factories import (
    FundingCommitmentFactory,
    MilestoneFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    TransactionFactory,
)
from jamaati.territories.models import Kind, Level

pytestmark = pytest.mark.django_db


@pytest.fixture
def road(world, undp, planner):
    """A published road project in the commune "north", funded by UNDP, half spent."""
    programme = ProgrammeFactory(organisation=world.organisation, slug="pac")
    axis = services.axis_create(
        programme=programme, code="1", title={"ar": "الطرق", "fr": "Voirie"}, actor=planner
    )
    manager = UserFactory(email="manager.private@north.ma", full_name="Samira Privée")
    project = ProjectFactory(
        organisation=world.organisation,
        programme=programme,
        axis=axis,
        code="ROAD",
        title_ar="تهيئة الطريق",
        title_fr="Aménagement de la route",
        description_ar="وصف بالعربية",
        description_fr="Description en français",
        status=Status.WORKS,
        territories=[world.commune],
        total_cost=Decimal("1250000.50"),
        physical_progress=Decimal("40.00"),
        manager=manager,
    )
    FundingCommitmentFactory(project=project, partner=undp, amount=Decimal("1250000.50"))
    TransactionFactory(project=project, amount=Decimal("500000.20"), created_by=manager)
    TransactionFactory(
        project=project, kind="disbursement", partner=undp, amount=Decimal("625000.25")
    )
    MilestoneFactory(
        project=project, title_fr="Ouverture du chantier", planned_date=dt.date(2024, 1, 1)
    )
    return project


@pytest.fixture
def hidden(world):
    return ProjectFactory(
        organisation=world.organisation,
        code="HIDDEN",
        title_fr="Projet caché",
        is_published=False,
        territories=[world.commune],
    )


def _page(client, name, *args, language="fr", query=""):
    with translation.override(language):
        url = reverse(name, args=args)
    return client.get(url + query)


# --- Money and percentages on the page ---------------------------------------------------------


def test_amounts_are_formatted_exactly_with_the_languages_separators():
    with translation.override("fr"):
        assert format_amount(Decimal("1250000.50")) == "1\u202f250\u202f000,50"
        assert format_amount(Decimal("180000000.00")) == "180\u202f000\u202f000"
        assert pct(Decimal("100") / Decimal("3")) == "33,3\u00a0%"
    with translation.override("ar"):
        # Western digits, as the rest of the site (jamaati/formats/ar).
        assert format_amount(Decimal("1250000.50")) == "1.250.000,50"
        assert gettext("MAD") in mad(Decimal("1"))
    assert pct(None) == "—"


def test_a_float_is_refused_as_money():
    with pytest.raises(TypeError):
        format_amount(0.1)


# --- Index: list, filters, map --------------------------------------------------------------------


def test_the_index_lists_published_projects_only_with_the_map_data(client, road, hidden):
    response = _page(client, "programmes:index")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aménagement de la route" in body
    assert "Projet caché" not in body
    map_data = json.loads(
        body.split('id="projects-map-data" type="application/json">')[1].split("</script>")[0]
    )
    codes = [f["properties"]["code"] for f in map_data["projects"]["features"]]
    assert codes == ["ROAD"]
    assert map_data["projects"]["features"][0]["properties"]["url"] == reverse(
        "programmes:project", args=["north", "ROAD"]
    )


def test_the_index_filters_by_province_sector_status_and_partner(client, road, world, undp):
    other_province = TerritoryFactory(
        level=Level.PROVINCE, kind=Kind.PROVINCE, code="90.902", slug="p2", region=world.region
    )
    far_commune = TerritoryFactory(
        code="90.902.01.01", slug="far", region=world.region, province=other_province
    )
    world.organisation.territories.add(world.region)
    ProjectFactory(
        organisation=world.organisation,
        code="SCHOOL",
        title_fr="École lointaine",
        sector=Sector.EDUCATION,
        status=Status.STUDIES,
        territories=[far_commune],
    )

    def titles(query):
        body = _page(client, "programmes:index", query=query).content.decode()
        list_part = body.split('id="projects-list"')[1] if 'id="projects-list"' in body else ""
        return {t for t in ("Aménagement de la route", "École lointaine") if t in list_part}

    assert titles("") == {"Aménagement de la route", "École lointaine"}
    assert titles(f"?province={world.province.code}") == {"Aménagement de la route"}
    assert titles("?province=90.902") == {"École lointaine"}
    assert titles("?sector=education") == {"École lointaine"}
    assert titles("?status=works") == {"Aménagement de la route"}
    assert titles(f"?partner={undp.slug}") == {"Aménagement de la route"}
    # An unknown value is ignored, not an error.
    assert titles("?status=nonsense&province=nowhere") == {
        "Aménagement de la route",
        "École lointaine",
    }


def test_the_index_runs_a_bounded_number_of_queries(
    client, world, undp, django_assert_max_num_queries
):
    for number in range(12):
        project = ProjectFactory(
            organisation=world.organisation, code=f"P{number}", territories=[world.commune]
        )
        FundingCommitmentFactory(project=project, partner=undp)
        TransactionFactory(project=project)
    with django_assert_max_num_queries(12):
        response = _page(client, "programmes:index")
    assert response.status_code == 200


# --- Project page -------------------------------------------------------------------------------


def test_the_project_page_shows_progress_budget_chart_and_stages_in_arabic(client, road):
    response = _page(client, "programmes:project", "north", "ROAD", language="ar")
    assert response.status_code == 200
    body = response.content.decode()
    assert "تهيئة الطريق" in body and "وصف بالعربية" in body
    assert "Description en français" not in body
    assert 'role="progressbar"' in body and 'aria-valuenow="40"' in body  # physical
    assert 'aria-valuenow="40"' in body  # financial: 500000.20 / 1250000.50 = 40.0 %
    chart = json.loads(
        body.split('id="budget-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    # Exact decimal strings, never floats.
    assert chart["money"]["values"] == ["1250000.50", "1250000.50", "625000.25", "500000.20"]
    assert "1.250.000,50" in body  # the table beside the chart
    with translation.override("ar"):
        assert gettext("Works") in body
        assert gettext("Provisional reception") in body  # every stage of the timeline
        assert gettext("late") in body  # the milestone planned in 2024 is not met


def test_the_project_page_in_french_uses_french_separators(client, road):
    body = _page(client, "programmes:project", "north", "ROAD").content.decode()
    assert "Aménagement de la route" in body and "Description en français" in body
    assert "1\u202f250\u202f000,50" in body


def test_public_pages_show_no_personal_data(client, road):
    for name, args in (
        ("programmes:project", ("north", "ROAD")),
        ("programmes:index", ()),
        ("programmes:organisation", ("north",)),
        ("programmes:partner", ("undp",)),
    ):
        body = _page(client, name, *args).content.decode()
        assert "manager.private@north.ma" not in body
        assert "Samira Privée" not in body


def test_an_unpublished_project_is_not_found(client, hidden):
    assert _page(client, "programmes:project", "north", "HIDDEN").status_code == 404


# --- Programme, organisation, partner, convention, committee, commune ---------------------------


def test_the_programme_page_shows_its_axes_and_totals(client, road):
    body = _page(client, "programmes:programme", "north", "pac").content.decode()
    assert "Voirie" in body
    assert "1\u202f250\u202f000,50" in body  # total cost


def test_the_organisation_page_shows_promised_and_delivered_per_partner(client, road, undp):
    body = _page(client, "programmes:organisation", "north").content.decode()
    assert undp.name_fr in body
    assert "625\u202f000,25" in body


def test_the_partner_page_shows_committed_and_disbursed_per_project(client, road, undp):
    body = _page(client, "programmes:partner", "undp").content.decode()
    assert "Aménagement de la route" in body
    assert "1\u202f250\u202f000,50" in body and "625\u202f000,25" in body
    assert "50,0\u00a0%" in body


def test_a_partner_with_nothing_public_is_not_found(client, db):
    PartnerFactory(slug="silent")
    assert _page(client, "programmes:partner", "silent").status_code == 404


def test_the_convention_page_shows_parties_tranches_and_delivery(
    client, road, undp, planner, world
):
    convention = services.convention_create(
        organisation=world.organisation,
        reference="CONV-1",
        title={"ar": "اتفاقية", "fr": "Convention de la route"},
        signed_on=dt.date(2023, 3, 1),
        duration_months=36,
        projects=[road],
        actor=planner,
    )
    party = services.convention_party_add(
        convention=convention, partner=undp, role="funder", actor=planner
    )
    commitment = services.party_commitment_add(
        party=party,
        kind="money",
        amount="900000",
        actor=planner,
        tranches=[(dt.date(2023, 6, 1), "300000"), (dt.date(2030, 6, 1), "600000")],
    )
    services.party_commitment_add(
        party=party, kind="technical", description="Assistance technique", actor=planner
    )
    services.tranche_set_status(
        tranche=commitment.tranches.order_by("due_on").first(),
        status="paid",
        paid_on=dt.date(2023, 6, 15),
        actor=planner,
    )
    response = _page(client, "programmes:convention", "north", "CONV-1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Convention de la route" in body and undp.name_fr in body
    assert "900\u202f000" in body and "300\u202f000" in body and "600\u202f000" in body
    assert "33,3\u00a0%" in body  # 300 000 paid of 900 000 promised
    assert "Assistance technique" in body
    assert "Aménagement de la route" in body  # the project it finances
    # The project page names the convention that funds it.
    assert (
        "Convention de la route"
        in _page(client, "programmes:project", "north", "ROAD").content.decode()
    )


@pytest.fixture
def committee(world, road, planner, undp):
    committee = services.committee_create(
        organisation=world.organisation,
        slug="priorities",
        name={"ar": "لجنة القيادة", "fr": "Comité de pilotage"},
        actor=planner,
    )
    member = services.committee_member_add(
        committee=committee, name="Membre Nominatif", partner=undp, actor=planner
    )
    impact = services.criterion_add(
        committee=committee, title={"fr": "Impact social", "ar": "الأثر"}, weight="3", actor=planner
    )
    candidate = services.candidate_add(committee=committee, project=road, actor=planner)
    services.score_record(
        member=member, criterion=impact, candidate=candidate, value="8", actor=planner
    )
    return committee


def test_the_committee_ranking_is_public_only_once_published(client, committee, planner):
    assert _page(client, "programmes:committee", "north", "priorities").status_code == 404
    services.committee_publish(
        committee=committee,
        rationale={"fr": "Le plus utile en premier", "ar": "الأنفع أولا"},
        actor=planner,
    )
    response = _page(client, "programmes:committee", "north", "priorities")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Le plus utile en premier" in body
    assert "Impact social" in body and "Aménagement de la route" in body
    assert ">8,00<" in body  # the weighted score, exact
    assert "Membre Nominatif" not in body  # members are counted, not named


def test_the_commune_page_lists_what_is_done_in_it_and_around_it(client, road, world, hidden):
    ProjectFactory(
        organisation=world.organisation,
        code="WIDE",
        title_fr="Projet provincial",
        territories=[world.province],
    )
    response = _page(client, "programmes:commune", world.commune.code)
    assert response.status_code == 200
    body = response.content.decode()
    inside, around = body.split('id="wider-title"')
    assert "Aménagement de la route" in inside and "Projet provincial" not in inside
    assert "Projet provincial" in around
    assert "Projet caché" not in body


def test_a_project_in_the_commune_and_the_province_is_listed_once(client, road, world):
    road.territories.add(world.province)
    body = _page(client, "programmes:commune", world.commune.code).content.decode()
    assert body.count("Aménagement de la route</a>") == 1


def test_the_commune_page_refuses_a_province_or_an_unknown_code(client, world):
    assert _page(client, "programmes:commune", world.province.code).status_code == 404
    assert _page(client, "programmes:commune", "00.000").status_code == 404


def test_the_commune_and_organisation_pages_run_a_bounded_number_of_queries(
    client, world, undp, django_assert_max_num_queries
):
    for number in range(12):
        project = ProjectFactory(
            organisation=world.organisation, code=f"P{number}", territories=[world.commune]
        )
        FundingCommitmentFactory(project=project, partner=undp)
        TransactionFactory(project=project)
    with django_assert_max_num_queries(14):
        assert _page(client, "programmes:commune", world.commune.code).status_code == 200
    with django_assert_max_num_queries(16):
        assert _page(client, "programmes:organisation", "north").status_code == 200


def test_an_unknown_or_inactive_organisation_has_no_page(client, world):
    assert _page(client, "programmes:organisation", "nowhere").status_code == 404
    world.organisation.is_active = False
    world.organisation.save()
    assert _page(client, "programmes:organisation", "north").status_code == 404
