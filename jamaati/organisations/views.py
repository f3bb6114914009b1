from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from jamaati.organisations.branding import brand_palette, brand_stylesheet
from jamaati.organisations.selectors import organisation_get_public, organisation_list_public

# The selectors join the seat territory; its polygon is never shown on these pages.
_SEAT_HEAVY = ("seat__boundary_wkb", "seat__search_text")


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organisations/list.html",
        {
            "organisations": organisation_list_public().defer(*_SEAT_HEAVY),
            "breadcrumbs": [
                {"url": reverse("home"), "label": _("Home")},
                {"url": "", "label": _("Organisations")},
            ],
        },
    )


@require_GET
def organisation_home(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    return render(
        request,
        "organisations/home.html",
        {
            "organisation": organisation,
            "territories": organisation.territories.defer("boundary_wkb", "search_text").order_by(
                "level", "code"
            ),
            "departments": organisation.departments.order_by("slug"),
            "breadcrumbs": [
                {"url": reverse("home"), "label": _("Home")},
                {"url": reverse("organisations:list"), "label": _("Organisations")},
                {"url": "", "label": organisation.name},
            ],
        },
    )


# The page links the stylesheet with ?v=<last change>, so a long cache is safe.
@require_GET
@cache_control(public=True, max_age=7 * 86400)
def organisation_brand_css(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    css = brand_stylesheet(brand_palette(organisation.primary_color))
    return HttpResponse(css, content_type="text/css; charset=utf-8")
