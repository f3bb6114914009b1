from datetime import timedelta

import factory
from factory.django import DjangoModelFactory

from jamaati.organisations.tests.factories import OrganisationFactory
from jamaati.servicerequests.models import Category, CategoryGroup, CategoryQuestion, QuestionKind


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"category-{n}")
    group = CategoryGroup.LIGHTING
    name_ar = factory.Sequence(lambda n: f"فئة {n}")
    name_fr = factory.Sequence(lambda n: f"Catégorie {n}")
    target_acknowledge = timedelta(days=1)
    target_resolve = timedelta(days=5)


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = CategoryQuestion

    category = factory.SubFactory(CategoryFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    kind = QuestionKind.TEXT
    label_ar = "سؤال"
    label_fr = "Question"
