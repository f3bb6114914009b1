from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jamaati.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from jamaati.accounts import personal_data
        from jamaati.accounts.personal_data_builtin import BUILTIN_PROVIDERS

        for provider in BUILTIN_PROVIDERS:
            personal_data.register(provider)
