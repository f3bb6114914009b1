"""Translated error bodies for the JSON API.

Pydantic's messages are English only. The API answers in the request's language
(Accept-Language): a translated summary, and each field error with its location, its
machine-readable type and a translated message for the common types.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError


# The error bodies every router declares (no docstrings: they would enter the OpenAPI document).
# A refusal (400, 403, 404, 409): one translated sentence.
class Error(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    type: str
    msg: str


# A 422, as `install` below writes it.
class ValidationErrorOut(Schema):
    message: str
    detail: list[FieldError]


def _message(error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    messages = {
        "missing": _("This field is required."),
        "float_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "bool_parsing": _("Enter true or false."),
        "string_too_short": _("Enter at least %(min_length)s characters.")
        % {"min_length": ctx.get("min_length")},
        "string_too_long": _("Enter at most %(max_length)s characters.")
        % {"max_length": ctx.get("max_length")},
        "greater_than_equal": _("Enter a value greater than or equal to %(ge)s.")
        % {"ge": ctx.get("ge")},
        "less_than_equal": _("Enter a value less than or equal to %(le)s.") % {"le": ctx.get("le")},
        "greater_than": _("Enter a value greater than %(gt)s.") % {"gt": ctx.get("gt")},
        "less_than": _("Enter a value less than %(lt)s.") % {"lt": ctx.get("lt")},
        "finite_number": _("Enter a finite number."),
        "date_from_datetime_parsing": _("Enter a valid date."),
        "datetime_from_date_parsing": _("Enter a valid date and time."),
        "enum": _("Choose one of the allowed values."),
        "literal_error": _("Choose one of the allowed values."),
    }
    return messages.get(kind, _("This value is not valid."))


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(
            request,
            {
                "message": _("The request is not valid."),
                "detail": [
                    {
                        "loc": list(error.get("loc", ())),
                        "type": error.get("type", ""),
                        "msg": _message(error),
                    }
                    for error in exc.errors
                ],
            },
            status=422,
        )
