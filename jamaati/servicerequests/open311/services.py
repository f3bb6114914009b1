"""The one write of Open311: a partner application files a citizen's report.

It goes through `servicerequest_create` like every other report (channel "open311"),
after two checks of its own: the place must lie in the jurisdiction's area, and the
answers arrive in Open311's shapes (a datetime for a date, one value or a list).
A `media_url` is kept in the request's own column, as given: the server never fetches it
(a partner could point it anywhere, including inside our own network).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from jamaati.core.actors import Actor
from jamaati.servicerequests.catalogue import covering_organisation_ids
from jamaati.servicerequests.models import (
    Category,
    Channel,
    QuestionKind,
    ServiceRequest,
)
from jamaati.servicerequests.services import servicerequest_create
from jamaati.territories.models import Territory
from jamaati.territories.selectors import territory_lookup


def _open311_answers(*, category: Category, answers: dict[str, Any]) -> dict[str, Any]:
    """Open311 attribute values in the shapes `clean_answers` reads."""
    typed: dict[str, Any] = {}
    for question in category.questions.all():
        raw = answers.get(question.code)
        if raw is None:
            continue
        if question.kind == QuestionKind.MULTIPLE:
            typed[question.code] = raw if isinstance(raw, list) else [raw]
            continue
        value = raw[0] if isinstance(raw, list) else raw
        if question.kind == QuestionKind.DATE and "T" in value:
            moment = parse_datetime(value)
            value = moment.date().isoformat() if moment is not None else value
        typed[question.code] = value
    return typed


def _check_in_area(
    *,
    category: Category,
    latitude: float | None,
    longitude: float | None,
    commune: Territory | None,
) -> None:
    if latitude is not None and longitude is not None:
        lookup = territory_lookup(lat=latitude, lon=longitude)
        if lookup is None:
            return  # outside Morocco: servicerequest_create says so in its own words
        place = lookup.arrondissement or lookup.commune
    elif commune is not None:
        place = commune
    else:
        return
    if category.organisation_id not in covering_organisation_ids(territory=place):
        raise ValidationError(
            {
                "location": _("This place is outside the area of %(organisation)s.")
                % {"organisation": category.organisation.name}
            },
            code="outside_jurisdiction",
        )


def open311_request_create(
    *,
    category: Category,
    description: str,
    latitude: float | None = None,
    longitude: float | None = None,
    commune: Territory | None = None,
    address: str = "",
    answers: dict[str, Any] | None = None,
    photos: list[Any] | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    media_url: str = "",
    language: str = "ar",
    actor: Actor,
) -> ServiceRequest:
    """File a report sent by a partner application; keep its media_url as given, unfetched."""
    _check_in_area(category=category, latitude=latitude, longitude=longitude, commune=commune)
    return servicerequest_create(
        category=category,
        description=description,
        latitude=latitude,
        longitude=longitude,
        commune=commune if latitude is None else None,
        address=address,
        answers=_open311_answers(category=category, answers=answers or {}),
        photos=photos or (),
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        language=language,
        channel=Channel.OPEN311,
        actor=actor,
        media_url=media_url,
    )
