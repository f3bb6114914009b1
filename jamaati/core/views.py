from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jamaati.organisations.selectors import organisation_list_public


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"organisations": organisation_list_public()})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
