def test_the_world_has_two_organisations_sharing_a_commune(
    world, agent, other_org_agent, other_area_agent, org_admin
):
    assert world.organisation.territories.get() == world.commune
    assert set(world.other_organisation.territories.all()) == {world.commune, world.other_commune}
    assert agent.memberships.get().organisation == world.organisation
    assert other_org_agent.memberships.get().organisation == world.other_organisation
    assert other_area_agent.memberships.get().territories.get() == world.other_district
    assert org_admin.memberships.get().role == "org_admin"
