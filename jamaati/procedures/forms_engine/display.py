"""Answers as people read them: labels and values in one language, for pages, PDFs and exports."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from jamaati.procedures.forms_engine import schema as fs
from jamaati.procedures.forms_engine.answers import visible_keys


@dataclass(frozen=True)
class DisplayedAnswer:
    key: str
    type: str
    label: str
    value: str  # the text shown; files are listed by name
    raw: Any  # the stored value (a point or a parcel for a map, document ids for files)


@dataclass(frozen=True)
class DisplayedSection:
    key: str
    title: str
    answers: list[DisplayedAnswer]


def _choice_label(field: dict[str, Any], key: str, language: str) -> str:
    for choice in field.get("choices") or []:
        if choice["key"] == key:
            return fs.text_in(choice.get("label"), language)
    return key


def value_text(
    field: dict[str, Any], value: Any, *, language: str, files: Mapping[int, str] | None = None
) -> str:
    """One stored answer as text in `language` (yes/no and choices translated, files by name)."""
    if value is None:
        return ""
    files = files or {}
    kind = field["type"]
    with translation.override(language):
        if kind == fs.SINGLE_CHOICE:
            return _choice_label(field, value, language)
        if kind == fs.MULTIPLE_CHOICE:
            return "; ".join(_choice_label(field, key, language) for key in value)
        if kind == fs.YES_NO:
            return _("Yes") if value else _("No")
        if kind == fs.FILE:
            return "; ".join(files.get(pk, str(pk)) for pk in value)
        if kind == fs.MAP_POINT:
            return f"{value['lat']}, {value['lon']}"
        if kind == fs.PARCEL:
            return json.dumps(value, separators=(",", ":"))
        if kind == fs.GROUP:
            subfields = {sub["key"]: sub for sub in field.get("fields", [])}
            items = []
            for entry in value:
                parts = []
                for key, sub_value in entry.items():
                    sub = subfields.get(key)
                    if sub is None:
                        continue
                    label = fs.text_in(sub.get("label"), language)
                    parts.append(
                        f"{label}: {value_text(sub, sub_value, language=language, files=files)}"
                    )
                items.append(", ".join(parts))
            return " | ".join(items)
    return str(value)


def answers_display(
    schema: dict[str, Any],
    answers: Mapping[str, Any],
    *,
    language: str,
    files: Mapping[int, str] | None = None,
) -> list[DisplayedSection]:
    """The visible sections and their answered fields, labelled in `language` (form order)."""
    shown = visible_keys(schema, answers)
    sections = []
    for section in schema.get("sections", []):
        if section["key"] not in shown:
            continue
        rows = [
            DisplayedAnswer(
                key=field["key"],
                type=field["type"],
                label=fs.text_in(field.get("label"), language),
                value=value_text(field, answers[field["key"]], language=language, files=files),
                raw=answers[field["key"]],
            )
            for field in section.get("fields", [])
            if field["key"] in shown and field["key"] in answers
        ]
        if rows:
            sections.append(
                DisplayedSection(
                    key=section["key"],
                    title=fs.text_in(section.get("title"), language),
                    answers=rows,
                )
            )
    return sections


def schema_localised(schema: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """The form in one language, for the builder's preview and the application page.

    Each section: key, title, help, condition, fields; each field: its stored settings plus
    `label_text`, `help_text`, `type_name` and, for choices, `choices` with `label_text`.
    """
    with translation.override(language):
        sections = []
        for section in schema.get("sections", []):
            sections.append(
                {
                    "key": section["key"],
                    "title": fs.text_in(section.get("title"), language),
                    "help": fs.text_in(section.get("help"), language),
                    "condition": section.get("condition"),
                    "fields": [
                        _field_localised(field, language) for field in section.get("fields", [])
                    ],
                }
            )
        return sections


def _field_localised(field: dict[str, Any], language: str) -> dict[str, Any]:
    localised = {
        **field,
        "label_text": fs.text_in(field.get("label"), language),
        "help_text": fs.text_in(field.get("help"), language),
        "type_name": str(fs.FIELD_TYPES.get(field["type"], field["type"])),
    }
    if field.get("choices"):
        localised["choices"] = [
            {**choice, "label_text": fs.text_in(choice.get("label"), language)}
            for choice in field["choices"]
        ]
    if field["type"] == fs.GROUP:
        localised["fields"] = [_field_localised(sub, language) for sub in field.get("fields", [])]
    return localised
