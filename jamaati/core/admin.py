"""Admin base class for every app, and the admin of core models."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from jamaati.audit.admin_site import AuditedModelAdminMixin
from jamaati.core.actors import Actor
from jamaati.core.models import Holiday
from jamaati.core.workdays import holiday_confirm


class AuditedModelAdmin(AuditedModelAdminMixin, admin.ModelAdmin):
    """Base of every Jamaati ModelAdmin: adds, changes and deletes go to the audit log.

    The admin site also wraps any other ModelAdmin registered on it, so using
    this base is a statement of intent rather than the only safeguard.
    """


@admin.register(Holiday)
class HolidayAdmin(AuditedModelAdminMixin, TranslationAdmin):
    list_display = ("date", "name", "kind", "is_confirmed", "estimated_date")
    list_filter = ("kind", "is_confirmed")
    date_hierarchy = "date"
    search_fields = ("name_ar", "name_fr", "name_en", "key")
    readonly_fields = ("estimated_date",)
    actions = ["confirm"]

    @admin.action(
        description=_("Confirm the selected holidays on their current dates"),
        permissions=["change"],
    )
    def confirm(self, request, queryset):
        count = holiday_confirm(actor=Actor.from_request(request), holidays=queryset)
        self.message_user(
            request,
            ngettext("%(count)d holiday confirmed.", "%(count)d holidays confirmed.", count)
            % {"count": count},
            messages.SUCCESS,
        )
