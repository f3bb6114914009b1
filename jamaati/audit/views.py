from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jamaati.accounts.decorators import staff_member_verified_required
from jamaati.audit.forms import AuditEventFilterForm
from jamaati.audit.selectors import audit_events_filter, audit_events_for

EVENTS_PER_PAGE = 50


@staff_member_verified_required
@require_GET
def audit_event_list(request: HttpRequest) -> HttpResponse:
    events = audit_events_for(user=request.user)
    form = AuditEventFilterForm(request.GET or None)
    if form.is_valid():
        events = audit_events_filter(
            events,
            action=form.cleaned_data["action"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            actor_query=form.cleaned_data["actor"],
        )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "filter_query": query.urlencode()},
    )
