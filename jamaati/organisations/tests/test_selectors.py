import pytest

from jamaati.organisations.selectors import competence_for, council_for, organisations_covering
from jamaati.organisations.tests.factories import (
    CompetenceFactory,
    DomainFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def test_routing_takes_the_most_specific_competence(world):
    lighting = DomainFactory(slug="public-lighting")
    province_council = OrganisationFactory(
        slug="province-test", seat=world.province, territories=[world.province]
    )
    CompetenceFactory(organisation=province_council, domain=lighting, territory=world.province)
    assert (
        competence_for(domain="public-lighting", territory=world.district).organisation
        == province_council
    )

    CompetenceFactory(organisation=world.organisation, domain=lighting, territory=world.commune)
    assert (
        competence_for(domain=lighting, territory=world.district).organisation == world.organisation
    )
    # The other commune still falls back to the province.
    assert (
        competence_for(domain=lighting, territory=world.other_commune).organisation
        == province_council
    )


def test_routing_finds_nothing_without_a_competence(world):
    DomainFactory(slug="roads")
    assert competence_for(domain="roads", territory=world.commune) is None


def test_a_domain_can_belong_to_a_company_in_one_commune_only(world):
    waste = DomainFactory(slug="waste")
    CompetenceFactory(organisation=world.other_organisation, domain=waste, territory=world.commune)
    assert (
        competence_for(domain=waste, territory=world.district).organisation
        == world.other_organisation
    )
    assert competence_for(domain=waste, territory=world.other_commune) is None


def test_the_council_of_a_place_is_its_commune_council(world):
    assert council_for(territory=world.district) == world.organisation
    assert council_for(territory=world.commune) == world.organisation
    assert council_for(territory=world.other_commune) is None


def test_organisations_covering_a_place_include_councils_and_companies(world):
    assert set(organisations_covering(territory=world.district)) == {
        world.organisation,
        world.other_organisation,
    }
    assert set(organisations_covering(territory=world.other_commune)) == {world.other_organisation}
