from modeltranslation.translator import TranslationOptions, register

from jamaati.organisations.models import Department, Domain, Organisation, OrganisationKind


@register(OrganisationKind)
class OrganisationKindTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Department)
class DepartmentTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Domain)
class DomainTranslationOptions(TranslationOptions):
    fields = ("name",)
