from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from jamaati.core.admin import AuditedModelAdmin
from jamaati.organisations.models import (
    Competence,
    Department,
    Domain,
    Membership,
    Organisation,
    OrganisationKind,
    Referral,
)


class TranslatedAdmin(AuditedModelAdmin, TranslationAdmin):
    """Audited, with one field per language for translated content."""


@admin.register(OrganisationKind)
class OrganisationKindAdmin(TranslatedAdmin):
    list_display = ("slug", "name", "is_collectivity")
    search_fields = ("slug", "name_ar", "name_fr")


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    fields = ("slug", "name_ar", "name_fr", "name_en", "name_zgh")


@admin.register(Organisation)
class OrganisationAdmin(TranslatedAdmin):
    list_display = ("slug", "name", "kind", "seat", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("slug", "name_ar", "name_fr")
    raw_id_fields = ("seat", "territories")
    inlines = [DepartmentInline]


@admin.register(Domain)
class DomainAdmin(TranslatedAdmin):
    list_display = ("slug", "name")
    search_fields = ("slug", "name_ar", "name_fr")


@admin.register(Competence)
class CompetenceAdmin(AuditedModelAdmin):
    list_display = ("domain", "territory", "organisation", "department")
    list_filter = ("domain",)
    search_fields = (
        "organisation__slug",
        "territory__name_fr",
        "territory__name_ar",
        "territory__code",
    )
    raw_id_fields = ("territory",)
    autocomplete_fields = ("organisation",)
    list_select_related = ("domain", "territory", "organisation", "department")


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ("user", "organisation", "department", "role", "is_active")
    list_filter = ("role", "is_active", "organisation")
    search_fields = ("user__username", "user__full_name", "organisation__slug")
    raw_id_fields = ("user", "territories")
    autocomplete_fields = ("organisation",)
    list_select_related = ("user", "organisation", "department")


@admin.register(Referral)
class ReferralAdmin(AuditedModelAdmin):
    list_display = (
        "content_type",
        "object_id",
        "from_organisation",
        "organisation",
        "created_at",
        "revoked_at",
    )
    list_filter = ("content_type", "revoked_at")
    list_select_related = ("content_type", "organisation", "from_organisation")
    readonly_fields = ("created_by",)
