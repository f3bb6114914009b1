"""Our services and requests in the fields and order of GeoReport v2; names in the active language."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from jamaati.servicerequests import catalogue
from jamaati.servicerequests.models import (
    Category,
    CategoryQuestion,
    QuestionKind,
    ServiceRequestPhoto,
)
from jamaati.servicerequests.open311.render import iso_datetime
from jamaati.servicerequests.workflow import open311_status

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this API last changed in a way clients could notice (the discovery's changeset).
CHANGESET = "2026-11-23T00:00:00+00:00"
DATATYPES = {
    QuestionKind.TEXT: "string",
    QuestionKind.NUMBER: "number",
    QuestionKind.DATE: "datetime",
    QuestionKind.SINGLE: "singlevaluelist",
    QuestionKind.MULTIPLE: "multivaluelist",
}
MAX_DESCRIPTION = 4000  # the spec's schema; the web form allows a little more


def _datatype_description(kind: str) -> str:
    return {
        QuestionKind.TEXT: _("Free text."),
        QuestionKind.NUMBER: _("A number, such as 12 or 3.5."),
        QuestionKind.DATE: _("A date, such as 2026-05-04."),
        QuestionKind.SINGLE: _("One of the listed values: send its key."),
        QuestionKind.MULTIPLE: _("One or more of the listed values: send each key."),
    }[kind]


def service_notice(category: Category) -> str:
    days = max(1, math.ceil(category.target_resolve.total_seconds() / 86400))
    return ngettext(
        "Target time to resolve: %(days)d day.", "Target time to resolve: %(days)d days.", days
    ) % {"days": days}


def service(category: Category) -> dict[str, Any]:
    name = category.name
    # The names in the other languages, so a client can search a service in any of them.
    keywords = [
        other
        for code, _label in settings.LANGUAGES
        if (other := getattr(category, f"name_{code}", "") or "") and other != name
    ]
    return {
        "service_code": category.code,
        "service_name": name,
        "description": category.help_text or None,
        "metadata": bool(category.questions.all()),
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys(keywords)) or None,
        "group": category.get_group_display(),
    }


def _choice_name(choice: dict[str, Any]) -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for code in (language, "ar", "fr", "en"):
        if choice.get(f"label_{code}"):
            return str(choice[f"label_{code}"])
    return str(choice.get("label") or choice.get("key", ""))


def _attribute(question: CategoryQuestion, order: int) -> dict[str, Any]:
    description = question.label
    if question.help_text:
        description = f"{description} ({question.help_text})"
    values = []
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        values = [
            {"key": str(choice.get("key", "")), "name": _choice_name(choice)}
            for choice in question.choices
        ]
    return {
        "variable": True,
        "code": question.code,
        "datatype": DATATYPES[question.kind],
        "required": question.required,
        "datatype_description": _datatype_description(question.kind),
        "order": order,
        "description": description,
        "values": values,
    }


def service_definition(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [
            _attribute(question, order)
            for order, question in enumerate(category.questions.all(), start=1)
        ],
    }


def photo_url(name: str) -> str:
    return ServiceRequestPhoto._meta.get_field("file").storage.url(name)


def service_requests(
    rows: list[dict[str, Any]],
    *,
    categories: dict[int, Category],
    absolute: Callable[[str], str],
) -> list[dict[str, Any]]:
    """Requests as the public may see them (rows of selectors.OPEN311_FIELDS): nobody's name.

    What depends on the category is worked out once per page, not per row; the names of the
    handling organisation and of the commune come from the catalogue (active language, with
    modeltranslation's fallbacks).
    """
    # Names in the active language, read once per page (modeltranslation's lookups cost).
    organisation_names = {
        pk: organisation.name
        for pk, organisation in catalogue.organisations_by_pk(
            {row["organisation_id"] for row in rows}
        ).items()
    }
    commune_names = {
        pk: commune.name
        for pk, commune in catalogue.territories_by_pk({row["commune_id"] for row in rows}).items()
    }
    zone = timezone.get_current_timezone()
    described: dict[int, tuple[str, str, str]] = {}
    answers = []
    for row in rows:
        category_id = row["category_id"]
        if category_id not in described:
            category = categories[category_id]
            described[category_id] = (category.name, category.code, service_notice(category))
        name, code, notice = described[category_id]
        photo = row["open311_photo"]
        answers.append(
            {
                "service_request_id": row["reference"],
                "status": open311_status(row["status"]),
                "status_notes": row["open311_status_note"] or None,
                "service_name": name,
                "service_code": code,
                "description": row["description"][:MAX_DESCRIPTION],
                "agency_responsible": organisation_names[row["organisation_id"]],
                "service_notice": notice,
                "requested_datetime": iso_datetime(row["created_at"], zone),
                "updated_datetime": iso_datetime(row["updated_at"], zone),
                "expected_datetime": iso_datetime(row["due_resolve_at"], zone),
                "address": row["address"] or commune_names[row["commune_id"]],
                "address_id": None,
                "zipcode": None,
                "lat": row["latitude"],
                "long": row["longitude"],
                "media_url": absolute(photo_url(photo)) if photo else None,
            }
        )
    return answers


def discovery(*, base_url: str, contact: str, key_service: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
