"""Staff pages of the programmes app: the projects of one's organisation, works, money, imports,
and the officials' dashboard.

Every view authorises and fetches in one selector call (`project_get_for_staff` answers 404
outside the staff member's scope), calls one service for a write (which refuses an outsider
with PermissionDenied, shown as 403), then renders or redirects. Only verified staff (password
and second factor) reach these pages. Forms work without JavaScript.

Imports run as a Celery task (`tasks.import_file`): eager without a broker, so the request
that sends the file runs it and the next page shows the report; with a broker, the page
polls the progress every second (htmx; without JavaScript it refreshes itself).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jamaati.accounts.decorators import staff_member_verified_required
from jamaati.core.actors import Actor
from jamaati.programmes import permissions, selectors, selectors_pages, services, tasks
from jamaati.programmes.alerts import project_alerts
from jamaati.programmes.forms import (
    ImportForm,
    MilestoneReachForm,
    ProgressForm,
    ProjectBasicsForm,
    TransactionForm,
    TransitionForm,
)
from jamaati.programmes.importing import PROJECT_COLUMNS, TRANSACTION_COLUMNS
from jamaati.programmes.models import Milestone, Sector, Status
from jamaati.programmes.money import percent
from jamaati.programmes.views import STATUS_BADGES, project_rows, stage_rows

PROJECTS_PER_PAGE = 50


def _crumbs(current: str, *pages: tuple[str, str]) -> list[dict[str, str]]:
    items = [
        {"url": reverse("home"), "label": _("Home")},
        {"url": reverse("staff:home"), "label": _("Staff area")},
        {"url": reverse("staff_programmes:projects"), "label": _("Projects")},
    ]
    items.extend({"url": url, "label": label} for url, label in pages)
    items.append({"url": "", "label": current})
    return items


def _add_service_errors(form: Form, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form, next to the field it concerns when there is one."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("You may not act on this project."))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Projects ----------------------------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_GET
def projects(request: HttpRequest) -> HttpResponse:
    """The projects the staff member may see: their organisation's, within their area."""
    queryset = selectors.projects_for_staff(user=request.user)
    page = Paginator(queryset, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    organisations = selectors_pages.planning_organisations(user=request.user)
    return render(
        request,
        "programmes/staff/projects.html",
        {
            "page": page,
            "projects": project_rows(page.object_list),
            "can_import": bool(organisations),
            "breadcrumbs": [*_crumbs(_("Projects"))[:2], {"url": "", "label": _("Projects")}],
        },
    )


def _detail(request: HttpRequest, project, *, status: int = 200, **forms) -> HttpResponse:
    """The staff page of a project, with its action forms (bound ones when a post failed)."""
    can_act = permissions.can_edit_project(user=request.user, project=project)
    budget = selectors.project_budget(project=project)
    timeline = selectors.project_timeline(project=project, public=False)
    context = {
        "project": project,
        "badge": STATUS_BADGES.get(project.status),
        "budget": budget,
        "alerts": project_alerts(project),
        "stages": stage_rows(project, timeline.stages),
        "milestones": timeline.milestones,
        "events": timeline.events[-20:][::-1],
        "transactions": selectors_pages.project_transactions(project=project)[:20],
        "updates": selectors_pages.project_progress_updates(project=project)[:10],
        "can_act": can_act,
        "can_plan": permissions.can_plan(user=request.user, organisation=project.organisation),
        "breadcrumbs": _crumbs(project.code),
    }
    if can_act:
        context["progress_form"] = forms.get("progress_form") or ProgressForm(prefix="progress")
        context["transaction_form"] = forms.get("transaction_form") or TransactionForm(
            prefix="transaction",
            partners=selectors_pages.partners_for_transactions(project=project),
        )
        context["transition_form"] = forms.get("transition_form") or TransitionForm(
            prefix="status", project=project
        )
        context["reach_form"] = forms.get("reach_form") or MilestoneReachForm(prefix="reach")
        context["reach_milestone"] = forms.get("reach_milestone")
    return render(request, "programmes/staff/project.html", context, status=status)


@never_cache
@staff_member_verified_required
@require_GET
def project(request: HttpRequest, pk: int) -> HttpResponse:
    item, _membership = selectors.project_get_for_staff(user=request.user, pk=pk)
    return _detail(request, item)


@never_cache
@staff_member_verified_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a project's basics (planning staff: department heads and organisation admins)."""
    item, _membership = selectors.project_get_for_staff(user=request.user, pk=pk)
    if not permissions.can_plan(user=request.user, organisation=item.organisation):
        raise PermissionDenied(
            _("Only a department head or an administrator of this organisation may do this.")
        )
    if request.method == "POST":
        form = ProjectBasicsForm(request.POST)
        if form.is_valid():
            try:
                services.project_update(
                    project=item, actor=Actor.from_request(request), **form.changes()
                )
            except (ValidationError, PermissionDenied) as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("The project is saved."))
                return redirect("staff_programmes:project", pk=item.pk)
    else:
        form = ProjectBasicsForm(initial=ProjectBasicsForm.initial_for(item))
    return render(
        request,
        "programmes/staff/project_edit.html",
        {
            "project": item,
            "form": form,
            "breadcrumbs": _crumbs(
                _("Edit"), (reverse("staff_programmes:project", args=[item.pk]), item.code)
            ),
        },
        status=400 if form.is_bound else 200,
    )


@staff_member_verified_required
@require_POST
def project_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the physical progress at a date, with an optional photo of the site."""
    item, _membership = selectors.project_get_for_staff(user=request.user, pk=pk, write=True)
    form = ProgressForm(request.POST, request.FILES, prefix="progress")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.project_progress_record(
                project=item,
                physical_progress=data["physical_progress"],
                as_of=data["as_of"],
                note=data["note"],
                photo=data["photo"],
                caption=data["caption"],
                photo_latitude=data["photo_latitude"],
                photo_longitude=data["photo_longitude"],
                actor=Actor.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The progress is recorded."))
            return redirect("staff_programmes:project", pk=item.pk)
    return _detail(request, item, status=400, progress_form=form)


@staff_member_verified_required
@require_POST
def project_transaction(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a disbursement received from a partner, or an expenditure paid out."""
    item, _membership = selectors.project_get_for_staff(user=request.user, pk=pk, write=True)
    form = TransactionForm(
        request.POST,
        prefix="transaction",
        partners=selectors_pages.partners_for_transactions(project=item),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.transaction_record(
                project=item,
                kind=data["kind"],
                date=data["date"],
                amount=data["amount"],
                partner=data["partner"],
                reference=data["reference"],
                description=data["description"],
                actor=Actor.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The transaction is recorded."))
            return redirect("staff_programmes:project", pk=item.pk)
    return _detail(request, item, status=400, transaction_form=form)


@staff_member_verified_required
@require_POST
def project_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the project along its workflow (only the allowed moves are offered)."""
    item, _membership = selectors.project_get_for_staff(user=request.user, pk=pk, write=True)
    form = TransitionForm(request.POST, prefix="status", project=item)
    if form.is_valid():
        try:
            services.project_transition(
                project=item,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
                actor=Actor.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The status is changed."))
            return redirect("staff_programmes:project", pk=item.pk)
    return _detail(request, item, status=400, transition_form=form)


@staff_member_verified_required
@require_POST
def milestone_reach(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """Record the date a milestone was met."""
    item, _membership = selectors.project_get_for_staff(user=request.user, pk=pk, write=True)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, project=item)
    form = MilestoneReachForm(request.POST, prefix="reach")
    if form.is_valid():
        try:
            services.milestone_reach(
                milestone=milestone,
                actual_date=form.cleaned_data["actual_date"],
                actor=Actor.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The milestone is marked as met."))
            return redirect("staff_programmes:project", pk=item.pk)
    return _detail(request, item, status=400, reach_form=form, reach_milestone=milestone.pk)


# --- Import ------------------------------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Send a CSV or XLSX file of projects or transactions; it is imported all or nothing."""
    organisations = selectors_pages.planning_organisations(user=request.user)
    if not organisations:
        raise PermissionDenied(
            _("Only a department head or an administrator of an organisation may import.")
        )
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.chosen
        job = uuid.uuid4().hex
        upload = form.cleaned_data["file"]
        suffix = PurePath(upload.name).suffix.lower()
        path = default_storage.save(f"programmes/imports/{job}{suffix}", upload)
        actor = Actor.from_request(request)
        tasks.import_state_set(
            job,
            state="queued",
            user=request.user.pk,
            organisation=organisation.slug,
            organisation_name=organisation.name,
            file=upload.name,
            done=0,
            total=0,
        )
        tasks.import_file.delay(
            job,
            organisation_id=organisation.pk,
            user_id=request.user.pk,
            path=path,
            ip_address=actor.ip_address,
            user_agent=actor.user_agent,
            language=get_language(),
        )
        return redirect("staff_programmes:import_job", job=job)
    return render(
        request,
        "programmes/staff/import.html",
        {
            "form": form,
            "project_columns": PROJECT_COLUMNS,
            "transaction_columns": TRANSACTION_COLUMNS,
            "sectors": Sector.values,
            "breadcrumbs": _crumbs(_("Import")),
        },
        status=400 if form.is_bound else 200,
    )


def _job(request: HttpRequest, job: str) -> dict:
    """The import's state, for the staff member who started it only (404 for anyone else)."""
    state = tasks.import_state(job)
    if not state or state.get("user") != request.user.pk:
        raise Http404
    total = state.get("total") or 0
    state["percent"] = percent(state.get("done") or 0, total) if total else None
    state["running"] = state.get("state") in ("queued", "running")
    return state


@never_cache
@staff_member_verified_required
@require_GET
def import_job(request: HttpRequest, job: str) -> HttpResponse:
    """The progress of an import, then its report: rows imported, or every error and nothing written."""
    state = _job(request, job)
    template = (
        "programmes/staff/_import_state.html"
        if request.htmx
        else "programmes/staff/import_job.html"
    )
    return render(
        request,
        template,
        {"job": job, "state": state, "breadcrumbs": _crumbs(_("Import report"))},
    )


# --- Dashboard ---------------------------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Budget execution by province, sector and partner; late projects; projects by status."""
    organisations = list(selectors_pages.staff_organisations(user=request.user))
    if not organisations:
        raise PermissionDenied(_("You may not see this organisation's projects."))
    chosen = request.GET.get("organisation") or organisations[0].slug
    organisation = next((o for o in organisations if o.slug == chosen), None)
    if organisation is None:
        raise Http404
    board = selectors.dashboard(user=request.user, organisation=organisation)
    projects = selectors.dashboard_projects(user=request.user, organisation=organisation)
    late = list(
        selectors.late_projects(projects).select_related("organisation").order_by("planned_end")
    )
    by_status = [
        (Status(status).label, board.by_status[status])
        for status in Status.values
        if board.by_status.get(status)
    ]

    def series(rows):
        return [
            {"title": _("Total cost"), "values": [str(r.total_cost) for r in rows]},
            {"title": _("Committed"), "values": [str(r.committed) for r in rows]},
            {"title": _("Disbursed"), "values": [str(r.disbursed) for r in rows]},
            {"title": _("Spent"), "values": [str(r.spent) for r in rows]},
        ]

    def labels(rows, empty):
        return [r.label or empty for r in rows]

    several = _("Several provinces")
    chart = {
        "charts": [
            {
                "id": "chart-province",
                "labels": labels(board.by_province, several),
                "series": series(board.by_province),
                "horizontal": True,
            },
            {
                "id": "chart-sector",
                "labels": labels(board.by_sector, ""),
                "series": series(board.by_sector),
                "horizontal": True,
            },
            {
                "id": "chart-partner",
                "labels": labels(board.by_partner, ""),
                "series": series(board.by_partner)[1:3],
                "horizontal": True,
            },
            {
                "id": "chart-status",
                "labels": [str(label) for label, _count in by_status],
                "series": [{"title": _("Projects"), "values": [str(n) for _label, n in by_status]}],
                "horizontal": False,
            },
        ]
    }
    return render(
        request,
        "programmes/staff/dashboard.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "board": board,
            "by_status": by_status,
            "late": late,
            "several": several,
            "chart": chart,
            "breadcrumbs": _crumbs(_("Dashboard")),
        },
    )
