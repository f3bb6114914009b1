"""Programme fixtures on the shared personas (conftest.py at the root): the commune council
"north" owns the projects; `org_admin` plans, `agent` acts on works, `other_org_agent` and
`other_area_agent` are outsiders to a project in the commune "north"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jamaati.core.actors import Actor
from jamaati.programmes import services
from jamaati.programmes.models import PartnerKind, Sector
from jamaati.programmes.tests.factories import PartnerFactory


@pytest.fixture
def planner(org_admin) -> Actor:
    return Actor(user=org_admin)


@pytest.fixture
def works_agent(agent) -> Actor:
    return Actor(user=agent)


@pytest.fixture
def outsider(other_org_agent) -> Actor:
    return Actor(user=other_org_agent)


@pytest.fixture
def area_outsider(other_area_agent) -> Actor:
    return Actor(user=other_area_agent)


@pytest.fixture
def undp(db):
    return PartnerFactory(
        slug="undp",
        name_ar="برنامج الأمم المتحدة الإنمائي",
        name_fr="Programme des Nations unies pour le développement",
        name_en="United Nations Development Programme",
        acronym="UNDP",
        kind=PartnerKind.INTERNATIONAL,
        iati_ref="XM-DAC-41114",
    )


@pytest.fixture
def commune_partner(world):
    return PartnerFactory(
        slug="north-council",
        name_fr="Commune de Nord",
        kind=PartnerKind.COLLECTIVITY,
        organisation=world.organisation,
    )


@pytest.fixture
def project(world, planner):
    return services.project_create(
        organisation=world.organisation,
        code="PAC-01",
        title={"ar": "تهيئة شارع محمد الخامس", "fr": "Aménagement de l'avenue Mohammed V"},
        description={"ar": "تهيئة وإنارة", "fr": "Aménagement et éclairage"},
        sector=Sector.ROADS,
        territories=[world.commune],
        latitude=35.57,
        longitude=-5.37,
        total_cost=Decimal("1000000.00"),
        planned_start=dt.date(2024, 1, 1),
        planned_end=dt.date(2026, 12, 31),
        actor=planner,
    )
