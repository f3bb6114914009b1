from modeltranslation.translator import TranslationOptions, register

from jamaati.servicerequests.models import Category, CategoryQuestion, ResponseTemplate


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "help_text")


@register(CategoryQuestion)
class CategoryQuestionTranslationOptions(TranslationOptions):
    fields = ("label", "help_text")


@register(ResponseTemplate)
class ResponseTemplateTranslationOptions(TranslationOptions):
    fields = ("title", "body")
