"""Personas and fixtures shared by every test (unit, API and browser): defined once, named for who they are.

The world they live in: a region with one province holding two communes
("north" and "south"). The commune council of "north" is *the* organisation;
another organisation (a concession company) works in the same place.

- citizen: an account with no staff role.
- agent: agent of the organisation, over its whole territory.
- other_area_agent: agent of the same organisation, limited to another part of its territory.
- other_org_agent: agent of another organisation, an outsider to the organisation's objects.
- org_admin: administrator of the organisation.
- platform_admin: superuser of the installation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from jamaati.core import sms
from jamaati.core.refcache import refcaches_clear_local
from jamaati.organisations.models import Membership, Organisation, Role
from jamaati.organisations.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationKindFactory,
    StaffUserFactory,
    TerritoryFactory,
    UserFactory,
)
from jamaati.territories.models import Kind, Level, Territory


@pytest.fixture(autouse=True)
def _fresh_cache_sms_outbox_and_language():
    # Rate-limit counters live in the cache, reference data in per-process memos, sent SMS
    # in a module list and the active language in the thread (a page request activates its
    # own): none may leak between tests.
    cache.clear()
    refcaches_clear_local()
    sms.outbox.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    cache.clear()
    refcaches_clear_local()
    sms.outbox.clear()
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class World:
    region: Territory
    province: Territory
    commune: Territory
    other_commune: Territory
    district: Territory
    other_district: Territory
    organisation: Organisation
    other_organisation: Organisation


@pytest.fixture
def world(db) -> World:
    region = TerritoryFactory(
        level=Level.REGION,
        kind=Kind.NONE,
        code="90",
        slug="test-region",
        name_ar="جهة الاختبار",
        name_fr="Région test",
    )
    province = TerritoryFactory(
        level=Level.PROVINCE,
        kind=Kind.PROVINCE,
        code="90.901",
        slug="test-province",
        name_ar="إقليم الاختبار",
        name_fr="Province test",
        region=region,
    )
    commune = TerritoryFactory(
        level=Level.COMMUNE,
        kind=Kind.URBAN,
        code="90.901.01.01",
        slug="north",
        name_ar="الشمال",
        name_fr="Nord",
        region=region,
        province=province,
    )
    other_commune = TerritoryFactory(
        level=Level.COMMUNE,
        kind=Kind.RURAL,
        code="90.901.01.03",
        slug="south",
        name_ar="الجنوب",
        name_fr="Sud",
        region=region,
        province=province,
    )
    district = TerritoryFactory(
        level=Level.ARRONDISSEMENT,
        kind=Kind.NONE,
        code="90.901.01.01.1",
        slug="north-east",
        name_ar="الشمال الشرقي",
        name_fr="Nord-Est",
        region=region,
        province=province,
        commune=commune,
    )
    other_district = TerritoryFactory(
        level=Level.ARRONDISSEMENT,
        kind=Kind.NONE,
        code="90.901.01.01.2",
        slug="north-west",
        name_ar="الشمال الغربي",
        name_fr="Nord-Ouest",
        region=region,
        province=province,
        commune=commune,
    )
    organisation = OrganisationFactory(
        slug="north",
        name_ar="جماعة الشمال",
        name_fr="Commune de Nord",
        seat=commune,
        territories=[commune],
    )
    other_organisation = OrganisationFactory(
        slug="clean-co",
        name_ar="شركة النظافة",
        name_fr="Société de propreté",
        kind=OrganisationKindFactory(
            slug="concession-company",
            name_fr="Société concessionnaire",
            name_ar="شركة مفوض لها",
            name_en="Concession company",
            is_collectivity=False,
        ),
        territories=[commune, other_commune],
    )
    return World(
        region,
        province,
        commune,
        other_commune,
        district,
        other_district,
        organisation,
        other_organisation,
    )


@pytest.fixture
def citizen(db):
    return UserFactory(
        email="citizen@example.ma", full_name="مواطن تجريبي", preferred_language="ar"
    )


@pytest.fixture
def department(world):
    return DepartmentFactory(
        organisation=world.organisation,
        slug="lighting",
        name_ar="الإنارة العمومية",
        name_fr="Éclairage public",
    )


@pytest.fixture
def agent_membership(world, department) -> Membership:
    return MembershipFactory(
        user=StaffUserFactory(email="agent@north.ma"),
        organisation=world.organisation,
        department=department,
        role=Role.AGENT,
    )


@pytest.fixture
def agent(agent_membership):
    return agent_membership.user


@pytest.fixture
def other_area_agent_membership(world, department) -> Membership:
    return MembershipFactory(
        user=StaffUserFactory(email="west-agent@north.ma"),
        organisation=world.organisation,
        department=department,
        role=Role.AGENT,
        territories=[world.other_district],
    )


@pytest.fixture
def other_area_agent(other_area_agent_membership):
    return other_area_agent_membership.user


@pytest.fixture
def other_org_agent_membership(world) -> Membership:
    return MembershipFactory(
        user=StaffUserFactory(email="agent@clean-co.ma"),
        organisation=world.other_organisation,
        role=Role.AGENT,
    )


@pytest.fixture
def other_org_agent(other_org_agent_membership):
    return other_org_agent_membership.user


@pytest.fixture
def org_admin_membership(world) -> Membership:
    return MembershipFactory(
        user=StaffUserFactory(email="admin@north.ma"),
        organisation=world.organisation,
        role=Role.ORG_ADMIN,
    )


@pytest.fixture
def org_admin(org_admin_membership):
    return org_admin_membership.user


@pytest.fixture
def platform_admin(db):
    return StaffUserFactory(email="root@jamaati.ma", is_superuser=True)


@pytest.fixture
def real_territories(db):
    """The small real fixture (Rabat, Sidi Kacem, Tétouan, Errachidia, Marrakech, part of Casablanca)."""
    from django.core.management import call_command

    from jamaati.territories import geo

    geo.index_invalidate()
    call_command("load_territories", "--fixture", verbosity=0)
    geo.index_invalidate()  # the load's own on_commit never runs inside a test transaction
    yield
    geo.index_invalidate()
