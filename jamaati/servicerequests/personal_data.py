"""The citizen's reports in "My data": shown, exported and erased with the account (law 09-08)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamaati.accounts import personal_data
from jamaati.servicerequests import selectors, services


@personal_data.register
class ServiceRequestData:
    """Each report the citizen made with their account, with the personal fields it holds."""

    key = "service_requests"
    title = gettext_lazy("Reported problems")

    def collect(self, user) -> list[dict[str, Any]]:
        return [
            {
                _("Tracking code"): sr.reference,
                _("Reported on"): sr.created_at.isoformat(),
                _("Category"): sr.category.name,
                _("Status"): str(sr.get_status_display()),
                _("Description"): sr.description,
                _("Address"): sr.address,
                _("Latitude"): sr.latitude,
                _("Longitude"): sr.longitude,
                _("Name"): sr.contact_name,
                _("E-mail address"): sr.contact_email,
                _("Mobile number"): sr.contact_phone,
            }
            for sr in selectors.requests_of_citizen(user=user)
        ]

    def erase(self, user) -> None:
        services.servicerequests_erase_citizen(user=user)


@personal_data.register
class FollowedRequestData:
    """The reports the citizen follows or supports (they are told of their updates)."""

    key = "service_request_follows"
    title = gettext_lazy("Reports you follow")

    def collect(self, user) -> list[dict[str, Any]]:
        return [
            {
                _("Tracking code"): follower.service_request.reference,
                _("Since"): follower.created_at.isoformat(),
                _("Supporter"): follower.is_supporter,
                _("Told of updates"): follower.notify,
            }
            for follower in selectors.follows_of_citizen(user=user)
        ]

    def erase(self, user) -> None:
        # servicerequests_erase_citizen (above) already removes the follows.
        services.servicerequests_erase_citizen(user=user)
