from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicerequestsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jamaati.servicerequests"
    label = "servicerequests"
    verbose_name = _("Service requests")

    def ready(self) -> None:
        # Register the citizen's reports with "My data" (view, export, erase).
        from jamaati.servicerequests import catalogue, personal_data  # noqa: F401

        catalogue.connect_invalidation()
