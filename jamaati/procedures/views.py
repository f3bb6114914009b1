"""Citizen pages of e-services: the catalogue, applying (draft saved as one types), following.

Every view is thin: one selector call to fetch (404 outside the citizen's own applications),
one service call to write, then render or redirect. The application form is built from the
application's own form version by `forms.ApplicationForm` and checked by the form engine only.
Every form works without JavaScript; htmx only adds the draft autosave.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from jamaati.core.actors import Actor
from jamaati.procedures import deadlines, selectors, selectors_pages, services
from jamaati.procedures.forms import (
    CHANNEL_FILTERS,
    ApplicationForm,
    CatalogueFilterForm,
    MessageForm,
    answers_for_display,
)
from jamaati.procedures.forms_engine.answers import answers_validate
from jamaati.procedures.models import Application, IssuedDocument, Status

PROCEDURES_PER_PAGE = 30
APPLICATIONS_PER_PAGE = 30
ACTION_SAVE = "save"
ACTION_REVIEW = "review"
ACTION_SUBMIT = "submit"


def _crumbs(*pages: tuple[str, str]) -> list[dict[str, str]]:
    items = [
        {"url": reverse("home"), "label": _("Home")},
        {"url": reverse("procedures:catalogue"), "label": _("E-services")},
    ]
    items.extend({"url": url, "label": label} for url, label in pages)
    return items


def _error_dict(error: ValidationError | PermissionDenied) -> dict[str, list[str]]:
    if isinstance(error, PermissionDenied):
        return {"__all__": [str(error) or _("You may not do this.")]}
    if hasattr(error, "error_dict"):
        return {
            key: [str(m) for e in errors for m in e.messages]
            for key, errors in error.error_dict.items()
        }
    return {"__all__": list(error.messages)}


def verify_url(document: IssuedDocument) -> str:
    """The public verification page the document's QR code points at (documents module)."""
    return reverse("verify:document", args=[document.verification_token])


def issued_rows(application: Application, documents) -> list[dict[str, Any]]:
    return [
        {
            "document": document,
            "pdf_url": reverse("verify:download", args=[document.pk]),
            "verify_url": verify_url(document),
        }
        for document in documents
    ]


# --- Catalogue ---------------------------------------------------------------------------------


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """Published procedures, searched in Arabic and French, by organisation and channel."""
    organisations = selectors_pages.organisations_with_procedures()
    form = CatalogueFilterForm(request.GET or None, organisations=organisations)
    query, organisation, channel = "", None, ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        organisation = form.cleaned_data["organisation"]
        channel = form.cleaned_data["channel"]
    procedures = selectors.procedures_public(query=query, organisation=organisation)
    if channel in CHANNEL_FILTERS:
        procedures = procedures.filter(channel__in=CHANNEL_FILTERS[channel])
    page = Paginator(procedures, PROCEDURES_PER_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "procedures/catalogue.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "filters_query": filters.urlencode(),
            "breadcrumbs": [*_crumbs()[:-1], {"url": "", "label": _("E-services")}],
        },
    )


@require_GET
def procedure_detail(request: HttpRequest, organisation: str, slug: str) -> HttpResponse:
    procedure = selectors.procedure_get_public(organisation_slug=organisation, slug=slug)
    version = selectors.procedure_form_version(procedure=procedure)
    return render(
        request,
        "procedures/procedure.html",
        {
            "procedure": procedure,
            "documents": selectors.procedure_documents(procedure=procedure),
            "can_apply_online": procedure.accepts_online and version is not None,
            "breadcrumbs": _crumbs(("", str(procedure.title))),
        },
    )


@require_POST
def apply(request: HttpRequest, organisation: str, slug: str) -> HttpResponse:
    """Start a draft (or resume the one already started) and open its form.

    An anonymous visitor is sent to the citizen sign-in (a code by SMS or e-mail) and back to
    the procedure's page.
    """
    procedure = selectors.procedure_get_public(organisation_slug=organisation, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(
            reverse("procedures:procedure", args=[organisation, slug]), settings.LOGIN_URL
        )
    draft = selectors_pages.draft_for(user=request.user, procedure=procedure)
    if draft is None:
        try:
            draft = services.application_start(
                procedure=procedure,
                applicant=request.user,
                actor=Actor.from_request(request),
                language=get_language() or "ar",
            )
        except (ValidationError, PermissionDenied) as error:
            for messages_ in _error_dict(error).values():
                for message in messages_:
                    messages.error(request, message)
            return redirect("procedures:procedure", organisation=organisation, slug=slug)
    return redirect("procedures:form", reference=draft.reference)


# --- The application form ------------------------------------------------------------------------


def _editable(application: Application) -> bool:
    return application.status in (Status.DRAFT, Status.COMPLETION_REQUESTED)


def _flagged(application: Application) -> set[str]:
    """Field keys and document codes the department's completion request names."""
    if application.status != Status.COMPLETION_REQUESTED:
        return set()
    event = selectors_pages.latest_completion_request(application=application)
    data = event.data if event else {}
    return set(data.get("fields", [])) | set(data.get("documents", []))


def _application_form(
    request: HttpRequest,
    application: Application,
    *,
    data=None,
    errors: dict[str, list[str]] | None = None,
) -> ApplicationForm:
    return ApplicationForm(
        data,
        schema=application.form_version.schema,
        answers=application.answers,
        documents=selectors_pages.documents_by_field(application=application),
        organisation=application.organisation,
        language=get_language(),
        errors=errors,
        flagged=_flagged(application),
    )


def boundary_url(organisation) -> str:
    """The boundary the form's maps draw: the organisation's seat, else its first territory."""
    place = organisation.seat or organisation.territories.order_by("code").first()
    return reverse("territories:map", args=[place.code]) if place else ""


def _render_form(
    request: HttpRequest, application: Application, form: ApplicationForm, *, status: int = 200
) -> HttpResponse:
    completion = None
    if application.status == Status.COMPLETION_REQUESTED:
        completion = selectors_pages.latest_completion_request(application=application)
    return render(
        request,
        "procedures/application_form.html",
        {
            "application": application,
            "procedure": application.procedure,
            "form": form,
            "layout": form.layout(),
            "completion": completion,
            "boundary_url": boundary_url(application.organisation),
            "breadcrumbs": _crumbs(
                (reverse("procedures:my_applications"), _("My applications")),
                ("", str(application.procedure.title)),
            ),
        },
        status=status,
    )


def _save_posted(
    request: HttpRequest, application: Application
) -> tuple[ApplicationForm, dict[str, list[str]]]:
    """Store the posted files and answers (nothing valid is lost); return the errors found."""
    actor = Actor.from_request(request)
    form = _application_form(request, application, data=request.POST)
    errors: dict[str, list[str]] = {}
    for key, uploads in form.uploads(request.FILES).items():
        for upload in uploads:
            try:
                services.application_upload(
                    application=application, field_key=key, file=upload, actor=actor
                )
            except ValidationError as error:
                for field_key, messages_ in _error_dict(error).items():
                    errors.setdefault(key if field_key == "__all__" else field_key, []).extend(
                        messages_
                    )
    application.refresh_from_db()
    result = services.application_save_draft(
        application=application, answers=form.answers(), actor=actor
    )
    for key, messages_ in result.errors.items():
        errors.setdefault(key, []).extend(messages_)
    application.refresh_from_db()
    return form, errors


@never_cache
@login_required
def application_form(request: HttpRequest, reference: str) -> HttpResponse:
    """The form of a draft (or of an application sent back for completion), saved on every post."""
    application = selectors.application_get_for_citizen(user=request.user, reference=reference)
    if not _editable(application):
        return redirect("procedures:application", reference=reference)
    if request.method != "POST":
        return _render_form(request, application, _application_form(request, application))
    try:
        form, errors = _save_posted(request, application)
    except (ValidationError, PermissionDenied) as error:
        form = _application_form(request, application, errors=_error_dict(error))
        return _render_form(request, application, form, status=400)
    action = request.POST.get("_action", ACTION_SAVE)
    if action in (ACTION_REVIEW, ACTION_SUBMIT):
        full = answers_validate(
            application.form_version.schema,
            application.answers,
            documents={
                d.pk: d
                for docs in selectors_pages.documents_by_field(application=application).values()
                for d in docs
            },
        )
        errors = {**full.errors, **errors}
        if not errors:
            if action == ACTION_SUBMIT:
                return _submit(request, application)
            return redirect("procedures:review", reference=reference)
    form = _application_form(request, application, errors=errors)
    if errors:
        messages.error(request, _("Some answers need your attention: see the messages below."))
        return _render_form(request, application, form, status=400)
    messages.success(request, _("Your draft is saved. You can come back to it at any time."))
    return redirect("procedures:form", reference=reference)


@login_required
@require_POST
def autosave(request: HttpRequest, reference: str) -> HttpResponse:
    """htmx: keep what the citizen typed so far (files are sent with the buttons)."""
    application = selectors.application_get_for_citizen(user=request.user, reference=reference)
    if not _editable(application):
        return HttpResponse(status=409)
    form = _application_form(request, application, data=request.POST)
    result = services.application_save_draft(
        application=application, answers=form.answers(), actor=Actor.from_request(request)
    )
    return render(
        request,
        "procedures/_autosave_status.html",
        {"saved_at": timezone.now(), "error_count": len(result.errors)},
    )


@never_cache
@login_required
@require_GET
def review(request: HttpRequest, reference: str) -> HttpResponse:
    """The answers as they will be sent, with the files, before submitting."""
    application = selectors.application_get_for_citizen(user=request.user, reference=reference)
    if not _editable(application):
        return redirect("procedures:application", reference=reference)
    documents = {
        d.pk: d
        for docs in selectors_pages.documents_by_field(application=application).values()
        for d in docs
    }
    return render(
        request,
        "procedures/review.html",
        {
            "application": application,
            "procedure": application.procedure,
            "sections": answers_for_display(
                application.form_version.schema, application.answers, documents, get_language()
            ),
            "breadcrumbs": _crumbs(
                (reverse("procedures:my_applications"), _("My applications")),
                (reverse("procedures:form", args=[reference]), str(application.procedure.title)),
                ("", _("Review")),
            ),
        },
    )


def _submit(request: HttpRequest, application: Application) -> HttpResponse:
    actor = Actor.from_request(request)
    completing = application.status == Status.COMPLETION_REQUESTED
    try:
        if completing:
            services.application_complete(
                application=application, actor=actor, note=request.POST.get("note", "")
            )
        else:
            services.application_submit(application=application, actor=actor)
    except (ValidationError, PermissionDenied) as error:
        application.refresh_from_db()
        form = _application_form(request, application, errors=_error_dict(error))
        messages.error(request, _("The application could not be sent: see the messages below."))
        return _render_form(request, application, form, status=400)
    if completing:
        messages.success(request, _("Your completed application was sent back to the department."))
        return redirect("procedures:application", reference=application.reference)
    return redirect("procedures:receipt", reference=application.reference)


@login_required
@require_POST
def submit(request: HttpRequest, reference: str) -> HttpResponse:
    """Submit from the review page (or send back a completed application)."""
    application = selectors.application_get_for_citizen(user=request.user, reference=reference)
    if not _editable(application):
        return redirect("procedures:application", reference=reference)
    return _submit(request, application)


@login_required
@require_POST
def remove_file(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    application = selectors.application_get_for_citizen(user=request.user, reference=reference)
    document = selectors_pages.application_document_for_citizen(application=application, pk=pk)
    try:
        if _editable(application):
            _save_posted(request, application)  # keep what was typed with the button
        services.application_remove_upload(document=document, actor=Actor.from_request(request))
        messages.success(request, _("The file was removed."))
    except (ValidationError, PermissionDenied) as error:
        for messages_ in _error_dict(error).values():
            for message in messages_:
                messages.error(request, message)
    return redirect("procedures:form", reference=reference)


# --- After submission ---------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    """The dated receipt (law 55-19): reference, date and time, documents received, deadline."""
    application = selectors.application_get_for_citizen(user=request.user, reference=reference)
    if application.status == Status.DRAFT:
        return redirect("procedures:form", reference=reference)
    issued = [
        d
        for d in selectors.application_issued_documents(application=application)
        if d.kind == "receipt"
    ]
    return render(
        request,
        "procedures/receipt.html",
        {
            "application": application,
            "procedure": application.procedure,
            "documents": selectors.application_current_documents(application=application),
            "issued": issued_rows(application, issued),
            "breadcrumbs": _crumbs(
                (reverse("procedures:my_applications"), _("My applications")),
                (reverse("procedures:application", args=[reference]), application.reference),
                ("", _("Receipt")),
            ),
        },
    )


@never_cache
@login_required
@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    page = Paginator(
        selectors.applications_of_citizen(user=request.user), APPLICATIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "procedures/my_applications.html",
        {
            "page": page,
            "breadcrumbs": [*_crumbs()[:-1], {"url": "", "label": _("My applications")}],
        },
    )


def _render_application(
    request: HttpRequest,
    application: Application,
    *,
    message_form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    documents = list(selectors.application_current_documents(application=application))
    completion = None
    if application.status == Status.COMPLETION_REQUESTED:
        completion = selectors_pages.latest_completion_request(application=application)
    return render(
        request,
        "procedures/application.html",
        {
            "application": application,
            "procedure": application.procedure,
            "timeline": selectors.public_timeline(application=application),
            "messages_list": selectors.application_messages(application=application),
            "documents": documents,
            "issued": issued_rows(
                application, selectors.application_issued_documents(application=application)
            ),
            "completion": completion,
            "days_left": deadlines.working_days_left(application),
            "overdue": deadlines.is_overdue(application),
            "message_form": message_form or MessageForm(),
            "can_withdraw": application.is_open,
            "breadcrumbs": _crumbs(
                (reverse("procedures:my_applications"), _("My applications")),
                ("", application.reference),
            ),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    application = selectors.application_get_for_citizen(user=request.user, reference=reference)
    if application.status == Status.DRAFT:
        return redirect("procedures:form", reference=reference)
    return _render_application(request, application)


@login_required
@require_POST
def message(request: HttpRequest, reference: str) -> HttpResponse:
    application = selectors.application_get_for_citizen(user=request.user, reference=reference)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_send(
                application=application,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"] or (),
                actor=Actor.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            for key, messages_ in _error_dict(error).items():
                form.add_error(key if key in form.fields else None, messages_)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect(reverse("procedures:application", args=[reference]) + "#messages")
    return _render_application(request, application, message_form=form, status=400)


@login_required
@require_POST
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    application = selectors.application_get_for_citizen(user=request.user, reference=reference)
    try:
        services.application_withdraw(application=application, actor=Actor.from_request(request))
        messages.success(request, _("Your application was withdrawn."))
    except (ValidationError, PermissionDenied) as error:
        for messages_ in _error_dict(error).values():
            for text in messages_:
                messages.error(request, text)
    return redirect("procedures:application", reference=reference)


def _file_response(file_field, name: str) -> FileResponse:
    try:
        handle = file_field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=False, filename=name, content_type=content_type)


@login_required
@require_GET
def document_file(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    """A file the citizen gave (only theirs)."""
    application = selectors.application_get_for_citizen(user=request.user, reference=reference)
    document = selectors_pages.application_document_for_citizen(application=application, pk=pk)
    return _file_response(document.file, document.original_name or document.file.name)


@login_required
@require_GET
def message_attachment(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    application = selectors.application_get_for_citizen(user=request.user, reference=reference)
    for item in selectors.application_messages(application=application):
        for attachment in item.attachments.all():
            if attachment.pk == pk:
                return _file_response(attachment.file, attachment.original_name or "attachment")
    raise Http404
