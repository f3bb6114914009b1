"""The form builder's web forms: what an admin types, turned into the builder services' arguments.

Nobody writes JSON: labels and help texts are one box per language, a field's settings are
ordinary inputs that depend on its type, choices are rows, and a condition is picked from
menus (the fields placed before, the test, and the value among the field's choices when it
has some). The services (`forms_engine.builder`) check the result as a whole.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from jamaati.organisations.forms import StaffForm
from jamaati.procedures.forms_engine import schema as s

LANGUAGE_NAMES = {"ar": _("Arabic"), "fr": _("French"), "en": _("English")}
MEGABYTE = 1024 * 1024
FILE_TYPE_NAMES = {
    "pdf": _("PDF document"),
    "jpeg": _("JPEG photo"),
    "png": _("PNG image"),
    "webp": _("WebP image"),
}
OP_NAMES = {
    "equals": _("is"),
    "not_equals": _("is not"),
    "contains": _("contains"),
}
# The tests that make sense for each kind of field a condition may test.
OPS_FOR_TYPE = {
    s.TEXT: ("equals", "not_equals", "contains"),
    # A multiple choice holds a list: only "contains" a chosen key makes sense.
    s.MULTIPLE_CHOICE: ("contains",),
}
DEFAULT_OPS = ("equals", "not_equals")


def _text_input(language: str, *, long: bool = False) -> forms.Widget:
    attrs = {"lang": language, "dir": "rtl" if language == "ar" else "ltr", "class": "form-control"}
    if long:
        attrs["rows"] = "2"
        return forms.Textarea(attrs=attrs)
    return forms.TextInput(attrs=attrs)


# The boxes' labels, whole sentences so that each language words them its own way.
BOX_LABELS = {
    "title": {"ar": _("Title in Arabic"), "fr": _("Title in French"), "en": _("Title in English")},
    "label": {"ar": _("Label in Arabic"), "fr": _("Label in French"), "en": _("Label in English")},
    "help": {
        "ar": _("Help text in Arabic"),
        "fr": _("Help text in French"),
        "en": _("Help text in English"),
    },
    "choice": {
        "ar": _("Choice in Arabic"),
        "fr": _("Choice in French"),
        "en": _("Choice in English"),
    },
}


def _per_language(form: forms.Form, name: str, *, long: bool = False, max_length=500) -> None:
    for code in LANGUAGE_NAMES:
        form.fields[f"{name}_{code}"] = forms.CharField(
            label=BOX_LABELS[name][code],
            # A draft may lack a language; publication needs Arabic and French (ADR 0006).
            help_text=_("Needed to publish.")
            if name != "help" and code in s.REQUIRED_LANGUAGES
            else "",
            required=False,
            max_length=max_length,
            widget=_text_input(code, long=long),
        )


def texts_of(cleaned: dict[str, Any], name: str) -> dict[str, str]:
    """The non-empty texts of a per-language field, as the schema stores them."""
    return {
        code: cleaned[f"{name}_{code}"].strip()
        for code in LANGUAGE_NAMES
        if cleaned.get(f"{name}_{code}", "").strip()
    }


def texts_initial(texts: dict[str, str] | None, name: str) -> dict[str, str]:
    return {f"{name}_{code}": (texts or {}).get(code, "") for code in LANGUAGE_NAMES}


class _TextsForm(StaffForm):
    """A title or label in Arabic, French and English (at least one), with an optional help text."""

    text_name = "label"
    missing_text = _(
        "Give the label in at least one language (Arabic and French are needed to publish)."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _per_language(self, self.text_name, max_length=300)
        _per_language(self, "help", long=True, max_length=1000)
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not texts_of(cleaned, self.text_name):
            raise forms.ValidationError(self.missing_text)
        return cleaned

    def texts(self) -> dict[str, str]:
        return texts_of(self.cleaned_data, self.text_name)

    def help_texts(self) -> dict[str, str]:
        return texts_of(self.cleaned_data, "help")

    def language_rows(self) -> list[dict[str, Any]]:
        """The boxes grouped per language, for the template."""
        return [
            {
                "code": code,
                "name": language_name,
                "text": self[f"{self.text_name}_{code}"],
                "help": self[f"help_{code}"],
            }
            for code, language_name in LANGUAGE_NAMES.items()
        ]


class SectionForm(_TextsForm):
    text_name = "title"
    missing_text = _(
        "Give the title in at least one language (Arabic and French are needed to publish)."
    )


class FieldAddForm(_TextsForm):
    """A new field: where it goes, its type, its label and whether it is required."""

    where = forms.ChoiceField(label=_("Add it to"))
    field_type = forms.ChoiceField(label=_("Type of field"))
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    key = forms.RegexField(
        label=_("Technical name"),
        regex=s.KEY_PATTERN,
        required=False,
        max_length=60,
        help_text=_(
            "Lower-case Latin letters, digits and _, starting with a letter: the column's name in "
            "exports. Left empty, one is made up."
        ),
        error_messages={
            "invalid": _("Use lower-case Latin letters, digits and _, starting with a letter.")
        },
        widget=forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "none"}),
    )

    def __init__(self, *args, places: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["where"].choices = places
        self.fields["field_type"].choices = [(k, v) for k, v in s.FIELD_TYPES.items()]
        # The label boxes first, the help boxes are for the edit page.
        for code in LANGUAGE_NAMES:
            del self.fields[f"help_{code}"]
        self.order_fields(
            ["where", "field_type", *(f"label_{c}" for c in LANGUAGE_NAMES), "required", "key"]
        )
        self.style_widgets()

    def place(self) -> tuple[str | None, str | None]:
        """(section key, group key) of the chosen place."""
        kind, _sep, key = self.cleaned_data["where"].partition(":")
        return (key, None) if kind == "section" else (None, key)


def _choice_key(label: dict[str, str], taken: set[str]) -> str:
    stem = slugify(label.get("fr") or label.get("en") or "").replace("-", "_")[:40]
    if not stem or not stem[0].isalpha():
        stem = "choice"
    key, number = stem, 1
    while key in taken:
        number += 1
        key = f"{stem}_{number}"
    return key


class ChoiceRowForm(StaffForm):
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    delete = forms.BooleanField(label=_("Remove this choice"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code in LANGUAGE_NAMES:
            self.fields[f"label_{code}"] = forms.CharField(
                label=BOX_LABELS["choice"][code],
                help_text=_("Needed to publish.") if code in s.REQUIRED_LANGUAGES else "",
                required=False,
                max_length=200,
                widget=_text_input(code),
            )
        self.style_widgets()


ChoiceFormSet = forms.formset_factory(ChoiceRowForm, extra=3, max_num=100)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class FieldEditForm(_TextsForm):
    """A field's label and help in each language, the required flag and its type's settings."""

    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def __init__(
        self,
        *args,
        field: dict[str, Any],
        documents: list[tuple[str, str]],
        **kwargs,
    ) -> None:
        self.field = field
        self.kind = field["type"]
        initial = {
            **texts_initial(field.get("label"), "label"),
            **texts_initial(field.get("help"), "help"),
            "required": field.get("required", False),
        }
        initial.update(self._options_initial(field))
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self._add_option_fields(documents)
        self.style_widgets()
        self.choices = None
        if self.kind in (s.SINGLE_CHOICE, s.MULTIPLE_CHOICE):
            rows = [
                {"key": c.get("key", ""), **texts_initial(c.get("label"), "label")}
                for c in field.get("choices") or []
            ]
            self.choices = ChoiceFormSet(
                args[0] if args else kwargs.get("data"), initial=rows, prefix="choice"
            )

    # Settings per type -----------------------------------------------------------------------

    def _options_initial(self, field: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name in ("max_length", "min", "max", "decimals", "min_selected", "max_selected"):
            if field.get(name) is not None:
                initial[name] = field[name]
        for name in ("max_files", "min_items", "max_items", "max_area_m2", "document"):
            if field.get(name) is not None:
                initial[name] = field[name]
        if field.get("max_bytes"):
            initial["max_megabytes"] = Decimal(field["max_bytes"]) / MEGABYTE
        if field.get("allowed_types"):
            types: list[str] = []
            for item in field["allowed_types"]:
                types.extend(s.FILE_TYPE_GROUPS.get(item, (item,)))
            initial["allowed_types"] = types
        return initial

    def _add_option_fields(self, documents: list[tuple[str, str]]) -> None:
        kind, add = self.kind, self.fields.__setitem__
        if kind in (s.TEXT, s.LONG_TEXT):
            limit = s.MAX_TEXT_LENGTH if kind == s.TEXT else s.MAX_LONG_TEXT_LENGTH
            add(
                "max_length",
                forms.IntegerField(
                    label=_("Maximum length (characters)"),
                    required=False,
                    min_value=1,
                    max_value=limit,
                ),
            )
        elif kind == s.NUMBER:
            add("min", forms.DecimalField(label=_("Smallest number accepted"), required=False))
            add("max", forms.DecimalField(label=_("Largest number accepted"), required=False))
            add(
                "decimals",
                forms.IntegerField(
                    label=_("Digits after the decimal point"),
                    required=False,
                    min_value=0,
                    max_value=6,
                ),
            )
        elif kind == s.DATE:
            date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            add("min", forms.DateField(label=_("Earliest date"), required=False, widget=date_input))
            add("max", forms.DateField(label=_("Latest date"), required=False, widget=date_input))
        elif kind == s.MULTIPLE_CHOICE:
            add(
                "min_selected",
                forms.IntegerField(label=_("Fewest choices"), required=False, min_value=0),
            )
            add(
                "max_selected",
                forms.IntegerField(label=_("Most choices"), required=False, min_value=0),
            )
        elif kind == s.FILE:
            add(
                "document",
                forms.ChoiceField(
                    label=_("Which listed document this file is"),
                    required=False,
                    choices=[("", _("Choose a document")), *documents],
                    help_text=_(
                        "Law 55-19: a procedure may only ask for documents of its published list."
                    ),
                ),
            )
            add(
                "allowed_types",
                forms.MultipleChoiceField(
                    label=_("Accepted file types"),
                    required=False,
                    choices=list(FILE_TYPE_NAMES.items()),
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("None ticked: PDF documents and images are accepted."),
                ),
            )
            upload_max = Decimal(settings.UPLOAD_MAX_BYTES) / MEGABYTE
            add(
                "max_megabytes",
                forms.DecimalField(
                    label=_("Maximum size of a file (MB)"),
                    required=False,
                    min_value=Decimal("0.1"),
                    max_value=upload_max,
                    decimal_places=1,
                    help_text=_("At most %(max)s MB.") % {"max": f"{upload_max:g}"},
                ),
            )
            add(
                "max_files",
                forms.IntegerField(
                    label=_("Most files"), required=False, min_value=1, max_value=s.MAX_FILES
                ),
            )
        elif kind == s.PARCEL:
            add(
                "max_area_m2",
                forms.DecimalField(
                    label=_("Largest parcel accepted (m²)"), required=False, min_value=1
                ),
            )
        elif kind == s.GROUP:
            for name, label in (("min_items", _("Fewest items")), ("max_items", _("Most items"))):
                add(
                    name,
                    forms.IntegerField(
                        label=label, required=False, min_value=0, max_value=s.MAX_GROUP_ITEMS
                    ),
                )

    def option_fields(self) -> list[forms.BoundField]:
        base = {"required", *(f"label_{c}" for c in LANGUAGE_NAMES)}
        base |= {f"help_{c}" for c in LANGUAGE_NAMES}
        return [self[name] for name in self.fields if name not in base]

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if self.choices is not None:
            valid = self.choices.is_valid() and valid
        return valid

    def changes(self) -> dict[str, Any]:
        """The `form_draft_update_field` changes: None removes a setting left empty."""
        data = self.cleaned_data
        changes: dict[str, Any] = {
            "label": self.texts(),
            "help": self.help_texts() or None,
            "required": data["required"],
        }
        kind = self.kind
        if kind in (s.TEXT, s.LONG_TEXT):
            changes["max_length"] = data["max_length"]
        elif kind == s.NUMBER:
            changes["min"] = _number(data["min"])
            changes["max"] = _number(data["max"])
            changes["decimals"] = data["decimals"]
        elif kind == s.DATE:
            changes["min"] = data["min"].isoformat() if data["min"] else None
            changes["max"] = data["max"].isoformat() if data["max"] else None
        elif kind == s.FILE:
            changes["document"] = data["document"] or None
            changes["allowed_types"] = list(data["allowed_types"]) or None
            megabytes = data["max_megabytes"]
            changes["max_bytes"] = (
                min(int(megabytes * MEGABYTE), settings.UPLOAD_MAX_BYTES) if megabytes else None
            )
            changes["max_files"] = data["max_files"]
        elif kind == s.PARCEL:
            changes["max_area_m2"] = _number(data["max_area_m2"])
        elif kind == s.GROUP:
            changes["min_items"] = data["min_items"]
            changes["max_items"] = data["max_items"]
        if kind == s.MULTIPLE_CHOICE:
            changes["min_selected"] = data["min_selected"]
            changes["max_selected"] = data["max_selected"]
        if self.choices is not None:
            changes["choices"] = self._choices()
        return changes

    def _choices(self) -> list[dict[str, Any]]:
        rows = [row.cleaned_data for row in self.choices.forms if row.cleaned_data]
        kept = [row for row in rows if not row.get("delete") and texts_of(row, "label")]
        taken = {row["key"] for row in kept if s.KEY_PATTERN.match(row.get("key") or "")}
        choices = []
        for row in kept:
            label = texts_of(row, "label")
            key = row.get("key") or ""
            if not s.KEY_PATTERN.match(key):
                key = _choice_key(label, taken)
                taken.add(key)
            choices.append({"key": key, "label": label})
        return choices


class ConditionForm(StaffForm):
    """Show an element only when a field placed before it is, is not, or contains a value.

    The value is a menu for yes/no, choice and commune fields; a box for text, number and
    date, typed as the applicant would.
    """

    source = forms.ChoiceField(label=_("Show it only when the field"))
    op = forms.ChoiceField(label=_("Test"))

    def __init__(
        self,
        *args,
        sources: dict[str, dict[str, Any]],
        language: str,
        communes=lambda: [],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.sources = sources
        self.fields["source"].choices = [
            (key, s.text_in(field.get("label"), language) or key) for key, field in sources.items()
        ]
        source_key = self.data.get("source") or self.initial.get("source")
        self.source_field = sources.get(source_key) if source_key else None
        if self.source_field is not None:
            self.source_field = {**self.source_field}
        self.source_label = (
            s.text_in(self.source_field.get("label"), language) or self.source_field["key"]
            if self.source_field
            else ""
        )
        kind = self.source_field["type"] if self.source_field else None
        self.fields["op"].choices = [
            (op, OP_NAMES[op]) for op in OPS_FOR_TYPE.get(kind, DEFAULT_OPS)
        ]
        if kind == s.YES_NO:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Value"),
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda v: v == "yes",
            )
        elif kind in (s.SINGLE_CHOICE, s.MULTIPLE_CHOICE):
            self.fields["value"] = forms.ChoiceField(
                label=_("Value"),
                choices=[
                    (c["key"], s.text_in(c.get("label"), language) or c["key"])
                    for c in self.source_field.get("choices") or []
                ],
            )
        elif kind == s.COMMUNE:
            # The communes the applicant may pick (those the organisation covers), by name.
            self.fields["value"] = forms.ChoiceField(label=_("Value"), choices=communes())
        elif kind == s.NUMBER:
            self.fields["value"] = forms.DecimalField(label=_("Value"))
        elif kind == s.DATE:
            self.fields["value"] = forms.DateField(
                label=_("Value"), widget=forms.DateInput(attrs={"type": "date"})
            )
        else:
            self.fields["value"] = forms.CharField(label=_("Value"), max_length=200)
        self.style_widgets()

    def condition(self) -> dict[str, Any]:
        value = self.cleaned_data["value"]
        if self.source_field["type"] == s.NUMBER:
            value = _number(value)
        elif self.source_field["type"] == s.DATE:
            value = value.isoformat()
        elif isinstance(value, str):
            value = value.strip()
        return {"field": self.cleaned_data["source"], "op": self.cleaned_data["op"], "value": value}


# How the schema checks locate a problem: sections[0] (key).fields[2] (key).choices[1]: message
LOCATION = re.compile(
    r"^sections\[\d+\] \((?P<section>[^)]*)\)"
    r"(?:\.fields\[\d+\] \((?P<field>[^)]*)\))?"
    r"(?:\.fields\[(?P<sub_index>\d+)\](?: \((?P<sub>[^)]*)\))?)?"
    r"(?:\.choices\[(?P<choice>\d+)\])?"
    r"(?: \([^)]*\))?: (?P<message>.*)$",
    re.DOTALL,
)


def readable_problem(problem: str, draft: dict[str, Any], language: str) -> str:
    """A schema check's message, located by the titles and labels the admin knows, not by keys."""
    match = LOCATION.match(problem)
    if not match:
        return problem
    parts = []
    sections = {section.get("key"): section for section in draft.get("sections", [])}
    section = sections.get(match["section"])
    if section is not None:
        parts.append(
            _("Section “%(title)s”")
            % {"title": s.text_in(section.get("title"), language) or match["section"]}
        )
    fields = s.field_index(draft)
    field = fields.get(match["field"]) if match["field"] else None
    if field is not None:
        parts.append(
            _("field “%(label)s”")
            % {"label": s.text_in(field.get("label"), language) or match["field"]}
        )
        if match["sub_index"] is not None:
            subfields = field.get("fields") or []
            index = int(match["sub_index"])
            if index < len(subfields):
                sub = subfields[index]
                parts.append(
                    _("field “%(label)s”")
                    % {"label": s.text_in(sub.get("label"), language) or sub.get("key")}
                )
        if match["choice"] is not None:
            parts.append(_("choice %(number)d") % {"number": int(match["choice"]) + 1})
    if not parts:
        return problem
    return f"{' › '.join(str(p) for p in parts)}: {match['message']}"
