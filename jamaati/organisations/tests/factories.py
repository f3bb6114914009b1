"""Factories for organisations, staff and the small territory tree the personas live in."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from jamaati.accounts.models import User
from jamaati.organisations.models import (
    Competence,
    Department,
    Domain,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from jamaati.territories.models import Kind, Level, Territory


class TerritoryFactory(DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("code",)

    level = Level.COMMUNE
    kind = Kind.URBAN
    code = factory.Sequence(lambda n: f"99.{n:03d}.01.01")
    slug = factory.Sequence(lambda n: f"territory-{n}")
    name_ar = factory.Sequence(lambda n: f"جماعة {n}")
    name_fr = factory.Sequence(lambda n: f"Commune {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    email = factory.Sequence(lambda n: f"user{n}@example.ma")
    username = factory.LazyAttribute(lambda o: o.email)
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.django.Password("correct horse battery staple")


class StaffUserFactory(UserFactory):
    is_staff = True


class OrganisationKindFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationKind
        django_get_or_create = ("slug",)

    slug = "commune-council"
    name_ar = "مجلس جماعة"
    name_fr = "Conseil communal"
    name_en = "Commune council"
    is_collectivity = True


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name_ar = factory.Sequence(lambda n: f"مؤسسة {n}")
    name_fr = factory.Sequence(lambda n: f"Organisation {n}")
    kind = factory.SubFactory(OrganisationKindFactory)

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("organisation", "slug")

    organisation = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"department-{n}")
    name_ar = factory.Sequence(lambda n: f"قسم {n}")
    name_fr = factory.Sequence(lambda n: f"Service {n}")


class DomainFactory(DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"domain-{n}")
    name_ar = factory.Sequence(lambda n: f"مجال {n}")
    name_fr = factory.Sequence(lambda n: f"Domaine {n}")


class CompetenceFactory(DjangoModelFactory):
    class Meta:
        model = Competence

    organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.SubFactory(DomainFactory)
    territory = factory.SubFactory(TerritoryFactory)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(StaffUserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.AGENT

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)
