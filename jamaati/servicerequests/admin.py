"""The admin of service requests: the category catalogue and response templates are edited here;
requests themselves are only looked at (the staff workspace and the services change them).

The read-only request page leaves out the reporter and their contact details: reading those
is personal data, done in the staff workspace with a reason and an audit row.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from jamaati.core.admin import AuditedModelAdmin
from jamaati.servicerequests.models import (
    Category,
    CategoryQuestion,
    ResponseTemplate,
    ServiceRequest,
)


class TranslatedAdmin(AuditedModelAdmin, TranslationAdmin):
    """Audited, with one field per language for translated content."""


class CategoryQuestionInline(TranslationTabularInline):
    model = CategoryQuestion
    extra = 0
    fields = ("position", "code", "kind", "label", "help_text", "required", "choices")


@admin.register(Category)
class CategoryAdmin(TranslatedAdmin):
    list_display = (
        "code",
        "name",
        "organisation",
        "group",
        "department",
        "target_acknowledge",
        "target_resolve",
        "allow_anonymous",
        "is_active",
    )
    list_filter = ("group", "is_active", "allow_anonymous")
    search_fields = ("code", "name_ar", "name_fr", "organisation__slug")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation", "department")
    inlines = [CategoryQuestionInline]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(TranslatedAdmin):
    list_display = ("title", "organisation")
    search_fields = ("title_ar", "title_fr", "organisation__slug")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)


# Personal data (law 09-08): never shown in the admin.
_PERSONAL_FIELDS = ("reporter", "contact_name", "contact_email", "contact_phone")


@admin.register(ServiceRequest)
class ServiceRequestAdmin(AuditedModelAdmin):
    list_display = ("reference", "category", "organisation", "commune", "status", "created_at")
    list_filter = ("status", "channel")
    search_fields = ("reference", "external_id")
    date_hierarchy = "created_at"
    list_select_related = ("category", "organisation", "commune")
    show_full_result_count = False  # no COUNT(*) over the whole table on each page
    exclude = _PERSONAL_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in _PERSONAL_FIELDS]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
