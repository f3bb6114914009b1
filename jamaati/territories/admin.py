from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from jamaati.territories.models import Territory


@admin.register(Territory)
class TerritoryAdmin(TranslationAdmin):
    """Territories come from the HCP data (load_territories); people add Tifinagh and English names."""

    list_display = ("code", "name", "level", "kind", "population_2024")
    list_filter = ("level", "kind")
    search_fields = ("code", "name_ar", "name_fr", "name_zgh", "search_text")
    ordering = ("code",)
    fields = ("code", "level", "kind", "name", "alt_names", "population_2024", "households_2024")
    readonly_fields = ("code", "level", "kind", "alt_names", "population_2024", "households_2024")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
