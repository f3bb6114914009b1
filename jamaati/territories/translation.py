from modeltranslation.translator import TranslationOptions, register

from jamaati.territories.models import Territory


@register(Territory)
class TerritoryTranslationOptions(TranslationOptions):
    fields = ("name",)
