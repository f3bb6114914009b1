from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jamaati.apikeys.models import ApiKey
from jamaati.apikeys.services import apikey_revoke
from jamaati.core.actors import Actor
from jamaati.core.admin import AuditedModelAdmin


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedModelAdmin):
    """Keys are issued by `apikey_issue` (which shows the secret once), never typed in here."""

    list_display = (
        "name",
        "prefix",
        "kind",
        "organisation",
        "user",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("kind", "revoked_at")
    search_fields = ("name", "prefix", "organisation__slug", "user__username")
    list_select_related = ("organisation", "user")
    fields = (
        "kind",
        "name",
        "prefix",
        "user",
        "membership",
        "organisation",
        "scopes",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    readonly_fields = (
        "kind",
        "prefix",
        "user",
        "membership",
        "organisation",
        "scopes",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        actor = Actor.from_request(request)
        count = 0
        for api_key in queryset:
            if api_key.revoked_at is None:
                apikey_revoke(actor=actor, api_key=api_key)
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
