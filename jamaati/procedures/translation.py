from modeltranslation.translator import TranslationOptions, register

from jamaati.procedures.models import Procedure, RequiredDocument, Zone, ZoningPlan


@register(RequiredDocument)
class RequiredDocumentTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Procedure)
class ProcedureTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "eligibility", "legal_basis")


@register(ZoningPlan)
class ZoningPlanTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Zone)
class ZoneTranslationOptions(TranslationOptions):
    fields = ("name", "rules")
