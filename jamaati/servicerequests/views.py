"""Public pages of service requests: follow a report by its tracking code, stop notifications."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jamaati.servicerequests import selectors, services


@require_GET
def track(request: HttpRequest, reference: str) -> HttpResponse:
    service_request = selectors.servicerequest_get_public(reference=reference)
    return render(
        request,
        "servicerequests/track.html",
        {
            "service_request": service_request,
            "timeline": selectors.public_timeline(service_request=service_request),
            "photos": selectors.public_photos(service_request=service_request),
        },
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            follower = services.follower_unsubscribe(token=token)
        except ValidationError as exc:
            return render(
                request, "servicerequests/unsubscribe.html", {"error": exc.messages[0]}, status=404
            )
        messages.success(request, _("You will no longer receive messages about this report."))
        return redirect(follower.service_request.get_absolute_url())
    return render(request, "servicerequests/unsubscribe.html", {"token": token})
