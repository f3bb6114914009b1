"""Tétouan on the real territory fixture: the commune council, a waste company, their staff."""

from dataclasses import dataclass

import pytest

from jamaati.organisations.models import Membership, Organisation, Role
from jamaati.organisations.tests.factories import (
    CompetenceFactory,
    DepartmentFactory,
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationKindFactory,
    StaffUserFactory,
)
from jamaati.servicerequests.models import Category, CategoryGroup
from jamaati.servicerequests.tests.factories import CategoryFactory
from jamaati.territories.models import Territory

TETOUAN_POINT = (35.5785, -5.3684)
RABAT_POINT = (34.0209, -6.8416)
SEA_POINT = (36.5, -4.0)


@dataclass
class Tetouan:
    commune: Territory
    council: Organisation
    company: Organisation
    lighting: Category
    waste: Category
    agent: Membership
    head: Membership
    company_agent: Membership
    outsider: Membership


@pytest.fixture
def tetouan(real_territories) -> Tetouan:
    commune = Territory.objects.get(code="01.571.01.11")
    kind = OrganisationKindFactory(slug="commune-council")
    council = OrganisationFactory(
        slug="tetouan",
        seat=commune,
        territories=[commune],
        kind=kind,
        name_ar="جماعة تطوان",
        name_fr="Commune de Tétouan",
    )
    company = OrganisationFactory(
        slug="tetouan-proprete",
        territories=[commune],
        name_fr="Tétouan Propreté",
        kind=OrganisationKindFactory(slug="concession-company", is_collectivity=False),
    )
    lighting_department = DepartmentFactory(organisation=council, slug="public-lighting")
    collection = DepartmentFactory(organisation=company, slug="collection")
    lighting_domain, waste_domain = (
        DomainFactory(slug="public-lighting"),
        DomainFactory(slug="waste-collection"),
    )
    CompetenceFactory(
        organisation=council,
        domain=lighting_domain,
        territory=commune,
        department=lighting_department,
    )
    CompetenceFactory(
        organisation=company, domain=waste_domain, territory=commune, department=collection
    )
    lighting = CategoryFactory(
        organisation=council,
        code="streetlight",
        group=CategoryGroup.LIGHTING,
        domain=lighting_domain,
        department=lighting_department,
        allow_anonymous=True,
    )
    waste = CategoryFactory(
        organisation=council,
        code="waste",
        group=CategoryGroup.CLEANLINESS,
        domain=waste_domain,
        allow_anonymous=False,
    )
    agent = MembershipFactory(
        user=StaffUserFactory(email="agent@tetouan.ma"),
        organisation=council,
        department=lighting_department,
        role=Role.AGENT,
    )
    head = MembershipFactory(
        user=StaffUserFactory(email="head@tetouan.ma"),
        organisation=council,
        department=lighting_department,
        role=Role.DEPARTMENT_HEAD,
    )
    company_agent = MembershipFactory(
        user=StaffUserFactory(email="agent@proprete.ma"),
        organisation=company,
        department=collection,
        role=Role.AGENT,
    )
    elsewhere = OrganisationFactory(
        slug="rabat", territories=[Territory.objects.get(code="04.421.01.0")]
    )
    outsider = MembershipFactory(
        user=StaffUserFactory(email="agent@rabat.ma"), organisation=elsewhere, role=Role.AGENT
    )
    return Tetouan(commune, council, company, lighting, waste, agent, head, company_agent, outsider)
