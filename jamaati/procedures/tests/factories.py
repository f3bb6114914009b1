"""Factories for e-services: catalogue documents, procedures with a published form, applications."""

from __future__ import annotations

import copy

import factory
from factory.django import DjangoModelFactory

from jamaati.organisations.tests.factories import OrganisationFactory
from jamaati.procedures.models import (
    Form,
    FormVersion,
    Procedure,
    ProcedureDocument,
    RequiredDocument,
)


class RequiredDocumentFactory(DjangoModelFactory):
    class Meta:
        model = RequiredDocument
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"document-{n}")
    name = factory.LazyAttribute(lambda o: o.name_ar)
    name_ar = factory.Sequence(lambda n: f"وثيقة {n}")
    name_fr = factory.Sequence(lambda n: f"Document {n}")
    name_en = factory.Sequence(lambda n: f"Document {n}")


class ProcedureFactory(DjangoModelFactory):
    class Meta:
        model = Procedure
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"procedure-{n}")
    title = factory.LazyAttribute(lambda o: o.title_ar)
    title_ar = factory.Sequence(lambda n: f"مسطرة {n}")
    title_fr = factory.Sequence(lambda n: f"Démarche {n}")
    title_en = factory.Sequence(lambda n: f"Procedure {n}")
    processing_days = 10
    is_published = True

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        from jamaati.procedures.services import procedure_search_text

        obj.search_text = procedure_search_text(obj)
        if create:
            obj.save(update_fields=["search_text"])


def label(ar: str, fr: str, en: str | None = None) -> dict[str, str]:
    return {"ar": ar, "fr": fr, "en": en or fr}


def field(key: str, kind: str, *, required: bool = False, **options) -> dict:
    return {
        "key": key,
        "type": kind,
        "label": label(f"حقل {key}", f"Champ {key}"),
        "required": required,
        **options,
    }


def choice(key: str) -> dict:
    return {"key": key, "label": label(f"خيار {key}", f"Choix {key}")}


def publish_schema(procedure: Procedure, schema: dict, *, documents=()) -> FormVersion:
    """Give `procedure` a form whose published version is `schema` (rows only: no builder, no audit)."""
    for position, document in enumerate(documents):
        ProcedureDocument.objects.get_or_create(
            procedure=procedure, document=document, defaults={"position": position}
        )
    form, _created = Form.objects.get_or_create(procedure=procedure)
    number = form.versions.count() + 1
    from django.utils import timezone

    version = FormVersion.objects.create(
        form=form, number=number, schema=copy.deepcopy(schema), published_at=timezone.now()
    )
    form.draft = copy.deepcopy(schema)
    form.current_version = version
    form.save()
    return version
