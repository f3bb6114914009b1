"""Checking an applicant's answers against a form version.

`answers_validate(schema, answers)` returns the normalised answers and the errors per field
(translated into the active language). A field is required only while it is visible; the
answers of hidden fields are dropped. With `partial=True` (a draft saved as the citizen
types) missing required answers are not errors, and nothing already valid is lost.

Normalised values, as stored in `Application.answers`:
text, long text → str · number → str (exact decimal) · date → "YYYY-MM-DD" ·
single choice → key · multiple choice → [keys] in the form's order · yes/no → bool ·
file → [ApplicationDocument ids] · map point → {"lat", "lon"} · parcel → GeoJSON Polygon ·
commune → territory code · CIN → "AB123456" · phone → "+212612345678" · e-mail → lower case ·
repeatable group → [{subfield key: value}].
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from jamaati.accounts.phone import ascii_digits
from jamaati.procedures.forms_engine import schema as s

# Morocco (with the Saharan provinces), with a margin: a point outside is a slip of the finger.
MOROCCO_BOUNDS = {"lat": (20.5, 36.2), "lon": (-17.5, -0.9)}
CIN_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")
_CIN_SEPARATORS = re.compile(r"[\s\-./]")
_PHONE_SEPARATORS = re.compile(r"[\s\-.()/\u200e\u200f\u202a-\u202e]")
_MOROCCAN_PHONE = re.compile(r"^\+212[5-8][0-9]{8}$")
_TRUE = {"true", "yes", "on", "1", "oui", "نعم"}
_FALSE = {"false", "no", "off", "0", "non", "لا"}
METRES_PER_DEGREE = 111_320.0


@dataclass
class AnswersResult:
    cleaned: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


# --- Identifiers ----------------------------------------------------------------------------


def normalise_cin(raw: str) -> str:
    """The canonical form of a Moroccan national ID card number (CIN), or ValidationError.

    One or two letters and up to six digits (``AB123456``, ``K12345``). The CIN has no check
    digit: only the format can be checked.
    """
    value = _CIN_SEPARATORS.sub("", ascii_digits(str(raw or ""))).upper()
    if not CIN_PATTERN.match(value):
        raise ValidationError(
            _("Enter a national ID card number: one or two letters then digits, e.g. AB123456."),
            code="invalid_cin",
        )
    return value


def normalise_phone(raw: str) -> str:
    """The E.164 form of a Moroccan phone number (mobile or landline), or ValidationError."""
    value = _PHONE_SEPARATORS.sub("", ascii_digits(str(raw or "")))
    if value.startswith("00"):
        value = "+" + value[2:]
    if value.startswith("+212"):
        national = value[4:]
    elif value.startswith("212") and len(value) == 12:
        national = value[3:]
    elif value.startswith("0"):
        national = value[1:]
    else:
        national = "invalid"
    if national.startswith("0"):
        national = national[1:]
    number = "+212" + national
    if not _MOROCCAN_PHONE.match(number):
        raise ValidationError(
            _("Enter a Moroccan phone number, for example 06 12 34 56 78 or +212 5 39 12 34 56."),
            code="invalid_phone",
        )
    return number


# --- One value per type ------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def _text(field: dict[str, Any], value: Any) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise _Invalid(_("Enter a text."))
    text = str(value).strip()
    default = s.DEFAULT_TEXT_LENGTH if field["type"] == s.TEXT else s.DEFAULT_LONG_TEXT_LENGTH
    limit = field.get("max_length") or default
    if len(text) > limit:
        raise _Invalid(_("Keep this under %(max)d characters.") % {"max": limit})
    if field["type"] == s.TEXT and "\n" in text:
        text = " ".join(text.split())
    return text


def _number(field: dict[str, Any], value: Any) -> str:
    if isinstance(value, bool):
        raise _Invalid(_("Enter a number."))
    raw = ascii_digits(str(value)).strip().replace(" ", "").replace("\u202f", "")
    raw = raw.replace(",", ".").replace("٫", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise _Invalid(_("Enter a number.")) from None
    if not number.is_finite():
        raise _Invalid(_("Enter a number."))
    decimals = field.get("decimals", 0)
    quantum = Decimal(1).scaleb(-decimals)
    if number != number.quantize(quantum, rounding=ROUND_HALF_UP):
        if decimals == 0:
            raise _Invalid(_("Enter a whole number."))
        raise _Invalid(_("Use at most %(count)d decimals.") % {"count": decimals})
    if field.get("min") is not None and number < Decimal(str(field["min"])):
        raise _Invalid(_("Enter a number of at least %(min)s.") % {"min": field["min"]})
    if field.get("max") is not None and number > Decimal(str(field["max"])):
        raise _Invalid(_("Enter a number of at most %(max)s.") % {"max": field["max"]})
    return str(number.quantize(quantum))


def _date(field: dict[str, Any], value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(ascii_digits(str(value)).strip())
        except ValueError:
            raise _Invalid(_("Enter a date such as 2026-03-31.")) from None
    if field.get("min") and day < dt.date.fromisoformat(field["min"]):
        raise _Invalid(_("Enter a date on or after %(date)s.") % {"date": field["min"]})
    if field.get("max") and day > dt.date.fromisoformat(field["max"]):
        raise _Invalid(_("Enter a date on or before %(date)s.") % {"date": field["max"]})
    return day.isoformat()


def _choice_keys(field: dict[str, Any]) -> list[str]:
    return [choice["key"] for choice in field.get("choices") or []]


def _single(field: dict[str, Any], value: Any) -> str:
    if not isinstance(value, str) or value not in _choice_keys(field):
        raise _Invalid(_("Choose one of the options."))
    return value


def _multiple(field: dict[str, Any], value: Any) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or any(not isinstance(v, str) for v in values):
        raise _Invalid(_("Choose among the options."))
    keys = _choice_keys(field)
    if any(v not in keys for v in values):
        raise _Invalid(_("Choose among the options."))
    chosen = [key for key in keys if key in values]
    low, high = field.get("min_selected"), field.get("max_selected")
    if low is not None and len(chosen) < low:
        raise _Invalid(_("Choose at least %(count)d options.") % {"count": low})
    if high is not None and len(chosen) > high:
        raise _Invalid(_("Choose at most %(count)d options.") % {"count": high})
    return chosen


def _yes_no(field: dict[str, Any], value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Invalid(_("Answer yes or no."))


def _coordinate(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError
    number = float(ascii_digits(str(value)).strip())
    if not math.isfinite(number):
        raise ValueError
    return number


def _in_morocco(lat: float, lon: float) -> bool:
    return (
        MOROCCO_BOUNDS["lat"][0] <= lat <= MOROCCO_BOUNDS["lat"][1]
        and MOROCCO_BOUNDS["lon"][0] <= lon <= MOROCCO_BOUNDS["lon"][1]
    )


def _map_point(field: dict[str, Any], value: Any) -> dict[str, float]:
    try:
        if isinstance(value, str):
            lat_raw, lon_raw = value.split(",")
        else:
            lat_raw, lon_raw = value["lat"], value["lon"]
        lat, lon = _coordinate(lat_raw), _coordinate(lon_raw)
    except (ValueError, TypeError, KeyError, AttributeError):
        raise _Invalid(_("Put a point on the map.")) from None
    if not _in_morocco(lat, lon):
        raise _Invalid(_("This point is outside Morocco. Move it onto the place."))
    return {"lat": round(lat, 6), "lon": round(lon, 6)}


def polygon_area_m2(polygon) -> float:
    """The approximate area of a small WGS84 polygon in square metres (local equirectangular)."""
    latitude = math.radians(polygon.centroid.y)
    return polygon.area * METRES_PER_DEGREE * METRES_PER_DEGREE * math.cos(latitude)


def _parcel(field: dict[str, Any], value: Any) -> dict[str, Any]:
    from shapely.geometry import Polygon

    try:
        geometry = json.loads(value) if isinstance(value, str) else value
        if geometry.get("type") != "Polygon":
            raise ValueError
        ring = [(_coordinate(x), _coordinate(y)) for x, y in geometry["coordinates"][0]]
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        raise _Invalid(_("Draw the parcel on the map.")) from None
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    if len(ring) < 4:
        raise _Invalid(_("A parcel needs at least three corners."))
    if not all(_in_morocco(lat, lon) for lon, lat in ring):
        raise _Invalid(_("This parcel is outside Morocco. Draw it on the place."))
    polygon = Polygon(ring)
    if not polygon.is_valid or polygon.area == 0:
        raise _Invalid(_("The parcel's outline crosses itself. Draw it again."))
    limit = float(field.get("max_area_m2") or s.DEFAULT_PARCEL_AREA_M2)
    area = polygon_area_m2(polygon)
    if area > limit:
        raise _Invalid(
            _("The parcel is too large (%(area)d m²; at most %(max)d m²).")
            % {"area": round(area), "max": round(limit)}
        )
    coordinates = [[round(lon, 6), round(lat, 6)] for lon, lat in ring]
    return {"type": "Polygon", "coordinates": [coordinates]}


def _commune(field: dict[str, Any], value: Any) -> str:
    from jamaati.territories.models import Level, Territory

    code = str(value).strip()
    if not Territory.objects.filter(
        code=code, level__in=[Level.COMMUNE, Level.ARRONDISSEMENT]
    ).exists():
        raise _Invalid(_("Choose a commune from the list."))
    return code


def _cin(field: dict[str, Any], value: Any) -> str:
    try:
        return normalise_cin(value)
    except ValidationError as exc:
        raise _Invalid(exc.messages[0]) from None


def _phone(field: dict[str, Any], value: Any) -> str:
    try:
        return normalise_phone(value)
    except ValidationError as exc:
        raise _Invalid(exc.messages[0]) from None


def _email(field: dict[str, Any], value: Any) -> str:
    address = str(value).strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise _Invalid(_("Enter an e-mail address such as name@example.ma.")) from None
    return address


def _file(
    field: dict[str, Any], value: Any, *, key: str, documents: Mapping[int, Any] | None
) -> list[int]:
    values = value if isinstance(value, list) else [value]
    try:
        ids = [int(v) for v in values]
    except (TypeError, ValueError):
        raise _Invalid(_("Attach the file again.")) from None
    documents = documents or {}
    for pk in ids:
        document = documents.get(pk)
        if document is None or document.field_key != key:
            raise _Invalid(_("Attach the file again."))
    limit = s.file_max_files(field)
    if len(ids) > limit:
        raise _Invalid(_("Attach at most %(count)d files.") % {"count": limit})
    return list(dict.fromkeys(ids))


_CONVERTERS = {
    s.TEXT: _text,
    s.LONG_TEXT: _text,
    s.NUMBER: _number,
    s.DATE: _date,
    s.SINGLE_CHOICE: _single,
    s.MULTIPLE_CHOICE: _multiple,
    s.YES_NO: _yes_no,
    s.MAP_POINT: _map_point,
    s.PARCEL: _parcel,
    s.COMMUNE: _commune,
    s.CIN: _cin,
    s.PHONE: _phone,
    s.EMAIL: _email,
}


# --- Conditions --------------------------------------------------------------------------------


def condition_holds(condition: dict[str, Any] | None, cleaned: Mapping[str, Any]) -> bool:
    """Whether a condition holds against the (normalised) answers; no condition always holds."""
    if not condition:
        return True
    if condition["field"] not in cleaned:
        # An unanswered or hidden field: "not equals" holds, the other tests do not.
        return condition["op"] == "not_equals"
    answer, expected, op = cleaned[condition["field"]], condition["value"], condition["op"]
    if (
        isinstance(answer, str)
        and isinstance(expected, (int, float))
        and not isinstance(expected, bool)
    ):
        try:
            answer, expected = Decimal(answer), Decimal(str(expected))
        except InvalidOperation:
            return op == "not_equals"
    if op == "equals":
        return answer == expected
    if op == "not_equals":
        return answer != expected
    if isinstance(answer, list):
        return expected in answer
    if isinstance(answer, str) and isinstance(expected, str):
        return expected.casefold() in answer.casefold()
    return answer == expected


def visible_keys(schema: dict[str, Any], answers: Mapping[str, Any]) -> set[str]:
    """The keys of the sections and fields shown for these (normalised) answers."""
    shown: set[str] = set()
    for section in schema.get("sections", []):
        if not condition_holds(section.get("condition"), answers):
            continue
        shown.add(section["key"])
        for item in section.get("fields", []):
            if condition_holds(item.get("condition"), answers):
                shown.add(item["key"])
    return shown


# --- The whole form ------------------------------------------------------------------------------


def _clean_one(
    item: dict[str, Any], value: Any, *, key: str, documents: Mapping[int, Any] | None
) -> Any:
    if item["type"] == s.FILE:
        return _file(item, value, key=key, documents=documents)
    return _CONVERTERS[item["type"]](item, value)


def _clean_group(
    item: dict[str, Any], value: Any, *, partial: bool, errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    key = item["key"]
    if not isinstance(value, list) or any(not isinstance(entry, dict) for entry in value):
        errors.setdefault(key, []).append(_("Fill in each item of the list."))
        return []
    entries = [entry for entry in value if not all(_is_blank(v) for v in entry.values())]
    cleaned_entries = []
    for index, entry in enumerate(entries):
        cleaned_entry: dict[str, Any] = {}
        for sub in item.get("fields", []):
            sub_key = f"{key}.{index}.{sub['key']}"
            raw = entry.get(sub["key"])
            if _is_blank(raw):
                if sub.get("required") and not partial:
                    errors.setdefault(sub_key, []).append(_("This answer is required."))
                continue
            try:
                cleaned_entry[sub["key"]] = _clean_one(sub, raw, key=sub_key, documents=None)
            except _Invalid as exc:
                errors.setdefault(sub_key, []).append(exc.message)
        cleaned_entries.append(cleaned_entry)
    high = item.get("max_items")
    if high is not None and len(cleaned_entries) > high:
        errors.setdefault(key, []).append(_("Give at most %(count)d items.") % {"count": high})
    low = item.get("min_items")
    if not partial and low and len(cleaned_entries) < low:
        errors.setdefault(key, []).append(_("Give at least %(count)d items.") % {"count": low})
    return cleaned_entries


def answers_validate(
    schema: dict[str, Any],
    answers: Mapping[str, Any] | None,
    *,
    partial: bool = False,
    documents: Mapping[int, Any] | None = None,
) -> AnswersResult:
    """Check and normalise `answers` against a form schema; never raises for bad answers.

    `documents` maps the ids of the application's uploaded files to objects with a
    `field_key` (ApplicationDocument rows): a file answer must point at a file uploaded for
    that very field. Errors are keyed by field key (``group.0.subfield`` inside groups).
    """
    answers = answers or {}
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for section in schema.get("sections", []):
        if not condition_holds(section.get("condition"), cleaned):
            continue
        for item in section.get("fields", []):
            if not condition_holds(item.get("condition"), cleaned):
                continue
            key = item["key"]
            raw = answers.get(key)
            if item["type"] == s.GROUP:
                if _is_blank(raw):
                    if item.get("required") and not partial:
                        errors.setdefault(key, []).append(_("Give at least one item."))
                    continue
                entries = _clean_group(item, raw, partial=partial, errors=errors)
                if entries:
                    cleaned[key] = entries
                elif item.get("required") and not partial:
                    errors.setdefault(key, []).append(_("Give at least one item."))
                continue
            if _is_blank(raw):
                if item.get("required") and not partial:
                    errors.setdefault(key, []).append(_("This answer is required."))
                continue
            try:
                cleaned[key] = _clean_one(item, raw, key=key, documents=documents)
            except _Invalid as exc:
                errors.setdefault(key, []).append(exc.message)
    return AnswersResult(cleaned=cleaned, errors=errors)


def answers_clean(
    schema: dict[str, Any],
    answers: Mapping[str, Any] | None,
    *,
    documents: Mapping[int, Any] | None = None,
) -> dict[str, Any]:
    """The normalised answers of a complete form, or a ValidationError with the errors per field."""
    result = answers_validate(schema, answers, documents=documents)
    if result.errors:
        raise ValidationError(
            {
                key: [ValidationError(m, code="invalid") for m in messages]
                for key, messages in result.errors.items()
            }
        )
    return result.cleaned
