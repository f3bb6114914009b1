from django.contrib import admin

from jamaati.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is append-only: the admin can read it, never add, change or delete."""

    list_display = (
        "created_at",
        "actor",
        "organisation",
        "action",
        "target_type",
        "target_repr",
        "ip_address",
    )
    list_filter = ("action", "target_type")
    search_fields = ("actor__username", "actor__full_name", "target_repr", "target_id")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "organisation")
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
