from modeltranslation.translator import TranslationOptions, register

from jamaati.core.models import Holiday


@register(Holiday)
class HolidayTranslationOptions(TranslationOptions):
    fields = ("name",)
