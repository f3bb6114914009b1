"""The form builder's services: edit a form's draft, then publish it as a new immutable version.

The no-code builder pages call these; each edit locks the form, applies one change, checks the
whole draft's structure (`schema.schema_errors`), and writes an audit row. Publication checks
completeness too (labels in Arabic and French, each file tied to a document of the procedure's
list) and freezes the draft into `FormVersion` number n+1; applications keep their version.

Only the organisation's admins (and platform admins) edit forms
(`permissions.procedure_can_edit`).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_record
from jamaati.core.actors import Actor
from jamaati.organisations import permissions as org_permissions
from jamaati.procedures import permissions
from jamaati.procedures.forms_engine import schema as s
from jamaati.procedures.models import Form, FormVersion, Procedure, ProcedureDocument

# What an edit of a field may change; the type is fixed once created (answers depend on it).
FIELD_EDITABLE = frozenset({"label", "help", "required"}) | frozenset().union(
    *s.OPTION_KEYS.values()
)
SECTION_EDITABLE = frozenset({"title", "help"})


def _editor(actor: Actor, form: Form) -> Actor:
    procedure = form.procedure
    if not permissions.procedure_can_edit(user=actor.user, procedure=procedure):
        raise PermissionDenied(_("Only the organisation's administrators may edit this form."))
    if actor.membership is None:
        membership = org_permissions.organisation_admin_membership(
            user=actor.user, organisation=procedure.organisation
        )
        actor = dataclasses.replace(actor, membership=membership)
    return actor


def _locked(form: Form) -> Form:
    return Form.objects.select_for_update(of=("self",)).select_related("procedure").get(pk=form.pk)


def _document_codes(procedure: Procedure) -> set[str]:
    return set(
        ProcedureDocument.objects.filter(procedure=procedure).values_list(
            "document__code", flat=True
        )
    )


def _all_keys(schema: dict[str, Any]) -> set[str]:
    keys = set()
    for section in schema.get("sections", []):
        keys.add(section.get("key"))
        for field in section.get("fields", []):
            keys.add(field.get("key"))
            for sub in field.get("fields", []) if field.get("type") == s.GROUP else []:
                keys.add(f"{field.get('key')}.{sub.get('key')}")
    return keys


def _new_key(schema: dict[str, Any], stem: str) -> str:
    keys = _all_keys(schema)
    number = 1
    while f"{stem}_{number}" in keys:
        number += 1
    return f"{stem}_{number}"


def _find_section(schema: dict[str, Any], key: str) -> dict[str, Any]:
    for section in schema["sections"]:
        if section["key"] == key:
            return section
    raise ValidationError(_("This form has no section %(key)s.") % {"key": key}, code="no_section")


def _find_field(schema: dict[str, Any], key: str) -> tuple[list[dict[str, Any]], int]:
    """The list holding field `key` (a section's fields, or a group's) and its index there.

    A field inside a group is named ``group.subfield``.
    """
    group_key, _dot, sub_key = key.partition(".")
    for section in schema["sections"]:
        for index, field in enumerate(section["fields"]):
            if field["key"] != group_key:
                continue
            if not sub_key:
                return section["fields"], index
            if field["type"] == s.GROUP:
                for sub_index, sub in enumerate(field.get("fields", [])):
                    if sub["key"] == sub_key:
                        return field["fields"], sub_index
    raise ValidationError(_("This form has no field %(key)s.") % {"key": key}, code="no_field")


def _save(form: Form, draft: dict[str, Any], *, actor: Actor, change: dict[str, Any]) -> Form:
    problems = s.schema_errors(draft, document_codes=_document_codes(form.procedure))
    if problems:
        raise ValidationError(problems, code="invalid_schema")
    form.draft = draft
    form.save(update_fields=["draft", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=form,
        organisation=form.procedure.organisation,
        changes=change,
    )
    return form


def _draft(form: Form) -> dict[str, Any]:
    draft = copy.deepcopy(form.draft) if form.draft else s.empty_schema()
    draft.setdefault("sections", [])
    return draft


def _position(items: list, position: int | None) -> int:
    if position is None:
        return len(items)
    return max(0, min(position, len(items)))


@transaction.atomic
def form_draft_add_section(
    *,
    form: Form,
    title: Mapping[str, str],
    actor: Actor,
    key: str | None = None,
    help: Mapping[str, str] | None = None,
    position: int | None = None,
) -> str:
    """Add a section to the draft; return its key."""
    actor = _editor(actor, form)
    form = _locked(form)
    draft = _draft(form)
    key = key or _new_key(draft, "section")
    section: dict[str, Any] = {"key": key, "title": dict(title), "fields": []}
    if help:
        section["help"] = dict(help)
    draft["sections"].insert(_position(draft["sections"], position), section)
    _save(form, draft, actor=actor, change={"op": "add_section", "key": key})
    return key


@transaction.atomic
def form_draft_update_section(
    *, form: Form, section_key: str, changes: Mapping[str, Any], actor: Actor
) -> None:
    """Change a section's title or help text."""
    actor = _editor(actor, form)
    unknown = set(changes) - SECTION_EDITABLE
    if unknown:
        raise ValidationError(
            _("These settings cannot be changed here: %(keys)s.")
            % {"keys": ", ".join(sorted(unknown))}
        )
    form = _locked(form)
    draft = _draft(form)
    section = _find_section(draft, section_key)
    for name, value in changes.items():
        if value in (None, {}):
            section.pop(name, None)
        else:
            section[name] = value
    _save(form, draft, actor=actor, change={"op": "update_section", "key": section_key})


@transaction.atomic
def form_draft_move_section(*, form: Form, section_key: str, position: int, actor: Actor) -> None:
    """Move a section; refused when it would come before a field its condition tests."""
    actor = _editor(actor, form)
    form = _locked(form)
    draft = _draft(form)
    section = _find_section(draft, section_key)
    draft["sections"].remove(section)
    draft["sections"].insert(_position(draft["sections"], position), section)
    _save(
        form,
        draft,
        actor=actor,
        change={"op": "move_section", "key": section_key, "position": position},
    )


@transaction.atomic
def form_draft_remove_section(*, form: Form, section_key: str, actor: Actor) -> None:
    """Remove a section and its fields; refused while another element's condition tests one of them."""
    actor = _editor(actor, form)
    form = _locked(form)
    draft = _draft(form)
    section = _find_section(draft, section_key)
    draft["sections"].remove(section)
    _save(form, draft, actor=actor, change={"op": "remove_section", "key": section_key})


@transaction.atomic
def form_draft_add_field(
    *,
    form: Form,
    section_key: str,
    field_type: str,
    label: Mapping[str, str],
    actor: Actor,
    key: str | None = None,
    required: bool = False,
    help: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
    position: int | None = None,
    group_key: str | None = None,
) -> str:
    """Add a field to a section (or, with `group_key`, inside a repeatable group); return its key."""
    actor = _editor(actor, form)
    if field_type not in s.FIELD_TYPES:
        raise ValidationError(
            _("Unknown field type: %(type)s.") % {"type": field_type}, code="bad_type"
        )
    form = _locked(form)
    draft = _draft(form)
    key = key or _new_key(draft, field_type)
    field: dict[str, Any] = {
        "key": key,
        "type": field_type,
        "label": dict(label),
        "required": required,
    }
    if help:
        field["help"] = dict(help)
    if field_type == s.GROUP:
        field["fields"] = []
    field.update(options or {})
    if group_key:
        container, index = _find_field(draft, group_key)
        group = container[index]
        if group["type"] != s.GROUP:
            raise ValidationError(_("%(key)s is not a repeatable group.") % {"key": group_key})
        items = group["fields"]
    else:
        items = _find_section(draft, section_key)["fields"]
    items.insert(_position(items, position), field)
    full_key = f"{group_key}.{key}" if group_key else key
    _save(form, draft, actor=actor, change={"op": "add_field", "key": full_key, "type": field_type})
    return key


@transaction.atomic
def form_draft_update_field(
    *, form: Form, field_key: str, changes: Mapping[str, Any], actor: Actor
) -> None:
    """Change a field's label, help, required flag or type options (None removes an option)."""
    actor = _editor(actor, form)
    unknown = set(changes) - FIELD_EDITABLE
    if unknown:
        raise ValidationError(
            _("These settings cannot be changed here: %(keys)s.")
            % {"keys": ", ".join(sorted(unknown))}
        )
    form = _locked(form)
    draft = _draft(form)
    container, index = _find_field(draft, field_key)
    field = container[index]
    for name, value in changes.items():
        if value is None:
            field.pop(name, None)
        else:
            field[name] = value
    _save(
        form,
        draft,
        actor=actor,
        change={"op": "update_field", "key": field_key, "changed": sorted(changes)},
    )


@transaction.atomic
def form_draft_move_field(
    *,
    form: Form,
    field_key: str,
    position: int,
    actor: Actor,
    section_key: str | None = None,
) -> None:
    """Move a field within its section, or to `section_key`; refused when a condition would then
    test a field placed after it."""
    actor = _editor(actor, form)
    form = _locked(form)
    draft = _draft(form)
    container, index = _find_field(draft, field_key)
    field = container.pop(index)
    if section_key is not None and "." not in field_key:
        container = _find_section(draft, section_key)["fields"]
    container.insert(_position(container, position), field)
    _save(
        form,
        draft,
        actor=actor,
        change={"op": "move_field", "key": field_key, "section": section_key, "position": position},
    )


@transaction.atomic
def form_draft_remove_field(*, form: Form, field_key: str, actor: Actor) -> None:
    """Remove a field; refused while another element's condition tests it."""
    actor = _editor(actor, form)
    form = _locked(form)
    draft = _draft(form)
    container, index = _find_field(draft, field_key)
    container.pop(index)
    _save(form, draft, actor=actor, change={"op": "remove_field", "key": field_key})


@transaction.atomic
def form_draft_set_condition(
    *, form: Form, target_key: str, condition: Mapping[str, Any] | None, actor: Actor
) -> None:
    """Show a section or field only when an earlier field equals / does not equal / contains a value.

    `condition` is {"field": key, "op": "equals" | "not_equals" | "contains", "value": ...};
    None removes it.
    """
    actor = _editor(actor, form)
    form = _locked(form)
    draft = _draft(form)
    target = None
    for section in draft["sections"]:
        if section["key"] == target_key:
            target = section
    if target is None:
        container, index = _find_field(draft, target_key)
        target = container[index]
    if condition is None:
        target.pop("condition", None)
    else:
        target["condition"] = {
            "field": condition.get("field"),
            "op": condition.get("op"),
            "value": condition.get("value"),
        }
    _save(
        form,
        draft,
        actor=actor,
        change={"op": "set_condition", "key": target_key, "condition": condition},
    )


@transaction.atomic
def form_draft_replace(*, form: Form, draft: dict[str, Any], actor: Actor) -> None:
    """Replace the whole draft (importing a form, or the demo seed); checked like every edit."""
    actor = _editor(actor, form)
    form = _locked(form)
    _save(form, copy.deepcopy(draft), actor=actor, change={"op": "replace"})


@transaction.atomic
def form_draft_reset(*, form: Form, actor: Actor) -> None:
    """Throw away the draft's changes: start again from the published version."""
    actor = _editor(actor, form)
    form = _locked(form)
    version = form.current_version
    draft = copy.deepcopy(version.schema) if version else s.empty_schema()
    _save(form, draft, actor=actor, change={"op": "reset"})


@transaction.atomic
def form_publish(*, form: Form, actor: Actor) -> FormVersion:
    """Freeze the draft into a new version that new applications use; earlier ones keep theirs."""
    actor = _editor(actor, form)
    form = _locked(form)
    s.schema_check(form.draft, complete=True, document_codes=_document_codes(form.procedure))
    if form.current_version_id and form.current_version.schema == form.draft:
        raise ValidationError(
            _("Nothing changed since the last published version."), code="unchanged"
        )
    number = (FormVersion.objects.filter(form=form).aggregate(n=Max("number"))["n"] or 0) + 1
    version = FormVersion.objects.create(
        form=form,
        number=number,
        schema=copy.deepcopy(form.draft),
        published_at=timezone.now(),
        published_by=actor.user,
    )
    form.current_version = version
    form.save(update_fields=["current_version", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=form,
        organisation=form.procedure.organisation,
        changes={"op": "publish", "version": number},
    )
    return version
