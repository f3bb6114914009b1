"""The admin of programmes: partners and programmes are edited here; projects, conventions and
committees are only looked at (their writes go through the services, with history and audit)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from jamaati.core.admin import AuditedModelAdmin
from jamaati.programmes.models import (
    Convention,
    Partner,
    Programme,
    Project,
    SteeringCommittee,
    StrategicAxis,
)


class TranslatedAdmin(AuditedModelAdmin, TranslationAdmin):
    """Audited, with one field per language for translated content."""


class ReadOnlyAdmin(AuditedModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Partner)
class PartnerAdmin(TranslatedAdmin):
    list_display = ("slug", "name", "acronym", "kind", "organisation", "iati_ref")
    list_filter = ("kind",)
    search_fields = ("slug", "acronym", "name_ar", "name_fr", "name_en")
    autocomplete_fields = ("organisation",)


class AxisInline(TranslationTabularInline):
    model = StrategicAxis
    extra = 0
    fields = ("position", "code", "title", "description")


@admin.register(Programme)
class ProgrammeAdmin(TranslatedAdmin):
    list_display = (
        "slug",
        "title",
        "organisation",
        "kind",
        "start_date",
        "end_date",
        "is_published",
    )
    list_filter = ("kind", "is_published")
    search_fields = ("slug", "title_ar", "title_fr", "organisation__slug")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)
    inlines = [AxisInline]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "title",
        "organisation",
        "sector",
        "status",
        "total_cost",
        "physical_progress",
    )
    list_filter = ("status", "sector", "is_published")
    search_fields = ("code", "title_ar", "title_fr", "organisation__slug")
    list_select_related = ("organisation",)
    show_full_result_count = False


@admin.register(Convention)
class ConventionAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "organisation", "kind", "signed_on", "duration_months")
    list_filter = ("kind",)
    search_fields = ("reference", "title_ar", "title_fr", "organisation__slug")
    list_select_related = ("organisation",)


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(ReadOnlyAdmin):
    list_display = ("slug", "name", "organisation", "is_published", "published_at")
    list_select_related = ("organisation",)
