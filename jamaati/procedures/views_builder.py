"""The no-code form builder: an organisation admin edits a procedure's form and publishes it.

Every view is three steps: authorise-and-fetch in one selector call
(`selectors_builder.builder_form_get` answers 404 to anybody who does not administer the
procedure's organisation), one builder service call for a write (`forms_engine.builder`, which
checks the draft and writes the audit row), then render or redirect. Every action is a plain
form POST that redirects back to the builder; with htmx the same POST answers with the
editor's new HTML only (`_editor.html`), and keyboard focus stays on the moved element.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jamaati.accounts.decorators import staff_member_verified_required
from jamaati.core.actors import Actor
from jamaati.organisations import permissions as org_permissions
from jamaati.procedures import selectors_builder
from jamaati.procedures.forms import ApplicationForm, commune_choices
from jamaati.procedures.forms_builder import (
    OP_NAMES,
    ConditionForm,
    FieldAddForm,
    FieldEditForm,
    SectionForm,
    readable_problem,
    texts_initial,
)
from jamaati.procedures.forms_engine import builder
from jamaati.procedures.forms_engine import schema as s
from jamaati.procedures.models import Form, Procedure

PREVIEW_LANGUAGES = ("ar", "fr", "en")


def _language() -> str:
    return (get_language() or "ar")[:2]


def _crumbs(procedure: Procedure | None = None, *pages: tuple[str, str]) -> list[dict[str, str]]:
    items = [
        {"url": reverse("home"), "label": _("Home")},
        {"url": reverse("staff:home"), "label": _("Staff area")},
        {"url": reverse("procedures_builder:index"), "label": _("Form builder")},
    ]
    if procedure is not None:
        items.append(
            {
                "url": reverse("procedures_builder:form", args=[procedure.pk]),
                "label": procedure.title,
            }
        )
    items.extend({"url": url, "label": label} for url, label in pages)
    items[-1] = {**items[-1], "url": ""}
    return items


def _fetch(request: HttpRequest, pk: int) -> tuple[Procedure, Form]:
    return selectors_builder.builder_form_get(user=request.user, pk=pk)


def _actor(request: HttpRequest, procedure: Procedure) -> Actor:
    membership = org_permissions.organisation_admin_membership(
        user=request.user, organisation=procedure.organisation
    )
    return Actor.from_request(request, membership=membership)


def _draft(form: Form) -> dict[str, Any]:
    return form.draft if form.draft and "sections" in form.draft else s.empty_schema()


def _error_texts(error: ValidationError | PermissionDenied, draft: dict[str, Any]) -> list[str]:
    if isinstance(error, PermissionDenied):
        return [str(error) or _("Only the organisation's administrators may edit this form.")]
    return [readable_problem(message, draft, _language()) for message in error.messages]


# --- Describing the draft for the page ----------------------------------------------------------


def _value_text(source: dict[str, Any] | None, value: Any, language: str) -> str:
    if source is None:
        return str(value)
    if source["type"] == s.YES_NO:
        return _("Yes") if value else _("No")
    if source["type"] in (s.SINGLE_CHOICE, s.MULTIPLE_CHOICE):
        for choice in source.get("choices") or []:
            if choice.get("key") == value:
                return s.text_in(choice.get("label"), language) or str(value)
    return str(value)


def condition_text(condition: dict[str, Any] | None, draft: dict[str, Any], language: str) -> str:
    """“Shown when «Field» is «Value»”, in the admin's words."""
    if not condition:
        return ""
    source = s.field_index(draft).get(condition.get("field"))
    return _("Shown when “%(field)s” %(test)s “%(value)s”") % {
        "field": s.text_in(source.get("label"), language) if source else condition.get("field"),
        "test": OP_NAMES.get(condition.get("op"), condition.get("op")),
        "value": _value_text(source, condition.get("value"), language),
    }


def _field_row(
    field: dict[str, Any],
    draft: dict[str, Any],
    language: str,
    *,
    key: str,
    first: bool,
    last: bool,
) -> dict[str, Any]:
    row = {
        "key": key,
        "dom_id": key.replace(".", "--"),
        "label": s.text_in(field.get("label"), language) or field["key"],
        "type": field["type"],
        "type_name": s.FIELD_TYPES.get(field["type"], field["type"]),
        "required": field.get("required", False),
        "condition": condition_text(field.get("condition"), draft, language),
        "first": first,
        "last": last,
        "in_group": "." in key,
        "choices": [s.text_in(c.get("label"), language) for c in field.get("choices") or []],
        "subfields": [],
    }
    if field["type"] == s.GROUP:
        subfields = field.get("fields") or []
        row["subfields"] = [
            _field_row(
                sub,
                draft,
                language,
                key=f"{field['key']}.{sub['key']}",
                first=index == 0,
                last=index == len(subfields) - 1,
            )
            for index, sub in enumerate(subfields)
        ]
    return row


def _sections(draft: dict[str, Any], language: str) -> list[dict[str, Any]]:
    sections = draft.get("sections", [])
    rows = []
    for s_index, section in enumerate(sections):
        fields = section.get("fields", [])
        rows.append(
            {
                "key": section["key"],
                "title": s.text_in(section.get("title"), language) or section["key"],
                "help": s.text_in(section.get("help"), language),
                "condition": condition_text(section.get("condition"), draft, language),
                "first": s_index == 0,
                "last": s_index == len(sections) - 1,
                "fields": [
                    _field_row(
                        field,
                        draft,
                        language,
                        key=field["key"],
                        # A field moves up into the previous section, down into the next.
                        first=s_index == 0 and f_index == 0,
                        last=s_index == len(sections) - 1 and f_index == len(fields) - 1,
                    )
                    for f_index, field in enumerate(fields)
                ],
            }
        )
    return rows


def _places(draft: dict[str, Any], language: str) -> list[tuple[str, str]]:
    places = []
    for section in draft.get("sections", []):
        title = s.text_in(section.get("title"), language) or section["key"]
        places.append((f"section:{section['key']}", _("Section: %(title)s") % {"title": title}))
        for field in section.get("fields", []):
            if field["type"] == s.GROUP:
                label = s.text_in(field.get("label"), language) or field["key"]
                places.append(
                    (f"group:{field['key']}", _("Repeatable group: %(label)s") % {"label": label})
                )
    return places


def _editor_context(
    request: HttpRequest, procedure: Procedure, form: Form, **overrides: Any
) -> dict[str, Any]:
    language = _language()
    draft = _draft(form)
    versions = list(selectors_builder.form_versions(form=form))
    document_codes = {
        code for code, _name in selectors_builder.procedure_document_choices(procedure=procedure)
    }
    problems = [
        readable_problem(problem, draft, language)
        for problem in s.schema_errors(draft, complete=True, document_codes=document_codes)
    ]
    current = form.current_version
    context = {
        "procedure": procedure,
        "form": form,
        "sections": _sections(draft, language),
        "section_form": SectionForm(),
        "field_form": FieldAddForm(places=_places(draft, language)),
        "has_places": bool(draft.get("sections")),
        "versions": versions,
        "current_version": current,
        "has_changes": current is None or current.schema != draft,
        "problems": problems,
        "preview_languages": PREVIEW_LANGUAGES,
        "language": language,
        "notice": "",
        "errors": [],
        "focus": "",
        "breadcrumbs": _crumbs(procedure),
    }
    context.update(overrides)
    return context


def _render_builder(
    request: HttpRequest, procedure: Procedure, form: Form, **overrides: Any
) -> HttpResponse:
    context = _editor_context(request, procedure, form, **overrides)
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "procedures/builder/_editor.html", context)
    return render(request, "procedures/builder/form.html", context)


def _done(
    request: HttpRequest, procedure: Procedure, form: Form, notice: str, *, focus: str = ""
) -> HttpResponse:
    """After a write: htmx gets the new editor (focus kept); a plain POST is redirected."""
    if request.htmx:
        form.refresh_from_db()
        return _render_builder(request, procedure, form, notice=notice, focus=focus)
    messages.success(request, notice)
    url = reverse("procedures_builder:form", args=[procedure.pk])
    return redirect(f"{url}#{focus}" if focus else url)


def _failed(
    request: HttpRequest,
    procedure: Procedure,
    form: Form,
    error: ValidationError | PermissionDenied,
    **overrides: Any,
) -> HttpResponse:
    """A refused write: the reasons, in the admin's words; nothing already saved is lost."""
    errors = _error_texts(error, _draft(form))
    if request.htmx or overrides:
        return _render_builder(request, procedure, form, errors=errors, **overrides)
    for text in errors:
        messages.error(request, text)
    return redirect("procedures_builder:form", pk=procedure.pk)


# --- The list of procedures ----------------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The procedures of the organisations the admin manages, with their forms' versions."""
    if not org_permissions.is_organisation_admin_anywhere(request.user):
        raise PermissionDenied
    organisations = list(selectors_builder.builder_organisations(user=request.user))
    procedures = selectors_builder.builder_procedures(
        user=request.user, organisations=organisations
    )
    groups = [
        {
            "organisation": organisation,
            "procedures": [p for p in procedures if p.organisation_id == organisation.pk],
        }
        for organisation in organisations
    ]
    return render(
        request,
        "procedures/builder/index.html",
        {
            "groups": groups,
            "breadcrumbs": _crumbs(),
        },
    )


# --- The builder --------------------------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_GET
def form_page(request: HttpRequest, pk: int) -> HttpResponse:
    procedure, form = _fetch(request, pk)
    return _render_builder(request, procedure, form)


@never_cache
@staff_member_verified_required
@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    procedure, form = _fetch(request, pk)
    section_form = SectionForm(request.POST)
    if not section_form.is_valid():
        return _render_builder(request, procedure, form, section_form=section_form)
    try:
        key = builder.form_draft_add_section(
            form=form,
            title=section_form.texts(),
            help=section_form.help_texts() or None,
            actor=_actor(request, procedure),
        )
    except (ValidationError, PermissionDenied) as error:
        return _failed(request, procedure, form, error, section_form=section_form)
    return _done(request, procedure, form, _("The section was added."), focus=f"section-{key}")


def _section_or_404(form: Form, key: str) -> dict[str, Any]:
    for section in _draft(form).get("sections", []):
        if section["key"] == key:
            return section
    raise Http404


def _field_or_404(form: Form, key: str) -> tuple[dict[str, Any], dict[str, Any], int]:
    """The field `key` (``group.sub`` inside a group), its section, and its index there."""
    group_key, _dot, sub_key = key.partition(".")
    for section in _draft(form).get("sections", []):
        for index, field in enumerate(section.get("fields", [])):
            if field["key"] != group_key:
                continue
            if not sub_key:
                return field, section, index
            for sub_index, sub in enumerate(field.get("fields") or []):
                if sub["key"] == sub_key:
                    return sub, section, sub_index
    raise Http404


@never_cache
@staff_member_verified_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    procedure, form = _fetch(request, pk)
    section = _section_or_404(form, key)
    initial = {
        **texts_initial(section.get("title"), "title"),
        **texts_initial(section.get("help"), "help"),
    }
    section_form = SectionForm(request.POST or None, initial=initial)
    errors: list[str] = []
    if request.method == "POST" and section_form.is_valid():
        try:
            builder.form_draft_update_section(
                form=form,
                section_key=key,
                changes={"title": section_form.texts(), "help": section_form.help_texts() or None},
                actor=_actor(request, procedure),
            )
        except (ValidationError, PermissionDenied) as error:
            errors = _error_texts(error, _draft(form))
        else:
            messages.success(request, _("The section was saved."))
            return redirect(
                reverse("procedures_builder:form", args=[procedure.pk]) + f"#section-{key}"
            )
    title = s.text_in(section.get("title"), _language()) or key
    return render(
        request,
        "procedures/builder/section_edit.html",
        {
            "procedure": procedure,
            "section": section,
            "title": title,
            "section_form": section_form,
            "errors": errors,
            "breadcrumbs": _crumbs(procedure, ("", _("Section: %(title)s") % {"title": title})),
        },
    )


@never_cache
@staff_member_verified_required
@require_POST
def section_move(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    procedure, form = _fetch(request, pk)
    sections = _draft(form).get("sections", [])
    index = next((i for i, section in enumerate(sections) if section["key"] == key), None)
    if index is None:
        raise Http404
    direction = request.POST.get("direction")
    position = index - 1 if direction == "up" else index + 1 if direction == "down" else None
    dropped_at = request.POST.get("position", "")
    if dropped_at.isdigit():  # dragged and dropped (builder.js)
        position, direction = int(dropped_at), "up"
    if position is None or not 0 <= position < len(sections):
        return _failed(
            request, procedure, form, ValidationError(_("This section cannot move that way."))
        )
    try:
        builder.form_draft_move_section(
            form=form, section_key=key, position=position, actor=_actor(request, procedure)
        )
    except (ValidationError, PermissionDenied) as error:
        return _failed(request, procedure, form, error)
    return _done(
        request, procedure, form, _("The section was moved."), focus=f"section-{key}-{direction}"
    )


@never_cache
@staff_member_verified_required
@require_POST
def section_delete(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    procedure, form = _fetch(request, pk)
    _section_or_404(form, key)
    try:
        builder.form_draft_remove_section(
            form=form, section_key=key, actor=_actor(request, procedure)
        )
    except (ValidationError, PermissionDenied) as error:
        return _failed(request, procedure, form, error)
    return _done(request, procedure, form, _("The section and its fields were removed."))


@never_cache
@staff_member_verified_required
@require_POST
def field_add(request: HttpRequest, pk: int) -> HttpResponse:
    procedure, form = _fetch(request, pk)
    field_form = FieldAddForm(request.POST, places=_places(_draft(form), _language()))
    if not field_form.is_valid():
        return _render_builder(request, procedure, form, field_form=field_form)
    section_key, group_key = field_form.place()
    if group_key and field_form.cleaned_data["field_type"] in (s.FILE, s.GROUP):
        field_form.add_error(
            "field_type", _("A repeatable group can hold neither files nor other groups.")
        )
        return _render_builder(request, procedure, form, field_form=field_form)
    try:
        key = builder.form_draft_add_field(
            form=form,
            section_key=section_key or "",
            group_key=group_key,
            field_type=field_form.cleaned_data["field_type"],
            key=field_form.cleaned_data["key"] or None,
            label=field_form.texts(),
            required=field_form.cleaned_data["required"],
            # A choice field starts with no choice; its edit page adds them.
            options={"choices": []}
            if field_form.cleaned_data["field_type"] in (s.SINGLE_CHOICE, s.MULTIPLE_CHOICE)
            else None,
            actor=_actor(request, procedure),
        )
    except (ValidationError, PermissionDenied) as error:
        return _failed(request, procedure, form, error, field_form=field_form)
    full_key = f"{group_key}.{key}" if group_key else key
    return _done(
        request,
        procedure,
        form,
        _("The field was added. Open it to add its help text and settings."),
        focus=f"field-{full_key.replace('.', '--')}",
    )


@never_cache
@staff_member_verified_required
@require_http_methods(["GET", "POST"])
def field_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    procedure, form = _fetch(request, pk)
    field, _section, _index = _field_or_404(form, key)
    documents = selectors_builder.procedure_document_choices(procedure=procedure)
    edit_form = FieldEditForm(request.POST or None, field=field, documents=documents)
    errors: list[str] = []
    if request.method == "POST" and edit_form.is_valid():
        try:
            builder.form_draft_update_field(
                form=form,
                field_key=key,
                changes=edit_form.changes(),
                actor=_actor(request, procedure),
            )
        except (ValidationError, PermissionDenied) as error:
            errors = _error_texts(error, _draft(form))
        else:
            messages.success(request, _("The field was saved."))
            return redirect(
                reverse("procedures_builder:form", args=[procedure.pk])
                + f"#field-{key.replace('.', '--')}"
            )
    label = s.text_in(field.get("label"), _language()) or field["key"]
    return render(
        request,
        "procedures/builder/field_edit.html",
        {
            "procedure": procedure,
            "field": field,
            "field_key": key,
            "label": label,
            "type_name": s.FIELD_TYPES[field["type"]],
            "edit_form": edit_form,
            "errors": errors,
            "has_documents": bool(documents),
            "breadcrumbs": _crumbs(procedure, ("", _("Field: %(label)s") % {"label": label})),
        },
    )


def _field_move_target(form: Form, key: str, direction: str) -> tuple[int, str | None] | None:
    """(position, section key) for moving a field one step; None when it cannot move that way.

    A top-level field at the top of its section moves to the end of the previous one, at the
    bottom to the start of the next one; a field in a group moves within its group.
    """
    _field, section, index = _field_or_404(form, key)
    if "." in key:
        group, _s, _i = _field_or_404(form, key.partition(".")[0])
        size = len(group.get("fields") or [])
        position = index - 1 if direction == "up" else index + 1
        return (position, None) if 0 <= position < size else None
    sections = _draft(form)["sections"]
    s_index = next(i for i, item in enumerate(sections) if item["key"] == section["key"])
    if direction == "up":
        if index > 0:
            return index - 1, section["key"]
        if s_index > 0:
            previous = sections[s_index - 1]
            return len(previous.get("fields", [])), previous["key"]
    elif direction == "down":
        if index < len(section.get("fields", [])) - 1:
            return index + 1, section["key"]
        if s_index < len(sections) - 1:
            return 0, sections[s_index + 1]["key"]
    return None


@never_cache
@staff_member_verified_required
@require_POST
def field_move(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    procedure, form = _fetch(request, pk)
    direction = request.POST.get("direction", "")
    dropped_at = request.POST.get("position", "")
    if dropped_at.isdigit():
        # Dragged and dropped (builder.js): an explicit place, in a section or in its group.
        _field_or_404(form, key)
        section_key = None if "." in key else (request.POST.get("section") or None)
        target: tuple[int, str | None] | None = (int(dropped_at), section_key)
        direction = "up"
    else:
        target = _field_move_target(form, key, direction)
    if target is None:
        return _failed(
            request, procedure, form, ValidationError(_("This field cannot move that way."))
        )
    position, section_key = target
    try:
        builder.form_draft_move_field(
            form=form,
            field_key=key,
            position=position,
            section_key=section_key,
            actor=_actor(request, procedure),
        )
    except (ValidationError, PermissionDenied) as error:
        return _failed(request, procedure, form, error)
    return _done(
        request,
        procedure,
        form,
        _("The field was moved."),
        focus=f"field-{key.replace('.', '--')}-{direction}",
    )


@never_cache
@staff_member_verified_required
@require_POST
def field_delete(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    procedure, form = _fetch(request, pk)
    _field_or_404(form, key)
    try:
        builder.form_draft_remove_field(form=form, field_key=key, actor=_actor(request, procedure))
    except (ValidationError, PermissionDenied) as error:
        return _failed(request, procedure, form, error)
    return _done(request, procedure, form, _("The field was removed."))


def _condition_sources(draft: dict[str, Any], target_key: str) -> dict[str, dict[str, Any]] | None:
    """The fields a condition on `target_key` may test (placed before it, outside groups).

    None when the target is a field inside a group (which cannot have a condition).
    """
    if "." in target_key:
        return None
    sources: dict[str, dict[str, Any]] = {}
    for section in draft.get("sections", []):
        if section["key"] == target_key:
            return sources
        for field in section.get("fields", []):
            if field["key"] == target_key:
                return sources
            if field["type"] in s.CONDITION_SOURCE_TYPES:
                sources[field["key"]] = field
    raise Http404


def _target_or_404(form: Form, key: str) -> tuple[dict[str, Any], bool]:
    """The section or field `key`, and whether it is a section."""
    for section in _draft(form).get("sections", []):
        if section["key"] == key:
            return section, True
    field, _section, _index = _field_or_404(form, key)
    return field, False


@never_cache
@staff_member_verified_required
@require_http_methods(["GET", "POST"])
def condition(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Pick the field, the test and the value from menus; the page works in two steps without JS."""
    procedure, form = _fetch(request, pk)
    target, is_section = _target_or_404(form, key)
    draft = _draft(form)
    sources = _condition_sources(draft, key)
    if sources is None:
        raise Http404
    language = _language()
    current = target.get("condition") or {}

    def communes() -> list[tuple[str, str]]:
        return commune_choices(procedure.organisation)

    if request.method == "POST":
        condition_form = ConditionForm(
            request.POST, sources=sources, language=language, communes=communes
        )
    else:
        source = request.GET.get("source") or current.get("field")
        initial = {"source": source}
        if current and source == current.get("field"):
            initial.update(op=current.get("op"), value=current.get("value"))
            if isinstance(current.get("value"), bool):
                initial["value"] = "yes" if current["value"] else "no"
        condition_form = ConditionForm(
            initial=initial, sources=sources, language=language, communes=communes
        )
    errors: list[str] = []
    if (
        request.method == "POST"
        and condition_form.source_field is not None
        and condition_form.is_valid()
    ):
        try:
            builder.form_draft_set_condition(
                form=form,
                target_key=key,
                condition=condition_form.condition(),
                actor=_actor(request, procedure),
            )
        except (ValidationError, PermissionDenied) as error:
            errors = _error_texts(error, draft)
        else:
            messages.success(request, _("The condition was saved."))
            anchor = f"section-{key}" if is_section else f"field-{key}"
            return redirect(reverse("procedures_builder:form", args=[procedure.pk]) + f"#{anchor}")
    name = s.text_in(target.get("title" if is_section else "label"), language) or key
    context = {
        "procedure": procedure,
        "target_key": key,
        "name": name,
        "is_section": is_section,
        "condition_form": condition_form,
        "current": condition_text(current, draft, language),
        "errors": errors,
        "breadcrumbs": _crumbs(procedure, ("", _("Condition: %(name)s") % {"name": name})),
    }
    if request.htmx and request.method == "GET" and not request.htmx.history_restore_request:
        return render(request, "procedures/builder/_condition_value.html", context)
    return render(request, "procedures/builder/condition.html", context)


@never_cache
@staff_member_verified_required
@require_POST
def condition_remove(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    procedure, form = _fetch(request, pk)
    _target_or_404(form, key)
    try:
        builder.form_draft_set_condition(
            form=form, target_key=key, condition=None, actor=_actor(request, procedure)
        )
    except (ValidationError, PermissionDenied) as error:
        return _failed(request, procedure, form, error)
    return _done(request, procedure, form, _("The condition was removed: it is always shown."))


@never_cache
@staff_member_verified_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    procedure, form = _fetch(request, pk)
    try:
        version = builder.form_publish(form=form, actor=_actor(request, procedure))
    except (ValidationError, PermissionDenied) as error:
        return _failed(request, procedure, form, error)
    return _done(
        request,
        procedure,
        form,
        _("Version %(number)d is published: new applications use it; earlier ones keep their own.")
        % {"number": version.number},
        focus="versions",
    )


@never_cache
@staff_member_verified_required
@require_POST
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    procedure, form = _fetch(request, pk)
    try:
        builder.form_draft_reset(form=form, actor=_actor(request, procedure))
    except (ValidationError, PermissionDenied) as error:
        return _failed(request, procedure, form, error)
    return _done(
        request,
        procedure,
        form,
        _("The draft's changes were discarded: it is the published version again."),
    )


# --- Preview --------------------------------------------------------------------------------------


def _render_preview(
    request: HttpRequest,
    procedure: Procedure,
    schema: dict[str, Any],
    language: str,
    *,
    version=None,
) -> HttpResponse:
    """The schema through the applicant's own renderer (`forms.ApplicationForm`), in `language`.

    Nothing submits it (no form element); with JavaScript, its conditions work as the
    applicant's do, so the admin can try them.
    """
    if language not in PREVIEW_LANGUAGES:
        raise Http404
    with translation.override(language):
        application_form = ApplicationForm(
            schema=schema, organisation=procedure.organisation, language=language
        )
        fields_html = render_to_string(
            "procedures/_application_fields.html",
            {"layout": application_form.layout(), "form": application_form},
            request=request,
        )
        title = procedure.title
    what = _("Version %(number)d") % {"number": version.number} if version else _("Draft")
    return render(
        request,
        "procedures/builder/preview.html",
        {
            "procedure": procedure,
            "title": title,
            "fields_html": fields_html,
            "has_sections": bool(schema.get("sections")),
            "version": version,
            "preview_language": language,
            "preview_dir": "rtl" if language == "ar" else "ltr",
            "preview_languages": PREVIEW_LANGUAGES,
            "breadcrumbs": _crumbs(procedure, ("", _("Preview: %(what)s") % {"what": what})),
        },
    )


@never_cache
@staff_member_verified_required
@require_GET
def preview(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The draft as the applicant will see it, in one language, read-only."""
    procedure, form = _fetch(request, pk)
    return _render_preview(request, procedure, _draft(form), language)


@never_cache
@staff_member_verified_required
@require_GET
def version_preview(request: HttpRequest, pk: int, number: int, language: str) -> HttpResponse:
    """A published version, as the applications made with it were asked."""
    procedure, form = _fetch(request, pk)
    version = selectors_builder.form_version_get(form=form, number=number)
    return _render_preview(request, procedure, version.schema, language, version=version)
