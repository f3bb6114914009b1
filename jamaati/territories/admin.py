from django.contrib import admin

from jamaati.territories.models import Territory
from jamaati.territories.services import territory_update_names


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    """Territories come from the HCP data (load_territories); people add Tifinagh and English names."""

    list_display = ("code", "name_fr", "name_ar", "level", "kind", "population_2024")
    list_filter = ("level", "kind")
    search_fields = ("code", "name_ar", "name_fr", "name_zgh", "search_text")
    ordering = ("code",)
    fields = (
        "code",
        "level",
        "kind",
        "name_ar",
        "name_fr",
        "name_zgh",
        "name_en",
        "alt_names",
        "population_2024",
        "households_2024",
    )
    readonly_fields = (
        "code",
        "level",
        "kind",
        "name_ar",
        "name_fr",
        "alt_names",
        "population_2024",
        "households_2024",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        territory_update_names(
            territory=obj,
            name_zgh=form.cleaned_data.get("name_zgh") or "",
            name_en=form.cleaned_data.get("name_en") or "",
        )
