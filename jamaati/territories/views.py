from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jamaati.territories.models import Level, Territory


@require_GET
def region_list(request: HttpRequest) -> HttpResponse:
    regions = Territory.objects.filter(level=Level.REGION).order_by("code")
    return render(request, "territories/region_list.html", {"regions": regions})
