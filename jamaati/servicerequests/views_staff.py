"""The staff workspace for service requests: the queue, its map, bulk actions, one request's page.

Every view is three steps: authorise-and-fetch in one selector call
(`servicerequest_get_for_staff` answers 404 outside the staff member's scope), one
service call for a write, then render or redirect. Only verified staff (password and
second factor) reach these pages.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from jamaati.accounts.decorators import staff_member_verified_required
from jamaati.core.actors import Actor
from jamaati.organisations import permissions
from jamaati.servicerequests import selectors, selectors_staff, services, services_staff
from jamaati.servicerequests.forms_staff import (
    AssignForm,
    BulkActionForm,
    CommentForm,
    ContactRevealForm,
    MergeForm,
    QueueFilterForm,
    TransferForm,
    TransitionForm,
)
from jamaati.servicerequests.models import QuestionKind, ServiceRequest, Status
from jamaati.servicerequests.workflow import ALLOWED_TRANSITIONS

REQUESTS_PER_PAGE = 50
MAP_POINTS_MAX = 2000


def _add_service_errors(form: Form, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form, next to the field it concerns when there is one."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("You may not act on this request."))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or _("You may not act on this request.")
    return " ".join(error.messages)


def _crumbs(*pages: tuple[str, str]) -> list[dict[str, str]]:
    items = [
        {"url": reverse("home"), "label": _("Home")},
        {"url": reverse("staff:home"), "label": _("Staff area")},
        {"url": reverse("staff_requests:queue"), "label": _("Service requests")},
    ]
    items.extend({"url": url, "label": label} for url, label in pages)
    return items


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# --- Queue and map -------------------------------------------------------------------------


def _filtered_queue(request: HttpRequest) -> tuple[QueueFilterForm, Any]:
    form = QueueFilterForm(request.GET or None, user=request.user)
    queryset = selectors.staff_queue(user=request.user, **form.queue_filters())
    return form, queryset


@never_cache
@staff_member_verified_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Open requests by default, the staff member's departments first, newest first."""
    form, queryset = _filtered_queue(request)
    queryset = selectors_staff.with_overdue_flag(
        selectors_staff.staff_queue_ordered(queryset, user=request.user)
    )
    page = Paginator(queryset, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "servicerequests/staff/queue.html",
        {
            "form": form,
            "page": page,
            "bulk_form": BulkActionForm(user=request.user),
            "filters_query": _query_without(request, "page"),
            "section": "list",
            "breadcrumbs": [*_crumbs()[:-1], {"url": "", "label": _("Service requests")}],
        },
    )


@never_cache
@staff_member_verified_required
@require_GET
def queue_map(request: HttpRequest) -> HttpResponse:
    """The same filtered queue, on a map drawn by static JavaScript from `queue_map_data`."""
    form, _queryset = _filtered_queue(request)
    filters_query = _query_without(request, "page")
    data_url = reverse("staff_requests:map_data")
    return render(
        request,
        "servicerequests/staff/map.html",
        {
            "form": form,
            "filters_query": filters_query,
            "data_url": f"{data_url}?{filters_query}" if filters_query else data_url,
            "section": "map",
            "breadcrumbs": _crumbs(("", _("Map"))),
        },
    )


@never_cache
@staff_member_verified_required
@require_GET
def queue_map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the filtered queue's placed requests (at most MAP_POINTS_MAX, newest first)."""
    _form, queryset = _filtered_queue(request)
    points = list(selectors_staff.staff_queue_map_points(queryset, limit=MAP_POINTS_MAX + 1))
    truncated = len(points) > MAP_POINTS_MAX
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [sr.longitude, sr.latitude]},
            "properties": {
                "reference": sr.reference,
                "status": sr.status,
                "status_label": str(Status(sr.status).label),
                "category": sr.category.name,
                "overdue": sr.is_overdue,
                "url": reverse("staff_requests:detail", args=[sr.pk]),
            },
        }
        for sr in points[:MAP_POINTS_MAX]
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features, "truncated": truncated},
        content_type="application/geo+json",
    )


@staff_member_verified_required
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Acknowledge or assign each selected request through its service, one transaction per row."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("staff_requests:queue")
    form = BulkActionForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(next_url)
    action = form.cleaned_data["action"]
    assignee = form.cleaned_data["assignee"]
    done: list[str] = []
    failed: list[tuple[str, str]] = []
    for pk in form.cleaned_data["selected"]:
        try:
            service_request, membership = selectors.servicerequest_get_for_staff(
                user=request.user, pk=pk, write=True
            )
        except Http404:
            failed.append(
                (f"#{pk}", _("This request does not exist or is outside what you may act on."))
            )
            continue
        actor = Actor.from_request(request, membership=membership)
        try:
            if action == BulkActionForm.ACKNOWLEDGE:
                services.servicerequest_transition(
                    service_request=service_request, to_status=Status.ACKNOWLEDGED, actor=actor
                )
            else:
                services.servicerequest_assign(
                    service_request=service_request, assignee=assignee, actor=actor
                )
        except (ValidationError, PermissionDenied) as error:
            failed.append((service_request.reference, _error_text(error)))
        else:
            done.append(service_request.reference)
    if done:
        if action == BulkActionForm.ACKNOWLEDGE:
            text = ngettext(
                "%(count)d request acknowledged.", "%(count)d requests acknowledged.", len(done)
            )
        else:
            text = ngettext(
                "%(count)d request assigned to %(person)s.",
                "%(count)d requests assigned to %(person)s.",
                len(done),
            )
        messages.success(
            request,
            text % {"count": len(done), "person": assignee.get_full_name() if assignee else ""},
        )
    for reference, reason in failed:
        messages.error(
            request,
            _("%(reference)s was not changed: %(reason)s")
            % {"reference": reference, "reason": reason},
        )
    return redirect(next_url)


# --- One request --------------------------------------------------------------------------


def _answers(service_request: ServiceRequest) -> list[dict[str, str]]:
    """The extra questions' answers, with their question and the chosen labels in this language."""
    language = get_language() or "ar"
    rows = []
    answers = service_request.answers or {}
    for question in service_request.category.questions.all():
        if question.code not in answers:
            continue
        value = answers[question.code]
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            labels = {
                c.get("key"): c.get(f"label_{language}") or c.get("label_fr") or c.get("key")
                for c in question.choices
            }
            values = value if isinstance(value, list) else [value]
            value = ", ".join(str(labels.get(v, v)) for v in values)
        rows.append({"question": question.label, "answer": str(value)})
    return rows


def _detail_context(
    request: HttpRequest, service_request: ServiceRequest, membership, **overrides
) -> dict[str, Any]:
    can_act = membership.role in permissions.ACTING_ROLES or (
        permissions.staff_access(
            user=request.user,
            organisation=service_request.organisation,
            territory=service_request.territory,
            target=service_request,
            write=True,
        )
        is not None
    )
    is_owner = membership.organisation_id == service_request.organisation_id
    templates = list(
        selectors_staff.response_templates_of(organisation_id=membership.organisation_id)
    )
    initial_body = ""
    template_id = request.GET.get("template", "")
    if template_id.isdigit():
        initial_body = next((t.body for t in templates if t.pk == int(template_id)), "")
    can_merge = "duplicate" in ALLOWED_TRANSITIONS.get(service_request.status, frozenset())
    context = {
        "service_request": service_request,
        "membership": membership,
        "can_act": can_act,
        "is_overdue": selectors_staff.servicerequest_is_overdue(service_request),
        "is_owner": is_owner,
        "timeline": selectors.staff_timeline(service_request=service_request),
        "photos": selectors_staff.servicerequest_staff_photos(service_request=service_request),
        "answers": _answers(service_request),
        "has_contact": services_staff.servicerequest_has_contact(service_request),
        "contact": None,
        "response_templates": templates,
        "status_form": TransitionForm(service_request=service_request),
        "assign_form": AssignForm(
            service_request=service_request,
            initial={"assignee": service_request.assigned_to_id},
        ),
        "comment_form": CommentForm(
            initial={"body": initial_body, "visibility": CommentForm.PUBLIC}
            if initial_body
            else None
        ),
        "transfer_form": TransferForm(service_request=service_request) if is_owner else None,
        "can_merge": can_merge,
        "merge_form": MergeForm() if can_merge else None,
        "merge_suggestions": selectors_staff.servicerequest_merge_suggestions(
            service_request=service_request
        )
        if can_merge
        else [],
        "contact_form": ContactRevealForm(),
        "breadcrumbs": _crumbs(("", service_request.reference)),
    }
    context.update(overrides)
    return context


def _render_detail(
    request: HttpRequest, service_request: ServiceRequest, membership, **overrides
) -> HttpResponse:
    return render(
        request,
        "servicerequests/staff/detail.html",
        _detail_context(request, service_request, membership, **overrides),
    )


def _fetch(request: HttpRequest, pk: int, *, write: bool = False):
    return selectors.servicerequest_get_for_staff(user=request.user, pk=pk, write=write)


def _done(request: HttpRequest, service_request: ServiceRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("staff_requests:detail", pk=service_request.pk)


@never_cache
@staff_member_verified_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    service_request, membership = _fetch(request, pk)
    return _render_detail(request, service_request, membership)


@never_cache
@staff_member_verified_required
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    service_request, membership = _fetch(request, pk, write=True)
    form = TransitionForm(request.POST, service_request=service_request)
    if form.is_valid():
        try:
            services.servicerequest_transition(
                service_request=service_request,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
                reason=form.cleaned_data["reason"],
                actor=Actor.from_request(request, membership=membership),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_service_errors(form, error)
        else:
            return _done(
                request,
                service_request,
                _("The request is now %(status)s.")
                % {"status": Status(form.cleaned_data["to_status"]).label},
            )
    return _render_detail(request, service_request, membership, status_form=form)


@never_cache
@staff_member_verified_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    service_request, membership = _fetch(request, pk, write=True)
    form = AssignForm(request.POST, service_request=service_request)
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        try:
            services.servicerequest_assign(
                service_request=service_request,
                assignee=assignee,
                actor=Actor.from_request(request, membership=membership),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_service_errors(form, error)
        else:
            if assignee is None:
                return _done(request, service_request, _("Nobody is assigned any more."))
            return _done(
                request,
                service_request,
                _("The request is assigned to %(person)s.") % {"person": assignee.get_full_name()},
            )
    return _render_detail(request, service_request, membership, assign_form=form)


@never_cache
@staff_member_verified_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    service_request, membership = _fetch(request, pk, write=True)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.servicerequest_comment(
                service_request=service_request,
                body=form.cleaned_data["body"],
                public=form.is_public,
                actor=Actor.from_request(request, membership=membership),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_service_errors(form, error)
        else:
            if form.is_public:
                return _done(
                    request,
                    service_request,
                    _("The update was published; the citizen is notified."),
                )
            return _done(request, service_request, _("The internal note was added."))
    return _render_detail(request, service_request, membership, comment_form=form)


@never_cache
@staff_member_verified_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    service_request, membership = _fetch(request, pk, write=True)
    form = TransferForm(request.POST, service_request=service_request)
    if form.is_valid():
        organisation = form.cleaned_data["to_organisation"]
        try:
            services.servicerequest_transfer(
                service_request=service_request,
                to_organisation=organisation,
                department=form.cleaned_data["department"],
                reason=form.cleaned_data["reason"],
                actor=Actor.from_request(request, membership=membership),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_service_errors(form, error)
        else:
            return _done(
                request,
                service_request,
                _("The request was transferred to %(organisation)s.")
                % {"organisation": organisation.name},
            )
    return _render_detail(request, service_request, membership, transfer_form=form)


@never_cache
@staff_member_verified_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    service_request, membership = _fetch(request, pk, write=True)
    form = MergeForm(request.POST)
    if form.is_valid():
        original_pk = selectors_staff.servicerequest_pk_by_reference(
            reference=form.cleaned_data["original"]
        )
        original = None
        if original_pk is not None:
            try:
                original, _membership = _fetch(request, original_pk, write=True)
            except Http404:
                original = None
        if original is None:
            form.add_error("original", _("No request you may act on has this tracking code."))
        else:
            try:
                services.servicerequest_merge(
                    duplicate=service_request,
                    original=original,
                    actor=Actor.from_request(request, membership=membership),
                )
            except (ValidationError, PermissionDenied) as error:
                _add_service_errors(form, error)
            else:
                return _done(
                    request,
                    service_request,
                    _("The request was merged into %(reference)s as a duplicate.")
                    % {"reference": original.reference},
                )
    return _render_detail(request, service_request, membership, merge_form=form)


@never_cache
@staff_member_verified_required
@require_POST
def reveal_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the reporter's contact details on this answer only, after recording why."""
    service_request, membership = _fetch(request, pk, write=True)
    form = ContactRevealForm(request.POST)
    contact = None
    if form.is_valid():
        try:
            contact = services_staff.servicerequest_contact_reveal(
                service_request=service_request,
                reason=form.cleaned_data["reason"],
                actor=Actor.from_request(request, membership=membership),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_service_errors(form, error)
    return _render_detail(request, service_request, membership, contact_form=form, contact=contact)


@never_cache
@staff_member_verified_required
@require_GET
def photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo of the request, public or not, for staff who may see the request."""
    service_request, _membership = _fetch(request, pk)
    photo_row = selectors_staff.servicerequest_staff_photo_get(
        service_request=service_request, pk=photo_pk
    )
    content_type = mimetypes.guess_type(photo_row.file.name)[0] or "application/octet-stream"
    return FileResponse(photo_row.file.open("rb"), content_type=content_type)


@never_cache
@staff_member_verified_required
@require_POST
def photo_approve(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    service_request, membership = _fetch(request, pk, write=True)
    photo_row = selectors_staff.servicerequest_staff_photo_get(
        service_request=service_request, pk=photo_pk
    )
    try:
        services.servicerequest_photo_approve(
            photo=photo_row, actor=Actor.from_request(request, membership=membership)
        )
    except PermissionDenied as error:
        messages.error(request, _error_text(error))
        return redirect("staff_requests:detail", pk=service_request.pk)
    return _done(request, service_request, _("The photo is now public."))
