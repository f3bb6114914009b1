from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jamaati.organisations.selectors import organisation_list_public
from jamaati.territories.forms import TerritorySearchForm


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    organisations = organisation_list_public().defer("seat__boundary_wkb", "seat__search_text")
    return render(
        request,
        "core/home.html",
        {"organisations": organisations, "search_form": TerritorySearchForm()},
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
