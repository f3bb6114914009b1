from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jamaati.procedures"
    label = "procedures"
    verbose_name = _("E-services")

    def ready(self) -> None:
        # Register a citizen's applications with "My data" (view, export, erase).
        from jamaati.procedures import personal_data  # noqa: F401
