"""Django forms of the e-services pages, and the application form built from a form version.

`ApplicationForm` turns a FormVersion's schema into HTML form fields in the active language
(sections, help texts, conditions as data attributes, repeatable groups as numbered rows) and
turns a POST back into the answers the engine checks (`forms_engine.answers`). It validates
nothing itself: the engine is the only judge, so the page, the API and the counter agree.

Without JavaScript every field is shown (conditions are only data attributes read by
`static/procedures/application-form.js`); the engine ignores the answers of hidden fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamaati.organisations.models import Department, Organisation
from jamaati.procedures.forms_engine import schema as fs
from jamaati.procedures.models import Channel, OpinionVerdict, Status
from jamaati.territories.models import Level, Territory

GROUP_EMPTY_ROWS = 2  # rows offered after the filled ones when there is no JavaScript
GROUP_MIN_ROWS = 3
FIELD_PREFIX = "q_"
ROW_SEPARATOR = "__"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


def field_name(key: str) -> str:
    return f"{FIELD_PREFIX}{key}"


def row_field_name(group_key: str, index: int, sub_key: str) -> str:
    return f"{FIELD_PREFIX}{group_key}{ROW_SEPARATOR}{index}{ROW_SEPARATOR}{sub_key}"


# --- From a stored answer to what the input shows -----------------------------------------------


def _initial(item: dict[str, Any], value: Any) -> Any:
    if value is None:
        return None
    kind = item["type"]
    if kind == fs.YES_NO and isinstance(value, bool):
        return "true" if value else "false"
    if kind == fs.MAP_POINT and isinstance(value, dict):
        return f"{value.get('lat')}, {value.get('lon')}"
    if kind == fs.PARCEL and isinstance(value, dict):
        return json.dumps(value)
    return value


def commune_choices(organisation: Organisation | None) -> list[tuple[str, str]]:
    """The communes (and arrondissements) an applicant may pick: those the organisation covers."""
    queryset = Territory.objects.filter(level__in=[Level.COMMUNE, Level.ARRONDISSEMENT])
    if organisation is not None:
        roots = list(organisation.territories.all())
        if roots:
            queryset = queryset.filter(pk__in=Territory.objects.within(*roots).values("pk"))
    rows = queryset.order_by("code").only("code", "name", "name_ar", "name_fr", "name_en")
    return [(row.code, str(row.name)) for row in rows]


def _django_field(item: dict[str, Any], language: str, communes) -> forms.Field:
    kind = item["type"]
    label = fs.text_in(item.get("label"), language) or item["key"]
    help_text = fs.text_in(item.get("help"), language)
    attrs: dict[str, Any] = {"class": "form-control"}
    if item.get("required"):
        attrs["aria-required"] = "true"
    common = {"label": label, "help_text": help_text, "required": False}
    if kind == fs.TEXT:
        attrs["maxlength"] = item.get("max_length") or fs.DEFAULT_TEXT_LENGTH
        return forms.CharField(widget=forms.TextInput(attrs=attrs), strip=False, **common)
    if kind == fs.LONG_TEXT:
        attrs["rows"] = 4
        return forms.CharField(widget=forms.Textarea(attrs=attrs), strip=False, **common)
    if kind == fs.NUMBER:
        attrs["inputmode"] = "decimal"
        attrs["dir"] = "ltr"
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    if kind == fs.DATE:
        attrs["dir"] = "ltr"
        return forms.CharField(widget=forms.DateInput(attrs={**attrs, "type": "date"}), **common)
    if kind in (fs.SINGLE_CHOICE, fs.MULTIPLE_CHOICE):
        choices = [
            (choice["key"], fs.text_in(choice.get("label"), language) or choice["key"])
            for choice in item.get("choices") or []
        ]
        if kind == fs.SINGLE_CHOICE:
            return forms.ChoiceField(
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                **common,
            )
        return forms.MultipleChoiceField(
            choices=choices,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            **common,
        )
    if kind == fs.YES_NO:
        return forms.ChoiceField(
            choices=[("true", _("Yes")), ("false", _("No"))],
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            **common,
        )
    if kind == fs.FILE:
        accept = ",".join(
            {"pdf": ".pdf,application/pdf", "jpeg": ".jpg,.jpeg,image/jpeg"}.get(k, f"image/{k}")
            for k in fs.file_kinds(item)
        )
        widget_attrs = {"class": "form-control", "accept": accept}
        if fs.file_max_files(item) > 1:
            return MultipleFileField(widget=MultipleFileInput(attrs=widget_attrs), **common)
        return forms.FileField(widget=forms.FileInput(attrs=widget_attrs), **common)
    if kind == fs.MAP_POINT:
        attrs.update({"dir": "ltr", "placeholder": "35.5785, -5.3684", "inputmode": "decimal"})
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    if kind == fs.PARCEL:
        attrs.update({"dir": "ltr", "rows": 3, "class": "form-control font-monospace small"})
        return forms.CharField(widget=forms.Textarea(attrs=attrs), **common)
    if kind == fs.COMMUNE:
        attrs["class"] = "form-select"
        return forms.ChoiceField(
            choices=[("", _("Choose a commune")), *communes()],
            widget=forms.Select(attrs=attrs),
            **common,
        )
    if kind == fs.CIN:
        attrs.update({"dir": "ltr", "autocomplete": "off", "placeholder": "AB123456"})
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    if kind == fs.PHONE:
        attrs.update({"dir": "ltr", "autocomplete": "tel", "inputmode": "tel"})
        return forms.CharField(widget=forms.TextInput(attrs={**attrs, "type": "tel"}), **common)
    if kind == fs.EMAIL:
        attrs.update({"dir": "ltr", "autocomplete": "email"})
        return forms.CharField(widget=forms.EmailInput(attrs=attrs), **common)
    return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)


# --- The layout the template walks -------------------------------------------------------------


@dataclass
class FieldItem:
    schema: dict[str, Any]
    bound: Any
    errors: list[str] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)
    flagged: bool = False  # named by the department's completion request

    @property
    def kind(self) -> str:
        return self.schema["type"]

    @property
    def key(self) -> str:
        return self.schema["key"]

    @property
    def required(self) -> bool:
        return bool(self.schema.get("required"))

    @property
    def condition_json(self) -> str:
        return json.dumps(self.schema["condition"]) if self.schema.get("condition") else ""

    @property
    def is_choice(self) -> bool:
        return self.kind in (fs.SINGLE_CHOICE, fs.MULTIPLE_CHOICE, fs.YES_NO)


@dataclass
class GroupRow:
    index: int
    items: list[FieldItem]


@dataclass
class GroupItem:
    schema: dict[str, Any]
    label: str
    help: str
    rows: list[GroupRow]
    template_row: GroupRow
    errors: list[str] = field(default_factory=list)
    kind: str = fs.GROUP

    @property
    def key(self) -> str:
        return self.schema["key"]

    @property
    def required(self) -> bool:
        return bool(self.schema.get("required"))

    @property
    def condition_json(self) -> str:
        return json.dumps(self.schema["condition"]) if self.schema.get("condition") else ""

    @property
    def max_items(self) -> int:
        return int(self.schema.get("max_items") or fs.MAX_GROUP_ITEMS)


@dataclass
class SectionItem:
    key: str
    title: str
    help: str
    condition_json: str
    items: list[Any]


class ApplicationForm(forms.Form):
    """The fields of one form version; `answers()` gives what the engine checks."""

    def __init__(
        self,
        *args,
        schema: dict[str, Any],
        answers: dict[str, Any] | None = None,
        documents: dict[str, list[Any]] | None = None,
        organisation: Organisation | None = None,
        language: str | None = None,
        errors: dict[str, list[str]] | None = None,
        flagged: set[str] | frozenset[str] = frozenset(),
        **kwargs,
    ) -> None:
        self.schema = schema
        self.flagged = set(flagged)
        self.language = language or get_language() or "ar"
        self.stored = answers or {}
        self.documents_by_field = documents or {}
        self.engine_errors: dict[str, list[str]] = dict(errors or {})
        self._communes: list[tuple[str, str]] | None = None
        self._organisation = organisation
        initial = {}
        super().__init__(*args, **kwargs)
        for _section, item in fs.iter_fields(schema):
            key = item["key"]
            if item["type"] == fs.GROUP:
                for index in range(self._row_count(item)):
                    for sub in item.get("fields", []):
                        name = row_field_name(key, index, sub["key"])
                        self.fields[name] = _django_field(sub, self.language, self._commune_list)
                        entries = self.stored.get(key) or []
                        if isinstance(entries, list) and index < len(entries):
                            entry = entries[index] if isinstance(entries[index], dict) else {}
                            initial[name] = _initial(sub, entry.get(sub["key"]))
                continue
            self.fields[field_name(key)] = _django_field(item, self.language, self._commune_list)
            if item["type"] != fs.FILE:
                initial[field_name(key)] = _initial(item, self.stored.get(key))
        self.initial = {**initial, **self.initial}

    def _commune_list(self) -> list[tuple[str, str]]:
        if self._communes is None:
            self._communes = commune_choices(self._organisation)
        return self._communes

    def _posted_rows(self, item: dict[str, Any]) -> int:
        if not self.is_bound:
            return 0
        prefix = f"{FIELD_PREFIX}{item['key']}{ROW_SEPARATOR}"
        indexes = {
            int(name[len(prefix) :].split(ROW_SEPARATOR)[0])
            for name in self.data
            if name.startswith(prefix) and name[len(prefix) :].split(ROW_SEPARATOR)[0].isdigit()
        }
        return max(indexes) + 1 if indexes else 0

    def _row_count(self, item: dict[str, Any]) -> int:
        stored = self.stored.get(item["key"])
        filled = len(stored) if isinstance(stored, list) else 0
        wanted = max(
            filled + GROUP_EMPTY_ROWS,
            GROUP_MIN_ROWS,
            int(item.get("min_items") or 0),
            self._posted_rows(item),
        )
        return min(wanted, int(item.get("max_items") or fs.MAX_GROUP_ITEMS))

    # --- From the POST to answers ---

    def answers(self) -> dict[str, Any]:
        """The answers as typed, keyed by field key, for the engine (files excluded)."""
        data = self.data
        result: dict[str, Any] = {}
        for _section, item in fs.iter_fields(self.schema):
            key, kind = item["key"], item["type"]
            if kind == fs.FILE:
                continue
            if kind == fs.GROUP:
                rows = []
                for index in range(self._row_count(item)):
                    row = {
                        sub["key"]: self._value(sub, row_field_name(key, index, sub["key"]))
                        for sub in item.get("fields", [])
                    }
                    if any(value not in ("", [], None) for value in row.values()):
                        rows.append(row)
                result[key] = rows
                continue
            name = field_name(key)
            if kind == fs.MULTIPLE_CHOICE:
                result[key] = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
                continue
            result[key] = self._value(item, name)
        return result

    def _value(self, item: dict[str, Any], name: str) -> Any:
        if item["type"] == fs.MULTIPLE_CHOICE and hasattr(self.data, "getlist"):
            return self.data.getlist(name)
        return self.data.get(name, "")

    def uploads(self, files) -> dict[str, list[Any]]:
        """The files posted, per file field key."""
        result: dict[str, list[Any]] = {}
        for _section, item in fs.iter_fields(self.schema):
            if item["type"] != fs.FILE:
                continue
            posted = [f for f in files.getlist(field_name(item["key"])) if f]
            if posted:
                result[item["key"]] = posted
        return result

    # --- For the template ---

    def _field_errors(self, key: str) -> list[str]:
        return self.engine_errors.get(key, [])

    def layout(self) -> list[SectionItem]:
        sections = []
        for section in self.schema.get("sections", []):
            items: list[Any] = []
            for item in section.get("fields", []):
                key = item["key"]
                if item["type"] == fs.GROUP:
                    rows = []
                    for index in range(self._row_count(item)):
                        rows.append(
                            GroupRow(
                                index,
                                [
                                    FieldItem(
                                        sub,
                                        self[row_field_name(key, index, sub["key"])],
                                        self._field_errors(f"{key}.{index}.{sub['key']}"),
                                    )
                                    for sub in item.get("fields", [])
                                ],
                            )
                        )
                    template_form = forms.Form(prefix=None)
                    template_items = []
                    for sub in item.get("fields", []):
                        name = row_field_name(key, 999, sub["key"])
                        template_form.fields[name] = _django_field(
                            sub, self.language, self._commune_list
                        )
                        template_items.append(FieldItem(sub, template_form[name]))
                    items.append(
                        GroupItem(
                            schema=item,
                            label=fs.text_in(item.get("label"), self.language) or key,
                            help=fs.text_in(item.get("help"), self.language),
                            rows=rows,
                            template_row=GroupRow(999, template_items),
                            errors=self._field_errors(key),
                        )
                    )
                    continue
                items.append(
                    FieldItem(
                        item,
                        self[field_name(key)],
                        self._field_errors(key),
                        self.documents_by_field.get(key, []),
                        flagged=key in self.flagged
                        or (item["type"] == fs.FILE and item.get("document") in self.flagged),
                    )
                )
            sections.append(
                SectionItem(
                    key=section["key"],
                    title=fs.text_in(section.get("title"), self.language),
                    help=fs.text_in(section.get("help"), self.language),
                    condition_json=json.dumps(section["condition"])
                    if section.get("condition")
                    else "",
                    items=items,
                )
            )
        return sections

    @property
    def other_errors(self) -> list[str]:
        """Errors not tied to a field of the form (missing documents, a refused move)."""
        keys = set()
        for _section, item in fs.iter_fields(self.schema):
            keys.add(item["key"])
        messages = []
        for key, errors in self.engine_errors.items():
            if key.split(".")[0] not in keys:
                messages.extend(errors)
        return messages

    @property
    def has_errors(self) -> bool:
        return bool(self.engine_errors)


# --- Read-only answers for review pages ----------------------------------------------------------


def _display(item: dict[str, Any], value: Any, language: str, documents: dict[int, Any]) -> Any:
    kind = item["type"]
    if value in (None, "", []):
        return ""
    if kind in (fs.SINGLE_CHOICE, fs.MULTIPLE_CHOICE):
        labels = {
            c["key"]: fs.text_in(c.get("label"), language) or c["key"]
            for c in item.get("choices") or []
        }
        values = value if isinstance(value, list) else [value]
        return (
            "، ".join(labels.get(v, str(v)) for v in values)
            if language == "ar"
            else ", ".join(labels.get(v, str(v)) for v in values)
        )
    if kind == fs.YES_NO:
        return _("Yes") if value is True else _("No") if value is False else str(value)
    if kind == fs.MAP_POINT and isinstance(value, dict):
        return f"{value.get('lat')}, {value.get('lon')}"
    if kind == fs.PARCEL and isinstance(value, dict):
        ring = (value.get("coordinates") or [[]])[0]
        return _("Parcel with %(count)d corners") % {"count": max(len(ring) - 1, 0)}
    if kind == fs.COMMUNE:
        territory = Territory.objects.filter(code=value).only("name").first()
        return str(territory.name) if territory else str(value)
    if kind == fs.FILE:
        ids = value if isinstance(value, list) else [value]
        return [documents[i] for i in ids if i in documents]
    return str(value)


# Contact and identity answers a reviewer of another organisation does not need (law 09-08).
CONTACT_TYPES = frozenset({fs.CIN, fs.PHONE, fs.EMAIL})


def answers_for_display(
    schema: dict[str, Any],
    answers: dict[str, Any],
    documents: dict[int, Any],
    language: str,
    *,
    hide_contact: bool = False,
) -> list[dict[str, Any]]:
    """Sections with (label, value) rows of the answers given, for review and staff pages.

    `hide_contact` leaves out identity numbers, phones and e-mails (reviewers' pages).
    """
    result = []
    for section in schema.get("sections", []):
        rows = []
        for item in section.get("fields", []):
            label = fs.text_in(item.get("label"), language) or item["key"]
            value = answers.get(item["key"])
            if item["type"] == fs.GROUP:
                entries = []
                for entry in value or []:
                    entries.append(
                        [
                            (
                                fs.text_in(sub.get("label"), language) or sub["key"],
                                _display(sub, entry.get(sub["key"]), language, documents),
                            )
                            for sub in item.get("fields", [])
                        ]
                    )
                rows.append({"label": label, "kind": fs.GROUP, "entries": entries})
                continue
            if hide_contact and item["type"] in CONTACT_TYPES:
                rows.append({"label": label, "kind": "hidden", "value": ""})
                continue
            rows.append(
                {
                    "label": label,
                    "kind": item["type"],
                    "value": _display(item, value, language, documents),
                }
            )
        if rows:
            result.append({"title": fs.text_in(section.get("title"), language), "rows": rows})
    return result


# --- Small forms of the pages --------------------------------------------------------------------


class StyledForm(forms.Form):
    """Bootstrap classes on every widget (radios and checkboxes are drawn by the templates)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self.fields.values():
            widget = bound.widget
            if isinstance(
                widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)
            ):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class CatalogueFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All organisations"),
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        self.fields["channel"].choices = [
            ("", _("Any channel")),
            ("online", _("Online")),
            ("counter", _("At the counter")),
        ]


class MessageForm(StyledForm):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    attachments = MultipleFileField(label=_("Attachments (PDF or images)"), required=False)


class NoteForm(StyledForm):
    body = forms.CharField(
        label=_("Private note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class RevokeDocumentForm(StyledForm):
    reason = forms.CharField(
        label=_("Why is this document revoked?"),
        help_text=_("Shown in the application's history, to the applicant too."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class StaffQueueFilterForm(StyledForm):
    procedure = forms.ModelChoiceField(
        label=_("Procedure"), queryset=None, required=False, empty_label=_("All procedures")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Reference"), required=False, max_length=40)

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures
        self.fields["status"].choices = [("", _("All statuses"))] + [
            (value, label) for value, label in Status.choices if value != Status.DRAFT
        ]


class CompletionForm(StyledForm):
    message = forms.CharField(
        label=_("What the applicant must complete"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents to provide again (only listed documents)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fields = forms.MultipleChoiceField(
        label=_("Answers to correct"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, document_choices=(), schema=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = list(document_choices)
        language = get_language() or "ar"
        self.fields["fields"].choices = [
            (item["key"], fs.text_in(item.get("label"), language) or item["key"])
            for _section, item in fs.iter_fields(schema or fs.empty_schema())
            if item["type"] != fs.FILE
        ]


class OpinionsForm(StyledForm):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Other organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Other departments of this organisation"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    question = forms.CharField(
        label=_("Question to the reviewers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices:
            self.fields["organisations"].queryset = choices["organisations"]
            self.fields["departments"].queryset = choices["departments"]


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Required for a refusal."),
    )


class TransitionNoteForm(StyledForm):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class OpinionGiveForm(StyledForm):
    verdict = forms.ChoiceField(
        label=_("Opinion"), choices=OpinionVerdict.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    file = forms.FileField(label=_("File (optional: PDF or image)"), required=False)


class CounterCitizenForm(StyledForm):
    full_name = forms.CharField(label=_("Citizen's full name"), max_length=200)
    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"dir": "ltr", "type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_(
            "The citizen, present in person, agrees that I file this application for them "
            "and that their data be processed for it."
        ),
        required=False,
    )


class StatisticsFilterForm(StyledForm):
    procedure = forms.ModelChoiceField(
        label=_("Procedure"), queryset=None, required=False, empty_label=_("All procedures")
    )
    since = forms.DateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Submitted until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures


CHANNEL_FILTERS = {
    "online": (Channel.ONLINE, Channel.BOTH),
    "counter": (Channel.COUNTER, Channel.BOTH),
}
