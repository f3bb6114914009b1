"""Staff pages of e-services: the queue, the overdue dashboard, instruction, reviewers, the counter,
exports and statistics.

Every view is three steps: authorise-and-fetch in one selector call (404 outside the staff
member's scope: `application_get_for_staff`, `opinion_get_for_reviewer`), one service call for
a write (the service checks the workflow and the instructor's reach again), then render or
redirect. Only verified staff (password and second factor) reach these pages. Actions are
offered only when the state machine allows them, and the services refuse the others anyway.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from jamaati.accounts.decorators import staff_member_verified_required
from jamaati.core.actors import Actor
from jamaati.procedures import (
    deadlines,
    exports,
    permissions,
    selectors,
    selectors_pages,
    services,
)
from jamaati.procedures.forms import (
    ApplicationForm,
    CompletionForm,
    CounterCitizenForm,
    DecisionForm,
    MessageForm,
    NoteForm,
    OpinionGiveForm,
    OpinionsForm,
    RevokeDocumentForm,
    StaffQueueFilterForm,
    StatisticsFilterForm,
    TransitionNoteForm,
    answers_for_display,
)
from jamaati.procedures.models import Application, Status
from jamaati.procedures.statistics import procedure_statistics
from jamaati.procedures.views import _file_response, boundary_url, issued_rows
from jamaati.procedures.workflow import can_transition

APPLICATIONS_PER_PAGE = 50
READ_REASON = "instruction page"


def _crumbs(*pages: tuple[str, str]) -> list[dict[str, str]]:
    items = [
        {"url": reverse("home"), "label": _("Home")},
        {"url": reverse("staff:home"), "label": _("Staff area")},
        {"url": reverse("staff_procedures:queue"), "label": _("Applications")},
    ]
    items.extend({"url": url, "label": label} for url, label in pages)
    return items


def _add_errors(form: Form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("You may not act on this application."))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _flash_errors(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        messages.error(request, str(error) or _("You may not act on this application."))
    else:
        for text in error.messages:
            messages.error(request, text)


# --- Queue and overdue dashboard -------------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The applications in the staff member's scope, soonest deadline first."""
    form = StaffQueueFilterForm(
        request.GET or None, procedures=selectors_pages.procedures_for_staff(user=request.user)
    )
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "procedure": form.cleaned_data["procedure"],
            "status": form.cleaned_data["status"] or None,
            "overdue": form.cleaned_data["overdue"] or None,
            "query": form.cleaned_data["q"],
        }
    queryset = selectors.applications_for_staff(user=request.user, **filters)
    page = Paginator(queryset, APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "procedures/staff/queue.html",
        {
            "form": form,
            "page": page,
            "rows": _queue_rows(page.object_list),
            "filters_query": query.urlencode(),
            "breadcrumbs": [*_crumbs()[:-1], {"url": "", "label": _("Applications")}],
        },
    )


def _queue_rows(applications) -> list[dict[str, Any]]:
    today = deadlines.local_date()
    return [
        {
            "application": application,
            "overdue": deadlines.is_overdue(application, on=today),
        }
        for application in applications
    ]


@never_cache
@staff_member_verified_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """The overdue dashboard: applications whose legal deadline passed while the clock ran."""
    applications = list(selectors.overdue_for_staff(user=request.user)[:500])
    today = deadlines.local_date()
    by_procedure: dict[int, dict[str, Any]] = {}
    for application in applications:
        entry = by_procedure.setdefault(
            application.procedure_id, {"procedure": application.procedure, "count": 0}
        )
        entry["count"] += 1
    rows = [
        {
            "application": application,
            "days_late": max((today - application.due_date).days, 0),
        }
        for application in applications
    ]
    return render(
        request,
        "procedures/staff/overdue.html",
        {
            "rows": rows,
            "by_procedure": sorted(by_procedure.values(), key=lambda e: -e["count"]),
            "breadcrumbs": _crumbs(("", _("Overdue applications"))),
        },
    )


# --- One application ------------------------------------------------------------------------------


def _staff_pdf_url(application: Application, document) -> str:
    """Staff download the PDF through the documents module (its own access rule and audit)."""
    return reverse("verify:staff_download", args=[document.pk])


def _documents_map(application: Application) -> dict[int, Any]:
    return {
        document.pk: document
        for document in selectors.application_current_documents(application=application)
    }


def _render_detail(
    request: HttpRequest,
    application: Application,
    membership,
    *,
    forms: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    instructor = permissions.application_instructor(user=request.user, application=application)
    is_owner = permissions.is_owner_staff(membership, application)
    documents = _documents_map(application)
    services.application_record_read(
        application=application, actor=Actor.from_request(request, membership), reason=READ_REASON
    )
    procedure_documents = selectors.procedure_documents(procedure=application.procedure)
    opinions_list = list(selectors.application_opinions(application=application))
    choices = selectors.reviewer_choices(application=application)
    can = {
        "start": instructor is not None
        and can_transition(application.status, Status.IN_INSTRUCTION)
        and application.status != Status.COMPLETION_REQUESTED,
        "completion": instructor is not None
        and can_transition(application.status, Status.COMPLETION_REQUESTED),
        "opinions": instructor is not None
        and can_transition(application.status, Status.OPINIONS_REQUESTED),
        "decide": instructor is not None
        and (
            can_transition(application.status, Status.APPROVED)
            or can_transition(application.status, Status.REFUSED)
        ),
        "note": instructor is not None,
        "message": instructor is not None and application.is_open,
        "revoke": instructor is not None,
    }
    return render(
        request,
        "procedures/staff/application.html",
        {
            "application": application,
            "procedure": application.procedure,
            "membership": membership,
            "is_owner": is_owner,
            "can": can,
            "sections": answers_for_display(
                application.form_version.schema if application.form_version_id else {},
                application.answers,
                documents,
                get_language(),
                hide_contact=not is_owner,
            ),
            "file_url_name": "staff",
            "documents": list(documents.values()),
            "my_opinions": [
                opinion
                for opinion in opinions_list
                if not opinion.verdict
                and permissions.opinion_giver(user=request.user, opinion=opinion) is not None
            ],
            "timeline": selectors.staff_timeline(application=application)
            if is_owner
            else selectors.public_timeline(application=application),
            "show_actor": is_owner,
            "notes": selectors.staff_notes(application=application, membership=membership),
            "opinions": opinions_list,
            "messages_list": selectors.application_messages(application=application)
            if is_owner
            else [],
            "issued": [
                {
                    **row,
                    "pdf_url": _staff_pdf_url(application, row["document"]),
                }
                for row in issued_rows(
                    application, selectors.application_issued_documents(application=application)
                )
            ],
            "days_left": deadlines.working_days_left(application),
            "overdue": deadlines.is_overdue(application),
            "staff_view": True,
            "message_action": reverse("staff_procedures:message", args=[application.pk])
            if can["message"]
            else "",
            "message_form": forms.get("message") or MessageForm(),
            "note_form": forms.get("note") or NoteForm(),
            "start_form": forms.get("start") or TransitionNoteForm(),
            "completion_form": forms.get("completion")
            or CompletionForm(
                document_choices=[(d.document.code, d.document.name) for d in procedure_documents],
                schema=application.form_version.schema if application.form_version_id else None,
            ),
            "opinions_form": forms.get("opinions") or OpinionsForm(choices=choices),
            "decision_form": forms.get("decision") or DecisionForm(),
            "revoke_form": forms.get("revoke"),
            "breadcrumbs": _crumbs(("", application.reference)),
        },
        status=status,
    )


@never_cache
@staff_member_verified_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application, membership = selectors.application_get_for_staff(user=request.user, pk=pk)
    return _render_detail(request, application, membership)


def _instruct(request: HttpRequest, pk: int):
    application, membership = selectors.application_get_for_staff(
        user=request.user, pk=pk, write=True
    )
    return application, membership, Actor.from_request(request, membership)


def _done(request: HttpRequest, application: Application, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("staff_procedures:detail", pk=application.pk)


@staff_member_verified_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    application, membership, actor = _instruct(request, pk)
    form = TransitionNoteForm(request.POST)
    if form.is_valid():
        try:
            services.application_transition(
                application=application,
                to_status=Status.IN_INSTRUCTION,
                actor=actor,
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            return _done(request, application, _("The application is now in instruction."))
    return _render_detail(request, application, membership, forms={"start": form}, status=400)


@staff_member_verified_required
@require_POST
def request_completion(request: HttpRequest, pk: int) -> HttpResponse:
    application, membership, actor = _instruct(request, pk)
    form = CompletionForm(
        request.POST,
        document_choices=[
            (d.document.code, d.document.name)
            for d in selectors.procedure_documents(procedure=application.procedure)
        ],
        schema=application.form_version.schema if application.form_version_id else None,
    )
    if form.is_valid():
        try:
            services.application_request_completion(
                application=application,
                message=form.cleaned_data["message"],
                documents=form.cleaned_data["documents"],
                fields=form.cleaned_data["fields"],
                actor=actor,
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            return _done(
                request,
                application,
                _("The applicant was asked to complete the file; the legal clock is paused."),
            )
    return _render_detail(request, application, membership, forms={"completion": form}, status=400)


@staff_member_verified_required
@require_POST
def request_opinions(request: HttpRequest, pk: int) -> HttpResponse:
    application, membership, actor = _instruct(request, pk)
    form = OpinionsForm(request.POST, choices=selectors.reviewer_choices(application=application))
    if form.is_valid():
        reviewers = [
            services.Reviewer(organisation=organisation)
            for organisation in form.cleaned_data["organisations"]
        ] + [
            services.Reviewer(organisation=application.organisation, department=department)
            for department in form.cleaned_data["departments"]
        ]
        try:
            services.application_request_opinions(
                application=application,
                reviewers=reviewers,
                question=form.cleaned_data["question"],
                actor=actor,
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            return _done(request, application, _("The opinions were requested."))
    return _render_detail(request, application, membership, forms={"opinions": form}, status=400)


@staff_member_verified_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application, membership, actor = _instruct(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.application_decide(
                application=application,
                approved=form.cleaned_data["decision"] == "approve",
                reasons=form.cleaned_data["reasons"],
                actor=actor,
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            return _done(request, application, _("The decision was issued."))
    return _render_detail(request, application, membership, forms={"decision": form}, status=400)


@staff_member_verified_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    application, membership, actor = _instruct(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.staff_note_add(
                application=application, body=form.cleaned_data["body"], actor=actor
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            return _done(request, application, _("The private note was added."))
    return _render_detail(request, application, membership, forms={"note": form}, status=400)


@staff_member_verified_required
@require_POST
def revoke_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application, membership, actor = _instruct(request, pk)
    document = get_object_or_404(application.issued_documents, pk=document_pk)
    form = RevokeDocumentForm(request.POST)
    form.document_pk = document.pk  # which document's form shows the errors
    if form.is_valid():
        try:
            services.issued_document_revoke(
                document=document, reason=form.cleaned_data["reason"], actor=actor
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            return _done(
                request,
                application,
                _("The document %(number)s was revoked: its verification page now says so.")
                % {"number": document.number},
            )
    return _render_detail(request, application, membership, forms={"revoke": form}, status=400)


@staff_member_verified_required
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    application, membership, actor = _instruct(request, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_send(
                application=application,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"] or (),
                actor=actor,
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            return _done(request, application, _("The message was sent to the applicant."))
    return _render_detail(request, application, membership, forms={"message": form}, status=400)


@staff_member_verified_required
@require_GET
def document_file(request: HttpRequest, pk: int, document_pk: int):
    application, membership = selectors.application_get_for_staff(user=request.user, pk=pk)
    document = _documents_map(application).get(document_pk)
    if document is None:
        raise Http404
    if membership is not None:
        services.application_record_read(
            application=application,
            actor=Actor.from_request(request, membership),
            reason="file download",
        )
    return _file_response(document.file, document.original_name or document.file.name)


@staff_member_verified_required
@require_GET
def message_attachment(request: HttpRequest, pk: int, attachment_pk: int):
    application, membership = selectors.application_get_for_staff(user=request.user, pk=pk)
    if not permissions.is_owner_staff(membership, application):
        raise Http404
    for item in selectors.application_messages(application=application):
        for attachment in item.attachments.all():
            if attachment.pk == attachment_pk:
                return _file_response(attachment.file, attachment.original_name or "attachment")
    raise Http404


@never_cache
@staff_member_verified_required
@require_GET
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt of an application filed at the counter, to print for the citizen."""
    application, _membership = selectors.application_get_for_staff(user=request.user, pk=pk)
    issued = [
        row
        for row in issued_rows(
            application, selectors.application_issued_documents(application=application)
        )
        if row["document"].kind == "receipt"
    ]
    for row in issued:
        row["pdf_url"] = _staff_pdf_url(application, row["document"])
    return render(
        request,
        "procedures/receipt.html",
        {
            "application": application,
            "procedure": application.procedure,
            "documents": selectors.application_current_documents(application=application),
            "issued": issued,
            "back_url": reverse("staff_procedures:detail", args=[pk]),
            "breadcrumbs": _crumbs(
                (reverse("staff_procedures:detail", args=[pk]), application.reference),
                ("", _("Receipt")),
            ),
        },
    )


# --- Reviewers ----------------------------------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_GET
def opinions(request: HttpRequest) -> HttpResponse:
    """The opinion requests addressed to the reviewer's organisation (and department)."""
    return render(
        request,
        "procedures/staff/opinions.html",
        {
            "pending": selectors.opinions_for_reviewer(user=request.user),
            "breadcrumbs": _crumbs(("", _("Opinions requested from me"))),
        },
    )


def _render_opinion(
    request: HttpRequest, opinion, membership, *, form=None, status: int = 200
) -> HttpResponse:
    # The opinion request is the reviewer's access to this one application (checked by
    # `opinion_get_for_reviewer`); a department of the owning organisation has no other.
    application = opinion.application
    services.application_record_read(
        application=application,
        actor=Actor.from_request(request, membership),
        reason="opinion",
    )
    documents = _documents_map(application)
    return render(
        request,
        "procedures/staff/opinion.html",
        {
            "opinion": opinion,
            "application": application,
            "procedure": application.procedure,
            "sections": answers_for_display(
                application.form_version.schema if application.form_version_id else {},
                application.answers,
                documents,
                get_language(),
                hide_contact=opinion.organisation_id != application.organisation_id,
            ),
            "file_url_name": "staff",
            "form": form or OpinionGiveForm(),
            "breadcrumbs": _crumbs(
                (reverse("staff_procedures:opinions"), _("Opinions requested from me")),
                ("", application.reference),
            ),
        },
        status=status,
    )


@never_cache
@staff_member_verified_required
def opinion(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer's page: the application referred to them, and their opinion."""
    opinion_request, membership = selectors.opinion_get_for_reviewer(user=request.user, pk=pk)
    if request.method != "POST":
        return _render_opinion(request, opinion_request, membership)
    form = OpinionGiveForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.opinion_give(
                opinion=opinion_request,
                verdict=form.cleaned_data["verdict"],
                comment=form.cleaned_data["comment"],
                file=form.cleaned_data["file"],
                actor=Actor.from_request(request, membership),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your opinion was sent to the instructing department."))
            return redirect("staff_procedures:opinions")
    return _render_opinion(request, opinion_request, membership, form=form, status=400)


# --- Counter mode -------------------------------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_GET
def counter(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "procedures/staff/counter.html",
        {
            "procedures": selectors_pages.counter_procedures(user=request.user),
            "breadcrumbs": _crumbs(("", _("File at the counter"))),
        },
    )


CONSENT_TEXT = gettext_noop(
    "The citizen, present in person, agrees that the agent files this application for them "
    "and that their data be processed for it."
)


@never_cache
@staff_member_verified_required
def counter_file(request: HttpRequest, procedure_pk: int) -> HttpResponse:
    """File an application for a citizen who came in person: their account, consent and answers."""
    procedure = selectors_pages.counter_procedure_get(user=request.user, pk=procedure_pk)
    version = selectors.procedure_form_version(procedure=procedure)
    schema = version.schema if version else {"sections": []}
    data = request.POST if request.method == "POST" else None
    citizen_form = CounterCitizenForm(data)
    application_form = ApplicationForm(
        data, schema=schema, organisation=procedure.organisation, language=get_language()
    )
    status = 200
    if request.method == "POST":
        status = 400
        if citizen_form.is_valid():
            cleaned = citizen_form.cleaned_data
            if not cleaned["consent"]:
                citizen_form.add_error(
                    "consent", _("Record the citizen's consent before filing for them.")
                )
            else:
                try:
                    application = services.application_file_at_counter(
                        procedure=procedure,
                        actor=Actor.from_request(request),
                        consent_text=_(CONSENT_TEXT),
                        answers=application_form.answers(),
                        files=application_form.uploads(request.FILES),
                        full_name=cleaned["full_name"],
                        phone=cleaned["phone"],
                        email=cleaned["email"] or "",
                        language=get_language() or "ar",
                    )
                except (ValidationError, PermissionDenied) as error:
                    if isinstance(error, PermissionDenied):
                        citizen_form.add_error(None, str(error))
                    else:
                        errors = {
                            key: [str(m) for e in value for m in e.messages]
                            for key, value in getattr(error, "error_dict", {}).items()
                        } or {"__all__": list(error.messages)}
                        for key in ("contact", "consent"):
                            for text in errors.pop(key, []):
                                citizen_form.add_error(None, text)
                        application_form = ApplicationForm(
                            data,
                            schema=schema,
                            organisation=procedure.organisation,
                            language=get_language(),
                            errors=errors,
                        )
                else:
                    messages.success(
                        request, _("The application was filed. Print the receipt for the citizen.")
                    )
                    return redirect("staff_procedures:receipt", pk=application.pk)
    return render(
        request,
        "procedures/staff/counter_form.html",
        {
            "procedure": procedure,
            "citizen_form": citizen_form,
            "form": application_form,
            "layout": application_form.layout(),
            "boundary_url": boundary_url(procedure.organisation),
            "breadcrumbs": _crumbs(
                (reverse("staff_procedures:counter"), _("File at the counter")),
                ("", str(procedure.title)),
            ),
        },
        status=status,
    )


# --- Exports and statistics ---------------------------------------------------------------------------


@staff_member_verified_required
@require_GET
def export(request: HttpRequest, procedure_pk: int, fmt: str) -> HttpResponse:
    procedure = selectors_pages.staff_procedure_get(user=request.user, pk=procedure_pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    result = exports.applications_export(
        procedure=procedure,
        user=request.user,
        fmt=fmt,
        language=get_language() or "ar",
        actor=Actor.from_request(request),
    )
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


@never_cache
@staff_member_verified_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Per procedure: volume, median processing time against the legal delay, share on time."""
    procedures = selectors_pages.procedures_for_staff(user=request.user)
    form = StatisticsFilterForm(request.GET or None, procedures=procedures)
    since = until = None
    if form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
        if form.cleaned_data["procedure"] is not None:
            procedures = procedures.filter(pk=form.cleaned_data["procedure"].pk)
    figures = procedure_statistics(procedures=procedures, since=since, until=until)
    return render(
        request,
        "procedures/staff/statistics.html",
        {
            "form": form,
            "figures": figures,
            "chart_data": selectors_pages.statistics_chart_data(figures),
            "breadcrumbs": _crumbs(("", _("Statistics"))),
        },
    )
