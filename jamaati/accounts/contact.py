"""What a citizen types to be reached: an e-mail address or a Moroccan mobile number."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from jamaati.accounts.models import OneTimeCode
from jamaati.accounts.phone import normalise_moroccan_mobile

INVALID_DESTINATION_MESSAGE = _(
    "Enter an e-mail address (name@example.ma) or a Moroccan mobile number (06 12 34 56 78)."
)


def normalise_destination(raw: str) -> tuple[str, str]:
    """Return (normalised destination, channel) for an e-mail address or a mobile number."""
    value = (raw or "").strip()
    if not value:
        raise ValidationError(INVALID_DESTINATION_MESSAGE, code="required")
    if "@" in value:
        value = value.lower()
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValidationError(INVALID_DESTINATION_MESSAGE, code="invalid_email") from exc
        return value, OneTimeCode.Channel.EMAIL
    try:
        return normalise_moroccan_mobile(value), OneTimeCode.Channel.SMS
    except ValidationError as exc:
        raise ValidationError(exc.messages[0], code="invalid_mobile") from exc
