"""The admin of e-services: the document catalogue, procedures and urban plans are edited here.

Applications are only looked at (the staff pages and the services change them); the applicant
and the answers are personal data and stay out of the admin.
Forms are edited with the form builder, never as raw JSON here.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from jamaati.core.admin import AuditedModelAdmin
from jamaati.procedures.models import (
    Application,
    Procedure,
    ProcedureDocument,
    RequiredDocument,
    Zone,
    ZoningPlan,
)


class TranslatedAdmin(AuditedModelAdmin, TranslationAdmin):
    """Audited, with one field per language for translated content."""


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(TranslatedAdmin):
    list_display = ("code", "name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_ar", "name_fr")


class ProcedureDocumentInline(admin.TabularInline):
    model = ProcedureDocument
    extra = 0
    autocomplete_fields = ("document",)


@admin.register(Procedure)
class ProcedureAdmin(TranslatedAdmin):
    list_display = (
        "slug",
        "title",
        "organisation",
        "department",
        "fee",
        "processing_days",
        "channel",
        "silence_means_approval",
        "is_published",
    )
    list_filter = ("is_published", "channel", "silence_means_approval")
    search_fields = ("slug", "title_ar", "title_fr", "organisation__slug")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation", "department")
    inlines = [ProcedureDocumentInline]


class ZoneInline(TranslationTabularInline):
    model = Zone
    extra = 0
    fields = ("code", "name", "allowed_uses", "max_height_m", "max_floors", "plot_ratio")


@admin.register(ZoningPlan)
class ZoningPlanAdmin(TranslatedAdmin):
    list_display = ("slug", "name", "organisation", "approved_on", "is_active")
    autocomplete_fields = ("organisation",)
    inlines = [ZoneInline]


_PERSONAL_FIELDS = ("applicant", "answers", "consent_text")


@admin.register(Application)
class ApplicationAdmin(AuditedModelAdmin):
    list_display = ("reference", "procedure", "organisation", "status", "submitted_at", "due_date")
    list_filter = ("status", "channel")
    search_fields = ("reference",)
    date_hierarchy = "created_at"
    list_select_related = ("procedure", "organisation")
    show_full_result_count = False
    exclude = _PERSONAL_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in _PERSONAL_FIELDS]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
