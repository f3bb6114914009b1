"""Citizen pages of service requests: report, receipt, follow, my reports, the public map and list, statistics.

Every page works without JavaScript. With it, htmx refreshes the categories when the place
changes and the nearby open reports when the category changes; the map fills the place.
Public pages never show the reporter or their contact details (selectors.public_requests).
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jamaati.accounts.contact import normalise_destination
from jamaati.accounts.models import OneTimeCode
from jamaati.core.refcodes import refcode_normalise
from jamaati.servicerequests import catalogue, selectors, services
from jamaati.servicerequests.forms import (
    FollowForm,
    PlaceForm,
    ReopenForm,
    ReportForm,
    TrackForm,
    commune_label,
)
from jamaati.servicerequests.models import OPEN_STATUSES, Status
from jamaati.servicerequests.workflow import REOPENABLE
from jamaati.territories.models import Level, Territory
from jamaati.territories.selectors import territory_search

SESSION_REPORTED = "servicerequests_reported"
PLACE_KEYS = ("latitude", "longitude", "commune", "address")
LIST_PAGE_SIZE = 20
STATUS_BADGES = {
    Status.NEW: "text-bg-secondary",
    Status.ACKNOWLEDGED: "text-bg-info",
    Status.IN_PROGRESS: "text-bg-warning",
    Status.RESOLVED: "text-bg-success",
    Status.REJECTED: "text-bg-danger",
    Status.DUPLICATE: "text-bg-light border",
    Status.CLOSED: "text-bg-dark",
}


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or "ar"


def _communes(query: str) -> list[Territory]:
    if query.strip():
        return territory_search(query=query, limit=50, levels=(Level.COMMUNE, Level.ARRONDISSEMENT))
    return selectors.communes_for_reports()


# --- Report a problem ---------------------------------------------------------------------------


def _report_context(request: HttpRequest, place_form: PlaceForm, form: ReportForm | None, **extra):
    place_ok = place_form.is_bound and place_form.is_valid()
    category = None
    if form is not None:
        value = (form.data.get("category") if form.is_bound else form.initial.get("category")) or ""
        category = form.categories.get(str(value))
    nearby = []
    if place_ok and place_form.has_point and form is not None:
        point = {
            "latitude": place_form.cleaned_data["latitude"],
            "longitude": place_form.cleaned_data["longitude"],
        }
        if category is not None:
            nearby = selectors.nearby_open_requests(category=category, **point)
        else:
            nearby = selectors.nearby_open_requests_of(
                categories=list(form.categories.values()), **point
            )
    return {
        "place_form": place_form,
        "place_ok": place_ok,
        "place_query": urlencode(place_form.place_query()) if place_ok else "",
        "place_label": commune_label(place_form.territory) if place_ok else "",
        "form": form,
        "chosen_category": category,
        "nearby": nearby,
        "photos_lost": request.method == "POST" and bool(request.FILES),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """Step 1: where (pin or commune + address); step 2 (once the place is known): what and who."""
    source = request.POST if request.method == "POST" else request.GET
    searching = "find" in source
    communes = _communes(source.get("q", ""))
    has_place = any(source.get(key) for key in PLACE_KEYS)
    if searching or not has_place:
        place_form = PlaceForm(initial=source.dict(), communes=communes)
    else:
        place_form = PlaceForm(source, communes=communes)
    place_ok = place_form.is_bound and place_form.is_valid()
    categories = (
        list(selectors.categories_for_place(territory=place_form.territory)) if place_ok else []
    )
    form = None
    if place_ok:
        if request.method == "POST":
            form = ReportForm(request.POST, request.FILES, categories=categories, user=request.user)
            if form.is_valid():
                place = place_form.cleaned_data
                try:
                    service_request = services.servicerequest_create(
                        **form.service_arguments(),
                        latitude=place.get("latitude"),
                        longitude=place.get("longitude"),
                        commune=place.get("commune") if place.get("latitude") is None else None,
                        address=place.get("address", ""),
                        language=_language(request),
                    )
                except ValidationError as exc:
                    form.add_service_errors(exc, place_form)
                else:
                    reported = request.session.get(SESSION_REPORTED, [])
                    request.session[SESSION_REPORTED] = [service_request.reference, *reported][:20]
                    return redirect("servicerequests:receipt", reference=service_request.reference)
        else:
            form = ReportForm(
                initial={"category": source.get("category", "")},
                categories=categories,
                user=request.user,
            )
    context = _report_context(request, place_form, form, categories=categories)
    if request.htmx and request.method == "GET":
        return render(request, "servicerequests/_report_details.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "servicerequests/report.html", context, status=status)


@require_GET
def report_nearby(request: HttpRequest) -> HttpResponse:
    """The open reports near the place in the chosen category (htmx, when the category changes)."""
    place_form = PlaceForm(request.GET)
    if not place_form.is_valid():
        return render(request, "servicerequests/_report_nearby.html", {"nearby": []})
    categories = list(selectors.categories_for_place(territory=place_form.territory))
    form = ReportForm(
        initial={"category": request.GET.get("category", "")},
        categories=categories,
        user=request.user,
    )
    context = _report_context(request, place_form, form)
    return render(request, "servicerequests/_report_nearby.html", context)


# --- Receipt, follow, support, reopen ---------------------------------------------------------


@require_GET
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    """What the citizen sees right after reporting; anybody else is shown the tracking page."""
    if reference not in request.session.get(SESSION_REPORTED, []):
        return redirect("servicerequests:track", reference=reference)
    service_request = selectors.servicerequest_get_public(reference=reference)
    return render(
        request,
        "servicerequests/receipt.html",
        {
            "service_request": service_request,
            "code_groups": service_request.reference.split("-"),
            "track_url": request.build_absolute_uri(service_request.get_absolute_url()),
            "acknowledge_days": service_request.category.target_acknowledge.days,
            "resolve_days": service_request.category.target_resolve.days,
        },
    )


@require_GET
def track_form(request: HttpRequest) -> HttpResponse:
    """Follow a report: type its tracking code."""
    form = TrackForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        reference = refcode_normalise(form.cleaned_data["code"])
        if selectors.public_requests().filter(reference=reference).exists():
            return redirect("servicerequests:track", reference=reference)
        form.add_error(
            "code",
            _("No report has this tracking code. Check each character and try again."),
        )
    return render(
        request,
        "servicerequests/track_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _is_reporter(request: HttpRequest, service_request) -> bool:
    return (
        request.user.is_authenticated
        and selectors.requests_of_citizen(user=request.user).filter(pk=service_request.pk).exists()
    )


@require_GET
def track(request: HttpRequest, reference: str) -> HttpResponse:
    canonical = refcode_normalise(reference)
    if canonical != reference:
        return redirect("servicerequests:track", reference=canonical)
    service_request = selectors.servicerequest_get_public(reference=reference)
    is_reporter = _is_reporter(request, service_request)
    can_reopen = (
        is_reporter
        and service_request.status in REOPENABLE
        and service_request.resolved_at is not None
        and timezone.now() - service_request.resolved_at <= timedelta(days=services.reopen_days())
    )
    return render(
        request,
        "servicerequests/track.html",
        {
            "service_request": service_request,
            "status_badge": STATUS_BADGES.get(service_request.status, "text-bg-secondary"),
            "timeline": selectors.public_timeline(service_request=service_request),
            "photos": selectors.public_photos(service_request=service_request),
            "is_reporter": is_reporter,
            "can_reopen": can_reopen,
            "reopen_form": ReopenForm() if can_reopen else None,
            "reopen_days": services.reopen_days(),
            "follow_form": None if is_reporter else FollowForm(),
            "is_open": service_request.status in OPEN_STATUSES,
        },
    )


def _contact_from(request: HttpRequest) -> tuple[str, str]:
    """The e-mail address or mobile number a visitor typed, normalised; ('', '') if none."""
    value = request.POST.get("contact", "").strip()
    if not value:
        return "", ""
    destination, channel = normalise_destination(value)
    return (destination, "") if channel == OneTimeCode.Channel.EMAIL else ("", destination)


@require_POST
def support(request: HttpRequest, reference: str) -> HttpResponse:
    """Add one's support to an open report instead of filing the same problem again."""
    service_request = selectors.servicerequest_get_public(reference=reference)
    user = request.user if request.user.is_authenticated else None
    try:
        email, phone = ("", "") if user else _contact_from(request)
        services.servicerequest_support(
            service_request=service_request,
            user=user,
            email=email,
            phone=phone,
            language=_language(request),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("Thank you: your support was added to this report. You need not report it again."),
        )
    return redirect(service_request.get_absolute_url())


@require_POST
def follow(request: HttpRequest, reference: str) -> HttpResponse:
    service_request = selectors.servicerequest_get_public(reference=reference)
    user = request.user if request.user.is_authenticated else None
    form = None if user else FollowForm(request.POST)
    if form is not None and not form.is_valid():
        return _track_with_errors(request, service_request, follow_form=form)
    email, phone = form.cleaned_data["contact"] if form is not None else ("", "")
    try:
        services.servicerequest_follow(
            service_request=service_request,
            user=user,
            email=email,
            phone=phone,
            language=_language(request),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("You will be told of each update of this report."))
    return redirect(service_request.get_absolute_url())


@require_POST
def reopen(request: HttpRequest, reference: str) -> HttpResponse:
    service_request = selectors.servicerequest_get_public(reference=reference)
    if not request.user.is_authenticated:
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _track_with_errors(request, service_request, reopen_form=form)
    try:
        services.servicerequest_reopen(
            service_request=service_request, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The report is open again; the team has been told."))
    return redirect(service_request.get_absolute_url())


def _track_with_errors(request: HttpRequest, service_request, **forms) -> HttpResponse:
    """The tracking page again, with the form that has errors (nothing typed is lost)."""
    is_reporter = _is_reporter(request, service_request)
    context = {
        "service_request": service_request,
        "status_badge": STATUS_BADGES.get(service_request.status, "text-bg-secondary"),
        "timeline": selectors.public_timeline(service_request=service_request),
        "photos": selectors.public_photos(service_request=service_request),
        "is_reporter": is_reporter,
        "can_reopen": "reopen_form" in forms,
        "reopen_days": services.reopen_days(),
        "follow_form": forms.get("follow_form") or (None if is_reporter else FollowForm()),
        "reopen_form": forms.get("reopen_form"),
        "is_open": service_request.status in OPEN_STATUSES,
    }
    return render(request, "servicerequests/track.html", context, status=400)


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


def _with_badges(rows):
    for row in rows:
        row.badge = STATUS_BADGES.get(row.status, "text-bg-secondary")
    return rows


# --- My reports -------------------------------------------------------------------------------


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.requests_of_citizen(user=request.user), LIST_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    _with_badges(page.object_list)
    return render(
        request,
        "servicerequests/my_reports.html",
        {
            "page": page,
        },
    )


# --- Public list, map and statistics ------------------------------------------------------------


def _public_filters(request: HttpRequest) -> dict:
    """The list's filters from the query string; unknown values are ignored, not errors."""
    commune = None
    code = request.GET.get("commune", "").strip()
    if code:
        commune = (
            Territory.objects.filter(code=code, level__in=(Level.COMMUNE, Level.ARRONDISSEMENT))
            .defer("boundary_wkb", "search_text")
            .select_related("province", "commune")
            .first()
        )
    status = request.GET.get("status", "")
    statuses = [status] if status in Status.values else []
    if status == "open":
        statuses = list(OPEN_STATUSES)
    try:
        category_id = int(request.GET.get("category", "") or 0) or None
    except ValueError:
        category_id = None
    return {"commune": commune, "statuses": statuses, "category_id": category_id, "status": status}


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Every public report, filtered, newest first; a map on top when JavaScript runs."""
    filters = _public_filters(request)
    queryset = selectors.public_list(
        statuses=filters["statuses"], category_id=filters["category_id"], commune=filters["commune"]
    )
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    start = (page_number - 1) * LIST_PAGE_SIZE
    # No COUNT(*) over the whole table: one more row than a page tells whether there is a next one.
    rows = _with_badges(list(queryset[start : start + LIST_PAGE_SIZE + 1]))
    communes = selectors.communes_for_reports()
    if filters["commune"] is not None and filters["commune"] not in communes:
        communes = [filters["commune"], *communes]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "servicerequests/list.html",
        {
            "requests": rows[:LIST_PAGE_SIZE],
            "has_next": len(rows) > LIST_PAGE_SIZE,
            "page_number": page_number,
            "query": query.urlencode(),
            "filters": filters,
            "categories": selectors.public_categories(commune=filters["commune"]),
            "communes": [(c.code, commune_label(c)) for c in communes],
            "statuses": [("open", _("Open")), *Status.choices],
            "map_query": urlencode(
                {
                    key: value
                    for key, value in (
                        ("status", filters["status"]),
                        ("category", filters["category_id"] or ""),
                        ("commune", filters["commune"].code if filters["commune"] else ""),
                    )
                    if value
                }
            ),
        },
    )


@require_GET
def map_json(request: HttpRequest) -> JsonResponse:
    """Markers for the public map in a bounding box (west,south,east,north), as GeoJSON."""
    try:
        west, south, east, north = (float(v) for v in request.GET.get("bbox", "").split(","))
    except ValueError:
        return JsonResponse(
            {"error": _("Give the bounding box as west,south,east,north in degrees.")}, status=400
        )
    if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
        return JsonResponse({"error": _("This bounding box is not valid.")}, status=400)
    filters = _public_filters(request)
    rows = list(
        selectors.public_map_requests(
            south=south,
            west=west,
            north=north,
            east=east,
            statuses=filters["statuses"],
            category_id=filters["category_id"],
            commune=filters["commune"],
        )
    )
    categories = catalogue.categories_by_pk({row["category_id"] for row in rows})
    names = {pk: category.name for pk, category in categories.items()}
    labels = {status.value: str(status.label) for status in Status}
    track_url = reverse("servicerequests:track", kwargs={"reference": "REFERENCE"})
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {
                "reference": row["reference"],
                "url": track_url.replace("REFERENCE", row["reference"]),
                "category": names.get(row["category_id"], ""),
                "status": row["status"],
                "status_label": labels[row["status"]],
                "is_open": row["status"] in OPEN_STATUSES,
            },
        }
        for row in rows
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    days, hours = value.days, value.seconds // 3600
    if days:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days} + (
            " " + ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours} if hours else ""
        )
    return ngettext("%(n)d hour", "%(n)d hours", max(hours, 1)) % {"n": max(hours, 1)}


def _percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


@require_GET
def commune_stats(request: HttpRequest, code: str) -> HttpResponse:
    commune = get_object_or_404(
        Territory.objects.defer("boundary_wkb", "search_text").select_related("province"),
        code=code,
        level=Level.COMMUNE,
    )
    stats = selectors.commune_statistics(commune=commune)
    categories = [
        {
            "name": row.category.name,
            "total": row.total,
            "resolved": row.resolved,
            "median": _duration(row.median_resolve),
            "target": _duration(row.category.target_resolve),
            "share": row.share_within_target,
            "percent": _percent(row.share_within_target),
        }
        for row in stats.by_category
    ]
    chart = {
        "status": {
            "title": _("Reports by status"),
            "labels": [s.label for s in stats.by_status],
            "values": [s.count for s in stats.by_status],
        },
        "category": {
            "title": _("Reports by category"),
            "labels": [c["name"] for c in categories],
            "values": [c["total"] for c in categories],
        },
    }
    return render(
        request,
        "servicerequests/stats.html",
        {
            "commune": commune,
            "stats": stats,
            "median": _duration(stats.median_resolve),
            "share_percent": _percent(stats.share_within_target),
            "categories": categories,
            "chart": chart,
            "list_url": reverse("servicerequests:list")
            + "?"
            + urlencode({"commune": commune.code}),
        },
    )
