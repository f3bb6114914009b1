"""The form schema: field types, their options, and the checks a schema must pass.

A schema is plain JSON, stored in `Form.draft` while the builder edits it and frozen into
`FormVersion.schema` when published:

    {"sections": [
        {"key": "applicant",
         "title": {"ar": "...", "fr": "...", "en": "..."},
         "help": {"ar": "...", ...},                      # optional
         "condition": null | {"field": "k", "op": "equals", "value": ...},
         "fields": [
            {"key": "cin", "type": "cin", "label": {...}, "help": {...}, "required": true,
             "condition": null | {...},
             ...options of the type (see OPTION_KEYS)}
         ]}
    ]}

Keys are unique in the whole form. A condition names a field placed *before* the element it
governs, outside any repeatable group, so visibility is computed in one pass and can never
loop. Fields inside a repeatable group have no conditions and no files (ADR 0006).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TEXT = "text"
LONG_TEXT = "long_text"
NUMBER = "number"
DATE = "date"
SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
YES_NO = "yes_no"
FILE = "file"
MAP_POINT = "map_point"
PARCEL = "parcel"
COMMUNE = "commune"
CIN = "cin"
PHONE = "phone"
EMAIL = "email"
GROUP = "group"

FIELD_TYPES: dict[str, Any] = {
    TEXT: gettext_lazy("Short text"),
    LONG_TEXT: gettext_lazy("Long text"),
    NUMBER: gettext_lazy("Number"),
    DATE: gettext_lazy("Date"),
    SINGLE_CHOICE: gettext_lazy("Single choice"),
    MULTIPLE_CHOICE: gettext_lazy("Multiple choice"),
    YES_NO: gettext_lazy("Yes or no"),
    FILE: gettext_lazy("File"),
    MAP_POINT: gettext_lazy("Point on the map"),
    PARCEL: gettext_lazy("Parcel drawn on the map"),
    COMMUNE: gettext_lazy("Commune"),
    CIN: gettext_lazy("National ID card number (CIN)"),
    PHONE: gettext_lazy("Phone number"),
    EMAIL: gettext_lazy("E-mail address"),
    GROUP: gettext_lazy("Repeatable group"),
}

# The options each type takes besides key, type, label, help, required and condition.
OPTION_KEYS: dict[str, frozenset[str]] = {
    TEXT: frozenset({"max_length"}),
    LONG_TEXT: frozenset({"max_length"}),
    NUMBER: frozenset({"min", "max", "decimals"}),
    DATE: frozenset({"min", "max"}),
    SINGLE_CHOICE: frozenset({"choices"}),
    MULTIPLE_CHOICE: frozenset({"choices", "min_selected", "max_selected"}),
    YES_NO: frozenset(),
    FILE: frozenset({"allowed_types", "max_bytes", "max_files", "document"}),
    MAP_POINT: frozenset(),
    PARCEL: frozenset({"max_area_m2"}),
    COMMUNE: frozenset(),
    CIN: frozenset(),
    PHONE: frozenset(),
    EMAIL: frozenset(),
    GROUP: frozenset({"fields", "min_items", "max_items"}),
}
BASE_KEYS = frozenset({"key", "type", "label", "help", "required", "condition"})
SECTION_KEYS = frozenset({"key", "title", "help", "condition", "fields"})

CONDITION_OPS = ("equals", "not_equals", "contains")
# Conditions may test these types (the value a person picks or types, compared exactly).
CONDITION_SOURCE_TYPES = frozenset(
    {TEXT, NUMBER, DATE, SINGLE_CHOICE, MULTIPLE_CHOICE, YES_NO, COMMUNE}
)
FILE_TYPES = ("pdf", "jpeg", "png", "webp")
FILE_TYPE_GROUPS = {"image": ("jpeg", "png", "webp"), "document": ("pdf",)}

LANGUAGES = ("ar", "fr", "en")
# The languages a label must have before publication: Arabic first, French complete.
REQUIRED_LANGUAGES = ("ar", "fr")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")

DEFAULT_TEXT_LENGTH = 200
MAX_TEXT_LENGTH = 1000
DEFAULT_LONG_TEXT_LENGTH = 5000
MAX_LONG_TEXT_LENGTH = 20000
DEFAULT_MAX_FILES = 1
MAX_FILES = 10
DEFAULT_PARCEL_AREA_M2 = 1_000_000  # 100 hectares
MAX_GROUP_ITEMS = 50


def empty_schema() -> dict[str, Any]:
    return {"sections": []}


def text_in(texts: dict[str, str] | None, language: str) -> str:
    """A label or help text in `language`, falling back as the site does (ar, then fr, then en)."""
    texts = texts or {}
    for code in (language, "ar", "fr", "en"):
        if texts.get(code):
            return texts[code]
    return ""


def iter_fields(schema: dict[str, Any]):
    """Every top-level field of a schema, in order, with its section."""
    for section in schema.get("sections", []):
        for field in section.get("fields", []):
            yield section, field


def field_index(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Top-level fields by key."""
    return {field["key"]: field for _section, field in iter_fields(schema)}


def flat_fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [field for _section, field in iter_fields(schema)]


def file_kinds(field: dict[str, Any]) -> tuple[str, ...]:
    """The upload kinds a file field accepts (for core.uploads)."""
    kinds: list[str] = []
    for item in field.get("allowed_types") or ("document", "image"):
        kinds.extend(FILE_TYPE_GROUPS.get(item, (item,)))
    return tuple(dict.fromkeys(kinds))


def file_max_bytes(field: dict[str, Any]) -> int:
    return int(field.get("max_bytes") or settings.UPLOAD_MAX_BYTES)


def file_max_files(field: dict[str, Any]) -> int:
    return int(field.get("max_files") or DEFAULT_MAX_FILES)


# --- Checking a schema ------------------------------------------------------------------------


class _Errors:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}" if where else message)


def _check_texts(
    errors: _Errors, where: str, texts: Any, *, what: str, required: bool, complete: bool
) -> None:
    if texts in (None, {}) and not required:
        return
    if not isinstance(texts, dict) or any(
        not isinstance(k, str) or not isinstance(v, str) for k, v in texts.items()
    ):
        errors.add(where, _("%(what)s must be a text per language.") % {"what": what})
        return
    unknown = set(texts) - set(LANGUAGES) - {"zgh"}
    if unknown:
        errors.add(where, _("Unknown language: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    if required and not any(v.strip() for v in texts.values()):
        errors.add(where, _("%(what)s is missing.") % {"what": what})
    elif required and complete:
        for code in REQUIRED_LANGUAGES:
            if not texts.get(code, "").strip():
                errors.add(
                    where,
                    _("%(what)s is missing in %(language)s.")
                    % {"what": what, "language": _language_name(code)},
                )


def _language_name(code: str) -> str:
    return {"ar": _("Arabic"), "fr": _("French"), "en": _("English")}.get(code, code)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return True


def _is_date(value: Any) -> bool:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _check_options(
    errors: _Errors,
    where: str,
    field: dict[str, Any],
    *,
    complete: bool,
    in_group: bool,
    document_codes: set[str] | None,
) -> None:
    kind = field["type"]
    unknown = set(field) - BASE_KEYS - OPTION_KEYS[kind]
    if unknown:
        errors.add(where, _("Unknown settings: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    if not isinstance(field.get("required", False), bool):
        errors.add(where, _("“Required” must be yes or no."))
    if kind in (TEXT, LONG_TEXT):
        limit = MAX_TEXT_LENGTH if kind == TEXT else MAX_LONG_TEXT_LENGTH
        value = field.get("max_length")
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= limit
        ):
            errors.add(where, _("The maximum length must be from 1 to %(max)d.") % {"max": limit})
    elif kind == NUMBER:
        for bound in ("min", "max"):
            if field.get(bound) is not None and not _is_number(field[bound]):
                errors.add(where, _("The limits must be numbers."))
        decimals = field.get("decimals", 0)
        if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 6:
            errors.add(where, _("The number of decimals must be from 0 to 6."))
        if (
            _is_number(field.get("min"))
            and _is_number(field.get("max"))
            and Decimal(str(field["min"])) > Decimal(str(field["max"]))
        ):
            errors.add(where, _("The minimum is above the maximum."))
    elif kind == DATE:
        for bound in ("min", "max"):
            if field.get(bound) is not None and not _is_date(field[bound]):
                errors.add(where, _("The limits must be dates (YYYY-MM-DD)."))
    elif kind in (SINGLE_CHOICE, MULTIPLE_CHOICE):
        choices = field.get("choices")
        if not isinstance(choices, list) or (complete and not choices):
            errors.add(where, _("Give at least one choice."))
            choices = []
        seen: set[str] = set()
        for index, choice in enumerate(choices):
            choice_where = f"{where}.choices[{index}]"
            if not isinstance(choice, dict) or not KEY_PATTERN.match(str(choice.get("key", ""))):
                errors.add(
                    choice_where, _("Each choice needs a key (lower-case letters, digits, _).")
                )
                continue
            if choice["key"] in seen:
                errors.add(
                    choice_where, _("Two choices have the key %(key)s.") % {"key": choice["key"]}
                )
            seen.add(choice["key"])
            _check_texts(
                errors,
                choice_where,
                choice.get("label"),
                what=_("The label"),
                required=True,
                complete=complete,
            )
        if kind == MULTIPLE_CHOICE:
            for bound in ("min_selected", "max_selected"):
                value = field.get(bound)
                if value is not None and (
                    not isinstance(value, int) or isinstance(value, bool) or value < 0
                ):
                    errors.add(where, _("The number of choices must be a whole number."))
    elif kind == FILE:
        if in_group:
            errors.add(where, _("A repeatable group cannot hold a file field."))
        allowed = field.get("allowed_types")
        known = set(FILE_TYPES) | set(FILE_TYPE_GROUPS)
        if allowed is not None and (
            not isinstance(allowed, list) or not allowed or any(a not in known for a in allowed)
        ):
            errors.add(
                where,
                _("The allowed file types are among: %(types)s.")
                % {"types": ", ".join(sorted(known))},
            )
        max_bytes = field.get("max_bytes")
        if max_bytes is not None and (
            not isinstance(max_bytes, int)
            or isinstance(max_bytes, bool)
            or not 1 <= max_bytes <= settings.UPLOAD_MAX_BYTES
        ):
            errors.add(
                where,
                _("The maximum size must be from 1 byte to %(max)d bytes.")
                % {"max": settings.UPLOAD_MAX_BYTES},
            )
        max_files = field.get("max_files")
        if max_files is not None and (
            not isinstance(max_files, int)
            or isinstance(max_files, bool)
            or not 1 <= max_files <= MAX_FILES
        ):
            errors.add(
                where, _("The number of files must be from 1 to %(max)d.") % {"max": MAX_FILES}
            )
        document = field.get("document")
        # Law 55-19: a procedure may only ask for documents of its catalogue list.
        if document_codes is not None and document is not None and document not in document_codes:
            errors.add(
                where,
                _("The document %(code)s is not in this procedure's list of required documents.")
                % {"code": document},
            )
        if complete and document is None:
            errors.add(where, _("Choose which document of the procedure's list this file is."))
    elif kind == PARCEL:
        area = field.get("max_area_m2")
        if area is not None and (not _is_number(area) or Decimal(str(area)) <= 0):
            errors.add(where, _("The maximum area must be a positive number."))
    elif kind == GROUP:
        if in_group:
            errors.add(where, _("A repeatable group cannot hold another group."))
        for bound in ("min_items", "max_items"):
            value = field.get(bound)
            if value is not None and (
                not isinstance(value, int)
                or isinstance(value, bool)
                or not 0 <= value <= MAX_GROUP_ITEMS
            ):
                errors.add(
                    where,
                    _("The number of items must be from 0 to %(max)d.") % {"max": MAX_GROUP_ITEMS},
                )
        subfields = field.get("fields")
        if not isinstance(subfields, list) or (complete and not subfields):
            errors.add(where, _("A repeatable group needs at least one field."))
            subfields = []
        seen_keys: set[str] = set()
        for index, subfield in enumerate(subfields):
            sub_where = f"{where}.fields[{index}]"
            _check_field(
                errors,
                sub_where,
                subfield,
                complete=complete,
                in_group=True,
                document_codes=document_codes,
            )
            if isinstance(subfield, dict):
                if subfield.get("key") in seen_keys:
                    errors.add(
                        sub_where,
                        _("Two fields have the key %(key)s.") % {"key": subfield.get("key")},
                    )
                seen_keys.add(subfield.get("key"))
                if subfield.get("condition"):
                    errors.add(
                        sub_where, _("Fields inside a repeatable group cannot have conditions.")
                    )


def _check_field(
    errors: _Errors,
    where: str,
    field: Any,
    *,
    complete: bool,
    in_group: bool,
    document_codes: set[str] | None,
) -> None:
    if not isinstance(field, dict):
        errors.add(where, _("A field must be an object."))
        return
    if not KEY_PATTERN.match(str(field.get("key", ""))):
        errors.add(where, _("A field needs a key (lower-case letters, digits, _)."))
    if field.get("type") not in FIELD_TYPES:
        errors.add(where, _("Unknown field type: %(type)s.") % {"type": field.get("type")})
        return
    where = f"{where} ({field.get('key')})"
    _check_texts(
        errors, where, field.get("label"), what=_("The label"), required=True, complete=complete
    )
    _check_texts(
        errors, where, field.get("help"), what=_("The help text"), required=False, complete=False
    )
    _check_options(
        errors, where, field, complete=complete, in_group=in_group, document_codes=document_codes
    )


def _check_condition(
    errors: _Errors, where: str, condition: Any, *, before: dict[str, dict[str, Any]]
) -> None:
    if condition is None:
        return
    if not isinstance(condition, dict) or set(condition) != {"field", "op", "value"}:
        errors.add(where, _("A condition names a field, a test and a value."))
        return
    source = before.get(condition["field"])
    if source is None:
        errors.add(
            where,
            _("A condition can only test a field placed before it: %(key)s is not.")
            % {"key": condition["field"]},
        )
        return
    if source["type"] not in CONDITION_SOURCE_TYPES:
        errors.add(where, _("A condition cannot test a field of this type."))
        return
    if condition["op"] not in CONDITION_OPS:
        errors.add(where, _("Unknown test: %(op)s.") % {"op": condition["op"]})
        return
    value = condition["value"]
    if source["type"] == YES_NO and not isinstance(value, bool):
        errors.add(where, _("A yes-or-no field is compared with yes or no."))
    elif source["type"] in (SINGLE_CHOICE, MULTIPLE_CHOICE):
        keys = {
            choice.get("key") for choice in source.get("choices") or [] if isinstance(choice, dict)
        }
        if value not in keys:
            errors.add(where, _("The value must be one of the field's choices."))
    elif source["type"] == NUMBER and not _is_number(value):
        errors.add(where, _("The value must be a number."))
    elif source["type"] in (TEXT, DATE, COMMUNE) and not isinstance(value, str):
        errors.add(where, _("The value must be a text."))


def schema_errors(
    schema: Any, *, complete: bool = False, document_codes: set[str] | None = None
) -> list[str]:
    """Every problem of a schema, as translated messages that locate it; empty when it is sound.

    `complete` adds what publication needs (labels in Arabic and French, choices, each file
    tied to a document of the procedure's list, at least one field). `document_codes` is the
    procedure's list of catalogue documents (law 55-19).
    """
    errors = _Errors()
    if (
        not isinstance(schema, dict)
        or set(schema) != {"sections"}
        or not isinstance(schema["sections"], list)
    ):
        return [_("A form is a list of sections.")]
    keys: set[str] = set()
    before: dict[str, dict[str, Any]] = {}
    field_count = 0
    for s_index, section in enumerate(schema["sections"]):
        where = f"sections[{s_index}]"
        if not isinstance(section, dict):
            errors.add(where, _("A section must be an object."))
            continue
        unknown = set(section) - SECTION_KEYS
        if unknown:
            errors.add(
                where, _("Unknown settings: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
            )
        key = section.get("key", "")
        if not KEY_PATTERN.match(str(key)):
            errors.add(where, _("A section needs a key (lower-case letters, digits, _)."))
        elif key in keys:
            errors.add(where, _("Two elements have the key %(key)s.") % {"key": key})
        keys.add(key)
        where = f"{where} ({key})"
        _check_texts(
            errors,
            where,
            section.get("title"),
            what=_("The title"),
            required=True,
            complete=complete,
        )
        _check_texts(
            errors,
            where,
            section.get("help"),
            what=_("The help text"),
            required=False,
            complete=False,
        )
        _check_condition(errors, where, section.get("condition"), before=before)
        fields = section.get("fields")
        if not isinstance(fields, list):
            errors.add(where, _("A section holds a list of fields."))
            continue
        for f_index, field in enumerate(fields):
            field_where = f"{where}.fields[{f_index}]"
            _check_field(
                errors,
                field_where,
                field,
                complete=complete,
                in_group=False,
                document_codes=document_codes,
            )
            if not isinstance(field, dict):
                continue
            field_count += 1
            field_key = field.get("key")
            if field_key in keys:
                errors.add(
                    field_where, _("Two elements have the key %(key)s.") % {"key": field_key}
                )
            keys.add(field_key)
            _check_condition(
                errors, f"{field_where} ({field_key})", field.get("condition"), before=before
            )
            if field.get("type") in FIELD_TYPES:
                before[field_key] = field
    if complete and field_count == 0:
        errors.add("", _("A form needs at least one field."))
    return errors.items


def schema_check(
    schema: Any, *, complete: bool = False, document_codes: set[str] | None = None
) -> None:
    """Raise a ValidationError listing every problem of `schema` (see `schema_errors`)."""
    problems = schema_errors(schema, complete=complete, document_codes=document_codes)
    if problems:
        raise ValidationError(problems, code="invalid_schema")
