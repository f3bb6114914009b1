"""Admin base class for every app, and the admin of core models."""

from django.contrib import admin

from jamaati.audit.admin_site import AuditedModelAdminMixin


class AuditedModelAdmin(AuditedModelAdminMixin, admin.ModelAdmin):
    """Base of every Jamaati ModelAdmin: adds, changes and deletes go to the audit log.

    The admin site also wraps any other ModelAdmin registered on it, so using
    this base is a statement of intent rather than the only safeguard.
    """
