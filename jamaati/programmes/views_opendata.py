"""The open data files of an organisation's projects, under /open-data/<organisation-slug>/.

Plain Django views (no language prefix): `?lang=fr` (or en) chooses the language of titles and
descriptions; Arabic by default. Only published projects of active organisations appear.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from jamaati.organisations.models import Organisation
from jamaati.programmes.exports import csv as csv_export
from jamaati.programmes.exports import iati, oc4ids


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.filter(is_active=True), slug=slug)


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "")
    return wanted if wanted in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def oc4ids_package(request: HttpRequest, slug: str) -> JsonResponse:
    organisation = _organisation(slug)
    with translation.override(_language(request)):
        package = oc4ids.project_package(
            organisation,
            base_url=_base_url(request),
            uri=request.build_absolute_uri(reverse("opendata:oc4ids", kwargs={"slug": slug})),
        )
    if package is None:
        raise Http404
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False})


@require_GET
def iati_activities(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    with translation.override(_language(request)):
        document = iati.activities_document(organisation, base_url=_base_url(request))
    if document is None:
        raise Http404
    return HttpResponse(document, content_type="application/xml; charset=utf-8")


def _csv_response(text: str, filename: str) -> HttpResponse:
    # The byte order mark lets spreadsheet programs read Arabic correctly.
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def projects_csv(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    with translation.override(_language(request)):
        text = csv_export.projects_csv(organisation)
    return _csv_response(text, f"{slug}-projects.csv")


@require_GET
def transactions_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return _csv_response(
        csv_export.transactions_csv(_organisation(slug)), f"{slug}-transactions.csv"
    )
