"""The citizen's applications in "My data": shown, exported and erased with the account (law 09-08).

Registered when the app is ready (ProceduresConfig.ready imports this module).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamaati.accounts import personal_data
from jamaati.procedures import selectors, services


@personal_data.register
class ApplicationData:
    """Each application the citizen made, with the answers they gave."""

    key = "procedure_applications"
    title = gettext_lazy("Applications for procedures")

    def collect(self, user) -> list[dict[str, Any]]:
        return [
            {
                _("Reference"): application.reference,
                _("Procedure"): application.procedure.title,
                _("Status"): str(application.get_status_display()),
                _("Submitted at"): application.submitted_at.isoformat()
                if application.submitted_at
                else "",
                _("Answers"): application.answers,
                _("Consent given at the counter"): application.consent_text,
            }
            for application in selectors.applications_of_citizen(user=user)
        ]

    def erase(self, user) -> None:
        services.applications_erase_citizen(user=user)
