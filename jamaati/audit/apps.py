from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "jamaati.audit"
    label = "audit"
    verbose_name = _("Audit")


class AuditedAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with a site that audits every add, change and delete.

    Listed in INSTALLED_APPS in place of "django.contrib.admin".
    """

    default = False
    default_site = "jamaati.audit.admin_site.AuditedAdminSite"
