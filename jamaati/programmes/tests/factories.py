"""Factories for programmes: rows written directly, for selector and export tests.

Service tests go through the services instead (see conftest.py), so that the rules and the
history rows are exercised.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jamaati.organisations.tests.factories import OrganisationFactory
from jamaati.programmes.models import (
    FundingCommitment,
    Milestone,
    Partner,
    PartnerKind,
    Programme,
    ProgrammeKind,
    Project,
    ProjectTransaction,
    Sector,
    Status,
    TransactionKind,
)


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"partner-{n}")
    name_ar = factory.Sequence(lambda n: f"شريك {n}")
    name_fr = factory.Sequence(lambda n: f"Partenaire {n}")
    name_en = factory.Sequence(lambda n: f"Partner {n}")
    kind = PartnerKind.STATE


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"pac-{n}")
    kind = ProgrammeKind.PAC
    title_ar = "برنامج عمل الجماعة"
    title_fr = "Programme d'action de la commune"
    title_en = "Commune action programme"
    start_date = dt.date(2022, 1, 1)
    end_date = dt.date(2027, 12, 31)


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"P-{n:03d}")
    title_ar = factory.Sequence(lambda n: f"مشروع {n}")
    title_fr = factory.Sequence(lambda n: f"Projet {n}")
    title_en = factory.Sequence(lambda n: f"Project {n}")
    description_ar = "وصف المشروع"
    description_fr = "Description du projet"
    description_en = "Project description"
    sector = Sector.ROADS
    status = Status.WORKS
    total_cost = Decimal("1000000.00")
    latitude = 35.57
    longitude = -5.37
    planned_start = dt.date(2023, 1, 1)
    planned_end = dt.date(2026, 6, 30)

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)
            if self.territory_id is None:
                self.territory = extracted[0]
                self.save(update_fields=["territory"])


class FundingCommitmentFactory(DjangoModelFactory):
    class Meta:
        model = FundingCommitment

    project = factory.SubFactory(ProjectFactory)
    partner = factory.SubFactory(PartnerFactory)
    amount = Decimal("500000.00")


class TransactionFactory(DjangoModelFactory):
    class Meta:
        model = ProjectTransaction

    project = factory.SubFactory(ProjectFactory)
    kind = TransactionKind.EXPENDITURE
    date = dt.date(2024, 3, 1)
    amount = Decimal("100000.00")
    created_at = factory.LazyFunction(timezone.now)


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title_ar = "معلم"
    title_fr = "Jalon"
    title_en = "Milestone"
    planned_date = dt.date(2024, 6, 30)
