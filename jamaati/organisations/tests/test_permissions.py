"""The staff permission rules, each with an outsider who must be refused."""

import pytest
from django.http import Http404

from jamaati.organisations import permissions
from jamaati.organisations.models import Competence, Referral, Role
from jamaati.organisations.selectors import staff_get, staff_scope
from jamaati.organisations.tests.factories import (
    CompetenceFactory,
    DomainFactory,
    MembershipFactory,
    StaffUserFactory,
)
from jamaati.territories.models import Territory

pytestmark = pytest.mark.django_db


def test_an_agent_reaches_objects_anywhere_in_the_organisation_territory(world, agent):
    for place in (world.commune, world.district, world.other_district):
        assert (
            permissions.staff_access(user=agent, organisation=world.organisation, territory=place)
            is not None
        )


def test_an_agent_of_another_organisation_is_an_outsider(world, other_org_agent):
    assert (
        permissions.staff_access(
            user=other_org_agent, organisation=world.organisation, territory=world.commune
        )
        is None
    )


def test_an_agent_limited_to_part_of_the_territory_is_refused_elsewhere(world, other_area_agent):
    assert (
        permissions.staff_access(
            user=other_area_agent, organisation=world.organisation, territory=world.other_district
        )
        is not None
    )
    assert (
        permissions.staff_access(
            user=other_area_agent, organisation=world.organisation, territory=world.district
        )
        is None
    )
    # An object with no place belongs to the whole organisation: out of reach of a limited membership.
    assert (
        permissions.staff_access(
            user=other_area_agent, organisation=world.organisation, territory=None
        )
        is None
    )


def test_a_citizen_is_never_staff(world, citizen):
    assert (
        permissions.staff_access(
            user=citizen, organisation=world.organisation, territory=world.commune
        )
        is None
    )


def test_a_deactivated_membership_grants_nothing(world, agent_membership):
    agent_membership.is_active = False
    agent_membership.save()
    assert (
        permissions.staff_access(
            user=agent_membership.user, organisation=world.organisation, territory=world.commune
        )
        is None
    )


def test_a_reviewer_may_read_but_not_act(world):
    reviewer = MembershipFactory(organisation=world.organisation, role=Role.REVIEWER).user
    assert permissions.staff_access(
        user=reviewer, organisation=world.organisation, territory=world.commune
    )
    assert (
        permissions.staff_access(
            user=reviewer, organisation=world.organisation, territory=world.commune, write=True
        )
        is None
    )


def test_a_referral_opens_one_object_to_the_receiving_organisation_only(
    world, agent, other_org_agent
):
    target, other_target = world.district, world.other_district
    Referral.objects.create(
        organisation=world.other_organisation,
        from_organisation=world.organisation,
        content_type_id=_ct(Territory),
        object_id=str(target.pk),
        created_by=agent,
    )
    assert permissions.staff_access(
        user=other_org_agent,
        organisation=world.organisation,
        territory=target.commune,
        target=target,
    )
    assert (
        permissions.staff_access(
            user=other_org_agent,
            organisation=world.organisation,
            territory=target.commune,
            target=other_target,
        )
        is None
    )


def test_a_revoked_referral_grants_nothing(world, agent, other_org_agent):
    from django.utils import timezone

    Referral.objects.create(
        organisation=world.other_organisation,
        from_organisation=world.organisation,
        content_type_id=_ct(Territory),
        object_id=str(world.district.pk),
        created_by=agent,
        revoked_at=timezone.now(),
    )
    assert (
        permissions.staff_access(
            user=other_org_agent,
            organisation=world.organisation,
            territory=world.commune,
            target=world.district,
        )
        is None
    )


def test_only_the_organisation_admins_administer_it(
    world, org_admin, agent, other_org_agent, platform_admin
):
    assert permissions.organisation_can_administer(user=org_admin, organisation=world.organisation)
    assert permissions.organisation_can_administer(
        user=platform_admin, organisation=world.organisation
    )
    assert not permissions.organisation_can_administer(user=agent, organisation=world.organisation)
    other_admin = MembershipFactory(organisation=world.other_organisation, role=Role.ORG_ADMIN).user
    assert not permissions.organisation_can_administer(
        user=other_admin, organisation=world.organisation
    )


def _located_objects(world):
    # Competences carry an organisation and a territory: they stand in for any located object.
    lighting, waste = DomainFactory(slug="lighting"), DomainFactory(slug="waste")
    in_east = CompetenceFactory(
        organisation=world.organisation, domain=lighting, territory=world.district
    )
    in_west = CompetenceFactory(
        organisation=world.organisation, domain=lighting, territory=world.other_district
    )
    elsewhere = CompetenceFactory(
        organisation=world.other_organisation, domain=waste, territory=world.other_commune
    )
    return in_east, in_west, elsewhere


def test_staff_scope_keeps_each_membership_inside_its_area(
    world, agent, other_area_agent, other_org_agent
):
    in_east, in_west, elsewhere = _located_objects(world)

    def visible(user):
        return set(Competence.objects.filter(staff_scope(user=user, model=Competence)))

    assert visible(agent) == {in_east, in_west}
    assert visible(other_area_agent) == {in_west}
    assert visible(other_org_agent) == {elsewhere}
    assert visible(StaffUserFactory()) == set()


def test_staff_scope_adds_what_was_referred(world, agent, other_org_agent):
    in_east, _in_west, elsewhere = _located_objects(world)
    Referral.objects.create(
        organisation=world.other_organisation,
        from_organisation=world.organisation,
        content_type_id=_ct(Competence),
        object_id=str(in_east.pk),
        created_by=agent,
    )
    assert set(Competence.objects.filter(staff_scope(user=other_org_agent, model=Competence))) == {
        in_east,
        elsewhere,
    }


def test_staff_get_returns_the_granting_membership_and_404s_for_an_outsider(
    world, agent_membership, other_area_agent, other_org_agent
):
    in_east, _in_west, _elsewhere = _located_objects(world)
    queryset = Competence.objects.select_related("organisation", "territory")
    obj, membership = staff_get(user=agent_membership.user, queryset=queryset, pk=in_east.pk)
    assert (obj, membership) == (in_east, agent_membership)
    for outsider in (other_org_agent, other_area_agent):
        with pytest.raises(Http404):
            staff_get(user=outsider, queryset=queryset, pk=in_east.pk)


def _ct(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk
