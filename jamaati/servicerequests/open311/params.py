"""Read and check the parameters Open311 clients send; every refusal is a translated Open311Error."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from jamaati.accounts.phone import normalise_moroccan_mobile
from jamaati.core.refcodes import refcode_normalise
from jamaati.servicerequests.models import Status
from jamaati.servicerequests.open311.errors import Open311Error
from jamaati.servicerequests.workflow import open311_status

MAX_SPAN = timedelta(days=90)
PAGE_SIZE_DEFAULT = 100
PAGE_SIZE_MAX = 100
PAGE_MAX = 10_000  # a million rows deep: past that, narrow the dates instead
MAX_IDS = 100
MAX_DESCRIPTION = 4000  # the spec's limit
MAX_ADDRESS = 300
MAX_NAME = 200
MAX_MEDIA_URL = 2000
OPEN311_STATUSES = ("open", "closed")
# attribute[code]=value, attribute[code][]=value (PHP-style lists, as FixMyStreet clients send).
_ATTRIBUTE = re.compile(r"^attribute\[(?P<code>[^\[\]]+)\](?:\[\])?$")
_media_url_validator = URLValidator(schemes=["http", "https"])


def param(request: HttpRequest, name: str) -> str:
    """A parameter from the form body, else from the query string (clients do both)."""
    value = request.POST.get(name)
    if value is None:
        value = request.GET.get(name, "")
    return value.strip()


def _parse_moment(raw: str, *, end: bool) -> datetime:
    # An unencoded "+01:00" arrives as " 01:00": read it back as the offset it was.
    moment = parse_datetime(raw.replace(" ", "+", 1) if "T" in raw else raw)
    if moment is None:
        day = parse_date(raw)
        if day is None:
            raise ValueError
        # A bare end date includes that whole day.
        moment = datetime.combine(day, time.max if end else time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_moment(raw: str, *, name: str, end: bool = False) -> datetime | None:
    if not raw:
        return None
    try:
        return _parse_moment(raw, end=end)
    except ValueError:
        raise Open311Error(
            400,
            _("%(name)s is not a valid ISO 8601 date and time, such as 2026-05-04T10:15:00+01:00.")
            % {"name": name},
        ) from None


def parse_positive_int(raw: str, *, name: str, default: int, maximum: int | None = None) -> int:
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        if maximum is None:
            message = _("%(name)s must be a whole number of at least 1.") % {"name": name}
        else:
            message = _("%(name)s must be a whole number from 1 to %(maximum)d.") % {
                "name": name,
                "maximum": maximum,
            }
        raise Open311Error(400, message)
    return value


@dataclass(frozen=True)
class RequestFilters:
    references: list[str] | None
    service_code: str
    since: datetime | None
    until: datetime | None
    statuses: list[str] | None
    page: int
    page_size: int


def parse_request_filters(request: HttpRequest) -> RequestFilters:
    """The filters of GET requests: ids (which override the rest), service, dates, status, page."""
    page = parse_positive_int(
        request.GET.get("page", "").strip(), name="page", default=1, maximum=PAGE_MAX
    )
    page_size = parse_positive_int(
        request.GET.get("page_size", "").strip(),
        name="page_size",
        default=PAGE_SIZE_DEFAULT,
        maximum=PAGE_SIZE_MAX,
    )
    raw_ids = request.GET.get("service_request_id", "").strip()
    if raw_ids:
        references = list(
            dict.fromkeys(refcode_normalise(part) for part in raw_ids.split(",") if part.strip())
        )
        if len(references) > MAX_IDS:
            raise Open311Error(
                400,
                _("Ask for at most %(maximum)d service_request_id at once.") % {"maximum": MAX_IDS},
            )
        return RequestFilters(references, "", None, None, None, page, page_size)

    since = parse_moment(request.GET.get("start_date", "").strip(), name="start_date")
    until = parse_moment(request.GET.get("end_date", "").strip(), name="end_date", end=True)
    if since is not None and until is not None:
        if until < since:
            raise Open311Error(400, _("end_date must come after start_date."))
        if until - since > MAX_SPAN:
            raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    elif since is not None:
        until = since + MAX_SPAN
    elif until is not None:
        since = until - MAX_SPAN
    else:
        until = timezone.now()
        since = until - MAX_SPAN

    statuses = None
    raw_status = request.GET.get("status", "").strip().lower()
    if raw_status:
        wanted = {part.strip() for part in raw_status.split(",") if part.strip()}
        unknown = wanted - set(OPEN311_STATUSES)
        if unknown:
            raise Open311Error(
                400,
                _("status must be open or closed (or both, separated by a comma), not %(status)s.")
                % {"status": ", ".join(sorted(unknown))},
            )
        statuses = [value for value in Status.values if open311_status(value) in wanted]
    return RequestFilters(
        None,
        request.GET.get("service_code", "").strip(),
        since,
        until,
        statuses,
        page,
        page_size,
    )


def _coordinate(raw: str, *, name: str, limit: float) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise Open311Error(
            400,
            _("%(name)s must be a number from -%(limit)d to %(limit)d (WGS84 degrees).")
            % {"name": name, "limit": limit},
        )
    return value


@dataclass
class NewRequest:
    """What a client posts, checked in form; the service checks it against the domain."""

    service_code: str
    latitude: float | None
    longitude: float | None
    commune_code: str
    address: str
    description: str
    answers: dict[str, Any]
    email: str
    phone: str
    name: str
    media_url: str
    photos: list[Any] = field(default_factory=list)


def _answers(request: HttpRequest) -> dict[str, Any]:
    answers: dict[str, list[str]] = {}
    for source in (request.GET, request.POST):
        for key in source:
            match = _ATTRIBUTE.match(key)
            if match:
                values = [value.strip() for value in source.getlist(key) if value.strip()]
                answers.setdefault(match["code"], []).extend(values)
    # Single values stay strings; the service decides by each question's kind.
    return {
        code: values if len(values) > 1 else (values[0] if values else "")
        for code, values in answers.items()
    }


def parse_new_request(request: HttpRequest) -> NewRequest:
    """The fields of POST requests, in form; raise Open311Error 400 with every problem found."""
    problems: list[str] = []
    values = (
        value
        for source in (request.GET, request.POST)
        for _key, listed in source.lists()
        for value in listed
    )
    if any("\x00" in value for value in values):
        # PostgreSQL text cannot hold it; no client means to send it.
        raise Open311Error(400, _("The parameters may not contain a null character."))
    service_code = param(request, "service_code")
    if not service_code:
        problems.append(_("service_code is required."))

    raw_lat, raw_long = param(request, "lat"), param(request, "long")
    latitude = longitude = None
    if raw_lat or raw_long:
        if not (raw_lat and raw_long):
            problems.append(_("Give both lat and long, or neither."))
        else:
            try:
                latitude = _coordinate(raw_lat, name="lat", limit=90)
                longitude = _coordinate(raw_long, name="long", limit=180)
            except Open311Error as exc:
                problems.extend(exc.descriptions)
                latitude = longitude = None

    address = param(request, "address_string")
    commune_code = param(request, "commune_code")
    if not raw_lat and not raw_long:
        if not address:
            problems.append(
                _(
                    "Give the place: lat and long, or address_string with commune_code "
                    "(the HCP code of the commune). This server has no geocoder."
                )
            )
        elif not commune_code:
            problems.append(
                _(
                    "With address_string and no lat/long, give commune_code (the HCP code of "
                    "the commune, such as 01.571.01.11): this server has no geocoder."
                )
            )
    if len(address) > MAX_ADDRESS:
        problems.append(
            _("address_string must be at most %(maximum)d characters.") % {"maximum": MAX_ADDRESS}
        )

    # The description is kept exactly as typed: not even stripped.
    description = request.POST.get("description", request.GET.get("description", ""))
    if len(description) > MAX_DESCRIPTION:
        problems.append(
            _("description must be at most %(maximum)d characters.") % {"maximum": MAX_DESCRIPTION}
        )

    email = param(request, "email").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("email is not a valid e-mail address."))
    phone = param(request, "phone")
    if phone:
        try:
            phone = normalise_moroccan_mobile(phone)
        except ValidationError as exc:
            problems.append(_("phone: %(message)s") % {"message": exc.messages[0]})
    name = " ".join(
        part for part in (param(request, "first_name"), param(request, "last_name")) if part
    )
    if len(name) > MAX_NAME:
        problems.append(
            _("first_name and last_name must be at most %(maximum)d characters together.")
            % {"maximum": MAX_NAME}
        )

    media_url = param(request, "media_url")
    if media_url:
        try:
            if len(media_url) > MAX_MEDIA_URL:
                raise ValidationError("too long")
            _media_url_validator(media_url)
        except ValidationError:
            problems.append(_("media_url must be an http or https address."))

    if problems:
        raise Open311Error(400, *problems)
    return NewRequest(
        service_code=service_code,
        latitude=latitude,
        longitude=longitude,
        commune_code=commune_code,
        address=address,
        description=description,
        answers=_answers(request),
        email=email,
        phone=phone,
        name=name,
        media_url=media_url,
        photos=request.FILES.getlist("media"),
    )
