from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jamaati.organisations.selectors import organisation_get_public


@require_GET
def organisation_home(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    return render(request, "organisations/home.html", {"organisation": organisation})
